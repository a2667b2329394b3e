"""The ``sklstm`` command line and its ``diagnose`` subcommand."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sklstm
from sklstm import cli


@pytest.fixture
def series_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 240
    t = np.arange(n)
    frame = pd.DataFrame(
        {
            "date": pd.date_range("2000-01-01", periods=n, freq="MS").strftime(
                "%Y-%m-%d"
            ),
            "load": 500 + 2 * t + 50 * np.sin(2 * np.pi * t / 12) + rng.normal(size=n),
            "temp": rng.normal(size=n),
            "kind": ["a", "b"] * (n // 2),
        }
    )
    frame.loc[5, "temp"] = np.nan
    frame = frame.iloc[::-1]  # out of order on purpose: the date index sorts it
    path = tmp_path / "series.csv"
    frame.to_csv(path, index=False)
    return path


def test_diagnose_prints_the_data_report(series_csv, capsys):
    status = cli.main(
        ["diagnose", str(series_csv), "--target", "load", "--window", "6"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines()[0].startswith("sklstm diagnosis: 1 error, ")
    assert "target 'load', 2000-01-01 .. 2019-12-01" in out  # the date became the index
    assert "settings: window=6, validation_fraction=0.1" in out
    for name in (
        "[error] missing_values (temp)",
        "[warning] unscaled_target (load)",
        "[warning] trend (load)",
        "[warning] window_shorter_than_season (load)",
        "[info] non_numeric_column (kind)",
    ):
        assert name in out
    assert "has 1 missing value (0.4%), at 2000-06-01" in out  # located by date


def test_diagnose_without_window_and_univariate(tmp_path, capsys):
    path = tmp_path / "uni.csv"
    pd.DataFrame({"y": np.random.default_rng(1).normal(size=300)}).to_csv(
        path, index=False
    )
    assert cli.main(["diagnose", str(path), "--target", "y"]) == 0
    out = capsys.readouterr().out
    assert "data: 300 rows, target 'y'" in out
    # no date column: the only finding says so, and how to name one
    assert "0 errors, 0 warnings, 1 info" in out
    assert "[info] time_index" in out and "found no date column" in out


def test_missing_column_is_a_clear_error(series_csv, capsys):
    status = cli.main(["diagnose", str(series_csv), "--target", "nope"])
    err = capsys.readouterr().err
    assert status == 1
    assert "sklstm diagnose: error: --target 'nope' is not a column" in err
    assert "its columns are: load, temp, kind" in err


def test_non_numeric_target_is_a_clear_error(series_csv, capsys):
    assert cli.main(["diagnose", str(series_csv), "--target", "kind"]) == 1
    assert "--target 'kind' is not numeric" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, b"", b"\xff\xfe\x00\x81garbage\x00\xff"])
def test_unreadable_file_is_a_clear_error(tmp_path, capsys, content):
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_bytes(content)
    status = cli.main(["diagnose", str(path), "--target", "y"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("sklstm diagnose: error: ")
    assert "bad.csv" in err


@pytest.mark.parametrize(
    "args, match",
    [
        (["--window", "0"], "argument --window: '0' is not an int >= 1"),
        (["--window", "x"], "argument --window: 'x' is not an int >= 1"),
        (["--validation-fraction", "1.5"], "'1.5' is not a number in [0, 1)"),
        ([], "the following arguments are required: --target"),
    ],
)
def test_usage_errors_exit_2(series_csv, capsys, args, match):
    argv = ["diagnose", str(series_csv)] + (args or [])
    if args:
        argv += ["--target", "load"]
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert match in capsys.readouterr().err


def test_no_subcommand_prints_help_and_exits_2(capsys):
    assert cli.main([]) == 2
    assert "diagnose" in capsys.readouterr().err


def test_the_commands_are_a_fixed_table(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    listed = [
        line.split()[0]
        for line in out.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert listed == ["demo", "forecast", "diagnose"]
    assert not hasattr(cli, "add_subcommand")


def test_a_command_error_is_one_line_and_exit_1(monkeypatch, capsys):
    from sklstm.cli import diagnose

    def run(args):
        raise cli.CommandError("it failed")

    monkeypatch.setattr(diagnose, "run", run)
    assert cli.main(["diagnose", "x.csv", "--target", "y"]) == 1
    assert capsys.readouterr().err == "sklstm diagnose: error: it failed\n"


def test_module_runs_as_a_program(series_csv):
    root = Path(sklstm.__file__).resolve().parents[1]
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sklstm.cli",
            "diagnose",
            str(series_csv),
            "--target",
            "load",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "sklstm diagnosis:" in out.stdout
    version = subprocess.run(
        [sys.executable, "-m", "sklstm.cli", "--version"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == f"sklstm {sklstm.__version__}"


@pytest.mark.parametrize("where", ["missing-dir", "directory"])
def test_demo_fails_fast_with_one_line_when_output_cannot_be_written(
    tmp_path, capsys, monkeypatch, where
):
    import sklstm.cli.demo._series as series

    def no_work(*args):
        raise AssertionError("the demo started working before checking --output")

    monkeypatch.setattr(series, "_step", no_work)
    path = tmp_path / "missing" / "x.png" if where == "missing-dir" else tmp_path
    assert cli.main(["demo", "--output", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("sklstm demo: error:") and repr(str(path)) in err
    assert not (tmp_path / "missing").exists()


def test_demo_output_check_leaves_no_file(tmp_path):
    from sklstm.cli._common import check_output

    path = tmp_path / "figure.png"
    check_output(str(path))
    assert not path.exists()


def _forecast_csv(path, forecasts):
    rng = np.random.RandomState(0)
    n = 200
    y = 10 + 3 * np.sin(2 * np.pi * np.arange(n) / 12)
    y = y + np.cumsum(0.3 * rng.normal(size=n))
    pred = np.full(n, np.nan)
    pred[150:] = forecasts(y)
    days = pd.date_range("2020-01-01", periods=n, freq="D").strftime("%Y-%m-%d")
    pd.DataFrame({"date": days, "y": y, "lstm": pred}).to_csv(path, index=False)


def test_diagnose_predictions_column_finds_an_echo(tmp_path, capsys):
    path = tmp_path / "forecasts.csv"
    _forecast_csv(path, lambda y: y[149:-1])  # the previous actual value
    assert (
        cli.main(["diagnose", str(path), "--target", "y", "--predictions", "lstm"]) == 0
    )
    out = capsys.readouterr().out
    assert "[warning] persistence" in out
    assert "'lstm'" not in out  # the forecasts are not diagnosed as an input


def test_diagnose_predictions_column_quiet_on_good_forecasts(tmp_path, capsys):
    path = tmp_path / "forecasts.csv"
    _forecast_csv(path, lambda y: y[150:] + 0.01)
    assert (
        cli.main(["diagnose", str(path), "--target", "y", "--predictions", "lstm"]) == 0
    )
    out = capsys.readouterr().out
    for name in ("persistence", "flat_forecast", "worse_than_naive"):
        assert name not in out


def test_diagnose_predictions_column_errors_name_it(tmp_path, capsys):
    path = tmp_path / "forecasts.csv"
    _forecast_csv(path, lambda y: y[150:])
    assert cli.main(["diagnose", str(path), "--target", "y", "--predictions", "p"]) == 1
    assert "--predictions 'p' is not a column" in capsys.readouterr().err
