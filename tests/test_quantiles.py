"""LSTMRegressor(loss="quantile"): pinball loss, ordered quantiles, intervals,
and the same intervals through SeedAveragingRegressor, ResidualRegressor and the
recipe. Tiny networks, few epochs, fixed seeds."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from test_lstm import _windows

from sklstm import LSTMRegressor
from sklstm.compose import ResidualRegressor, SeedAveragingRegressor
from sklstm.datasets import load_airpassengers
from sklstm.forecasting import train_test_split_series
from sklstm.models._engine import architecture_key
from sklstm.models._lstm import _QuantileTargetScaler
from sklstm.recipe import make_lstm_forecaster

FAST = dict(units=4, epochs=3, batch_size=16, random_state=0)
QUANTILE = dict(FAST, loss="quantile")


@pytest.fixture(scope="module")
def data():
    return _windows()


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return LSTMRegressor(**QUANTILE).fit(X, y)


def _ordered(q):
    return bool(np.all(np.diff(q, axis=-1) >= 0))


# --------------------------------------------------------------------------- #
# The regressor
# --------------------------------------------------------------------------- #
def test_default_loss_is_bit_identical_to_before(data):
    # recorded from the code before loss="quantile" existed (commit 0e0c811,
    # same machine kind): the default path draws the same random numbers and
    # builds the same network. Recorded with Keras' loop over the steps: the
    # unrolled LSTM (unroll="auto" on a CPU) rounds in another order
    X, y = data
    pred = LSTMRegressor(**FAST, unroll=False).fit(X, y).predict(X[:4])
    recorded = [
        "0x1.4c176050a96dep-4",
        "0x1.ef47d7b8c73ccp-5",
        "0x1.ad29c17c27e4ep-5",
        "0x1.36e020d3c8ec7p-5",
    ]
    assert [float(v).hex() for v in pred] == recorded
    Y = np.column_stack([y, 2 * y])
    pred = LSTMRegressor(**FAST, loss="mae", unroll=False).fit(X, Y).predict(X[:2])
    recorded = [
        "-0x1.38bdcf1996f9cp-4",
        "0x1.dd66b1109f3cbp-4",
        "-0x1.903364b8581fap-5",
        "0x1.332cdaf639f55p-5",
    ]
    assert [float(v).hex() for v in pred.ravel()] == recorded


def test_outputs_shapes_and_median(fitted, data):
    X, y = data
    assert fitted.quantiles_ == (0.05, 0.5, 0.95)
    assert fitted.n_outputs_ == 1
    assert fitted.model_.output_shape == (None, 3)  # n_steps * n_quantiles
    q = fitted.predict_quantiles(X)
    assert q.shape == (len(X), 3)
    assert_array_equal(fitted.predict(X), q[:, 1])  # predict is the median
    assert fitted.predict_interval(X).shape == (len(X), 2)
    assert_array_equal(fitted.predict_interval(X, coverage=0.9), q[:, [0, 2]])
    assert fitted.predict_interval(X, coverage=[0.9]).shape == (len(X), 2, 1)
    assert fitted.score(X, y) == pytest.approx(
        1 - np.sum((y - q[:, 1]) ** 2) / np.sum((y - y.mean()) ** 2)
    )


def test_multi_step_layout(data):
    X, y = data
    Y = np.column_stack([y, 10 * y + 100])
    reg = LSTMRegressor(**QUANTILE, quantiles=(0.1, 0.25, 0.5, 0.75, 0.9)).fit(X, Y)
    assert reg.model_.output_shape == (None, 10)
    q = reg.predict_quantiles(X)
    assert q.shape == (len(X), 2, 5)
    assert reg.predict(X).shape == (len(X), 2)
    assert_array_equal(reg.predict(X), q[:, :, 2])
    bounds = reg.predict_interval(X, coverage=[0.8, 0.5])
    assert bounds.shape == (len(X), 2, 2, 2)  # samples, steps, (lo, hi), coverages
    assert_array_equal(bounds[:, :, 0, 0], q[:, :, 0])
    assert_array_equal(bounds[:, :, 1, 1], q[:, :, 3])
    # the second step is in its own units (scaled per step, mapped back per step)
    assert np.all(np.abs(q[:, 1, 2] - 100) < 30)
    assert np.all(np.abs(q[:, 0, 2]) < 3)


def test_head_starts_at_the_training_quantiles():
    # a new network's output biases are the empirical quantiles of the scaled
    # training rows (the validation tail excluded): the pinball-optimal
    # constants, about norm.ppf(tau) for a standardized Gaussian target
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(400, 4, 2)), 3 + 2 * rng.normal(size=400)
    reg = LSTMRegressor(
        loss="quantile", units=4, epochs=1, learning_rate=1e-9, random_state=0
    )
    reg.fit(X, y)
    n_train = 360  # validation_fraction=0.1: the last 40 windows validate
    scaled = (y[:n_train] - reg.target_encoder_.mean_) / reg.target_encoder_.scale_
    bias = reg.model_.get_layer("output").bias.numpy()
    assert_allclose(bias, np.quantile(scaled, [0.05, 0.5, 0.95]), atol=1e-6)
    assert_allclose(bias, [-1.645, 0, 1.645], atol=0.2)
    # so an untrained network's 90 % interval is about mean +- 1.645 sd ...
    lower, upper = reg.predict_interval(X).mean(axis=0)
    assert_allclose([lower, upper], [3 - 1.645 * 2, 3 + 1.645 * 2], atol=0.5)
    inside = (reg.predict_interval(X)[:, 0] <= y) & (y <= reg.predict_interval(X)[:, 1])
    assert 0.85 <= inside.mean() <= 0.95
    # ... in y's units without scale_target too, and every step has its own
    Y = np.column_stack([y, 100 + 10 * rng.normal(size=400)])
    reg.set_params(scale_target=False, early_stopping=False).fit(X, Y)
    bias = reg.model_.get_layer("output").bias.numpy().reshape(2, 3)
    assert_allclose(bias, np.quantile(Y, [0.05, 0.5, 0.95], axis=0).T, atol=1e-4)
    # partial_fit builds the same head; later calls leave the biases to training
    fresh = clone(reg).partial_fit(X, Y)
    assert_allclose(
        fresh.model_.get_layer("output").bias.numpy().reshape(2, 3), bias, atol=1e-4
    )


def test_quantiles_never_cross_on_random_data():
    rng = np.random.RandomState(1)
    X, y = rng.normal(size=(80, 3, 2)), rng.normal(size=(80, 3))
    reg = LSTMRegressor(
        loss="quantile",
        quantiles=(0.05, 0.2, 0.5, 0.8, 0.95),
        units=4,
        epochs=1,
        random_state=0,
    ).fit(X, y)
    # the head starts at ordered constants (see test_head_starts_at_...);
    # reversed biases make an untrained head predict crossed quantiles, so
    # the repair has work to do
    head = reg.model_.get_layer("output").bias
    head.assign(-head.numpy())
    raw = reg._predict_raw(X).reshape(80, 3, 5)
    assert not _ordered(raw)
    q = reg.predict_quantiles(X)
    assert _ordered(q)
    # the repair is a rearrangement: the same values per sample and step
    scaler = reg.target_encoder_
    by_hand = raw * scaler.scale_[:, None] + scaler.mean_[:, None]
    assert_allclose(q, np.sort(by_hand, axis=-1))
    bounds = reg.predict_interval(X, coverage=[0.6, 0.9])
    assert np.all(bounds[..., 0, :] <= bounds[..., 1, :])
    assert np.all(bounds[..., 0, 1] <= bounds[..., 0, 0])  # wider with coverage
    assert np.all(bounds[..., 1, 1] >= bounds[..., 1, 0])


def test_pinball_loss_is_what_training_minimizes():
    # y is noise the network cannot predict: each fitted quantile is a level
    # and the share of training targets below it estimates its level. With
    # n = 400 the share's sampling sd is sqrt(0.09 / 400) = 0.015 for the
    # 0.1 / 0.9 levels and 0.025 for the median; 0.045 and 0.075 (3 sd)
    # leave room for that and for Adam's last steps. The mean (MSE) would
    # leave 0.5 above the 0.9 output, swapped levels 0.9, an untrained head
    # about 0.5.
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(400, 2, 1)), rng.normal(size=400)
    reg = LSTMRegressor(
        loss="quantile",
        quantiles=(0.1, 0.5, 0.9),
        units=2,
        epochs=5,
        learning_rate=0.05,
        early_stopping=False,
        random_state=0,
    ).fit(X, y)
    below = (y[:, None] < reg.predict_quantiles(X)).mean(axis=0)
    assert np.all(np.abs(below - [0.1, 0.5, 0.9]) <= [0.045, 0.075, 0.045]), below
    # the loss Keras reports is the mean pinball loss of the scaled target
    scaler = reg.target_encoder_
    z = (y - scaler.mean_) / scaler.scale_
    raw = reg._predict_raw(X).astype(np.float64)
    tau = np.array([0.1, 0.5, 0.9])
    err = z[:, None] - raw
    pinball = np.mean(np.maximum(tau * err, (tau - 1) * err))
    assert reg.model_.compute_loss(
        y=scaler.transform(y), y_pred=raw.astype(np.float32)
    ).numpy() == pytest.approx(pinball, rel=1e-4)


@pytest.mark.parametrize("scale_target", [True, False])
def test_target_scaling_maps_the_quantiles_back(scale_target):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(96, 4, 1))
    y = 1000 + 50 * X[:, -1, 0] + 20 * rng.normal(size=96)
    reg = LSTMRegressor(
        loss="quantile",
        units=4,
        epochs=5,
        learning_rate=0.05,
        scale_target=scale_target,
        random_state=0,
    ).fit(X, y)
    bounds, median = reg.predict_interval(X), reg.predict(X)
    assert np.all((bounds[:, 0] <= median) & (median <= bounds[:, 1]))
    if scale_target:  # in the units of y, around its level
        assert np.all(np.abs(median - 1000) < 200)
        assert np.all(bounds[:, 1] - bounds[:, 0] > 1)


def test_quantile_target_scaler_round_trip():
    y = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 50.0]])
    scaler = _QuantileTargetScaler(quantiles=(0.25, 0.5, 0.75)).fit(y)
    z = scaler.transform(y)
    assert z.shape == (3, 6)
    assert_array_equal(z[:, 0], z[:, 2])  # one copy per quantile, step 1 first
    assert_allclose(scaler.inverse_quantiles(z)[:, 1], y[:, [1, 1, 1]])
    assert_allclose(scaler.inverse_transform(z), y)


@pytest.mark.parametrize(
    "quantiles, match",
    [
        ((0.05, 0.95), r"quantiles=\(0.05, 0.95\) must .* 0.5 is missing"),
        ((0.5, 1.0), r"1.0 is not in \(0, 1\)"),
        ((0.9, 0.5, 0.1), "not increasing"),
        ((0.1, 0.5, 0.5), "not increasing"),
        ((), r"quantiles=\(\) must be an increasing sequence"),
        (("a", 0.5), r"quantiles=\('a', 0.5\) must"),
        ("0.5", "quantiles"),
    ],
)
def test_bad_quantiles_are_named(data, quantiles, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**QUANTILE, quantiles=quantiles).fit(X, y)


def test_bad_coverage_is_named(fitted, data):
    X, _ = data
    with pytest.raises(ValueError, match=r"quantiles 0.1 and 0.9.* \(0.9\)"):
        fitted.predict_interval(X, coverage=0.8)
    with pytest.raises(ValueError, match="coverage=1.5 must be a float strictly"):
        fitted.predict_interval(X, coverage=1.5)
    with pytest.raises(ValueError, match=r"coverage=\[0.9, 0.5\]"):
        fitted.predict_interval(X, coverage=[0.9, 0.5])


def test_quantiles_are_ignored_with_another_loss(data):
    X, y = data
    reg = LSTMRegressor(**FAST, quantiles=(0.1, 0.9)).fit(X, y)
    assert not hasattr(reg, "quantiles_")
    assert not hasattr(reg, "predict_interval")
    assert reg.model_.output_shape == (None, 1)
    # a refit with the default loss forgets the quantiles of an earlier fit
    reg.set_params(loss="quantile", quantiles=None).fit(X, y)
    assert reg.quantiles_ == (0.05, 0.5, 0.95)
    reg.set_params(loss="mse").fit(X, y)
    assert not hasattr(reg, "quantiles_")


def test_methods_exist_only_with_the_quantile_loss():
    for name in ("predict_quantiles", "predict_interval"):
        assert not hasattr(LSTMRegressor(), name)
        assert not hasattr(LSTMRegressor(loss="mae"), name)
        assert hasattr(LSTMRegressor(loss="quantile"), name)


def test_clone_pickle_and_shared_graphs(fitted, data):
    X, y = data
    copy = clone(fitted)
    assert copy.get_params()["quantiles"] is None
    assert copy.get_params()["loss"] == "quantile"
    other = clone(fitted).set_params(quantiles=[0.25, 0.5, 0.75])
    assert other.get_params()["quantiles"] == [0.25, 0.5, 0.75]
    restored = pickle.loads(pickle.dumps(fitted))
    assert_array_equal(restored.predict_quantiles(X), fitted.predict_quantiles(X))
    assert_array_equal(restored.predict_interval(X), fitted.predict_interval(X))
    # the loss is serialized by value, so refits share the engine's graphs
    again = LSTMRegressor(**QUANTILE).fit(X, y)
    assert architecture_key(again.model_) == architecture_key(fitted.model_)
    assert_array_equal(again.predict_quantiles(X), fitted.predict_quantiles(X))
    other.fit(X, y)
    assert architecture_key(other.model_) != architecture_key(fitted.model_)


# --------------------------------------------------------------------------- #
# Through the meta-estimators and the recipe
# --------------------------------------------------------------------------- #
def test_seed_averaging_averages_the_quantiles(data):
    X, y = data
    model = SeedAveragingRegressor(
        estimator=LSTMRegressor(**QUANTILE), n_estimators=2, random_state=0
    ).fit(X, y)
    each = [est.predict_quantiles(X) for est in model.estimators_]
    assert_allclose(model.predict_quantiles(X), (each[0] + each[1]) / 2)
    assert_allclose(model.predict_interval(X), model.predict_quantiles(X)[:, [0, 2]])
    assert_allclose(model.predict(X), model.predict_quantiles(X)[:, 1])
    assert not hasattr(SeedAveragingRegressor(estimator=Ridge()), "predict_interval")


def test_residual_interval_is_the_correction_around_the_baseline(data):
    X, y = data
    X2, y2 = X[:, -1, :], y + 5  # 2-D rows for the Pipeline's scaler
    model = ResidualRegressor(
        regressor=Pipeline(
            [("scale", StandardScaler()), ("lstm", LSTMRegressor(**QUANTILE))]
        ),
        baseline=DummyRegressor(),
        log=True,
        shrinkage=0.5,
    ).fit(X2, y2)
    base = model.baseline_.predict(X2)
    inner = model.regressor_["lstm"].predict_interval(
        model.regressor_["scale"].transform(X2)
    )
    assert_allclose(model.predict_interval(X2), base[:, None] * np.exp(0.5 * inner))
    model.set_params(log=False)  # acts in predict only, like shrinkage
    assert_allclose(model.predict_interval(X2), base[:, None] + 0.5 * inner)
    model.set_params(shrinkage=0.0)
    assert_allclose(model.predict_interval(X2), np.column_stack([base, base]))


def test_residual_has_predict_interval_only_when_its_regressor_does():
    lstm = LSTMRegressor(loss="quantile")
    pipe = Pipeline([("scale", StandardScaler()), ("lstm", lstm)])
    dummy = DummyRegressor()
    assert hasattr(
        ResidualRegressor(regressor=lstm, baseline=dummy), "predict_interval"
    )
    assert hasattr(
        ResidualRegressor(regressor=pipe, baseline=dummy), "predict_interval"
    )
    plain = Pipeline([("scale", StandardScaler()), ("lstm", LSTMRegressor())])
    assert not hasattr(
        ResidualRegressor(regressor=plain, baseline=dummy), "predict_interval"
    )
    assert not hasattr(
        ResidualRegressor(regressor=Ridge(), baseline=dummy), "predict_interval"
    )
    assert not hasattr(make_lstm_forecaster(target="y"), "predict_interval")
    assert hasattr(
        make_lstm_forecaster(target="y", loss="quantile", n_seeds=2),
        "predict_interval",
    )


@pytest.mark.parametrize("horizon", [1, 12])
def test_recipe_with_quantile_loss_gives_ordered_intervals(horizon):
    X_train, X_test, y_train, y_test = train_test_split_series(
        load_airpassengers(), "passengers", n_test=36, horizon=horizon
    )
    model = make_lstm_forecaster(
        target="passengers",
        m=12,
        log=True,
        baseline="seasonal",
        n_seeds=2,
        loss="quantile",
        quantiles=(0.05, 0.25, 0.5, 0.75, 0.95),
        units=4,
        epochs=3,
    ).fit(X_train, y_train)
    shape = (36,) if horizon == 1 else (36, 12)
    point = model.predict(X_test)
    bounds = model.predict_interval(X_test, coverage=[0.5, 0.9])
    assert point.shape == shape
    assert bounds.shape == (*shape, 2, 2)
    lower, upper = bounds[..., 0, :], bounds[..., 1, :]
    assert np.all((lower > 0) & (lower < point[..., None]))
    assert np.all(upper > point[..., None])
    assert np.all(lower[..., 1] <= lower[..., 0])  # 90 % holds 50 %
    assert np.all(upper[..., 1] >= upper[..., 0])
    assert model.predict_interval(X_test).shape == (*shape, 2)
    with pytest.raises(ValueError, match="quantiles 0.1 and 0.9"):
        model.predict_interval(X_test, coverage=0.8)
