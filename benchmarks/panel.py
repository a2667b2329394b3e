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

Usage::

    python benchmarks/panel.py                    # 20 series, horizon 1, quick
    python benchmarks/panel.py --series 145 --horizon 12
    python benchmarks/panel.py --baselines-only   # no network: seconds
"""

import argparse
import time
import warnings

import pandas as pd
from sklearn.base import clone

from sklstm.datasets import load_us_employment
from sklstm.forecasting import (
    AirlineForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    evaluate_forecaster,
)
from sklstm.recipe._tuned import _TunedRecipe

TARGET, M = "employed", 12


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
    args = parser.parse_args(argv)
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
            rows["  its baseline alone"] = _score_baseline(search, panel, args)
    print(
        f"{len(names)} series of load_us_employment, last {args.n_test} months "
        f"as test, horizon {args.horizon}"
    )
    print(pd.DataFrame(rows).T.round(3).to_string())


if __name__ == "__main__":
    main()
