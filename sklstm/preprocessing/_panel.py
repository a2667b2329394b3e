"""Panels: many series in one long DataFrame indexed by (series, time).

A *panel* is a pandas DataFrame whose index is a two-level
:class:`pandas.MultiIndex` (series, time), the rows of each series
contiguous and in time order (sktime's long panel form, e.g. after
``df.set_index(["store", "date"]).sort_index()``). The time-aware
transformers compute within each series: row 0 of a series is a first row
(padded, or continued from that series' training end), never the next row of
the series above it.

This module runs a transformer series by series; the one panel parser is
:func:`sklstm.utils._panel.parse_panel`, and the estimators live in the
sibling modules.
"""

import copy

import numpy as np
import pandas as pd

from sklstm.utils._padding import gather_padding, report_padding
from sklstm.utils._panel import panel_of, report_unseen
from sklstm.utils._time import next_labels

__all__ = ["SeriesTooShort", "matching_panel", "time_ranks"]


class _PanelMixin:
    """Fit and transform series by series, with per-series fitted state.

    The host implements ``_fit_series(X, index, following)`` (``following``:
    the label after ``index``), ``_transform_array(X, continuation)``,
    ``_continues(index)`` and ``_check_padding(X)`` for one series;
    ``_series_attrs`` names the fitted attributes that are per series (kept in
    ``series_state_``), every other fitted attribute is shared.
    """

    _series_attrs = ()

    def _fit_panel(self, X, panel):
        """Fit every series on a shallow copy of ``self``; keep its state.

        A series too short for the step (a single series that short raises
        :class:`SeriesTooShort`) is fitted with ``_pad_short`` set: its state
        keeps its rows (``_short_rows``), and its later rows are computed as
        the rows after them, from its start (see ``_series_outputs``). Only a
        panel whose every series is too short raises.
        """
        for attr in self._series_attrs:  # left by an earlier single-series fit
            self.__dict__.pop(attr, None)
        states, short = {}, []
        nexts = next_labels(panel.times)  # shared time stamps: inferred once
        for (label, rows, times), after in zip(panel.segments(), nexts, strict=True):
            try:
                est, too_short = self._fit_one_series(X[rows], times, after)
            except ValueError as exc:
                raise ValueError(f"series {label!r} of the panel X: {exc}") from None
            if too_short is not None:
                short.append((label, too_short))
            states[label] = {a: est.__dict__[a] for a in self._series_attrs}
        if len(short) == len(panel.labels):
            label, exc = short[0]
            raise ValueError(
                f"series {label!r} of the panel X: {exc} (every series of the "
                "panel is that short)"
            ) from None
        shared = {
            a: v
            for a, v in est.__dict__.items()
            if a not in self._series_attrs and a != "_pad_short"
        }
        self.__dict__.update(shared)
        self.series_ = pd.Index(panel.labels)
        self.series_state_ = states
        self._unseen = self._unseen_state(X, states[panel.labels[0]])

    def _fit_one_series(self, X, times, after):
        """A copy of ``self`` fitted on one series, and its SeriesTooShort or None."""
        est = copy.copy(self)
        try:
            est._fit_series(X, times, after)
            return est, None
        except SeriesTooShort as exc:
            est = copy.copy(self)
            est._pad_short = True
            est._fit_series(X, times, after)
            return est, exc

    def _check_panel(self, X):
        """The panel of ``X`` to transform; it must be one iff fit's data was."""
        return matching_panel(self, X, fitted_on_panel="series_state_" in self.__dict__)

    def _unseen_state(self, X, first):
        """State for a series unseen in fit: no history, no head (padding warns)."""
        head = np.empty((0, X.shape[1]), dtype=X.dtype)
        return {
            **first,
            "last_index_": None,
            "_next_index": None,
            "_head": head,
            "_short_rows": None,
        }

    def _series_estimator(self, label):
        """A shallow copy of ``self`` holding the state of series ``label``."""
        est = copy.copy(self)
        state = self.series_state_.get(label)
        est.__dict__.update(self._unseen if state is None else state)
        return est, state is not None

    def _transform_panel(self, X, panel, *, fitting=False):
        """Transform series by series into one output (see ``_series_outputs``)."""
        parts = self._series_outputs(X, panel, fitting, _transform_array)
        # the layout of the first series' output
        out = np.empty_like(parts[0], shape=(X.shape[0], *parts[0].shape[1:]))
        for (_, rows, _), part in zip(panel.segments(), parts, strict=True):
            out[rows] = part
        return out

    def _series_outputs(self, X, panel, fitting, transform):
        """``transform(est, X_series, continuation)`` per series; warn once.

        ``est`` holds the series' fitted state. A series continues its own
        training end (see ``continuation``); one unseen in fit never does:
        it is padded like a frame that does not continue, and reported as
        unseen (:func:`~sklstm.utils._panel.report_unseen`), not as padded.
        """
        parts, padded, unseen = [], [], []
        with gather_padding() as reports:
            for label, rows, times in panel.segments():
                est, seen = self._series_estimator(label)
                Xs, continuation = X[rows], False
                if not fitting:
                    continuation = seen and est._continues(times)
                    n_reports = len(reports)
                    if not continuation:
                        est._check_padding(Xs)
                    if len(reports) > n_reports:
                        if seen:
                            padded.append((label, reports[-1][3]))
                        else:
                            unseen.append(label)
                head = getattr(est, "_short_rows", None)
                if continuation and head is not None:
                    # a series too short in fit: computed from its start, as
                    # if its training rows came first (then dropped)
                    whole = np.concatenate([head.astype(Xs.dtype, copy=False), Xs])
                    parts.append(transform(est, whole, False)[len(head) :])
                    continue
                parts.append(transform(est, Xs, continuation))
        if padded:
            report_padding(
                self,
                n_rows=X.shape[0],
                n_history=max(k for _, k in padded),
                series=[label for label, _ in padded],
                n_series=len(panel.labels),
            )
        if unseen:
            report_unseen(
                self,
                series=unseen,
                n_series=len(panel.labels),
                fallback=self._unseen_fallback,
            )
        return parts

    #: How :func:`~sklstm.utils._panel.report_unseen` names the fallback.
    _unseen_fallback = "computed their first rows from padding (no history from fit)"


class SeriesTooShort(ValueError):
    """A series has too few rows for a step's history (lags, window, season).

    Raised for a single series; on a panel only when every series is that
    short: otherwise a short series is fitted on the rows it has and its
    later rows are computed from its start (see ``_PanelMixin._fit_panel``).
    """


def matching_panel(estimator, X, *, fitted_on_panel):
    """The panel of ``X`` (None for one series); it must be one iff fit's was.

    The ValueError names ``estimator``'s class and what to do.
    """
    panel = panel_of(X)
    if (panel is not None) != fitted_on_panel:
        raise ValueError(
            f"{type(estimator).__name__} was fitted on "
            + (
                "a panel (a (series, time) MultiIndex), so X must be one too: "
                "without it the rows of different series cannot be told "
                "apart. In a Pipeline, call set_output(transform='pandas')."
                if fitted_on_panel
                else "a single series, but X is a panel (a (series, time) "
                "MultiIndex); fit it on a panel to transform series by series."
            )
        )
    return panel


def _transform_array(est, X, continuation):
    return est._transform_array(X, continuation=continuation)


def time_ranks(panel):
    """Per row of ``panel``, the rank of its time among all the panel's times.

    Equal time labels (the same month in two series) share a rank. When a
    series' labels cannot order time, or the series' labels cannot be compared
    with each other, the series are aligned at their ends instead: a series'
    last row is rank -1, the one before -2, and so on.

    Returns
    -------
    ranks : ndarray of shape (n_rows,), int64
    """
    lengths = np.diff(panel.bounds)
    if all(times is not None for times in panel.times):
        try:
            labels = panel.times[0].append(list(panel.times[1:]))
            codes, _ = pd.factorize(labels, sort=True)
            return codes.astype(np.int64)
        except (TypeError, ValueError):  # e.g. dates and integers, or frequencies
            pass
    return np.concatenate([np.arange(-n, 0) for n in lengths]).astype(np.int64)
