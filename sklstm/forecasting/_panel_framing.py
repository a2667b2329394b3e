"""Panels for the forecasting protocol: check one, find its series, apply per series.

A panel is a long DataFrame with a two-level MultiIndex (series, time): the
rows of one series are contiguous and in increasing time order (what
``panel.sort_index()`` gives). Framing, splitting, scoring and forecasting a
panel apply the single-series rule to each series' block of rows and stack the
results in the panel's order, so no target, lag or scale ever crosses a
series boundary.
"""

from sklstm.utils._panel import is_panel, parse_panel

__all__ = ["check_panel", "is_panel", "per_series", "series_blocks"]


def series_blocks(index, name="frame"):
    """``(label, start, stop)`` of each series' contiguous rows, in index order.

    Raises a ValueError naming the series when its rows are not contiguous, or
    when its time stamps are not strictly increasing
    (:func:`~sklstm.utils._panel.parse_panel`).
    """
    return parse_panel(index, name, ordered=True).blocks()


def check_panel(frame, name="frame"):
    """The blocks of a panel; a ValueError naming ``name`` for an empty one."""
    if len(frame) == 0:
        raise ValueError(f"{name} is an empty panel; it needs at least one series.")
    return series_blocks(frame.index, name)


def per_series(frame, blocks, function):
    """``function(block_frame)`` for each series, errors prefixed with its label."""
    results = []
    for label, start, stop in blocks:
        try:
            results.append(function(frame.iloc[start:stop]))
        except ValueError as exc:
            raise ValueError(f"In series {label!r} of the panel: {exc}") from exc
    return results
