"""Panel benchmark: the global recipe against per-series and global baselines.

On the first ``--series`` series of the bundled US employment panel
(``load_us_employment``, 145 monthly series), the last ``--n-test`` months of
every series are its test part (the accuracy protocol's panel rules,
:func:`~sklstm.forecasting.evaluate_forecaster`): each model is fitted once on
the training parts of all series together and forecasts every test origin
``--horizon`` steps ahead with the true history; every series is scored with
its own MASE scale, then the mean and the median over series are printed.

Models: the seasonal naive forecast (per series), the airline model in log
space (per series), RidgeCV on 24 lags of the target (one global model on the
pooled per-series lag rows), and the recipe tuned by
``tune_lstm_forecaster(budget=--budget, random_state=--seed)`` on the panel:
one global LSTM correcting the baseline chosen by CV over pooled
``PanelTimeSeriesSplit`` folds.

With ``--variants``, the recipe is also tuned with each of its panel
options (``make_lstm_forecaster``'s ``scale_by_series=True``,
``series_identity="onehot"``, and both), everything else equal, so that
their effect is measured side by side in one run; the load average is
printed before and after.

Usage::

    python benchmarks/panel.py                    # 20 series, horizon 1, quick
    python benchmarks/panel.py --series 145 --horizon 12
    python benchmarks/panel.py --baselines-only   # no network: seconds
    python benchmarks/panel.py --variants         # the panel options, each
"""

import argparse
import os
import time
import warnings

import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, clone

from sklstm.datasets import load_us_employment
from sklstm.forecasting import (
    AirlineForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    evaluate_forecaster,
)
from sklstm.recipe import tune_lstm_forecaster
from sklstm.recipe._tuned import _TunedRecipe

TARGET, M = "employed", 12
VARIANTS = {
    "scale by series": dict(scale_by_series=True),
    "one-hot series identity": dict(series_identity="onehot"),
    "both": dict(scale_by_series=True, series_identity="onehot"),
}


class _TunedWith(RegressorMixin, BaseEstimator):
    """tune_lstm_forecaster with extra recipe options, as _TunedRecipe tunes."""

    def __init__(self, *, budget="quick", random_state=0, options=None):
        self.budget = budget
        self.random_state = random_state
        self.options = options

    def fit(self, X, y):
        self.search_ = tune_lstm_forecaster(
            X,
            y,
            target=TARGET,
            m=M,
            budget=self.budget,
            random_state=self.random_state,
            **(self.options or {}),
        )
        return self

    def predict(self, X):
        return self.search_.best_estimator_.predict(X)


def _models(args):
    models = {
        "seasonal naive (per series)": SeasonalNaiveForecaster(m=M, target=TARGET),
        "airline, log (per series)": AirlineForecaster(m=M, target=TARGET, log=True),
        "ridge on 24 lags (global)": RidgeLagForecaster(n_lags=24, target=TARGET),
    }
    if not args.baselines_only:
        models[f"sklstm recipe (global, {args.budget}, seed {args.seed})"] = (
            _TunedRecipe(target=TARGET, m=M, budget=args.budget, random_state=args.seed)
        )
    if args.variants and not args.baselines_only:
        for label, options in VARIANTS.items():
            models[f"  recipe + {label}"] = _TunedWith(
                budget=args.budget, random_state=args.seed, options=options
            )
    return models


def _report_search(name, search):
    """What the search chose: the baseline (by CV score), grid and shrinkage."""
    chosen = min(search.baseline_scores_, key=search.baseline_scores_.get)
    print(f"{name}: baseline {chosen!r}")
    print(f"  best params {search.best_params_}")


def _score_baseline(search, panel, args):
    """The recipe's chosen baseline alone: the network's share of the gain."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate_forecaster(
            clone(search.best_estimator_.baseline),
            panel,
            target=TARGET,
            horizon=args.horizon,
            n_test=args.n_test,
            m=M,
        )
    return {
        "MASE mean": result["MASE"],
        "MASE median": result["MASE_median"],
        "fit s": result["fit_seconds"],
        "total s": float("nan"),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20)
    parser.add_argument("--n-test", type=int, default=24)
    parser.add_argument("--horizon", type=int, default=1)
    parser.add_argument("--budget", default="quick")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baselines-only", action="store_true")
    parser.add_argument("--variants", action="store_true")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    panel = load_us_employment()
    names = panel.index.get_level_values(0).unique()[: args.series]
    panel = panel.loc[panel.index.get_level_values(0).isin(names)]
    rows = {}
    for name, model in _models(args).items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = evaluate_forecaster(
                model,
                panel,
                target=TARGET,
                horizon=args.horizon,
                n_test=args.n_test,
                m=M,
                return_estimator=True,
            )
        rows[name] = {
            "MASE mean": result["MASE"],
            "MASE median": result["MASE_median"],
            "fit s": result["fit_seconds"],
            "total s": time.perf_counter() - start,
        }
        search = getattr(result["estimator"], "search_", None)
        if search is not None:
            _report_search(name, search)
            if "  its baseline alone" not in rows:  # the same for every variant
                rows["  its baseline alone"] = _score_baseline(search, panel, args)
    print(
        f"{len(names)} series of load_us_employment, last {args.n_test} months "
        f"as test, horizon {args.horizon}"
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
