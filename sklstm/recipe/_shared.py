"""One fit of the recipe's baseline per fold, shared by every candidate of a search.

In :func:`~sklstm.recipe.tune_lstm_forecaster` every candidate network of the
grid corrects the same baseline, and each of them refits it on the same fold:
8 candidates refit it 8 times on every fold. :class:`_SharedBaseline` fits it
once per distinct training set and hands the same fitted model to every later
fit on those rows. A fitted baseline is only read afterwards (``predict``), so
sharing it changes no prediction. With ``baseline="auto"`` the folds do not fit
it at all: selection scored the chosen baseline on the same folds, and
:func:`seed_baseline` hands those fits over.
"""

import collections
import threading
import uuid

import joblib
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils import _safe_indexing, get_tags

__all__ = []

# Fitted baselines by (search token, fingerprint of the training data). Each
# search empties its own entries when it ends; the bound keeps a process that
# never does (a worker of an interrupted search) from growing.
_CACHE_SIZE = 32
_CACHE = collections.OrderedDict()
_LOCK = threading.Lock()


def _index_hashes(index):
    """One 64-bit hash per label of a pandas index, computed vectorized.

    ``np.asarray`` of a panel's (series, time) MultiIndex is an object array
    of tuples, which ``joblib.hash`` pickles one by one: 0.5 s per fit on the
    48,140 rows of ``load_us_employment``. pandas hashes the levels' codes.
    """
    return pd.util.hash_pandas_object(index, index=False).to_numpy()


def _store(key, fitted):
    """Keep ``fitted`` under ``key``, dropping the oldest fits past the bound."""
    with _LOCK:
        _CACHE[key] = fitted
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def _fingerprint(X, y):
    """A hash of the training rows: their values, index and column names."""
    parts = []
    for data in (X, y):
        if isinstance(data, (pd.Series, pd.DataFrame)):  # the index and names too
            names = getattr(data, "columns", [getattr(data, "name", None)])
            parts += [_index_hashes(data.index), [str(c) for c in names]]
        parts.append(np.asarray(data))
    return joblib.hash(parts)


class _SharedBaseline(RegressorMixin, BaseEstimator):
    """Fit ``estimator`` once per training set within the search ``token``.

    Parameters
    ----------
    estimator : estimator
        The baseline.
    token : str
        The search whose fits are shared; fits are never shared across tokens.

    Attributes
    ----------
    estimator_ : estimator
        The fitted baseline (the same object for every fit on the same rows).
    """

    def __init__(self, *, estimator, token):
        self.estimator = estimator
        self.token = token

    def fit(self, X, y):
        key = (self.token, _fingerprint(X, y))
        with _LOCK:
            fitted = _CACHE.get(key)
            if fitted is not None:
                _CACHE.move_to_end(key)
        if fitted is None:
            fitted = clone(self.estimator).fit(X, y)
            _store(key, fitted)
        self.estimator_ = fitted
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(fitted, name):
                setattr(self, name, getattr(fitted, name))
        return self

    def predict(self, X):
        return self.estimator_.predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags = inner.input_tags
        tags.target_tags = inner.target_tags
        return tags


def share_baseline(estimator):
    """``estimator`` (a ResidualRegressor) with its baseline fitted once per fold.

    Returns the estimator, changed in place, and the token of its fits.
    """
    token = uuid.uuid4().hex
    estimator.set_params(
        baseline=_SharedBaseline(estimator=estimator.baseline, token=token)
    )
    return estimator, token


def seed_baseline(token, X, y, fits):
    """Hand the search ``token`` baselines already fitted on its folds' rows.

    ``fits``: ``(train, fitted)`` pairs, ``fitted`` a clone of the search's
    baseline fitted on ``X`` and ``y`` at the positions ``train``
    (:func:`~._selection._select_baseline_fits` scored them). A fold of the
    search that fits its baseline on the same rows takes it instead of a
    new fit; any other rows fit as before.
    """
    for train, fitted in fits:
        rows = _fingerprint(_safe_indexing(X, train), _safe_indexing(y, train))
        _store((token, rows), fitted)


def unshare_baseline(search, token):
    """Put the plain baseline back into the search's estimators; drop its fits.

    ``best_estimator_`` then holds the baseline as given and, fitted on all
    rows, as ``baseline_``, exactly as without sharing.
    """
    with _LOCK:
        for key in [k for k in _CACHE if k[0] == token]:
            del _CACHE[key]
    for est in (search.estimator, getattr(search, "best_estimator_", None)):
        if est is None or not isinstance(est.baseline, _SharedBaseline):
            continue
        if hasattr(est, "baseline_"):
            est.baseline_ = est.baseline_.estimator_
        est.set_params(baseline=est.baseline.estimator)
    return search
