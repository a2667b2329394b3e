"""Target outliers: what the recipe's ``clip_residual`` and ``loss="huber"`` buy.

Six target values of the training part are made outliers (AirPassengers: x3 or
/3; the other series: +-6 training standard deviations), the test part stays
clean. Every configuration is the untuned recipe (``make_lstm_forecaster``
defaults, AirPassengers with ``m=12, log=True, baseline="seasonal"``), scored by
one-step MAE on the test part (``evaluate_forecaster``), averaged over seeds.

Usage::

    python benchmarks/target_outliers.py airpassengers 5     # about 1 min on 2 cores
    python benchmarks/target_outliers.py seattle_weather 3
"""

import argparse
import warnings

import numpy as np

from sklstm.datasets import DATASETS
from sklstm.forecasting import evaluate_forecaster
from sklstm.recipe import make_lstm_forecaster

CONFIGS = [
    ("clean", "none", {}),
    ("clean", "clip_residual=3", {"clip_residual": 3.0}),
    ("dirty", "none", {}),
    ("dirty", "clip_residual=3", {"clip_residual": 3.0}),
    ("dirty", "loss=huber", {"loss": "huber"}),
]


def _dirty(name, frame, target, n_train):
    rng = np.random.default_rng(0)
    pos = rng.choice(np.arange(20, n_train - 5), size=6, replace=False)
    dirty = frame.copy()
    col = dirty.columns.get_loc(target)
    if name == "airpassengers":
        dirty.iloc[pos, col] = dirty.iloc[pos, col] * rng.choice([3.0, 1 / 3], 6)
    else:
        std = frame[target].iloc[:n_train].std()
        dirty.iloc[pos, col] = dirty.iloc[pos, col] + rng.choice([-1, 1], 6) * 6 * std
    return dirty


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=sorted(DATASETS))
    parser.add_argument("seeds", type=int, nargs="?", default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    info = DATASETS[args.dataset]
    frame = info.load().interpolate()
    data = {
        "clean": frame,
        "dirty": _dirty(args.dataset, frame, info.target, len(frame) - info.n_test),
    }
    kw = {"target": info.target}
    if args.dataset == "airpassengers":
        kw.update(m=12, log=True, baseline="seasonal")
    for which, label, params in CONFIGS:
        scores = [
            evaluate_forecaster(
                make_lstm_forecaster(random_state=seed, **kw, **params),
                data[which],
                target=info.target,
                horizon=1,
                n_test=info.n_test,
                m=info.m,
            )["MAE"]
            for seed in range(args.seeds)
        ]
        print(
            f"{args.dataset:16} {which:5} {label:16} MAE {np.mean(scores):.3f} "
            f"(sd {np.std(scores):.3f}, {args.seeds} seeds)",
            flush=True,
        )


if __name__ == "__main__":
    main()
