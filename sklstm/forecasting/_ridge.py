"""The protocol's linear baseline: RidgeCV on standardized lags of the target."""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from ..exceptions import MissingTargetWarning
from ..utils._compat import Interval, _fit_context
from ..utils._padding import report_padding, same_start
from ._history import (
    _SeriesStateMixin,
    continues,
    ffill,
    fill_values,
    next_label,
    next_labels,
    resolve_target,
    validate_rows,
    validate_X_y,
)
from ._panel_framing import check_panel, is_panel

__all__ = ["RidgeLagForecaster"]

# The RidgeCV grid of ACCURACY-PROTOCOL.md's baselines: 10 ** (-3, -2.5, ..., 3).
_PROTOCOL_ALPHAS = np.logspace(-3, 3, 13)


def _lag_matrix(values, n_lags):
    """Rows of lags 0 .. n_lags-1 of every column, one row per complete window.

    ``values`` has shape (n, n_columns); the result has shape
    (n - n_lags + 1, n_columns * n_lags), ordered column by column, lag 0 first.
    """
    windows = sliding_window_view(values, n_lags, axis=0)  # (rows, n_columns, n_lags)
    return windows[:, :, ::-1].reshape(len(windows), -1)


class RidgeLagForecaster(_SeriesStateMixin, RegressorMixin, BaseEstimator):
    """RidgeCV on standardized lags of the target: the protocol's linear baseline.

    Row t of ``X`` (everything known at t) is turned into the target's values at
    t, t-1, ..., t-n_lags+1 (with ``exog=True``, the same lags of every other
    column too), standardized, and fed to one direct multi-output
    :class:`~sklearn.linear_model.RidgeCV`. Relative to the first forecast step
    these are "lags 1..k" of ACCURACY-PROTOCOL.md.

    ``fit`` uses only the rows with a complete window (the first ``n_lags - 1`` rows
    have too little history and are skipped). ``fit`` keeps the last
    ``n_lags - 1`` rows; when ``predict`` gets a DataFrame whose index continues
    the training one (e.g. ``X_test`` from :func:`train_test_split_series`), they
    are the history of its first rows. Otherwise the first row of the given ``X``
    is repeated backwards to fill the missing history.

    On a panel (``X`` with a MultiIndex (series, time), e.g. from
    :func:`make_supervised` of a panel) it is a *global* model: one RidgeCV
    fitted on the lag rows of every series pooled. The lags are taken within
    each series (no window straddles two series; each series' first
    ``n_lags - 1`` rows are skipped, as a single series' are, and its gaps
    take its own means), and each series keeps its own last rows (in
    ``series_state_``), so ``predict`` continues every series from its own
    training end. A series shorter than ``n_lags + 1`` rows gives the model no
    rows (it keeps its rows as history). A series unseen in ``fit`` is
    forecast like a frame that does not continue the training data (its
    first row repeated backwards, one
    :class:`~sklstm.exceptions.UnseenSeriesWarning` naming it; a gap before
    its first valid value takes the means over all series).

    Parameters
    ----------
    n_lags : int, default=12
        Number of lags k of each lagged column (24 for AirPassengers, 104 for
        weekly CO2, 14 for daily Seattle weather in the protocol).
    target : int or str, default=0
        The target column of ``X``: a position, or a name when ``fit`` gets a
        DataFrame.
    exog : bool, default=False
        Also use the lags of every other column of ``X``.
    alphas : array-like of float or None, default=None
        Regularization strengths tried by RidgeCV's efficient leave-one-out
        cross-validation. None means the protocol's grid ``np.logspace(-3, 3, 13)``.

    Attributes
    ----------
    estimator_ : sklearn.pipeline.Pipeline
        The fitted ``StandardScaler`` + ``RidgeCV`` on the lag features.
    target_index_ : int
        Position of the target column in ``X``.
    lag_columns_ : ndarray of shape (n_lagged_columns,)
        Positions of the lagged columns of ``X``, the target first.
    history_ : ndarray of shape (n_lags - 1, n_lagged_columns)
        The last rows of the lagged columns in ``fit`` (gaps forward-filled).
        Not set by a fit on a panel (see ``series_state_``).
    fill_values_ : ndarray of shape (n_lagged_columns,)
        Means of the lagged columns in ``fit``: the fill of a gap with no
        earlier valid value (on a panel: over all series, for unseen series).
    next_label_ : object or None
        The index label that continues the training ``X`` (None for NumPy input or
        an index whose step is unknown). Not set by a fit on a panel.
    series_ : pandas.Index
        The series of the panel in ``fit``, in order (only after a fit on a
        panel).
    series_state_ : dict
        Per series label, the dict of its ``history_``, ``fill_values_`` and
        ``next_label_`` (only after a fit on a panel).
    n_features_in_ : int
        Number of columns of ``X`` in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of ``X`` in ``fit``, when it is a DataFrame with string names.

    See Also
    --------
    NaiveForecaster, SeasonalNaiveForecaster : The other protocol baselines.

    Notes
    -----
    ``fit`` needs at least ``n_lags + 1`` rows (on a panel, in one series).
    Predictions have the shape of ``y`` in ``fit``. NaN in the lagged columns
    of ``X`` (gaps) is forward-filled, causally (the training mean before the
    first valid value); rows whose ``y`` is NaN (an unknown target) are left
    out of training with a :class:`~sklstm.exceptions.MissingTargetWarning`.
    A ``predict`` that pads (neither continuing the training index nor
    starting with the training rows) warns with
    :class:`~sklstm.exceptions.PaddingWarning`.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import RidgeLagForecaster, evaluate_forecaster
    >>> scores = evaluate_forecaster(
    ...     RidgeLagForecaster(n_lags=24, target="passengers"),
    ...     load_airpassengers(), target="passengers", horizon=1, n_test=36, m=12)
    >>> round(scores["MAE"], 1), round(scores["MASE"], 3)
    (14.5, 0.475)
    """

    _parameter_constraints: dict = {
        "n_lags": [Interval(Integral, 1, None, closed="left")],
        "target": [Interval(Integral, 0, None, closed="left"), str],
        "exog": ["boolean"],
        "alphas": ["array-like", None],
    }

    def __init__(self, *, n_lags=12, target=0, exog=False, alphas=None):
        self.n_lags = n_lags
        self.target = target
        self.exog = exog
        self.alphas = alphas

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit RidgeCV on the lag windows of the rows that have a complete one.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Everything known at each time, the target's current value included.
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : RidgeLagForecaster
            Fitted estimator.
        """
        self._reset_state()
        if is_panel(X):
            self._fit_panel(X, y)
            return self
        label = next_label(X)
        X, y = validate_X_y(self, X, y)
        self._check_length(X.shape[0])
        raw = self._lagged(X)
        lags, y, state = self._series_rows(raw, y)
        self.__dict__.update(state)
        self._fit_lags(lags, y)
        self.next_label_ = label
        return self

    _series_attrs = ("history_", "fill_values_", "next_label_", "_head")

    def _check_length(self, n_samples):
        if n_samples < self.n_lags + 1:
            raise ValueError(
                f"n_samples = {n_samples} is too few for n_lags={self.n_lags}: fit "
                f"needs at least n_lags + 1 = {self.n_lags + 1} rows."
            )

    def _lagged(self, X):
        """Set ``target_index_``, ``lag_columns_``; the lagged columns of X."""
        self.target_index_ = resolve_target(self, self.target)
        others = [i for i in range(X.shape[1]) if i != self.target_index_]
        self.lag_columns_ = np.array(
            [self.target_index_, *(others if self.exog else [])]
        )
        return X[:, self.lag_columns_].astype(np.float64)

    def _series_rows(self, raw, y):
        """One series' lag rows, their targets and its state (history, fill).

        A series shorter than ``n_lags + 1`` rows (of a panel) gives no lag
        rows (None); its history is its rows with the first one repeated
        before them, the padding a predict from its start gives it.
        """
        fill = fill_values(self, raw)
        values = ffill(raw, fill)
        k = self.n_lags - 1
        history = values[len(values) - k :] if k else values[:0]
        if len(values) < k:
            history = np.concatenate(
                [np.repeat(values[:1], k - len(values), axis=0), values]
            )
        state = {
            "fill_values_": fill,
            "history_": history,
            # the first training rows: a predict starting with them pads
            # exactly as a predict of the training data does (no warning)
            "_head": raw[:k].copy(),
        }
        if len(values) < self.n_lags + 1:
            return None, None, state
        return _lag_matrix(values, self.n_lags), y[k:], state

    def _fit_panel(self, X, y):
        """One model on the lag rows of every series, pooled; state per series."""
        blocks = check_panel(X, "X")
        X_all, y_all = validate_X_y(self, X, y)
        raw_all = self._lagged(X_all)
        self.fill_values_ = fill_values(self, raw_all)  # for unseen series
        lags, targets, states = [], [], {}
        # a series too short to tell its own step takes the panel's
        nexts = next_labels(X.index[a:b].droplevel(0) for _, a, b in blocks)
        for (label, start, stop), after in zip(blocks, nexts, strict=True):
            try:
                rows, y_rows, state = self._series_rows(
                    raw_all[start:stop], y_all[start:stop]
                )
            except ValueError as exc:
                raise ValueError(f"In series {label!r} of the panel X: {exc}") from exc
            state["next_label_"] = after
            if rows is not None:  # a series too short gives no training rows
                lags.append(rows)
                targets.append(y_rows)
            states[label] = state
        if not lags:
            label, start, stop = blocks[0]
            try:
                self._check_length(stop - start)
            except ValueError as exc:
                raise ValueError(
                    f"In series {label!r} of the panel X: {exc} (every series of "
                    "the panel is that short)"
                ) from exc
        self._fit_lags(np.concatenate(lags), np.concatenate(targets))
        self.series_ = pd.Index(list(states))
        self.series_state_ = states

    def _fit_lags(self, lags, y):
        """Fit ``estimator_`` on the lag rows whose target is known."""
        known = ~np.isnan(y.reshape(len(y), -1)).any(axis=1)
        if not known.all():
            n_unknown = int((~known).sum())
            if n_unknown == len(y):
                raise ValueError(
                    f"{type(self).__name__}: every target of y is NaN; there is "
                    "nothing to learn from."
                )
            warnings.warn(
                f"{type(self).__name__} left {n_unknown} of {len(y)} rows out of "
                "training: their target y is unknown (NaN).",
                MissingTargetWarning,
                stacklevel=3,
            )
            lags, y = lags[known], y[known]
        alphas = _PROTOCOL_ALPHAS if self.alphas is None else self.alphas
        self.estimator_ = make_pipeline(StandardScaler(), RidgeCV(alphas=alphas))
        self.estimator_.fit(lags, y)

    def _unseen_fallback(self):
        return "padded their lag windows with their first row (no history from fit)"

    def _unseen_state(self, label):
        """A series unseen in fit: no history, no head (padding warns)."""
        n_columns = len(self.lag_columns_)
        return {
            "history_": np.empty((0, n_columns)),
            "fill_values_": self.fill_values_,
            "next_label_": None,
            "_head": np.empty((0, n_columns)),
        }

    def predict(self, X):
        """Forecast from the lag window ending at each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Same columns as in ``fit``; a DataFrame continuing the training index
            uses the training data's last rows as history.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            The forecasts. On a panel, the rows of every series in order.
        """
        check_is_fitted(self)
        if self._check_panel_input(X):  # every series' lag rows, one predict
            lags = self._predict_series(X, RidgeLagForecaster._lag_rows)
        else:
            lags = self._lag_rows(X, validate_rows(self, X))
        return self.estimator_.predict(lags)

    def _lag_rows(self, time, X):
        """The lag window ending at each of one series' validated rows.

        ``time`` is the series' index (or the X it came from): whether the rows
        continue the training end, whose last rows are then their history.
        """
        is_continuation = continues(time, self.next_label_)
        raw = X[:, self.lag_columns_].astype(np.float64)
        last = self.history_[-1] if is_continuation and len(self.history_) else None
        values = ffill(raw, self.fill_values_, last)
        if is_continuation:
            values = np.concatenate([self.history_, values])
        missing = self.n_lags - 1 - (len(values) - X.shape[0])
        if missing > 0 and not same_start(raw, self._head):
            report_padding(self, n_rows=X.shape[0], n_history=self.n_lags - 1)
        if missing > 0:
            values = np.concatenate([np.repeat(values[:1], missing, axis=0), values])
        return _lag_matrix(values, self.n_lags)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # one column of y per step ahead
        # it sees only the lags of one column (by default), so it scores poorly on
        # the random regression problems of scikit-learn's estimator checks
        tags.regressor_tags.poor_score = True
        tags.input_tags.allow_nan = True  # gaps are forward-filled
        return tags
