"""Naive and seasonal naive forecasts as scikit-learn regressors."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._compat import Interval, StrOptions, _fit_context
from ..utils._padding import report_padding, same_start
from ._history import (
    _SeriesStateMixin,
    check_known_target,
    continues,
    ffill,
    fill_values,
    next_label,
    resolve_target,
    validate_rows,
    validate_X_y,
)
from ._panel_framing import is_panel

__all__ = ["NaiveForecaster", "SeasonalNaiveForecaster", "seasonal_naive_step"]


def seasonal_naive_step(full, origin, m, step):
    """The seasonal naive forecast ``step`` steps after each ``origin`` of ``full``.

    The value in the same phase of the latest season known at the origin, or
    the origin's own value where that lies before ``full``'s first value.
    Returns it and how many seasons back it lies (``ceil(step / m)``).
    """
    seasons = int(np.ceil(step / m))
    source = origin + step - m * seasons
    return np.where(source >= 0, full[np.maximum(source, 0)], full[origin]), seasons


class _TargetForecasterMixin:
    """Shared fit bookkeeping: target column and the shape of the forecasts."""

    def _fit_target(self, X, y):
        """The shared attributes from validated ``X`` and ``y`` (see validate_X_y)."""
        self.target_index_ = resolve_target(self, self.target)
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        self._y_ndim = y.ndim
        values = X[:, self.target_index_].astype(np.float64)
        self.fill_value_ = float(fill_values(self, values)[0])
        return X, y, values

    def _target_values(self, X, last=None):
        """The target column of the validated X, gaps forward-filled."""
        values = X[:, self.target_index_].astype(np.float64)
        return values, ffill(values, self.fill_value_, last)

    def _shape_output(self, pred):
        return pred[:, 0] if self._y_ndim == 1 else pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # one column of y per step ahead
        # a baseline that ignores all but one column scores poorly on the random
        # regression problems of scikit-learn's estimator checks
        tags.regressor_tags.poor_score = True
        tags.input_tags.allow_nan = True  # gaps are forward-filled
        return tags


class NaiveForecaster(_TargetForecasterMixin, RegressorMixin, BaseEstimator):
    """Forecast every step ahead as the target's value at the forecast origin.

    In the supervised framing of :func:`make_supervised`, row t of ``X`` holds the
    target at t, and the forecast of ``y`` row t (the target at t+1 .. t+h) is that
    value for every step: ``y_hat[t + k] = target[t]``. ``fit`` learns nothing but
    the target column and the number of steps (the columns of ``y``).

    Parameters
    ----------
    target : int or str, default=0
        The target column of ``X``: a position, or a name when ``fit`` gets a
        DataFrame.

    Attributes
    ----------
    target_index_ : int
        Position of the target column in ``X``.
    n_outputs_ : int
        Number of forecast steps (columns of ``y`` in ``fit``).
    fill_value_ : float
        Mean of the target column in ``fit``: the forecast from a row whose
        target has no earlier valid value.
    n_features_in_ : int
        Number of columns of ``X`` in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of ``X`` in ``fit``, when it is a DataFrame with string names.

    See Also
    --------
    SeasonalNaiveForecaster : Repeats the last season instead of the last value.
    RidgeLagForecaster : RidgeCV on lags of the target.

    Notes
    -----
    Predictions have the shape of ``y`` in ``fit``: 1-D for a 1-D ``y``, otherwise
    ``(n_samples, n_outputs_)``. NaN in the target column of ``X`` (a gap) is
    forward-filled, causally: the forecast from a gap is the last known value
    (the training mean before the first one). NaN in the other columns and in
    ``y`` (an unknown target) is accepted and ignored.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.forecasting import NaiveForecaster, make_supervised
    >>> frame = pd.DataFrame({"sales": [1.0, 3.0, 2.0, 5.0, 4.0]})
    >>> X, y = make_supervised(frame, "sales", horizon=2)
    >>> NaiveForecaster(target="sales").fit(X, y).predict(X)
    array([[1., 1.],
           [3., 3.],
           [2., 2.]])
    """

    _parameter_constraints: dict = {
        "target": [Interval(Integral, 0, None, closed="left"), str],
    }

    def __init__(self, *, target=0):
        self.target = target

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Record the target column and the number of forecast steps.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Everything known at each time, the target's current value included.
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : NaiveForecaster
            Fitted estimator.
        """
        self._fit_target(*validate_X_y(self, X, y))
        return self

    def predict(self, X):
        """Repeat each row's target value for every step ahead.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, ``n_outputs_``)
            The forecasts.
        """
        check_is_fitted(self)
        X = validate_rows(self, X)
        _, last = self._target_values(X)
        return self._shape_output(np.repeat(last[:, None], self.n_outputs_, axis=1))


class SeasonalNaiveForecaster(
    _SeriesStateMixin, _TargetForecasterMixin, RegressorMixin, BaseEstimator
):
    """Forecast each step as the target's value one season earlier.

    ``y_hat[t + k] = target[t + k - m * ceil(k / m)]``: the latest observed value in
    the same phase of the season, for every step k = 1 .. h.

    With ``growth``, the change over the last season is carried forward, as a
    seasonal random walk on differences (the forecast of SARIMA (0,1,0)(0,1,0)m):
    ``growth="additive"`` adds ``ceil(k / m) * (target[t] - target[t - m])``,
    ``growth="multiplicative"`` multiplies by ``(target[t] / target[t - m]) **
    ceil(k / m)`` (for positive series whose seasonal swing grows with the level).

    The forecast for row t needs the target up to ``m - 1`` rows back (``m``
    with ``growth``). ``fit`` keeps the last ``m + 1`` target values of ``X``;
    when ``predict`` gets a DataFrame whose index continues the one seen in
    ``fit`` (its first label is the one after the last training label, e.g.
    ``X_test`` from :func:`train_test_split_series`), those values are the
    history of its first rows. Otherwise only the rows of the given ``X`` are
    history, and a row whose seasonal value lies before the first row falls back
    to the naive forecast (its own current value, without growth).

    NaN in the target column of ``X`` (a gap) is forward-filled, causally (the
    training mean before the first valid value); NaN in the other columns and in
    ``y`` (an unknown target) is accepted and ignored. A ``predict`` that has to
    fall back for lack of history (neither continuing the training index nor
    starting with the training rows) warns with
    :class:`~sklstm.exceptions.PaddingWarning`.

    On a panel (``X`` with a MultiIndex (series, time), e.g. from
    :func:`make_supervised` of a panel) each series is its own seasonal naive
    model: ``fit`` keeps each series' last season (in ``series_state_``), and
    ``predict`` forecasts each series from its own rows only, continuing its
    own training end. A series unseen in ``fit`` is forecast like a frame that
    does not continue the training data (the naive fallback for its first
    rows, one :class:`~sklstm.exceptions.UnseenSeriesWarning` naming it); a
    gap before its first valid value takes the training mean over all series.

    Parameters
    ----------
    m : int, default=12
        Season length in steps (12 for monthly data, 52 weekly, 365 daily).
    target : int or str, default=0
        The target column of ``X``: a position, or a name when ``fit`` gets a
        DataFrame.
    growth : {"additive", "multiplicative"} or None, default=None
        Carry the last season's change forward (see above). None: plain
        seasonal naive.

    Attributes
    ----------
    target_index_ : int
        Position of the target column in ``X``.
    n_outputs_ : int
        Number of forecast steps (columns of ``y`` in ``fit``).
    history_ : ndarray of shape (min(m + 1, n_samples),)
        The last target values of ``X`` in ``fit`` (gaps forward-filled). Not
        set by a fit on a panel (see ``series_state_``).
    fill_value_ : float
        Mean of the target column in ``fit``: the fill of a gap with no earlier
        valid value (on a panel: over all series, used for unseen series).
    next_label_ : object or None
        The index label that continues the training ``X`` (None for NumPy input or
        an index whose step is unknown). Not set by a fit on a panel.
    series_ : pandas.Index
        The series of the panel in ``fit``, in order (only after a fit on a
        panel).
    series_state_ : dict
        Per series label, the dict of its ``history_``, ``fill_value_`` and
        ``next_label_`` (only after a fit on a panel).
    n_features_in_ : int
        Number of columns of ``X`` in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of ``X`` in ``fit``, when it is a DataFrame with string names.

    See Also
    --------
    NaiveForecaster : The ``m=1`` special case, without history.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.forecasting import (
    ...     SeasonalNaiveForecaster, train_test_split_series)
    >>> frame = pd.DataFrame({"sales": [1.0, 2.0, 3.0, 1.5, 2.5, 3.5, 2.0, 3.0]})
    >>> X_train, X_test, y_train, y_test = train_test_split_series(
    ...     frame, "sales", horizon=2, n_test=3)
    >>> model = SeasonalNaiveForecaster(m=3, target="sales").fit(X_train, y_train)
    >>> X_test.index.tolist()  # continues X_train: rows 0 .. 2 are history
    [3, 4, 5]
    >>> model.predict(X_test)  # row 3 forecasts rows 4, 5 as rows 1, 2
    array([[2. , 3. ],
           [3. , 1.5],
           [1.5, 2.5]])
    """

    _parameter_constraints: dict = {
        "m": [Interval(Integral, 1, None, closed="left")],
        "target": [Interval(Integral, 0, None, closed="left"), str],
        "growth": [StrOptions({"additive", "multiplicative"}), None],
    }

    def __init__(self, *, m=12, target=0, growth=None):
        self.m = m
        self.target = target
        self.growth = growth

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Keep the last season of the target for forecasts that continue ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Everything known at each time, the target's current value included.
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : SeasonalNaiveForecaster
            Fitted estimator.
        """
        self._reset_state()
        if is_panel(X):
            X_rows, y_rows = validate_X_y(self, X, y)  # once, for every series
            self._fit_target(X_rows, y_rows)  # the shared attributes, pooled fill
            self._fit_series_states(X, X_rows, y_rows, SeasonalNaiveForecaster._fit_one)
        else:
            self._fit_one(X, *validate_X_y(self, X, y))
        return self

    _series_attrs = ("history_", "fill_value_", "next_label_", "_head")

    def _fit_one(self, time, X, y):
        """Fit on one series' validated rows: last season, fill, next label.

        ``time`` is the series' index (or the X it came from) for the label.
        """
        label = next_label(time)
        check_known_target(self, y)
        X, _, values = self._fit_target(X, y)
        filled = ffill(values, self.fill_value_)
        self.history_ = filled[-(self.m + 1) :]
        self.next_label_ = label
        # the first training values: a predict starting with them falls back
        # exactly as a predict of the training data does (no warning)
        self._head = values[: self._n_history()].copy()

    def _unseen_fallback(self):
        return (
            "forecast them from their own rows in X alone (naive before a season "
            "of history)"
        )

    def _unseen_state(self, label):
        """A series unseen in fit: no history, no head (padding warns)."""
        return {
            "history_": np.empty(0),
            "fill_value_": self.fill_value_,
            "next_label_": None,
            "_head": np.empty(0),
        }

    def _n_history(self):
        """Rows before each row that the forecast needs (growth: one more)."""
        return self.m - 1 + (self.growth is not None)

    def predict(self, X):
        """Forecast each row's next steps from the same phase of the last season.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Same columns as in ``fit``; a DataFrame continuing the training index
            uses the training data's last season as history.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, ``n_outputs_``)
            The forecasts. On a panel, the rows of every series in order.
        """
        check_is_fitted(self)
        if self._check_panel_input(X):
            pred = self._predict_series(X, SeasonalNaiveForecaster._predict_one)
            return self._shape_output(pred)
        return self._shape_output(self._predict_one(X, validate_rows(self, X)))

    def _predict_one(self, time, X):
        """Forecasts of one series' validated rows, (n_samples, ``n_outputs_``).

        ``time`` is the series' index (or the X it came from): whether the rows
        continue the training end.
        """
        is_continuation = continues(time, self.next_label_)
        raw, values = self._target_values(
            X, self.history_[-1:] if is_continuation else None
        )
        k = self._n_history()
        if not is_continuation and k and not same_start(raw, self._head):
            report_padding(self, n_rows=len(raw), n_history=k)
        history = self.history_ if is_continuation else values[:0]
        full = np.concatenate([history, values])
        origin = len(history) + np.arange(len(values))
        if self.growth == "multiplicative" and not np.all(full > 0):
            raise ValueError(
                f"growth='multiplicative' needs a strictly positive target; its "
                f"minimum is {full.min()!r}. Use growth='additive' or None."
            )
        pred = np.empty((len(values), self.n_outputs_))
        for step in range(1, self.n_outputs_ + 1):
            seasonal, seasons = seasonal_naive_step(full, origin, self.m, step)
            if self.growth is not None:
                before = origin - self.m
                known = before >= 0
                past = full[np.maximum(before, 0)]
                if self.growth == "additive":
                    change = np.where(known, full[origin] - past, 0.0)
                    seasonal = seasonal + seasons * change
                else:
                    ratio = np.where(known, full[origin] / past, 1.0)
                    seasonal = seasonal * ratio**seasons
            pred[:, step - 1] = seasonal
        return pred
