"""Choosing how much of the LSTM's correction to apply, from the search's own fits."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import check_scoring

from sklstm.utils import ProgressScorer

__all__ = ["SHRINKAGES"]

#: Shrinkages of the LSTM's correction that :func:`tune_lstm_forecaster` tries.
SHRINKAGES = (0.0, 0.25, 0.5, 0.75, 1.0)


class _Predicted(RegressorMixin, BaseEstimator):
    """Stands in for a fitted model whose predictions are already known."""

    def __init__(self, y_pred=None):
        self.y_pred = y_pred

    def fit(self, X, y=None):  # pragma: no cover - never fitted
        return self

    def predict(self, X):
        return self.y_pred


def _shrinkage_key(a):
    return f"shrinkage={a:g}"


def plain_scoring(scoring):
    """The score under a :class:`~sklstm.utils.ProgressScorer`, or ``scoring``."""
    return scoring.scoring if isinstance(scoring, ProgressScorer) else scoring


class _ShrinkageScores:
    """Score a fitted ResidualRegressor at every shrinkage, from one prediction.

    The baseline's forecast and the LSTM's correction are predicted once; each
    shrinkage a gives ``baseline + a * correction``, scored by ``scoring``.
    The scores come back as a dict, one metric per shrinkage, so that one
    ``GridSearchCV`` fit per candidate and fold chooses both.
    """

    def __init__(self, scoring, shrinkages):
        self.scoring = scoring
        self.shrinkages = shrinkages

    def __call__(self, estimator, X, y):
        plain = check_scoring(estimator, scoring=plain_scoring(self.scoring))
        base, correction = estimator._predict_parts(X)
        scores = {}
        for a in self.shrinkages:
            if a == 1 and isinstance(self.scoring, ProgressScorer):
                scores[_shrinkage_key(a)] = self.scoring(estimator, X, y)  # a line
                continue
            y_pred = estimator._combine(base, correction, a)
            scores[_shrinkage_key(a)] = plain(_Predicted(y_pred), X, y)
        return scores


class _BestShrunk:
    """``refit`` of the recipe's search: the best candidate at its best shrinkage."""

    def __init__(self, shrinkages):
        self.shrinkages = shrinkages

    def table(self, cv_results):
        return np.column_stack(
            [cv_results[f"mean_test_{_shrinkage_key(a)}"] for a in self.shrinkages]
        )

    def __call__(self, cv_results):
        table = self.table(cv_results)
        return int(np.unravel_index(np.nanargmax(table), table.shape)[0])


def apply_best_shrinkage(search, refit, shrinkages, scoring):
    """Set the chosen shrinkage on the refitted search, and score it plainly.

    The refit chose the row of ``cv_results_``; the column of its best score
    is the shrinkage. ``search.score(X, y)`` then scores the chosen model with
    the plain score.
    """
    table = refit.table(search.cv_results_)
    column = int(np.nanargmax(table[search.best_index_]))
    shrinkage = float(shrinkages[column])
    search.best_estimator_.set_params(shrinkage=shrinkage)
    search.best_params_ = {**search.best_params_, "shrinkage": shrinkage}
    search.best_score_ = float(table[search.best_index_, column])
    search.scorer_ = check_scoring(
        search.best_estimator_, scoring=plain_scoring(scoring)
    )
    search.multimetric_ = False
    return search
