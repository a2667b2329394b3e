"""Windower: content, zero-copy view, output configuration."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm.preprocessing import Windower

X = np.arange(12.0).reshape(6, 2)  # row t = [2t, 2t + 1]


def test_rows_hold_the_last_window_rows_oldest_first():
    out = Windower(window=3).fit_transform(X)
    assert out.shape == (6, 3, 2)
    for t in range(2, 6):
        assert_array_equal(out[t], X[t - 2 : t + 1])
    assert_array_equal(out[:, -1], X)  # the newest row is the current one


@pytest.mark.parametrize(
    "warmup, first",
    [
        ("edge", [[0, 1], [0, 1], [0, 1]]),
        ("constant", [[-1, -1], [-1, -1], [0, 1]]),
        ("nan", [[np.nan, np.nan], [np.nan, np.nan], [0, 1]]),
    ],
)
def test_warmup(warmup, first):
    out = Windower(window=3, warmup=warmup, fill_value=-1).fit_transform(X)
    assert_array_equal(out[0], first)


def _owner(array):
    """The array that owns the memory behind a chain of views."""
    owner, node = array, array
    while getattr(node, "base", None) is not None:
        node = node.base
        if isinstance(node, np.ndarray):
            owner = node
    return owner


def test_result_is_a_view_of_one_padded_copy():
    out = Windower(window=4).fit_transform(X)
    owner = _owner(out)
    assert owner.shape == (6 + 3, 2)  # one copy: n + window - 1 rows
    assert np.shares_memory(out, owner)
    assert not out.flags.writeable


def test_window_one_is_a_view():
    X_c = np.ascontiguousarray(X)
    out = Windower(window=1).fit_transform(X_c)
    assert out.shape == (6, 1, 2)
    assert np.shares_memory(out, X_c)


def test_continuation_uses_training_tail():
    win = Windower(window=3, continuation=True).fit(X[:4])
    assert_array_equal(win.history_, X[2:4])
    out = win.transform(X[4:])
    assert_array_equal(out, Windower(window=3).fit_transform(X)[4:])


def test_feature_names_name_the_last_axis():
    df = pd.DataFrame(X, columns=["temp", "hum"])
    assert list(Windower(window=2).fit(df).get_feature_names_out()) == ["temp", "hum"]


def test_set_output_is_accepted_and_output_stays_numpy():
    df = pd.DataFrame(X, columns=["temp", "hum"])
    pipe = make_pipeline(StandardScaler(), Windower(window=2))
    pipe.set_output(transform="pandas")
    out = pipe.fit_transform(df)
    assert isinstance(out, np.ndarray) and out.shape == (6, 2, 2)
    assert Windower().set_output(transform="pandas").get_params()["window"] == 10
    with pytest.raises(ValueError, match="transform='excel' is not a known output"):
        Windower().set_output(transform="excel")


def test_float32_preserved():
    assert Windower(window=2).fit_transform(X.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize(
    "params, match",
    [
        ({"window": 0}, "'window' parameter of Windower must be an int in the range"),
        ({"window": 7}, "window=7 is longer than the data: n_samples=6"),
        ({"window": 2.5}, "'window' parameter of Windower.*Got 2.5"),
        ({"warmup": "partial"}, "'warmup' parameter of Windower"),
        ({"continuation": "yes"}, "'continuation' parameter of Windower"),
    ],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        Windower(**params).fit(X)
