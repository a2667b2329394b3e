"""Forecast combination: the mean of several forecasters' forecasts."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from ..utils._compat import _BaseComposition, _fit_context
from ..utils._panel import collect_unseen

__all__ = ["CombinedForecaster", "SeriesChoiceForecaster"]


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
        self._validate_names([name for name, _ in self.estimators])
        return self._set_members([clone(est).fit(X, y) for _, est in self.estimators])

    def _set_members(self, fitted):
        """Take ``fitted`` (one fitted clone per member, in order) as the fit.

        ``fit`` ends here; :func:`sklstm.recipe.tune_lstm_forecaster` also
        comes here with the members that baseline selection fitted on a fold.
        """
        names = [name for name, _ in self.estimators]
        self.estimators_ = list(fitted)
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
        with collect_unseen():  # the members' fallbacks, said once
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


def _member_names(value, allowed, name):
    """``value`` (a member's name or a sequence of them) as a tuple, checked."""
    names = (value,) if isinstance(value, str) else tuple(value)
    unknown = [n for n in names if n not in allowed]
    if not names or unknown:
        raise ValueError(
            f"{name}={value!r} must be the name of a member of estimators, or a "
            f"non-empty list of them; the members are {sorted(allowed)}."
        )
    return names


class SeriesChoiceForecaster(CombinedForecaster):
    """Forecast each series of a panel with the forecaster(s) chosen for it.

    Every ``(name, estimator)`` of ``estimators`` is cloned and fitted once on
    the whole panel (a per-series forecaster such as
    :class:`AirlineForecaster` fits each series on its own; a pooled one such
    as :class:`RidgeLagForecaster` fits all series together). ``predict``
    gives each series the forecast of the member ``choices`` names for it,
    or the mean of the members it lists. Series that ``choices`` does not
    name, and the rows of a single series (no (series, time) MultiIndex), get
    ``default``. :func:`sklstm.recipe.select_baseline` builds one when a
    choice per series scores better in validation than one for all.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The forecasters, each a regressor of
        :func:`~sklstm.forecasting.make_supervised`'s rows with a name. Their
        parameters are reachable as ``<name>__<parameter>``.
    choices : dict or None, default=None
        Series label (the first level of a panel's index) to a member's name,
        or to a list of names whose forecasts are averaged. None: every series
        gets ``default``.
    default : str, list of str or None, default=None
        The member(s) for the series ``choices`` does not name. None: the mean
        of all members.

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
    CombinedForecaster : The mean of several forecasters for every series.
    sklstm.recipe.select_baseline : Chooses per series by time-ordered CV.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklstm.forecasting import (
    ...     NaiveForecaster, SeasonalNaiveForecaster, SeriesChoiceForecaster,
    ...     make_supervised, to_panel)
    >>> t = np.arange(48)
    >>> long = pd.DataFrame({
    ...     "store": np.repeat(["a", "b"], 48),
    ...     "month": np.tile(pd.date_range("2020-01", periods=48, freq="MS"), 2),
    ...     "sales": np.r_[10.0 + t, 10.0 + 5 * np.sin(2 * np.pi * t / 12)]})
    >>> X, y = make_supervised(to_panel(long, "store", "month"), "sales")
    >>> model = SeriesChoiceForecaster(
    ...     estimators=[("naive", NaiveForecaster(target="sales")),
    ...                 ("seasonal", SeasonalNaiveForecaster(m=12, target="sales"))],
    ...     choices={"a": "naive", "b": "seasonal"}).fit(X, y)
    >>> pred = model.predict(X)
    >>> bool(np.allclose(pred[:47], model.named_estimators_["naive"].predict(X)[:47]))
    True
    """

    _parameter_constraints: dict = {
        "estimators": [list, tuple],
        "choices": [dict, None],
        "default": [str, list, tuple, None],
    }

    def __init__(self, *, estimators=(), choices=None, default=None):
        self.estimators = estimators
        self.choices = choices
        self.default = default

    def _rules(self):
        """The checked ``default`` and ``choices``, as tuples of member names."""
        allowed = [name for name, _ in self.estimators]
        default = (
            tuple(allowed)
            if self.default is None
            else _member_names(self.default, allowed, "default")
        )
        choices = {
            label: _member_names(value, allowed, f"choices[{label!r}]")
            for label, value in (self.choices or {}).items()
        }
        return default, choices

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit a clone of every member on the whole panel.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            A panel (a (series, time) MultiIndex) or one series.
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : SeriesChoiceForecaster
            Fitted estimator.
        """
        if self.estimators:
            self._rules()  # a name that is no member: said before any fit
        return super().fit(X, y)

    def predict(self, X):
        """Each series' forecast from its chosen member(s).

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            Each row's forecast, by its series' choice.
        """
        check_is_fitted(self)
        default, choices = self._rules()
        index = getattr(X, "index", None)
        labels = (
            index.get_level_values(0)
            if isinstance(index, pd.MultiIndex) and index.nlevels == 2
            else None
        )
        if labels is None:  # one series: the default member(s), as they are
            return np.mean([self.named_estimators_[n].predict(X) for n in default], 0)
        rules = [choices.get(label, default) for label in labels]
        needed = sorted({name for rule in rules for name in rule} | set(default))
        with collect_unseen():  # the members' fallbacks, said once
            members = {
                name: np.asarray(self.named_estimators_[name].predict(X), dtype=float)
                for name in needed
            }
        distinct = {rule: code for code, rule in enumerate(dict.fromkeys(rules))}
        codes = np.array([distinct[rule] for rule in rules], dtype=int)
        pred = np.empty_like(members[needed[0]])
        for rule, code in distinct.items():
            rows = codes == code
            pred[rows] = np.mean([members[n][rows] for n in rule], axis=0)
        return pred
