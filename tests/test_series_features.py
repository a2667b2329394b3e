"""The global network's per-series options: SeriesScaler, SeriesOneHot,
ResidualRegressor(scale_residual="series") and the recipe's
``scale_by_series`` / ``series_identity``.

On a panel each series is scaled with the statistics of its own training
rows and told apart by its one-hot columns; on one series nothing changes
(the same numbers as without the option).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from _lookahead import changed_after_t
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.preprocessing import StandardScaler

from sklstm.compose import ResidualRegressor
from sklstm.datasets import load_airpassengers
from sklstm.exceptions import UnseenSeriesWarning
from sklstm.forecasting import NaiveForecaster, train_test_split_series
from sklstm.preprocessing import SeriesOneHot, SeriesScaler
from sklstm.recipe import make_lstm_forecaster

START = pd.Timestamp("2020-01-01")
TINY = dict(epochs=2, units=4, random_state=0)


def _frame(values, start=START):
    index = pd.date_range(start, periods=len(values), freq="MS", name="time")
    return pd.DataFrame(values, index=index, columns=["y", "x"][: values.shape[1]])


def _panel(parts, labels=None):
    labels = labels or [f"s{i}" for i in range(len(parts))]
    frames = {label: _frame(part) for label, part in zip(labels, parts, strict=True)}
    return pd.concat(frames, names=["series"])


def _parts(seed=0, lengths=(30, 24, 20)):
    rng = np.random.default_rng(seed)
    return [
        10.0 ** (2 * i) * np.exp(rng.normal(0, 0.1, (n, 2)).cumsum(0))
        for i, n in enumerate(lengths)
    ]


def test_series_scaler_uses_each_series_own_statistics():
    parts = _parts()
    panel = _panel(parts)
    scaler = SeriesScaler().set_output(transform="pandas").fit(panel)
    out = scaler.transform(panel)
    assert out.index.equals(panel.index)
    assert list(out.columns) == ["y", "x"]
    for label, part in zip(["s0", "s1", "s2"], parts, strict=True):
        assert_allclose(out.loc[label].to_numpy(), StandardScaler().fit_transform(part))
    # later rows take the statistics of fit, never their own
    later = _panel([part[-5:] * 3 for part in parts])
    expected = np.concatenate(
        [StandardScaler().fit(p).transform(3 * p[-5:]) for p in parts]
    )
    assert_allclose(scaler.transform(later).to_numpy(), expected)
    # a series unseen in fit takes the statistics of every training row
    unseen = _panel([parts[2][:4]], ["new"])
    pooled = StandardScaler().fit(np.concatenate(parts)).transform(parts[2][:4])
    with pytest.warns(UnseenSeriesWarning, match=r"1 of the 1 series of X \('new'\)"):
        assert_allclose(scaler.transform(unseen).to_numpy(), pooled)


def test_series_scaler_on_one_series_is_standard_scaler():
    X = _parts()[0]
    assert_array_equal(
        SeriesScaler().fit_transform(X), StandardScaler().fit_transform(X)
    )
    no_mean = SeriesScaler(with_mean=False).fit(X[:10]).transform(X)
    assert_array_equal(
        no_mean, StandardScaler(with_mean=False).fit(X[:10]).transform(X)
    )
    with pytest.raises(ValueError, match="fit it on a panel"):
        SeriesScaler().fit(_frame(X)).transform(_panel([X]))


def test_series_onehot_columns_and_unseen_series():
    parts = _parts()
    panel = _panel(parts)
    enc = SeriesOneHot().set_output(transform="pandas").fit(panel)
    out = enc.transform(panel)
    assert list(out.columns) == ["y", "x", "series_s0", "series_s1", "series_s2"]
    labels = panel.index.get_level_values(0)
    for label in ["s0", "s1", "s2"]:
        assert_array_equal(out[f"series_{label}"], (labels == label).astype(float))
    assert_array_equal(out[["y", "x"]], panel)
    test = _panel([parts[1][:3], parts[0][:2]], ["s1", "new"])
    with pytest.warns(UnseenSeriesWarning, match="SeriesOneHot gave them 0"):
        onehot = enc.transform(test).iloc[:, 2:].to_numpy()
    assert_array_equal(onehot, [[0, 1, 0]] * 3 + [[0, 0, 0]] * 2)
    single = SeriesOneHot().fit(parts[0])
    assert_array_equal(single.transform(parts[0]), parts[0])  # one series: as is
    assert len(single.get_feature_names_out()) == 2


@st.composite
def _panels_changed_after_t(draw):
    """Two panels equal except in series s1 after its row t; and t."""
    parts = _parts(draw(st.integers(0, 2**16)))
    t = draw(st.integers(0, len(parts[1]) - 2))
    factor = draw(st.sampled_from([0.5, 7.5, 1e4]))
    changed = [part.copy() for part in parts]
    changed[1][t + 1 :] *= factor
    return _panel(parts), _panel(changed), t


@pytest.mark.parametrize("est", [SeriesScaler(), SeriesOneHot()], ids=repr)
@settings(max_examples=15, deadline=None)
@given(panels=_panels_changed_after_t())
def test_series_transformers_do_not_look_ahead(est, panels):
    first, second, t = panels
    fitted = est.fit(_panel([part[:12] for part in _parts()]))
    out = [fitted.transform(p) for p in (first, second)]
    start, stop = 30, 54  # the rows of series s1
    same = np.r_[0:start, start : start + t + 1, stop : len(first)]
    assert out[0].shape[0] == len(first)  # n rows in, n rows out
    assert_array_equal(out[0][same], out[1][same])


class _Recorder(RegressorMixin, BaseEstimator):
    """Remembers the target it was fitted on and predicts 1 everywhere."""

    def fit(self, X, y):
        self.y_ = np.asarray(y)
        return self

    def predict(self, X):
        return np.ones(len(X))


def test_scale_residual_by_series():
    parts = _parts(lengths=(20, 16))
    panel = _panel(parts)
    y = panel["y"].to_numpy() * np.exp(np.random.default_rng(1).normal(0, 0.1, 36))
    base = dict(regressor=_Recorder(), baseline=NaiveForecaster(target="y"))
    model = ResidualRegressor(**base, scale_residual="series").fit(panel, y)
    plain = ResidualRegressor(**base).fit(panel, y)
    residual = plain.regressor_.y_
    labels = panel.index.get_level_values(0)
    scales = model.residual_scale_
    for label in ["s0", "s1"]:
        rows = labels == label
        assert scales.loc[label, 0] == pytest.approx(residual[rows].std())
        assert_allclose(
            model.regressor_.y_[rows], residual[rows] / residual[rows].std()
        )
    # the correction (1 everywhere) comes back in each series' own units
    assert_allclose(
        model.predict(panel) - plain.predict(panel), scales.loc[labels, 0] - 1.0
    )
    unseen = _panel([parts[1][:4]], ["new"])
    assert_allclose(model.predict(unseen) - plain.predict(unseen), residual.std() - 1.0)
    # not a panel: no scaling at all
    one = ResidualRegressor(**base, scale_residual="series")
    one.fit(_frame(parts[0]), parts[0][:, 0])
    assert one.residual_scale_ is None


def test_recipe_options_change_nothing_on_one_series():
    X_train, X_test, y_train, _ = train_test_split_series(
        load_airpassengers(), "passengers", n_test=12
    )
    preds = []
    for options in ({}, dict(scale_by_series=True, series_identity="onehot")):
        model = make_lstm_forecaster(
            target="passengers", m=12, log=True, **TINY, **options
        )
        preds.append(model.fit(X_train, y_train).predict(X_test))
    assert_array_equal(preds[0], preds[1])


@pytest.fixture(scope="module")
def panel_split():
    rng = np.random.default_rng(0)
    frames = {}
    for name, level in [("a", 100.0), ("b", 1e4), ("c", 1e6)]:
        t = np.arange(60.0)
        y = level * 1.01**t * (1 + 0.2 * np.sin(2 * np.pi * t / 12))
        x = 10 + rng.normal(0, 0.1, 60)
        frames[name] = _frame(np.column_stack([y * np.exp(rng.normal(0, 0.02, 60)), x]))
    return train_test_split_series(pd.concat(frames, names=["series"]), "y", n_test=12)


@pytest.fixture(scope="module")
def fitted_with_options(panel_split):
    X_train, _, y_train, _ = panel_split
    model = make_lstm_forecaster(
        target="y",
        m=12,
        log=True,
        scale_by_series=True,
        series_identity="onehot",
        **TINY,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X_train, y_train)


def test_recipe_options_on_a_panel(fitted_with_options, panel_split):
    _, X_test, _, y_test = panel_split
    model = fitted_with_options
    steps = dict(model.regressor_.steps)
    assert isinstance(steps["scale"], SeriesScaler)
    assert list(steps["identity"].series_) == ["a", "b", "c"]
    assert list(model.residual_scale_.index) == ["a", "b", "c"]
    pred = model.predict(X_test)
    assert np.all(np.abs(pred / y_test.to_numpy() - 1) < 0.3)
    labels = X_test.index.get_level_values(0)
    for name in ["a", "b", "c"]:  # a series' forecasts ignore the others
        assert_array_equal(model.predict(X_test.loc[[name]]), pred[labels == name])
    with pytest.raises(ValueError, match="series_identity='embedding'"):
        make_lstm_forecaster(target="y", series_identity="embedding")


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_recipe_options_do_not_look_ahead(fitted_with_options, panel_split, data):
    _, X_test, _, _ = panel_split
    first_b, second_b, t = data.draw(changed_after_t(X_test.loc["b"]))

    def with_b(part):
        parts = {"a": X_test.loc["a"], "b": part, "c": X_test.loc["c"]}
        return pd.concat(parts, names=["series"])

    first, second = with_b(first_b), with_b(second_b)
    out = [fitted_with_options.predict(p) for p in (first, second)]
    is_b = first.index.get_level_values(0) == "b"
    assert np.isfinite(out[0]).all()
    assert_array_equal(out[0][~is_b], out[1][~is_b])
    assert_array_equal(out[0][is_b][: t + 1], out[1][is_b][: t + 1])
