"""Accuracy benchmark: the tuned sklstm recipe against the usual baselines.

Runs ../shared/ACCURACY-PROTOCOL.md on the three bundled data sets at 1 and 12
steps ahead: the first n - n_test points train (hyper-parameters are tuned by
``GridSearchCV(TimeSeriesSplit(3))`` inside them), the model is fitted once and
forecasts every test origin with the true history. CO2's gaps are interpolated
first, as the protocol's table implies.

Usage::

    python benchmarks/accuracy.py                 # all (30-40 min on 2 cores)
    python benchmarks/accuracy.py --datasets airpassengers --horizons 1
    python benchmarks/accuracy.py --budget quick  # the 2-candidate grid
    python benchmarks/accuracy.py --baselines-only  # no network: seconds

Prints one table (MAE, RMSE, MASE, fit seconds per model). The seasonal naive
forecast with growth is printed both ways: additive, and for a strictly positive
series multiplicative (the baseline the recipe corrects when it works in log
space, as on AirPassengers and CO2).
"""

import argparse

import pandas as pd

from sklstm.datasets import DATASETS
from sklstm.forecasting import (
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    evaluate_forecaster,
)
from sklstm.recipe import DEFAULT_PARAM_GRIDS, tune_lstm_forecaster


class _Tuned:
    """evaluate_forecaster fits a clone of this: the search, on the train part.

    The fitted search of the last fit is kept on the class for the report.
    """

    last_search = None

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def get_params(self, deep=True):
        return dict(self.kwargs)

    def set_params(self, **params):
        self.kwargs.update(params)
        return self

    def fit(self, X, y):
        self.search_ = tune_lstm_forecaster(X, y, **self.kwargs)
        type(self).last_search = self.search_
        return self

    def predict(self, X):
        return self.search_.best_estimator_.predict(X)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 12])
    parser.add_argument(
        "--budget", default="default", choices=sorted(DEFAULT_PARAM_GRIDS)
    )
    parser.add_argument(
        "--baselines-only",
        action="store_true",
        help="score the baselines only (no LSTM, a few seconds)",
    )
    args = parser.parse_args(argv)

    rows = []
    for name in args.datasets:
        info = DATASETS[name]
        frame = info.load().interpolate()
        for horizon in args.horizons:
            models = {
                "naive": NaiveForecaster(target=info.target),
                f"seasonal naive (m={info.season_length})": SeasonalNaiveForecaster(
                    m=info.season_length, target=info.target
                ),
                f"RidgeCV lags 1..{info.n_lags}": RidgeLagForecaster(
                    n_lags=info.n_lags, target=info.target
                ),
            }
            if info.m > 1:
                growths = ["additive"]
                if (frame[info.target] > 0).all():
                    growths.append("multiplicative")
                for growth in growths:
                    models[f"seasonal naive + {growth} growth (m={info.m})"] = (
                        SeasonalNaiveForecaster(
                            m=info.m, target=info.target, growth=growth
                        )
                    )
            if not args.baselines_only:
                models["sklstm recipe (tuned)"] = _Tuned(
                    target=info.target, m=info.m, budget=args.budget
                )
            for label, model in models.items():
                result = evaluate_forecaster(
                    model,
                    frame,
                    target=info.target,
                    horizon=horizon,
                    n_test=info.n_test,
                    m=info.m,
                )
                if isinstance(model, _Tuned):
                    best = _Tuned.last_search
                    chosen = {
                        k.split("__")[-1]: v for k, v in best.best_params_.items()
                    }
                    baseline = type(best.best_estimator_.baseline).__name__
                    label = f"{label}: {baseline}, {chosen}"
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
    return table


if __name__ == "__main__":
    main()
