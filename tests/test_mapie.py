"""MAPIE's time-series regressor around sklstm forecasters (the "intervals" extra).

``mapie.regression.TimeSeriesRegressor`` fits a copy of the forecaster per fold
and calibrates on their out-of-fold residuals. With time-ordered folds of a
DataFrame each validation block continues its training rows, so sklstm's
lags, differences and windows have their history: MAPIE's residuals must then
be exactly the errors that sklstm's own ``ConformalForecaster`` measures on
the same folds.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

mapie_regression = pytest.importorskip("mapie.regression")
mapie_subsample = pytest.importorskip("mapie.subsample")

from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import TimeSeriesSplit  # noqa: E402

from sklstm.datasets import load_airpassengers  # noqa: E402
from sklstm.exceptions import PaddingWarning  # noqa: E402
from sklstm.forecasting import (  # noqa: E402
    ConformalForecaster,
    RidgeLagForecaster,
    interval_scores,
    make_supervised,
    train_test_split_series,
)
from sklstm.recipe import make_lstm_forecaster  # noqa: E402

TimeSeriesRegressor = mapie_regression.TimeSeriesRegressor


def _fit_quietly(model, X, y):
    """Fit a TimeSeriesRegressor, silencing what time-ordered folds make it say.

    The first training rows are in no validation block (MAPIE: "belongs to
    every resamplings"; NaN residuals) and MAPIE's predict also runs the fold
    models on rows that do not continue their history (PaddingWarning). With
    ``method="aci"`` neither reaches the intervals.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*belongs to every resamplings")
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        warnings.filterwarnings("ignore", category=PaddingWarning)
        return model.fit(X, y)


def _predict_quietly(model, X, confidence_level):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        warnings.filterwarnings("ignore", category=PaddingWarning)
        return model.predict(X, confidence_level=confidence_level)


@pytest.fixture(scope="module")
def air():
    frame = load_airpassengers()
    X_train, X_test, y_train, y_test = train_test_split_series(
        frame, "passengers", n_test=36
    )
    history = frame["passengers"].iloc[: len(frame) - 36]
    folds = TimeSeriesSplit(n_splits=3, test_size=len(X_train) // 6)
    return X_train, X_test, y_train, y_test, history, folds


@pytest.fixture(scope="module")
def tiny_recipe():
    return make_lstm_forecaster(
        target="passengers",
        m=12,
        log=True,
        baseline="seasonal",
        units=2,
        epochs=2,
        random_state=0,
    )


@pytest.fixture(scope="module")
def mapie_recipe(air, tiny_recipe):
    X_train, _, y_train, _, _, folds = air
    model = TimeSeriesRegressor(tiny_recipe, method="aci", cv=folds)
    return _fit_quietly(model, X_train, y_train)


def test_mapie_wraps_the_lstm_recipe(air, mapie_recipe):
    _, X_test, _, y_test, history, folds = air
    y_pred, bounds = _predict_quietly(mapie_recipe, X_test, 0.9)
    assert y_pred.shape == (36,)
    assert bounds.shape == (36, 2, 1)  # (n_samples, lower/upper, n_levels)
    lower, upper = bounds[:, 0, 0], bounds[:, 1, 0]
    assert np.all(np.isfinite(bounds))
    assert np.all(lower <= upper)
    assert np.all(upper - lower > 0)
    # one residual per validation row: 3 blocks of 17
    assert np.sum(~np.isnan(mapie_recipe.conformity_scores_)) == 3 * 17
    scores = interval_scores(y_test, lower, upper, y_train=history, m=12, coverage=0.9)
    inside = (lower <= y_test.to_numpy()) & (y_test.to_numpy() <= upper)
    assert scores["coverage"] == pytest.approx(inside.mean())
    assert scores["width"] == pytest.approx(np.mean(upper - lower))
    assert scores["MSIS"] > 0
    # wider at a higher level, narrower at a lower one
    _, wide = _predict_quietly(mapie_recipe, X_test, [0.5, 0.8, 0.9])
    assert np.all(np.diff(wide[:, 1, :] - wide[:, 0, :], axis=1) >= 0)


def test_mapie_residuals_are_sklstm_out_of_fold_errors(air, tiny_recipe, mapie_recipe):
    """Same folds, same seed: MAPIE sees what ConformalForecaster sees.

    Fails if the folds MAPIE indexes lose the time index (padded history), if
    the recipe is not deterministic under ``clone``, or if the model that
    centres the intervals is not the recipe fitted on all training rows.
    """
    X_train, X_test, y_train, _, _, folds = air
    ours = ConformalForecaster(tiny_recipe, cv=folds, log=False).fit(X_train, y_train)
    residuals = mapie_recipe.conformity_scores_
    residuals = residuals[~np.isnan(residuals)]
    # MAPIE's time-series default score is the signed residual y - y_pred
    np.testing.assert_allclose(
        np.sort(residuals), np.sort(ours.errors_.ravel()), rtol=1e-6
    )
    y_pred, _ = _predict_quietly(mapie_recipe, X_test, 0.9)
    np.testing.assert_allclose(y_pred, ours.predict(X_test), rtol=1e-6)


def test_block_bootstrap_samples_are_refused_with_the_reason(air, tiny_recipe):
    """MAPIE's EnbPI resampling repeats months: the recipe says why it cannot."""
    X_train, _, y_train, _, _, _ = air
    bootstrap = mapie_subsample.BlockBootstrap(
        n_resamplings=1, n_blocks=6, overlapping=False, random_state=0
    )
    resampled, _ = next(bootstrap.split(X_train))
    assert len(np.unique(resampled)) < len(resampled)  # some month repeats
    with pytest.raises(ValueError, match="duplicated DatetimeIndex"):
        clone(tiny_recipe).fit(X_train.iloc[resampled], y_train.iloc[resampled])


def test_mapie_aci_covers_gaussian_ar_data():
    """An sklstm baseline in MAPIE: 90 % intervals hold 87-93 % of 3,000 values."""
    rng = np.random.default_rng(0)
    v = np.zeros(5000)
    for i in range(1, len(v)):
        v[i] = 0.7 * v[i - 1] + rng.normal()
    frame = pd.DataFrame({"v": 50 + v}, index=pd.RangeIndex(len(v)))
    X, y = make_supervised(frame, "v", horizon=1)
    X_train, y_train, X_test, y_test = X[:2000], y[:2000], X[2000:], y[2000:]
    model = TimeSeriesRegressor(
        RidgeLagForecaster(n_lags=2, target="v"),
        method="aci",
        cv=TimeSeriesSplit(n_splits=5, test_size=200),
    )
    _fit_quietly(model, X_train, y_train)
    _, bounds = _predict_quietly(model, X_test, 0.9)
    scores = interval_scores(
        y_test, bounds[:, 0, 0], bounds[:, 1, 0], y_train=frame["v"][:2000], m=1
    )
    assert abs(scores["coverage"] - 0.9) <= 0.03
    # not trivially wide: near the innovation sd's 2 x 1.645
    assert 3.0 < scores["width"] < 3.6
