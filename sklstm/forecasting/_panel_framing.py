"""Panels for the forecasting protocol: check one, find its series, apply per series.

A panel is a long DataFrame with a two-level MultiIndex (series, time): the
rows of one series are contiguous and in increasing time order (what
``panel.sort_index()`` gives). Framing, splitting, scoring and forecasting a
panel apply the single-series rule to each series' block of rows and stack the
results in the panel's order, so no target, lag or scale ever crosses a
series boundary.
"""

import numpy as np
import pandas as pd

__all__ = ["check_panel", "is_panel", "per_series", "series_blocks"]


def is_panel(frame):
    """Whether ``frame`` is a panel: a pandas object with a 2-level MultiIndex."""
    index = getattr(frame, "index", None)
    return isinstance(index, pd.MultiIndex) and index.nlevels == 2


def series_blocks(index):
    """``(label, start, stop)`` of each series' contiguous rows, in index order.

    Raises a ValueError naming the series when its rows are not contiguous, or
    when its time stamps are not strictly increasing.
    """
    labels = index.get_level_values(0)
    codes, uniques = pd.factorize(labels, use_na_sentinel=False)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    stops = np.r_[starts[1:], len(codes)]
    if len(starts) != len(uniques):
        run_codes = pd.Series(codes[starts])
        label = uniques[run_codes[run_codes.duplicated()].iloc[0]]
        raise ValueError(
            f"The rows of series {label!r} are not contiguous in the panel; a "
            "panel is sorted by series, then time: use panel.sort_index()."
        )
    times = index.get_level_values(1)
    blocks = []
    for start, stop in zip(starts, stops, strict=True):
        label = uniques[codes[start]]
        block = times[start:stop]
        if not (block.is_monotonic_increasing and block.is_unique):
            raise ValueError(
                f"The time stamps of series {label!r} are not strictly "
                "increasing; a panel is sorted by series, then time, with one row "
                "per (series, time): use panel.sort_index() and drop duplicates."
            )
        blocks.append((label, int(start), int(stop)))
    return blocks


def check_panel(frame, name="frame"):
    """The blocks of a panel; a ValueError naming ``name`` for an empty one."""
    if len(frame) == 0:
        raise ValueError(f"{name} is an empty panel; it needs at least one series.")
    return series_blocks(frame.index)


def per_series(frame, blocks, function):
    """``function(block_frame)`` for each series, errors prefixed with its label."""
    results = []
    for label, start, stop in blocks:
        try:
            results.append(function(frame.iloc[start:stop]))
        except ValueError as exc:
            raise ValueError(f"In series {label!r} of the panel: {exc}") from exc
    return results
