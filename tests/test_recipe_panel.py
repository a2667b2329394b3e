"""The recipe on panels (a MultiIndex (series, time)): one global model, no
read across series.

Series "c" lies three orders of magnitude above "a" and "b" and is shorter, so
statistics pooled over the rows (the clip step's bounds) come from the small
series and would clip it (it holds under a quarter of the rows).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from _lookahead import changed_after_t
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from pandas.testing import assert_frame_equal, assert_series_equal
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from sklstm.forecasting import (
    NaiveForecaster,
    PanelTimeSeriesSplit,
    forecast,
    make_supervised,
    train_test_split_series,
)
from sklstm.recipe import make_lstm_forecaster, select_baseline, tune_lstm_forecaster
from sklstm.recipe._folds import min_train_rows, min_train_size, recipe_folds

LEVELS = {"a": (100.0, 84), "b": (150.0, 84), "c": (1e5, 48)}
N_TEST = 12
TINY = dict(epochs=2, units=4, random_state=0)


def _series_frame(k, level, n):
    rng = np.random.default_rng(k)
    t = np.arange(n, dtype=np.float64)
    y = level * 1.01**t * (1 + 0.2 * np.sin(2 * np.pi * t / 12))
    y = y * np.exp(rng.normal(0, 0.01, n))
    x = 10 + np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.1, n)
    index = pd.date_range("2015-01-01", periods=n, freq="MS", name="month")
    return pd.DataFrame({"y": y, "x": x}, index=index)


@pytest.fixture(scope="module")
def frames():
    return {
        name: _series_frame(k, level, n)
        for k, (name, (level, n)) in enumerate(LEVELS.items())
    }


@pytest.fixture(scope="module")
def panel(frames):
    return pd.concat(frames, names=["series"])


def _feature_steps(model):
    """The recipe's steps before its (global) scaling, as an unfitted Pipeline."""
    steps = model.regressor.steps
    names = [name for name, _ in steps]
    return clone(Pipeline(steps[: names.index("scale")])).set_output(transform="pandas")


@pytest.mark.parametrize("baseline", ["seasonal", "naive"])
def test_panel_features_are_each_series_own(frames, panel, baseline):
    """Every step before scaling computes a series' features from it alone."""
    model = make_lstm_forecaster(target="y", m=12, log=True, baseline=baseline)
    X_panel, _ = make_supervised(panel, "y")
    pooled = _feature_steps(model).fit_transform(X_panel)
    for name, frame in frames.items():
        X, _ = make_supervised(frame, "y")
        alone = _feature_steps(model).fit_transform(X)
        assert_frame_equal(pooled.loc[name], alone, check_names=False, check_freq=False)


@pytest.fixture(scope="module")
def split(panel):
    return train_test_split_series(panel, "y", n_test=N_TEST)


@pytest.fixture(scope="module", params=["seasonal", "airline", "ridge", "naive"])
def fitted(request, split):
    X_train, _, y_train, _ = split
    model = make_lstm_forecaster(
        target="y", m=12, log=True, baseline=request.param, **TINY
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence of the tiny fits
        return model.fit(X_train, y_train)


def test_panel_predictions_shape_and_series_subsets(fitted, split):
    """One finite prediction per test row; a series' predictions are the same
    whether the other series are there or not."""
    _, X_test, _, y_test = split
    pred = fitted.predict(X_test)
    assert pred.shape == y_test.shape == (len(X_test),)
    assert np.isfinite(pred).all()
    labels = X_test.index.get_level_values(0)
    for name in LEVELS:
        alone = fitted.predict(X_test.loc[[name]])
        assert_array_equal(alone, pred[labels == name])
    # in log space the residual is a ratio: the large series is forecast on its
    # own scale (within 30 % of the truth even from a 2-epoch network)
    assert np.all(np.abs(pred / y_test.to_numpy() - 1) < 0.3)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_panel_change_in_one_series_moves_nothing_else(fitted, split, data):
    """Series a changed after its row t: b and c, and a up to t, do not move."""
    _, X_test, _, _ = split
    first_a, second_a, t = data.draw(changed_after_t(X_test.loc["a"]))

    def with_a(part):
        rest = X_test.drop(index="a", level=0)
        return pd.concat([pd.concat({"a": part}, names=["series"]), rest])

    first, second = with_a(first_a), with_a(second_a)
    out_first, out_second = fitted.predict(first), fitted.predict(second)
    is_a = first.index.get_level_values(0) == "a"
    assert np.isfinite(out_first).all()
    assert_array_equal(out_first[~is_a], out_second[~is_a])
    assert_array_equal(out_first[is_a][: t + 1], out_second[is_a][: t + 1])


def test_panel_forecast_is_indexed_by_series_and_future_time(fitted, panel):
    future = forecast(fitted, panel)
    ends = panel.index.to_frame(index=False).groupby("series")["month"].max()
    expected = pd.MultiIndex.from_arrays(
        [list(LEVELS), [end + pd.offsets.MonthBegin() for end in ends[list(LEVELS)]]]
    )
    assert future.index.equals(expected)
    assert np.isfinite(future.to_numpy()).all()


@pytest.fixture(scope="module")
def small_panel():
    """3 series x 60 months, of one length, framed and split (last 12 as test)."""
    frames = {
        name: _series_frame(k, level, 60)
        for k, (name, (level, _)) in enumerate(LEVELS.items())
    }
    return train_test_split_series(
        pd.concat(frames, names=["series"]), "y", n_test=N_TEST
    )


def test_panel_fold_sizes_are_per_series(small_panel):
    """Folds split time stamps; sizes count one series' rows, not pooled rows."""
    X_train = small_panel[0]
    folds = recipe_folds(X_train, 3)
    assert isinstance(folds, PanelTimeSeriesSplit)
    assert folds.test_size == "last_half"
    alone = X_train.loc["a"]
    assert min_train_size(X_train, 3) == min_train_size(alone, 3)
    assert min_train_size(alone, 3) == min_train_rows(len(alone), 3)


def test_select_baseline_on_a_panel_scores_time_stamp_folds(small_panel):
    X_train, _, y_train, _ = small_panel
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, scores = select_baseline(X_train, y_train, target="y", m=12, log=True)
    errors = []
    for train, test in PanelTimeSeriesSplit(3, test_size="last_half").split(X_train):
        model = NaiveForecaster(target="y").fit(
            X_train.iloc[train], y_train.iloc[train]
        )
        pred = pd.Series(model.predict(X_train.iloc[test]), y_train.index[test])
        # scale-free: each series' MAE over the mean absolute one-step change of
        # its validation targets, then the mean over series (not a pooled MAE,
        # which the largest series would decide alone)
        per_series = []
        for label, truth in y_train.iloc[test].groupby(level=0):
            error = np.mean(np.abs(pred.loc[label].to_numpy() - truth.to_numpy()))
            per_series.append(error / np.mean(np.abs(np.diff(truth.to_numpy()))))
        errors.append(np.mean(per_series))
    assert scores["naive"] == pytest.approx(np.mean(errors), rel=1e-12)
    assert "seasonal" in scores


def test_panel_scores_are_scale_free():
    from sklstm.recipe._folds import (
        mae_of_known_targets,
        panel_scaled_mae,
        panel_series_scores,
    )

    index = pd.MultiIndex.from_product([["small", "big"], range(4)])
    y = pd.DataFrame({"h1": [1.0, 2, 4, 3, 1000, 3000, 2000, 4000]}, index=index)
    y["h2"] = y["h1"] * 2
    pred = y + np.array([[1, 1]] * 4 + [[100, -100]] * 4)
    # small: MAE 1, scale mean(|1, 2, -1|) = 4/3; big: MAE 100, scale 5000/3
    expected = (1 / (4 / 3) + 100 / (5000 / 3)) / 2
    assert panel_scaled_mae(y, pred) == pytest.approx(expected)
    assert mae_of_known_targets(y, pred) == pytest.approx(expected)
    # multiplying one series by 1000 changes nothing
    scaled = y.copy()
    scaled.loc["small"] = scaled.loc["small"].to_numpy() * 1000
    scaled_pred = pred.copy()
    scaled_pred.loc["small"] = scaled_pred.loc["small"].to_numpy() * 1000
    assert panel_scaled_mae(scaled, scaled_pred) == pytest.approx(expected)
    # unknown targets are left out; a series without two known ones too
    y.iloc[[0, 4, 5, 6]] = np.nan
    rest = y.loc["small"].iloc[1:]
    expected = 1 / np.mean(np.abs(np.diff(rest["h1"])))
    assert panel_scaled_mae(y, pred) == pytest.approx(expected)
    # one series: the plain MAE, as before
    assert mae_of_known_targets(y.loc["big"].iloc[3:], pred.loc["big"].iloc[3:]) == 100
    # rows of a series need not be one block: each series' rows in order
    order = [0, 4, 1, 5, 2, 6, 3, 7]
    interleaved = panel_series_scores(y.iloc[order], pred.iloc[order])
    assert_series_equal(interleaved, panel_series_scores(y, pred))


def test_tune_on_a_panel(small_panel):
    X_train, X_test, y_train, y_test = small_panel
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = tune_lstm_forecaster(
            X_train,
            y_train,
            target="y",
            m=12,
            budget="quick",
            param_grid={"regressor__window__window": [4]},
            n_splits=2,
            **TINY,
        )
    assert isinstance(search.cv, PanelTimeSeriesSplit)
    assert search.baseline_scores_
    pred = search.best_estimator_.predict(X_test)
    assert pred.shape == (len(X_test),)
    assert np.isfinite(pred).all()
