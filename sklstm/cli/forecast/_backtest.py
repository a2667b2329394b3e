"""``sklstm forecast``, steps 3 to 5: backtest, choose, refit on the whole file.

The backtest is the accuracy protocol (ACCURACY-PROTOCOL.md) run by
:func:`~sklstm.forecasting.evaluate_forecaster`, the function
``benchmarks/accuracy.py`` runs: each model is fitted once on the first rows
(the recipe tuned inside them by time-ordered cross-validation) and forecasts
every origin of the last rows with the true history. What the models are
(the season m, the baselines' log space) is decided on the first rows alone,
so that the test part does not steer the models it scores; a baseline those
choices leave unable to forecast the test part (log space, then a 0) is left
out, with a line that says why. The model with the lowest MASE wins, a
baseline as well as the recipe. The winner's settings are then refitted on
every row of the file (not tuned again: the settings the backtest scored are
the settings that forecast).
"""

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["RECIPE", "Backtest", "backtest", "choose", "refit"]

RECIPE = "sklstm recipe (tuned)"


@dataclass
class Backtest:
    """What the backtest measured."""

    n_test: int
    horizon: int
    m: int
    coverage: float | None
    table: pd.DataFrame  # one row per model: MAE, RMSE, MASE, ...; index: model
    fitted: dict  # model name -> the estimator fitted on the train part
    forecasts: dict = field(default_factory=dict)  # name -> (n_test, h) array
    bounds: dict = field(default_factory=dict)  # name -> (n_test, h, 2) array
    X_test: pd.DataFrame | None = None
    y_test: pd.DataFrame | None = None
    future: list | None = None  # the columns known ahead, framed as such

    @property
    def search(self):
        """The recipe's fitted search."""
        model = self.fitted[RECIPE]
        return getattr(model, "estimator_", model).search_


def backtest(data, *, horizon, n_test, m, budget, seed, n_jobs, coverage, future=None):
    """Score the baselines, then the tuned recipe, on the file's last rows."""
    from sklstm.forecasting import (
        ConformalForecaster,
        evaluate_forecaster,
        protocol_baselines,
    )
    from sklstm.recipe import TunedLSTMForecaster

    frame, target = data.frame, data.target
    # log space and the other choices: from the training part only
    models = protocol_baselines(
        frame.iloc[: len(frame) - n_test], target, m=m, future=future
    )
    models[RECIPE] = TunedLSTMForecaster(
        target=target, m=m, budget=budget, random_state=seed, n_jobs=n_jobs, verbose=1
    )
    rows, fitted = [], {}
    for name, model in models.items():
        if name == RECIPE:
            print(f"      {RECIPE}: tuning on the training part ({budget} budget)")
        if coverage is not None:
            model = ConformalForecaster(model, coverage=coverage)
        try:
            result = evaluate_forecaster(
                model,
                frame,
                target=target,
                horizon=horizon,
                n_test=n_test,
                m=m,
                coverage=coverage,
                return_estimator=True,
                future=future,
            )
        except ValueError as exc:
            if name == RECIPE:
                raise
            print(f"      {name}: left out of the backtest ({exc})", flush=True)
            continue
        fitted[name] = result.pop("estimator")
        rows.append({"model": name, **result})
        _print_row(rows[-1])
    table = pd.DataFrame(rows).set_index("model")
    result = Backtest(n_test, horizon, m, coverage, table, fitted, future=future)
    _test_forecasts(result, frame, target)
    return result


def _print_row(row):
    extra = ""
    if "coverage" in row:
        extra = f", {row['coverage']:.0%} inside the intervals, MSIS {row['MSIS']:.3g}"
    print(
        f"      {row['model']}: MASE {row['MASE']:.4f}, MAE {row['MAE']:.4g}, "
        f"RMSE {row['RMSE']:.4g}{extra} (fit {row['fit_seconds']:.1f} s)",
        flush=True,
    )


def _test_forecasts(result, frame, target):
    """Each model's forecasts (and intervals) of the test part, for the report."""
    from sklstm.forecasting import train_test_split_series

    _, X_test, _, y_test = train_test_split_series(
        frame,
        target,
        horizon=result.horizon,
        n_test=result.n_test,
        future=result.future,
    )
    result.X_test, result.y_test = X_test, pd.DataFrame(y_test)
    shape = (len(X_test), result.horizon)
    for name, model in result.fitted.items():
        result.forecasts[name] = np.asarray(model.predict(X_test), float).reshape(shape)
        if result.coverage is not None:
            bounds = model.predict_interval(X_test, coverage=result.coverage)
            result.bounds[name] = np.asarray(bounds, float).reshape(*shape, 2)


def choose(result):
    """The winner's name (lowest MASE); prints it, plainly when a baseline wins."""
    table = result.table
    winner = table["MASE"].idxmin()
    recipe = table.loc[RECIPE, "MASE"]
    others = table.drop(index=RECIPE)["MASE"]
    if winner == RECIPE:
        print(
            f"      The tuned sklstm recipe wins: MASE {recipe:.4f} against "
            f"{others.min():.4f} for the best baseline ({others.idxmin()}). "
            "It makes the forecast.",
            flush=True,
        )
    else:
        print(
            f"      A BASELINE WINS: {winner} scored MASE "
            f"{table.loc[winner, 'MASE']:.4f}, the tuned sklstm recipe "
            f"{recipe:.4f}. The forecast is made with {winner}, not with the LSTM.",
            flush=True,
        )
    shrinkage = result.search.best_params_.get("shrinkage")
    if winner == RECIPE and shrinkage == 0:
        print(
            "      (the validation set the LSTM's share to 0: the recipe predicts "
            "its baseline alone)",
            flush=True,
        )
    return winner


def refit(result, winner, data, *, coverage):
    """The winner's settings fitted on every row of the file; returns (model, s)."""
    from sklearn.base import clone

    from sklstm.forecasting import ConformalForecaster, make_supervised

    model = result.fitted[winner]
    if coverage is not None:
        model = model.estimator_  # the forecaster inside ConformalForecaster
    if winner == RECIPE:
        model = model.search_.best_estimator_  # the chosen settings, shrinkage too
    X, y = make_supervised(
        data.frame, data.target, horizon=result.horizon, future=result.future
    )
    start = time.perf_counter()
    final = clone(model).fit(X, y)
    if coverage is not None:
        final = ConformalForecaster(final, coverage=coverage, prefit=True).fit(X, y)
    return final, time.perf_counter() - start
