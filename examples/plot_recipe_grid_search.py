"""
==========================================================
The whole recipe, tuned by time-ordered grid search
==========================================================

The three lessons each change one thing. This example puts every fix of the
seed article into one scikit-learn estimator and tunes it the way the article
recommends ("regular tuning of these hyperparameters through ... grid search"),
without letting the test period leak into any choice:

* **data preparation** -- causal imputation
  (:class:`~sklstm.preprocessing.TimeSeriesImputer`), outlier clipping
  (:class:`~sklstm.preprocessing.OutlierClipper`), a log transform, seasonal
  and first differences (the "derivative" features,
  :class:`~sklstm.preprocessing.DiffFeatures`), a seasonal lag
  (:class:`~sklstm.preprocessing.LagFeatures`), a moving average
  (:class:`~sklstm.preprocessing.RollingFeatures`), a scaler, and windows of
  past rows (:class:`~sklstm.preprocessing.Windower`), all fitted inside the
  Pipeline on the training rows only;
* **architecture** -- window length, depth and width are grid parameters;
* **regularization** -- dropout and L2 are grid parameters; early stopping is
  on.

On top, the network learns the *residual* of a seasonal naive forecast with
the last year's growth (:class:`~sklstm.compose.ResidualRegressor`): an LSTM
ends in bounded activations, so on a trending series such as AirPassengers it
cannot extrapolate the level (lesson 1 shows what happens when it has to).

``GridSearchCV(cv=TimeSeriesSplit(3))`` selects the parameters by
cross-validation *inside* the training part (1949-01 .. 1957-12); the test
part (1958-01 .. 1960-12, the protocol's 36 months) is forecast once, one
month ahead with the true history. The same protocol scores the naive,
seasonal naive and RidgeCV-on-lags baselines.

Set ``SKLSTM_QUICK=1`` for a run of under a minute (a 2-candidate grid, 2
folds, 2 epochs): its numbers are meaningless, it only checks that the script
works. The prose below quotes the full run. Figures go to the current
directory, or to ``SKLSTM_FIGURE_DIR`` when set.
"""

# %%
# Settings
# --------
import os
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklstm import LSTMRegressor
from sklstm.compose import ResidualRegressor
from sklstm.datasets import load_airpassengers
from sklstm.forecasting import (
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    evaluate_forecaster,
    forecast_scores,
    train_test_split_series,
)
from sklstm.preprocessing import (
    DiffFeatures,
    LagFeatures,
    OutlierClipper,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)
from sklstm.recipe import make_lstm_forecaster

QUICK = os.environ.get("SKLSTM_QUICK") == "1"
FIGURE_DIR = Path(os.environ.get("SKLSTM_FIGURE_DIR", "."))
TARGET, M, N_TEST = "passengers", 12, 36
EPOCHS = 2 if QUICK else 100
N_SPLITS = 2 if QUICK else 3
EXTRA_SEEDS = [] if QUICK else [1, 2, 3, 4]

frame = load_airpassengers()
X_train, X_test, y_train, y_test = train_test_split_series(frame, TARGET, n_test=N_TEST)
train_series = frame[TARGET].iloc[: len(frame) - N_TEST]

# %%
# The explicit pipeline
# ---------------------
# Row t of ``X`` holds the passengers of month t; ``y`` is month t+1. Each step
# below is a scikit-learn transformer that keeps one output row per input row
# (the first rows are padded, never dropped), so ``y`` stays aligned.
# ``set_output(transform="pandas")`` carries the monthly index through every
# step, so that when the fitted pipeline transforms the test rows, the lags,
# differences, moving averages and windows continue the training history.
lstm_pipeline = Pipeline(
    [
        # AirPassengers has no gap; on a real feed, gaps are filled from the past
        ("impute", TimeSeriesImputer(strategy="ffill")),
        # bounds learned on the training rows: Q1 - 3 IQR .. Q3 + 3 IQR
        ("clip", OutlierClipper(method="iqr", factor=3.0)),
        ("log", FunctionTransformer(np.log, feature_names_out="one-to-one")),
        # year-over-year log growth, then its month-to-month change
        ("seasonal_diff", DiffFeatures(period=M, drop_original=True)),
        ("diff", DiffFeatures(period=1)),
        # that change one year earlier, and a 3-month moving average of the growth
        ("lags", LagFeatures(lags=[M], columns="passengers_diff_12_diff_1")),
        (
            "moving_average",
            RollingFeatures(windows=3, stats="mean", columns="passengers_diff_12"),
        ),
        ("scale", StandardScaler()),
        ("window", Windower(window=12)),
        (
            "lstm",
            LSTMRegressor(
                units=16,
                epochs=EPOCHS,
                patience=10,
                learning_rate=3e-3,
                # l2 on every kernel, as when the numbers below were measured
                regularize="all",
                random_state=0,
            ),
        ),
    ]
).set_output(transform="pandas")

model = ResidualRegressor(
    regressor=lstm_pipeline,
    baseline=SeasonalNaiveForecaster(m=M, target=TARGET, growth="multiplicative"),
    log=True,
)

# the four columns each window carries
features = lstm_pipeline[:-2].fit(X_train).get_feature_names_out()
print("LSTM input columns:", list(features))

# %%
# The grid
# --------
# Parameter names follow the nesting: ``regressor`` (of the ResidualRegressor)
# then the step name then the LSTM parameter.
if QUICK:
    param_grid = {
        "regressor__window__window": [6],
        "regressor__lstm__n_layers": [1],
        "regressor__lstm__units": [4],
        "regressor__lstm__dropout": [0.0, 0.2],
        "regressor__lstm__l2": [1e-4],
    }
else:
    param_grid = {
        "regressor__window__window": [6, 12],
        "regressor__lstm__n_layers": [1, 2],
        "regressor__lstm__units": [16, 32],
        "regressor__lstm__dropout": [0.0, 0.2],
        "regressor__lstm__l2": [1e-4, 1e-3],
    }
search = GridSearchCV(
    model,
    param_grid,
    cv=TimeSeriesSplit(n_splits=N_SPLITS),
    scoring="neg_mean_absolute_error",
    error_score="raise",
)
start = time.perf_counter()
search.fit(X_train, y_train)
search_seconds = time.perf_counter() - start
n_candidates = len(search.cv_results_["params"])
print(f"{n_candidates} candidates x {N_SPLITS} folds + refit: {search_seconds:.0f} s")
cv = pd.DataFrame(search.cv_results_)
cv_table = pd.DataFrame(
    {
        "window": cv["param_regressor__window__window"],
        "n_layers": cv["param_regressor__lstm__n_layers"],
        "units": cv["param_regressor__lstm__units"],
        "dropout": cv["param_regressor__lstm__dropout"],
        "l2": cv["param_regressor__lstm__l2"],
        "CV MAE": -cv["mean_test_score"],
        "CV MAE std": cv["std_test_score"],
        "rank": cv["rank_test_score"],
    }
).sort_values("rank")
print("Best and worst candidates by cross-validated MAE (training part only):")
shown = cv_table if len(cv_table) <= 8 else pd.concat([cv_table[:5], cv_table[-3:]])
print(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))

# %%
# The protocol's test part
# ------------------------
# The refitted best pipeline forecasts the 36 test months once. Because one
# seed's result is one draw, the best parameters are also refitted with other
# seeds (``random_state`` of the LSTM) and scored the same way.
rows = []


def add_row(label, y_pred, seconds):
    scores = forecast_scores(y_test, y_pred, y_train=train_series, m=M)
    rows.append({"model": label, **scores, "fit_s": seconds})


y_pred_tuned = search.predict(X_test)
add_row("tuned recipe (grid search, seed 0)", y_pred_tuned, search_seconds)
for seed in EXTRA_SEEDS:
    refit = clone(search.best_estimator_).set_params(regressor__lstm__random_state=seed)
    start = time.perf_counter()
    refit.fit(X_train, y_train)
    add_row(
        f"tuned parameters, seed {seed}",
        refit.predict(X_test),
        time.perf_counter() - start,
    )

# %%
# For comparison, the recipe with its untuned defaults
# (:func:`sklstm.recipe.make_lstm_forecaster`), a plain LSTM on the scaled level
# (lesson 1's standard-scaled network) and the baselines, all under
# :func:`~sklstm.forecasting.evaluate_forecaster`.
plain_lstm = Pipeline(
    [
        ("scale", StandardScaler()),
        ("window", Windower(window=12)),
        ("lstm", LSTMRegressor(units=32, epochs=EPOCHS, random_state=0)),
    ]
).set_output(transform="pandas")
others = {
    "recipe defaults (make_lstm_forecaster)": make_lstm_forecaster(
        target=TARGET, m=M, log=True, **({"epochs": EPOCHS} if QUICK else {})
    ),
    "plain LSTM on the scaled level": plain_lstm,
    "naive": NaiveForecaster(target=TARGET),
    "seasonal naive": SeasonalNaiveForecaster(m=M, target=TARGET),
    "seasonal naive + growth (the baseline)": SeasonalNaiveForecaster(
        m=M, target=TARGET, growth="multiplicative"
    ),
    "Ridge on 24 lags": RidgeLagForecaster(n_lags=24, target=TARGET),
}
for label, estimator in others.items():
    result = evaluate_forecaster(
        estimator, frame, target=TARGET, horizon=1, n_test=N_TEST, m=M
    )
    seconds = result.pop("fit_seconds")
    rows.append({"model": label, **result, "fit_s": seconds})

table = pd.DataFrame(rows).set_index("model")
table["MAPE %"] = 100 * table.pop("MAPE")
table = table[["MAE", "RMSE", "MASE", "MAPE %", "fit_s"]]
print("Best parameters:")
for key, value in search.best_params_.items():
    print(f"  {key} = {value:.4g}")
print("AirPassengers 1958-01 .. 1960-12, one-step forecasts:")
print(table.to_string(float_format=lambda v: f"{v:.3f}"))

# %%
# What the tables show
# --------------------
# In our full run on 2 CPU cores (about 9 minutes):
#
# .. code-block:: text
#
#    32 candidates x 3 folds + refit: 485 s
#    Best and worst candidates by cross-validated MAE (training part only):
#     window  n_layers  units  dropout     l2  CV MAE  CV MAE std  rank
#          6         1     16      0.2  0.001   8.442       2.041     1
#          6         1     16      0.2 0.0001    8.45       2.047     2
#          6         2     16      0.2  0.001   8.703       1.813     3
#          6         2     16        0  0.001   8.965       1.981     4
#          6         2     16        0 0.0001   8.983           2     5
#         12         2     16        0 0.0001   11.55       4.726    30
#         12         1     32      0.2  0.001   12.91       5.283    31
#         12         1     32      0.2 0.0001      13       5.321    32
#    Best parameters:
#      regressor__lstm__dropout = 0.2
#      regressor__lstm__l2 = 0.001
#      regressor__lstm__n_layers = 1
#      regressor__lstm__units = 16
#      regressor__window__window = 6
#    AirPassengers 1958-01 .. 1960-12, one-step forecasts:
#                                              MAE   RMSE  MASE  MAPE %   fit_s
#    model
#    tuned recipe (grid search, seed 0)     13.328 17.474 0.436   3.140 484.984
#    tuned parameters, seed 1               13.072 17.566 0.428   3.083   1.969
#    tuned parameters, seed 2               12.857 17.158 0.421   3.051   2.416
#    tuned parameters, seed 3               13.362 17.885 0.437   3.137   2.298
#    tuned parameters, seed 4               12.337 17.631 0.404   2.915   2.342
#    recipe defaults (make_lstm_forecaster) 15.413 20.329 0.504   3.816  13.590
#    plain LSTM on the scaled level         61.934 83.916 2.026  13.106   3.509
#    naive                                  42.333 50.300 1.385   9.833   0.001
#    seasonal naive                         35.917 41.979 1.175   8.060   0.001
#    seasonal naive + growth (the baseline) 13.437 17.695 0.440   3.147   0.001
#    Ridge on 24 lags                       14.521 17.762 0.475   3.417   0.006
#
# * **What cross-validation chose.** The smallest network of the grid (one
#   layer of 16 units) on the shorter window (6 months) with dropout 0.2. The
#   top two candidates differ only in L2 (CV MAE 8.442 against 8.450): the
#   penalty made no difference here. The standard deviation across the three
#   folds (about 2) is larger than the gaps between most candidates, so the
#   ranking below the top few is mostly noise. The five best all used the
#   6-month window and 16 units; the three worst, the 12-month window.
# * **On the test years the tuned recipe beat every baseline we ran, by a
#   small margin over the best one.** MASE 0.436 with seed 0 and 0.404 to
#   0.437 over five seeds (mean 0.425), against 0.475 for Ridge on 24 lags and
#   0.440 for the seasonal naive forecast with growth -- which is the
#   recipe's own baseline. All five seeds beat both in MAE and MASE (in RMSE,
#   four of five beat the baseline's 17.695), but the LSTM improves on
#   its baseline by only 0.003 to 0.036 MASE. The middle panel shows why:
#   the network's correction is nearly flat, a few thousand passengers,
#   while the baseline's errors swing by tens of thousands; it learned little
#   beyond a small upward bias. Most of the accuracy comes from the data
#   preparation (log, seasonal differences) and the baseline, not from the
#   network.
# * **Tuning was needed.** The recipe with its untuned defaults
#   (:func:`~sklstm.recipe.make_lstm_forecaster`, window 8) scored 0.504:
#   worse than its baseline alone. And the plain LSTM on the scaled level
#   (lesson 1's standard-scaled network) scored 2.026: the preparation, not
#   the network,
#   takes the error from worse than naive to better than Ridge.
# * **Not the best model for this series.** ACCURACY-PROTOCOL.md reports
#   SARIMA (0,1,1)(0,1,1)12 on the log series at MASE 0.399 under the same
#   protocol; none of our five seeds reached it (best 0.404). The search
#   itself took 8 minutes for 97 small fits, against milliseconds for the
#   baselines.
#
# The recipe helper
# -----------------
# :func:`sklstm.recipe.tune_lstm_forecaster` builds the same kind of residual
# pipeline (without the seasonal lag; a moving average with
# ``moving_average=k``) and runs the same ``GridSearchCV(TimeSeriesSplit)`` over
# its own small grid in one call::
#
#     from sklstm.recipe import tune_lstm_forecaster
#
#     search = tune_lstm_forecaster(
#         X_train, y_train, target="passengers", m=12, log=True, budget="default"
#     )
#     y_pred = search.predict(X_test)

# %%
# Figure: the test forecasts, the part of them that comes from the LSTM (the
# forecast minus the seasonal naive baseline, against what the baseline
# missed), and the cross-validated MAE of every candidate.
fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(17, 4.5))
ahead = y_test.index + pd.DateOffset(months=1)  # row t forecasts month t + 1
baseline = SeasonalNaiveForecaster(m=M, target=TARGET, growth="multiplicative")
y_base = baseline.fit(X_train, y_train).predict(X_test)
ax1.plot(frame.index[-48:], frame[TARGET].iloc[-48:], color="k", label="observed")
ax1.plot(ahead, y_pred_tuned, label="tuned recipe (seed 0)")
ax1.plot(ahead, y_base, linestyle=":", label="seasonal naive + growth")
ax1.set_ylabel("passengers (thousands)")
ax1.set_title("One-step forecasts of the test part")
ax1.legend(fontsize=8)
ax2.axhline(0, color="grey", linewidth=0.5)
ax2.plot(ahead, y_test.to_numpy() - y_base, color="k", label="observed - baseline")
ax2.plot(ahead, y_pred_tuned - y_base, label="LSTM correction")
ax2.set_ylabel("passengers (thousands)")
ax2.set_title("What the LSTM adds to the baseline")
ax2.legend(fontsize=8)
for ax in (ax1, ax2):
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
ax3.errorbar(
    np.arange(1, len(cv_table) + 1),
    cv_table["CV MAE"],
    yerr=cv_table["CV MAE std"],
    fmt="o",
    capsize=2,
)
ax3.set_xlabel("candidate (by rank)")
ax3.set_ylabel("CV MAE (TimeSeriesSplit, mean +- std)")
ax3.set_title(f"{n_candidates} candidates, {N_SPLITS} time-ordered folds")
fig.tight_layout()
FIGURE_DIR.mkdir(parents=True, exist_ok=True)
fig.savefig(FIGURE_DIR / "recipe_grid_search.png", dpi=100)
print(f"figure written to {FIGURE_DIR / 'recipe_grid_search.png'}")
