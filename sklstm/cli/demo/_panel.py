"""``sklstm demo --dataset us_employment``: many series, one global model.

1. The panel: US employment by industry (``load_us_employment``), the last
   24 months of every series as its test part.
2. The classical models, each series with its own: the seasonal naive
   forecast and the airline model (log space); and Ridge on 24 lags pooled
   over all series.
3. The recipe tuned once on the whole panel: one LSTM across all series,
   correcting the baseline that cross-validation over pooled time-stamp folds
   chose; then that baseline alone, the network's share of the gain.
4. One figure: a few series with their test forecasts, and every series'
   MASE, recipe against the airline model.

Every number is measured in the run; nothing is written in.
"""

import time
import warnings

import numpy as np
import pandas as pd

from sklstm.cli._common import check_output as _check_output

__all__ = ["DATASET", "run"]

DATASET = "us_employment"
_N_STEPS = 4
_TARGET, _M, _N_TEST = "employed", 12, 24
_RECIPE = "sklstm recipe (one global LSTM)"
_AIRLINE = "airline, log (per series)"


def _step(number, text):
    print(f"[{number}/{_N_STEPS}] {text}", flush=True)


def run(args):
    """Carry out the panel demo; returns the exit code."""
    _check_output(args.output)
    started = time.perf_counter()
    panel, titles = _load(args.series)
    results = _classical(panel)
    recipe, search = _tuned_recipe(panel, budget=args.budget, seed=args.seed)
    results[_RECIPE] = recipe
    results["  its baseline alone"] = _evaluate(
        _clone(search.best_estimator_.baseline), panel
    )
    _print_table(results)
    _step(4, f"writing {args.output}")
    _plot(panel, titles, results, args.output)
    print(
        f"figure: {args.output}  (total {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    return 0


def _clone(estimator):
    from sklearn.base import clone

    return clone(estimator)


def _load(n_series):
    """The first ``n_series`` series of the panel (all when None)."""
    from sklstm.datasets import load_us_employment

    panel, titles = load_us_employment(return_titles=True)
    labels = panel.index.get_level_values(0).unique()
    if n_series is not None:
        if not 1 <= n_series <= len(labels):
            raise SystemExit(
                f"sklstm demo: --series={n_series} must be between 1 and "
                f"{len(labels)} (the series of {DATASET})."
            )
        labels = labels[:n_series]
        panel = panel.loc[panel.index.get_level_values(0).isin(labels)]
    levels = panel[_TARGET].groupby(level=0).mean()
    dates = panel.index.get_level_values(1)
    _step(
        1,
        f"{DATASET}: {len(labels)} monthly series of US employment by industry, "
        f"{dates.min():%Y-%m} to {dates.max():%Y-%m}, mean levels from "
        f"{levels.min():,.0f} to {levels.max():,.0f} "
        f"(x{levels.max() / levels.min():,.0f}); "
        f"the last {_N_TEST} months of every series are its test part, "
        "forecast one month ahead",
    )
    return panel, titles


def _evaluate(model, panel):
    from sklstm.forecasting import evaluate_forecaster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate_forecaster(
            model,
            panel,
            target=_TARGET,
            n_test=_N_TEST,
            m=_M,
            return_estimator=True,
        )


def _classical(panel):
    """Score the classical models; print one line each."""
    from sklstm.forecasting import protocol_baselines

    _step(2, "the classical models (MASE: mean / median over series):")
    # the protocol's baselines, labelled by how they use the panel
    labels = {
        "seasonal": "seasonal naive (per series)",
        "airline": _AIRLINE,
        "ridge": "ridge on 24 lags (pooled)",
    }
    models = {
        label: next(iter(protocol_baselines(panel, _TARGET, m=_M, kinds=kind).values()))
        for kind, label in labels.items()
    }
    results = {}
    for name, model in models.items():
        results[name] = result = _evaluate(model, panel)
        print(
            f"      {name:30s} {result['MASE']:.3f} / {result['MASE_median']:.3f}",
            flush=True,
        )
    return results


def _tuned_recipe(panel, *, budget, seed):
    """Tune the recipe on the whole panel; print what it chose."""
    from sklstm.recipe import TunedLSTMForecaster

    _step(3, f"the recipe, tuned once on all series ({budget} grid; a few minutes):")
    model = TunedLSTMForecaster(target=_TARGET, m=_M, budget=budget, random_state=seed)
    result = _evaluate(model, panel)
    search = result["estimator"].search_
    chosen = min(search.baseline_scores_, key=search.baseline_scores_.get)
    print(
        f"      baseline chosen by CV: {chosen}; tuned in "
        f"{result['fit_seconds']:.0f} s",
        flush=True,
    )
    return result, search


def _print_table(results):
    """The scores of every model, and the recipe's wins per series."""
    recipe = results[_RECIPE]["per_series"]["MASE"]
    rows = {}
    for name, result in results.items():
        mase = result["per_series"]["MASE"]
        rows[name] = {
            "MASE mean": result["MASE"],
            "MASE median": result["MASE_median"],
            "series the recipe beats": (
                "" if name == _RECIPE else f"{int((recipe < mase).sum())}"
            ),
        }
    table = pd.DataFrame(rows).T
    print(f"      on {len(recipe)} series:")
    print(
        "\n".join("      " + line for line in table.round(3).to_string().splitlines())
    )
    best = min(
        (name for name in results if name not in (_RECIPE, "  its baseline alone")),
        key=lambda name: results[name]["MASE"],
    )
    ratio = results[_RECIPE]["MASE"] / results[best]["MASE"]
    print(
        f"      the global recipe's mean MASE is {ratio:.3f}x that of the best "
        f"classical model here ({best.strip()})",
        flush=True,
    )


def _plot(panel, titles, results, path):
    """A few series with their test forecasts; every series' MASE."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    recipe = results[_RECIPE]["per_series"]["MASE"]
    airline = results[_AIRLINE]["per_series"]["MASE"]
    labels = list(recipe.index[:: max(1, len(recipe) // 3)][:3])
    preds = {
        name: _test_forecasts(results[name]["estimator"], panel)
        for name in (_AIRLINE, _RECIPE)
    }
    fig, axes = plt.subplots(
        1,
        len(labels) + 1,
        figsize=(4.2 * (len(labels) + 1), 3.8),
        constrained_layout=True,
    )
    for ax, label in zip(axes, labels, strict=False):
        _plot_series(ax, panel, preds, label)
        ax.set_title(str(titles.get(label, label)), fontsize=9)
    ax = axes[-1]
    ax.scatter(airline, recipe, s=10, color="tab:blue")
    low, high = min(airline.min(), recipe.min()), max(airline.max(), recipe.max())
    ax.plot([low, high], [low, high], color="grey", lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):  # the minor labels of a log axis overlap
        axis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlabel("MASE, airline model per series")
    ax.set_ylabel("MASE, global sklstm recipe")
    ax.set_title(
        f"recipe better below the line: {int((recipe < airline).sum())} "
        f"of {len(recipe)}",
        fontsize=9,
    )
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_series(ax, panel, preds, label):
    """One series' last years, its test part and the two forecasts."""
    series = panel.xs(label, level=0)[_TARGET]
    tail = series.iloc[-4 * _N_TEST :]
    test_index = series.index[-_N_TEST:]
    ax.plot(tail.index, tail.values, color="black", lw=1, label="observed")
    for name, color in ((_AIRLINE, "tab:orange"), (_RECIPE, "tab:blue")):
        pred = preds[name].xs(label, level=0)
        ax.plot(test_index, pred.to_numpy(), color=color, lw=1.2, label=name)
    ax.axvline(test_index[0], color="grey", lw=0.8, ls=":")
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7)


def _test_forecasts(fitted, panel):
    """The one-step forecasts of every series' test part by ``fitted``."""
    from sklstm.forecasting import train_test_split_series

    _, X_test, _, y_test = train_test_split_series(panel, _TARGET, n_test=_N_TEST)
    pred = np.asarray(fitted.predict(X_test), dtype=float)
    return pd.Series(pred, index=y_test.index)
