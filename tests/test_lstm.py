"""Targeted tests of LSTMRegressor: identity, reproducibility, training, errors."""

import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn import config_context
from sklearn.base import clone, is_regressor
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import StackingRegressor, VotingRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils import get_tags

from sklstm import LSTMRegressor
from sklstm.models._lstm import _TargetScaler

FAST = dict(units=4, epochs=3, batch_size=16, random_state=0)


def _windows(n=120, timesteps=4, seed=0):
    """Windows of a noisy sine and the next value as target."""
    rng = np.random.RandomState(seed)
    t = np.arange(n + timesteps)
    s = np.sin(t / 4.0) + 0.05 * rng.normal(size=t.size)
    X = np.stack([s[i : i + timesteps] for i in range(n)])[:, :, np.newaxis]
    X = np.concatenate([X, np.cos(X)], axis=2)  # 2 features
    y = s[timesteps : n + timesteps]
    return X, y


@pytest.fixture(scope="module")
def data():
    return _windows()


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return LSTMRegressor(**FAST).fit(X, y)


def test_is_a_regressor_with_3d_tags():
    est = LSTMRegressor()
    assert is_regressor(est)
    tags = get_tags(est)
    assert tags.estimator_type == "regressor"
    assert tags.input_tags.three_d_array
    assert tags.target_tags.required


def test_import_sklstm_does_not_import_tensorflow():
    code = (
        "import sys, sklstm, sklstm.preprocessing; "
        "assert 'tensorflow' not in sys.modules, 'tf imported'; "
        "assert 'keras' not in sys.modules, 'keras imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_fitted_attributes(fitted, data):
    X, y = data
    assert fitted.n_features_in_ == 2
    assert fitted.n_timesteps_in_ == 4
    assert fitted.n_outputs_ == 1
    assert fitted.n_epochs_ == 3
    assert 1 <= fitted.best_epoch_ <= fitted.n_epochs_
    assert set(fitted.history_) == {"loss", "val_loss"}
    assert len(fitted.history_["loss"]) == fitted.n_epochs_
    assert fitted.predict(X).shape == (len(X),)


def test_2d_x_is_one_timestep_per_sample(data):
    X, y = data
    X2 = X[:, -1, :]
    est = LSTMRegressor(**FAST).fit(X2, y)
    assert est.n_timesteps_in_ == 1 and est.n_features_in_ == 2
    assert est.predict(X2).shape == (len(X2),)
    # a 3-D window of length 1 is the same input
    np.testing.assert_allclose(est.predict(X2[:, None, :]), est.predict(X2))


def test_dataframe_feature_names(data):
    X, y = data
    df = pd.DataFrame(X[:, -1, :], columns=["a", "b"])
    est = LSTMRegressor(**FAST).fit(df, y)
    assert list(est.feature_names_in_) == ["a", "b"]
    with pytest.raises(ValueError, match="feature names"):
        est.predict(df.rename(columns={"a": "z"}))


def test_multi_output_y(data):
    X, y = data
    Y = np.column_stack([y, 2 * y, y + 10])
    est = LSTMRegressor(**FAST).fit(X, Y)
    assert est.n_outputs_ == 3
    assert est.predict(X).shape == (len(X), 3)


def test_clone_and_params(fitted, data):
    est = LSTMRegressor(n_layers=2, units=(8, 4), dropout=0.2, l2=1e-3)
    c = clone(est)
    assert c.get_params() == est.get_params()
    # a clone of a fitted regressor carries the parameters, not the network
    with pytest.raises(NotFittedError):
        clone(fitted).predict(data[0])
    assert "model" not in est.get_params()  # scikeras internals are not params


def test_unknown_set_params_error():
    with pytest.raises(ValueError, match="Invalid parameter 'nlayers'"):
        LSTMRegressor().set_params(nlayers=2)


def test_not_fitted_error(data):
    X, _ = data
    with pytest.raises(NotFittedError):
        LSTMRegressor().predict(X)


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_persistence_round_trip_gives_identical_predictions(
    fitted, data, dump, tmp_path
):
    X, _ = data
    if dump == "pickle":
        loaded = pickle.loads(pickle.dumps(fitted))
    else:
        path = tmp_path / "model.joblib"
        joblib.dump(fitted, path)
        loaded = joblib.load(path)
    np.testing.assert_array_equal(loaded.predict(X), fitted.predict(X))


def test_same_int_seed_gives_identical_predictions(fitted, data):
    X, y = data
    again = LSTMRegressor(**FAST).fit(X, y)
    np.testing.assert_array_equal(again.predict(X), fitted.predict(X))
    other = LSTMRegressor(**{**FAST, "random_state": 1}).fit(X, y)
    assert not np.array_equal(other.predict(X), fitted.predict(X))


def test_random_state_instance_is_honoured(data):
    X, y = data
    params = {**FAST, "dropout": 0.2}

    def pred(rs):
        return LSTMRegressor(**{**params, "random_state": rs}).fit(X, y).predict(X)

    # two fresh generators with the same seed give the same model ...
    np.testing.assert_array_equal(
        pred(np.random.RandomState(7)), pred(np.random.RandomState(7))
    )
    # ... a different seed a different one (scikeras maps every RandomState to 0)
    assert not np.array_equal(
        pred(np.random.RandomState(7)), pred(np.random.RandomState(8))
    )
    # ... and one generator is consumed, as everywhere in scikit-learn
    rs = np.random.RandomState(7)
    assert not np.array_equal(pred(rs), pred(rs))


def test_seeding_restores_global_state_and_leaks_no_determinism(data):
    from tensorflow.python.framework import config

    X, y = data
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    was_deterministic = config.is_op_determinism_enabled()
    LSTMRegressor(**FAST).fit(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    assert config.is_op_determinism_enabled() == was_deterministic is False
    assert "TF_DETERMINISTIC_OPS" not in os.environ
    # an unseeded fit afterwards works (it fails when determinism leaked)
    LSTMRegressor(**{**FAST, "random_state": None, "dropout": 0.1}).fit(X, y)


def test_verbose_0_prints_nothing(data, capfd):
    X, y = data
    capfd.readouterr()
    LSTMRegressor(**FAST).fit(X, y).predict(X)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_verbose_1_shows_progress(data, capfd):
    X, y = data
    LSTMRegressor(**{**FAST, "epochs": 1, "verbose": 2}).fit(X, y)
    out, _ = capfd.readouterr()
    assert "loss" in out


def test_architecture_follows_parameters(data):
    X, y = data
    est = LSTMRegressor(
        epochs=1,
        random_state=0,
        n_layers=2,
        units=(6, 3),
        bidirectional=True,
        normalization="layer",
        dense_units=(5,),
        dropout=0.1,
    ).fit(X, y)
    kinds = [type(layer).__name__ for layer in est.model_.layers]
    assert kinds == [
        "InputLayer",
        "Bidirectional",
        "LayerNormalization",
        "Dropout",
        "Bidirectional",
        "LayerNormalization",
        "Dropout",
        "Dense",
        "Dropout",
        "Dense",
    ]
    assert est.model_.layers[1].forward_layer.units == 6
    assert est.model_.layers[4].forward_layer.units == 3
    assert est.model_.layers[4].forward_layer.return_sequences is False
    batch = LSTMRegressor(**{**FAST, "epochs": 1}, normalization="batch").fit(X, y)
    assert "BatchNormalization" in [type(la).__name__ for la in batch.model_.layers]


def test_l1_l2_add_penalty_losses(data):
    X, y = data
    plain = LSTMRegressor(**{**FAST, "epochs": 1}).fit(X, y)
    reg = LSTMRegressor(**{**FAST, "epochs": 1}, l1=0.01, l2=0.01).fit(X, y)
    assert len(plain.model_.losses) == 0
    # the default regularize="lstm" penalizes the LSTM kernel only, as the seed's
    # kernel_regularizer; regularize="all" adds the output layer's kernel
    assert len(reg.model_.losses) == 1
    every = LSTMRegressor(**{**FAST, "epochs": 1}, l2=0.01, regularize="all")
    assert len(every.fit(X, y).model_.losses) == 2


def test_units_tuple_must_match_n_layers(data):
    X, y = data
    with pytest.raises(
        ValueError, match=r"units=\(8, 4\) has 2 entries but n_layers=3"
    ):
        LSTMRegressor(n_layers=3, units=(8, 4)).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"dropout": 1.5}, "'dropout' parameter"),
        ({"units": 0}, "'units' parameter"),
        ({"normalization": "group"}, "'normalization' parameter"),
        ({"optimizer": "adamm"}, "'optimizer' parameter"),
        ({"validation_fraction": 1.0}, "'validation_fraction' parameter"),
    ],
)
def test_invalid_parameters_are_named(data, params, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**params).fit(X, y)


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.full((20, 3, 2), np.nan), np.ones(20), "Input X contains NaN"),
        (np.full((20, 3, 2), np.inf), np.ones(20), "Input X contains infinity"),
        (np.ones((20, 3, 2)), np.r_[np.nan, np.ones(19)], "Input y contains NaN"),
        (np.ones((20, 3, 2, 1)), np.ones(20), "got a 4-D array"),
        (np.ones(20), np.ones(20), "got a 1-D array"),
        (np.array([["a", "b"]] * 20, dtype=object), np.ones(20), "convert"),
        (np.ones((0, 3, 2)), np.ones(0), "0 sample"),
    ],
)
def test_bad_input_errors(X, y, match):
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**FAST).fit(X, y)


def test_too_few_samples_for_early_stopping(data):
    X, y = data
    # Keras keeps floor(n * 0.9) samples for training: 1 of 1, 4 of 5
    with pytest.raises(ValueError, match="validation_fraction=0.1 of n_samples=1 "):
        LSTMRegressor(**FAST).fit(X[:1], y[:1])
    with pytest.raises(ValueError, match="leaves 1 validation samples and 0 train"):
        LSTMRegressor(**FAST, validation_fraction=0.6).fit(X[:1], y[:1])
    LSTMRegressor(**FAST).fit(X[:5], y[:5])  # 4 + 1
    # without early stopping a single sample trains
    LSTMRegressor(**FAST, early_stopping=False).fit(X[:1], y[:1])


def test_wrong_shape_at_predict(fitted, data):
    X, _ = data
    with pytest.raises(ValueError, match="X has 1 features, but LSTMRegressor"):
        fitted.predict(X[:, :, :1])
    with pytest.raises(ValueError, match="X has 2 timesteps, but LSTMRegressor"):
        fitted.predict(X[:, :2, :])


def test_early_stopping_really_stops():
    # the last 30 % (the validation part) follows the opposite rule from the
    # first 70 %: the better the network fits training, the worse validation.
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(200, 1, 1))
    y = X[:, 0, 0].copy()
    y[140:] *= -1
    est = LSTMRegressor(
        units=8,
        epochs=200,
        patience=3,
        validation_fraction=0.3,
        learning_rate=0.01,
        shuffle=False,
        random_state=0,
    ).fit(X, y)
    assert est.n_epochs_ < 200
    assert est.best_epoch_ < est.n_epochs_
    val = est.history_["val_loss"]
    assert min(val) == val[est.best_epoch_ - 1]
    # the weights kept are the best epoch's, and its validation loss is the
    # loss of the last 60 samples (Keras' time-ordered split), not of others
    scaler = est.target_encoder_

    def scaled_mse(rows):
        pred = (est.predict(X[rows]) - scaler.mean_[0]) / scaler.scale_[0]
        true = (y[rows] - scaler.mean_[0]) / scaler.scale_[0]
        return np.mean((pred - true) ** 2)

    tail = scaled_mse(slice(140, None))
    assert tail == pytest.approx(val[est.best_epoch_ - 1], rel=1e-4)
    assert scaled_mse(slice(0, 60)) != pytest.approx(tail, rel=1e-2)
    # early stopping off: all epochs run
    off = LSTMRegressor(units=4, epochs=7, early_stopping=False, random_state=0)
    off.fit(X, y)
    assert (
        off.n_epochs_ == 7 and off.best_epoch_ == 7 and "val_loss" not in off.history_
    )


def _relative_mae(est, X, y):
    return np.mean(np.abs(est.predict(X) - y)) / np.mean(np.abs(y - y.mean()))


def test_target_scaling_makes_scale_irrelevant():
    X, y = _windows(n=200)
    params = dict(
        units=8, epochs=30, learning_rate=0.01, early_stopping=False, random_state=0
    )
    small = _relative_mae(LSTMRegressor(**params).fit(X, y), X, y)
    big = _relative_mae(LSTMRegressor(**params).fit(X, 1000 * y), X, 1000 * y)
    unscaled = _relative_mae(
        LSTMRegressor(**params, scale_target=False).fit(X, 1000 * y), X, 1000 * y
    )
    # it learns: clearly better than repeating the last value (0.256 here)
    persistence = np.mean(np.abs(X[:, -1, 0] - y)) / np.mean(np.abs(y - y.mean()))
    assert small < 0.6 * persistence
    # the standardized targets are the same, so is the training (equal to 1e-15)
    assert big == pytest.approx(small, rel=1e-9)
    assert unscaled > 3 * big  # what happens without it


def test_target_scaler_round_trip_by_hand():
    y = np.array([999.0, 1000.0, 1001.0])
    scaler = _TargetScaler().fit(y)
    assert_allclose(scaler.mean_, [1000.0])
    assert_allclose(scaler.scale_, [np.sqrt(2 / 3)])
    z = scaler.transform(y)
    assert z.dtype == np.float32 and z.shape == (3, 1)
    assert_allclose(z.ravel(), [-np.sqrt(1.5), 0.0, np.sqrt(1.5)], rtol=1e-6)
    # the network's output 0 is the mean, 1 is one standard deviation above it
    assert_allclose(
        scaler.inverse_transform(np.array([[0.0], [1.0]])),
        [1000.0, 1000.0 + np.sqrt(2 / 3)],
    )
    assert_allclose(scaler.inverse_transform(z), y, rtol=1e-9, atol=1e-4)
    # 2-D y: per column; a constant column keeps scale 1
    Y = np.column_stack([y, np.full(3, -5.0)])
    scaler2 = _TargetScaler().fit(Y)
    assert_allclose(scaler2.mean_, [1000.0, -5.0])
    assert_allclose(scaler2.scale_, [np.sqrt(2 / 3), 1.0])
    assert_allclose(scaler2.inverse_transform(scaler2.transform(Y)), Y, atol=1e-4)
    # scale_target=False only reshapes
    plain = _TargetScaler(scale=False).fit(y)
    assert_allclose(plain.inverse_transform(plain.transform(y)), y)


def test_offset_target_is_predicted_at_its_level(data):
    """A target around 1000 with a spread below 1: predictions near 1000."""
    X, y = data
    offset = 1000.0 + y
    pred = LSTMRegressor(**FAST).fit(X, offset).predict(X)
    # three epochs learn little, but the inverted scaling puts every
    # prediction within a few standard deviations (0.72) of the level
    assert np.all(np.abs(pred - 1000.0) < 5 * offset.std())


def test_stacking_and_voting_accept_it(data):
    X, y = data
    X2 = X[:, -1, :]
    stack = StackingRegressor(
        [("lstm", LSTMRegressor(**FAST)), ("ridge", Ridge())], cv=2
    ).fit(X2, y)
    vote = VotingRegressor([("lstm", LSTMRegressor(**FAST)), ("ridge", Ridge())])
    vote.fit(X2, y)
    assert stack.predict(X2).shape == vote.predict(X2).shape == (len(X2),)


def test_transformed_target_and_cross_validate(data):
    X, y = data
    ttr = TransformedTargetRegressor(
        regressor=LSTMRegressor(**FAST), func=np.exp, inverse_func=np.log
    ).fit(X, y)
    assert ttr.predict(X).shape == (len(X),)
    res = cross_validate(LSTMRegressor(**FAST), X, y, cv=TimeSeriesSplit(2))
    assert len(res["test_score"]) == 2


def test_grid_search_with_time_series_split(data):
    X, y = data
    X2 = X[:, -1, :]
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("to3d", FunctionTransformer(lambda Z: Z[:, None, :])),
            ("lstm", LSTMRegressor(units=4, epochs=2, batch_size=32, random_state=0)),
        ]
    )
    grid = GridSearchCV(
        pipe,
        [  # all four parameters, 2 candidates: 5 small fits
            {"lstm__n_layers": [2], "lstm__units": [2]},
            {"lstm__dropout": [0.2], "lstm__l2": [1e-3]},
        ],
        cv=TimeSeriesSplit(2),
        error_score="raise",
    ).fit(X2, y)
    # the searched parameters reach the network: the candidates score differently
    scores = grid.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores)) and scores[0] != scores[1]
    assert grid.best_estimator_.predict(X2).shape == (len(X2),)


def test_sample_weight_metadata_routing(data):
    X, y = data
    weights = np.r_[np.ones(60), np.zeros(60)]
    y_mixed = np.r_[y[:60], y[60:] + 50]  # the zero-weighted half is far off
    with config_context(enable_metadata_routing=True):
        pipe = Pipeline(
            [
                ("id", FunctionTransformer()),
                (
                    "lstm",
                    LSTMRegressor(
                        **{**FAST, "epochs": 20}, early_stopping=False
                    ).set_fit_request(sample_weight=True),
                ),
            ]
        )
        pipe.fit(X, y_mixed, sample_weight=weights)
    pred = pipe.predict(X[:60])
    unweighted = LSTMRegressor(**{**FAST, "epochs": 20}, early_stopping=False)
    unweighted.fit(X, y_mixed)
    # the weighted fit ignores the shifted half; the unweighted one is pulled up
    assert (
        np.abs(pred - y[:60]).mean()
        < np.abs(unweighted.predict(X[:60]) - y[:60]).mean()
    )


def test_partial_fit_trains_one_more_epoch(fitted, data):
    X, y = data
    est = clone(fitted).fit(X, y)
    est.partial_fit(X, y)
    assert est.n_epochs_ == 4 and len(est.history_["loss"]) == 4


def test_score_is_r2(fitted, data):
    from sklearn.metrics import r2_score

    X, y = data
    assert fitted.score(X, y) == pytest.approx(r2_score(y, fitted.predict(X)))


def test_batch_size_auto_is_32_then_grows_with_the_windows():
    # "auto": the same fit as 32 up to 16,384 windows; above, the batch that
    # keeps an epoch within 512 steps (64 here), the same fit as that int
    small_X, small_y = _windows(n=200)
    rng = np.random.RandomState(0)
    big_X = rng.normal(size=(16_400, 2, 1)).astype(np.float32)
    big_y = big_X[:, -1, 0]
    params = dict(units=2, epochs=2, early_stopping=False, random_state=0)
    for (X, y), size in (((small_X, small_y), 32), ((big_X, big_y), 64)):
        auto = LSTMRegressor(batch_size="auto", **params).fit(X, y)
        fixed = LSTMRegressor(batch_size=size, **params).fit(X, y)
        assert auto.history_ == fixed.history_
        assert_allclose(auto.predict(X[:50]), fixed.predict(X[:50]), rtol=0, atol=0)
    other = LSTMRegressor(batch_size=32, **params).fit(big_X, big_y)
    assert other.history_ != auto.history_


def test_the_recipe_sizes_its_batches_by_the_data():
    from sklstm.recipe import make_lstm_forecaster

    model = make_lstm_forecaster(target=0)
    assert model.get_params()["regressor__lstm__estimator__batch_size"] == "auto"
