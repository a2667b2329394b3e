"""The tuning of the recipe as one estimator: ``fit`` runs the whole search.

:func:`~sklstm.forecasting.evaluate_forecaster` fits a clone of an estimator on
the train part; wrapping :func:`tune_lstm_forecaster` in one lets it score the
whole procedure (every choice made inside the train part) under the accuracy
protocol. ``sklstm forecast`` backtests the recipe with it; it tunes exactly
as ``benchmarks/accuracy.py``'s ``_Tuned`` does for the same target, m,
budget and seed (that one also takes any other argument of the search, for
the benchmarks that vary them).
"""

from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from ._tune import tune_lstm_forecaster

__all__ = ["_TunedRecipe"]


class _TunedRecipe(RegressorMixin, BaseEstimator):
    """:func:`tune_lstm_forecaster` on the rows given to ``fit``.

    Parameters
    ----------
    target, m, budget, random_state, n_jobs, verbose
        Passed to :func:`tune_lstm_forecaster`.

    Attributes
    ----------
    search_ : GridSearchCV
        The fitted search; ``best_estimator_`` (also an attribute of this
        wrapper) predicts.

    Examples
    --------
    >>> from sklstm.recipe._tuned import _TunedRecipe
    >>> _TunedRecipe(target="y", m=12, budget="quick").get_params()["budget"]
    'quick'
    """

    def __init__(
        self, *, target, m=1, budget="default", random_state=0, n_jobs=None, verbose=0
    ):
        self.target = target
        self.m = m
        self.budget = budget
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X, y):
        """Tune the recipe on ``X``, ``y``; the best model is refitted on them."""
        self.search_ = tune_lstm_forecaster(
            X,
            y,
            target=self.target,
            m=self.m,
            budget=self.budget,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
        )
        return self

    @property
    def best_estimator_(self):
        """The refitted best model (what ConformalForecaster calibrates)."""
        return self.search_.best_estimator_

    def predict(self, X):
        """The best model's forecasts."""
        check_is_fitted(self)
        return self.search_.best_estimator_.predict(X)
