"""``sklstm forecast``: from a CSV to a forecast, a report and a saved model.

One command run (tiny grid, 2 epochs) is shared by the tests that read its
outputs; the error cases fail before any fit.
"""

import base64
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _forecast_run import run_forecast, tiny

import sklstm
from sklstm.cli import main
from sklstm.cli._common import CommandError, write_all
from sklstm.cli.forecast._backtest import RECIPE, Backtest, choose
from sklstm.cli.forecast._data import read_data
from sklstm.cli.forecast._report import SECTIONS
from sklstm.datasets import load_airpassengers

ROOT = Path(__file__).resolve().parents[2]
H, N_TEST = 3, 24


@pytest.fixture(scope="module")
def airpassengers_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "airpassengers.csv"
    load_airpassengers().to_csv(path)
    return path


@pytest.fixture(scope="module")
def run(airpassengers_csv, tmp_path_factory):
    """The command once on AirPassengers: its outputs, stdout and backtest."""
    argv = [
        str(airpassengers_csv), "--target", "passengers",
        "--horizon", str(H), "--m", "12", "--test-size", str(N_TEST),
        "--budget", "quick", "--coverage", "0.9", "--save", "model.joblib",
    ]  # fmt: skip
    return run_forecast(argv, tmp_path_factory.mktemp("run"))


def test_forecast_writes_the_next_values_with_their_dates(run):
    assert run["status"] == 0
    frame = pd.read_csv(run["dir"] / "forecast.csv", index_col=0, parse_dates=True)
    assert list(frame.index.strftime("%Y-%m")) == ["1961-01", "1961-02", "1961-03"]
    assert list(frame.columns) == ["passengers", "lower", "upper"]
    assert (frame["lower"] < frame["passengers"]).all()
    assert (frame["passengers"] < frame["upper"]).all()
    assert frame["passengers"].between(300, 700).all()  # AirPassengers' scale


def test_forecast_prints_each_step_and_a_line_per_fit(run):
    out = run["stdout"]
    for text in [
        "[1/6]", "[2/6] the diagnosis", "[warning] trend", "[3/6] the backtest",
        "fit 3/3", "airline model (m=12, log): MASE", "[4/6]", "[5/6]",
        "not tuned again", "[6/6] the next 3 values", "1961-03-01",
    ]:  # fmt: skip
        assert text in out, text
    assert ("The tuned sklstm recipe wins" in out) != ("A BASELINE WINS" in out)


def test_backtest_equals_the_accuracy_benchmarks_evaluation(run, monkeypatch):
    """The same data, budget and seed: the numbers of evaluate_forecaster."""
    from sklstm.forecasting import AirlineForecaster, evaluate_forecaster
    from sklstm.recipe import TunedLSTMForecaster

    tiny(monkeypatch)
    tuned = TunedLSTMForecaster(
        target="passengers", m=12, budget="quick", random_state=0
    )
    table = run["backtest"].table
    for name, model in [
        (RECIPE, tuned),
        ("airline model (m=12, log)", AirlineForecaster(m=12, target="passengers",
                                                        log=True)),
    ]:  # fmt: skip
        expected = evaluate_forecaster(
            model, load_airpassengers().interpolate(), target="passengers",
            horizon=H, n_test=N_TEST, m=12,
        )  # fmt: skip
        for score in ["MAE", "RMSE", "MASE"]:
            assert table.loc[name, score] == pytest.approx(expected[score], rel=1e-9)


class _Checker(HTMLParser):
    """Every element closed in order; ids, images and links recorded."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.images, self.links = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "img":
            self.images.append(attrs["src"])
        self.links += [attrs[k] for k in ("href", "src") if k in attrs and tag != "img"]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack[-5:], tag)
        self.stack.pop()


def test_report_is_well_formed_self_contained_and_holds_each_section(run):
    text = (run["dir"] / "forecast-report.html").read_text(encoding="utf-8")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert checker.stack == []
    assert checker.ids == [key for key, _ in SECTIONS]
    assert checker.links == []  # no stylesheet, script or link to fetch
    assert len(checker.images) == 3  # data, backtest forecasts, forecast
    for src in checker.images:
        head, data = src.split(",", 1)
        assert head == "data:image/png;base64"
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    for text_in in ["airline model (m=12, log)", "1961-03-01", "fit 3/3",
                    "0.9 coverage", "MSIS", "unscaled_target"]:  # fmt: skip
        assert text_in in text, text_in


def test_saved_model_forecasts_identically_in_a_fresh_process(run):
    out = run["dir"] / "again.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from sklstm.cli import main; sys.exit(main(sys.argv[1:]))"
    csv = run["dir"] / "data.csv"
    load_airpassengers().to_csv(csv)
    done = subprocess.run(
        [sys.executable, "-c", code, "forecast", "--model",
         str(run["dir"] / "model.joblib"), str(csv), "--output", str(out)],
        capture_output=True, text=True, env=env, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first = pd.read_csv(run["dir"] / "forecast.csv", index_col=0)
    again = pd.read_csv(out, index_col=0)
    pd.testing.assert_frame_equal(first, again, check_exact=True)


def _error_line(capsys):
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("sklstm forecast: error: ")
    return err


def test_model_saved_by_another_release_is_a_clear_error(
    tmp_path, airpassengers_csv, monkeypatch, capsys
):
    from sklstm.cli.forecast._model import save_model

    path = tmp_path / "old.joblib"
    monkeypatch.setattr(sklstm, "__version__", "0.0.9")
    save_model(path, object(), {"target": "passengers", "horizon": 3})
    monkeypatch.undo()
    assert main(["forecast", "--model", str(path), str(airpassengers_csv),
                 "--output", str(tmp_path / "f.csv")]) == 1  # fmt: skip
    err = _error_line(capsys)
    assert "saved by sklstm 0.0.9" in err and sklstm.__version__ in err
    (tmp_path / "junk.joblib").write_bytes(b"not a model")
    assert main(["forecast", "--model", str(tmp_path / "junk.joblib"),
                 str(airpassengers_csv)]) == 1  # fmt: skip
    assert "is not a model saved by" in _error_line(capsys)
    assert not (tmp_path / "f.csv").exists()


def _bad_inputs(tmp_path):
    frame = load_airpassengers()
    frame["city"] = "Paris"
    frame.to_csv(tmp_path / "ok.csv")
    frame.iloc[:30].to_csv(tmp_path / "short.csv")
    return tmp_path / "ok.csv", tmp_path / "short.csv"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--target", "nope", "--horizon", "3"], "'nope' is not a column"),
        (["--target", "city", "--horizon", "3"], "is not numeric"),
        (["--target", "passengers", "--horizon", "3", "SHORT"], "too few rows"),
        (["--target", "passengers", "--horizon", "200"], "needs more rows"),
        (["--target", "passengers", "--horizon", "3", "--output", "NOWHERE"],
         "cannot write --output"),
        (["--target", "passengers", "--horizon", "3", "--report", "DIR"],
         "is a directory"),
        (["--target", "passengers", "--horizon", "3", "--coverage", "1.5"],
         "--coverage '1.5' must be a number between 0 and 1"),
        (["--target", "passengers", "--horizon", "3", "--coverage", "abc"],
         "--coverage 'abc'"),
        (["--target", "passengers", "--horizon", "3", "--test-size", "0"],
         "--test-size '0'"),
        (["--horizon", "3"], "--target and --horizon are needed"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_line_and_writes_nothing(
    tmp_path, monkeypatch, capsys, args, message
):
    ok, short = _bad_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(os.listdir(tmp_path))
    args = [str(short) if a == "SHORT" else a for a in args]
    args = [str(tmp_path / "no" / "f.csv") if a == "NOWHERE" else a for a in args]
    args = [str(tmp_path) if a == "DIR" else a for a in args]
    file = [] if str(short) in args else [str(ok)]
    args = [a for a in args if a != str(short)] + file + ([str(short)] * (not file))
    assert main(["forecast", *args]) == 1
    assert message in _error_line(capsys)
    assert sorted(os.listdir(tmp_path)) == before


def test_write_all_writes_every_file_or_none(tmp_path):
    def write(text):
        return lambda path: Path(path).write_text(text)

    with pytest.raises(CommandError, match="cannot write the report"):
        write_all([
            (tmp_path / "a.csv", write("a"), "the forecast"),
            (tmp_path / "missing" / "b.html", write("b"), "the report"),
        ])  # fmt: skip
    assert os.listdir(tmp_path) == []
    write_all([(tmp_path / "a.csv", write("a"), "the forecast")])
    assert os.listdir(tmp_path) == ["a.csv"]
    assert (tmp_path / "a.csv").stat().st_mode & 0o044  # as open() makes it


def test_read_data_puts_rows_on_the_grid_and_fills_gaps(tmp_path):
    """Missing months become gaps, gaps are interpolated, text columns left out."""
    index = pd.date_range("2020-01-01", periods=40, freq="MS")
    frame = pd.DataFrame(
        {"y": np.arange(40.0), "price": np.arange(40.0) * 2, "note": "x"},
        index=pd.Index(index, name="month"),
    )
    frame.iloc[5, 0] = np.nan
    frame.drop(index=index[[10, 11]]).to_csv(tmp_path / "gappy.csv")
    data = read_data(tmp_path / "gappy.csv", "y")
    assert data.freq == "MS" and len(data.frame) == 40
    assert data.n_inserted == 2 and data.n_gaps == 3 and data.dropped == ["note"]
    np.testing.assert_allclose(data.frame["y"], np.arange(40.0))
    assert list(data.frame.columns) == ["y", "price"]


def _backtest(mase):
    table = pd.DataFrame({"MASE": mase}).rename_axis("model")
    search = type("S", (), {"best_params_": {"shrinkage": 0.5}})()
    recipe = type("R", (), {"search_": search})()
    return Backtest(3, 1, 12, None, table, {RECIPE: recipe})


def test_choose_says_plainly_when_a_baseline_wins(capsys):
    assert choose(_backtest({"naive": 1.2, "airline": 0.4, RECIPE: 0.5})) == "airline"
    out = capsys.readouterr().out
    assert "A BASELINE WINS: airline scored MASE 0.4000" in out
    assert "The forecast is made with airline, not with the LSTM" in out
    assert choose(_backtest({"naive": 1.2, RECIPE: 0.5})) == RECIPE
    assert "The tuned sklstm recipe wins" in capsys.readouterr().out
