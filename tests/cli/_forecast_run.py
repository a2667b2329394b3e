"""Run ``sklstm forecast`` once for a test module, with tiny networks."""

import contextlib
import io

import pytest

import sklstm.cli.forecast._backtest as backtest_module
import sklstm.recipe
from sklstm.cli import main

TINY_GRID = {"regressor__lstm__estimator__units": [2], "regressor__window__window": [4]}


def tiny(monkeypatch):
    """The quick budget with one 2-unit network trained for 2 epochs."""
    monkeypatch.setitem(sklstm.recipe._build._LSTM_DEFAULTS, "epochs", 2)
    monkeypatch.setitem(sklstm.recipe.DEFAULT_PARAM_GRIDS, "quick", TINY_GRID)


def run_forecast(argv, folder):
    """``main(["forecast", *argv])`` in ``folder``: outputs, stdout and backtest."""
    seen = {}
    backtest = backtest_module.backtest

    def spy(*args, **kwargs):
        seen["backtest"] = backtest(*args, **kwargs)
        return seen["backtest"]

    with pytest.MonkeyPatch.context() as mp:
        tiny(mp)
        mp.setattr(backtest_module, "backtest", spy)
        mp.chdir(folder)
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            status = main(["forecast", *argv])
    return {"dir": folder, "status": status, "stdout": stdout.getvalue(), **seen}
