"""Interval benchmark: the tuned recipe's 90 % intervals against classical ones.

Runs ../shared/ACCURACY-PROTOCOL.md's six cells (three bundled sets, 1 and 12
steps) with :class:`sklstm.forecasting.ConformalForecaster` around the tuned
recipe (the same search as ``benchmarks/accuracy.py``, so the point MASE equals
its column): split conformal intervals calibrated on the search's own folds
of the training part, and the adaptive variant (ACI) on the same calibration.
References: the airline model's analytic Gaussian intervals (seasonal sets)
and the naive forecast's empirical error-quantile intervals (conformal on its
out-of-fold errors). Scores over the protocol's origins (bridge rows dropped):
empirical coverage, mean width and MSIS (scaled like MASE).

Usage::

    python benchmarks/intervals.py                       # six cells, ~25 min
    python benchmarks/intervals.py --datasets airpassengers --horizons 1
    python benchmarks/intervals.py --no-recipe           # references only

Prints one line per model and cell, then a summary against the criteria of
issue 20 (85-95 % coverage; MSIS at or below the best reference).
"""

import argparse
import time

import numpy as np
import pandas as pd

from sklstm.datasets import DATASETS
from sklstm.forecasting import (
    AirlineForecaster,
    ConformalForecaster,
    NaiveForecaster,
    interval_scores,
    train_test_split_series,
)
from sklstm.recipe import TunedLSTMForecaster

COVERAGE = 0.9


def _score(bounds, y_test, horizon, y_train, m):
    """Interval scores over the protocol's origins (the bridge rows dropped)."""
    n = len(y_test)
    y = np.asarray(y_test, dtype=float).reshape(n, -1)[horizon - 1 :]
    bounds = np.asarray(bounds).reshape(n, -1, 2)[horizon - 1 :]
    return interval_scores(
        y, bounds[..., 0], bounds[..., 1], y_train=y_train, m=m, coverage=COVERAGE
    )


def _cell(info, frame, horizon, args):
    X_train, X_test, y_train, y_test = train_test_split_series(
        frame, info.target, horizon=horizon, n_test=info.n_test
    )
    n_train = len(frame) - len(X_test)  # the test part: one row per point
    history = frame[info.target].iloc[:n_train].to_numpy(dtype=float)
    positive = bool((frame[info.target] > 0).all())
    rows = []

    def row(model, bounds, point, fit_s, extra=""):
        scores = _score(bounds, y_test, horizon, history, info.m)
        y = y_test.to_numpy(dtype=float).reshape(len(y_test), -1)[horizon - 1 :]
        p = np.asarray(point).reshape(len(y_test), -1)[horizon - 1 :]
        mase = np.mean(np.abs(y - p)) / np.mean(
            np.abs(history[info.m :] - history[: -info.m])
        )
        rows.append(
            {
                "dataset": info.name,
                "h": horizon,
                "model": model,
                "MASE": mase,
                **scores,
                "fit_s": fit_s,
                "note": extra,
            }
        )
        print(pd.DataFrame(rows[-1:]).to_string(index=False, header=False), flush=True)

    if info.m > 1:
        start = time.perf_counter()
        air = AirlineForecaster(m=info.m, target=info.target, log=positive)
        air.fit(X_train, y_train)
        row(
            "airline (analytic Gaussian)",
            air.predict_interval(X_test, coverage=COVERAGE),
            air.predict(X_test),
            time.perf_counter() - start,
        )
    start = time.perf_counter()
    naive = ConformalForecaster(NaiveForecaster(target=info.target), log=False)
    naive.fit(X_train, y_train)
    row(
        "naive (empirical error quantiles)",
        naive.predict_interval(X_test, coverage=COVERAGE),
        naive.predict(X_test),
        time.perf_counter() - start,
    )
    if args.no_recipe:
        return rows
    recipe = TunedLSTMForecaster(
        target=info.target, m=info.m, budget=args.budget, random_state=args.seed
    )
    model = ConformalForecaster(recipe, method="split", target=info.target)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    point = model.predict(X_test)
    calibration = (
        f"calibration {model.calibration_seconds_:.0f} s of {fit_s:.0f} s, "
        f"{len(model.errors_)} errors per step, log={model.log_}"
    )
    row(
        "recipe, split conformal",
        model.predict_interval(X_test),
        point,
        fit_s,
        calibration,
    )
    model.set_params(method="adaptive")
    row("recipe, adaptive (ACI)", model.predict_interval(X_test), point, fit_s)
    if args.save:
        import joblib

        joblib.dump(
            (model, X_test, y_test, history),
            f"{args.save}/{info.name}-h{horizon}.joblib",
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 12])
    parser.add_argument("--budget", default="default")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-recipe", action="store_true")
    parser.add_argument(
        "--save", default=None, help="folder to keep each fitted recipe in (joblib)"
    )
    args = parser.parse_args(argv)
    rows = []
    for name in args.datasets:
        info = DATASETS[name]
        frame = info.load().interpolate()
        for horizon in args.horizons:
            rows += _cell(info, frame, horizon, args)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_colwidth", 80):
        print()
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    _summary(table)
    return table


def _summary(table):
    recipe = table[table["model"].str.startswith("recipe")]
    if recipe.empty:
        return
    print()
    for model, runs in recipe.groupby("model"):
        inside = runs["coverage"].between(0.85, 0.95)
        print(
            f"{model}: coverage in [0.85, 0.95] in {int(inside.sum())} of {len(runs)}"
        )
    refs = table[~table["model"].str.startswith("recipe")]
    best = refs.groupby(["dataset", "h"])["MSIS"].min()
    for model, runs in recipe.groupby("model"):
        wins = sum(
            r.MSIS <= best[(r.dataset, r.h)] for r in runs.itertuples(index=False)
        )
        print(f"{model}: MSIS <= the best reference in {wins} of {len(runs)}")


if __name__ == "__main__":
    main()
