"""``sklstm forecast`` puts the rows on their time grid: the step and the ends.

The step is found in the index's own unit and calendar (a business day, a
weekly anchor, month / quarter / year starts and ends), also when a timestamp
is missing; ``--freq`` gives it when inference cannot decide. Blank targets at
the end are never invented: the series ends at its last observed value.
"""

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

import sklstm
from sklstm.cli import main
from sklstm.cli.forecast._data import read_data

TINY_GRID = {"regressor__lstm__estimator__units": [2], "regressor__window__window": [4]}


def _write(tmp_path, index, values=None, name="data.csv", fmt="%Y-%m-%d"):
    values = np.arange(len(index), dtype=float) if values is None else values
    path = tmp_path / name
    frame = pd.DataFrame({"date": index.strftime(fmt), "y": values})
    frame.to_csv(path, index=False)
    return path


def _error_line(capsys):
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("sklstm forecast: error: ")
    return err


# --------------------------------------------------------------------------- #
# the step, with a timestamp missing
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    "freq, expected",
    [
        ("D", "D"),
        ("W-SUN", "W-SUN"),
        ("W-WED", "W-WED"),
        ("B", "B"),
        ("MS", "MS"),
        ("ME", "ME"),
        ("QS-JAN", "QS-JAN"),
        ("QE-DEC", "QE-DEC"),
        ("QS-FEB", "QS-FEB"),
        ("YS-JAN", "YS-JAN"),
        ("YE-DEC", "YE-DEC"),
        ("h", "h"),
        ("15min", "15min"),
    ],
)
def test_one_missing_timestamp_is_one_gap_at_the_files_step(tmp_path, freq, expected):
    index = pd.date_range("2001-01-01", periods=61, freq=freq)
    fmt = "%Y-%m-%d %H:%M" if freq in ("h", "15min") else "%Y-%m-%d"
    path = _write(tmp_path, index.delete(30), np.arange(60.0), fmt=fmt)
    data = read_data(path, "y")
    assert data.freq == expected
    assert data.frame.index.equals(pd.DatetimeIndex(index, name="date"))
    assert data.n_inserted == 1 and data.n_gaps == 1
    assert data.frame["y"].iloc[30] == pytest.approx(29.5)  # between its neighbours


def test_a_business_day_series_with_holidays_keeps_weekends_out(tmp_path):
    days = pd.bdate_range("2024-01-01", periods=80)
    holidays = [pd.Timestamp("2024-01-15"), pd.Timestamp("2024-02-19")]
    path = _write(tmp_path, days.drop(holidays), np.arange(78.0))
    data = read_data(path, "y")
    assert data.freq == "B" and data.n_inserted == 2
    assert (data.frame.index.day_of_week < 5).all()
    assert data.frame.index.equals(pd.DatetimeIndex(days, name="date"))


def test_freq_option_gives_the_step(tmp_path, capsys):
    # 2, 3, 5 ... days apart: no step can be told from the file
    days = pd.DatetimeIndex(["2020-01-01", "2020-01-03", "2020-01-06", "2020-01-11"])
    days = days.append(pd.date_range("2020-01-15", periods=40, freq="2D"))
    path = _write(tmp_path, days)
    data = read_data(path, "y", freq="D")
    assert data.freq == "D" and len(data.frame) == (days[-1] - days[0]).days + 1
    argv = ["forecast", str(path), "--target", "y", "--horizon", "2"]
    assert main(argv) == 1
    assert "pass --freq" in _error_line(capsys)
    for bad in ["fortnightly", "-1D"]:
        assert main([*argv, f"--freq={bad}"]) == 1
        assert f"--freq {bad!r} is not a pandas frequency" in _error_line(capsys)
    assert main([*argv, "--freq", "W-SUN"]) == 1  # the dates are not Sundays
    assert "--freq W-SUN" in _error_line(capsys)


# --------------------------------------------------------------------------- #
# blank targets at the end
# --------------------------------------------------------------------------- #
def test_trailing_blank_targets_are_not_invented(tmp_path):
    months = pd.date_range("2018-01-01", "2020-12-01", freq="MS")
    y = 100 + 2 * np.arange(len(months), dtype=float)
    y[-3:] = np.nan  # Oct, Nov, Dec 2020
    y[5] = np.nan  # an interior gap: still interpolated
    path = tmp_path / "trailing.csv"
    frame = pd.DataFrame({"date": months.strftime("%Y-%m-%d"), "y": y, "x": 1.0})
    frame.to_csv(path, index=False)
    data = read_data(path, "y")
    assert data.frame.index[-1] == pd.Timestamp("2020-09-01")
    assert data.n_trailing == 3 and data.n_gaps == 1
    np.testing.assert_allclose(data.frame["y"], 100 + 2 * np.arange(33.0))
    assert len(data.frame["x"]) == 33  # the inputs of the blank rows are unused


@pytest.fixture(scope="module")
def daily_run(tmp_path_factory):
    """The command on a daily file with one missing day and two blank targets."""
    out = tmp_path_factory.mktemp("daily")
    days = pd.date_range("2020-01-01", periods=61, freq="D")
    rng = np.random.default_rng(0)
    y = 20 + 3 * np.sin(np.arange(61) / 4) + rng.normal(scale=0.1, size=61)
    y[-2:] = np.nan
    path = _write(out, days.delete(30), np.delete(y, 30))
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sklstm.recipe._build._LSTM_DEFAULTS, "epochs", 2)
        mp.setitem(sklstm.recipe.DEFAULT_PARAM_GRIDS, "quick", TINY_GRID)
        mp.chdir(out)
        argv = ["forecast", str(path), "--target", "y", "--horizon", "3",
                "--test-size", "10", "--budget", "quick"]  # fmt: skip
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            status = main(argv)
    return {"dir": out, "status": status, "stdout": stdout.getvalue()}


def test_forecast_of_a_daily_file_keeps_a_daily_step(daily_run):
    assert daily_run["status"] == 0
    out = daily_run["stdout"]
    assert "59 rows of 'y' (2020-01-01 .. 2020-02-28), step D" in out
    assert "1 missing timestamps added as gaps" in out
    assert "1 gaps interpolated linearly" in out
    future = pd.read_csv(daily_run["dir"] / "forecast.csv", index_col=0)
    assert list(future.index) == ["2020-02-29", "2020-03-01", "2020-03-02"]


def test_forecast_says_where_the_observed_series_ends(daily_run):
    assert (
        "the last 2 rows have no target: forecasting from 2020-02-28, the last "
        "observed value" in daily_run["stdout"]
    )
