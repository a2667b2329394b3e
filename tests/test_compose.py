"""ResidualRegressor: hand-computed corrections and no look-ahead end to end."""

import math

import numpy as np
import pytest
from _lookahead import changed_after_t, series_frames
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import make_pipeline

from sklstm.compose import ResidualRegressor
from sklstm.forecasting import NaiveForecaster, SeasonalNaiveForecaster
from sklstm.preprocessing import LagFeatures, RollingFeatures, TimeSeriesImputer

# the baseline forecasts the current value (column 0); y doubles it
X_DOUBLE = np.array([[1.0], [2.0], [4.0]])
Y_DOUBLE = np.array([2.0, 4.0, 8.0])


def test_log_residual_is_a_ratio_and_predictions_multiply():
    reg = ResidualRegressor(
        regressor=DummyRegressor(), baseline=NaiveForecaster(), log=True
    ).fit(X_DOUBLE, Y_DOUBLE)
    # residuals log(2x) - log(x) = log 2 for every row; their mean is learned
    assert reg.regressor_.constant_.item() == pytest.approx(math.log(2.0))
    # baseline 10 and 3, times exp(log 2)
    assert_allclose(reg.predict([[10.0], [3.0]]), [20.0, 6.0])


def test_log_residual_follows_a_fitted_correction():
    # y = x * exp(0.1 x): the log residual is 0.1 x, which a line fits exactly
    X = np.array([[1.0], [2.0], [4.0], [8.0]])
    y = X.ravel() * np.exp(0.1 * X.ravel())
    reg = ResidualRegressor(
        regressor=LinearRegression(), baseline=NaiveForecaster(), log=True
    ).fit(X, y)
    assert_allclose(reg.predict([[10.0]]), [10.0 * math.e])


def test_additive_residual_adds():
    y = np.array([3.0, 5.0, 9.0])  # residuals 2, 3, 5: mean 10 / 3
    reg = ResidualRegressor(regressor=DummyRegressor(), baseline=NaiveForecaster())
    assert_allclose(reg.fit(X_DOUBLE, y).predict([[10.0]]), [10.0 + 10.0 / 3.0])


@pytest.mark.parametrize("y", [[2.0, -4.0, 8.0], [2.0, 0.0, 8.0]])
def test_log_needs_strictly_positive_values(y):
    reg = ResidualRegressor(
        regressor=DummyRegressor(), baseline=NaiveForecaster(), log=True
    )
    with pytest.raises(ValueError, match="log=True needs strictly positive values"):
        reg.fit(X_DOUBLE, y)


@pytest.fixture(scope="module")
def fitted_residual():
    """Fitted once: a causal pipeline correcting the seasonal naive forecast."""
    X_train, y_train, X_test = series_frames()
    pipeline = make_pipeline(
        TimeSeriesImputer(),
        LagFeatures(lags=2),
        RollingFeatures(windows=3, stats=("mean", "max")),
        Ridge(alpha=1e-3),
    ).set_output(transform="pandas")
    baseline = SeasonalNaiveForecaster(m=12, target="y", growth="multiplicative")
    model = ResidualRegressor(regressor=pipeline, baseline=baseline, log=True)
    return model.fit(X_train, y_train), X_test


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_residual_regressor_does_not_look_ahead(fitted_residual, data):
    """Forecasts up to row t do not change when the test part after t does."""
    model, X_test = fitted_residual
    first, second, t = data.draw(changed_after_t(X_test))
    out_first, out_second = model.predict(first), model.predict(second)
    assert np.isfinite(out_first).all()
    assert_array_equal(out_first[: t + 1], out_second[: t + 1])
