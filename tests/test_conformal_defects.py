"""ConformalForecaster: the interval defects of issue 34, one block per defect."""

import numpy as np
import pandas as pd
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
