"""TunedLSTMForecaster: the search as an estimator a user can hold."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_validate

from sklstm.datasets import load_airpassengers
from sklstm.forecasting import (
    ConformalForecaster,
    evaluate_forecaster,
    train_test_split_series,
)
from sklstm.recipe import TunedLSTMForecaster, tune_lstm_forecaster

TINY = dict(
    target="passengers",
    m=12,
    n_splits=2,
    param_grid={"regressor__lstm__estimator__units": [2, 3]},
    shrinkages=(0.0, 1.0),
    lstm_params={"epochs": 2},
)


@pytest.fixture(scope="module")
def split():
    return train_test_split_series(load_airpassengers(), "passengers", n_test=36)


@pytest.fixture(scope="module")
def fitted(split):
    X_train, _, y_train, _ = split
    return TunedLSTMForecaster(**TINY).fit(X_train, y_train)


def test_fit_is_tune_lstm_forecaster(split, fitted):
    X_train, X_test, y_train, _ = split
    lstm_params = TINY["lstm_params"]
    kwargs = {k: v for k, v in TINY.items() if k != "lstm_params"}
    search = tune_lstm_forecaster(X_train, y_train, **kwargs, **lstm_params)
    assert fitted.best_params_ == search.best_params_
    assert fitted.best_score_ == search.best_score_
    assert fitted.baseline_scores_ == search.baseline_scores_
    np.testing.assert_array_equal(fitted.predict(X_test), search.predict(X_test))
    assert fitted.log_ is True  # AirPassengers is strictly positive
    assert fitted.n_features_in_ == 1
    assert list(fitted.feature_names_in_) == ["passengers"]
    assert "mean_test_shrinkage=1" in fitted.cv_results_


def test_log_given_is_kept(split):
    X_train, _, y_train, _ = split
    model = TunedLSTMForecaster(**{**TINY, "log": False, "baseline": "naive"})
    assert model.fit(X_train, y_train).log_ is False
    assert model.best_estimator_.log is False


def test_pickle_round_trip_predicts_the_same(split, fitted):
    _, X_test, _, _ = split
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict(X_test), fitted.predict(X_test))
    assert again.best_params_ == fitted.best_params_


def test_clone_keeps_every_argument():
    model = TunedLSTMForecaster(**TINY, budget="quick", n_jobs=1, verbose=0)
    params = clone(model).get_params()
    assert params["lstm_params"] == {"epochs": 2}
    assert params["param_grid"] == TINY["param_grid"]
    assert params["budget"] == "quick"


def test_conformal_reads_its_log_space_and_calibrates_the_chosen_settings(
    split, fitted
):
    """Wrapped unfitted, it gives the intervals of the fitted search, prefit."""
    X_train, X_test, y_train, _ = split
    wrapped = ConformalForecaster(TunedLSTMForecaster(**TINY)).fit(X_train, y_train)
    prefit = ConformalForecaster(fitted.search_, prefit=True).fit(X_train, y_train)
    assert wrapped.log_ is True and prefit.log_ is True
    np.testing.assert_allclose(wrapped.errors_, prefit.errors_)
    np.testing.assert_allclose(
        wrapped.predict_interval(X_test), prefit.predict_interval(X_test)
    )


def test_backtest_and_cross_validate(split):
    frame = load_airpassengers()
    result = evaluate_forecaster(
        TunedLSTMForecaster(**{**TINY, "baseline": "seasonal"}),
        frame,
        target="passengers",
        n_test=36,
        m=12,
        return_estimator=True,
    )
    assert result["estimator"].best_params_["shrinkage"] in (0.0, 1.0)
    X_train, _, y_train, _ = split
    scores = cross_validate(
        TunedLSTMForecaster(**{**TINY, "baseline": "seasonal"}),
        X_train,
        y_train,
        cv=[(np.arange(60), np.arange(60, 72))],
        scoring="neg_mean_absolute_error",
    )
    assert np.isfinite(scores["test_score"]).all()


@pytest.mark.parametrize(
    "params, match",
    [
        ({"target": "sales"}, r"target='sales' is not a column of X; allowed: "),
        ({"target": 3}, r"target=3 is not a column position of X, which has 1"),
        ({"n_splits": 60}, r"n_samples=107 is too few for n_splits=60"),
        ({"budget": "huge"}, r"'budget' parameter of TunedLSTMForecaster must be"),
    ],
)
def test_bad_arguments_name_the_parameter(split, params, match):
    X_train, _, y_train, _ = split
    with pytest.raises(ValueError, match=match):
        TunedLSTMForecaster(**{**TINY, **params}).fit(X_train, y_train)
