"""``sklstm forecast --future`` / ``--future-columns``: columns known ahead.

One run on the insurance quotes with their planned TV adverts (tiny grid,
2 epochs), shared by the tests that read it; the saved model then forecasts
from either source of the plan without a fit; the error cases fail before
any fit.
"""

import contextlib
import io

import pandas as pd
import pytest
from _forecast_run import run_forecast, tiny
from numpy.testing import assert_allclose

from sklstm.cli import main
from sklstm.cli.forecast._backtest import RECIPE
from sklstm.datasets import load_insurance

H = 4
PLAN = [8.0, 9.0, 7.5, 10.0]
REGRESSION = "airline model (m=1, log) + regression on tv_adverts"


def _plan(values=PLAN):
    index = pd.date_range("2005-05-01", periods=len(values), freq="MS", name="date")
    return pd.DataFrame({"tv_adverts": values}, index=index)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    load_insurance().to_csv(folder / "insurance.csv")
    _plan().to_csv(folder / "plan.csv")
    pd.concat([load_insurance(), _plan()]).to_csv(folder / "with_plan.csv")
    return folder


@pytest.fixture(scope="module")
def run(files, tmp_path_factory):
    """The command once with --future plan.csv: outputs, stdout, backtest."""
    argv = [
        str(files / "insurance.csv"), "--target", "quotes",
        "--horizon", str(H), "--budget", "quick",
        "--future", str(files / "plan.csv"), "--save", "model.joblib",
    ]  # fmt: skip
    return run_forecast(argv, tmp_path_factory.mktemp("run"))


def test_step_1_and_the_report_say_what_is_known_ahead(run, files):
    assert run["status"] == 0
    line = (
        "known ahead: tv_adverts, their next 4 values (2005-05-01 .. 2005-08-01) "
        f"from {files / 'plan.csv'}"
    )
    step_1 = run["stdout"].split("[2/6]")[0]
    assert line in step_1
    report = (run["dir"] / "forecast-report.html").read_text(encoding="utf-8")
    assert "Known ahead: tv_adverts" in report
    forecast = pd.read_csv(run["dir"] / "forecast.csv", index_col=0)
    assert list(forecast.index) == [f"2005-0{k}-01" for k in range(5, 9)]


def test_the_backtest_frames_every_model_with_the_plan(run, monkeypatch):
    """The recipe's and the regression's scores are evaluate_forecaster's with
    future=["tv_adverts"]; the regression is among the baselines."""
    from sklstm.forecasting import AirlineForecaster, evaluate_forecaster
    from sklstm.recipe import TunedLSTMForecaster

    tiny(monkeypatch)
    table = run["backtest"].table
    assert "RidgeCV lags 1..14 + exog lags" in table.index
    models = {
        RECIPE: TunedLSTMForecaster(target="quotes", budget="quick", random_state=0),
        REGRESSION: AirlineForecaster(m=1, target="quotes", log=True, exog=True),
    }
    for name, model in models.items():
        expected = evaluate_forecaster(
            model, load_insurance(), target="quotes", horizon=H, n_test=8,
            future=["tv_adverts"],
        )  # fmt: skip
        assert table.loc[name, "MASE"] == pytest.approx(expected["MASE"], rel=1e-9)


def _saved(run, args):
    stdout = io.StringIO()
    output = run["dir"] / "again.csv"
    with contextlib.redirect_stdout(stdout):
        status = main(
            ["forecast", "--model", str(run["dir"] / "model.joblib"), *args,
             "--output", str(output)]
        )  # fmt: skip
    assert status == 0
    return pd.read_csv(output, index_col=0)["quotes"].to_numpy()


def test_the_saved_model_takes_the_plan_from_either_source(run, files, tmp_path):
    first = pd.read_csv(run["dir"] / "forecast.csv", index_col=0)["quotes"]
    same_file = _saved(run, [str(files / "with_plan.csv"), "--future-columns",
                             "tv_adverts"])  # fmt: skip
    assert_allclose(same_file, first.to_numpy())
    other = _plan([0.0, 0.0, 12.0, 12.0])
    other.to_csv(tmp_path / "other.csv")
    changed = _saved(run, [str(files / "insurance.csv"), "--future",
                           str(tmp_path / "other.csv")])  # fmt: skip
    assert (changed != first.to_numpy()).all()  # the forecast reads the plan


def _error(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--horizon", "6", "--future", "PLAN"],
         "has no row for 2005-09-01: the forecast of 6 steps"),
        (["--future", "BLANK"], "column 'tv_adverts' is blank at 2005-06-01"),
        (["--future", "PLAN", "--future-columns", "price"],
         "'price' known ahead is not a numeric column"),
        (["--future-columns", "quotes"], "names the target 'quotes'"),
        (["--future-columns", "tv_adverts"], "but its last row has one"),
    ],
)  # fmt: skip
def test_a_bad_plan_is_one_clear_line(files, tmp_path, capsys, args, message):
    _plan([8.0, None, 7.0, 9.0]).to_csv(tmp_path / "blank.csv")
    replace = {"PLAN": str(files / "plan.csv"), "BLANK": str(tmp_path / "blank.csv")}
    args = [replace.get(a, a) for a in args]
    if "--horizon" not in args:
        args += ["--horizon", str(H)]
    file = files / ("with_plan.csv" if "quotes" in args else "insurance.csv")
    assert main(["forecast", str(file), "--target", "quotes", *args]) == 1
    assert message in _error(capsys)


def test_a_saved_model_needs_its_plan(run, files, capsys):
    assert main(["forecast", "--model", str(run["dir"] / "model.joblib"),
                 str(files / "insurance.csv")]) == 1  # fmt: skip
    assert "fitted with tv_adverts known ahead: give their next values" in _error(
        capsys
    )
