"""scikit-learn's estimator checks over every public estimator of sklstm.

Each expected failure names a reason. The list is the contract: a check that
starts passing (or a new one that fails) shows up as a test failure.
"""

import inspect

from sklearn.utils.estimator_checks import parametrize_with_checks

import sklstm
from sklstm import LSTMRegressor

# A tiny, fast network: the checks test the API, not accuracy.
_LSTM = LSTMRegressor(units=4, epochs=2, batch_size=16, random_state=0)

EXPECTED_FAILED_CHECKS = {
    "LSTMRegressor": {
        "check_estimator_tags_renamed": (
            "scikeras 0.13's BaseWrapper defines the pre-1.6 `_more_tags`; the "
            "tags themselves come from LSTMRegressor.__sklearn_tags__"
        ),
        "check_mixin_order": (
            "scikeras 0.13 declares KerasRegressor(BaseWrapper, RegressorMixin); "
            "putting RegressorMixin first in a subclass is an MRO error"
        ),
        "check_sample_weight_equivalence_on_dense_data": (
            "mini-batch SGD with shuffling is not equivalent under repetition vs. "
            "weights, and 9 samples leave no early-stopping validation set"
        ),
        "check_regressors_train": (
            "the 2-epoch, 4-unit check network scores below R^2 0.5 by design; "
            "learning is tested in tests/test_lstm.py"
        ),
    },
}


def _estimators():
    """Every public estimator class sklstm exports, with a fast instance."""
    instances = {"LSTMRegressor": _LSTM}
    out = []
    for name in sorted(set(sklstm.__all__)):
        obj = getattr(sklstm, name)
        if inspect.isclass(obj) and hasattr(obj, "fit"):
            out.append(instances.get(name, obj()))
    return out


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def test_every_exported_estimator_is_checked():
    names = {type(est).__name__ for est in _estimators()}
    assert "LSTMRegressor" in names
    assert set(EXPECTED_FAILED_CHECKS) <= names


@parametrize_with_checks(_estimators(), expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
