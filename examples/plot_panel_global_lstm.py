"""
=====================================================
Many series, one model: a global LSTM for 145 series
=====================================================

US employment by industry (the Bureau of Labor Statistics' Current Employment
Statistics, not seasonally adjusted; 145 monthly series from 1990-01 to
2019-09, :func:`~sklstm.datasets.load_us_employment`) is a *panel*: a DataFrame
indexed by (series, date). Fitting an LSTM per series means 145 networks, each
trained on 333 months; one *global* network trained on the windows of all
series sees 145 times more data and the shape the series share.

This example tunes the sklstm recipe once on the whole panel
(:func:`~sklstm.recipe.tune_lstm_forecaster`: the baseline chosen by
cross-validation over time-stamp folds pooled across series, one LSTM
correcting it), forecasts the last 24 months of every series one month ahead
with the true history, and scores every series with its own MASE scale
against:

* the seasonal naive forecast and the airline model (SARIMA
  (0,1,1)(0,1,1)12 in log space), each series with its own;
* the recipe's chosen baseline alone: what the network adds.

Then it forecasts the next 12 months of a few series with 90 % conformal
intervals (:class:`~sklstm.forecasting.ConformalForecaster`, calibrated on
time-stamp folds of the panel).

Set ``SKLSTM_QUICK=1`` for a run of under a minute (4 series, a 2-unit
network, 2 epochs): its numbers are meaningless, it only checks that the
script works. Figures go to the current directory, or to
``SKLSTM_FIGURE_DIR`` when set.
"""

# %%
# Settings
# --------
import os
import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sklstm.datasets import load_us_employment
from sklstm.forecasting import (
    AirlineForecaster,
    ConformalForecaster,
    SeasonalNaiveForecaster,
    forecast,
    forecast_scores,
    make_supervised,
    train_test_split_series,
)
from sklstm.recipe import tune_lstm_forecaster

QUICK = os.environ.get("SKLSTM_QUICK") == "1"
FIGURE_DIR = Path(os.environ.get("SKLSTM_FIGURE_DIR", "."))
TARGET, M, N_TEST = "employed", 12, 24
N_SERIES = 4 if QUICK else None  # None: all 145
BUDGET = "quick"  # the recipe's 2-candidate grid
QUICK_SETTINGS = (
    dict(
        param_grid={
            "regressor__lstm__estimator__units": [2],
            "regressor__window__window": [4],
        },
        epochs=2,
    )
    if QUICK
    else {}
)

# %%
# The panel
# ---------
# Series differ by four orders of magnitude (about 21 thousand jobs at the
# central bank, 130 million in total nonfarm employment; the values are in
# thousands): every sklstm step computes within each series, and every score
# below is scaled per series.
panel, titles = load_us_employment(return_titles=True)
if N_SERIES is not None:
    labels = panel.index.get_level_values(0).unique()[:N_SERIES]
    panel = panel.loc[panel.index.get_level_values(0).isin(labels)]
labels = panel.index.get_level_values(0).unique()
levels = panel[TARGET].groupby(level=0).mean()
print(
    f"{len(labels)} series, {len(panel)} rows; mean levels from "
    f"{levels.min():,.0f} to {levels.max():,.0f} (thousands of jobs)"
)
X_train, X_test, y_train, y_test = train_test_split_series(panel, TARGET, n_test=N_TEST)


def per_series_mase(pred):
    """Each series' MASE with its own training part as the scale."""
    pred = pd.Series(np.asarray(pred, dtype=float), index=y_test.index)
    train = panel[TARGET]
    scores = {}
    for label in labels:
        history = train.loc[label].iloc[:-N_TEST]
        scores[label] = forecast_scores(
            y_test.loc[label], pred.loc[label], y_train=history, m=M
        )["MASE"]
    return pd.Series(scores)


# %%
# Classical models, one per series
# --------------------------------
# Both are fitted series by series even though they are given the whole
# panel: their state is kept per series.
mase = {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # statsmodels' convergence notes
    for name, model in {
        "seasonal naive": SeasonalNaiveForecaster(m=M, target=TARGET),
        "airline (log)": AirlineForecaster(m=M, target=TARGET, log=True),
    }.items():
        mase[name] = per_series_mase(model.fit(X_train, y_train).predict(X_test))

# %%
# One global recipe
# -----------------
start = time.perf_counter()
search = tune_lstm_forecaster(
    X_train,
    y_train,
    target=TARGET,
    m=M,
    budget=BUDGET,
    random_state=0,
    **QUICK_SETTINGS,
)
seconds = time.perf_counter() - start
chosen = min(search.baseline_scores_, key=search.baseline_scores_.get)
print(f"tuned on all series in {seconds:.0f} s; baseline chosen by CV: {chosen}")
mase["sklstm recipe (global)"] = per_series_mase(search.predict(X_test))
baseline = search.best_estimator_.baseline_
mase["its baseline alone"] = per_series_mase(baseline.predict(X_test))

recipe = mase["sklstm recipe (global)"]
table = pd.DataFrame(
    {
        "MASE mean": {name: s.mean() for name, s in mase.items()},
        "MASE median": {name: s.median() for name, s in mase.items()},
        "MASE 90th pct": {name: s.quantile(0.9) for name, s in mase.items()},
        "series the recipe beats": {
            name: int((recipe < s).sum()) for name, s in mase.items()
        },
    }
)
print(table.round(3).to_string())

# %%
# Each series: recipe against the airline model
# ---------------------------------------------
# Below the diagonal, the global network beat the series' own airline model.
fig, ax = plt.subplots(figsize=(5, 4.5), constrained_layout=True)
airline = mase["airline (log)"]
ax.scatter(airline, recipe, s=12)
low, high = min(airline.min(), recipe.min()), max(airline.max(), recipe.max())
ax.plot([low, high], [low, high], color="grey", ls="--", lw=1)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("MASE, airline model per series")
ax.set_ylabel("MASE, one global sklstm recipe")
ax.set_title(f"recipe better on {int((recipe < airline).sum())} of {len(recipe)}")
fig.savefig(FIGURE_DIR / "panel_mase.png", dpi=100)

# %%
# The next 12 months of every series, with 90 % intervals
# -------------------------------------------------------
# Refit the chosen settings on every month of every series, 12 steps ahead,
# and calibrate conformal intervals on time-stamp folds of the panel.
X, y = make_supervised(panel, TARGET, horizon=12)
settings = search.best_estimator_
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    ranged = ConformalForecaster(settings, coverage=0.9).fit(X, y)
future = forecast(ranged, panel, coverage=0.9)
shown = list(labels[:: max(1, len(labels) // 3)][:3])
fig, axes = plt.subplots(
    1,
    len(shown),
    figsize=(4.5 * len(shown), 3.5),
    constrained_layout=True,
    squeeze=False,
)
for ax, label in zip(axes[0], shown, strict=True):
    history = panel[TARGET].loc[label].iloc[-48:]
    ahead = future.loc[label]
    ax.plot(history.index, history.to_numpy(), color="black", lw=1)
    ax.plot(ahead.index, ahead[TARGET].to_numpy(), color="tab:blue")
    ax.fill_between(
        ahead.index,
        ahead["lower"],
        ahead["upper"],
        alpha=0.3,
        color="tab:blue",
        label="90 % interval",
    )
    ax.set_title(titles.get(label, label), fontsize=9)
    ax.legend(fontsize=7)
fig.savefig(FIGURE_DIR / "panel_forecasts.png", dpi=100)
print(future.loc[shown[0]].round(1).to_string())
