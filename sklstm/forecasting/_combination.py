"""Forecast combination: the mean of several forecasters' forecasts."""

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from ..utils._compat import _BaseComposition, _fit_context

__all__ = ["CombinedForecaster"]


class CombinedForecaster(
    MetaEstimatorMixin, RegressorMixin, _BaseComposition, BaseEstimator
):
    """Forecast with the mean of several forecasters (a forecast combination).

    Each ``(name, estimator)`` of ``estimators`` is cloned and fitted on the
    same ``X`` and ``y``; ``predict`` returns the equally weighted mean of
    their predictions. The simple mean of a few good forecasts is one of the
    most robust findings of forecasting practice (Bates and Granger 1969; the
    M competitions): on AirPassengers the mean of the airline model and Ridge
    on lags of the seasonally differenced series scores better than either.
    :func:`sklstm.recipe.select_baseline` proposes such pairs and keeps one
    only when its cross-validated error beats every single candidate.

    Unlike :class:`sklearn.ensemble.VotingRegressor`, the members get ``X`` as
    it is (a DataFrame keeps its time index, so each member continues its own
    history), ``y`` may have one column per step ahead, and gaps (NaN) are
    left to the members.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The forecasters to combine, each a regressor of
        :func:`~sklstm.forecasting.make_supervised`'s rows with a name. Their
        parameters are reachable as ``<name>__<parameter>``.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted clones, in the order of ``estimators``.
    named_estimators_ : dict of str to estimator
        The fitted clones by name.
    n_features_in_ : int
        Number of columns of ``X`` in ``fit`` (as the first member saw them).
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of ``X`` in ``fit``, when the first member recorded them.

    See Also
    --------
    sklstm.compose.SeedAveragingRegressor : The mean of one model fitted with
        several seeds.
    sklstm.recipe.select_baseline : Chooses a combination by time-ordered CV.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import (
    ...     AirlineForecaster, CombinedForecaster, NaiveForecaster,
    ...     make_supervised)
    >>> X, y = make_supervised(load_airpassengers(), "passengers")
    >>> model = CombinedForecaster(estimators=[
    ...     ("naive", NaiveForecaster(target="passengers")),
    ...     ("airline", AirlineForecaster(m=12, target="passengers", log=True)),
    ... ]).fit(X[:120], y[:120])
    >>> pred = model.predict(X[120:])
    >>> members = [est.predict(X[120:]) for est in model.estimators_]
    >>> bool(abs(pred - (members[0] + members[1]) / 2).max() < 1e-9)
    True
    """

    _parameter_constraints: dict = {"estimators": [list, tuple]}

    def __init__(self, *, estimators=()):
        self.estimators = estimators

    def get_params(self, deep=True):
        """Parameters of this estimator and, with ``deep``, of its members.

        Parameters
        ----------
        deep : bool, default=True
            Also return the members (by name) and their parameters
            (``<name>__<parameter>``).

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        """Set parameters, of this estimator or of a member (``<name>__...``).

        Parameters
        ----------
        **params : dict
            Parameters to set.

        Returns
        -------
        self : CombinedForecaster
            This estimator.
        """
        self._set_params("estimators", **params)
        return self

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit a clone of every member on the same data.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Everything known at each time (a DataFrame keeps its time index).
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : CombinedForecaster
            Fitted estimator.
        """
        if not self.estimators:
            raise ValueError(
                f"estimators={self.estimators!r} must name at least one estimator."
            )
        names = [name for name, _ in self.estimators]
        self._validate_names(names)
        self.estimators_ = [clone(est).fit(X, y) for _, est in self.estimators]
        self.named_estimators_ = dict(zip(names, self.estimators_, strict=True))
        first = self.estimators_[0]
        self.n_features_in_ = first.n_features_in_
        if hasattr(first, "feature_names_in_"):
            self.feature_names_in_ = first.feature_names_in_
        return self

    def predict(self, X):
        """The mean of the members' predictions.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            The equally weighted mean forecast.
        """
        check_is_fitted(self)
        return np.mean([est.predict(X) for est in self.estimators_], axis=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        members = [get_tags(est) for _, est in self.estimators]
        tags.target_tags.multi_output = True  # one column of y per step ahead
        # gaps are the members' to handle, and so is a poor score on data that
        # is not a series (the estimator checks' random regressions)
        tags.input_tags.allow_nan = all(t.input_tags.allow_nan for t in members)
        tags.regressor_tags.poor_score = any(
            t.regressor_tags is not None and t.regressor_tags.poor_score
            for t in members
        )
        return tags
