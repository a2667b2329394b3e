"""``sklstm demo``: the tuned recipe against the usual baselines, on bundled data.

Loads a bundled series, splits it as ACCURACY-PROTOCOL.md says, scores the
naive, seasonal naive and Ridge-on-lags baselines, tunes sklstm's recipe with
``GridSearchCV(TimeSeriesSplit)`` on the training part only, prints one table
and writes a PNG of forecast against actual.
"""

import time

import numpy as np
import pandas as pd

__all__ = ["add_arguments", "run"]


def add_arguments(parser):
    """Arguments of ``sklstm demo``."""
    from sklstm.datasets import DATASETS
    from sklstm.recipe import DEFAULT_PARAM_GRIDS

    parser.add_argument(
        "--dataset",
        default="airpassengers",
        choices=sorted(DATASETS),
        help="bundled series to forecast (default: airpassengers)",
    )
    parser.add_argument(
        "--budget",
        default="default",
        choices=sorted(DEFAULT_PARAM_GRIDS),
        help="grid size: quick (2 candidates) or default (8); default: default",
    )
    parser.add_argument(
        "--output",
        default="sklstm-demo.png",
        help="where to write the forecast figure (default: sklstm-demo.png)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random_state of every LSTM (default 0)"
    )


def _step(number, text):
    print(f"[{number}/4] {text}", flush=True)


def run(args):
    """Carry out ``sklstm demo``; returns the exit code."""
    from sklearn.model_selection import ParameterGrid

    from sklstm.datasets import DATASETS
    from sklstm.forecasting import (
        NaiveForecaster,
        RidgeLagForecaster,
        SeasonalNaiveForecaster,
        forecast_scores,
        train_test_split_series,
    )
    from sklstm.recipe import DEFAULT_PARAM_GRIDS, tune_lstm_forecaster

    info = DATASETS[args.dataset]
    frame = info.load()
    n_missing = int(frame[info.target].isna().sum())
    if n_missing:  # the protocol interpolates the target's gaps first
        frame = frame.interpolate()
    X_train, X_test, y_train, y_test = train_test_split_series(
        frame, info.target, n_test=info.n_test
    )
    train_series = frame[info.target].iloc[: len(frame) - info.n_test]
    frequency = {"MS": "monthly", "D": "daily"}.get(info.frequency, "weekly")
    _step(
        1,
        f"{info.name}: {len(frame)} {frequency} values of '{info.target}' "
        f"({frame.index[0]:%Y-%m-%d} .. {frame.index[-1]:%Y-%m-%d}"
        + (f", {n_missing} gaps interpolated" if n_missing else "")
        + f"); train {len(frame) - info.n_test}, test {info.n_test} (1 step ahead)",
    )

    models = {
        "naive": NaiveForecaster(target=info.target),
        f"seasonal naive (m={info.season_length})": SeasonalNaiveForecaster(
            m=info.season_length, target=info.target
        ),
        f"Ridge on {info.n_lags} lags": RidgeLagForecaster(
            n_lags=info.n_lags, target=info.target
        ),
    }
    if info.m > 1:
        # the baseline the recipe may correct, so that the table shows what the
        # LSTM adds to it
        models[f"seasonal naive + growth (m={info.m})"] = SeasonalNaiveForecaster(
            m=info.m, target=info.target, growth="additive"
        )
    _step(2, "fitting the baselines: " + ", ".join(models))
    rows, forecasts = [], {}

    def score(name, model, seconds):
        pred = np.asarray(model.predict(X_test), dtype=float)
        forecasts[name] = pred
        scores = forecast_scores(y_test, pred, y_train=train_series, m=info.m)
        rows.append(
            {
                "model": name,
                "MAE": scores["MAE"],
                "RMSE": scores["RMSE"],
                "MASE": scores["MASE"],
                "fit seconds": seconds,
            }
        )

    for name, model in models.items():
        start = time.perf_counter()
        model.fit(X_train, y_train)
        score(name, model, time.perf_counter() - start)

    grid = DEFAULT_PARAM_GRIDS[args.budget]
    n_fits = len(ParameterGrid(grid)) * 3
    _step(
        3,
        f"tuning the sklstm recipe: GridSearchCV(TimeSeriesSplit(3)) over "
        f"{len(ParameterGrid(grid))} candidates = {n_fits} fits, then one refit "
        f"(a few minutes on 2 CPU cores)",
    )
    start = time.perf_counter()
    search = tune_lstm_forecaster(
        X_train,
        y_train,
        target=info.target,
        m=info.m,
        budget=args.budget,
        random_state=args.seed,
        verbose=1,  # one line per fit (sklstm.utils.ProgressScorer)
    )
    seconds = time.perf_counter() - start
    best = search.best_estimator_
    chosen = ", ".join(
        f"{key.split('__')[-1]}={value}" for key, value in search.best_params_.items()
    )
    print(
        f"      best: {chosen}; the LSTM corrects "
        f"{type(best.baseline).__name__}"
        + (f"(growth={best.baseline.growth!r})" if info.m > 1 else "")
        + f"; its network trained {best.regressor_[-1].n_epochs_} epochs",
        flush=True,
    )
    score("sklstm recipe (tuned LSTM)", best, seconds)

    _step(4, f"forecasting the {info.n_test} test points and writing {args.output}")
    table = pd.DataFrame(rows).set_index("model")
    print()
    print(table.to_string(float_format=lambda v: f"{v:.4g}"))
    print(
        "\nMASE < 1 beats the in-sample seasonal naive forecast; lower is better.",
        flush=True,
    )
    _plot(frame, info, y_test, forecasts, table, args.output)
    print(f"figure: {args.output}")
    return 0


def _plot(frame, info, y_test, forecasts, table, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # the index of y_test is the origin; the forecast is for the next point
    when = frame.index[len(frame) - info.n_test :]
    fig, ax = plt.subplots(figsize=(10, 4.5), constrained_layout=True)
    history = frame[info.target].iloc[-3 * info.n_test :]
    ax.plot(history.index, history.to_numpy(), color="black", lw=1.2, label="actual")
    best_baseline = table.drop(index="sklstm recipe (tuned LSTM)")["MASE"].idxmin()
    for name, style in [
        (best_baseline, dict(color="tab:orange", ls="--")),
        ("sklstm recipe (tuned LSTM)", dict(color="tab:blue")),
    ]:
        mase = table.loc[name, "MASE"]
        ax.plot(
            when, forecasts[name], lw=1.5, label=f"{name} (MASE {mase:.3f})", **style
        )
    ax.axvline(when[0], color="grey", lw=0.8, ls=":")
    ax.set_title(f"{info.name}: one-step-ahead forecasts of the test part")
    ax.set_ylabel(info.target)
    ax.legend(loc="upper left")
    fig.savefig(path, dpi=110)
    plt.close(fig)
