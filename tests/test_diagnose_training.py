"""Training diagnosis on duck-typed stand-ins for a fitted LSTMRegressor.

A stand-in records the history it is given, so that every finding can be shown
firing on a history that exhibits it and silent on one that does not, without
training a network.
"""

from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from sklstm.diagnose import diagnose, diagnose_training


class FakeLSTM(RegressorMixin, BaseEstimator):
    """Has the parameters and fitted attributes diagnose_training reads."""

    def __init__(
        self,
        *,
        loss_history=(1.0, 0.5, 0.4),
        val_history=None,
        best_epoch=None,
        epochs=None,
        early_stopping=True,
        patience=10,
        validation_fraction=0.1,
        activation="tanh",
        recurrent_activation="sigmoid",
        recurrent_dropout=0.0,
        dropout=0.0,
        l1=0.0,
        l2=0.0,
        units=32,
        learning_rate=1e-3,
        loss="mse",
        scale_target=True,
        n_timesteps=1,
    ):
        self.loss_history = loss_history
        self.val_history = val_history
        self.best_epoch = best_epoch
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.activation = activation
        self.recurrent_activation = recurrent_activation
        self.recurrent_dropout = recurrent_dropout
        self.dropout = dropout
        self.l1 = l1
        self.l2 = l2
        self.units = units
        self.learning_rate = learning_rate
        self.loss = loss
        self.scale_target = scale_target
        self.n_timesteps = n_timesteps

    def get_params(self, deep=True):
        params = super().get_params(deep)
        if params["epochs"] is None:  # like LSTMRegressor: a number, here the length
            params["epochs"] = len(self.loss_history)
        return params

    def fit(self, X, y):
        self.history_ = {"loss": list(self.loss_history)}
        n = len(self.loss_history)
        if self.val_history is not None:
            self.history_["val_loss"] = list(self.val_history)
        if self.best_epoch is not None:
            self.best_epoch_ = self.best_epoch
        elif self.early_stopping and self.val_history is not None:
            self.best_epoch_ = int(np.nanargmin(self.val_history)) + 1
        else:
            self.best_epoch_ = n
        self.n_epochs_ = n
        y2 = np.asarray(y, dtype=float).reshape(len(y), -1)
        self.target_encoder_ = SimpleNamespace(
            mean_=y2.mean(axis=0) if self.scale_target else np.zeros(y2.shape[1]),
            scale_=y2.std(axis=0) if self.scale_target else np.ones(y2.shape[1]),
        )
        self.n_timesteps_in_ = self.n_timesteps
        return self

    def predict(self, X):
        return np.zeros(len(X))


class TimeSeriesImputer(TransformerMixin, BaseEstimator):
    """Named like sklstm's imputer; only its class name and strategy matter."""

    def __init__(self, strategy="ffill"):
        self.strategy = strategy

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


def _X(n=200, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 2))


def _y(n=200, seed=1):
    return np.random.default_rng(seed).normal(size=n)


def fitted(X=None, y=None, **params):
    X = _X() if X is None else X
    y = _y(len(X)) if y is None else y
    return FakeLSTM(**params).fit(X, y)


def names(estimator, X=None, y=None, **kwargs):
    return diagnose_training(estimator, X, y, **kwargs).names


# --------------------------------------------------------------------------- #
# History checks
# --------------------------------------------------------------------------- #
def test_smooth_history_has_no_finding():
    est = fitted(
        loss_history=(1.0, 0.6, 0.45, 0.4) + (0.39,) * 6,
        val_history=(1.0, 0.7, 0.5, 0.45) + (0.44,) * 6,
        epochs=10,
    )
    assert names(est) == []


def test_diverged_on_nan_loss():
    d = diagnose_training(fitted(loss_history=(1.0, 0.5, np.nan, np.nan)))
    f = d["diverged"]
    assert (f.severity, f.epoch) == ("error", 3)
    assert "learning_rate=0.0001 (now 0.001)" in f.fix
    assert "not_converged" not in d  # history checks stop after a divergence


def test_diverged_on_exploding_loss_and_unstable_when_it_recovers():
    f = diagnose_training(fitted(loss_history=(1.0, 0.5, 0.1, 50.0, 80.0)))["diverged"]
    assert f.evidence["factor"] == pytest.approx(800.0) and f.epoch == 5
    d = diagnose_training(
        fitted(loss_history=(1.0, 0.5, 0.1, 5.0, 0.2, 0.1), epochs=100)
    )
    assert [f.name for f in d if f.severity != "info"] == ["unstable_training"]
    assert d["unstable_training"].evidence["max_epoch"] == 4
    assert "diverged" not in names(fitted(loss_history=(1.0, 0.5, 0.1, 0.5, 0.1)))


def test_overfitting_warning_when_final_weights_are_kept():
    est = fitted(
        loss_history=(1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05),
        val_history=(1.0, 0.7, 0.5, 0.45, 0.5, 0.6, 0.7),
        early_stopping=False,
        units=64,
    )
    f = diagnose_training(est)["overfitting"]
    assert (f.severity, f.epoch) == ("warning", 4)
    assert f.evidence["rise"] == pytest.approx(0.7 / 0.45 - 1)
    assert f.evidence["gap"] == pytest.approx(0.45 / 0.3)
    assert "dropout=0.2" in f.fix and "units=32" in f.fix
    assert "early_stopping=True" in f.fix


def test_overfitting_info_when_early_stopping_kept_the_best_epoch():
    est = fitted(
        loss_history=(1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05),
        val_history=(1.0, 0.7, 0.5, 0.45, 0.5, 0.6, 0.7),
        epochs=100,
    )
    f = diagnose_training(est)["overfitting"]
    assert f.severity == "info" and "early stopping kept epoch 4" in f.message


def test_no_overfitting_when_validation_keeps_falling_or_training_rises():
    falling = fitted(
        loss_history=(1.0, 0.6, 0.4, 0.3), val_history=(1.0, 0.8, 0.7, 0.6)
    )
    both_up = fitted(
        loss_history=(1.0, 0.5, 0.6, 0.7), val_history=(1.0, 0.5, 0.6, 0.7), epochs=100
    )
    assert "overfitting" not in names(falling)
    assert "overfitting" not in names(both_up)


def test_not_converged_when_all_epochs_ran_and_loss_still_falls():
    still = fitted(loss_history=tuple(np.linspace(1.0, 0.5, 20)), early_stopping=False)
    f = diagnose_training(still)["not_converged"]
    assert f.epoch == 20 and f.evidence["monitored"] == "loss"
    assert f.fix.startswith("epochs=40, with early_stopping=True")
    flat = fitted(loss_history=(1.0, 0.5, 0.3) + (0.3,) * 10, early_stopping=False)
    stopped = fitted(loss_history=tuple(np.linspace(1.0, 0.5, 20)), epochs=100)
    assert "not_converged" not in names(flat)
    assert "not_converged" not in names(stopped)


def test_not_converged_monitors_validation_loss_when_present():
    est = fitted(
        loss_history=tuple(np.linspace(1.0, 0.5, 20)),
        val_history=tuple(np.linspace(1.2, 0.7, 20)),
    )
    f = diagnose_training(est)["not_converged"]
    assert f.evidence["monitored"] == "val_loss"
    assert "(early stopping keeps the best epoch)" in f.fix


def test_early_stopping_too_early():
    val = (0.5,) + tuple(0.5 + 0.01 * np.arange(1, 12))
    est = fitted(
        loss_history=tuple(np.linspace(1, 0.2, 12)),
        val_history=val,
        epochs=100,
        patience=11,
    )
    f = diagnose_training(est)["early_stopping_too_early"]
    assert f.evidence == {
        "kept_epoch": 1,
        "n_epochs": 12,
        "max_epochs": 100,
        "patience": 11,
    }
    assert "patience=22" in f.fix
    late = fitted(
        loss_history=tuple(np.linspace(1, 0.2, 40)),
        val_history=tuple(np.linspace(1, 0.5, 30)) + (0.6,) * 10,
        epochs=100,
    )
    assert "early_stopping_too_early" not in names(late)


def test_no_validation_when_the_run_held_nothing_out():
    y = _y(300)
    est = fitted(y=y, loss_history=(1.0, 0.5, 0.1), early_stopping=False)
    f = diagnose_training(est, y=y)["no_validation"]
    assert f.severity == "info" and f.evidence["n_epochs"] == 3
    assert f.evidence["train_vs_baseline"] == pytest.approx(0.1, rel=0.1)
    assert "early_stopping=True" in f.fix
    with_val = fitted(loss_history=(1.0, 0.5, 0.1), val_history=(1.0, 0.6, 0.5))
    assert "no_validation" not in names(with_val)


def _random_walk(n=200, seed=0):
    return np.cumsum(np.random.default_rng(seed).normal(size=n))


def test_underfitting_against_the_naive_forecast_in_training_units():
    y = _random_walk()
    est = fitted(y=y, loss_history=(2.0, 1.5, 1.2), early_stopping=False)
    f = diagnose_training(est, y=y)["underfitting"]
    z = (y - y.mean()) / y.std()
    assert f.evidence["baseline"] == pytest.approx(np.mean(np.diff(z) ** 2))
    assert f.evidence["baseline_kind"] == "naive"
    assert f.evidence["best_loss"] == 1.2
    good = fitted(y=y, loss_history=(2.0, 0.1, 0.001), early_stopping=False)
    assert "underfitting" not in names(good, y=y)


def test_underfitting_uses_the_mean_forecast_when_it_is_better():
    y = _y(300)  # white noise: the mean beats "repeat the last value"
    est = fitted(y=y, loss_history=(2.0, 1.5, 1.2), early_stopping=False)
    f = diagnose_training(est, y=y)["underfitting"]
    assert f.evidence["baseline_kind"] == "mean"
    assert f.evidence["baseline"] == pytest.approx(1.0)


def test_underfitting_without_y_compares_with_one_on_a_standardized_target():
    f = diagnose_training(fitted(loss_history=(1.5, 1.2, 1.1)))["underfitting"]
    assert f.evidence["baseline"] == 1.0
    assert "underfitting" not in names(fitted(loss_history=(1.5, 0.2, 0.1)))
    # unknown loss: no baseline at all
    assert "underfitting" not in names(fitted(loss_history=(1.5, 1.2), loss="huber"))


def test_underfitting_mentions_dropout_inflating_training_loss():
    f = diagnose_training(fitted(loss_history=(1.5, 1.2), dropout=0.5))["underfitting"]
    assert "dropout=0.5" in f.message and "lower dropout" in f.fix


def test_worse_than_baseline_on_the_validation_part():
    y = _random_walk(200, 3)
    est = fitted(y=y, loss_history=(1.0, 0.1, 0.001), val_history=(1.0, 0.5, 0.4))
    f = diagnose_training(est, y=y)["worse_than_baseline"]
    z = (y - y.mean()) / y.std()
    assert f.evidence["baseline"] == pytest.approx(np.mean(np.diff(z)[-20:] ** 2))
    ok = fitted(y=y, loss_history=(1.0, 0.1, 0.001), val_history=(1.0, 0.01, 0.001))
    assert "worse_than_baseline" not in names(ok, y=y)


def test_baselines_go_through_a_target_transformer():
    y = 1000 + 50 * _random_walk()
    ttr = TransformedTargetRegressor(
        regressor=FakeLSTM(
            loss_history=(2.0, 1.5, 1.2), scale_target=False, early_stopping=False
        ),
        func=np.log,
        inverse_func=np.exp,
    ).fit(_X(), y)
    f = diagnose_training(ttr, y=y)["underfitting"]
    assert f.evidence["baseline"] == pytest.approx(np.mean(np.diff(np.log(y)) ** 2))


# --------------------------------------------------------------------------- #
# Set-up checks
# --------------------------------------------------------------------------- #
def test_cudnn_disabled_by_relu_warning_by_recurrent_dropout_info():
    f = diagnose_training(fitted(activation="relu"))["cudnn_disabled"]
    assert f.severity == "warning" and "activation='relu'" in f.message
    assert "unbounded" in f.message
    g = diagnose_training(fitted(recurrent_dropout=0.2))["cudnn_disabled"]
    assert g.severity == "info" and "recurrent_dropout=0.2" in g.message
    h = diagnose_training(fitted(recurrent_activation="hard_sigmoid"))
    assert h["cudnn_disabled"].severity == "warning"
    assert "cudnn_disabled" not in names(fitted())


@pytest.mark.parametrize(
    "strategy, fires", [("bfill", True), ("linear", True), ("ffill", False)]
)
def test_lookahead_imputer_by_class_name_and_strategy(strategy, fires):
    pipe = Pipeline(
        [("impute", TimeSeriesImputer(strategy=strategy)), ("lstm", FakeLSTM())]
    ).fit(_X(), _y())
    d = diagnose_training(pipe)
    assert ("lookahead_imputer" in d) is fires
    if fires:
        assert d["lookahead_imputer"].fix == "TimeSeriesImputer(strategy='ffill')"


def test_lookahead_imputer_found_inside_a_column_transformer():
    inner = ColumnTransformer(
        [("imp", TimeSeriesImputer(strategy="bfill"), [0])], remainder="passthrough"
    )
    pipe = Pipeline([("cols", inner), ("lstm", FakeLSTM())]).fit(_X(), _y())
    assert "lookahead_imputer" in names(pipe)


def test_no_scaler_in_pipeline_only_when_inputs_are_unscaled():
    X = _X() * [1.0, 1000.0]
    bare = Pipeline([("lstm", FakeLSTM())]).fit(X, _y())
    f = diagnose_training(bare, X)["no_scaler_in_pipeline"]
    assert "Pipeline → FakeLSTM" in f.message
    scaled = Pipeline([("scale", StandardScaler()), ("lstm", FakeLSTM())]).fit(X, _y())
    assert "no_scaler_in_pipeline" not in names(scaled, X)
    assert "no_scaler_in_pipeline" not in names(bare, _X())  # already small


def test_scaled_outside_pipeline_minmax_standard_and_windows():
    raw = 100 + 10 * _X()
    minmax = MinMaxScaler().fit_transform(raw)
    f = diagnose_training(fitted(X=minmax), minmax)["scaled_outside_pipeline"]
    assert "min 0 and max 1" in f.message and "MinMaxScaler()" in f.fix
    standard = StandardScaler().fit_transform(raw)
    g = diagnose_training(fitted(X=standard), standard)["scaled_outside_pipeline"]
    assert "mean 0 and standard deviation 1" in g.message
    series = MinMaxScaler().fit_transform(raw[:, :1])[:, 0]
    windows = np.lib.stride_tricks.sliding_window_view(series, 10)[:, :, np.newaxis]
    est = fitted(X=windows.reshape(len(windows), -1), y=_y(len(windows)))
    assert "scaled_outside_pipeline" in names(est, windows)


def test_scaled_outside_pipeline_not_for_raw_binary_or_inside_pipeline():
    X = _X()
    assert "scaled_outside_pipeline" not in names(fitted(X=X), X)
    binary = (X > 0).astype(float)
    assert "scaled_outside_pipeline" not in names(fitted(X=binary), binary)
    minmax = MinMaxScaler().fit_transform(X)
    pipe = Pipeline([("scale", MinMaxScaler()), ("lstm", FakeLSTM())]).fit(minmax, _y())
    assert "scaled_outside_pipeline" not in names(pipe, minmax)


def test_unscaled_target_only_when_nothing_scales_it():
    y = 500 + 10 * _y()
    raw = fitted(y=y, scale_target=False)
    f = diagnose_training(raw, y=y)["unscaled_target"]
    assert "scale_target=True" in f.fix and f.evidence["max_abs"] > 500
    assert "unscaled_target" not in names(fitted(y=y), y=y)
    ttr = TransformedTargetRegressor(
        regressor=FakeLSTM(scale_target=False), transformer=StandardScaler()
    ).fit(_X(), y)
    assert "unscaled_target" not in names(ttr, y=y)


# --------------------------------------------------------------------------- #
# Unwrapping
# --------------------------------------------------------------------------- #
def test_unwraps_search_pipeline_and_target_regressor():
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "lstm",
                TransformedTargetRegressor(
                    regressor=FakeLSTM(activation="relu"), transformer=StandardScaler()
                ),
            ),
        ]
    )
    search = GridSearchCV(
        pipe, {"lstm__regressor__units": [4, 8]}, cv=TimeSeriesSplit(2)
    ).fit(_X(), _y())
    d = diagnose_training(search)
    assert d.context["model"].startswith(
        "GridSearchCV → Pipeline → TransformedTargetRegressor → FakeLSTM("
    )
    assert "activation='relu'" in d.context["model"]
    assert "cudnn_disabled" in d
    rand = RandomizedSearchCV(
        FakeLSTM(), {"units": [4, 8]}, n_iter=2, cv=TimeSeriesSplit(2), random_state=0
    ).fit(_X(), _y())
    assert diagnose_training(rand).context["model"].startswith("RandomizedSearchCV")


def test_search_without_refit_unfitted_and_foreign_estimators():
    no_refit = GridSearchCV(
        FakeLSTM(), {"units": [4, 8]}, cv=TimeSeriesSplit(2), refit=False
    ).fit(_X(), _y())
    with pytest.raises(ValueError, match="refit=False"):
        diagnose_training(no_refit)
    with pytest.raises(NotFittedError, match="not fitted"):
        diagnose_training(GridSearchCV(FakeLSTM(), {"units": [4]}))

    class LSTMRegressor(FakeLSTM):
        pass

    with pytest.raises(NotFittedError, match="LSTMRegressor is not fitted"):
        diagnose_training(Pipeline([("lstm", LSTMRegressor())]))
    with pytest.raises(ValueError, match=r"estimator=Ridge\(...\) has no Keras"):
        diagnose_training(Ridge().fit(_X(), _y()))


class LSTM:
    """Named like a Keras LSTM layer."""

    def __init__(self, name, **config):
        self.name = name
        self._config = {
            "activation": "tanh",
            "recurrent_activation": "sigmoid",
            "recurrent_dropout": 0.0,
            "unroll": False,
            "use_bias": True,
            **config,
        }

    def get_config(self):
        return dict(self._config)


class Bidirectional:
    def __init__(self, layer):
        self.name = "bidirectional"
        self.forward_layer = layer


def test_keras_history_and_model_by_duck_typing():
    model = SimpleNamespace(
        layers=[
            Bidirectional(LSTM("lstm", activation="relu")),
            LSTM("lstm_1", unroll=True),
        ],
        loss="mse",
    )
    history = SimpleNamespace(
        history={"loss": [1.0, 0.5, 0.4], "val_loss": [1, 0.6, 0.7]},
        params={"epochs": 10},
        model=model,
    )
    d = diagnose_training(history)
    cudnn = [f for f in d if f.name == "cudnn_disabled"]
    assert [f.severity for f in cudnn] == ["warning", "info"]
    assert "layer 'bidirectional' uses activation='relu'" in cudnn[0].message
    assert "unroll=True" in cudnn[1].message
    assert d.kept_epoch == 2  # stopped before epochs=10: the best validation epoch
    model.history = history  # a Model after fit carries its History
    assert diagnose_training(model).names == d.names
    with pytest.raises(NotFittedError):
        diagnose_training(SimpleNamespace(history={}, params={}, model=None))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"overfit_rise": 0}, r"overfit_rise=0 is invalid"),
        ({"underfit_ratio": -1}, r"underfit_ratio=-1 is invalid"),
        ({"convergence_tol": "a"}, r"convergence_tol='a' is invalid"),
        ({"convergence_epochs": 0}, r"convergence_epochs=0 is invalid"),
        ({"divergence_factor": 1}, r"divergence_factor=1 is invalid"),
        ({"min_best_epoch": 1.5}, r"min_best_epoch=1.5 is invalid"),
        ({"scale_limit": -2}, r"scale_limit=-2 is invalid"),
    ],
)
def test_bad_thresholds_raise_naming_parameter_and_value(kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagnose_training(fitted(), **kwargs)


def test_non_numeric_y_raises_naming_y():
    with pytest.raises(ValueError, match="y must be numeric"):
        diagnose_training(fitted(), y=["a", "b", "c"])


# --------------------------------------------------------------------------- #
# diagnose(): data and training together
# --------------------------------------------------------------------------- #
def test_diagnose_drops_data_findings_the_pipeline_handles():
    X = _X() * [1.0, 1000.0]
    y = 500 + _y()
    with_scaler = Pipeline([("scale", StandardScaler()), ("lstm", FakeLSTM())]).fit(
        X, y
    )
    d = diagnose(with_scaler, X, y)
    assert not {
        "feature_scale_mismatch",
        "unscaled_features",
        "unscaled_target",
        "no_scaler_in_pipeline",
    } & set(d.names)
    bare = FakeLSTM(scale_target=False).fit(X, y)
    e = diagnose(bare, X, y)
    assert {"feature_scale_mismatch", "unscaled_features"} <= set(e.names)
    assert "no_scaler_in_pipeline" not in e  # a repeat of the data findings
    assert e.names.count("unscaled_target") == 1
    assert "nothing in FakeLSTM" in e["unscaled_target"].message


def test_diagnose_keeps_target_gaps_and_drops_imputed_or_clipped_inputs():
    X = _X(300)
    X[[3, 4], 0] = np.nan
    X[100, 1] = 50.0
    y = _y(300)
    y[7] = np.nan
    plain = fitted(X=np.nan_to_num(X), y=np.nan_to_num(y))
    d = diagnose(plain, X, y)
    assert [f.column for f in d if f.name == "missing_values"] == ["x0", "y"]
    assert [f.column for f in d if f.name == "outliers"] == ["x1"]

    class OutlierClipper(TimeSeriesImputer):
        pass

    pipe = Pipeline(
        [
            ("impute", TimeSeriesImputer()),
            ("clip", OutlierClipper()),
            ("lstm", FakeLSTM()),
        ]
    ).fit(np.nan_to_num(X), np.nan_to_num(y))
    e = diagnose(pipe, X, y)
    assert [f.column for f in e if f.name == "missing_values"] == ["y"]
    assert "outliers" not in e


def test_diagnose_takes_window_and_validation_fraction_from_the_estimator():
    t = np.arange(480)
    y = np.sin(2 * np.pi * t / 24) + 0.1 * _y(480)
    est = fitted(
        X=_X(480),
        y=y,
        n_timesteps=12,
        validation_fraction=0.2,
        val_history=(1.0, 0.5, 0.4),
    )
    d = diagnose(est, None, y)
    assert "window_shorter_than_season" in d
    assert "window=12, validation_fraction=0.2" in d.context["settings"]
    assert d.history == est.history_ and d.kept_epoch == 3
    assert diagnose(est, None, y, window=24).names.count("seasonal_period") == 1


def test_diagnose_without_estimator_is_the_data_diagnosis():
    y = 0.02 * np.arange(300) + 0.3 * _y(300)
    assert diagnose(None, None, y).names == ["trend"]
    with pytest.raises(ValueError, match="min_best_epoch=0"):
        diagnose(None, None, y, min_best_epoch=0)
    with pytest.raises(ValueError, match="validation_fraction=2"):
        diagnose(None, None, y, validation_fraction=2)
