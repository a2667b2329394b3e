"""diagnose() on a real, tiny sklstm.LSTMRegressor inside a Pipeline."""

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import Pipeline

models = pytest.importorskip("sklstm.models")
preprocessing = pytest.importorskip("sklstm.preprocessing")

from sklstm.diagnose import diagnose  # noqa: E402


@pytest.fixture(scope="module")
def fitted_pipeline():
    rng = np.random.RandomState(0)
    t = np.arange(80)
    frame = pd.DataFrame(
        {
            "load": 1000 + 200 * np.sin(2 * np.pi * t / 12) + rng.normal(size=80),
            "temp": rng.normal(size=80),
        },
        index=pd.date_range("2020-01-01", periods=80, freq="D"),
    )
    X, y = frame, frame["load"].shift(-1).ffill().rename("load_h1")
    pipe = Pipeline(
        [
            ("impute", preprocessing.TimeSeriesImputer(strategy="linear")),
            ("window", preprocessing.Windower(window=4)),
            (
                "lstm",
                models.LSTMRegressor(
                    units=4, epochs=3, activation="relu", random_state=0
                ),
            ),
        ]
    ).fit(X, y)
    return pipe, X, y


def test_diagnose_reads_a_fitted_lstm_pipeline(fitted_pipeline):
    pipe, X, y = fitted_pipeline
    lstm = pipe[-1]
    d = diagnose(pipe, X, y)
    # set-up findings that do not depend on how the 3 epochs went
    assert d["cudnn_disabled"].severity == "warning"
    assert d["lookahead_imputer"].evidence == {"step": "impute", "strategy": "linear"}
    assert {"unscaled_features", "feature_scale_mismatch"} <= set(d.names)
    assert "unscaled_target" not in d  # scale_target=True (the default) scales y
    assert "no_scaler_in_pipeline" not in d  # a repeat of the data findings
    # what was read from the regressor
    assert d.context["model"].startswith("Pipeline → LSTMRegressor(activation='relu'")
    assert "window=4, validation_fraction=0.1" in d.context["settings"]
    assert "window_shorter_than_season" in d  # period 12, window 4
    assert d.history == lstm.history_ and len(d.history["loss"]) == lstm.n_epochs_
    assert d.kept_epoch == lstm.best_epoch_
    assert set(d.baselines) == {"train", "validation"}
    assert "loss='mse' in standardized target" in d.context["training"]


def test_plot_of_a_real_history(fitted_pipeline):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    pipe, X, y = fitted_pipeline
    ax = diagnose(pipe, X, y).plot()
    assert [line.get_label() for line in ax.get_lines()][:2] == ["loss", "val_loss"]
