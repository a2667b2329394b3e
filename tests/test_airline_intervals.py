"""AirlineForecaster.predict_interval: the analytic Gaussian intervals."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import norm
from sklearn.exceptions import NotFittedError
from test_forecasting import _airline_series, _frame

from sklstm.datasets import load_airpassengers
from sklstm.exceptions import PaddingWarning
from sklstm.forecasting import (
    AirlineForecaster,
    make_supervised,
    train_test_split_series,
)


@pytest.fixture(scope="module")
def airpassengers():
    X, y = make_supervised(load_airpassengers(), "passengers", horizon=12)
    model = AirlineForecaster(m=12, target="passengers", log=True).fit(X, y)
    return model, X


def _covered(y, bounds):
    return (y >= bounds[..., 0]) & (y <= bounds[..., 1])


def test_coverage_of_a_simulated_airline_process():
    """90 % intervals hold 90 % +- 3 pp of 1000 out-of-sample values, per step."""
    z = _airline_series(2000, 4, theta=-0.4, seasonal_theta=-0.6)
    X_train, X_test, y_train, y_test = train_test_split_series(
        _frame(z), "y", horizon=4, n_test=1000
    )
    model = AirlineForecaster(m=4, target="y").fit(X_train, y_train)
    bounds = model.predict_interval(X_test, coverage=0.9)
    assert bounds.shape == (1000, 4, 2)
    coverage = _covered(y_test.to_numpy(), bounds).mean(axis=0)
    assert_allclose(coverage, 0.9, atol=0.03)

    one_step = AirlineForecaster(m=4, target="y").fit(X_train, y_train.iloc[:, 0])
    bounds = one_step.predict_interval(X_test, coverage=0.9)
    assert bounds.shape == (1000, 2)
    assert _covered(y_test.iloc[:, 0].to_numpy(), bounds).mean() == pytest.approx(
        0.9, abs=0.03
    )


def test_m_1_variance_is_the_arima_011_closed_form():
    """sigma2 * (1 + (k - 1)(1 + theta)^2): simple exponential smoothing."""
    rng = np.random.default_rng(1)
    values = 10 + np.cumsum(rng.normal(size=200)) + rng.normal(size=200)
    X, y = make_supervised(_frame(values), "y", horizon=6)
    model = AirlineForecaster(m=1, target="y").fit(X, y)
    bounds = model.predict_interval(X, coverage=0.9)
    sd = (bounds[..., 1] - bounds[..., 0]) / (2 * norm.ppf(0.95))
    k = np.arange(1, 7)
    expected = model.sigma2_ * (1 + (k - 1) * (1 + model.theta_) ** 2)
    assert_allclose(sd**2, np.broadcast_to(expected, sd.shape))


def test_bounds_are_centred_on_predict_and_nested_in_coverage(airpassengers):
    model, X = airpassengers
    point = model.predict(X)
    bounds = model.predict_interval(X, coverage=[0.5, 0.8, 0.95])
    assert bounds.shape == (len(X), 12, 2, 3)
    lower, upper = bounds[..., 0, :], bounds[..., 1, :]
    assert np.all(lower <= point[..., None])
    assert np.all(point[..., None] <= upper)
    assert np.all(np.diff(lower, axis=-1) < 0)  # 0.5 inside 0.8 inside 0.95
    assert np.all(np.diff(upper, axis=-1) > 0)
    assert_allclose(bounds[..., 1], model.predict_interval(X, coverage=0.8))
    # widen with the step, in the model's (log) scale
    assert np.all(np.diff(np.log(upper / lower), axis=1) > 0)


def test_log_bounds_are_positive_and_asymmetric(airpassengers):
    model, X = airpassengers
    point = model.predict(X)
    bounds = model.predict_interval(X, coverage=0.9)
    lower, upper = bounds[..., 0], bounds[..., 1]
    assert np.all(lower > 0)
    assert np.all(upper - point > point - lower)  # longer above the forecast
    assert_allclose(np.log(upper) - np.log(point), np.log(point) - np.log(lower))


@pytest.mark.parametrize("coverage", [0, 1, 1.5, -0.1, "a", True, [], [0.9, 1.0]])
def test_bad_coverage_is_named(airpassengers, coverage):
    model, X = airpassengers
    with pytest.raises(ValueError, match=r"coverage=.* must be a float strictly"):
        model.predict_interval(X, coverage=coverage)


def test_not_fitted():
    X, _ = make_supervised(_frame(np.arange(30.0)), "y")
    with pytest.raises(NotFittedError):
        AirlineForecaster(target="y").predict_interval(X)


def test_shapes_and_padding_as_predict():
    z = _airline_series(120, 4, theta=-0.4, seasonal_theta=-0.6, seed=3)
    X_train, X_test, y_train, _ = train_test_split_series(
        _frame(z), "y", horizon=3, n_test=30
    )
    multi = AirlineForecaster(m=4, target="y").fit(X_train, y_train)
    single = AirlineForecaster(m=4, target="y").fit(X_train, y_train.iloc[:, 0])
    assert multi.predict_interval(X_test).shape == (30, 3, 2)
    assert multi.predict_interval(X_test, [0.8, 0.9]).shape == (30, 3, 2, 2)
    assert single.predict_interval(X_test).shape == (30, 2)
    assert single.predict_interval(X_test, (0.8, 0.9)).shape == (30, 2, 2)

    # without history: the same warning, and the naive rows are the centre
    alone = X_test.reset_index(drop=True)
    with pytest.warns(PaddingWarning, match="AirlineForecaster"):
        bounds = multi.predict_interval(alone, coverage=0.9)
    with pytest.warns(PaddingWarning):
        point = multi.predict(alone)
    assert_allclose(point[:5], np.repeat(alone["y"].to_numpy()[:5, None], 3, 1))
    assert_allclose(bounds.mean(axis=-1), point)
