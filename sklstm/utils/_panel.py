"""The one panel parser: where the series of a (series, time) panel lie.

A *panel* is a pandas object whose index is a two-level
:class:`pandas.MultiIndex` (series, time), the rows of each series contiguous
and in time order (sktime's long panel form, e.g. after
``df.set_index(["store", "date"]).sort_index()``). The transformers
(:mod:`sklstm.preprocessing`) and the forecasting protocol
(:mod:`sklstm.forecasting`) both read panels with :func:`parse_panel`.

Panels are ragged: series of any lengths and start dates. A series that an
estimator kept no state for (unseen in fit, or too short there) is served by
a fallback, reported with :func:`report_unseen`; inside
:func:`collect_unseen` the reports of every step are gathered into one
:class:`~sklstm.exceptions.UnseenSeriesWarning` per call.
"""

import contextvars
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd

from sklstm.exceptions import UnseenSeriesWarning
from sklstm.utils._reports import collect_once

__all__ = [
    "Panel",
    "collect_unseen",
    "is_panel",
    "panel_of",
    "parse_panel",
    "report_unseen",
    "time_labels",
]

_UNSEEN = contextvars.ContextVar("sklstm_unseen_reports", default=None)


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


def _unseen_message(reports):
    """One text for the reports ``(name, fallback, labels, n_series)``."""
    labels = list(dict.fromkeys(label for r in reports for label in r[2]))
    n_series = max(r[3] for r in reports)
    shown = ", ".join(repr(label) for label in labels[:5])
    if len(labels) > 5:
        shown += f" and {len(labels) - 5} more"
    fallbacks = "; ".join(
        dict.fromkeys(f"{name} {fallback}" for name, fallback, _, _ in reports)
    )
    return (
        f"{len(labels)} of the {n_series} series of X ({shown}) were not seen in "
        "fit (or too short there to fit them), so nothing was learned from them: "
        f"{fallbacks}. Fit on data holding enough of their rows to give them "
        "their own fitted state."
    )


def report_unseen(estimator, *, series, n_series, fallback):
    """Record, or warn at once, that ``series`` of a panel were served by ``fallback``.

    ``fallback`` completes a sentence that starts with the estimator's class
    name ("forecast them by ..."). Inside :func:`collect_unseen` the report is
    kept for the one warning at the end of the outermost block.
    """
    report = (type(estimator).__name__, fallback, list(series), n_series)
    reports = _UNSEEN.get()
    if reports is not None:
        reports.append(report)
        return
    warnings.warn(_unseen_message([report]), UnseenSeriesWarning, stacklevel=3)


def collect_unseen():
    """Gather the unseen-series reports made inside; warn once at the end.

    Nested uses report to the outermost one. No warning when the block raises.
    """
    return collect_once(_UNSEEN, _unseen_message, UnseenSeriesWarning)
