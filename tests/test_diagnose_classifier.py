"""diagnose_training on a fitted LSTMClassifier: cross-entropy against the
majority-class model."""

import numpy as np
import pytest

from sklstm import LSTMClassifier
from sklstm.diagnose import diagnose, diagnose_training


@pytest.fixture(scope="module")
def three():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(240, 6, 2))
    a, b = X[:, -1, 0], X[:, -2, 0]
    y = np.where((a > 0) & (b > 0), "up", np.where((a < 0) & (b < 0), "down", "flat"))
    clf = LSTMClassifier(units=16, epochs=80, learning_rate=0.01, random_state=0)
    return X, y, clf.fit(X, y)


def test_diagnose_compares_with_the_majority_class(three):
    X, y, clf = three
    d = diagnose_training(clf, X, y)
    assert "cross-entropy" in d.context["training"]
    # the majority-class model's loss: the entropy of the training part's shares
    n_train = 240 - (240 - int(240 * 0.9))
    _, counts = np.unique(y[:n_train], return_counts=True)
    share = counts / n_train
    assert d.baselines["train"] == pytest.approx(-np.sum(share * np.log(share)))
    assert "underfitting" not in d.names and "worse_than_baseline" not in d.names
    assert "unscaled_target" not in d.names
    # diagnose() runs the data checks on X only (y holds labels)
    assert "cross-entropy" in diagnose(clf, X, y).context["training"]


def test_diagnose_finds_an_underfitted_classifier():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3, 1))
    y = np.where(rng.uniform(size=200) < 0.8, "common", "rare")  # noise labels
    clf = LSTMClassifier(units=2, epochs=1, early_stopping=False, random_state=0)
    d = diagnose_training(clf.fit(X, y), X, y)
    assert "underfitting" in d.names
    assert "majority-class model" in d["underfitting"].message
    # with balanced class weights the bar is the weighted loss: log(2)
    clf.set_params(class_weight="balanced").fit(X, y)
    d = diagnose_training(clf, X, y)
    assert d.baselines["train"] == pytest.approx(np.log(2))


def test_forecast_checks_refuse_a_classifier_s_labels(three):
    """Found trying diagnose with a classifier: labels were read as numbers
    (int labels gave an MAE and a naive comparison of classes; str labels
    failed with "could not convert string to float")."""
    X, y, clf = three
    for labels in (y, (y == "up").astype(int)):
        with pytest.raises(ValueError, match="y_test and y_pred were given with a "):
            diagnose(clf, X, y, y_test=labels[:20], y_pred=labels[:20])
