"""ConformalForecaster: the interval defects of issue 34, one block per defect."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.pipeline import make_pipeline

from sklstm.forecasting import (
    ConformalForecaster,
    RidgeLagForecaster,
    forecast,
    make_supervised,
)
from sklstm.preprocessing import LagFeatures


def _walk(n, seed=0):
    """A Gaussian random walk around 100, one column "v"."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"v": 100 + np.cumsum(rng.normal(size=n))})


# 6. adaptive intervals learn from out-of-sample errors only


def test_adaptive_forecast_of_a_random_walk_holds_the_nominal_share():
    """A forest fits its training rows almost exactly: their errors are no guide.

    ``forecast`` passes the whole history, training rows included; were their
    fitted errors revealed, the adaptive level would shrink the interval
    to the forest's in-sample error (it covered about half of the values).
    """
    walk = _walk(150)
    inside = []
    for origin in range(120, 150):
        history = walk.iloc[:origin]
        X, y = make_supervised(history, "v")
        forest = make_pipeline(
            LagFeatures(lags=[1, 2, 3]),
            RandomForestRegressor(n_estimators=10, random_state=0),
        )
        model = ConformalForecaster(forest, method="adaptive", target="v").fit(X, y)
        table = forecast(model, history, coverage=0.9)
        truth = walk["v"].iloc[origin]
        inside.append(table["lower"].iloc[0] <= truth <= table["upper"].iloc[0])
    assert np.mean(inside) >= 0.85


def test_training_rows_reveal_no_errors_to_the_adaptive_level():
    """Bounds after the training rows do not depend on the training rows given."""
    X, y = make_supervised(_walk(260, seed=3), "v")
    model = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method="adaptive", gamma=0.05
    ).fit(X[:200], y[:200])
    split = model.set_params(method="split").predict_interval(X[:200])
    model.set_params(method="adaptive")
    with_history = model.predict_interval(X)
    # training rows: nothing revealed, so the split bounds
    np.testing.assert_allclose(with_history[:200], split)
    # later rows: as if the frame started after the training rows
    np.testing.assert_allclose(with_history[200:], model.predict_interval(X[200:]))


# 8. adaptive intervals on short frames, and nested across coverages


def _ar_frame(n, seed=0, phi=0.7):
    """A Gaussian AR(1) series around 50, one column "v"."""
    rng = np.random.default_rng(seed)
    v = np.zeros(n)
    for i in range(1, n):
        v[i] = phi * v[i - 1] + rng.normal()
    return pd.DataFrame({"v": 50 + v})


def test_adaptive_intervals_of_a_frame_shorter_than_the_horizon():
    """Rows fewer than the steps ahead: no outcome is known yet for the last steps."""
    X, y = make_supervised(_ar_frame(400), "v", horizon=6)
    model = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method="adaptive"
    ).fit(X[:300], y[:300])
    whole = model.predict_interval(X[300:])
    for n_rows in (1, 3, 4, 5, 6):
        np.testing.assert_allclose(
            model.predict_interval(X[300 : 300 + n_rows]), whole[:n_rows]
        )


@pytest.mark.parametrize("seed", range(5))
def test_adaptive_bounds_nest_across_coverages(seed):
    """The 90 % interval holds the 80 % one on every row, even with a fast level."""
    X, y = make_supervised(_ar_frame(600, seed), "v")
    model = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method="adaptive", gamma=0.05
    ).fit(X[:300], y[:300])
    levels = [0.9, 0.5, 0.8]  # any order
    bounds = model.predict_interval(X[300:500], coverage=levels)
    order = np.argsort(levels)
    lower, upper = bounds[:, 0, order], bounds[:, 1, order]
    assert np.all(np.diff(lower, axis=-1) <= 0)
    assert np.all(np.diff(upper, axis=-1) >= 0)
    # nesting widens a level to the narrower levels' bounds, never narrows it:
    # the lowest level is as alone, the others hold their bounds alone
    np.testing.assert_allclose(model.predict_interval(X[300:500], 0.5), bounds[..., 1])
    for i in (0, 2):
        alone = model.predict_interval(X[300:500], coverage=levels[i])
        assert np.all(bounds[:, 0, i] <= alone[:, 0])
        assert np.all(bounds[:, 1, i] >= alone[:, 1])
