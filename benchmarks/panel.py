"""Panel benchmark: one global recipe against per-series models and per-series recipes.

On the first ``--series`` series of the bundled US employment panel
(``load_us_employment``, 145 monthly series; ``--series 0`` takes all), the
last ``--n-test`` months of every series are its test part (the accuracy
protocol's panel rules, :func:`~sklstm.forecasting.evaluate_forecaster`):
each model forecasts every test origin ``--horizon`` steps ahead with the true
history; every series is scored with its own MASE scale, then the mean and the
median over series are printed, with each model's per-series win count
against the global recipe.

Models:

* per series: the seasonal naive forecast, the airline model in log space and
  RidgeCV on 24 lags of the target, each fitted on one series at a time; the
  "best classical per series" row takes, for every series, the lowest test
  MASE of the three (an oracle that no forecaster can pick without the test
  part: the strictest bar);
* global: RidgeCV on 24 lags pooled over all series, and the recipe tuned by
  ``tune_lstm_forecaster(budget=--budget, random_state=--seed)`` on the panel
  (one LSTM correcting the baseline chosen by CV over pooled
  ``PanelTimeSeriesSplit`` folds), then that baseline alone (the network's
  share of the gain);
* ``--n-jobs N``: every search (global and per series) with ``n_jobs=N``
  (sklstm's threads, :func:`~sklstm.utils.search_threads`);
* with ``--per-series-sample K``: the same recipe fitted series by series on
  ``K`` series spaced evenly through the panel, in a fresh interpreter (so
  that it traces its networks as the global fit does, instead of reusing the
  global fit's graphs); its fit time is scaled to all series (K per-series
  fits x n_series / K) and compared with the global fit, and its MASE is
  compared with the global recipe's on the same K series. TensorFlow is
  imported in each process before anything is timed.

The peak resident memory of the process is printed at the end (Linux
``ru_maxrss``).

Usage::

    python benchmarks/panel.py                    # 20 series, horizon 1, quick
    python benchmarks/panel.py --series 0 --horizon 12 --per-series-sample 8
    python benchmarks/panel.py --baselines-only   # no network: seconds
"""

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone

from sklstm.datasets import load_us_employment
from sklstm.forecasting import (
    AirlineForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    evaluate_forecaster,
)
from sklstm.recipe import TunedLSTMForecaster

TARGET, M = "employed", 12
CLASSICAL = {
    "seasonal naive (per series)": lambda: SeasonalNaiveForecaster(m=M, target=TARGET),
    "airline, log (per series)": lambda: AirlineForecaster(
        m=M, target=TARGET, log=True
    ),
    "ridge on 24 lags (per series)": lambda: RidgeLagForecaster(
        n_lags=24, target=TARGET
    ),
}


def _evaluate(model, frame, args):
    """evaluate_forecaster under the benchmark's settings, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate_forecaster(
            model,
            frame,
            target=TARGET,
            horizon=args.horizon,
            n_test=args.n_test,
            m=M,
            return_estimator=True,
        )


def _series_frames(panel, labels):
    """One single-series frame (indexed by time) per label."""
    return {label: panel.xs(label, level=0) for label in labels}


def _per_series(make, frames, args):
    """Fit ``make()`` on every series alone: per-series MASE and the fit time."""
    mase, fit = {}, 0.0
    for label, frame in frames.items():
        result = _evaluate(make(), frame, args)
        mase[label] = result["MASE"]
        fit += result["fit_seconds"]
    return pd.Series(mase), fit


def _global(model, panel, args):
    """Fit ``model`` once on the panel: per-series MASE, fit time, fitted clone."""
    result = _evaluate(model, panel, args)
    return result["per_series"]["MASE"], result["fit_seconds"], result["estimator"]


def _row(mase, fit, start):
    return {
        "MASE mean": mase.mean(),
        "MASE median": mase.median(),
        "fit s": fit,
        "total s": time.perf_counter() - start if start is not None else np.nan,
    }


def _classical(panel, frames, args):
    """The per-series classical models and the pooled ridge: MASE and rows."""
    scores, rows = {}, {}
    for name, make in CLASSICAL.items():
        start = time.perf_counter()
        scores[name], fit = _per_series(make, frames, args)
        rows[name] = _row(scores[name], fit, start)
    start = time.perf_counter()
    mase, fit, _ = _global(RidgeLagForecaster(n_lags=24, target=TARGET), panel, args)
    scores["ridge on 24 lags (global)"] = mase
    rows["ridge on 24 lags (global)"] = _row(mase, fit, start)
    best = pd.concat([scores[name] for name in CLASSICAL], axis=1).min(axis=1)
    scores["best classical per series (oracle)"] = best
    rows["best classical per series (oracle)"] = _row(best, np.nan, None)
    return scores, rows


def _make_recipe(args):
    """The tuned recipe under the benchmark's settings (global or per series)."""
    return TunedLSTMForecaster(
        target=TARGET,
        m=M,
        budget=args.budget,
        random_state=args.seed,
        n_jobs=args.n_jobs,
    )


def _recipe(panel, args):
    """The global recipe, then its chosen baseline alone."""
    name = f"sklstm recipe (global, {args.budget}, seed {args.seed})"
    start = time.perf_counter()
    mase, fit, fitted = _global(_make_recipe(args), panel, args)
    scores, rows = {name: mase}, {name: _row(mase, fit, start)}
    search = fitted.search_
    chosen = min(search.baseline_scores_, key=search.baseline_scores_.get)
    print(f"{name}: baseline {chosen!r}")
    print(f"  best params {search.best_params_}")
    start = time.perf_counter()
    base, base_fit, _ = _global(clone(search.best_estimator_.baseline), panel, args)
    scores["  its baseline alone"] = base
    rows["  its baseline alone"] = _row(base, base_fit, start)
    return name, scores, rows


def _sample(labels, k):
    """``k`` series labels spaced evenly through ``labels``."""
    return [labels[i] for i in np.linspace(0, len(labels) - 1, k).round().astype(int)]


def _per_series_fits(panel, labels, args):
    """Inside a fresh interpreter: the per-series recipe fits; print JSON."""
    sample = _sample(labels, args.per_series_sample)
    mase, fit = _per_series(
        lambda: _make_recipe(args), _series_frames(panel, sample), args
    )
    print(json.dumps({"fit": fit, "mase": mase.to_dict()}))


def _per_series_recipe(global_mase, global_fit, labels, argv):
    """The recipe fitted series by series on an evenly spaced sample.

    In a fresh interpreter, so that it pays TensorFlow's tracing of its
    networks as the global fit did (in this process it would reuse the
    global fit's traced graphs); TensorFlow is imported before either is
    timed.
    """
    out = subprocess.run(
        [sys.executable, __file__, *argv, "--per-series-only"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    record = json.loads(out.strip().splitlines()[-1])
    k, fit = len(record["mase"]), record["fit"]
    mase = pd.Series(record["mase"])
    scaled = fit / k * len(labels)
    on_sample = global_mase.loc[mase.index]
    print(
        f"\nper-series recipe on {k} of {len(labels)} series (fresh process): fit "
        f"{fit:.1f} s ({fit / k:.1f} s per series; scaled to all series "
        f"{scaled:.1f} s); global fit {global_fit:.1f} s = {global_fit / scaled:.3f}x "
        "the scaled per-series time"
    )
    print(
        f"  MASE on those {k} series: per-series recipe mean {mase.mean():.3f} / "
        f"median {mase.median():.3f}; global recipe mean {on_sample.mean():.3f} / "
        f"median {on_sample.median():.3f}; global better on "
        f"{int((on_sample < mase).sum())} of {k}"
    )


def _summary(table, scores, recipe_name):
    """Per-series wins against the global recipe, and the verdicts."""
    recipe = scores[recipe_name]
    table["wins vs recipe"] = [
        int((scores[name] < recipe).sum()) if name != recipe_name else np.nan
        for name in table.index
    ]
    classical = [name for name in CLASSICAL] + ["ridge on 24 lags (global)"]
    best = min(classical, key=lambda name: scores[name].mean())
    print(
        f"\nglobal recipe mean MASE {recipe.mean():.4f}; best classical model "
        f"({best}) {scores[best].mean():.4f}; the oracle per-series best "
        f"{scores['best classical per series (oracle)'].mean():.4f}; the recipe "
        f"beats the best classical model on {int((recipe < scores[best]).sum())} "
        f"of {len(recipe)} series"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20, help="0: all 145")
    parser.add_argument("--n-test", type=int, default=24)
    parser.add_argument("--horizon", type=int, default=1)
    parser.add_argument("--budget", default="quick")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-series-sample", type=int, default=0)
    parser.add_argument(
        "--n-jobs", type=int, default=None, help="of every recipe search, both sides"
    )
    parser.add_argument("--baselines-only", action="store_true")
    parser.add_argument(
        "--per-series-only", action="store_true", help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    panel = load_us_employment()
    labels = list(panel.index.get_level_values(0).unique())
    if args.series:
        labels = labels[: args.series]
        panel = panel.loc[panel.index.get_level_values(0).isin(labels)]
    if not args.baselines_only:
        import tensorflow  # noqa: F401  TensorFlow loads before any timing
    if args.per_series_only:
        return _per_series_fits(panel, labels, args)
    scores, rows = _classical(panel, _series_frames(panel, labels), args)
    recipe_name = None
    if not args.baselines_only:
        recipe_name, more_scores, more_rows = _recipe(panel, args)
        scores.update(more_scores)
        rows.update(more_rows)
    print(
        f"\n{len(labels)} series of load_us_employment, last {args.n_test} months "
        f"as test, horizon {args.horizon}"
    )
    table = pd.DataFrame(rows).T
    if recipe_name is not None:
        _summary(table, scores, recipe_name)
    print(table.round(3).to_string())
    if recipe_name is not None and args.per_series_sample:
        _per_series_recipe(
            scores[recipe_name],
            rows[recipe_name]["fit s"],
            labels,
            sys.argv[1:] if argv is None else list(argv),
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
