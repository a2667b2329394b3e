"""The recipe's panel options on load_us_employment, each next to the default.

With ``--tuned``, the recipe is tuned as ``benchmarks/panel.py`` tunes it
(``tune_lstm_forecaster(budget="quick", random_state=seed)``) with each of
``make_lstm_forecaster``'s panel options: none, ``scale_by_series=True``,
``series_identity="onehot"``, and both. The search may set ``shrinkage`` to
0 (the baseline alone), which hides what an option does to the network, so
by default every variant is instead one fixed recipe on the first
``--series`` series of ``load_us_employment`` (the recipe's defaults, log
space, the baseline that ``select_baseline`` picks on the training part,
``shrinkage=1``), differing only in the per-series options: none, inputs
scaled per series (``SeriesScaler``), the residual scaled per series
(``scale_residual="series"``), both (``scale_by_series=True``), one-hot
series identity, and all of them. Scored as ``benchmarks/panel.py`` scores
(MASE per series, last ``--n-test`` months, horizon 1), for each seed.

Usage::

    python benchmarks/panel_options.py --seeds 0 1          # fixed, shrinkage 1
    python benchmarks/panel_options.py --tuned --seeds 0 1  # tuned
"""

import argparse
import os
import time
import warnings

import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin

from sklstm.datasets import load_us_employment
from sklstm.forecasting import evaluate_forecaster
from sklstm.preprocessing import SeriesScaler
from sklstm.recipe import (
    TunedLSTMForecaster,
    make_lstm_forecaster,
    select_baseline,
)

TARGET, M = "employed", 12
OPTIONS = {
    "none": {},
    "inputs per series": {"regressor__scale": SeriesScaler()},
    "residual per series": {"scale_residual": "series"},
    "scale_by_series (both)": {"scale_by_series": True},
    "one-hot identity": {"series_identity": "onehot"},
    "scale_by_series + one-hot": {"scale_by_series": True, "series_identity": "onehot"},
}
BUILD = {"scale_by_series", "series_identity"}
TUNED = {
    "default": {},
    "scale_by_series": {"scale_by_series": True},
    "one-hot identity": {"series_identity": "onehot"},
    "both": {"scale_by_series": True, "series_identity": "onehot"},
}


class _FixedRecipe(RegressorMixin, BaseEstimator):
    """The recipe on the training rows: baseline by CV, then one network."""

    def __init__(self, *, options=None, random_state=0):
        self.options = options
        self.random_state = random_state

    def fit(self, X, y):
        options = dict(self.options or {})
        _, _, baseline = select_baseline(
            X, y, target=TARGET, m=M, log=True, return_estimator=True
        )
        build = {k: options.pop(k) for k in list(options) if k in BUILD}
        self.model_ = make_lstm_forecaster(
            target=TARGET,
            m=M,
            log=True,
            baseline=baseline,
            random_state=self.random_state,
            **build,
        )
        self.model_.set_params(**options)
        self.model_.fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20)
    parser.add_argument("--n-test", type=int, default=24)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--tuned", action="store_true")
    args = parser.parse_args(argv)
    variants = TUNED if args.tuned else OPTIONS
    panel = load_us_employment()
    names = panel.index.get_level_values(0).unique()[: args.series]
    panel = panel.loc[panel.index.get_level_values(0).isin(names)]
    load_before = os.getloadavg()
    rows = {}
    for seed in args.seeds:
        for label, options in variants.items():
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if args.tuned:
                    model = TunedLSTMForecaster(
                        target=TARGET,
                        m=M,
                        budget="quick",
                        random_state=seed,
                        lstm_params=options,
                    )
                else:
                    model = _FixedRecipe(options=options, random_state=seed)
                result = evaluate_forecaster(
                    model,
                    panel,
                    target=TARGET,
                    horizon=1,
                    n_test=args.n_test,
                    m=M,
                    return_estimator=True,
                )
            search = getattr(result["estimator"], "search_", None)
            shrinkage = 1.0 if search is None else search.best_params_["shrinkage"]
            rows[(seed, label)] = {
                "MASE mean": result["MASE"],
                "MASE median": result["MASE_median"],
                "shrinkage": shrinkage,
                "total s": time.perf_counter() - start,
            }
            print(seed, label, rows[(seed, label)], flush=True)
    print(
        f"{len(names)} series of load_us_employment, last {args.n_test} months "
        "as test, horizon 1, "
        + ("tuned (quick)" if args.tuned else "recipe defaults, shrinkage 1")
    )
    print(pd.DataFrame(rows).T.round(3).to_string())
    print(
        "load average (1, 5, 15 min) before: "
        + ", ".join(f"{x:.1f}" for x in load_before)
        + "; after: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )


if __name__ == "__main__":
    main()
