"""forecast(): the next values after the end of a frame, indexed by their time."""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklstm.datasets import load_airpassengers
from sklstm.exceptions import PaddingWarning
from sklstm.forecasting import (
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    forecast,
    make_supervised,
)


def _fitted(frame, horizon, estimator):
    X, y = make_supervised(frame, "passengers", horizon=horizon)
    return estimator.fit(X, y)


@pytest.mark.parametrize("horizon", [1, 3])
def test_forecast_is_the_last_rows_prediction_after_the_last_label(horizon):
    frame = load_airpassengers()
    model = _fitted(frame, horizon, RidgeLagForecaster(n_lags=24, target="passengers"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)  # the training start: silent
        result = forecast(model, frame)
    assert isinstance(result, pd.Series)
    assert_allclose(result.to_numpy(), np.reshape(model.predict(frame)[-1], -1))
    expected = pd.date_range("1961-01-01", periods=horizon, freq="MS")
    assert_array_equal(result.index, expected)
    assert result.index[0] > frame.index[-1]
    assert result.name == "passengers"


def test_forecast_with_a_period_or_integer_index():
    frame = load_airpassengers()
    model = _fitted(frame, 2, SeasonalNaiveForecaster(m=12, target="passengers"))
    periods = frame.to_period("M")
    result = forecast(model, periods)
    assert list(result.index.astype(str)) == ["1961-01", "1961-02"]
    assert_allclose(result.to_numpy(), model.predict(periods)[-1])
    integers = frame.reset_index(drop=True)
    model = _fitted(integers, 2, NaiveForecaster(target="passengers"))
    assert forecast(model, integers).index.tolist() == [144, 145]


def test_forecast_without_a_frequency_says_how_to_fix_it():
    frame = load_airpassengers()
    model = _fitted(frame, 1, NaiveForecaster(target="passengers"))
    gappy = frame.drop(frame.index[[5, 50]])
    with pytest.raises(ValueError, match=r"asfreq.*TimeSeriesImputer.*freq="):
        forecast(model, gappy)
    result = forecast(model, gappy, freq="MS", name="next")
    assert result.index[0] == pd.Timestamp("1961-01-01") and result.name == "next"
    with pytest.raises(TypeError, match="NumPy array has no timestamps"):
        forecast(model, frame.to_numpy())


def test_forecast_from_the_last_row_alone_warns_once():
    frame = load_airpassengers()
    model = _fitted(
        frame.iloc[:120], 1, RidgeLagForecaster(n_lags=12, target="passengers")
    )
    with pytest.warns(PaddingWarning, match="RidgeLagForecaster") as caught:
        forecast(model, frame.iloc[-1:])  # a year later, without its history
    assert len(caught) == 1
    with warnings.catch_warnings():  # the row right after the training data
        warnings.simplefilter("error", PaddingWarning)
        forecast(model, frame.iloc[119:120])


def test_forecast_of_the_recipe_and_a_search_over_it():
    from sklstm.recipe import make_lstm_forecaster, tune_lstm_forecaster

    frame = load_airpassengers()
    X, y = make_supervised(frame, "passengers", horizon=2)
    model = make_lstm_forecaster(
        target="passengers", m=12, log=True, baseline="seasonal", units=2, epochs=2
    ).fit(X, y)
    search = tune_lstm_forecaster(
        X,
        y,
        target="passengers",
        m=12,
        log=True,
        baseline="seasonal",
        param_grid={"regressor__lstm__estimator__units": [2]},
        n_splits=2,
        epochs=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        for estimator in (model, search):
            result = forecast(estimator, frame)
            assert_allclose(result.to_numpy(), estimator.predict(frame)[-1])
            assert result.index[0] == pd.Timestamp("1961-01-01")
            assert result.name == "passengers"
            assert np.isfinite(result).all()
