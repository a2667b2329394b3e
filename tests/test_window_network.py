"""The recipe's window network: its target space, seasonal profile and fallbacks."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from sklstm.forecasting import make_supervised, train_test_split_series
from sklstm.recipe import make_lstm_forecaster
from sklstm.recipe._window import WindowForecaster, season_positions, season_profile


def _monthly(values, start="2001-01-01"):
    index = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"y": np.asarray(values, dtype=float)}, index=index)


def test_season_positions_count_in_the_index_own_steps():
    months = pd.date_range("2001-03-01", periods=5, freq="MS")
    assert list(season_positions(months, 12)) == [2, 3, 4, 5, 6]
    quarters = pd.date_range("2001-04-01", periods=3, freq="QS-JAN")
    assert list(season_positions(quarters, 4)) == [1, 2, 3]
    assert list(season_positions(pd.Index([10, 11, 12]), 4)) == [2, 3, 0]
    # a continuation continues the positions
    later = pd.date_range("2001-08-01", periods=2, freq="MS")
    assert list(season_positions(later, 12)) == [7, 8]
    assert season_positions(pd.Index(["a", "b"]), 4) is None


def test_season_profile_recovers_a_known_profile():
    m, n = 4, 40
    truth = np.array([1.0, -0.5, 0.25, -0.75])
    values = 0.1 * np.arange(n) + truth[np.arange(n) % m]
    profile = season_profile(values, np.arange(n) % m, m)
    np.testing.assert_allclose(profile, truth - truth.mean(), atol=1e-10)
    assert np.all(season_profile(values[:7], np.arange(7) % m, m) == 0)


class _LastValue:
    """A pipeline stand-in: predicts the target column's value at t for every step."""

    def __init__(self, n_steps):
        self.n_steps = n_steps

    def get_params(self, deep=True):
        return {"n_steps": self.n_steps}

    def set_params(self, **params):
        return self

    def fit(self, X, y):
        self.seen_ = (X.copy(), np.asarray(y).copy())
        return self

    def predict(self, X):
        return np.repeat(X.iloc[:, [0]].to_numpy(), self.n_steps, axis=1)


def test_the_profile_comes_out_of_the_inputs_and_back_into_the_forecast():
    m, n = 4, 48
    truth = np.array([0.3, -0.1, 0.2, -0.4])
    level = 50.0
    values = level * np.exp(truth[np.arange(n) % m])  # a pure seasonal series
    frame = _monthly(values)
    X, y = make_supervised(frame, "y", horizon=2)
    model = WindowForecaster(_LastValue(2), target="y", m=m).fit(X, y)
    assert model.space_ == "log"
    moved_X, moved_y = model.pipeline_.seen_
    # without its season the series is flat in log space: log(level)
    np.testing.assert_allclose(moved_X["y"], np.log(level), atol=0.02)
    np.testing.assert_allclose(moved_y, np.log(level), atol=0.02)
    # a flat forecast of the deseasonalized series, the season put back
    pred = model.predict(X)
    np.testing.assert_allclose(pred, y.to_numpy(), rtol=0.03)


@pytest.mark.parametrize(
    "values, space",
    [([1.0, 2.0, 3.0], "log"), ([0.0, 2.0, 3.0], "log1p"), ([-1.0, 2.0, 3.0], "raw")],
)
def test_the_target_space_follows_the_training_values(values, space):
    frame = _monthly(np.tile(values, 10))
    X, y = make_supervised(frame, "y")
    model = WindowForecaster(LinearRegression(), target="y").fit(X, y)
    assert model.space_ == space
    # a linear model of the moved target, moved back: the training targets
    assert np.abs(model.predict(X) - y.to_numpy()).max() < 3.0


def test_window_recipe_on_a_ragged_panel_falls_back_to_the_baseline_for_short_series():
    rng = np.random.RandomState(0)
    long = _monthly(100 + 10 * np.sin(np.arange(60) / 2) + rng.normal(size=60))
    short = _monthly(50 + rng.normal(size=10), start="2005-03-01")
    panel = pd.concat({"long": long, "short": short})
    X_train, X_test, y_train, y_test = train_test_split_series(
        panel, "y", horizon=2, n_test=4
    )
    model = make_lstm_forecaster(
        target="y", m=12, network="window", window=12, baseline="naive",
        shrinkage=1.0, units=2, epochs=2,
    ).fit(X_train, y_train)  # fmt: skip
    pred = model.predict(X_test)
    assert np.isfinite(pred).all()
    # the short series has no full window: the baseline (the last value) alone
    naive = X_test.loc["short", "y"].to_numpy()
    np.testing.assert_allclose(pred[4:, 0], naive)


def _seasonal_panel(n_series=4, n=60, seed=0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    parts = {}
    for i in range(n_series):
        level = 10.0 ** (1 + i)  # series of very different levels
        values = level * (1 + 0.2 * np.sin(2 * np.pi * t / 12) + 0.01 * t)
        parts[f"s{i}"] = _monthly(values * np.exp(0.02 * rng.normal(size=n)))
    return pd.concat(parts)


def test_tuning_a_panel_weighs_the_window_network_by_validation():
    from sklstm.recipe import tune_lstm_forecaster

    X, y = make_supervised(_seasonal_panel(), "y", horizon=2)
    search = tune_lstm_forecaster(
        X, y, target="y", m=12, baseline="seasonal", budget="quick",
        n_splits=2, epochs=2, units=2,
    )  # fmt: skip
    params = search.cv_results_["params"]
    windows = [p for p in params if p.get("learn") == "target"]
    assert [p["regressor__deseasonalize"] for p in windows] == [True, False]
    assert len(params) == 2 + len(windows)  # the quick grid's two, and these
    # every candidate scored at every shrinkage, the best one refitted
    assert np.isfinite(search.cv_results_["mean_test_shrinkage=0.5"]).all()
    assert search.best_estimator_.predict(X).shape == y.shape


def test_the_window_network_alone_with_no_baseline():
    X_train, X_test, y_train, _ = train_test_split_series(
        _seasonal_panel(n_series=2), "y", horizon=2, n_test=6
    )
    model = make_lstm_forecaster(
        target="y", m=12, network="window", baseline=None, units=2, epochs=1
    ).fit(X_train, y_train)
    assert model.shrinkage == 1.0
    base, correction = model._predict_parts(X_test)
    own = model.regressor_.predict(X_test)
    np.testing.assert_allclose(model.predict(X_test), own)
    assert np.isfinite(base).all() and np.isfinite(correction).all()


def test_a_panel_searches_the_quick_residual_grid_at_every_budget():
    from sklstm.recipe._tune import _budget_grid

    one_series = _budget_grid("default", [12], 200)
    panel = _budget_grid("default", [12], 200, panel=True)
    assert len(one_series["regressor__window__window"]) == 2
    assert panel == _budget_grid("quick", [12], 200, panel=True)
    assert panel["regressor__lstm__estimator__n_layers"] == [1]
