"""How the commands read dates: one rule for ``forecast``, ``diagnose`` and
:func:`sklstm.cli.read_series_csv`.

Day-first dates are read day first only when the file proves it, ambiguous
ones are refused, every bad date is one line naming its line in the file and
its value, and different UTC offsets (a daylight saving change) become UTC.
"""

import numpy as np
import pandas as pd
import pytest

from sklstm.cli import CommandError, main, read_series_csv
from sklstm.cli._common import read_with_notes
from sklstm.cli.forecast._data import read_data


def _write(tmp_path, dates, values=None, name="data.csv", column="date"):
    values = np.arange(len(dates), dtype=float) if values is None else values
    path = tmp_path / name
    pd.DataFrame({column: dates, "y": values}).to_csv(path, index=False)
    return path


def _error_line(capsys, command="forecast"):
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"sklstm {command}: error: ")
    return err


DAYS = pd.date_range("2020-01-01", periods=60, freq="D")


# --------------------------------------------------------------------------- #
# day first, month first, ambiguous
# --------------------------------------------------------------------------- #
def test_day_first_dates_are_read_as_written_when_the_file_proves_it(tmp_path):
    # row i holds the value i; "02/01/2020" is 2 January, "13/01/2020" proves it
    path = _write(tmp_path, DAYS.strftime("%d/%m/%Y"))
    frame, notes = read_with_notes(path)
    assert frame.index.equals(pd.DatetimeIndex(DAYS, name="date"))
    np.testing.assert_array_equal(frame["y"], np.arange(60.0))
    assert frame.loc["2020-01-02", "y"] == 1.0 and frame.loc["2020-02-01", "y"] == 31
    assert not any("time order" in note.message for note in notes)  # no resorting
    assert any("day/month/year" in note.message for note in notes)


def test_month_first_dates_are_read_month_first_when_the_file_proves_it(tmp_path):
    path = _write(tmp_path, DAYS.strftime("%m/%d/%Y"))
    frame = read_series_csv(path)
    assert frame.index.equals(pd.DatetimeIndex(DAYS, name="date"))


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%d.%m.%y", "%d-%m-%Y %H:%M"])
def test_ambiguous_day_month_dates_are_refused(tmp_path, capsys, fmt):
    # the first of each month: day and month both <= 12 in every row
    months = pd.date_range("2018-01-01", periods=40, freq="MS")
    path = _write(tmp_path, months.strftime(fmt))
    with pytest.raises(CommandError, match="ambiguous dates.*pass --date-format"):
        read_series_csv(path)
    assert main(["forecast", str(path), "--target", "y", "--horizon", "2"]) == 1
    assert "ambiguous dates" in _error_line(capsys)
    assert main(["diagnose", str(path), "--target", "y"]) == 1
    assert "pass --date-format" in _error_line(capsys, "diagnose")


def test_date_format_reads_an_ambiguous_file(tmp_path, capsys):
    months = pd.date_range("2018-01-01", periods=40, freq="MS")
    path = _write(tmp_path, months.strftime("%d/%m/%Y"))
    frame = read_series_csv(path, date_format="%d/%m/%Y")
    assert frame.index.equals(pd.DatetimeIndex(months, name="date"))
    assert read_data(path, "y", date_format="%d/%m/%Y").freq == "MS"
    assert (
        main(["diagnose", str(path), "--target", "y", "--date-format", "%d/%m/%Y"]) == 0
    )
    assert "2018-01-01 .. 2021-04-01" in capsys.readouterr().out


def test_a_cell_not_matching_date_format_is_one_line_naming_it(tmp_path, capsys):
    dates = list(DAYS.strftime("%d/%m/%Y"))
    dates[7] = "2020-01-08"  # line 9 of the file
    path = _write(tmp_path, dates)
    argv = ["forecast", str(path), "--target", "y", "--horizon", "2"]
    assert main([*argv, "--date-format", "%d/%m/%Y"]) == 1
    err = _error_line(capsys)
    assert "line 9" in err and "'2020-01-08'" in err and "--date-format" in err
    assert main([*argv, "--date-format", "%Q"]) == 1
    assert "--date-format '%Q'" in _error_line(capsys)


def test_date_format_must_match_the_date_column_it_finds(tmp_path, capsys):
    path = _write(tmp_path, DAYS.strftime("%d/%m/%Y"))  # 12 of 60 read month first
    argv = ["diagnose", str(path), "--target", "y", "--date-format"]
    assert main([*argv, "%m/%d/%Y"]) == 1
    err = _error_line(capsys, "diagnose")
    assert "line 14" in err and "'13/01/2020'" in err and "'%m/%d/%Y'" in err
    assert main([*argv, "%Y"]) == 1
    assert "--date-format '%Y' matches no column" in _error_line(capsys, "diagnose")


def test_iso_dates_with_times_and_one_offset_are_kept(tmp_path):
    hours = pd.date_range("2021-06-01", periods=50, freq="h")
    path = _write(tmp_path, hours.strftime("%Y-%m-%dT%H:%M:%S+02:00"))
    frame = read_series_csv(path)
    assert frame.index.equals(
        pd.DatetimeIndex(hours.tz_localize("+02:00"), name="date")
    )
    path = _write(tmp_path, hours.strftime("%Y-%m-%d %H:%M"), name="naive.csv")
    assert read_series_csv(path).index.equals(pd.DatetimeIndex(hours, name="date"))


def test_diagnose_reads_day_first_dates_as_forecast_does(tmp_path, capsys):
    path = _write(tmp_path, DAYS.strftime("%d/%m/%Y"))
    assert main(["diagnose", str(path), "--target", "y"]) == 0
    out = capsys.readouterr().out
    assert "2020-01-01 .. 2020-02-29" in out
    assert "not in time order" not in out


# --------------------------------------------------------------------------- #
# bad cells: one line naming the line of the file and the value
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("date_column", [None, "date"])
def test_an_empty_date_cell_is_one_line_naming_its_line(tmp_path, capsys, date_column):
    dates = list(DAYS.strftime("%Y-%m-%d"))
    dates[10] = ""  # row 10 is on line 12 (the header is line 1)
    path = _write(tmp_path, dates)
    argv = ["forecast", str(path), "--target", "y", "--horizon", "2"]
    argv += ["--date-column", date_column] if date_column else []
    assert main(argv) == 1
    err = _error_line(capsys)
    assert f"line 12 of {str(path)!r} has no date in column 'date'" in err


@pytest.mark.parametrize("date_column", [None, "date"])
def test_a_bad_cell_in_a_date_column_is_refused_by_name(tmp_path, capsys, date_column):
    dates = list(DAYS.strftime("%Y-%m-%d"))
    dates[20] = "2020-13-45"
    path = _write(tmp_path, dates)
    argv = ["diagnose", str(path), "--target", "y"]
    argv += ["--date-column", date_column] if date_column else []
    assert main(argv) == 1
    err = _error_line(capsys, "diagnose")
    assert "line 22" in err and "'2020-13-45'" in err and "'date'" in err


def test_line_numbers_count_the_lines_of_the_file(tmp_path):
    text = "date,y\n2020-01-01,1\n\n2020-01-02,2\n2020-01-0x,3\n"
    (tmp_path / "gap.csv").write_text(text)
    with pytest.raises(CommandError, match="line 5 of .*'2020-01-0x'"):
        read_series_csv(tmp_path / "gap.csv")


def test_a_text_column_is_not_taken_for_dates(tmp_path):
    path = tmp_path / "kinds.csv"
    pd.DataFrame({"kind": ["a", "b", "12.5"] * 10, "y": np.arange(30.0)}).to_csv(
        path, index=False
    )
    frame, notes = read_with_notes(path)
    assert list(frame.columns) == ["kind", "y"]
    assert "found no date column" in notes[0].message


# --------------------------------------------------------------------------- #
# UTC offsets
# --------------------------------------------------------------------------- #
def _dst_csv(tmp_path):
    hours = pd.date_range("2021-03-27", periods=72, freq="h", tz="Europe/Paris")
    text = hours.strftime("%Y-%m-%dT%H:%M:%S%z")
    text = text.str.replace(r"(\d\d)(\d\d)$", r"\1:\2", regex=True)  # +01:00
    return _write(tmp_path, text, name="dst.csv", column="time"), hours


def test_offsets_across_a_dst_change_become_utc_with_a_note(tmp_path):
    path, hours = _dst_csv(tmp_path)
    frame, notes = read_with_notes(path)
    assert frame.index.equals(pd.DatetimeIndex(hours.tz_convert("UTC"), name="time"))
    assert any("UTC" in note.message for note in notes)
    data = read_data(path, "y")
    assert data.freq == "h" and len(data.frame) == 72 and data.n_inserted == 0
