"""``sklstm demo``: the seed's story on a bundled series, measured in the run.

1. The LSTM as the widely copied tutorial writes it (raw values, one timestep,
   ``activation="relu"``, no regularization) and its score against the naive
   forecast.
2. What :func:`sklstm.diagnose.diagnose` says about that model, its data and
   its forecasts.
3. The fixes applied one at a time -- scaling; windows, lag and seasonal
   features; regularization and early stopping; tuning -- each scored under
   the accuracy protocol (an "accuracy ladder").
4. The tuned recipe against the classical baselines, and one figure (the
   ladder and the forecasts of the whole series).

Every number is measured in the run; nothing is written in.
"""

import os
import time

import numpy as np
import pandas as pd

__all__ = ["add_arguments", "run"]

_N_STEPS = 5
# the rungs of the accuracy ladder, as the figure names them
_SHORT = [
    "the tutorial's LSTM",
    "+ scaling",
    "+ windows, features",
    "+ regularization",
    "+ tuning",
]


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
        help="grid of the tuning step: quick (2 candidates) or default (8); "
        "default: default",
    )
    parser.add_argument(
        "--output",
        default="sklstm-demo.png",
        help="where to write the figure (default: sklstm-demo.png)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random_state of every LSTM (default 0)"
    )


def _check_output(path):
    """Fail now, not after minutes of tuning, if the figure cannot be written."""
    from sklstm.cli import CommandError

    if os.path.isdir(path):
        raise CommandError(f"--output {path!r} is a directory; give a file name.")
    existed = os.path.exists(path)
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"cannot write --output {path!r}: {reason}.") from None
    if not existed:
        os.remove(path)


def _step(number, text):
    print(f"[{number}/{_N_STEPS}] {text}", flush=True)


class _Scorer:
    """Fit and score models under the protocol; remember what it measured."""

    def __init__(self, X_train, X_test, y_train, y_test, train_series, m):
        self.X_train, self.X_test = X_train, X_test
        self.y_train, self.y_test = y_train, y_test
        self.train_series, self.m = train_series, m
        self.forecasts, self.rows = {}, []

    def __call__(self, name, model, *, fit=True):
        from sklstm.forecasting import forecast_scores

        start = time.perf_counter()
        if fit:
            model.fit(self.X_train, self.y_train)
        seconds = time.perf_counter() - start
        pred = np.asarray(model.predict(self.X_test), dtype=float)
        self.forecasts[name] = pred
        scores = forecast_scores(self.y_test, pred, y_train=self.train_series, m=self.m)
        row = {
            "model": name,
            "MAE": scores["MAE"],
            "RMSE": scores["RMSE"],
            "MASE": scores["MASE"],
            "fit seconds": seconds,
        }
        self.rows.append(row)
        return row


def run(args):
    """Carry out ``sklstm demo``; returns the exit code."""
    _check_output(args.output)
    started = time.perf_counter()
    from sklearn.base import clone
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from sklstm.datasets import DATASETS
    from sklstm.diagnose import diagnose
    from sklstm.forecasting import (
        NaiveForecaster,
        RidgeLagForecaster,
        SeasonalNaiveForecaster,
        train_test_split_series,
    )
    from sklstm.models import LSTMRegressor
    from sklstm.recipe import (
        _select_baseline,
        make_lstm_forecaster,
        tune_lstm_forecaster,
    )

    info = DATASETS[args.dataset]
    frame = info.load()
    n_missing = int(frame.isna().sum().sum())
    if n_missing:  # the protocol interpolates the gaps first
        frame = frame.interpolate()
    X_train, X_test, y_train, y_test = train_test_split_series(
        frame, info.target, n_test=info.n_test
    )
    train_series = frame[info.target].iloc[: len(frame) - info.n_test]
    score = _Scorer(X_train, X_test, y_train, y_test, train_series, info.m)
    frequency = {"MS": "monthly", "D": "daily"}.get(info.frequency, "weekly")
    _step(
        1,
        f"{info.name}: {len(frame)} {frequency} values of '{info.target}' "
        f"({frame.index[0]:%Y-%m-%d} .. {frame.index[-1]:%Y-%m-%d}"
        + (f", {n_missing} gaps interpolated" if n_missing else "")
        + f"); train {len(frame) - info.n_test}, test {info.n_test}, one step "
        "ahead. The LSTM as the tutorial writes it: LSTM(50, activation='relu') + "
        "Dense(1), Adam, 100 epochs, on the raw values of one time step, "
        "nothing scaled, no regularization",
    )
    naive = score("naive forecast", NaiveForecaster(target=info.target))
    tutorial = LSTMRegressor(
        units=50,
        activation="relu",
        scale_target=False,
        early_stopping=False,
        epochs=100,
        random_state=args.seed,
    )
    tutorial_name = "the tutorial's LSTM"
    row = tutorial_row = score(tutorial_name, tutorial)
    ratio = row["MASE"] / naive["MASE"]
    verdict = (
        "it beats 'tomorrow equals today'"
        if ratio < 0.95
        else f"its error is {ratio:.3f}x that of 'tomorrow equals today'"
    )
    print(
        f"      MASE {row['MASE']:.3f} against the naive forecast's "
        f"{naive['MASE']:.3f}: {verdict}",
        flush=True,
    )

    _step(2, "sklstm.diagnose on that model, its training data and its forecasts:")
    diagnosis = diagnose(
        tutorial,
        X_train,
        y_train,
        y_test=y_test,
        y_pred=score.forecasts[tutorial_name],
        m=info.m,
    )
    print(_indent(diagnosis.to_text()), flush=True)

    _step(3, "the fixes, one at a time (the accuracy ladder):")
    log = bool((frame[info.target] > 0).all())
    baseline, _, reference = _select_baseline(
        X_train, y_train, target=info.target, m=info.m, log=log, n_splits=3
    )
    recipe_inputs = dict(target=info.target, m=info.m, log=log, baseline=reference)
    season = info.m if 1 < info.m <= 52 else 8  # windows of one season
    ladder = [
        (tutorial_name, None),
        (
            "+ scaled inputs and target",
            Pipeline(
                [
                    ("scale", StandardScaler()),
                    ("lstm", clone(tutorial).set_params(scale_target=True)),
                ]
            ).set_output(transform="pandas"),
        ),
        (
            f"+ windows of {season} steps, differences, moving average; the LSTM "
            f"corrects the {baseline} forecast",
            make_lstm_forecaster(
                **recipe_inputs,
                window=season,
                units=50,
                activation="relu",
                l2=0.0,
                early_stopping=False,
                epochs=100,
                random_state=args.seed,
            ),
        ),
        (
            "+ tanh, dropout 0.2, L2 1e-4, early stopping",
            make_lstm_forecaster(
                **recipe_inputs,
                window=season,
                units=50,
                dropout=0.2,
                random_state=args.seed,
            ),
        ),
    ]
    steps = []
    for name, model in ladder:
        row = tutorial_row if model is None else score(name, model)
        steps.append({**row, "model": name})
        _print_rung(steps)

    start = time.perf_counter()
    search = tune_lstm_forecaster(
        X_train,
        y_train,
        target=info.target,
        m=info.m,
        log=log,
        baseline=reference,
        budget=args.budget,
        random_state=args.seed,
        verbose=1,  # one line per fit (sklstm.utils.ProgressScorer)
    )
    tuned_name = "+ tuning (the sklstm recipe)"
    row = score(tuned_name, search.best_estimator_, fit=False)
    row["fit seconds"] = time.perf_counter() - start
    steps.append(row)
    _print_rung(steps)
    chosen = ", ".join(
        f"{key.split('__')[-1]}={value}" for key, value in search.best_params_.items()
    )
    n_candidates = len(search.cv_results_["params"])
    print(
        f"      tuned by GridSearchCV(TimeSeriesSplit(3)) over {n_candidates} "
        f"candidates on the training part: {chosen}",
        flush=True,
    )
    shrinkage = search.best_params_["shrinkage"]
    if shrinkage == 0:
        said = (
            f"the LSTM's correction did not help in validation: the recipe "
            f"predicts the {baseline} forecast itself (shrinkage 0)"
        )
    else:
        said = (
            f"the {baseline} forecast plus {shrinkage:g} x the LSTM's correction "
            "(the share chosen in validation)"
        )
    print(f"      {said}", flush=True)

    _step(4, "the tuned recipe against the classical baselines:")
    baselines = {
        f"seasonal naive (m={info.season_length})": SeasonalNaiveForecaster(
            m=info.season_length, target=info.target
        ),
        f"Ridge on {info.n_lags} lags": RidgeLagForecaster(
            n_lags=info.n_lags, target=info.target
        ),
    }
    if info.m > 1:
        growth = "multiplicative" if log else "additive"
        baselines[f"seasonal naive + {growth} growth (m={info.m})"] = (
            SeasonalNaiveForecaster(m=info.m, target=info.target, growth=growth)
        )
    # what the LSTM corrects, alone: the network's share of the result
    baselines[f"{baseline}, alone"] = reference
    for name, model in baselines.items():
        score(name, model)
    table = pd.DataFrame(
        [r for r in score.rows if r["model"] not in dict(ladder)]
    ).set_index("model")
    table = table.rename(index={tuned_name: "sklstm recipe (tuned LSTM)"})
    table = pd.concat(  # the recipe last, below the baselines
        [
            table.drop(index="sklstm recipe (tuned LSTM)"),
            table.loc[["sklstm recipe (tuned LSTM)"]],
        ]
    )
    print(_indent(table.to_string(float_format=lambda v: f"{v:.4g}")))
    best_other = table.drop(index="sklstm recipe (tuned LSTM)")["MASE"]
    recipe_mase = table.loc["sklstm recipe (tuned LSTM)", "MASE"]
    verdict = (
        f"beats every baseline, by {1 - recipe_mase / best_other.min():.1%} over "
        f"the best one ({best_other.idxmin()}, {best_other.min():.3f})"
        if recipe_mase < best_other.min()
        else f"does not beat {best_other.idxmin()} ({best_other.min():.3f})"
    )
    print(
        f"      The recipe's MASE {recipe_mase:.3f} {verdict}; the tutorial's LSTM "
        f"scored {steps[0]['MASE']:.3f}. MASE < 1 beats the in-sample "
        f"{'seasonal ' if info.m > 1 else ''}naive forecast; lower is better.",
        flush=True,
    )

    _step(5, f"writing {args.output}")
    _plot(frame, info, score.forecasts, steps, table, tuned_name, args.output)
    print(
        f"figure: {args.output}  (total {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    return 0


def _indent(text):
    return "\n".join("      " + line for line in text.splitlines())


def _print_rung(steps):
    row = steps[-1]
    if len(steps) == 1:
        change = ""
    else:
        before = steps[-2]["MASE"]
        word = "better" if row["MASE"] < before else "no better"
        change = f"  ({word} than the step before: {before:.3f})"
    print(
        f"      {len(steps) - 1}. {row['model']}: MASE {row['MASE']:.3f}, "
        f"fit {row['fit seconds']:.1f} s{change}",
        flush=True,
    )


def _plot(frame, info, forecasts, steps, table, tuned_name, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_ladder, ax_series) = plt.subplots(
        1, 2, figsize=(13, 4.8), width_ratios=[1, 2], constrained_layout=True
    )
    labels = [f"{i}. {short}" for i, short in enumerate(_SHORT)]
    values = [s["MASE"] for s in steps]
    ax_ladder.barh(labels[::-1], values[::-1], color="tab:blue")
    for name, style in [("naive forecast", ":")] + [
        (n, "--") for n in table.index if n.startswith("seasonal naive")
    ]:
        mase = table.loc[name, "MASE"] if name in table.index else None
        if mase is not None:
            ax_ladder.axvline(mase, color="grey", ls=style, lw=1, label=name)
    ax_ladder.set_xlabel("MASE on the test part (lower is better)")
    ax_ladder.set_title("The accuracy ladder")
    ax_ladder.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=7)

    series = frame[info.target]
    split = series.index[len(series) - info.n_test]
    # y_test row i is the value at label n_train + i (its origin is one earlier)
    when = series.index[len(series) - info.n_test :]
    ax_series.plot(series.index, series.to_numpy(), color="black", lw=1, label="actual")
    for name, label, style in [
        (steps[0]["model"], "the tutorial's LSTM", dict(color="tab:red", lw=1)),
        (tuned_name, "sklstm recipe (tuned)", dict(color="tab:blue", lw=1.5)),
    ]:
        ax_series.plot(when, forecasts[name], label=label, **style)
    ax_series.axvline(split, color="grey", ls=":", lw=1)
    ax_series.text(
        split, ax_series.get_ylim()[1], " test part ->", va="top", fontsize=8
    )
    ax_series.text(
        split,
        ax_series.get_ylim()[1],
        "<- training part ",
        va="top",
        ha="right",
        fontsize=8,
    )
    ax_series.set_xlabel(series.index.name or "time")
    ax_series.set_ylabel(info.target)
    ax_series.set_title(f"{info.name}: one-step-ahead forecasts of the test part")
    ax_series.legend(loc="upper left")
    fig.savefig(path, dpi=110)
    plt.close(fig)
