"""AirlineForecaster(exog=True): regression with airline errors on columns known ahead.

A target that is exactly a line in the planned column is recovered exactly
(by hand); with ARIMA (0,1,1) noise the coefficients agree with statsmodels'
exact maximum likelihood; without ``exog`` nothing changes.
"""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.signal import lfilter

from sklstm.forecasting import AirlineForecaster, forecast, make_supervised


def _line(n=40, seed=0, level=5.0, slope=3.0):
    """``y = level + slope * x`` with x a 0/1 plan: no error at all."""
    x = np.random.default_rng(seed).integers(0, 2, n).astype(float)
    index = pd.date_range("2020-01-01", periods=n, freq="MS")
    return pd.DataFrame({"y": level + slope * x, "x": x}, index=index)


def test_a_line_in_the_planned_column_is_recovered_exactly():
    frame = _line()
    X, y = make_supervised(frame, "y", horizon=3, future="x")
    model = AirlineForecaster(m=1, target="y", exog=True).fit(X, y)
    assert model.exog_columns_ == ["x"]
    assert_allclose(model.coef_, [3.0])
    # the error y - 3x is the constant 5: its forecast is 5 at every step
    assert_allclose(model.predict(X), y.to_numpy(), atol=1e-9)
    plan = pd.DataFrame(
        {"x": [1.0, 0.0, 1.0]}, index=pd.date_range("2023-05-01", periods=3, freq="MS")
    )
    assert_allclose(forecast(model, frame, future=plan), [8.0, 5.0, 8.0])
    center = model.predict(X)
    bounds = model.predict_interval(X, coverage=0.9)
    assert_allclose((bounds[..., 0] + bounds[..., 1]) / 2, center, atol=1e-9)


def test_in_log_space_the_planned_column_multiplies():
    frame = _line()
    frame["y"] = np.exp(1.0 + 0.5 * frame["x"])
    X, y = make_supervised(frame, "y", horizon=2, future="x")
    model = AirlineForecaster(m=1, target="y", log=True, exog=True).fit(X, y)
    assert_allclose(model.coef_, [0.5])
    assert_allclose(model.predict(X), y.to_numpy(), rtol=1e-9)


def test_coefficients_agree_with_statsmodels_maximum_likelihood():
    sarimax = pytest.importorskip("statsmodels.tsa.statespace.sarimax")
    rng = np.random.default_rng(0)
    n = 200
    x = (rng.random(n) < 0.3) * 1.0
    error = np.cumsum(lfilter([1.0, -0.5], [1.0], rng.normal(0, 1, n)))
    frame = pd.DataFrame(
        {"y": 50 + error + 4 * x, "x": x},
        index=pd.date_range("2000-01-01", periods=n, freq="D"),
    )
    X, y = make_supervised(frame, "y", future="x")
    model = AirlineForecaster(m=1, target="y", exog=True).fit(X, y)
    exact = sarimax.SARIMAX(
        frame["y"].to_numpy()[:-1], exog=x[:-1], order=(0, 1, 1)
    ).fit(disp=False)
    assert model.coef_[0] == pytest.approx(exact.params[0], abs=0.01)  # 4.04
    assert model.theta_ == pytest.approx(exact.params[1], abs=0.01)  # -0.58


def test_without_exog_the_values_ahead_are_ignored():
    frame = _line(60)
    frame["y"] += np.sin(np.arange(60))
    X, y = make_supervised(frame, "y", horizon=3, future="x")
    with_ahead = AirlineForecaster(m=12, target="y").fit(X, y)
    alone = AirlineForecaster(m=12, target="y").fit(X[["y"]], y)
    assert_array_equal(with_ahead.predict(X), alone.predict(X[["y"]]))
    assert with_ahead.coef_.shape == (0,) and with_ahead.exog_columns_ == []
    assert with_ahead.history_.shape == (13, 2)


def test_each_series_of_a_panel_gets_its_coefficients():
    panel = pd.concat(
        {"a": _line(seed=1), "b": _line(seed=2, level=1.0, slope=2.0)},
        names=["series", "month"],
    )
    X, y = make_supervised(panel, "y", horizon=2, future="x")
    model = AirlineForecaster(m=1, target="y", exog=True).fit(X, y)
    assert_allclose(model.series_state_["a"]["coef_"], [3.0])
    assert_allclose(model.series_state_["b"]["coef_"], [2.0])
    assert_allclose(model.predict(X), y.to_numpy(), atol=1e-9)


def test_exog_needs_columns_known_ahead():
    X, y = make_supervised(_line(), "y", horizon=2)
    with pytest.raises(ValueError, match="no column '<column>_ahead_1' .. "):
        AirlineForecaster(m=1, target="y", exog=True).fit(X, y)
    X, y = make_supervised(_line(), "y", horizon=2, future="x")
    with pytest.raises(ValueError, match="X has none \\(NumPy input\\)"):
        AirlineForecaster(m=1, exog=True).fit(X.to_numpy(), y.to_numpy())


def test_a_gap_in_a_planned_column_is_named():
    X, y = make_supervised(_line(), "y", horizon=2, future="x")
    model = AirlineForecaster(m=1, target="y", exog=True).fit(X, y)
    X.iloc[5, X.columns.get_loc("x_ahead_2")] = np.nan
    with pytest.raises(ValueError, match="column 'x_ahead_2' is NaN at row 5"):
        model.predict(X)
    X.iloc[7, X.columns.get_loc("x")] = np.nan  # fit regresses on x at t
    with pytest.raises(ValueError, match="column 'x' is NaN at row 7"):
        AirlineForecaster(m=1, target="y", exog=True).fit(X, y)
