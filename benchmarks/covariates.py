"""What is known ahead: the recipe and the classical models with and without it.

Runs the accuracy protocol (``evaluate_forecaster``: one fit on the training
part, every origin of the test part forecast with the true history) at one
step and at each set's natural horizon, every model twice: without the
covariates known ahead (the columns, if any, enter as known up to t only)
and with them (``future=``: their values at t+1 .. t+h enter row t). Prints
MASE and the fit's wall time per model, then the ratio with / without.

Sets:

* ``insurance``: :func:`~sklstm.datasets.load_insurance`, monthly quotes and
  the TV advertising planned ahead (``tv_adverts``); n_test, horizon and m
  from ``COVARIATE_DATASETS``.
* ``bank_calls``: :func:`~sklstm.datasets.load_bank_calls`, hourly calls;
  the covariates are the calendar (hour and weekday, cyclic, from
  :class:`~sklstm.preprocessing.CalendarFeatures`), known ahead by
  construction; "without" has no calendar column. ``--bank-days N`` keeps
  the last N days (all 164 by default).
* ``promotions``: synthetic daily sales, a slowly wandering level plus 10 on
  the days of irregular promotions (1-3 days, a flag known ahead) plus
  noise; horizons 1 and 6, the last 48 days tested. The recipe given the
  flag ahead must beat itself without it by 30 % or more (tested small in
  tests/test_future_recipe.py).

Models: the tuned recipe (``TunedLSTMForecaster``, ``--budget``), the
recipe on the naive forecast with its defaults (``make_lstm_forecaster``:
what the LSTM itself makes of the covariates, no baseline carrying them),
RidgeCV on
lags of the target and of the other columns (``RidgeLagForecaster(exog=True)``;
with the covariates their values ahead enter at lag 0: a Ridge with future
regressors), and the airline model (ARIMA (0,1,1) without a season), with
the covariates as a regression with airline errors
(``AirlineForecaster(exog=True)``).

``--ridge-baseline`` adds the tuned recipe with the Ridge model as its
baseline instead of the one its selection chooses.

Usage::

    python benchmarks/covariates.py                        # every set, default budget
    python benchmarks/covariates.py --sets bank_calls --budget quick --bank-days 60
"""

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd

from sklstm.datasets import COVARIATE_DATASETS
from sklstm.exceptions import LogSpaceWarning
from sklstm.forecasting import (
    AirlineForecaster,
    RidgeLagForecaster,
    evaluate_forecaster,
)
from sklstm.preprocessing import CalendarFeatures
from sklstm.recipe import TunedLSTMForecaster, make_lstm_forecaster


def promotion_frame(n=240, seed=0):
    """Sales = level + 10 x promo(t) + noise, promotions of 1-3 days at random."""
    rng = np.random.default_rng(seed)
    promo = np.zeros(n)
    t = 0
    while t < n:
        t += rng.integers(2, 12)
        promo[t : t + rng.integers(1, 4)] = 1.0
        t += 3
    level = 50 + np.cumsum(rng.normal(0, 0.3, n))
    sales = level + 10 * promo + rng.normal(0, 1, n)
    index = pd.date_range("2020-01-01", periods=n, freq="D")
    return pd.DataFrame({"sales": sales, "promo": promo}, index=index)


def _sets(bank_days):
    """Per set: name, frame with covariates, frame without, target, future, m,
    n_test, horizons, lags of the Ridge model."""
    insurance = COVARIATE_DATASETS["insurance"]
    frame = insurance.load()
    yield (
        "insurance",
        frame,
        frame,
        insurance.target,
        list(insurance.known_ahead),
        insurance.m,
        insurance.n_test,
        [1, insurance.horizon],
        insurance.n_lags,
    )
    bank = COVARIATE_DATASETS["bank_calls"]
    calls = bank.load()
    if bank_days:
        calls = calls.iloc[-14 * bank_days :]
    calendar = CalendarFeatures(features=list(bank.calendar)).set_output(
        transform="pandas"
    )
    with_calendar = calendar.fit_transform(calls)
    n_test = bank.n_test if not bank_days else round(0.2 * len(calls))
    yield (
        "bank_calls",
        with_calendar,
        calls,
        bank.target,
        [c for c in with_calendar.columns if c != bank.target],
        bank.m,
        n_test,
        [1, bank.horizon],
        bank.n_lags,
    )
    promotions = promotion_frame()
    # 14 lags: protocol_baselines' default without a season
    yield ("promotions", promotions, promotions, "sales", ["promo"], 1, 48, [1, 6], 14)


def _models(target, m, budget, seed, n_lags, log, ridge_baseline=False):
    models = {
        "recipe (tuned)": lambda: TunedLSTMForecaster(
            target=target, m=m, budget=budget, random_state=seed
        ),
        # the LSTM's own use of the covariates: the recipe on the naive forecast,
        # untuned (its defaults), so that no baseline carries them
        "recipe on naive (untuned)": lambda: make_lstm_forecaster(
            target=target, m=m, baseline="naive", random_state=seed
        ),
        "RidgeCV lags + exog lags": lambda: RidgeLagForecaster(
            n_lags=n_lags, target=target, exog=True
        ),
        # in log space when the target is positive, as protocol_baselines builds it
        "airline model": lambda: AirlineForecaster(
            m=m, target=target, log=log, exog=True
        ),
    }
    if ridge_baseline:  # the recipe correcting the Ridge above, not its own choice
        models["recipe (tuned) on the Ridge"] = lambda: TunedLSTMForecaster(
            target=target,
            m=m,
            budget=budget,
            random_state=seed,
            baseline=RidgeLagForecaster(n_lags=n_lags, target=target, exog=True),
        )
    return models


def _run_one(make, frame, target, horizon, n_test, m, future):
    model = make()
    if isinstance(model, AirlineForecaster) and not future:
        model.set_params(exog=False)
    if isinstance(model, RidgeLagForecaster) and frame.shape[1] == 1:
        model.set_params(exog=False)  # nothing but the target
    start = time.perf_counter()
    result = evaluate_forecaster(
        model,
        frame,
        target=target,
        horizon=horizon,
        n_test=n_test,
        m=m,
        future=future or None,
    )
    return result["MASE"], result["fit_seconds"], time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets",
        nargs="+",
        default=["insurance", "bank_calls", "promotions"],
        choices=["insurance", "bank_calls", "promotions"],
    )
    parser.add_argument("--budget", default="default", choices=["quick", "default"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--bank-days", type=int, default=0, help="keep the last N days (0: all)"
    )
    parser.add_argument(
        "--ridge-baseline",
        action="store_true",
        help="also the tuned recipe with the Ridge model as its baseline",
    )
    args = parser.parse_args(argv)
    # the recipe names a 0/1 flag (and its values ahead) that stays out of log
    # space in every fit: said once here instead
    warnings.simplefilter("ignore", LogSpaceWarning)
    print(
        f"# benchmarks/covariates.py, budget={args.budget}, seed={args.seed}, "
        f"load averages {tuple(round(v, 1) for v in os.getloadavg())}; 0/1 flags "
        "stay out of the recipe's log space (LogSpaceWarning silenced)",
        flush=True,
    )
    rows = []
    for name, with_cov, without, target, future, m, n_test, horizons, n_lags in _sets(
        args.bank_days
    ):
        if name not in args.sets:
            continue
        log = bool((with_cov[target] > 0).all())
        print(
            f"## {name}: {len(with_cov)} rows, target {target}, m={m}, "
            f"n_test={n_test}, Ridge lags {n_lags}, known ahead: {', '.join(future)}",
            flush=True,
        )
        for horizon in horizons:
            models = _models(
                target, m, args.budget, args.seed, n_lags, log, args.ridge_baseline
            )
            for model, make in models.items():
                for covariates, frame, ahead in [
                    ("without", without, None),
                    ("with", with_cov, future),
                ]:
                    mase, fit_s, total_s = _run_one(
                        make, frame, target, horizon, n_test, m, ahead
                    )
                    rows.append(
                        dict(
                            set=name, h=horizon, model=model, covariates=covariates,
                            MASE=mase, fit_s=fit_s, total_s=total_s,
                        )
                    )  # fmt: skip
                    print(
                        f"{name:11s} h={horizon:<3d} {model:26s} {covariates:8s} "
                        f"MASE {mase:.4f}  fit {fit_s:7.1f} s  (all {total_s:.1f} s)",
                        flush=True,
                    )
    table = pd.DataFrame(rows)
    wide = table.pivot_table(
        index=["set", "h", "model"], columns="covariates", values=["MASE", "fit_s"]
    )
    summary = pd.DataFrame(
        {
            "MASE without": wide[("MASE", "without")],
            "MASE with": wide[("MASE", "with")],
            "with / without": wide[("MASE", "with")] / wide[("MASE", "without")],
            "fit s without": wide[("fit_s", "without")],
            "fit s with": wide[("fit_s", "with")],
        }
    )
    print()
    print(summary.to_string(float_format=lambda v: f"{v:.4f}"))
    return summary


if __name__ == "__main__":
    main()
