"""The recipe's search fits its baseline once per fold and shares it."""

from numpy.testing import assert_array_equal
from sklearn.base import clone

import sklstm.recipe._tune as tune
from sklstm.datasets import load_airpassengers
from sklstm.forecasting import (
    AirlineForecaster,
    CombinedForecaster,
    RidgeLagForecaster,
    train_test_split_series,
)
from sklstm.recipe import tune_lstm_forecaster
from sklstm.recipe._folds import recipe_folds
from sklstm.recipe._shared import _CACHE, _SharedBaseline


def _data():
    return train_test_split_series(load_airpassengers(), "passengers", n_test=36)


def _baseline():
    return CombinedForecaster(
        estimators=[
            ("airline", AirlineForecaster(m=12, target="passengers", log=True)),
            ("ridge", RidgeLagForecaster(n_lags=12, target="passengers")),
        ]
    )


def test_shared_fit_predicts_exactly_as_a_refit_per_fold():
    X, X_test, y, _ = _data()
    shared = _SharedBaseline(estimator=_baseline(), token="t-exact")
    try:
        for train, test in recipe_folds(X, 3).split(X):
            Xtr, ytr, Xte = X.iloc[train], y.iloc[train], X.iloc[test]
            first = clone(shared).fit(Xtr, ytr)
            second = clone(shared).fit(Xtr, ytr)
            plain = clone(_baseline()).fit(Xtr, ytr)
            # one fit per fold, shared by the later ones
            assert second.estimator_ is first.estimator_
            for rows in (Xtr, Xte):
                assert_array_equal(second.predict(rows), plain.predict(rows))
        # other rows: another fit
        a = clone(shared).fit(X.iloc[:60], y.iloc[:60])
        b = clone(shared).fit(X.iloc[:61], y.iloc[:61])
        assert a.estimator_ is not b.estimator_
        # another search: never shared
        c = _SharedBaseline(estimator=_baseline(), token="t-other")
        assert c.fit(X.iloc[:60], y.iloc[:60]).estimator_ is not a.estimator_
        assert_array_equal(
            clone(_baseline()).fit(X, y).predict(X_test),
            clone(shared).fit(X, y).predict(X_test),
        )
    finally:
        _CACHE.clear()


def _search(X, y, monkeypatch, share):
    import sklstm.recipe as recipe

    monkeypatch.setitem(recipe._build._LSTM_DEFAULTS, "epochs", 2)
    if not share:
        monkeypatch.setattr(tune, "share_baseline", lambda est: (est, "none"))
    return tune_lstm_forecaster(
        X,
        y,
        target="passengers",
        m=12,
        log=True,
        baseline=_baseline(),
        param_grid={"regressor__lstm__estimator__units": [2, 3]},
        n_splits=2,
    )


def test_search_with_a_shared_baseline_scores_as_without(monkeypatch):
    X, X_test, y, _ = _data()
    with monkeypatch.context() as m:
        plain = _search(X, y, m, share=False)
    with monkeypatch.context() as m:
        shared = _search(X, y, m, share=True)
    for key, values in plain.cv_results_.items():
        if key.startswith(("mean_test", "split", "rank")):
            assert_array_equal(shared.cv_results_[key], values, err_msg=key)
    assert shared.best_params_ == plain.best_params_
    assert shared.best_score_ == plain.best_score_
    # the plain baseline is back in the results, fitted on all rows
    for search in (shared, plain):
        model = search.best_estimator_
        assert isinstance(model.baseline, CombinedForecaster)
        assert isinstance(model.baseline_, CombinedForecaster)
    assert_array_equal(shared.predict(X_test), plain.predict(X_test))
    # the search left no fit behind
    assert not _CACHE


def test_shared_baseline_keeps_the_estimators_tags():
    from sklearn.utils import get_tags

    shared = _SharedBaseline(estimator=_baseline(), token="t")
    assert get_tags(shared).input_tags.allow_nan == (
        get_tags(_baseline()).input_tags.allow_nan
    )
    assert get_tags(shared).target_tags.multi_output


def test_fingerprint_tells_panels_apart_by_series_and_time():
    import numpy as np
    import pandas as pd

    from sklstm.recipe._shared import _fingerprint

    def panel(labels, start="2020-01"):
        times = pd.date_range(start, periods=4, freq="MS")
        index = pd.MultiIndex.from_product([labels, times], names=["s", "t"])
        X = pd.DataFrame({"v": np.arange(8.0)}, index=index)
        return X, X["v"].rename("y")

    base = _fingerprint(*panel(["a", "b"]))
    assert _fingerprint(*panel(["a", "b"])) == base
    # the same values under other series labels or other time stamps
    assert _fingerprint(*panel(["a", "c"])) != base
    assert _fingerprint(*panel(["a", "b"], start="2021-01")) != base
    # a single series' time index counts too
    X, y = panel(["a", "b"])
    one = X.xs("a", level=0), y.xs("a", level=0)
    shifted = (
        one[0].set_axis(one[0].index + pd.DateOffset(months=1)),
        one[1].set_axis(one[1].index + pd.DateOffset(months=1)),
    )
    assert _fingerprint(*one) != _fingerprint(*shifted)


def _auto_search(X, y, monkeypatch, seed):
    """The recipe's search with the baseline chosen by selection."""
    import sklstm.recipe as recipe
    import sklstm.recipe._shared as shared

    monkeypatch.setitem(recipe._build._LSTM_DEFAULTS, "epochs", 2)
    if not seed:
        monkeypatch.setattr(tune, "seed_baseline", lambda *args: None)
    taken = []  # per baseline fit of the search: a fit handed over, or a new one
    fit = shared._SharedBaseline.fit

    def recording_fit(self, X, y):
        taken.append((self.token, shared._fingerprint(X, y)) in _CACHE)
        return fit(self, X, y)

    monkeypatch.setattr(shared._SharedBaseline, "fit", recording_fit)
    search = tune_lstm_forecaster(
        X,
        y,
        target="passengers",
        m=12,
        log=True,
        param_grid={"regressor__lstm__estimator__units": [2, 3]},
        n_splits=2,
    )
    return search, taken


def test_search_takes_the_baselines_selection_fitted_on_its_folds(monkeypatch):
    X, X_test, y, _ = _data()
    with monkeypatch.context() as m:
        plain, plain_taken = _auto_search(X, y, m, seed=False)
    with monkeypatch.context() as m:
        seeded, seeded_taken = _auto_search(X, y, m, seed=True)
    # 2 candidates x 2 folds, then the refit on all rows: without the
    # selection's fits each fold fits once and shares it; with them, no fold
    # fits its baseline again
    assert plain_taken == [False, False, True, True, False]
    assert seeded_taken == [True, True, True, True, False]
    for key, values in plain.cv_results_.items():
        if key.startswith(("mean_test", "split", "rank")):
            assert_array_equal(seeded.cv_results_[key], values, err_msg=key)
    assert seeded.best_params_ == plain.best_params_
    assert_array_equal(seeded.predict(X_test), plain.predict(X_test))
    assert not _CACHE
