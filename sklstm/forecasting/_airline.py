"""Box and Jenkins' airline model, SARIMA (0,1,1)(0,1,1)m, as a regressor."""

import warnings
from numbers import Integral

import numpy as np
from scipy.optimize import minimize
from scipy.signal import lfilter, lfiltic
from scipy.stats import norm
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._compat import Interval, StrOptions, _fit_context
from ..utils._padding import report_padding, same_start
from ._airline_exog import (
    ahead_effect,
    exog_layout,
    exog_values,
    profiled_innovations,
)
from ._coverage import check_coverage, stack_bounds
from ._history import (
    _SeriesStateMixin,
    check_known_target,
    continues,
    ffill,
    next_label,
    validate_rows,
    validate_X_y,
)
from ._naive import _TargetForecasterMixin, seasonal_naive_step
from ._panel_framing import check_panel, is_panel

__all__ = ["AirlineForecaster"]

# coarse grid of the two MA coefficients, refined from its best point
_GRID = np.linspace(-0.9, 0.9, 13)
_BOUND = 0.99


def _polynomials(m, theta, seasonal_theta):
    """Difference and MA polynomials in the backshift operator, lag 0 first."""
    if m == 1:
        return np.array([1.0, -1.0]), np.array([1.0, theta])
    diff = np.zeros(m + 2)
    diff[[0, 1, m, m + 1]] = 1.0, -1.0, -1.0, 1.0
    ma = np.zeros(m + 2)
    ma[[0, 1, m, m + 1]] = 1.0, theta, seasonal_theta, theta * seasonal_theta
    return diff, ma


def _psi_weights(m, theta, seasonal_theta, n):
    """The first ``n`` weights of ``psi(B) = ma(B) / diff(B)``, psi_0 = 1.

    The forecast error k steps ahead is ``sum_{j < k} psi_j e_{t+k-j}``.
    """
    diff, ma = _polynomials(m, theta, seasonal_theta)
    impulse = np.zeros(n)
    impulse[0] = 1.0
    return lfilter(ma, diff, impulse)


def _residuals(w, ma, past=None):
    """Innovations e of w = ma(B) e, causally; ``past`` are the e before w."""
    if past is None:
        return lfilter([1.0], ma, w)
    return lfilter([1.0], ma, w, zi=lfiltic([1.0], ma, past[::-1]))[0]


class AirlineForecaster(
    _SeriesStateMixin, _TargetForecasterMixin, RegressorMixin, BaseEstimator
):
    """Box and Jenkins' airline model, SARIMA (0,1,1)(0,1,1)m, fitted by least squares.

    The target z (its log with ``log=True``) is differenced once and once
    seasonally, and the result is modelled as a moving average of white noise
    e: ``(1 - B)(1 - B^m) z_t = (1 + theta B)(1 + Theta B^m) e_t``. The two
    coefficients are chosen by conditional least squares (the innovations before
    the first differenced value are taken as 0): a grid, then L-BFGS-B inside
    (-0.99, 0.99), which keeps the model invertible. Forecasts set the future
    innovations to 0; in the supervised framing of :func:`make_supervised` the
    forecast for row t of ``y`` (the target at t+1 .. t+h) uses the target up to
    row t of ``X`` only.

    It is the default model of X-13ARIMA-SEATS and a strong forecast for series
    with a trend and a season whose shape drifts slowly: the seasonal moving
    average smooths each phase of the season over several years. With ``m=1``
    it is ARIMA (0,1,1), simple exponential smoothing.

    ``fit`` keeps the last ``m + 1`` values and innovations; when ``predict``
    gets a DataFrame whose index continues the training one (e.g. ``X_test``
    from :func:`train_test_split_series`), they are the history of its first
    rows. Otherwise the innovations are rebuilt from the first row of the given
    ``X`` on, and its first ``m + 1`` rows (1 with ``m=1``), which lack the
    history, are forecast naively (their own value, for every step).

    On a panel (``X`` with a MultiIndex (series, time), e.g. from
    :func:`make_supervised` of a panel) each series gets its own airline model:
    ``fit`` chooses each series' coefficients and ``sigma2`` from its rows
    alone and keeps its history (all in ``series_state_``); ``predict`` and
    :meth:`predict_interval` forecast each series with its own model,
    continuing its own training end. A series with ``2 * (m + 1)`` rows or
    fewer in ``fit`` (a ragged panel), or unseen in ``fit``, has no model: it
    is forecast by its own seasonal naive forecast (its training end and its
    rows in ``X``; naive before a season of history), with NaN interval
    bounds, and named in one :class:`~sklstm.exceptions.UnseenSeriesWarning`
    per call. Only a panel whose every series is that short raises.

    Parameters
    ----------
    m : int, default=12
        Season length in steps (12 for monthly data, 52 weekly). 1: no season.
    target : int or str, default=0
        The target column of ``X``: a position, or a name when ``fit`` gets a
        DataFrame.
    log : bool or "auto", default=False
        Model the log of the target (a strictly positive series whose seasonal
        swing grows with its level); forecasts are back on the target's scale.
        True needs a strictly positive target. "auto": log space for each
        series (of a panel, or the one series) whose target is strictly
        positive in ``fit``, the values themselves for one that touches 0 or
        less (``log_`` holds the choice): log where possible, rather than
        log1p, which is not scale-free (nearly the identity for small counts,
        nearly the log for large values), so positive series get exactly the
        model of ``log=True``. A value <= 0 that such a series meets after
        fit is read as the smallest value of its last season in fit, with a
        warning (``log=True`` refuses it).
    exog : bool, default=False
        Regression with airline errors on the columns known ahead: every
        column ``c`` of X framed with ``c_ahead_1`` .. ``c_ahead_h``
        (:func:`make_supervised` with ``future``). The (log) target is
        ``x_t' beta`` plus an error that follows the airline model; the
        forecast of step k is the error's forecast plus ``beta`` times the
        row's ``c_ahead_k``. False: the target alone.

    Attributes
    ----------
    theta_ : float
        The regular moving-average coefficient (not set by a fit on a panel,
        nor are ``seasonal_theta_``, ``sigma2_``, ``history_`` and
        ``next_label_``: see ``series_state_``).
    seasonal_theta_ : float
        The seasonal moving-average coefficient (0 with ``m=1``).
    coef_ : ndarray of shape (n_exog,)
        The regression coefficients of ``exog_columns_`` (in model scale;
        empty without ``exog``); per series on a panel.
    exog_columns_ : list of str
        The columns known ahead regressed on (empty without ``exog``).
    sigma2_ : float
        Mean squared innovation in ``fit``.
    log_ : bool
        Whether the model works in log space (see ``log``). Not set by a fit on
        a panel (see ``series_state_``).
    target_index_ : int
        Position of the target column in ``X``.
    n_outputs_ : int
        Number of forecast steps (columns of ``y`` in ``fit``).
    history_ : ndarray of shape (m + 1, 2 + n_exog)
        The last (log) target values and innovations of ``fit`` (and the
        regressors' values with ``exog``).
    fill_value_ : float
        Mean of the target column in ``fit``: the fill of a gap with no earlier
        valid value.
    next_label_ : object or None
        The index label that continues the training ``X`` (None for NumPy input
        or an index whose step is unknown).
    series_ : pandas.Index
        The series of the panel in ``fit``, in order (only after a fit on a
        panel).
    series_state_ : dict
        Per series label, the dict of its ``theta_``, ``seasonal_theta_``,
        ``sigma2_``, ``history_``, ``fill_value_``, ``next_label_`` and
        ``log_`` (only after a fit on a panel; ``theta_`` None for a series
        too short to fit a model).
    n_features_in_ : int
        Number of columns of ``X`` in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of ``X`` in ``fit``, when it is a DataFrame with string
        names.

    See Also
    --------
    SeasonalNaiveForecaster : The same differences without the moving average.
    RidgeLagForecaster : RidgeCV on lags of the target.
    AirlineForecaster.predict_interval : The model's Gaussian prediction
        intervals.

    Notes
    -----
    :meth:`predict_interval` gives the classical analytic intervals: Gaussian,
    with the k-step error variance from the model's psi-weights and
    ``sigma2_`` (in log space with ``log=True``). ``fit`` needs more than
    ``2 * (m + 1)`` rows. Only the target column of
    ``X`` is used (with ``exog``, also the columns known ahead); ``y`` gives
    the number of forecast steps. NaN in the target
    column (a gap) is forward-filled causally; NaN in ``y`` is ignored. A
    ``predict`` that starts without history (neither continuing the training
    index nor starting with the training rows) warns with
    :class:`~sklstm.exceptions.PaddingWarning`. The least-squares estimates
    differ a little from exact maximum likelihood (e.g. statsmodels' SARIMAX)
    on short series.

    References
    ----------
    G. E. P. Box and G. M. Jenkins, *Time Series Analysis: Forecasting and
    Control*, 1970, chapter 9.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import AirlineForecaster, evaluate_forecaster
    >>> model = AirlineForecaster(m=12, target="passengers", log=True)
    >>> scores = evaluate_forecaster(
    ...     model, load_airpassengers(), target="passengers", horizon=12,
    ...     n_test=36, m=12)
    >>> round(scores["MASE"], 3)
    0.488

    Regression with ARIMA (0,1,1) errors on advertising planned ahead
    (``exog=True``), insurance quotes four months ahead:

    >>> from sklstm.datasets import load_insurance
    >>> model = AirlineForecaster(m=1, target="quotes", log=True, exog=True)
    >>> scores = evaluate_forecaster(
    ...     model, load_insurance(), target="quotes", horizon=4, n_test=8,
    ...     future=["tv_adverts"], return_estimator=True)
    >>> round(scores["MASE"], 3), scores["estimator"].exog_columns_
    (0.58, ['tv_adverts'])
    """

    _parameter_constraints: dict = {
        "m": [Interval(Integral, 1, None, closed="left")],
        "target": [Interval(Integral, 0, None, closed="left"), str],
        "log": ["boolean", StrOptions({"auto"})],
        "exog": ["boolean"],
    }

    def __init__(self, *, m=12, target=0, log=False, exog=False):
        self.m = m
        self.target = target
        self.log = log
        self.exog = exog

    def _n_history(self):
        """Rows of history a forecast needs: the order of the differences."""
        return 1 if self.m == 1 else self.m + 1

    def _to_model_scale(self, values, fitted=False):
        """The target in model scale; ``fitted``: history from fit exists.

        Under ``log="auto"`` a series fitted in log space that meets a value
        <= 0 after fit reads it as the smallest value of its history from fit
        (its last ``m + 1`` values) instead of refusing the whole forecast.
        """
        if not self.log_:
            return values
        if fitted and self.log == "auto" and not np.all(values > 0):
            floor = float(np.exp(np.min(self.history_[:, 0])))
            warnings.warn(
                "log='auto': a series fitted in log space (strictly positive in "
                "fit) holds values <= 0 after fit; they were read as the "
                "smallest value of its last season in fit.",
                UserWarning,
                stacklevel=3,
            )
            values = np.where(values > 0, values, floor)
        if not np.all(values > 0):
            raise ValueError(
                f"log={self.log!r} needs a strictly positive target; its minimum "
                f"is {np.min(values)!r}. Use log=False, or log='auto' (log space "
                "only for the series that are strictly positive in fit)."
            )
        return np.log(values)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Choose the two moving-average coefficients by conditional least squares.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Everything known at each time, the target's current value included.
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : AirlineForecaster
            Fitted estimator.
        """
        self._reset_state()
        if is_panel(X):
            X_rows, y_rows = validate_X_y(self, X, y)  # once, for every series
            self._fit_target(X_rows, y_rows)  # the shared attributes
            self._resolve_exog()
            self._fit_series_states(X, X_rows, y_rows, AirlineForecaster._fit_member)
            if all(state["theta_"] is None for state in self.series_state_.values()):
                label, start, stop = check_panel(X, "X")[0]
                raise ValueError(
                    f"In series {label!r} of the panel X: n_samples = "
                    f"{stop - start} is too few for m={self.m}: fit needs more "
                    f"than 2 * {self._n_history()} = {2 * self._n_history()} rows "
                    "(every series of the panel is that short)."
                )
        else:
            self._fit_one(X, *validate_X_y(self, X, y))
        return self

    _series_attrs = (
        "theta_",
        "seasonal_theta_",
        "coef_",
        "sigma2_",
        "history_",
        "fill_value_",
        "next_label_",
        "log_",
        "_head",
    )

    def _fit_member(self, time, X, y):
        """:meth:`_fit_one` for a series of a panel: a short one gets no model.

        A series with ``2 * (m + 1)`` rows or fewer keeps its last values as
        history and is forecast by its own seasonal naive forecast.
        """
        if len(X) > 2 * self._n_history():
            return self._fit_one(time, X, y)
        check_known_target(self, y)
        X, _, values = self._fit_target(X, y)
        filled = ffill(values, self.fill_value_)
        k = self._n_history()
        self.theta_ = self.seasonal_theta_ = None
        self.coef_ = np.zeros(len(self.exog_columns_))  # no regression either
        self.sigma2_ = float("nan")
        self.log_ = False  # the fallback forecasts the values themselves
        self.history_ = np.column_stack([filled[-k:], np.zeros(len(filled[-k:]))])
        self.next_label_ = next_label(time)
        self._head = values[:k].copy()

    def _fit_one(self, time, X, y):
        """Fit the airline model on one series' validated rows.

        ``time`` is the series' index (or the X it came from) for the label.
        """
        label = next_label(time)
        check_known_target(self, y)
        X, _, values = self._fit_target(X, y)
        self._resolve_exog()
        k = self._n_history()
        if len(values) <= 2 * k:
            raise ValueError(
                f"n_samples = {len(values)} is too few for m={self.m}: fit needs "
                f"more than 2 * {k} = {2 * k} rows."
            )
        filled = ffill(values, self.fill_value_)
        positive = bool(np.all(filled > 0))
        self.log_ = positive if self.log == "auto" else bool(self.log)
        z = self._to_model_scale(filled)
        diff, _ = _polynomials(self.m, 0.0, 0.0)
        w = lfilter(diff, [1.0], z)[k:]
        x = exog_values(self, X, self._exog_now) if self.exog else None
        wx = None if x is None else lfilter(diff, [1.0], x, axis=0)[k:]

        def css(params):
            _, ma = _polynomials(self.m, *params)
            e = profiled_innovations(w, wx, ma, _residuals)[0]
            return float(e @ e)

        seasonal = [0.0] if self.m == 1 else _GRID
        start = min(((a, b) for a in _GRID for b in seasonal), key=css)
        bounds = [(-_BOUND, _BOUND), (-_BOUND, _BOUND) if self.m > 1 else (0, 0)]
        best = minimize(css, np.array(start), method="L-BFGS-B", bounds=bounds)
        params = best.x if best.fun <= css(start) else np.array(start)
        self.theta_, self.seasonal_theta_ = float(params[0]), float(params[1])
        _, ma = _polynomials(self.m, self.theta_, self.seasonal_theta_)
        e, self.coef_ = profiled_innovations(w, wx, ma, _residuals)
        self.sigma2_ = float(np.mean(e**2))
        kept = [z[-k:], e[-k:]] + ([] if x is None else [x[-k:]])
        self.history_ = np.column_stack(kept)
        self.next_label_ = label
        # the first training values: a predict starting with them falls back
        # exactly as a predict of the training data does (no warning)
        self._head = values[:k].copy()

    def _resolve_exog(self):
        """Set ``exog_columns_`` and the positions of the regressors in X."""
        self._exog_now = self._exog_ahead = None
        self.exog_columns_ = []
        if self.exog:
            self.exog_columns_, self._exog_now, self._exog_ahead = exog_layout(self)

    def _unseen_state(self, label):
        """A series unseen in fit: no model, no history (its seasonal naive)."""
        return {
            "theta_": None,
            "seasonal_theta_": None,
            "coef_": np.zeros(len(self.exog_columns_)),
            "sigma2_": float("nan"),
            "history_": np.empty((0, 2)),
            "fill_value_": self.fill_value_,
            "next_label_": None,
            "log_": False,
            "_head": np.empty(0),
        }

    def _fallback_model(self):
        return self.theta_ is None

    def _unseen_fallback(self):
        return (
            f"forecast them by their own seasonal naive forecast (m={self.m}; "
            "naive before a season of history) and gave them no interval"
        )

    def _predict_one(self, time, X):
        """The forecasts of one series' validated rows, in the target's units."""
        pred = self._forecast_one(time, X)
        return np.exp(pred) if self.log_ else pred

    def _forecast_one(self, time, X):
        """The forecasts of one series' validated rows, in model scale.

        ``time`` is the series' index (or the X it came from): whether the rows
        continue the training end. A series without a model (``theta_`` None)
        gets its seasonal naive forecast.
        """
        is_continuation = continues(time, self.next_label_)
        k = self._n_history()
        last = np.exp(self.history_[-1:, 0]) if self.log_ else self.history_[-1:, 0]
        raw, values = self._target_values(X, last if is_continuation else None)
        if self.theta_ is None:
            history = self.history_[:, 0] if is_continuation else values[:0]
            full = np.concatenate([history, values])
            origin = len(history) + np.arange(len(values))
            steps = range(1, self.n_outputs_ + 1)
            return np.column_stack(
                [seasonal_naive_step(full, origin, self.m, s)[0] for s in steps]
            )
        if not is_continuation and not same_start(raw, self._head):
            report_padding(self, n_rows=len(raw), n_history=k)
        z, past = self._to_model_scale(values, fitted=True), self.history_[:, 0]
        if self.exog:  # the airline model forecasts the regression's error
            z = z - exog_values(self, X, self._exog_now) @ self.coef_
            past = past - self.history_[:, 2:] @ self.coef_
        diff, ma = _polynomials(self.m, self.theta_, self.seasonal_theta_)
        if is_continuation:
            full = np.concatenate([past, z])
            w = lfilter(diff, [1.0], full)[k:]
            e = np.concatenate(
                [self.history_[:, 1], _residuals(w, ma, self.history_[:, 1])]
            )
        else:
            full = z
            w = lfilter(diff, [1.0], full)[k:]
            e = np.concatenate([np.zeros(min(k, len(z))), _residuals(w, ma)])
        offset = len(full) - len(z)
        origin = offset + np.arange(len(z))
        ready = origin >= k  # rows with the history the recursion needs
        pred = np.repeat(z[:, None], self.n_outputs_, axis=1)  # the naive fallback
        rows = origin[ready]
        if len(rows):
            span = np.arange(-k, 1)
            zs = np.zeros((len(rows), k + 1 + self.n_outputs_))
            es = np.zeros_like(zs)
            zs[:, : k + 1] = full[rows[:, None] + span]
            es[:, : k + 1] = e[rows[:, None] + span]
            for step in range(1, self.n_outputs_ + 1):
                col = k + step
                lags = col - np.arange(1, k + 1)
                # future innovations are 0: only the known ones enter
                zs[:, col] = es[:, lags] @ ma[1:] - zs[:, lags] @ diff[1:]
            pred[ready] = zs[:, k + 1 :]
        if self.exog:  # plus the regression on the steps' planned values
            pred = pred + ahead_effect(self, X, self._exog_ahead, self.coef_)
        return pred

    def predict(self, X):
        """Forecast each row's next steps from the model's recursion.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Same columns as in ``fit``; a DataFrame continuing the training
            index uses the training data's last season as history.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, ``n_outputs_``)
            The forecasts.
        """
        check_is_fitted(self)
        if self._check_panel_input(X):
            pred = self._predict_series(X, AirlineForecaster._predict_one)
        else:
            pred = self._predict_one(X, validate_rows(self, X))
        return self._shape_output(pred)

    def _step_variances(self):
        """Forecast error variance at steps 1 .. ``n_outputs_``, in model scale."""
        psi = _psi_weights(self.m, self.theta_, self.seasonal_theta_, self.n_outputs_)
        return self.sigma2_ * np.cumsum(psi**2)

    def predict_interval(self, X, coverage=0.9):
        """Gaussian prediction intervals from the model's psi-weights.

        Writing the model as ``z_t = psi(B) e_t`` with ``psi(B) = (1 + theta
        B)(1 + Theta B^m) / ((1 - B)(1 - B^m))`` (``(1 + theta B) / (1 - B)``
        with ``m=1``), the error of the forecast k steps ahead has variance
        ``sigma2_ * (psi_0^2 + ... + psi_{k-1}^2)``; column ``k - 1`` of ``y``
        is k steps ahead. The bounds are the point forecast of :meth:`predict`
        plus and minus ``z_{(1 + coverage) / 2}`` standard deviations, in the
        model's scale: with ``log=True``, in log space and then exponentiated,
        so they are positive and wider above the forecast than below.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Same columns as in ``fit``, handled as in :meth:`predict` (a panel
            series by series, each with its own model and ``sigma2``; the
            history of a continuing DataFrame; the naive fallback, centred on
            the row's own value with the model's widths, for the first rows
            without history).
        coverage : float or sequence of float, default=0.9
            The nominal probability that the interval holds the true value,
            strictly between 0 and 1; several give one interval each.

        Returns
        -------
        y_pis : ndarray of shape (n_samples, 2), (n_samples, ``n_outputs_``, 2)\
 or either with a last axis of size ``len(coverage)``
            Lower (``[..., 0, ...]``) and upper bounds, laid out as MAPIE's:
            the steps axis only for a 2-D ``y`` in ``fit``, the coverage axis
            only when ``coverage`` is a sequence.

        Notes
        -----
        The intervals take the fitted coefficients and ``sigma2_`` as known
        (no parameter uncertainty) and the innovations as Gaussian, as the
        classical Box-Jenkins intervals do; they are too narrow when either
        fails, e.g. for heavy-tailed errors or a short training series.

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm.datasets import load_airpassengers
        >>> from sklstm.forecasting import AirlineForecaster, make_supervised
        >>> frame = load_airpassengers()
        >>> X, y = make_supervised(frame, "passengers", horizon=12)
        >>> model = AirlineForecaster(m=12, target="passengers", log=True)
        >>> bounds = model.fit(X, y).predict_interval(X, coverage=0.9)
        >>> bounds.shape
        (132, 12, 2)
        >>> point = model.predict(X)[-1]  # January .. December 1960
        >>> np.round(point[[0, 11]])
        array([419., 452.])
        >>> np.round(bounds[-1, [0, 11]])  # steps 1 and 12: (lower, upper)
        array([[395., 446.],
               [390., 524.]])
        >>> lower, upper = bounds[-1, :, 0], bounds[-1, :, 1]
        >>> bool(np.all((lower < point) & (point < upper)))
        True
        >>> np.round(np.log(upper / lower)[[0, 1, 11]], 3)  # widen with the step
        array([0.121, 0.146, 0.296])
        """
        levels, scalar = check_coverage(coverage)
        check_is_fitted(self)
        if self._check_panel_input(X):  # each series with its own model
            return self._predict_series(
                X, lambda est, time, rows: est._interval_one(time, rows, levels, scalar)
            )
        return self._interval_one(X, validate_rows(self, X), levels, scalar)

    def _interval_one(self, time, X, levels, scalar):
        """The bounds of :meth:`predict_interval` for one series' validated rows."""
        center = self._forecast_one(time, X)
        if self.theta_ is None:  # no model: no interval
            sd = np.full(self.n_outputs_, np.nan)
        else:
            sd = np.sqrt(self._step_variances())
        z = norm.ppf((1 + np.asarray(levels)) / 2)[:, None, None]
        lower, upper = center - z * sd, center + z * sd
        if self.log_:
            lower, upper = np.exp(lower), np.exp(upper)
        lower = np.stack([self._shape_output(b) for b in lower])
        upper = np.stack([self._shape_output(b) for b in upper])
        return stack_bounds(lower, upper, scalar)
