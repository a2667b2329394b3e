"""The tuned recipe as an estimator a user can hold: ``fit`` runs the whole search."""

from numbers import Integral

import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from sklstm.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    validate_data,
)

from ._shrinkage import SHRINKAGES
from ._tune import DEFAULT_PARAM_GRIDS, _resolve_log, tune_lstm_forecaster

__all__ = ["TunedLSTMForecaster"]

_BASELINES = {"auto", "naive", "seasonal", "ridge", "airline"}


class TunedLSTMForecaster(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """sklstm's recipe, tuned by time-ordered cross-validation inside ``fit``.

    ``fit`` runs :func:`tune_lstm_forecaster` on the rows it is given: it
    chooses the baseline the LSTM corrects, the network and the share of its
    correction by validation on time-ordered folds of those rows only, then
    refits the best settings on all of them; ``predict`` forecasts with that
    model. Because the whole procedure is one estimator, it can be backtested
    with :func:`~sklstm.forecasting.evaluate_forecaster`, wrapped in
    :class:`~sklstm.forecasting.ConformalForecaster` (which calibrates the
    chosen settings in the log space the search chose) or put in
    :func:`~sklearn.model_selection.cross_validate`, with no choice seeing a
    validation or test row.

    Read more in the :ref:`User Guide <tuned_recipe>`.

    Parameters
    ----------
    target : str or int, default=0
        The target column of X (a name, or a position for arrays).
    m : int or sequence of int, default=1
        Seasonal period(s) (see :func:`make_lstm_forecaster`).
    log : bool or "auto", default="auto"
        Log space; "auto": when every known value of the target is strictly
        positive (see :func:`tune_lstm_forecaster` for a panel where some
        series touch 0). ``log_`` holds the choice.
    baseline : {"auto", "naive", "seasonal", "ridge", "airline"} or estimator, \
default="auto"
        What the LSTM corrects; "auto" chooses by validation
        (:func:`select_baseline`).
    budget : {"quick", "default"}, default="default"
        Which grid of :data:`DEFAULT_PARAM_GRIDS` to search.
    param_grid : dict or list of dict, default=None
        A grid of your own instead of the budget's.
    n_seeds : int, default=None
        Networks averaged in every fit; None: the budget's.
    shrinkages : sequence of float >= 0, default=(0, 0.25, 0.5, 0.75, 1)
        Shares of the LSTM's correction to choose from by validation score.
    n_splits : int, default=3
        Number of time-ordered validation folds.
    scoring : str or callable, default="neg_mean_absolute_error"
        Model selection score (see :func:`tune_lstm_forecaster`).
    random_state : int, default=0
        Draws the seeds of every LSTM fitted.
    n_jobs : int, default=None
        Fits run at once, in threads of this process.
    verbose : int, default=0
        0: silent; 1: one line per finished fit; 2 or more: also
        ``GridSearchCV``'s messages.
    lstm_params : dict, default=None
        Fixed parameters of :func:`make_lstm_forecaster` and its LSTM (e.g.
        ``{"epochs": 20, "scale_by_series": True}``): what
        :func:`tune_lstm_forecaster` takes as ``**lstm_params``.

    Attributes
    ----------
    search_ : GridSearchCV
        The fitted search (with ``baseline_scores_``).
    best_estimator_ : estimator
        The best settings refitted on all rows of ``fit``; it predicts.
    best_params_ : dict
        The chosen grid values and ``"shrinkage"``.
    best_score_ : float
        Their mean validation score.
    cv_results_ : dict
        The search's results, one score per shrinkage.
    baseline_scores_ : dict or None
        Validation MAE of every baseline tried (``baseline="auto"``).
    log_ : bool
        Whether the recipe works in log space.
    n_features_in_ : int
        Number of columns of X in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of X in ``fit``, when it is a DataFrame with string names.

    See Also
    --------
    tune_lstm_forecaster : The search, as a function returning it.
    make_lstm_forecaster : The estimator searched.
    sklstm.forecasting.evaluate_forecaster : Backtest it under the protocol.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import train_test_split_series
    >>> from sklstm.recipe import TunedLSTMForecaster
    >>> X_train, X_test, y_train, y_test = train_test_split_series(
    ...     load_airpassengers(), "passengers", n_test=36)
    >>> model = TunedLSTMForecaster(
    ...     target="passengers", m=12, n_splits=2,
    ...     param_grid={"regressor__lstm__estimator__units": [2, 4]},
    ...     lstm_params={"epochs": 2})
    >>> model.fit(X_train, y_train).log_
    True
    >>> sorted(model.best_params_)
    ['regressor__lstm__estimator__units', 'shrinkage']
    >>> model.predict(X_test).shape
    (36,)
    """

    _parameter_constraints: dict = {
        "target": [str, Interval(Integral, 0, None, closed="left")],
        "m": [Interval(Integral, 1, None, closed="left"), list, tuple],
        "log": ["boolean", StrOptions({"auto"})],
        "baseline": [StrOptions(_BASELINES), HasMethods(["fit", "predict"])],
        "budget": [StrOptions(set(DEFAULT_PARAM_GRIDS))],
        "param_grid": [dict, list, None],
        "n_seeds": [Interval(Integral, 1, None, closed="left"), None],
        "shrinkages": ["array-like"],
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "scoring": [str, callable],
        "random_state": [Interval(Integral, 0, None, closed="left")],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
        "lstm_params": [dict, None],
    }

    def __init__(
        self,
        *,
        target=0,
        m=1,
        log="auto",
        baseline="auto",
        budget="default",
        param_grid=None,
        n_seeds=None,
        shrinkages=SHRINKAGES,
        n_splits=3,
        scoring="neg_mean_absolute_error",
        random_state=0,
        n_jobs=None,
        verbose=0,
        lstm_params=None,
    ):
        self.target = target
        self.m = m
        self.log = log
        self.baseline = baseline
        self.budget = budget
        self.param_grid = param_grid
        self.n_seeds = n_seeds
        self.shrinkages = shrinkages
        self.n_splits = n_splits
        self.scoring = scoring
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.lstm_params = lstm_params

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Tune the recipe on ``X``, ``y``; the best settings are refitted on them.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            Rows of :func:`~sklstm.forecasting.make_supervised`, with a time
            index (or a panel's (series, time) MultiIndex).
        y : Series or DataFrame of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : TunedLSTMForecaster
            Fitted estimator.
        """
        if y is None:
            raise ValueError(
                "TunedLSTMForecaster requires y to be passed, but the target y is None."
            )
        X, y = self._checked(X, y)
        self.log_ = _resolve_log(self.log, X, y, self.target)
        self.search_ = tune_lstm_forecaster(
            X,
            y,
            target=self.target,
            m=self.m,
            log=self.log,  # "auto" also chooses log space per series (airline)
            baseline=self.baseline,
            budget=self.budget,
            param_grid=self.param_grid,
            n_seeds=self.n_seeds,
            shrinkages=self.shrinkages,
            n_splits=self.n_splits,
            scoring=self.scoring,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            **(self.lstm_params or {}),
        )
        return self

    def _checked(self, X, y):
        """X and y checked; pandas objects as given (the search needs X's index)."""
        X_array, y_array = validate_data(
            self, X, y, ensure_all_finite="allow-nan", multi_output=True, y_numeric=True
        )
        minimum = 2 * (self.n_splits + 1)
        if len(X_array) < minimum:
            raise ValueError(
                f"n_samples={len(X_array)} is too few for n_splits={self.n_splits} "
                f"time-ordered folds: at least {minimum} rows are needed."
            )
        self._check_target(X)
        pandas = (pd.Series, pd.DataFrame)
        return (
            X if isinstance(X, pd.DataFrame) else X_array,
            y if isinstance(y, pandas) else y_array,
        )

    def _check_target(self, X):
        columns = getattr(X, "columns", None)
        if isinstance(self.target, str):
            if columns is None or self.target not in columns:
                allowed = (
                    "none: X has no column names" if columns is None else list(columns)
                )
                raise ValueError(
                    f"target={self.target!r} is not a column of X; allowed: {allowed}."
                )
        elif self.target >= self.n_features_in_:
            raise ValueError(
                f"target={self.target!r} is not a column position of X, which has "
                f"{self.n_features_in_} column(s)."
            )

    @property
    def best_estimator_(self):
        """The best settings refitted on all rows of ``fit``."""
        return self.search_.best_estimator_

    @property
    def best_params_(self):
        """The chosen grid values and ``"shrinkage"``."""
        return self.search_.best_params_

    @property
    def best_score_(self):
        """The mean validation score of the chosen settings."""
        return self.search_.best_score_

    @property
    def cv_results_(self):
        """The search's results, one score per shrinkage."""
        return self.search_.cv_results_

    @property
    def baseline_scores_(self):
        """Validation MAE of every baseline tried (None: a baseline was given)."""
        return self.search_.baseline_scores_

    def predict(self, X):
        """Forecast with the best settings.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            Rows in the framing of ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            The forecasts.
        """
        check_is_fitted(self)
        X_array = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        return self.best_estimator_.predict(
            X if isinstance(X, pd.DataFrame) else X_array
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # the recipe imputes its inputs
        tags.target_tags.multi_output = True  # one column of y per step ahead
        tags.non_deterministic = False
        return tags
