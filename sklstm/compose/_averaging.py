"""Average copies of one regressor that differ only in their random seed."""

from numbers import Integral

import joblib
import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklstm.utils._compat import HasMethods, Interval, _fit_context

__all__ = ["SeedAveragingRegressor"]

_MAX_SEED = np.iinfo(np.int32).max


def _estimator_has(name):
    """Whether the copies (or, before fit, the estimator) have method ``name``."""

    def check(self):
        fitted = getattr(self, "estimators_", None)
        return hasattr(fitted[0] if fitted else self.estimator, name)

    return check


def _seed_keys(estimator):
    """The ``get_params`` names of every ``random_state`` inside ``estimator``."""
    return sorted(
        key
        for key in estimator.get_params(deep=True)
        if key == "random_state" or key.endswith("__random_state")
    )


class SeedAveragingRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Fit several copies of a regressor with different seeds and average them.

    A network's test error moves with its seed (initial weights, dropout masks,
    batch order) by as much as the gaps between models worth choosing. Averaging
    the predictions of ``n_estimators`` copies trained with different seeds
    removes much of that spread; unlike bagging, every copy sees all the data.

    Parameters
    ----------
    estimator : estimator
        The regressor to copy. Every parameter named ``random_state`` inside it
        (its own and, for a Pipeline or meta-estimator, its steps') is set to
        the copy's seed; its other parameters are kept.
    n_estimators : int, default=3
        Number of copies. 1 fits one copy (with the first seed).
    random_state : int, RandomState instance or None, default=None
        Draws the copies' seeds. An int gives the same seeds every time.
    n_jobs : int or None, default=None
        Copies fitted at once, in threads of this process (never worker
        processes: the copies of a network share the process's TensorFlow
        and its traced graphs). None means 1, -1 one per core. Each copy's
        fit depends on its seed alone, so the fitted copies are the same for
        every ``n_jobs``; on a CPU, copies of :class:`~sklstm.LSTMRegressor`
        side by side take less time than one after the other
        (``benchmarks/engine.py --only seed-threads``).

    Attributes
    ----------
    estimators_ : list of estimator
        The fitted copies.
    seeds_ : ndarray of shape (n_estimators,)
        The seed of each copy.
    n_features_in_ : int
        Number of features seen during fit (when the estimator reports it).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit (when the estimator reports them).

    See Also
    --------
    sklearn.ensemble.VotingRegressor : Averages different estimators.
    sklearn.ensemble.BaggingRegressor : Averages copies fitted to resamples.
    ResidualRegressor : The recipe averages the LSTM inside it.

    Notes
    -----
    The seeds are drawn from ``random_state`` as scikit-learn's ensembles draw
    theirs: ``check_random_state(random_state).randint(2**31 - 1, size=n)``.
    An estimator without any ``random_state`` gives ``n_estimators`` identical
    copies; that is allowed but only costs time.

    ``fit`` passes ``sample_weight`` and its other keyword arguments to every
    copy's ``fit``.

    With copies that predict quantiles (``LSTMRegressor(loss="quantile")``),
    :meth:`predict_quantiles` averages them level by level (quantile
    averaging, or Vincentization, the usual way to combine quantile
    forecasts) and :meth:`predict_interval` averages the copies' bounds,
    which are those quantiles. Both exist only when the estimator has them.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sklstm.compose import SeedAveragingRegressor
    >>> X = np.linspace(0, 1, 40).reshape(-1, 1)
    >>> y = np.sin(6 * X.ravel())
    >>> model = SeedAveragingRegressor(
    ...     estimator=MLPRegressor(hidden_layer_sizes=(8,), max_iter=50),
    ...     n_estimators=3, random_state=0)
    >>> import warnings; warnings.simplefilter("ignore")  # MLP convergence
    >>> model.fit(X, y).predict(X[:2]).shape
    (2,)
    >>> len(model.estimators_), len(set(model.seeds_))
    (3, 3)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, estimator, n_estimators=3, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit ``n_estimators`` copies of the estimator, each with its own seed.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Inputs, passed unchanged to every copy.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to every copy's ``fit`` when given.
        **fit_params : dict
            Passed to every copy's ``fit``.

        Returns
        -------
        self : SeedAveragingRegressor
            The fitted estimator.
        """
        if y is None:
            raise ValueError(
                "SeedAveragingRegressor requires y to be passed, but the target y "
                "is None."
            )
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        rng = check_random_state(self.random_state)
        self.seeds_ = rng.randint(_MAX_SEED, size=self.n_estimators)
        keys = _seed_keys(self.estimator)
        copies = [
            clone(self.estimator).set_params(**{key: int(seed) for key in keys})
            for seed in self.seeds_
        ]
        # threads: the copies share this process's TensorFlow and traced
        # graphs; each fit depends on its own seed only
        self.estimators_ = joblib.Parallel(n_jobs=self.n_jobs, backend="threading")(
            joblib.delayed(copy.fit)(X, y, **fit_params) for copy in copies
        )
        first = self.estimators_[0]
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(first, name):
                setattr(self, name, getattr(first, name))
        return self

    def predict(self, X):
        """Average the copies' predictions.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Inputs.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The mean of the copies' predictions.
        """
        return self._mean_of("predict", X)

    def _mean_of(self, method, *args, **kwargs):
        check_is_fitted(self, "estimators_")
        total = None
        for estimator in self.estimators_:
            out = getattr(estimator, method)(*args, **kwargs)
            out = np.asarray(out, dtype=np.float64)
            total = out if total is None else total + out
        return total / len(self.estimators_)

    @available_if(_estimator_has("predict_quantiles"))
    def predict_quantiles(self, X):
        """Average the copies' predicted quantiles, level by level.

        Available when the estimator has ``predict_quantiles``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Inputs.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, [n_outputs,] n_quantiles)
            The mean of the copies' quantiles, sorted along the last axis
            (the mean of sorted quantiles is sorted already; sorting only
            guards against rounding).

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm import LSTMRegressor
        >>> from sklstm.compose import SeedAveragingRegressor
        >>> rng = np.random.RandomState(0)
        >>> X, y = rng.normal(size=(48, 4, 1)), rng.normal(size=48)
        >>> model = SeedAveragingRegressor(
        ...     estimator=LSTMRegressor(loss="quantile", units=2, epochs=1),
        ...     n_estimators=2, random_state=0).fit(X, y)
        >>> model.predict_quantiles(X[:5]).shape
        (5, 3)
        >>> model.predict_interval(X[:5], coverage=0.9).shape
        (5, 2)
        """
        return np.sort(self._mean_of("predict_quantiles", X), axis=-1)

    @available_if(_estimator_has("predict_interval"))
    def predict_interval(self, X, coverage=0.9):
        """Average the copies' prediction intervals, bound by bound.

        For copies whose bounds are predicted quantiles, these are the bounds
        of the averaged quantiles (:meth:`predict_quantiles`). Available when
        the estimator has ``predict_interval``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Inputs.
        coverage : float or sequence of float, default=0.9
            Nominal coverage(s), passed to every copy's ``predict_interval``.

        Returns
        -------
        y_pis : ndarray of shape (n_samples, [n_outputs,] 2[, n_coverages])
            The mean of the copies' lower and upper bounds, laid out as theirs.

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm import LSTMRegressor
        >>> from sklstm.compose import SeedAveragingRegressor
        >>> hasattr(SeedAveragingRegressor(estimator=LSTMRegressor()),
        ...         "predict_interval")
        False
        >>> rng = np.random.RandomState(0)
        >>> X, y = rng.normal(size=(48, 4, 1)), rng.normal(size=(48, 2))
        >>> model = SeedAveragingRegressor(
        ...     estimator=LSTMRegressor(loss="quantile", units=2, epochs=1),
        ...     n_estimators=2, random_state=0).fit(X, y)
        >>> model.predict_interval(X[:5], coverage=[0.9]).shape
        (5, 2, 2, 1)
        """
        return self._mean_of("predict_interval", X, coverage=coverage)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.three_d_array = inner.input_tags.three_d_array
        tags.target_tags.multi_output = inner.target_tags.multi_output
        tags.target_tags.single_output = inner.target_tags.single_output
        tags.target_tags.required = True
        tags.regressor_tags.poor_score = inner.regressor_tags is not None and (
            inner.regressor_tags.poor_score
        )
        tags.non_deterministic = inner.non_deterministic
        return tags
