"""Targeted tests of LSTMClassifier, and of the Keras vocabulary of both estimators."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags

from sklstm import LSTMClassifier, LSTMRegressor, Windower
from sklstm.models._tf import keras

FAST = dict(units=4, epochs=3, batch_size=16, random_state=0)


def _three_classes(n=300, timesteps=6, seed=0):
    """Windows of noise whose class is the sign pattern of the last two steps'
    first feature: 'down' (both < 0), 'up' (both > 0) or 'flat' (mixed)."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, timesteps, 2))
    a, b = X[:, -1, 0], X[:, -2, 0]
    y = np.where((a > 0) & (b > 0), "up", np.where((a < 0) & (b < 0), "down", "flat"))
    return X, y


def _binary_series(n=400, seed=0):
    """A 2-D series; the class of row t (0 or 1) is whether the sum of the
    last 3 values of the first column is positive: learnable from windows."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 2))
    s = pd.Series(X[:, 0]).rolling(3, min_periods=1).sum().to_numpy()
    return X, (s > 0).astype(int)


@pytest.fixture(scope="module")
def three():
    X, y = _three_classes()
    clf = LSTMClassifier(units=16, epochs=80, learning_rate=0.01, random_state=0)
    return X, y, clf.fit(X[:240], y[:240])


def test_is_a_classifier_with_3d_tags():
    clf = LSTMClassifier()
    assert is_classifier(clf)
    tags = get_tags(clf)
    assert tags.estimator_type == "classifier"
    assert tags.input_tags.three_d_array
    assert tags.target_tags.required


def test_three_string_classes_are_learned(three):
    X, y, clf = three
    assert clf.classes_.tolist() == ["down", "flat", "up"]
    assert clf.n_classes_ == 3 and clf.n_outputs_ == 1
    # softmax head, sparse categorical cross-entropy
    assert clf.model_.layers[-1].units == 3
    assert clf.model_.layers[-1].get_config()["activation"] == "softmax"
    assert clf.model_.loss == "sparse_categorical_crossentropy"
    proba = clf.predict_proba(X[240:])
    assert proba.shape == (60, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    pred = clf.predict(X[240:])
    assert set(pred) <= {"down", "flat", "up"}
    np.testing.assert_array_equal(pred, clf.classes_[proba.argmax(axis=1)])
    majority = max(np.mean(y[240:] == c) for c in clf.classes_)
    held_out = accuracy_score(y[240:], pred)
    assert held_out > majority + 0.2, (held_out, majority)
    assert clf.score(X[240:], y[240:]) == pytest.approx(held_out)


def test_binary_int_task_in_a_windower_pipeline():
    X, y = _binary_series()
    frame = pd.DataFrame(X, columns=["a", "b"], index=pd.RangeIndex(len(X)))
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("window", Windower(window=4)),
            (
                "lstm",
                LSTMClassifier(units=8, epochs=60, learning_rate=0.01, random_state=0),
            ),
        ]
    ).set_output(transform="pandas")
    pipe.fit(frame.iloc[:320], y[:320])
    clf = pipe[-1]
    assert clf.classes_.tolist() == [0, 1]
    # one sigmoid unit, binary cross-entropy
    assert clf.model_.layers[-1].units == 1
    assert clf.model_.loss == "binary_crossentropy"
    pred = pipe.predict(frame.iloc[320:])  # continues the training windows
    assert pred.dtype.kind == "i"
    held_out = accuracy_score(y[320:], pred)
    majority = max(np.mean(y[320:]), 1 - np.mean(y[320:]))
    assert held_out > majority + 0.2, (held_out, majority)
    proba = pipe.predict_proba(frame.iloc[320:])
    assert proba.shape == (80, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_pickle_gives_identical_probabilities(three):
    X, _, clf = three
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))


def test_same_seed_same_model_and_clone():
    X, y = _three_classes(n=80)
    a = LSTMClassifier(**FAST).fit(X, y)
    b = clone(a).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert clone(a).get_params() == a.get_params()


def test_grid_search_time_series_split_accuracy():
    X, y = _three_classes(n=120)
    grid = GridSearchCV(
        LSTMClassifier(units=4, epochs=2, random_state=0),
        {"units": [2, 4]},
        cv=TimeSeriesSplit(2),
        scoring="accuracy",
        error_score="raise",
    ).fit(X, y)
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    assert grid.best_estimator_.predict(X).shape == (120,)


def test_class_weight_balanced_and_dict():
    # 90 % of one class: without weights a tiny network predicts it everywhere
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3, 1))
    y = np.where(X[:, -1, 0] > 1.3, "rare", "common")
    params = dict(units=4, epochs=40, learning_rate=0.01, random_state=0)
    params["early_stopping"] = False
    plain = LSTMClassifier(**params).fit(X, y)
    balanced = LSTMClassifier(**params, class_weight="balanced").fit(X, y)
    by_dict = LSTMClassifier(**params, class_weight={"rare": 9.0}).fit(X, y)
    n_rare = [np.sum(m.predict(X) == "rare") for m in (plain, balanced, by_dict)]
    assert n_rare[1] > n_rare[0] and n_rare[2] > n_rare[0], n_rare
    with pytest.raises(
        ValueError, match=r"class_weight=\{'rain': 2\} names \['rain'\]"
    ):
        LSTMClassifier(**FAST, class_weight={"rain": 2}).fit(X, y)


def test_early_stopping_on_the_time_ordered_tail():
    X, y = _three_classes(n=100)
    clf = LSTMClassifier(units=4, epochs=5, validation_fraction=0.2, random_state=0)
    clf.fit(X, y)
    assert len(clf.history_["val_loss"]) == clf.n_epochs_
    # the validation loss is the cross-entropy of the last 20 samples
    tail = clf.predict_proba(X[80:])
    codes = np.searchsorted(clf.classes_, y[80:])
    ce = -np.mean(np.log(tail[np.arange(20), codes]))
    assert ce == pytest.approx(clf.history_["val_loss"][clf.best_epoch_ - 1], rel=1e-4)


def test_partial_fit_with_classes():
    X, y = _three_classes(n=60)
    clf = LSTMClassifier(**FAST)
    first = y != "up"
    clf.partial_fit(X[first], y[first], classes=["down", "flat", "up"])
    assert clf.classes_.tolist() == ["down", "flat", "up"]
    clf.partial_fit(X, y)
    assert clf.n_epochs_ == 2
    with pytest.raises(ValueError, match=r"labels \['sideways'\]"):
        clf.partial_fit(X[:2], ["sideways", "up"])


@pytest.mark.parametrize(
    "y, match",
    [
        (np.full(40, "a"), "at least 2 classes"),
        (np.linspace(0, 1, 40), "Unknown label type"),
    ],
)
def test_bad_targets(y, match):
    X = np.zeros((40, 3, 1))
    with pytest.raises(ValueError, match=match):
        LSTMClassifier(**FAST).fit(X, y)


def test_not_fitted():
    with pytest.raises(NotFittedError):
        LSTMClassifier().predict_proba(np.zeros((2, 3, 1)))


# ---- the Keras vocabulary, both estimators --------------------------------------
@pytest.mark.parametrize("Estimator", [LSTMRegressor, LSTMClassifier])
@pytest.mark.parametrize("name", ["Adam", "adam", "RMSprop", "SGD"])
def test_optimizer_names_in_any_case(Estimator, name):
    X, y = _three_classes(n=40)
    if Estimator is LSTMRegressor:
        y = X[:, -1, 0]
    est = Estimator(**{**FAST, "epochs": 1}, optimizer=name).fit(X, y)
    assert type(est.model_.optimizer).__name__.lower() == name.lower()
    assert est.model_.optimizer.name == "optimizer"


@pytest.mark.parametrize("Estimator", [LSTMRegressor, LSTMClassifier])
def test_optimizer_instance_is_copied_per_fit(Estimator):
    X, y = _three_classes(n=40)
    if Estimator is LSTMRegressor:
        y = X[:, -1, 0]
    opt = keras.optimizers.Adam(learning_rate=0.02, clipnorm=1.0)
    est = Estimator(**{**FAST, "epochs": 2}, optimizer=opt).fit(X, y)
    used = est.model_.optimizer
    assert used is not opt
    assert float(used.learning_rate) == pytest.approx(0.02)
    assert used.clipnorm == 1.0
    assert int(opt.iterations) == 0  # the parameter itself was never trained
    copy = clone(est)
    assert copy.optimizer is not opt
    assert copy.optimizer.get_config() == opt.get_config()
    # refits from the same parameter give the same model
    again = clone(est).fit(X, y)
    np.testing.assert_array_equal(again.predict(X), est.predict(X))
    # the estimator's settings replace the instance's when given
    override = Estimator(
        **{**FAST, "epochs": 1}, optimizer=opt, learning_rate=0.005, clipvalue=0.5
    ).fit(X, y)
    used = override.model_.optimizer
    assert float(used.learning_rate) == pytest.approx(0.005)
    assert used.clipvalue == 0.5 and used.clipnorm is None


def test_clipnorm_and_clipvalue_reach_the_optimizer():
    X, _ = _three_classes(n=40)
    y = X[:, -1, 0]
    est = LSTMRegressor(**{**FAST, "epochs": 1}, clipnorm=0.1).fit(X, y)
    assert est.model_.optimizer.clipnorm == 0.1
    with pytest.raises(ValueError, match="clipnorm=0.1 and clipvalue=1.0"):
        LSTMRegressor(**FAST, clipnorm=0.1, clipvalue=1.0).fit(X, y)


@pytest.mark.parametrize("Estimator", [LSTMRegressor, LSTMClassifier])
def test_bad_optimizer_is_named(Estimator):
    X, y = _three_classes(n=40)
    if Estimator is LSTMRegressor:
        y = X[:, -1, 0]
    with pytest.raises(ValueError, match=r"'optimizer' parameter.*any case"):
        Estimator(optimizer="adamm").fit(X, y)


@pytest.mark.parametrize("Estimator", [LSTMRegressor, LSTMClassifier])
@pytest.mark.parametrize(
    "keyword, hint",
    [
        ("kernel_regularizer", "regularize="),
        ("validation_split", "validation_fraction="),
        ("callbacks", "early_stopping=True, patience="),
    ],
)
def test_keras_keywords_name_the_sklstm_parameter(Estimator, keyword, hint):
    with pytest.raises(TypeError, match=f"Keras keyword '{keyword}'.*{hint}"):
        Estimator(**{keyword: None})
    with pytest.raises(ValueError, match=f"Keras keyword '{keyword}'.*{hint}"):
        Estimator().set_params(**{keyword: None})
    # an unknown keyword that is not Keras' stays Python's own error
    with pytest.raises(TypeError, match="unexpected keyword argument 'nlayers'"):
        Estimator(nlayers=2)


def test_classifier_only_keywords():
    with pytest.raises(TypeError, match="loss=: the loss follows the classes"):
        LSTMClassifier(loss="mse")
    with pytest.raises(TypeError, match="class_weight is a parameter of LSTMClass"):
        LSTMRegressor(class_weight="balanced")


@pytest.mark.parametrize("Estimator", [LSTMRegressor, LSTMClassifier])
def test_regularize_chooses_the_penalized_kernels(Estimator):
    X, y = _three_classes(n=40)
    if Estimator is LSTMRegressor:
        y = X[:, -1, 0]
    params = dict(**{**FAST, "epochs": 1}, l2=0.01, dense_units=(3,))
    lstm_only = Estimator(**params).fit(X, y)  # the default, as the seed
    every = Estimator(**params, regularize="all").fit(X, y)
    assert len(lstm_only.model_.losses) == 1  # the LSTM kernel
    assert len(every.model_.losses) == 3  # LSTM, hidden Dense, output
    assert lstm_only.model_.get_layer("output").kernel_regularizer is None
