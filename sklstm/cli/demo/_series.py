"""``sklstm demo``: the seed's story on a bundled series, measured in the run.

1. The LSTM as the widely copied tutorial writes it (raw values, one timestep,
   ``activation="relu"``, no regularization) and its score against the naive
   forecast.
2. What :func:`sklstm.diagnose.diagnose` says about that model, its data and
   its forecasts.
3. The fixes applied one at a time -- scaling; windows, lag and seasonal
   features; regularization and early stopping; tuning -- each scored under
   the accuracy protocol (an "accuracy ladder").
4. The tuned recipe against the classical baselines; then its 90 % prediction
   intervals (:class:`~sklstm.forecasting.ConformalForecaster` around the
   fitted search, calibrated on the search's own folds of the training part)
   scored on the test part beside the airline model's analytic ones.
5. One figure: the ladder, and the forecasts of the whole series with the
   recipe's interval band over the test part.

Every number is measured in the run; nothing is written in.
"""

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sklstm.cli._common import check_output as _check_output
from sklstm.cli.demo._figure import Band, plot
from sklstm.cli.demo._panel import DATASET as PANEL

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
# the names of the rows the demo prints
_TUTORIAL = "the tutorial's LSTM"
_TUNED = "+ tuning (the sklstm recipe)"
_RECIPE = "sklstm recipe (tuned LSTM)"  # the tuned rung, in the table of step 4
# the tutorial's network: LSTM(50, activation='relu'), 100 epochs, no early stopping
_TUTORIAL_LSTM = dict(units=50, activation="relu", early_stopping=False, epochs=100)
# the nominal coverage of the prediction intervals of step 4
_COVERAGE = 0.9


def add_arguments(parser):
    """Arguments of ``sklstm demo``."""
    from sklstm.datasets import DATASETS
    from sklstm.recipe import DEFAULT_PARAM_GRIDS

    parser.add_argument(
        "--dataset",
        default="airpassengers",
        choices=sorted(DATASETS) + [PANEL],
        help="bundled series to forecast (default: airpassengers); "
        f"{PANEL}: a panel of 145 series and one global model",
    )
    parser.add_argument(
        "--series",
        type=int,
        default=None,
        help=f"with --dataset {PANEL}: the first SERIES series only (default: all)",
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


def run(args):
    """Carry out ``sklstm demo``; returns the exit code."""
    if args.dataset == PANEL:
        from sklstm.cli.demo._panel import run as run_panel

        return run_panel(args)
    _check_output(args.output)
    started = time.perf_counter()
    series = _load(args.dataset)
    score = _Scorer(series)
    tutorial, tutorial_row = _show_tutorial(series, score, seed=args.seed)
    _show_diagnosis(tutorial, series, score)
    baseline, reference, steps, search = _climb_ladder(
        series, score, tutorial, tutorial_row, budget=args.budget, seed=args.seed
    )
    table = _compare_with_baselines(series, score, baseline, reference, steps)
    # the calibration fits come last: the fits above draw what they drew before
    band = _show_intervals(series, score, search, tuning=steps[-1]["fit seconds"])
    _write_figure(series, score, steps, table, args.output, started=started, band=band)
    return 0


def _step(number, text):
    print(f"[{number}/{_N_STEPS}] {text}", flush=True)


def _indent(text):
    return "\n".join("      " + line for line in text.splitlines())


@dataclass(frozen=True)
class _Series:
    """A bundled series, its gaps interpolated, split under the accuracy protocol."""

    info: object
    frame: pd.DataFrame
    n_missing: int  # the gaps interpolated
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series

    @property
    def log(self):
        """Whether every value is positive: the recipe then models the log."""
        return bool((self.frame[self.info.target] > 0).all())


def _load(dataset):
    """The bundled series ``dataset`` as a :class:`_Series`."""
    from sklstm.datasets import DATASETS
    from sklstm.forecasting import train_test_split_series

    info = DATASETS[dataset]
    frame = info.load()
    n_missing = int(frame.isna().sum().sum())
    if n_missing:  # the protocol interpolates the gaps first
        frame = frame.interpolate()
    split = train_test_split_series(frame, info.target, n_test=info.n_test)
    return _Series(info, frame, n_missing, *split)


class _Scorer:
    """Fit and score models under the protocol; remember what it measured."""

    def __init__(self, series):
        info = series.info
        self.series = series
        self.train_series = series.frame[info.target].iloc[
            : len(series.frame) - info.n_test
        ]
        self.forecasts, self.rows = {}, []

    def __call__(self, name, model, *, fit=True):
        from sklstm.forecasting import forecast_scores

        series = self.series
        start = time.perf_counter()
        if fit:
            model.fit(series.X_train, series.y_train)
        seconds = time.perf_counter() - start
        pred = np.asarray(model.predict(series.X_test), dtype=float)
        self.forecasts[name] = pred
        scores = forecast_scores(
            series.y_test, pred, y_train=self.train_series, m=series.info.m
        )
        row = {
            "model": name,
            "MAE": scores["MAE"],
            "RMSE": scores["RMSE"],
            "MASE": scores["MASE"],
            "fit seconds": seconds,
        }
        self.rows.append(row)
        return row


# --------------------------------------------------------------------------- #
# [1/5] the series, and the tutorial's LSTM against the naive forecast
# --------------------------------------------------------------------------- #
def _show_tutorial(series, score, *, seed):
    """Score the naive forecast and the tutorial's LSTM; return (LSTM, its row)."""
    from sklstm.forecasting import NaiveForecaster
    from sklstm.models import LSTMRegressor

    _step(1, _describe(series))
    naive = score("naive forecast", NaiveForecaster(target=series.info.target))
    tutorial = LSTMRegressor(**_TUTORIAL_LSTM, scale_target=False, random_state=seed)
    row = score(_TUTORIAL, tutorial)
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
    return tutorial, row


def _describe(series):
    """The first step's line: the series, its split, the tutorial's model."""
    info, frame = series.info, series.frame
    frequency = {"MS": "monthly", "D": "daily"}.get(info.frequency, "weekly")
    gaps = f", {series.n_missing} gaps interpolated" if series.n_missing else ""
    return (
        f"{info.name}: {len(frame)} {frequency} values of '{info.target}' "
        f"({frame.index[0]:%Y-%m-%d} .. {frame.index[-1]:%Y-%m-%d}{gaps}); "
        f"train {len(frame) - info.n_test}, test {info.n_test}, one step "
        "ahead. The LSTM as the tutorial writes it: LSTM(50, activation='relu') + "
        "Dense(1), Adam, 100 epochs, on the raw values of one time step, "
        "nothing scaled, no regularization"
    )


# --------------------------------------------------------------------------- #
# [2/5] sklstm.diagnose on the tutorial's LSTM
# --------------------------------------------------------------------------- #
def _show_diagnosis(tutorial, series, score):
    """Print what sklstm.diagnose says about the LSTM, its data and forecasts."""
    from sklstm.diagnose import diagnose

    _step(2, "sklstm.diagnose on that model, its training data and its forecasts:")
    diagnosis = diagnose(
        tutorial,
        series.X_train,
        series.y_train,
        y_test=series.y_test,
        y_pred=score.forecasts[_TUTORIAL],
        m=series.info.m,
    )
    print(_indent(diagnosis.to_text()), flush=True)


# --------------------------------------------------------------------------- #
# [3/5] the fixes, one at a time: the accuracy ladder
# --------------------------------------------------------------------------- #
def _climb_ladder(series, score, tutorial, tutorial_row, *, budget, seed):
    """Score each fix in turn, tuning last.

    Returns (baseline, reference, steps, search): the name of the baseline the
    recipe corrects, that baseline (unfitted), one row of scores per rung, and
    the fitted search of the last rung.
    """
    from sklstm.recipe._selection import _select_baseline

    _step(3, "the fixes, one at a time (the accuracy ladder):")
    info = series.info
    baseline, _, reference = _select_baseline(
        series.X_train,
        series.y_train,
        target=info.target,
        m=info.m,
        log=series.log,
        n_splits=3,
    )
    recipe = dict(target=info.target, m=info.m, log=series.log, baseline=reference)
    steps = []
    for name, model in _rungs(tutorial, baseline, recipe, m=info.m, seed=seed):
        row = tutorial_row if model is None else score(name, model)
        steps.append({**row, "model": name})
        _print_rung(steps)
    row, search = _tune(series, score, recipe, budget=budget, seed=seed)
    steps.append(row)
    _print_rung(steps)
    _print_tuning(search, baseline)
    return baseline, reference, steps, search


def _rungs(tutorial, baseline, recipe, *, m, seed):
    """The rungs before tuning, as (name, unfitted model); None: the tutorial's."""
    from sklearn.base import clone
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from sklstm.recipe import make_lstm_forecaster

    season = m if 1 < m <= 52 else 8  # windows of one season
    scaled = Pipeline(
        [
            ("scale", StandardScaler()),
            ("lstm", clone(tutorial).set_params(scale_target=True)),
        ]
    ).set_output(transform="pandas")
    windows = make_lstm_forecaster(
        **recipe, window=season, **_TUTORIAL_LSTM, l2=0.0, random_state=seed
    )
    regularized = make_lstm_forecaster(
        **recipe, window=season, units=50, dropout=0.2, random_state=seed
    )
    return [
        (_TUTORIAL, None),
        ("+ scaled inputs and target", scaled),
        (
            f"+ windows of {season} steps, differences, moving average; the LSTM "
            f"corrects the {baseline} forecast",
            windows,
        ),
        ("+ tanh, dropout 0.2, L2 1e-4, early stopping", regularized),
    ]


def _tune(series, score, recipe, *, budget, seed):
    """Tune the recipe on the training part; return (its row, the search).

    The row's fit seconds are the search's, which fitted the best model.
    """
    from sklstm.recipe import tune_lstm_forecaster

    start = time.perf_counter()
    search = tune_lstm_forecaster(
        series.X_train,
        series.y_train,
        **recipe,
        budget=budget,
        random_state=seed,
        verbose=1,  # one line per fit (sklstm.utils.ProgressScorer)
    )
    row = score(_TUNED, search.best_estimator_, fit=False)
    row["fit seconds"] = time.perf_counter() - start
    return row, search


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


def _print_tuning(search, baseline):
    """What the search chose, and the share of the LSTM's correction it kept."""
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


# --------------------------------------------------------------------------- #
# [4/5] the tuned recipe against the classical baselines
# --------------------------------------------------------------------------- #
def _compare_with_baselines(series, score, baseline, reference, steps):
    """Score the baselines; print and return the table, the recipe last."""
    _step(4, "the tuned recipe against the classical baselines:")
    for name, model in _baselines(series, baseline, reference).items():
        score(name, model)
    rungs = {row["model"] for row in steps[:-1]}  # all but the tuned one
    table = _table(score.rows, rungs)
    print(_indent(table.to_string(float_format=lambda v: f"{v:.4g}")))
    _print_verdict(table, steps[0]["MASE"], m=series.info.m)
    return table


def _baselines(series, baseline, reference):
    """The classical baselines, by name (unfitted but ``reference``'s own)."""
    from sklstm.forecasting import protocol_baselines

    info = series.info
    growth = "multiplicative growth" if series.log else "additive growth"
    baselines = protocol_baselines(
        series.frame,
        info.target,
        m=info.m,
        season_length=info.season_length,
        n_lags=info.n_lags,
        kinds=["seasonal", "ridge", growth],
    )
    # what the LSTM corrects, alone: the network's share of the result
    baselines[f"{baseline}, alone"] = reference
    return baselines


def _table(rows, rungs):
    """The rows of scores but the ladder's ``rungs``, indexed by model, recipe last."""
    table = pd.DataFrame([r for r in rows if r["model"] not in rungs])
    table = table.set_index("model").rename(index={_TUNED: _RECIPE})
    return pd.concat([table.drop(index=_RECIPE), table.loc[[_RECIPE]]])


def _print_verdict(table, tutorial_mase, *, m):
    """Whether the recipe beats every baseline, and by how much."""
    best_other = table.drop(index=_RECIPE)["MASE"]
    recipe_mase = table.loc[_RECIPE, "MASE"]
    verdict = (
        f"beats every baseline, by {1 - recipe_mase / best_other.min():.1%} over "
        f"the best one ({best_other.idxmin()}, {best_other.min():.3f})"
        if recipe_mase < best_other.min()
        else f"does not beat {best_other.idxmin()} ({best_other.min():.3f})"
    )
    print(
        f"      The recipe's MASE {recipe_mase:.3f} {verdict}; the tutorial's LSTM "
        f"scored {tutorial_mase:.3f}. MASE < 1 beats the in-sample "
        f"{'seasonal ' if m > 1 else ''}naive forecast; lower is better.",
        flush=True,
    )


def _show_intervals(series, score, search, *, tuning):
    """Print the recipe's intervals' scores beside the airline model's.

    The fitted search is calibrated as it is (``prefit=True``): the chosen
    settings are refitted on the search's own folds of the training part, and
    nothing else is. Returns the recipe's :class:`~sklstm.cli.demo._figure.Band`.
    """
    from sklstm.forecasting import (
        AirlineForecaster,
        ConformalForecaster,
        interval_scores,
    )

    info = series.info
    conformal = ConformalForecaster(search, coverage=_COVERAGE, prefit=True)
    conformal.fit(series.X_train, series.y_train)
    n_folds = search.n_splits_
    bounds = {
        f"sklstm recipe, conformal on its {n_folds} folds": conformal.predict_interval(
            series.X_test
        )
    }
    if info.m > 1:  # a seasonal set: the classical reference
        airline = AirlineForecaster(m=info.m, target=info.target, log=series.log)
        airline.fit(series.X_train, series.y_train)
        bounds[f"airline(m={info.m}), analytic Gaussian"] = airline.predict_interval(
            series.X_test, coverage=_COVERAGE
        )
    rows = {
        name: interval_scores(
            series.y_test,
            b[:, 0],
            b[:, 1],
            y_train=score.train_series,
            m=info.m,
            coverage=_COVERAGE,
        )
        for name, b in bounds.items()
    }
    print(
        f"      {_COVERAGE:.0%} prediction intervals of the {len(series.y_test)} "
        "test values (coverage: the share inside; MSIS: the interval score on "
        "the MASE scale, lower is better):",
        flush=True,
    )
    print(_indent(_interval_table(rows)), flush=True)
    seconds = conformal.calibration_seconds_
    print(
        f"      the intervals' calibration refitted the chosen settings on the "
        f"search's {n_folds} folds: {seconds:.1f} s added to the search's "
        f"{tuning:.1f} s (+{seconds / tuning:.0%})",
        flush=True,
    )
    lower, upper = next(iter(bounds.values())).T
    return Band(lower, upper, _COVERAGE, next(iter(rows.values()))["coverage"])


def _interval_table(rows):
    """The scores of each model's intervals, one line each, under a header."""
    width = max(len(name) for name in rows)
    lines = [f"{'':<{width}}  coverage  mean width    MSIS"]
    for name, r in rows.items():
        lines.append(
            f"{name:<{width}}  {r['coverage']:>8.1%}  {r['width']:>10.4g}  "
            f"{r['MSIS']:>6.3f}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- #
# [5/5] the figure: the ladder and the forecasts of the whole series
# --------------------------------------------------------------------------- #
def _write_figure(series, score, steps, table, path, *, started, band):
    """Write the figure to ``path``; print the demo's total time."""
    _step(5, f"writing {path}")
    plot(
        series,
        score.forecasts,
        steps,
        table,
        path,
        band,
        rungs=_SHORT,
        lines={_TUTORIAL: "the tutorial's LSTM", _TUNED: "sklstm recipe (tuned)"},
    )
    print(
        f"figure: {path}  (total {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
