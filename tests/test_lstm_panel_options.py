"""LSTMRegressor options for global networks: window levels, epochs, held-out rows."""

import pickle

import numpy as np
import pytest

from sklstm import LSTMRegressor


def _windows(n=120, steps=12, seed=0):
    rng = np.random.RandomState(seed)
    level = rng.uniform(0, 8, size=(n, 1))
    phase = rng.uniform(0, 6, size=(n, 1))
    t = np.arange(steps)
    target = level + 0.3 * np.sin(t / 2 + phase)
    other = rng.normal(size=(n, steps))
    X = np.stack([target, other], axis=-1)
    y = np.stack([level[:, 0] + 0.3 * np.sin((steps + k) / 2 + phase[:, 0])
                  for k in range(3)], axis=1)  # fmt: skip
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _windows()
    subtract = LSTMRegressor(
        units=4, epochs=2, random_state=0, scale_target=False,
        window_norm="subtract", norm_steps=4,
    ).fit(X, y)  # fmt: skip
    divide = LSTMRegressor(
        units=4, epochs=2, random_state=0, scale_target=False,
        window_norm="divide", norm_steps=4,
    ).fit(np.abs(X) + 1, np.abs(y) + 1)  # fmt: skip
    return X, subtract, divide


def test_subtract_shifts_the_forecast_with_the_level(fitted):
    X, subtract, _ = fitted
    moved = X.copy()
    moved[:, :, 0] += 100.0  # only the level's feature moves
    np.testing.assert_allclose(
        subtract.predict(moved), subtract.predict(X) + 100.0, atol=1e-3
    )


def test_divide_scales_the_forecast_with_the_level(fitted):
    X, _, divide = fitted
    base = np.abs(X) + 1
    scaled = base.copy()
    scaled[:, :, 0] *= 1000.0
    np.testing.assert_allclose(
        divide.predict(scaled), 1000.0 * divide.predict(base), rtol=1e-3
    )


def test_other_features_are_not_normalized(fitted):
    X, subtract, _ = fitted
    moved = X.copy()
    moved[:, :, 1] += 100.0  # not the level's feature: the network sees it
    assert not np.allclose(subtract.predict(moved), subtract.predict(X) + 100.0)


def test_pickle_keeps_the_normalization(fitted):
    X, subtract, _ = fitted
    again = pickle.loads(pickle.dumps(subtract))
    np.testing.assert_allclose(again.predict(X), subtract.predict(X), rtol=1e-6)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"window_norm": "subtract"}, r"scale_target=True rescales y"),
        (
            {"window_norm": "subtract", "scale_target": False, "norm_feature": 2},
            r"norm_feature=2 is not a feature of the windows, which have 2",
        ),
        ({"window_norm": "center"}, r"'window_norm' parameter of LSTMRegressor"),
    ],
)
def test_bad_window_norm_settings_name_the_parameter(params, match):
    X, y = _windows(n=20)
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(units=2, epochs=1, **params).fit(X, y)


def test_windows_per_epoch_draws_a_new_subset_every_epoch(monkeypatch):
    from sklstm.models import _epochs

    drawn = []
    original = _epochs._epoch_order

    def spy(fit_set, shuffle, rng, per_epoch=None):
        out = original(fit_set, shuffle, rng, per_epoch)
        drawn.append(np.asarray(out[0]))
        return out

    monkeypatch.setattr(_epochs, "_epoch_order", spy)
    X, y = _windows(n=200)
    kwargs = dict(units=2, epochs=3, random_state=0, windows_per_epoch=50)
    first = LSTMRegressor(**kwargs).fit(X, y).predict(X[:5])
    assert [len(starts) for starts in drawn] == [50, 50, 50]
    assert all(len(set(starts)) == 50 for starts in drawn)  # without replacement
    assert len({tuple(sorted(starts)) for starts in drawn}) == 3  # anew each epoch
    np.testing.assert_array_equal(
        LSTMRegressor(**kwargs).fit(X, y).predict(X[:5]), first
    )


@pytest.mark.parametrize("rows", ["latest", "random"])
def test_validation_rows_holds_out_the_latest_or_a_random_tenth(monkeypatch, rows):
    from sklstm.models import _engine

    seen = {}
    original = _engine.train

    def spy(model, key, windows, y, **kwargs):
        seen["starts"] = np.asarray(windows.starts)
        return original(model, key, windows, y, **kwargs)

    monkeypatch.setattr(_engine, "train", spy)
    X = np.arange(200.0).reshape(200, 1, 1)  # window i holds the value i
    y = X[:, 0, 0]
    LSTMRegressor(units=2, epochs=1, random_state=0, validation_rows=rows).fit(X, y)
    held_out = np.sort(seen["starts"][-20:])  # the last 10 %: validation
    latest = np.arange(180, 200)
    if rows == "latest":
        np.testing.assert_array_equal(held_out, latest)
    else:
        assert len(np.intersect1d(held_out, latest)) < 10
        assert len(np.unique(seen["starts"])) == 200  # every window kept
