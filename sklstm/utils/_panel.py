"""The one panel parser: where the series of a (series, time) panel lie.

A *panel* is a pandas object whose index is a two-level
:class:`pandas.MultiIndex` (series, time), the rows of each series contiguous
and in time order (sktime's long panel form, e.g. after
``df.set_index(["store", "date"]).sort_index()``). The transformers
(:mod:`sklstm.preprocessing`) and the forecasting protocol
(:mod:`sklstm.forecasting`) both read panels with :func:`parse_panel`.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["Panel", "is_panel", "panel_of", "parse_panel", "time_labels"]


def is_panel(data):
    """Whether ``data`` is a panel: a pandas object with a 2-level MultiIndex."""
    index = getattr(data, "index", None)
    return (
        isinstance(data, (pd.DataFrame, pd.Series))
        and isinstance(index, pd.MultiIndex)
        and index.nlevels == 2
    )


def time_labels(index, name="X"):
    """Return ``index`` if it can order rows in time, else None.

    A :class:`pandas.DatetimeIndex` or :class:`pandas.PeriodIndex` must be
    sorted and unique (a ``ValueError`` otherwise). An integer index counts
    only when it is strictly increasing; any other index gives None.
    """
    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        kind = type(index).__name__
        if not index.is_unique:
            duplicated = index[index.duplicated()][:3].tolist()
            raise ValueError(
                f"{name} has a duplicated {kind} (e.g. {duplicated}; its time "
                "stamps must be strictly increasing): time-aware steps need one "
                "row per time step; aggregate or drop the duplicates first."
            )
        if not index.is_monotonic_increasing:
            raise ValueError(
                f"{name} has an unsorted {kind} (its time stamps must be strictly "
                f"increasing): sort it first with {name}.sort_index()."
            )
        return index
    if (
        pd.api.types.is_integer_dtype(index.dtype)
        and index.is_unique
        and index.is_monotonic_increasing
    ):
        return index
    return None


def _strictly_increasing(labels):
    try:
        return labels.is_unique and labels.is_monotonic_increasing
    except TypeError:  # labels that cannot be compared
        return False


class Panel(NamedTuple):
    """Where the series of a panel lie: series ``i`` is rows ``bounds[i:i+2]``."""

    labels: list
    bounds: np.ndarray
    times: list  # per series, its time labels (None when they cannot order time)

    def segments(self):
        """Yield ``(label, rows, times)`` per series, ``rows`` a slice."""
        for i, label in enumerate(self.labels):
            yield label, slice(self.bounds[i], self.bounds[i + 1]), self.times[i]

    def blocks(self):
        """``(label, start, stop)`` of each series' rows, in panel order."""
        return [
            (label, int(self.bounds[i]), int(self.bounds[i + 1]))
            for i, label in enumerate(self.labels)
        ]


def parse_panel(index, name="X", ordered=False):
    """The :class:`Panel` of a (series, time) MultiIndex.

    Parameters
    ----------
    index : pandas.MultiIndex with 2 levels
        The panel's index.
    name : str, default="X"
        How errors name the panel.
    ordered : bool, default=False
        Also require every series' time labels to be strictly increasing,
        whatever their type (the forecasting protocol frames rows in order).
        False: labels that cannot order time give ``times[i] = None``.

    Raises
    ------
    ValueError
        Naming the series, when its rows are not contiguous, when its
        date or period labels are duplicated or unsorted, or (``ordered``)
        when its time labels are not strictly increasing.
    """
    codes, uniques = pd.factorize(index.get_level_values(0), use_na_sentinel=False)
    starts = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    bounds = np.concatenate([[0], starts, [len(codes)]]).astype(np.intp)
    if len(bounds) - 1 != len(uniques):
        split = uniques[np.flatnonzero(np.bincount(codes[bounds[:-1]]) > 1)[0]]
        raise ValueError(
            f"series {split!r} is not in one block of rows of the panel {name} "
            "(its rows are not contiguous): a panel is sorted by series, then "
            f"time; sort it with {name}.sort_index()."
        )
    level = index.get_level_values(1)
    times = []
    for i, label in enumerate(uniques):
        block = level[bounds[i] : bounds[i + 1]]
        try:
            series_times = time_labels(block, name)
        except ValueError as exc:
            raise ValueError(f"series {label!r} of the panel {name}: {exc}") from None
        if ordered and not _strictly_increasing(block):
            raise ValueError(
                f"series {label!r} of the panel {name}: its time stamps are not "
                "strictly increasing; a panel is sorted by series, then time, "
                f"with one row per (series, time): use {name}.sort_index() and "
                "drop duplicates."
            )
        times.append(series_times)
    return Panel(list(uniques), bounds, times)


def panel_of(X):
    """The :class:`Panel` of ``X``, or None when ``X`` is not a panel."""
    return parse_panel(X.index) if is_panel(X) else None
