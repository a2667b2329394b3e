"""Calibrated prediction intervals for any forecaster: split and adaptive conformal."""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils.validation import check_is_fitted

from ..exceptions import MissingTargetWarning
from ..utils._compat import HasMethods, Interval, StrOptions, _fit_context
from ._conformal_scores import (
    aci_half_widths,
    conformal_quantile,
    expanding_changes,
    log_scores_better,
    nested_half_widths,
    panel_row_scales,
    panel_scales,
)
from ._coverage import check_coverage, stack_bounds
from ._forecast import declared_target
from ._panel_framing import is_panel
from ._splits import PanelTimeSeriesSplit, purge_target_overlap, recipe_cv

__all__ = ["ConformalForecaster"]

_ONE_SERIES = object()  # the series label of rows that are not a panel's


def _inner(estimator):
    """The model that predicts: a search's best estimator, or the estimator."""
    return getattr(estimator, "best_estimator_", estimator)


def _declared_log(estimator):
    """The estimator's ``log`` parameter (True: it works in log space), or None.

    Looks at a search's best estimator and a pipeline's last step; None when
    the estimator has no boolean ``log``.
    """
    estimator = _inner(estimator)
    if hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    log = getattr(estimator, "log", None)
    return log if isinstance(log, bool) else None


def _indexable(data):
    """``data`` as it is when rows can be taken from it, else as an array."""
    if hasattr(data, "iloc") or hasattr(data, "shape"):
        return data
    return np.asarray(data)


def _series_labels(X, rows):
    """The series label of each of ``rows`` of a panel; one label otherwise."""
    if is_panel(X):
        return np.asarray(X.index.get_level_values(0)[rows], dtype=object)
    return np.full(len(np.arange(len(X))[rows]), _ONE_SERIES, dtype=object)


def _last_label(X):
    """The last index label of a one-series frame, else None."""
    index = getattr(X, "index", None)
    if index is None or len(index) == 0 or isinstance(index, pd.MultiIndex):
        return None
    return index[-1]


class ConformalForecaster(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Prediction intervals for any forecaster, calibrated on time-ordered folds.

    ``fit`` fits the forecaster on all of ``X``, ``y`` and, to learn how far
    off it is out of sample, fits copies on the training rows of time-ordered
    folds and records their errors on the validation rows, step by step ahead:
    split conformal prediction on the training part alone (no test row is
    seen). ``predict_interval`` then returns, per step, the point forecast plus
    and minus the conformal quantile of those absolute errors, with the
    finite-sample correction (the ``ceil((n + 1) c)``-th of n errors for
    coverage c). In log space the errors are those of the logs, so the bounds
    are positive and wider above than below.

    On a panel, each series' errors are divided by its scale (the mean
    absolute value of its calibration errors, step by step) before the one
    quantile of them all is taken, and each series' half-width is that
    quantile times its own scale: series of any size share the calibration
    but get intervals of their own width. A series without calibration
    errors (one unseen in ``fit``, or absent from the validation folds) gets
    the mean absolute one-step change of its target, from its rows in
    ``fit`` or else from its rows of ``X`` up to each row, times the median
    ratio of error scale to one-step change of the calibrated series; with
    no change to measure yet (its first row, or no target column named),
    the median scale of the calibrated series.

    ``method="adaptive"`` follows the errors as they come in (adaptive
    conformal inference, Gibbs and Candes 2021): on a frame that continues the
    training index, the target column of row t tells the error of the
    forecast made k rows earlier for step k. Each such error of a forecast
    made after the training rows (never a fitted value of a row the
    forecaster was fitted on) joins the calibration errors, and the level of
    the quantile moves by ``gamma`` times (nominal miss rate - miss), so that
    a run of misses widens the next intervals and a run of hits narrows them.
    Row t's interval uses rows up to t only.

    Parameters
    ----------
    estimator : estimator object
        A forecaster of :func:`~sklstm.forecasting.make_supervised`'s rows: the
        recipe, a search over it (then its ``best_estimator_``'s settings are
        calibrated), an sklstm baseline or any regressor or pipeline.
    coverage : float or list of float, default=0.9
        The share of future values the intervals should hold, strictly between
        0 and 1: the default of ``predict_interval``. The name is sktime's
        (``predict_interval(coverage=...)``); MAPIE calls it
        ``confidence_level``.
    method : {"split", "adaptive"}, default="split"
        "split": the calibration errors' quantile, the same for every row.
        "adaptive": updated row by row from the errors the target column of
        ``X`` reveals (needs ``target``, or an estimator that names it).
    cv : int, cross-validation splitter or None, default=None
        The calibration folds. None: a search's own splitter when
        ``estimator`` is a fitted or unfitted search with one (its folds are
        reused), else 3 folds whose validation blocks share the last half of
        the rows (the recipe's; for a panel, of its time stamps, with
        :class:`PanelTimeSeriesSplit`). An int: that many such folds. A
        splitter must keep time order (validation after training). With h
        steps ahead, each fold leaves out the h - 1 training rows (time
        stamps of a panel) before its validation rows, whose targets are
        validation targets.
    log : bool or "auto", default="auto"
        Errors of the logs (positive, asymmetric bounds). "auto": the
        estimator's own ``log`` when it has one (or a search's best
        estimator, or a pipeline's last step: the recipe and the airline
        model do); else log space when the target and the calibration
        forecasts are strictly positive and intervals of the log errors
        score better than those of the errors on the calibration rows
        themselves (the interval score of both at ``coverage``, each series
        and step weighing alike): the narrower for the same share held,
        which is log space when the errors grow with the level.
    target : str, int or None, default=None
        The target column of ``X``, for ``method="adaptive"``. None: the
        column the estimator names (the recipe and the baselines do).
    gamma : float >= 0, default=0.01
        Step of the adaptive level: larger follows shifts faster and
        fluctuates more (Gibbs and Candes used 0.005 on long series; 0.01
        lets a test part of a few dozen rows move it by a few points). 0 keeps
        the level and only adds the revealed errors.
    prefit : bool, default=False
        True: ``estimator`` is fitted already (e.g. the search returned by
        :func:`~sklstm.recipe.tune_lstm_forecaster`); ``fit`` only calibrates
        and the given object predicts.

    Attributes
    ----------
    estimator_ : estimator
        The forecaster fitted on all of ``X`` (``estimator`` itself with
        ``prefit=True``).
    errors_ : ndarray of shape (n_calibration, n_steps)
        The out-of-fold errors ``y - prediction`` (of the logs in log space),
        one column per step ahead; rows whose target is unknown are NaN.
    scores_ : ndarray of shape (n_calibration, n_steps)
        The errors whose absolute values' quantiles are the half-widths:
        ``errors_`` divided by their series' ``series_scale_`` on a panel,
        ``errors_`` itself for one series.
    series_scale_ : pandas.DataFrame of shape (n_series, n_steps) or None
        On a panel, each series' scale, one column per step (see above),
        indexed by the series labels; None for one series.
    scale_ratio_ : ndarray of shape (n_steps,) or None
        On a panel, the median ratio of a series' error scale to the mean
        absolute one-step change of its target: the scale of a series
        without calibration errors is its one-step change times this.
    log_ : bool
        Whether the errors are those of the logs.
    nonnegative_ : bool
        Whether every known target value in ``fit`` was >= 0; then no bound
        is below 0.
    target_ : str, int or None
        The target column used by the adaptive method.
    training_end_ : object or None
        The last index label of ``X`` in ``fit``: rows of a frame up to it
        are the forecaster's own training rows, whose errors are fitted
        values and move no adaptive level. None when ``X`` has no index (an
        array) or is a panel; an array given to ``predict_interval`` is then
        taken to continue the training rows.
    calibration_seconds_ : float
        Wall time of the calibration fits (the added cost of the intervals).
    n_features_in_ : int
        Number of columns of ``X`` in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of ``X`` in ``fit``, when it is a DataFrame.

    See Also
    --------
    sklstm.forecasting.AirlineForecaster.predict_interval : Analytic Gaussian
        intervals of the airline model.
    sklstm.forecasting.interval_scores : Coverage, width and MSIS.
    sklstm.forecasting.forecast : The next values with ``coverage=``.

    Notes
    -----
    Split conformal intervals hold the nominal share of values when the
    errors to come behave like the calibration errors (exchangeability).
    A series whose errors grow or shift breaks that; the adaptive method
    corrects the level as misses are seen, at the price of a lag. The
    calibration fits ``n_splits`` copies more than the forecaster alone; with
    a search they fit the chosen settings only, on the search's own folds,
    not the whole grid again.

    A panel's scale is that of each series' own errors rather than of its
    values (e.g. MASE's one-step change): a smooth series and a noisy one
    of the same size are forecast with errors of different sizes, and the
    errors' own scale follows that, where the values' would not.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import (
    ...     ConformalForecaster, RidgeLagForecaster, train_test_split_series)
    >>> X_train, X_test, y_train, y_test = train_test_split_series(
    ...     load_airpassengers(), "passengers", n_test=36)
    >>> model = ConformalForecaster(
    ...     RidgeLagForecaster(n_lags=24, target="passengers"), coverage=0.9
    ... ).fit(X_train, y_train)
    >>> bounds = model.predict_interval(X_test)
    >>> bounds.shape
    (36, 2)
    >>> inside = (bounds[:, 0] <= y_test) & (y_test <= bounds[:, 1])
    >>> round(float(inside.mean()), 2)
    0.94
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "coverage": [Interval(Real, 0, 1, closed="neither"), list, tuple],
        "method": [StrOptions({"split", "adaptive"})],
        "cv": [Interval(Integral, 2, None, closed="left"), HasMethods(["split"]), None],
        "log": ["boolean", StrOptions({"auto"})],
        "target": [str, Interval(Integral, 0, None, closed="left"), None],
        "gamma": [Interval(Real, 0, None, closed="left")],
        "prefit": ["boolean"],
    }

    def __init__(
        self,
        estimator,
        *,
        coverage=0.9,
        method="split",
        cv=None,
        log="auto",
        target=None,
        gamma=0.01,
        prefit=False,
    ):
        self.estimator = estimator
        self.coverage = coverage
        self.method = method
        self.cv = cv
        self.log = log
        self.target = target
        self.gamma = gamma
        self.prefit = prefit

    def _check_not_adaptive_on_a_panel(self, X):
        if self.method == "adaptive" and is_panel(X):
            raise ValueError(
                "method='adaptive' follows one series' errors row by row, but X "
                "is a panel of several series; use method='split' for panels."
            )

    def _splitter(self, X):
        """The calibration splitter: given, a search's own, or last-half folds.

        The last-half folds of a panel split its time stamps, shared by all
        series (:class:`PanelTimeSeriesSplit`), not its rows.
        """
        if self.cv is not None and not isinstance(self.cv, Integral):
            return self.cv
        if self.cv is None:
            # a search's own folds (TunedLSTMForecaster holds its search)
            fitted = getattr(self, "estimator_", self.estimator)
            own = getattr(getattr(fitted, "search_", fitted), "cv", None)
            if hasattr(own, "split"):
                return own
        n_splits = 3 if self.cv is None else self.cv
        if is_panel(X):
            return PanelTimeSeriesSplit(n_splits, test_size="last_half")
        return recipe_cv(len(X), n_splits)

    def _to_scale(self, values, name):
        values = np.asarray(values, dtype=np.float64)
        if not self.log_:
            return values
        known = values[~np.isnan(values)]
        if known.size and known.min() <= 0:
            if self.log is True:
                reason = "log=True"
            elif _declared_log(self.estimator_):
                reason = "log='auto' (the estimator works in log space)"
            else:
                reason = "log='auto' (chosen from the calibration errors, log_=True)"
            raise ValueError(
                f"{reason} needs strictly positive {name}, but its minimum is "
                f"{known.min()!r}; pass log=False to calibrate errors of the values."
            )
        return np.log(values)

    def _from_scale(self, values):
        return np.exp(values) if self.log_ else values

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the forecaster and calibrate its intervals on time-ordered folds.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Everything known at each time (a DataFrame keeps its time index,
            so validation folds continue their training folds).
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : ConformalForecaster
            Fitted estimator.
        """
        check_coverage(self.coverage)
        if y is None:
            raise ValueError(
                "ConformalForecaster requires y to be passed, but the target y is "
                "None: the errors it calibrates are y minus the forecasts."
            )
        X, y = _indexable(X), _indexable(y)
        self._check_not_adaptive_on_a_panel(X)
        if self.prefit:
            check_is_fitted(self.estimator)
            self.estimator_ = self.estimator
        else:
            self.estimator_ = clone(self.estimator).fit(X, y)
        self.target_ = (
            declared_target(self.estimator_) if self.target is None else self.target
        )
        if self.method == "adaptive" and self.target_ is None:
            raise ValueError(
                "method='adaptive' reads the realized values from the target "
                "column of X, but target=None and the estimator names none; pass "
                "target=<the column>."
            )
        self.training_end_ = _last_label(X)
        truth, pred, series, self.calibration_seconds_ = self._calibrate(X, y)
        known = np.asarray(y, dtype=np.float64)
        known = known[~np.isnan(known)]
        self.nonnegative_ = bool(known.size and known.min() >= 0)
        self.log_ = self._choose_log(truth, pred, series, known)
        self.errors_ = self._to_scale(truth, "y") - self._to_scale(pred, "predictions")
        self.series_scale_, self.scale_ratio_ = self._panel_scales(X, y, series)
        self.scores_ = self.errors_
        if self.series_scale_ is not None:
            self.scores_ = self.errors_ / self.series_scale_.loc[series].to_numpy()
        first = self.estimator_
        self.n_features_in_ = getattr(first, "n_features_in_", np.shape(X)[1])
        if hasattr(first, "feature_names_in_"):
            self.feature_names_in_ = first.feature_names_in_
        return self

    def _calibrate(self, X, y):
        """Out-of-fold truths and forecasts of the chosen settings, their series.

        One column per step; the time the calibration fits took.
        """
        import time

        start = time.perf_counter()
        template = _inner(self.estimator_)
        folds = self._folds(X, 1 if np.ndim(y) < 2 else np.shape(y)[1])
        truths, preds, series = [], [], []
        with warnings.catch_warnings():
            # a fold may hold rows with an unknown target: said by the first fit
            warnings.simplefilter("ignore", MissingTargetWarning)
            for train, bridge, test in folds:
                model = clone(template).fit(
                    _safe_indexing(X, train), _safe_indexing(y, train)
                )
                truth = np.asarray(_safe_indexing(y, test), dtype=np.float64)
                truth = truth.reshape(len(test), -1)
                rows = np.union1d(bridge, test)  # in the order of X
                pred = np.asarray(model.predict(_safe_indexing(X, rows)), np.float64)
                pred = pred.reshape(len(rows), -1)[np.searchsorted(rows, test)]
                truths.append(truth)
                preds.append(pred)
                series.append(_series_labels(X, test))
        return (
            np.concatenate(truths),
            np.concatenate(preds),
            np.concatenate(series),
            time.perf_counter() - start,
        )

    def _choose_log(self, truth, pred, series, known):
        """``log``; for "auto", the estimator's, else the better-scoring space.

        Log space is possible when the target and the calibration forecasts
        are strictly positive; it is chosen when intervals of the log errors
        score better on the calibration rows than those of the errors
        (:func:`log_scores_better`).
        """
        if self.log != "auto":
            return self.log
        declared = _declared_log(self.estimator_)
        if declared is not None:
            return declared
        forecasts = pred[~np.isnan(pred)]
        if not (known.size and known.min() > 0 and forecasts.min(initial=1) > 0):
            return False
        levels, _ = check_coverage(self.coverage)
        return log_scores_better(truth, pred, series, levels, floor=0.0)

    def _panel_scales(self, X, y, series):
        """Each series' error scale per step (None: one series), and the ratio."""
        if not is_panel(X):
            return None, None
        first = np.asarray(y, dtype=np.float64).reshape(len(y), -1)[:, 0]
        return panel_scales(
            self.errors_,
            series,
            self._to_scale(first, "y"),
            X.index.get_level_values(0),
        )

    def _row_scales(self, X, n_steps):
        """Each row's scale per step, ``(n_rows, n_steps)``: 1 for one series."""
        if self.series_scale_ is None:
            return np.ones((len(X), n_steps))
        labels = _series_labels(X, slice(None))
        history = None
        if self.target_ is not None:
            values = self._realized(X)
            if not self.log_ or np.nanmin(values, initial=np.inf) > 0:
                history = expanding_changes(self._to_scale(values, "X"), labels)
        return panel_row_scales(labels, self.series_scale_, self.scale_ratio_, history)

    def _folds(self, X, n_steps):
        """The splitter's folds, less the training rows whose targets overlap."""
        n_samples = len(X)
        try:
            folds = list(self._splitter(X).split(X))
            return purge_target_overlap(folds, X, n_steps)
        except ValueError as exc:
            raise ValueError(
                f"ConformalForecaster cannot make calibration folds of {n_samples} "
                f"sample(s) with cv={self.cv!r}: {exc}"
            ) from None

    def predict(self, X):
        """The forecaster's point forecasts.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            As the fitted forecaster predicts them.
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def predict_interval(self, X, coverage=None):
        """Lower and upper bounds for every row and step.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Same columns as in ``fit``. For ``method="adaptive"``, rows in time
            order whose target column holds the realized values (a frame that
            continues the training index, as a test part does).
        coverage : float or list of float, default=None
            Nominal coverage(s), strictly between 0 and 1. None: the
            ``coverage`` parameter.

        Returns
        -------
        bounds : ndarray
            ``(n_samples, 2)`` for a 1-D ``y`` in ``fit``, ``(n_samples,
            n_steps, 2)`` for several steps ([..., 0] the lower, [..., 1] the
            upper bound), with a last axis of coverages when ``coverage`` is a
            list. Bounds widen with the coverage: with ``method="adaptive"``,
            whose levels move separately, a level is widened to the bounds of
            the lower coverages asked for where they would cross.
        """
        check_is_fitted(self)
        levels, scalar = check_coverage(self.coverage if coverage is None else coverage)
        pred = np.asarray(self.predict(X), dtype=np.float64)
        centre = self._to_scale(pred.reshape(len(pred), -1), "predictions")
        if self.method == "adaptive":
            self._check_not_adaptive_on_a_panel(X)
            realized = self._to_scale(
                self._realized(X), f"target column {self.target_!r}"
            )
            fresh = self._after_training(X)
            half = np.stack(
                [self._adaptive_half(centre, realized, fresh, c) for c in levels]
            )
            half = nested_half_widths(half, levels)
        else:
            half = np.stack([self._split_half(c) for c in levels])
            half = half[:, None, :] * self._row_scales(X, centre.shape[1])[None]
        lower = self._from_scale(centre - half).reshape(len(levels), *pred.shape)
        upper = self._from_scale(centre + half).reshape(len(levels), *pred.shape)
        if self.nonnegative_:  # a target never negative in fit: nor its bounds
            lower, upper = np.maximum(lower, 0.0), np.maximum(upper, 0.0)
        return stack_bounds(lower, upper, scalar)

    def _split_half(self, level):
        """Half-widths per step: the conformal quantile of the absolute scores."""
        return np.array([conformal_quantile(np.abs(e), level) for e in self.scores_.T])

    def _realized(self, X):
        """The target column of X: the values the forecasts are checked against."""
        if hasattr(X, "columns"):
            if isinstance(self.target_, str):
                return X[self.target_].to_numpy(dtype=np.float64)
            return X.iloc[:, self.target_].to_numpy(dtype=np.float64)
        if isinstance(self.target_, str):
            raise ValueError(
                f"target={self.target_!r} names a column, but X has no column "
                "names; pass a DataFrame or the column's position."
            )
        return np.asarray(X, dtype=np.float64)[:, self.target_]

    def _after_training(self, X):
        """Whether each row of X is a forecast origin after the training rows.

        The forecaster was fitted on the rows up to ``training_end_``: its
        forecasts there are fitted values, not forecasts, and their errors
        tell nothing about the errors to come.
        """
        index = getattr(X, "index", None)
        if self.training_end_ is None or index is None:
            return np.ones(len(X), dtype=bool)
        try:
            return np.asarray(index > self.training_end_, dtype=bool)
        except TypeError:  # labels of another kind: not the training rows
            return np.ones(len(X), dtype=bool)

    def _adaptive_half(self, centre, realized, fresh, level):
        """Half-widths row by row (adaptive conformal inference), per step.

        For step k, the value in row t is the outcome of the forecast made at
        row t - k: when that row is after the training rows (``fresh``), its
        error joins the scores, and a miss lowers (a hit raises) the miss
        rate allowed to the next intervals. Row t's width uses outcomes up to
        row t only.
        """
        n_rows, n_steps = centre.shape
        half = np.empty_like(centre)
        for k in range(n_steps):
            delay = k + 1
            revealed = np.full(n_rows, np.nan)
            if delay < n_rows:  # else no outcome of this step is known yet
                origins = slice(0, n_rows - delay)
                errors = np.abs(realized[delay:] - centre[origins, k])
                revealed[delay:] = np.where(fresh[origins], errors, np.nan)
            half[:, k] = aci_half_widths(
                np.abs(self.scores_[:, k]), revealed, level, self.gamma, delay
            )
        return half

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # one column of y per step ahead
        try:
            inner = get_tags(self.estimator)
        except AttributeError:  # a duck-typed forecaster without tags
            return tags
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.regressor_tags.poor_score = (
            inner.regressor_tags is not None and inner.regressor_tags.poor_score
        )
        return tags
