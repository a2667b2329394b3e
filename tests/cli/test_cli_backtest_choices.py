"""The backtest of ``sklstm forecast`` decides on its training part only.

The season m and the baselines' log space are chosen from the first
``n - n_test`` rows: the test part must not steer the models it scores.
"""

import argparse

import numpy as np
import pandas as pd
import pytest

import sklstm.recipe
from sklstm.cli.forecast._backtest import RECIPE, backtest
from sklstm.cli.forecast._command import _diagnose
from sklstm.cli.forecast._data import read_data
from sklstm.forecasting import NaiveForecaster

N, N_TEST = 120, 48


def _csv(tmp_path, y):
    path = tmp_path / "series.csv"
    months = pd.date_range("2010-01-01", periods=len(y), freq="MS")
    pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "y": y}).to_csv(
        path, index=False
    )
    return read_data(path, "y")


def test_the_season_is_found_in_the_training_part_only(tmp_path, capsys):
    rng = np.random.default_rng(0)
    t = np.arange(N)
    y = 50 + rng.normal(size=N)
    y[N - N_TEST :] += 20 * np.sin(2 * np.pi * t[N - N_TEST :] / 12)  # test only
    data = _csv(tmp_path, y)
    args = argparse.Namespace(horizon=3, m=None)
    diagnosis, m, n_test = _diagnose(data, args, N_TEST)
    assert n_test == N_TEST
    assert "seasonal_period" in diagnosis  # the whole file shows it ...
    assert m == 1  # ... the training part does not
    y[: N - N_TEST] += 20 * np.sin(2 * np.pi * t[: N - N_TEST] / 12)
    assert _diagnose(_csv(tmp_path, y), args, N_TEST)[1] == 12


class _Recipe(NaiveForecaster):
    """A stand-in for the tuned recipe: the test is about the baselines."""

    def __init__(self, *, target=0, m=1, budget=None, random_state=None,
                 n_jobs=None, verbose=0):  # fmt: skip
        super().__init__(target=target)
        self.m, self.budget, self.random_state = m, budget, random_state
        self.n_jobs, self.verbose = n_jobs, verbose


@pytest.mark.parametrize("zero_in", ["test", "train"])
def test_log_space_is_decided_on_the_training_part(
    tmp_path, monkeypatch, capsys, zero_in
):
    t = np.arange(N)
    y = 10 + 5 * np.sin(2 * np.pi * t / 12) + 0.05 * t
    y[N - 10 if zero_in == "test" else 10] = 0.0
    data = _csv(tmp_path, y)
    monkeypatch.setattr(sklstm.recipe, "TunedLSTMForecaster", _Recipe)
    result = backtest(
        data, horizon=3, n_test=N_TEST, m=12, budget="quick", seed=0, n_jobs=None,
        coverage=None,
    )  # fmt: skip
    models = list(result.table.index)
    out = capsys.readouterr().out
    assert RECIPE in models
    if zero_in == "test":
        # positive training part: log space, which cannot forecast the test's 0
        assert not any(name.startswith("airline") for name in models)
        assert "airline model (m=12, log): left out of the backtest (log=True" in out
        assert "multiplicative growth (m=12): left out of the backtest" in out
    else:
        assert "airline model (m=12)" in models
        assert not any("multiplicative" in name for name in models)
