"""diagnose_forecast: each finding fires on its case and not on a good forecast."""

import numpy as np
import pytest

from sklstm.diagnose import diagnose, diagnose_forecast
from sklstm.diagnose._utils import fmt


def _series(n=200, seed=0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    return 10 + 3 * np.sin(2 * np.pi * t / 12) + np.cumsum(0.3 * rng.normal(size=n))


@pytest.fixture(scope="module")
def split():
    y = _series()
    rng = np.random.RandomState(1)
    train, test = y[:150], y[150:]
    good = test + 0.05 * rng.normal(size=len(test))  # close to the actual values
    return train, test, good


def test_a_good_forecast_raises_nothing(split):
    train, test, good = split
    d = diagnose_forecast(test, good, y_train=train)
    assert d.names == []
    assert d.context["forecasts"].startswith("50 forecasts (1 step), MAE 0.0")


def test_echo_of_the_previous_value_is_persistence(split):
    train, test, _ = split
    echo = np.r_[train[-1], test[:-1]]  # exactly the naive forecast
    d = diagnose_forecast(test, echo, y_train=train)
    assert "persistence" in d.names
    assert d["persistence"].evidence["lag"] == 1
    assert d["persistence"].evidence["mae_ratio_to_naive"] == pytest.approx(1.0)
    # a forecast shifted by one step but better than naive is not an echo
    better = 0.5 * echo + 0.5 * test
    assert "persistence" not in diagnose_forecast(test, better, y_train=train).names


def test_echo_without_training_series_uses_the_test_part_alone(split):
    _, test, _ = split
    echo = np.r_[test[0], test[:-1]]
    d = diagnose_forecast(test, echo)
    assert "persistence" in d.names
    assert "worse_than_naive" not in d.names  # no MASE scale without y_train


def test_flat_line_is_flat_forecast(split):
    train, test, good = split
    flat = np.full_like(test, train.mean()) + 1e-3 * np.arange(len(test))
    d = diagnose_forecast(test, flat, y_train=train)
    assert "flat_forecast" in d.names
    assert d["flat_forecast"].evidence["spread_ratio"] < 0.01
    assert "flat_forecast" not in diagnose_forecast(test, good, y_train=train).names


def test_offset_forecast_is_biased_in_the_right_direction(split):
    train, test, good = split
    high = good + 2.0
    d = diagnose_forecast(test, high, y_train=train)
    assert "forecast_bias" in d.names
    assert "too high" in d["forecast_bias"].message
    assert d["forecast_bias"].evidence["mean_error"] == pytest.approx(
        np.mean(test - high)
    )
    low = diagnose_forecast(test, good - 2.0, y_train=train)
    assert "too low" in low["forecast_bias"].message


def test_mase_at_least_one_is_worse_than_naive(split):
    train, test, _ = split
    noisy = test + np.where(np.arange(len(test)) % 2, 3.0, -3.0)
    d = diagnose_forecast(test, noisy, y_train=train)
    scale = np.mean(np.abs(np.diff(train)))
    assert 3.0 / scale >= 1 and "worse_than_naive" in d.names
    assert d["worse_than_naive"].evidence["MASE"] == pytest.approx(3.0 / scale)
    seasonal = diagnose_forecast(test, noisy, y_train=train, m=12)
    season_scale = np.mean(np.abs(train[12:] - train[:-12]))
    assert f"MASE {fmt(3.0 / season_scale)}," in seasonal.context["forecasts"]


def test_error_growing_along_the_horizon(split):
    train, test, _ = split
    rng = np.random.RandomState(2)
    Y = np.column_stack(
        [test + 0.1 * (h + 1) ** 2 * rng.normal(size=len(test)) for h in range(6)]
    )
    truth = np.column_stack([test] * 6)
    d = diagnose_forecast(truth, Y, y_train=train)
    assert "error_grows_with_horizon" in d.names
    per = d["error_grows_with_horizon"].evidence["mae_per_horizon"]
    assert len(per) == 6 and per[-1] > 2 * per[0]
    assert "MAE by horizon" in d.context["forecasts"]
    even = truth + 0.1 * rng.normal(size=truth.shape)
    assert "error_grows_with_horizon" not in diagnose_forecast(truth, even).names


@pytest.mark.parametrize(
    "y_true, y_pred, kwargs, match",
    [
        (np.ones(5), np.ones(4), {}, "same shape"),
        (np.r_[np.nan, np.ones(4)], np.ones(5), {}, "y_true contains 1 NaN"),
        (np.ones(5), np.ones(5), {"m": 0}, "m=0 is invalid"),
        (np.ones(5), np.ones(5), {"flat_ratio": 2.0}, "flat_ratio=2.0 is invalid"),
        (np.ones(5), np.ones(5), {"y_train": [1.0]}, "y_train must be"),
        (np.ones((0,)), np.ones((0,)), {}, "not empty"),
    ],
)
def test_bad_input_is_named(y_true, y_pred, kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagnose_forecast(y_true, y_pred, **kwargs)


def test_diagnose_adds_the_forecast_findings(split):
    train, test, _ = split
    echo = np.r_[train[-1], test[:-1]]
    d = diagnose(None, None, train, y_test=test, y_pred=echo)
    assert "persistence" in d.names and "MASE" in d.context["forecasts"]
    with pytest.raises(ValueError, match="y_test and y_pred go together"):
        diagnose(None, None, train, y_pred=echo)
