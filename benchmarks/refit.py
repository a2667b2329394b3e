"""Backtests that refit: what refitting every k origins changes, and what it costs.

Runs the accuracy protocol on AirPassengers (36 test months) for the tuned recipe
(``TunedLSTMForecaster``) and the airline model, once with the protocol's single
fit and once refitting every ``--every`` origins on the data known at each
(``evaluate_forecaster(refit=k)``, expanding window), one after the other in one
process, and prints MASE, the number of fits and the fit time of each, with the
time ratio. The recipe's spread over ``--seeds`` is the noise a refit's change in
MASE is compared with.

Usage::

    python benchmarks/refit.py                      # h = 1 and 12, seed 0
    python benchmarks/refit.py --seeds 0 1 --budget quick
"""

import argparse

import pandas as pd

from sklstm.datasets import load_airpassengers
from sklstm.forecasting import AirlineForecaster, evaluate_forecaster
from sklstm.recipe import TunedLSTMForecaster


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 12])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--budget", default="default", choices=["quick", "default"])
    parser.add_argument("--every", type=int, default=12, help="refit every k origins")
    args = parser.parse_args(argv)

    frame = load_airpassengers()
    models = {
        "airline model (m=12, log)": lambda seed: AirlineForecaster(
            m=12, target="passengers", log=True
        )
    }
    models["sklstm recipe (tuned)"] = lambda seed: TunedLSTMForecaster(
        target="passengers", m=12, budget=args.budget, random_state=seed
    )
    rows = []
    for horizon in args.horizons:
        for name, make in models.items():
            seeds = args.seeds if "recipe" in name else [None]
            for seed in seeds:
                for refit in (False, args.every):
                    result = evaluate_forecaster(
                        make(seed),
                        frame,
                        target="passengers",
                        horizon=horizon,
                        n_test=36,
                        m=12,
                        refit=refit,
                    )
                    rows.append(
                        {
                            "h": horizon,
                            "model": name,
                            "seed": seed,
                            "refit": refit or "no (one fit)",
                            "MASE": result["MASE"],
                            "n_fits": result.get("n_fits", 1),
                            "fit_s": result["fit_seconds"],
                        }
                    )
                    print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    once = table[table["n_fits"] == 1].set_index(["h", "model", "seed"])
    again = table[table["n_fits"] > 1].set_index(["h", "model", "seed"])
    summary = pd.DataFrame(
        {
            "MASE one fit": once["MASE"],
            f"MASE refit every {args.every}": again["MASE"],
            "fits": again["n_fits"],
            "time ratio": again["fit_s"] / once["fit_s"],
        }
    )
    print()
    print(summary.to_string(float_format=lambda v: f"{v:.4f}"))
    return summary


if __name__ == "__main__":
    main()
