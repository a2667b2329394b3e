"""Learn the residual of a baseline forecast instead of the level of the series."""

import warnings
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from sklstm.exceptions import MissingTargetWarning
from sklstm.forecasting._coverage import check_coverage
from sklstm.utils._compat import HasMethods, Interval, StrOptions, _fit_context
from sklstm.utils._padding import collect_padding
from sklstm.utils._panel import collect_unseen, panel_of, report_unseen

from ._ragged import short_series

_NAN_HINT = (
    "ResidualRegressor: a step got NaN. Fill the gaps in X causally with "
    "sklstm.preprocessing.TimeSeriesImputer as the first step of the regressor's "
    "pipeline (make_lstm_forecaster's pipeline starts with one); the baselines of "
    "sklstm.forecasting forward-fill gaps themselves. The step said: "
)


def _explain_nan(exc):
    """Re-raise a NaN ValueError of a wrapped estimator with the sklstm fix first."""
    text = str(exc)
    if isinstance(exc, ValueError) and "NaN" in text and _NAN_HINT not in text:
        raise ValueError(f"{_NAN_HINT}{text}") from exc
    raise exc


def _sample_weight_key(regressor):
    """The fit parameter that passes sample weights to ``regressor``, or None."""
    if isinstance(regressor, Pipeline):
        name, last = regressor.steps[-1]
        if last not in (None, "passthrough") and has_fit_parameter(
            last, "sample_weight"
        ):
            return f"{name}__sample_weight"
        return None
    return "sample_weight" if has_fit_parameter(regressor, "sample_weight") else None


def _final_step(regressor):
    """The estimator that predicts: a Pipeline's last step, or ``regressor``."""
    return regressor.steps[-1][1] if isinstance(regressor, Pipeline) else regressor


def _regressor_has(name):
    """Whether the (fitted, else unfitted) regressor's final step has ``name``."""

    def check(self):
        return hasattr(_final_step(getattr(self, "regressor_", self.regressor)), name)

    return check


class ResidualRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Fit a regressor to what a baseline forecast gets wrong.

    A network with bounded activations cannot extrapolate a trend, and a small
    one wastes its capacity on relearning "tomorrow looks like today". Fitting
    it to the residual ``y - baseline(X)`` (or ``log y - log baseline(X)``)
    leaves it only the part the baseline misses; predictions are
    ``baseline(X) + regressor(X)`` (or their product with ``log=True``).

    Parameters
    ----------
    regressor : estimator
        Regressor (often a whole Pipeline) fitted to the residuals. It sees the
        same X as the baseline.
    baseline : estimator
        Regressor giving the reference forecast, e.g.
        :class:`~sklstm.forecasting.SeasonalNaiveForecaster`. It is fitted on
        ``(X, y)`` first.
    log : bool, default=False
        Work in log space: the residual is ``log(y) - log(baseline(X))`` and
        predictions are ``baseline(X) * exp(regressor(X))``. For strictly
        positive series whose seasonality grows with their level.
    clip_residual : float > 0 or None, default=None
        Clip the residuals the regressor learns to ``[q1 - c * iqr, q3 + c *
        iqr]`` (quartiles of each output's training residuals, ``c`` this
        value): an outlier in the target gives the largest residuals, so this
        keeps a few of them from dominating the regressor's loss. None: no
        clipping. The baseline and the predictions are not clipped.
    shrinkage : float >= 0, default=1.0
        How much of the regressor's correction is applied: predictions are
        ``baseline(X) + shrinkage * regressor(X)`` (with ``log=True``,
        ``baseline(X) * exp(shrinkage * regressor(X))``). 1 applies it whole;
        0 predicts the baseline exactly (the regressor is still fitted, but not
        used); in between shrinks a noisy correction towards the baseline.
        It acts only in ``predict``, so a search can choose it from one fit
        (:func:`sklstm.recipe.tune_lstm_forecaster` does).
    learn : {"residual", "target"}, default="residual"
        What the regressor is fitted to. "residual": ``y - baseline(X)`` (in
        log space, ``log y - log baseline(X)``), as above. "target": ``y``
        itself (in log space, ``log y``), a forecaster of its own; its
        correction is then its forecast minus the baseline's, so that
        ``shrinkage`` weighs a combination of the two forecasts (0.5: their
        mean; in log space, their geometric mean). ``clip_residual`` and
        ``scale_residual`` act on residuals only, so not with "target".
    scale_residual : {None, "series"}, default=None
        On a panel (X a DataFrame indexed by (series, time)), "series"
        divides each series' residuals by their standard deviation in the
        training rows of that series (after ``clip_residual``), so that one
        global regressor learns every series on one scale rather than mostly
        the most volatile ones; its predictions are multiplied back. A series
        unseen in fit takes the standard deviation of all the residuals. None,
        and any X that is not a panel: no scaling (one series has one scale,
        which a regressor that standardizes its target removes anyway).
    unseen_series : {"regressor", "baseline"}, default="regressor"
        On a panel, how a series the regressor learned nothing from is
        forecast: one unseen in fit (a late start, a new series at forecast
        time) or too short there for the regressor's steps (see Notes).
        "regressor": like any series, the regressor's steps using their own
        fallbacks for it (padding, pooled statistics). "baseline": by the
        baseline's forecast alone, without a correction (and NaN interval
        bounds), named in one :class:`~sklstm.exceptions.UnseenSeriesWarning`
        per call.

    Attributes
    ----------
    baseline_ : estimator
        The fitted baseline.
    regressor_ : estimator
        The regressor fitted to the residuals.
    residual_bounds_ : ndarray of shape (2, n_outputs) or None
        Lower and upper clipping bounds of the residuals (``clip_residual``).
    n_residuals_clipped_ : int
        Number of training residuals clipped.
    residual_scale_ : pandas.DataFrame or None
        With ``scale_residual="series"`` on a panel: the scale of every
        series' residuals (one row per series, one column per output). None
        otherwise.
    pooled_residual_scale_ : ndarray of shape (n_outputs,) or None
        With ``scale_residual="series"`` on a panel: the scale of all the
        residuals, used for a series unseen in fit. None otherwise.
    series_ : pandas.Index
        After a fit on a panel: its series (only then).
    short_series_ : list
        After a fit on a panel: the series with no more rows than the
        regressor's steps need (its sklstm lag, difference, rolling and
        window steps say how many), left out of its training; empty otherwise.
    n_features_in_ : int
        Number of features seen by the baseline during fit.

    See Also
    --------
    sklearn.compose.TransformedTargetRegressor : A fixed transform of y alone.
    sklstm.forecasting.NaiveForecaster : The simplest baseline.

    Notes
    -----
    Rows whose target ``y`` is unknown (NaN) are left out of training with a
    :class:`~sklstm.exceptions.MissingTargetWarning`, but stay in ``X``, so that
    time-aware steps still see them as history: the regressor gets them with a
    sample weight of 0 when its (final step's) ``fit`` takes ``sample_weight``,
    otherwise only the other rows. The baseline is fitted on every row when it
    accepts NaN targets (sklstm's baselines do), otherwise on the known ones.

    On a ragged panel (series of any lengths and start dates), a series with
    no more rows than the regressor's steps need (the largest lag, window or
    season of its sklstm steps) would be all padding there: it gets weight 0
    (``short_series_``), staying in ``X`` as history, as rows with an unknown
    target do. The baseline is fitted on it as on every series.

    ``predict`` warns once (:class:`~sklstm.exceptions.PaddingWarning`) when the
    steps inside compute rows from padding instead of real history.

    :meth:`predict_interval` exists when the regressor (a Pipeline's last
    step) has one, e.g. ``LSTMRegressor(loss="quantile")``: the interval of
    the residual, shifted (or, with ``log=True``, multiplied) by the baseline.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.dummy import DummyRegressor
    >>> from sklstm.compose import ResidualRegressor
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> y = 3 * X.ravel() + 5
    >>> reg = ResidualRegressor(
    ...     regressor=LinearRegression(), baseline=DummyRegressor()
    ... ).fit(X, y)
    >>> reg.predict([[20.0]]).round(6)
    array([65.])
    """

    _parameter_constraints: dict = {
        "regressor": [HasMethods(["fit", "predict"])],
        "baseline": [HasMethods(["fit", "predict"])],
        "log": ["boolean"],
        "clip_residual": [Interval(Real, 0, None, closed="neither"), None],
        "shrinkage": [Interval(Real, 0, None, closed="left")],
        "scale_residual": [StrOptions({"series"}), None],
        "learn": [StrOptions({"residual", "target"})],
        "unseen_series": [StrOptions({"regressor", "baseline"})],
    }

    def __init__(
        self,
        *,
        regressor,
        baseline,
        log=False,
        clip_residual=None,
        shrinkage=1.0,
        scale_residual=None,
        learn="residual",
        unseen_series="regressor",
    ):
        self.regressor = regressor
        self.baseline = baseline
        self.log = log
        self.clip_residual = clip_residual
        self.shrinkage = shrinkage
        self.scale_residual = scale_residual
        self.learn = learn
        self.unseen_series = unseen_series

    def _check_learn(self):
        if self.learn != "target":
            return
        for name in ("clip_residual", "scale_residual"):
            if getattr(self, name) is not None:
                raise ValueError(
                    f"{name}={getattr(self, name)!r} acts on residuals, but "
                    "learn='target' fits the regressor to y itself; set "
                    f"{name}=None."
                )

    def _clip(self, residual):
        """Clip the residuals by the IQR rule of ``clip_residual`` (NaN kept)."""
        self.residual_bounds_, self.n_residuals_clipped_ = None, 0
        if self.clip_residual is None:
            return residual
        r = residual.reshape(len(residual), -1)
        known = r[~np.isnan(r).any(axis=1)]
        q1, q3 = np.percentile(known, [25, 75], axis=0)
        spread = self.clip_residual * (q3 - q1)
        low, high = q1 - spread, q3 + spread
        self.residual_bounds_ = np.vstack([low, high])
        with np.errstate(invalid="ignore"):
            self.n_residuals_clipped_ = int(((r < low) | (r > high)).sum())
        return np.clip(r, low, high).reshape(residual.shape)

    def _residual_scale(self, X, residual):
        """Per series and pooled, the std of the known residuals, or Nones."""
        panel = panel_of(X) if self.scale_residual == "series" else None
        if panel is None:
            return None, None
        r = residual.reshape(len(residual), -1)
        labels = np.repeat(np.arange(len(panel.labels)), np.diff(panel.bounds))
        table = pd.DataFrame(r).groupby(labels).std(ddof=0).to_numpy()
        pooled = np.nanstd(r, axis=0)
        pooled = np.where(np.isfinite(pooled) & (pooled > 0), pooled, 1.0)
        table = np.where(np.isfinite(table) & (table > 0), table, pooled)
        return pd.DataFrame(table, index=pd.Index(panel.labels)), pooled

    def _row_scale(self, X, shape):
        """The residual scale of every row of ``X`` (1.0 without scaling)."""
        if getattr(self, "residual_scale_", None) is None:
            return 1.0
        panel = panel_of(X)
        if panel is None:
            raise ValueError(
                "ResidualRegressor(scale_residual='series') was fitted on a panel "
                "(a (series, time) MultiIndex), so X must be one too."
            )
        # code -1 (a series unseen in fit): the pooled scale, the last row
        table = np.vstack(
            [self.residual_scale_.to_numpy(), self.pooled_residual_scale_]
        )
        codes = self.residual_scale_.index.get_indexer(panel.labels)
        rows = np.repeat(table[codes], np.diff(panel.bounds), axis=0)
        return rows.reshape(shape)

    def _forward(self, values, name):
        values = np.asarray(values, dtype=np.float64)
        if not self.log:
            return values
        known = values[~np.isnan(values)]
        if not np.all(known > 0):
            raise ValueError(
                f"log=True needs strictly positive values, but {name} has minimum "
                f"{np.min(known)!r}. Use log=False for series that reach 0 or "
                f"below."
            )
        return np.log(values)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the baseline on ``(X, y)``, then the regressor on its residuals.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, ...)
            Inputs, passed unchanged to both estimators.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        **fit_params : dict
            Passed to the regressor's ``fit`` (e.g. ``sample_weight``).

        Returns
        -------
        self : ResidualRegressor
            The fitted estimator.
        """
        if y is None:
            raise ValueError(
                "ResidualRegressor requires y to be passed, but the target y is None."
            )
        self._check_learn()
        if np.iscomplexobj(np.asarray(y)):
            raise ValueError("Complex data not supported: y is complex.")
        y_arr = np.asarray(y, dtype=np.float64)
        known = ~np.isnan(y_arr.reshape(len(y_arr), -1)).any(axis=1)
        n_unknown = int((~known).sum())
        if n_unknown == len(known) and n_unknown:
            raise ValueError(
                "ResidualRegressor: every target of y is NaN; there is nothing to "
                "learn from."
            )
        if n_unknown:
            warnings.warn(
                f"ResidualRegressor left {n_unknown} of {len(known)} rows out of "
                "training: their target y is unknown (NaN).",
                MissingTargetWarning,
                stacklevel=2,
            )
        try:
            with collect_unseen():  # a baseline's fallbacks, said once
                self.baseline_ = self._fit_baseline(X, y, known)
                base = self.baseline_.predict(X)
            if np.shape(base) != y_arr.shape:
                base = np.reshape(base, y_arr.shape)
            residual = self._forward(y_arr, "y")
            if self.learn == "residual":
                residual = residual - self._forward(base, "the baseline")
            residual = self._clip(residual)
            self.residual_scale_, self.pooled_residual_scale_ = self._residual_scale(
                X, residual
            )
            residual = residual / self._row_scale(X, residual.shape)
            self.regressor_ = self._fit_regressor(X, residual, known, fit_params)
        except ValueError as exc:
            _explain_nan(exc)
        panel = panel_of(X)
        self.__dict__.pop("series_", None)
        if panel is not None:
            self.series_ = pd.Index(panel.labels)
        if hasattr(self.baseline_, "n_features_in_"):
            self.n_features_in_ = self.baseline_.n_features_in_
        if hasattr(self.baseline_, "feature_names_in_"):
            self.feature_names_in_ = self.baseline_.feature_names_in_
        return self

    def _fit_baseline(self, X, y, known):
        baseline = clone(self.baseline)
        if known.all():
            return baseline.fit(X, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingTargetWarning)  # warned once
            try:
                return baseline.fit(X, y)
            except Exception as first:  # judged by the retry below
                failed = first
        # A baseline that rejects unknown targets, whatever its error says: fit
        # it on the rows whose target is known. If that fails too, the failure
        # has another cause: raise it, with the first one as its context.
        rows = np.flatnonzero(known)
        try:
            return clone(self.baseline).fit(
                _safe_indexing(X, rows), _safe_indexing(y, rows)
            )
        except Exception as exc:
            raise exc from failed

    def _fit_regressor(self, X, residual, known, fit_params):
        regressor = clone(self.regressor)
        self.short_series_ = short_series(regressor, X)
        if self.short_series_:  # all padding in some step: weight 0
            labels = X.index.get_level_values(0)
            known = known & ~np.asarray(labels.isin(self.short_series_))
        if known.all():
            return regressor.fit(X, residual, **fit_params)
        key = _sample_weight_key(regressor)
        if key is not None:
            weight = known.astype(np.float64)
            if fit_params.get(key) is not None:
                weight = weight * np.asarray(fit_params[key], dtype=np.float64)
            residual = np.where(np.isnan(residual), 0.0, residual)
            return regressor.fit(X, residual, **{**fit_params, key: weight})
        rows = np.flatnonzero(known)
        return regressor.fit(_safe_indexing(X, rows), residual[rows], **fit_params)

    def predict(self, X):
        """Predict ``baseline(X)`` corrected by the fitted residual model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, ...)
            Inputs.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions in the units of y.
        """
        if self.shrinkage == 0:
            check_is_fitted(self, "regressor_")
            try:
                with collect_unseen(), collect_padding():
                    return np.asarray(self.baseline_.predict(X), dtype=np.float64)
            except ValueError as exc:
                _explain_nan(exc)
        base, correction = self._predict_parts(X)
        return self._combine(base, correction, self.shrinkage)

    def _fallback_rows(self, X):
        """Rows forecast by the baseline alone, as a boolean mask, or None.

        With ``unseen_series="baseline"``: the rows of the series of the panel
        ``X`` that the regressor learned nothing from (unseen in fit, or in
        ``short_series_``), reported once.
        """
        panel = panel_of(X) if self.unseen_series == "baseline" else None
        if panel is None or "series_" not in self.__dict__:
            return None
        short = set(self.short_series_)
        learned = {label for label in self.series_ if label not in short}
        fallback = [label for label in panel.labels if label not in learned]
        if not fallback:
            return None
        report_unseen(
            self,
            series=fallback,
            n_series=len(panel.labels),
            fallback="forecast them by its baseline alone (no correction)",
        )
        flags = [label not in learned for label in panel.labels]
        return np.repeat(flags, np.diff(panel.bounds))

    def _regressor_rows(self, X, rows, shape, function):
        """``function(X)`` of the regressor, NaN on the ``rows`` it skips.

        ``shape`` is the output's shape, rows first; ``rows`` a boolean mask
        (None: none skipped).
        """
        if rows is None:
            return np.reshape(np.asarray(function(X), dtype=np.float64), shape)
        out = np.full(shape, np.nan)
        keep = np.flatnonzero(~rows)
        if len(keep):
            part = np.asarray(function(X.iloc[keep]), dtype=np.float64)
            out[keep] = np.reshape(part, (len(keep), *shape[1:]))
        return out

    @available_if(_regressor_has("predict_interval"))
    def predict_interval(self, X, coverage=0.9):
        """Prediction intervals: the regressor's interval around the baseline.

        The regressor predicts an interval ``[lo, hi]`` of the residual (its
        last step does, after the Pipeline's other steps transform ``X``),
        and the bounds are ``baseline(X) + shrinkage * [lo, hi]`` (with
        ``log=True``, ``baseline(X) * exp(shrinkage * [lo, hi])``): an
        increasing map of the residual, so quantiles of the residual give the
        same quantiles of y, and log-space bounds are positive and
        asymmetric. Available when the regressor (a Pipeline's last step)
        has ``predict_interval``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, ...)
            Inputs.
        coverage : float or sequence of float, default=0.9
            Nominal coverage(s), strictly between 0 and 1, passed to the
            regressor's ``predict_interval``.

        Returns
        -------
        y_pis : ndarray of shape (n_samples, [n_outputs,] 2[, n_coverages])
            Lower and upper bounds in the units of y, laid out as MAPIE's:
            the steps axis only for a 2-D y in fit, the coverage axis only
            when ``coverage`` is a sequence.

        Notes
        -----
        The interval holds only the uncertainty the regressor learned about
        its residual, scaled like its correction: with ``shrinkage=0`` both
        bounds are the baseline (an interval of width 0), and ``shrinkage``
        below 1 narrows the interval as it shrinks the correction. For
        intervals calibrated on held-out errors, wrap the whole estimator in
        a conformal wrapper instead.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.dummy import DummyRegressor
        >>> from sklstm import LSTMRegressor
        >>> from sklstm.compose import ResidualRegressor
        >>> rng = np.random.RandomState(0)
        >>> X = rng.normal(size=(64, 4, 1))
        >>> y = 100 + X[:, -1, 0] + rng.normal(size=64)
        >>> model = ResidualRegressor(
        ...     regressor=LSTMRegressor(loss="quantile", units=2, epochs=2,
        ...                             random_state=0),
        ...     baseline=DummyRegressor())
        >>> bounds = model.fit(X, y).predict_interval(X[:3], coverage=0.9)
        >>> bounds.shape
        (3, 2)
        >>> bool(np.all((bounds[:, 0] <= model.predict(X[:3]))
        ...             & (model.predict(X[:3]) <= bounds[:, 1])))
        True
        >>> hasattr(ResidualRegressor(regressor=LSTMRegressor(),
        ...                           baseline=DummyRegressor()), "predict_interval")
        False
        """
        levels, scalar = check_coverage(coverage)
        check_is_fitted(self, "regressor_")
        tail = (2,) if scalar else (2, len(levels))
        try:
            with collect_unseen(), collect_padding():  # one warning of each
                base = np.asarray(self.baseline_.predict(X), dtype=np.float64)
                bounds = self._regressor_rows(
                    X,
                    self._fallback_rows(X),
                    base.shape + tail,
                    lambda part: self._regressor_interval(part, coverage),
                )
        except ValueError as exc:
            _explain_nan(exc)
        scale = self._row_scale(X, base.shape)
        bounds = bounds * np.reshape(scale, np.shape(scale) + (1,) * len(tail))
        base = np.reshape(base, base.shape + (1,) * len(tail))
        if self.learn == "target":  # the forecast's interval, relative to the base
            bounds = bounds - self._forward(base, "the baseline")
        combined = self._combine(base, bounds, self.shrinkage)
        return np.broadcast_to(combined, bounds.shape).copy()

    def _regressor_interval(self, X, coverage):
        """The residual's interval: a Pipeline's steps transform X first."""
        regressor = self.regressor_
        if isinstance(regressor, Pipeline):
            for _, step in regressor.steps[:-1]:
                if step is not None and step != "passthrough":
                    X = step.transform(X)
        bounds = _final_step(regressor).predict_interval(X, coverage=coverage)
        return np.asarray(bounds, dtype=np.float64)

    def _predict_parts(self, X):
        """The baseline's forecast and the regressor's correction, uncombined."""
        check_is_fitted(self, "regressor_")
        try:
            with collect_unseen(), collect_padding():  # one warning of each
                base = np.asarray(self.baseline_.predict(X), dtype=np.float64)
                rows = self._fallback_rows(X)
                correction = self._regressor_rows(
                    X, rows, base.shape, self.regressor_.predict
                )
        except ValueError as exc:
            _explain_nan(exc)
        correction = np.reshape(correction, base.shape)
        if self.learn == "target":  # its forecast, relative to the baseline's
            correction = correction - self._forward(base, "the baseline")
            # none (NaN: windows that reach before a series' first row): the
            # baseline alone there
            correction = np.where(np.isnan(correction), 0.0, correction)
        if rows is not None:  # the baseline alone
            correction[rows] = 0.0
        if self.learn == "target":
            return base, correction
        return base, correction * self._row_scale(X, base.shape)

    def _combine(self, base, correction, shrinkage):
        """Predictions from the two parts, with the correction scaled."""
        if shrinkage == 0:
            return base.copy()
        if self.log:
            return base * np.exp(shrinkage * correction)
        return base + shrinkage * correction

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # both estimators see X: it takes what both take
        reg = get_tags(self.regressor).input_tags
        base = get_tags(self.baseline).input_tags
        tags.input_tags.sparse = reg.sparse and base.sparse
        tags.input_tags.allow_nan = reg.allow_nan and base.allow_nan
        tags.input_tags.three_d_array = reg.three_d_array and base.three_d_array
        tags.target_tags.multi_output = True
        tags.target_tags.required = True
        return tags
