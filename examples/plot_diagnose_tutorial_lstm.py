"""
=========================================================================
Diagnose a failing LSTM: the tutorial's model that repeats the last value
=========================================================================

The LSTM most people start from -- the widely copied Keras tutorial and the
seed article's "incorrect" examples -- reads the raw value of one time step
through ``LSTM(50, activation="relu")`` and a ``Dense(1)`` head, with nothing
scaled and nothing regularized. On AirPassengers it produces forecasts that
look plausible on a plot and are no better than "next month equals this
month".

This example trains that model, then asks :func:`sklstm.diagnose.diagnose`
about the model, its training data and its forecasts
(:func:`sklstm.diagnose.diagnose_forecast`), and applies the fixes it names.
Every number below is printed by this script when it runs (it takes a few
seconds, so the gallery shows the full run); ``SKLSTM_QUICK=1`` changes
nothing here.
"""

# %%
# The tutorial's LSTM
# -------------------
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sklstm import LSTMRegressor
from sklstm.datasets import load_airpassengers
from sklstm.diagnose import diagnose, diagnose_forecast
from sklstm.forecasting import (
    NaiveForecaster,
    forecast_scores,
    train_test_split_series,
)
from sklstm.recipe import make_lstm_forecaster

FIGURES = Path(os.environ.get("SKLSTM_FIGURE_DIR", "."))

frame = load_airpassengers()
X_train, X_test, y_train, y_test = train_test_split_series(
    frame, "passengers", n_test=36
)
history = frame["passengers"].iloc[:-36]  # the protocol's training series

tutorial = LSTMRegressor(
    units=50,
    activation="relu",
    scale_target=False,  # raw values, as the tutorial feeds them
    early_stopping=False,
    epochs=100,
    random_state=0,
).fit(X_train, y_train)  # 2-D X: one timestep per sample
tutorial_pred = tutorial.predict(X_test)

# %%
# What the diagnosis says
# -----------------------
# Data, training and forecasts in one report. The forecast findings compare
# the predictions with the actual values of the test part.
report = diagnose(tutorial, X_train, y_train, y_test=y_test, y_pred=tutorial_pred, m=12)
print(report.to_text())

# %%
# Its ``persistence`` finding is the echo: the forecasts correlate best with
# the actual value one month *earlier*, and their error is that of the naive
# forecast. The evidence is in the finding:
if "persistence" in report:
    evidence = report["persistence"].evidence
    print(
        f"best lag {evidence['lag']}, error / naive error "
        f"{evidence['mae_ratio_to_naive']:.3f}"
    )
else:
    print("no persistence finding in this run")

# %%
# The fixes it names
# ------------------
# Scale X and y, give the network a season of history and the seasonal
# differences, learn the residual of the seasonal naive forecast, regularize
# and stop early: :func:`sklstm.recipe.make_lstm_forecaster` puts them in one
# estimator.
fixed = make_lstm_forecaster(
    target="passengers",
    m=12,
    log=True,
    baseline="seasonal",
    window=12,
    dropout=0.2,
    random_state=0,
).fit(X_train, y_train)
fixed_pred = fixed.predict(X_test)
naive_pred = NaiveForecaster(target="passengers").fit(X_train, y_train).predict(X_test)

rows = []
for name, pred in [
    ("naive forecast", naive_pred),
    ("the tutorial's LSTM", tutorial_pred),
    ("the fixes (sklstm recipe)", fixed_pred),
]:
    scores = forecast_scores(y_test, pred, y_train=history, m=12)
    rows.append({"model": name, **{k: scores[k] for k in ("MAE", "RMSE", "MASE")}})
table = pd.DataFrame(rows).set_index("model")
print(table.to_string(float_format=lambda v: f"{v:.3f}"))

after = diagnose_forecast(y_test, fixed_pred, y_train=history, m=12)
print("forecast findings after the fixes:", after.names or "none")

# %%
# The picture
# -----------
# The tutorial's line follows the actual one a month late; the fixed model's
# does not.
when = frame.index[-36:]
fig, ax = plt.subplots(figsize=(9, 4), constrained_layout=True)
ax.plot(frame.index, frame["passengers"], color="black", lw=1, label="actual")
ax.plot(when, tutorial_pred, color="tab:red", label="the tutorial's LSTM")
ax.plot(when, fixed_pred, color="tab:blue", label="after the fixes")
ax.axvline(when[0], color="grey", ls=":", lw=1)
ax.text(when[0], ax.get_ylim()[1], " test part", va="top", fontsize=8)
ax.set_xlabel("month")
ax.set_ylabel("passengers (thousands)")
ax.set_title("One-step-ahead forecasts of AirPassengers' last 36 months")
ax.legend(loc="upper left")
fig.savefig(FIGURES / "diagnose_tutorial_lstm.png", dpi=100)
mase = table["MASE"]
print(
    f"MASE: the tutorial's LSTM {mase.iloc[1]:.3f}, after the fixes "
    f"{mase.iloc[2]:.3f}, naive {mase.iloc[0]:.3f}"
)
