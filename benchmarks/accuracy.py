"""Accuracy benchmark: the tuned sklstm recipe against the usual baselines.

Runs ../shared/ACCURACY-PROTOCOL.md on the three bundled data sets at 1 and 12
steps ahead: the first n - n_test points train (hyper-parameters are tuned by
``GridSearchCV(TimeSeriesSplit(3))`` inside them), the model is fitted once and
forecasts every test origin with the true history. CO2's gaps are interpolated
first, as the protocol's table implies.

Usage::

    python benchmarks/accuracy.py                 # all six cells
    python benchmarks/accuracy.py --datasets airpassengers --horizons 1
    python benchmarks/accuracy.py --budget quick  # the 2-candidate grid
    python benchmarks/accuracy.py --seeds 0 1 2   # the recipe with 3 seeds
    python benchmarks/accuracy.py --baselines-only  # no network: seconds

Prints one table (MAE, RMSE, MASE, fit seconds per model). The seasonal naive
forecast with growth is printed both ways: additive, and for a strictly positive
series multiplicative (the baseline the recipe corrects when it works in log
space, as on AirPassengers). Seasonal series also get a row for the airline
model (``AirlineForecaster``, SARIMA (0,1,1)(0,1,1)m by least squares, in log
space for a strictly positive series). The recipe's row names the baseline it
chose, the grid values, the shrinkage of its correction and its
``random_state``. A summary
compares each recipe run with the best classical model of
ACCURACY-PROTOCOL.md and adds up the recipe's fit time.
"""

import argparse

import pandas as pd

from sklstm.datasets import DATASETS
from sklstm.forecasting import evaluate_forecaster, protocol_baselines
from sklstm.recipe import DEFAULT_PARAM_GRIDS, TunedLSTMForecaster

# The best classical model of each cell in ACCURACY-PROTOCOL.md (MASE).
PROTOCOL_BEST = {
    ("airpassengers", 1): ("SARIMA", 0.399),
    ("airpassengers", 12): ("SARIMA", 0.490),
    ("co2", 1): ("RidgeCV lags", 0.234),
    ("co2", 12): ("RidgeCV lags", 0.300),
    ("seattle_weather", 1): ("SARIMA", 1.023),
    ("seattle_weather", 12): ("RidgeCV with exog lags", 1.447),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 12])
    parser.add_argument(
        "--budget", default="default", choices=sorted(DEFAULT_PARAM_GRIDS)
    )
    parser.add_argument(
        "--seeds",
        nargs="+",
        type=int,
        default=[0],
        help="random_state of each recipe run (one search per seed)",
    )
    parser.add_argument(
        "--baselines-only",
        action="store_true",
        help="score the baselines only (no LSTM, a few seconds)",
    )
    args = parser.parse_args(argv)

    rows, summary = [], []
    for name in args.datasets:
        info = DATASETS[name]
        frame = info.load().interpolate()
        for horizon in args.horizons:
            models = protocol_baselines(
                frame,
                info.target,
                m=info.m,
                season_length=info.season_length,
                n_lags=info.n_lags,
            )
            if not args.baselines_only:
                for seed in args.seeds:
                    models[f"sklstm recipe (tuned, random_state={seed})"] = (
                        TunedLSTMForecaster(
                            target=info.target,
                            m=info.m,
                            budget=args.budget,
                            random_state=seed,
                        )
                    )
            for label, model in models.items():
                result = evaluate_forecaster(
                    model,
                    frame,
                    target=info.target,
                    horizon=horizon,
                    n_test=info.n_test,
                    m=info.m,
                    return_estimator=True,
                )
                if isinstance(model, TunedLSTMForecaster):
                    search = result["estimator"].search_
                    chosen = {
                        k.split("__")[-1]: v for k, v in search.best_params_.items()
                    }
                    scores = search.baseline_scores_ or {}
                    baseline = min(scores, key=scores.get) if scores else "given"
                    label = f"{label}: {baseline}, {chosen}"
                    best_name, best_mase = PROTOCOL_BEST[(name, horizon)]
                    summary.append(
                        {
                            "dataset": name,
                            "h": horizon,
                            "seed": model.random_state,
                            "MASE": result["MASE"],
                            "best classical": f"{best_name} {best_mase}",
                            "ratio": result["MASE"] / best_mase,
                            "fit_s": result["fit_seconds"],
                        }
                    )
                rows.append(
                    {
                        "dataset": name,
                        "h": horizon,
                        "model": label,
                        **{k: result[k] for k in ("MAE", "RMSE", "MASE")},
                        "fit_s": result["fit_seconds"],
                    }
                )
                print(
                    pd.DataFrame(rows[-1:]).to_string(index=False, header=False),
                    flush=True,
                )
    table = pd.DataFrame(rows)
    with pd.option_context("display.max_colwidth", 120, "display.width", 250):
        print()
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if summary:
        summary = pd.DataFrame(summary)
        print()
        print("The recipe against the best classical model of ACCURACY-PROTOCOL.md:")
        print(summary.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        for seed, runs in summary.groupby("seed"):
            wins = int((runs["MASE"] <= runs["best classical"].map(_mase)).sum())
            print(
                f"random_state={seed}: <= the best classical model in {wins} of "
                f"{len(runs)} cells, worst ratio {runs['ratio'].max():.3f}, "
                f"fit time {runs['fit_s'].sum():.0f} s in all"
            )
    return table


def _mase(text):
    """The MASE at the end of a "name 0.123" cell of the summary."""
    return float(text.rsplit(" ", 1)[1])


if __name__ == "__main__":
    main()
