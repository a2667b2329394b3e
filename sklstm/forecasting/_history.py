"""Helpers shared by the baseline forecasters: target column and continuation.

A frame passed to ``predict`` *continues* the training data when its first index
label is the label that would follow the last label seen in ``fit`` (next month,
next week, next day, next integer). Then the values kept from the end of the
training data are real history for the first rows of the new frame.

On a panel (a MultiIndex (series, time), see ``_panel_framing``) the
history-keeping baselines keep that state per series (``_SeriesStateMixin``):
``fit`` fits each series on a shallow copy of the estimator and keeps its
per-series attributes; ``predict`` runs each series' rows on a copy holding
that series' state, so a series continues its own training end and never
reads another's values.
"""

import copy

import numpy as np
import pandas as pd
from sklearn.utils import check_consistent_length

from sklstm.utils._compat import validate_data
from sklstm.utils._padding import gather_padding, report_padding
from sklstm.utils._panel import report_unseen
from sklstm.utils._time import continues, next_label, next_labels

from ._panel_framing import check_panel, is_panel

__all__ = [
    "_SeriesStateMixin",
    "check_known_target",
    "continues",
    "ffill",
    "fill_values",
    "next_label",
    "next_labels",
    "resolve_target",
    "validate_X_y",
    "validate_rows",
]


def fill_values(estimator, values):
    """Training means of the columns of ``values``: the fill of leading gaps.

    Raises a ValueError naming the column when a column is all NaN.
    """
    values = values.reshape(len(values), -1)
    all_nan = np.isnan(values).all(axis=0)
    if all_nan.any():
        raise ValueError(
            f"{type(estimator).__name__}: a column it forecasts from is all NaN in "
            "fit; there is nothing to forecast from. Drop it or fill it first "
            "(sklstm.preprocessing.TimeSeriesImputer)."
        )
    return np.nanmean(values, axis=0)


def ffill(values, fallback, last=None):
    """Forward-fill the columns of ``values`` causally (rows are time).

    A gap takes the last valid value before it; a leading gap takes ``last`` (the
    last valid values of the training data, when the data continues it) where
    it is not NaN, else ``fallback`` (the training means). Returns a new array
    of the same shape.
    """
    if not np.isnan(values).any():
        return values
    shape = values.shape
    values = values.reshape(len(values), -1)
    filled = pd.DataFrame(values).ffill().to_numpy(dtype=np.float64)
    head = np.asarray(fallback, dtype=np.float64).reshape(-1)
    if last is not None:
        last = np.asarray(last, dtype=np.float64).reshape(-1)
        head = np.where(np.isnan(last), head, last)
    filled = np.where(np.isnan(filled), head, filled)
    return filled.reshape(shape)


def resolve_target(estimator, target):
    """Column position of ``target`` in the X seen by ``validate_data`` in ``fit``.

    ``target`` is a column position (int) or, when ``fit`` got a DataFrame, a column
    name (str).
    """
    n_features = estimator.n_features_in_
    if isinstance(target, str):
        names = getattr(estimator, "feature_names_in_", None)
        if names is None:
            raise ValueError(
                f"target={target!r} is a column name, but X has no column names "
                "(NumPy input); pass a DataFrame or the column position "
                f"0 .. {n_features - 1}."
            )
        matches = np.flatnonzero(names == target)
        if len(matches) == 0:
            raise ValueError(
                f"target={target!r} is not a column of X; allowed: {list(names)}."
            )
        return int(matches[0])
    if target >= n_features:
        raise ValueError(
            f"target={target} is out of range for X with n_features = {n_features}; "
            f"allowed: a column position 0 .. {n_features - 1} or a column name."
        )
    return int(target)


def validate_X_y(estimator, X, y):
    """``validate_data`` for the baselines: NaN allowed in X and y.

    X may hold NaN (gaps are forward-filled); y may hold NaN (unknown targets:
    the naive forecasts learn nothing from y's values, RidgeLagForecaster leaves
    those rows out).
    """
    X, y = validate_data(
        estimator,
        X,
        y,
        validate_separately=(
            {"ensure_all_finite": "allow-nan"},
            {
                "ensure_all_finite": "allow-nan",
                "ensure_2d": False,
                "dtype": "numeric",
            },
        ),
    )
    check_consistent_length(X, y)
    y = np.asarray(y, dtype=np.float64)
    check_known_target(estimator, y)
    return X, y


def check_known_target(estimator, y):
    """A ValueError when every target of ``y`` (a validated array) is NaN."""
    if y.size and np.isnan(y).all():
        raise ValueError(
            f"{type(estimator).__name__}: every target of y is NaN; there is "
            "nothing to learn from. Impute the series first "
            "(sklstm.preprocessing.TimeSeriesImputer)."
        )


def validate_rows(estimator, X):
    """``validate_data`` of a predict's X (NaN allowed), against the fit's."""
    return validate_data(estimator, X, reset=False, ensure_all_finite="allow-nan")


def _series_time(X, start, stop):
    """The time index of one series of a panel (its rows ``start:stop``)."""
    return X.index[start:stop].droplevel(0)


class _SeriesStateMixin:
    """Fit and predict a panel series by series, with per-series fitted state.

    ``_series_attrs`` names the fitted attributes kept per series; after a fit
    on a panel they live in ``series_state_[label]`` (not on the estimator
    itself), and ``series_`` lists the series in fit order. Every other fitted
    attribute is shared (the target column, the steps, a global model).
    ``_unseen_state(label)`` gives the state of a series not seen in fit (or
    raises).
    """

    _series_attrs = ()

    def _reset_state(self):
        """Drop the state of an earlier fit of the other kind (panel or not)."""
        for attr in (*self._series_attrs, "series_", "series_state_"):
            self.__dict__.pop(attr, None)

    def _fit_series_states(self, X, X_rows, y_rows, fit_one):
        """``fit_one(est, time, X_series, y_series)`` on a copy per series.

        ``X_rows`` and ``y_rows`` are the panel's validated arrays (validated
        once, not per series); each series gets its rows of them and its time
        index. Keeps the states of the series.
        """
        states = {}
        blocks = check_panel(X, "X")
        times = [_series_time(X, start, stop) for _, start, stop in blocks]
        # a series too short to tell its own step takes the panel's
        nexts = next_labels(times)
        for (label, start, stop), time, after in zip(blocks, times, nexts, strict=True):
            est = copy.copy(self)
            try:
                fit_one(est, time, X_rows[start:stop], y_rows[start:stop])
            except ValueError as exc:
                raise ValueError(f"In series {label!r} of the panel X: {exc}") from exc
            if "next_label_" in self._series_attrs:
                est.next_label_ = after
            states[label] = {a: est.__dict__[a] for a in self._series_attrs}
        self.series_ = pd.Index(list(states))
        self.series_state_ = states

    def _check_panel_input(self, X):
        """Whether ``X`` is a panel; it must be one iff the fit data was."""
        panel, fitted_on_panel = is_panel(X), "series_state_" in self.__dict__
        if panel != fitted_on_panel:
            raise ValueError(
                f"{type(self).__name__} was fitted on "
                + (
                    "a panel (a (series, time) MultiIndex), so X must be one too: "
                    "without it the rows of different series cannot be told apart."
                    if fitted_on_panel
                    else "a single series, but X is a panel (a (series, time) "
                    "MultiIndex); fit it on a panel to forecast series by series."
                )
            )
        return panel

    def _series_estimator(self, label):
        """A shallow copy of ``self`` holding the state of series ``label``."""
        est = copy.copy(self)
        del est.series_, est.series_state_  # it predicts one series
        state = self.series_state_.get(label)
        est.__dict__.update(self._unseen_state(label) if state is None else state)
        return est

    def _predict_series(self, X, predict_one):
        """``predict_one(est, time, X_series)`` per series, stacked; one warning.

        ``X`` is validated once, as a whole; each series gets its time index and
        its rows of the validated array. A series continues its own training
        end; one unseen in fit gets ``_unseen_state``. The series whose first
        rows were padded are named in one
        :class:`~sklstm.exceptions.PaddingWarning`; those without a fitted
        state of their own (unseen in fit and padded, or served by a fallback
        model, see ``_fallback_model``) in one
        :class:`~sklstm.exceptions.UnseenSeriesWarning` instead.
        """
        blocks = check_panel(X, "X")
        rows = validate_rows(self, X)
        outputs, padded, unseen = [], [], []
        with gather_padding() as reports:
            for label, start, stop in blocks:
                est = self._series_estimator(label)
                n_reports = len(reports)
                try:
                    outputs.append(
                        predict_one(est, _series_time(X, start, stop), rows[start:stop])
                    )
                except ValueError as exc:
                    raise ValueError(
                        f"In series {label!r} of the panel X: {exc}"
                    ) from exc
                was_padded = len(reports) > n_reports
                if est._fallback_model() or (
                    was_padded and label not in self.series_state_
                ):
                    unseen.append(label)
                elif was_padded:
                    padded.append((label, reports[-1][3]))
        if padded:
            report_padding(
                self,
                n_rows=X.shape[0],
                n_history=max(k for _, k in padded),
                series=[label for label, _ in padded],
                n_series=len(blocks),
            )
        if unseen:
            report_unseen(
                self,
                series=unseen,
                n_series=len(blocks),
                fallback=self._unseen_fallback(),
            )
        return np.concatenate(outputs)

    def _fallback_model(self):
        """Whether this series' copy forecasts with a fallback, not its own model."""
        return False

    def _unseen_fallback(self):
        """How :func:`~sklstm.utils._panel.report_unseen` names the fallback."""
        return "forecast their first rows from padding (no history from fit)"
