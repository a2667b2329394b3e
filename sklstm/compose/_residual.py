"""Learn the residual of a baseline forecast instead of the level of the series."""

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from sklstm.utils._compat import HasMethods, _fit_context


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

    Attributes
    ----------
    baseline_ : estimator
        The fitted baseline.
    regressor_ : estimator
        The regressor fitted to the residuals.
    n_features_in_ : int
        Number of features seen by the baseline during fit.

    See Also
    --------
    sklearn.compose.TransformedTargetRegressor : A fixed transform of y alone.
    sklstm.forecasting.NaiveForecaster : The simplest baseline.

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
    }

    def __init__(self, *, regressor, baseline, log=False):
        self.regressor = regressor
        self.baseline = baseline
        self.log = log

    def _forward(self, values, name):
        values = np.asarray(values, dtype=np.float64)
        if not self.log:
            return values
        if not np.all(values > 0):
            raise ValueError(
                f"log=True needs strictly positive values, but {name} has minimum "
                f"{np.nanmin(values)!r}. Use log=False for series that reach 0 or "
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
        self.baseline_ = clone(self.baseline).fit(X, y)
        base = self.baseline_.predict(X)
        y_arr = np.asarray(y, dtype=np.float64)
        if np.shape(base) != y_arr.shape:
            base = np.reshape(base, y_arr.shape)
        residual = self._forward(y_arr, "y") - self._forward(base, "the baseline")
        self.regressor_ = clone(self.regressor).fit(X, residual, **fit_params)
        if hasattr(self.baseline_, "n_features_in_"):
            self.n_features_in_ = self.baseline_.n_features_in_
        if hasattr(self.baseline_, "feature_names_in_"):
            self.feature_names_in_ = self.baseline_.feature_names_in_
        return self

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
        check_is_fitted(self, "regressor_")
        base = np.asarray(self.baseline_.predict(X), dtype=np.float64)
        correction = np.asarray(self.regressor_.predict(X), dtype=np.float64)
        correction = np.reshape(correction, base.shape)
        if self.log:
            return base * np.exp(correction)
        return base + correction

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
