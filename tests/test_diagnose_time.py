"""diagnose: gaps in time (missing timestamps), row order, the date column."""

import numpy as np
import pandas as pd
import pytest

from sklstm import cli
from sklstm.diagnose import diagnose_data


def _series(index):
    rng = np.random.default_rng(0)
    return pd.Series(rng.normal(size=len(index)), index=index, name="y")


@pytest.mark.parametrize(
    ("index", "alias"),
    [
        (pd.date_range("2024-01-01", periods=400, freq="D"), "D"),
        (pd.date_range("2024-01-01", periods=300, freq="h"), "h"),
        (pd.date_range("1949-01-01", periods=144, freq="MS"), "MS"),
        (pd.date_range("2020-01-05", periods=120, freq="W-SUN"), "W-SUN"),
        (pd.period_range("1949-01", periods=144, freq="M"), "M"),
    ],
    ids=["daily", "hourly", "month-start", "weekly", "period"],
)
def test_missing_timestamps_fire_on_a_gappy_index_only(index, alias):
    full = _series(index)
    assert "missing_timestamps" not in diagnose_data(None, full).names
    gappy = full.drop(index[list(range(30, 50)) + [70]])
    finding = diagnose_data(None, gappy)["missing_timestamps"]
    assert finding.severity == "warning"
    ev = finding.evidence
    assert (ev["frequency"], ev["n_missing"], ev["n_gaps"]) == (alias, 21, 2)
    assert ev["longest_gap"] == 20 and ev["n_expected"] == len(index)
    assert (
        "misses 21 of the" in finding.message and "the longest is 20" in finding.message
    )
    assert "TimeSeriesImputer" in finding.fix
    if isinstance(index, pd.DatetimeIndex):
        assert f"frame.asfreq('{alias}')" in finding.fix
        assert str(index[30].date()) in finding.message  # where the gap starts


def test_no_gap_finding_without_a_time_index_or_a_step():
    assert "missing_timestamps" not in diagnose_data(None, _series(range(100))).names
    irregular = pd.DatetimeIndex(
        pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(50) ** 2, unit="h")
    )
    assert "missing_timestamps" not in diagnose_data(None, _series(irregular)).names


def test_unsorted_rows_are_reported():
    y = _series(pd.date_range("2024-01-01", periods=100, freq="D"))
    d = diagnose_data(None, y.sample(frac=1, random_state=0))
    assert "unsorted_rows" in d.names and "missing_timestamps" not in d.names
    assert "sort_index()" in d["unsorted_rows"].fix


@pytest.fixture
def csv_dir(tmp_path):
    idx = pd.date_range("2024-01-01", periods=200, freq="D")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "when": idx.strftime("%Y-%m-%d"),
            "load": rng.normal(size=200),
            "label": [f"k{i}" for i in range(200)],
        }
    )
    frame.drop(range(50, 80)).to_csv(tmp_path / "gappy.csv", index=False)
    frame.sample(frac=1, random_state=0).to_csv(tmp_path / "shuffled.csv", index=False)
    frame.drop(columns="when").to_csv(tmp_path / "nodate.csv", index=False)
    frame[["label", "when", "load"]].to_csv(tmp_path / "two.csv", index=False)
    return tmp_path


def _diagnose(capsys, *args):
    status = cli.main(["diagnose", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_reports_gaps_sorting_and_a_missing_date_column(csv_dir, capsys):
    status, out, _ = _diagnose(capsys, csv_dir / "gappy.csv", "--target", "load")
    assert status == 0 and "[warning] missing_timestamps" in out
    assert "misses 30 of the 200" in out and "frame.asfreq('D')" in out
    status, out, _ = _diagnose(capsys, csv_dir / "shuffled.csv", "--target", "load")
    assert "[info] time_index (when)" in out and "sorted by column 'when'" in out
    assert "missing_timestamps" not in out
    status, out, _ = _diagnose(capsys, csv_dir / "nodate.csv", "--target", "load")
    assert "found no date column" in out and "--date-column" in out


def test_cli_date_column_overrides_detection(csv_dir, capsys):
    path = csv_dir / "two.csv"
    status, out, _ = _diagnose(
        capsys, path, "--target", "load", "--date-column", "when"
    )
    assert status == 0 and "2024-01-01 .. 2024-07-18" in out
    status, _, err = _diagnose(capsys, path, "--target", "load", "--date-column", "x")
    assert status == 1 and "--date-column 'x' is not a column" in err
    status, _, err = _diagnose(
        capsys, path, "--target", "when", "--date-column", "load"
    )
    assert status == 1 and "numeric, not dates" in err
    status, _, err = _diagnose(
        capsys, path, "--target", "load", "--date-column", "label"
    )
    assert status == 1 and "do not parse as dates" in err


def test_cli_help_says_how_the_date_column_is_found(capsys):
    with pytest.raises(SystemExit):
        cli.main(["diagnose", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--date-column COLUMN" in out
    assert "first non-numeric column of which more than half the cells are" in out
