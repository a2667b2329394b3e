"""ConformalForecaster: calibrated intervals for any forecaster; forecast/evaluate."""

import numpy as np
import pandas as pd
import pytest
from _lookahead import assert_predictions_do_not_look_ahead, series_frames
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm.datasets import load_airpassengers
from sklstm.forecasting import (
    AirlineForecaster,
    ConformalForecaster,
    NaiveForecaster,
    RidgeLagForecaster,
    evaluate_forecaster,
    forecast,
    interval_scores,
    make_supervised,
    train_test_split_series,
)
from sklstm.forecasting._conformal import conformal_quantile


def _ar_frame(n, seed=0, phi=0.7):
    """A Gaussian AR(1) series around 50, one column "v"."""
    rng = np.random.default_rng(seed)
    v = np.zeros(n)
    for i in range(1, n):
        v[i] = phi * v[i - 1] + rng.normal()
    return pd.DataFrame({"v": 50 + v}, index=pd.RangeIndex(n))


@pytest.mark.parametrize("method", ["split", "adaptive"])
@pytest.mark.parametrize("horizon", [1, 3])
def test_coverage_on_gaussian_ar_data_is_nominal(method, horizon):
    """90 % intervals hold 87-93 % of 4,000 new values, at every step."""
    X, y = make_supervised(_ar_frame(6000), "v", horizon=horizon)
    model = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method=method, cv=5
    ).fit(X[:2000], y[:2000])
    bounds = model.predict_interval(X[2000:]).reshape(len(X) - 2000, horizon, 2)
    truth = y[2000:].to_numpy().reshape(-1, horizon)
    inside = (bounds[..., 0] <= truth) & (truth <= bounds[..., 1])
    assert np.abs(inside.mean(axis=0) - 0.9).max() <= 0.03
    # and the intervals are not trivially wide: the 1-step half-width is near
    # the innovation sd's 1.645
    half = (bounds[:, 0, 1] - bounds[:, 0, 0]) / 2
    assert 1.5 < np.median(half) < 1.8


def test_conformal_quantile_is_the_finite_sample_rank():
    scores = np.arange(1.0, 11.0)  # 10 scores
    assert conformal_quantile(scores, 0.9) == 10.0  # ceil(11 * 0.9) = 10th
    assert conformal_quantile(scores, 0.5) == 6.0  # ceil(5.5) = 6th
    assert conformal_quantile(scores, 0.99) == 10.0  # rank 11 > n: the largest
    assert conformal_quantile(np.array([3.0, np.nan, 1.0]), 0.5) == 3.0


@pytest.fixture(scope="module")
def airline_intervals():
    frame = load_airpassengers()
    X, y = make_supervised(frame, "passengers", horizon=12)
    model = ConformalForecaster(
        AirlineForecaster(m=12, target="passengers", log=True)
    ).fit(X[:108], y[:108])
    return model, X[108:], frame


def test_bounds_are_monotone_in_coverage_and_bracket_the_forecast(airline_intervals):
    model, X_test, _ = airline_intervals
    bounds = model.predict_interval(X_test, coverage=[0.5, 0.8, 0.95])
    assert bounds.shape == (len(X_test), 12, 2, 3)
    point = model.predict(X_test)
    lower, upper = bounds[..., 0, :], bounds[..., 1, :]
    assert np.all(np.diff(lower, axis=-1) <= 0) and np.all(np.diff(upper, axis=-1) >= 0)
    assert np.all(lower[..., 0] <= point) and np.all(point <= upper[..., 0])
    # one coverage: the same bounds without the last axis
    np.testing.assert_allclose(
        model.predict_interval(X_test, coverage=0.8), bounds[..., 1]
    )


def test_log_space_bounds_are_positive_and_wider_above(airline_intervals):
    model, X_test, _ = airline_intervals
    assert model.log_ is True  # read from the airline model's log=True
    bounds = model.predict_interval(X_test)
    point = model.predict(X_test)
    assert np.all(bounds > 0)
    assert np.all(bounds[..., 1] - point > point - bounds[..., 0])
    np.testing.assert_allclose(
        np.log(bounds[..., 1]) - np.log(point), np.log(point) - np.log(bounds[..., 0])
    )


def test_forecast_with_coverage_returns_point_lower_upper(airline_intervals):
    model, _, frame = airline_intervals
    table = forecast(model, frame, coverage=0.9)
    assert list(table.columns) == ["passengers", "lower", "upper"]
    assert table.index[0] == pd.Timestamp("1961-01-01") and len(table) == 12
    assert (table["lower"] < table["passengers"]).all()
    assert (table["passengers"] < table["upper"]).all()
    pd.testing.assert_series_equal(
        table["passengers"], forecast(model, frame), check_freq=False
    )
    several = forecast(model, frame, coverage=[0.8, 0.95])
    assert list(several.columns) == [
        "passengers",
        "lower_0.8",
        "upper_0.8",
        "lower_0.95",
        "upper_0.95",
    ]
    assert (several["lower_0.95"] < several["lower_0.8"]).all()


def test_forecast_and_evaluate_without_intervals_say_how_to_get_them():
    frame = load_airpassengers()
    X, y = make_supervised(frame, "passengers")
    naive = NaiveForecaster(target="passengers").fit(X, y)
    with pytest.raises(TypeError, match="has no predict_interval.*ConformalForecaster"):
        forecast(naive, frame, coverage=0.9)
    with pytest.raises(TypeError, match="has no predict_interval.*ConformalForecaster"):
        evaluate_forecaster(
            NaiveForecaster(target="passengers"),
            frame,
            target="passengers",
            coverage=0.9,
        )


def test_evaluate_forecaster_scores_the_intervals():
    frame = load_airpassengers()
    model = ConformalForecaster(RidgeLagForecaster(n_lags=24, target="passengers"))
    result = evaluate_forecaster(
        model, frame, target="passengers", horizon=12, n_test=36, m=12, coverage=0.9
    )
    assert {"MASE", "coverage", "width", "MSIS"} <= set(result)
    # the same numbers by hand
    X_train, X_test, y_train, y_test = train_test_split_series(
        frame, "passengers", horizon=12, n_test=36
    )
    fitted = ConformalForecaster(
        RidgeLagForecaster(n_lags=24, target="passengers")
    ).fit(X_train, y_train)
    bounds = fitted.predict_interval(X_test)[11:]
    truth = y_test.to_numpy()[11:]
    expected = interval_scores(
        truth,
        bounds[..., 0],
        bounds[..., 1],
        y_train=frame["passengers"].to_numpy()[:108],
        m=12,
        coverage=0.9,
    )
    for name in ("coverage", "width", "MSIS"):
        assert result[name] == pytest.approx(expected[name])


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "a", True, [], [0.5, 1.0]])
def test_bad_coverages_are_named(bad, airline_intervals):
    model, X_test, frame = airline_intervals
    with pytest.raises(ValueError, match="coverage="):
        model.predict_interval(X_test, coverage=bad)
    with pytest.raises(ValueError, match="coverage="):
        forecast(model, frame, coverage=bad)
    X, y = make_supervised(frame, "passengers")
    with pytest.raises(ValueError, match="coverage"):
        ConformalForecaster(NaiveForecaster(), coverage=bad).fit(X, y)


def test_adaptive_needs_a_target_column():
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = X[:, 0] + 1
    with pytest.raises(ValueError, match="method='adaptive' reads the realized"):
        ConformalForecaster(Ridge(), method="adaptive").fit(X, y)


def test_adaptive_widens_after_misses_and_narrows_after_hits():
    """A test part whose errors triple: adaptive intervals widen, split do not."""
    X, y = make_supervised(_ar_frame(1500, seed=1), "v")
    split = ConformalForecaster(RidgeLagForecaster(n_lags=2, target="v")).fit(
        X[:1000], y[:1000]
    )
    adaptive = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method="adaptive"
    ).fit(X[:1000], y[:1000])
    # a noisier continuation: the level moves by three times the AR's steps
    noisy = _ar_frame(1500, seed=2, phi=0.0)["v"].to_numpy()
    X_new = X[1000:].copy()
    X_new["v"] = 50 + 3 * (noisy[1000 : 1000 + len(X_new)] - 50)
    truth = np.r_[X_new["v"].to_numpy()[1:], np.nan]
    for model, low, high in [(split, 0.0, 0.6), (adaptive, 0.85, 0.95)]:
        bounds = model.predict_interval(X_new)[:-1]
        inside = (bounds[:, 0] <= truth[:-1]) & (truth[:-1] <= bounds[:, 1])
        assert low <= inside[200:].mean() <= high
    widths = np.diff(adaptive.predict_interval(X_new), axis=1)[:, 0]
    assert widths[-1] > 2 * widths[0]


@pytest.fixture(scope="module")
def adaptive_model():
    X_train, y_train, X_test = series_frames()
    # the airline model in log space: positive forecasts from any positive input
    model = ConformalForecaster(
        AirlineForecaster(m=12, target="y", log=True), method="adaptive", gamma=0.1
    ).fit(X_train, y_train)
    return model, X_test


class _Bounds:
    """predict() returns the bounds, for the shared look-ahead property."""

    def __init__(self, model):
        self.model = model

    def predict(self, X):
        return self.model.predict_interval(X)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_adaptive_intervals_do_not_look_ahead(adaptive_model, data):
    model, X_test = adaptive_model
    assert_predictions_do_not_look_ahead(_Bounds(model), X_test, data)


def test_calibration_reuses_a_search_s_folds_and_prefit_is_not_refitted():
    X, y = make_supervised(_ar_frame(300), "v")
    search = GridSearchCV(
        RidgeLagForecaster(target="v"),
        {"n_lags": [1, 2]},
        cv=TimeSeriesSplit(2, test_size=40),
        scoring="neg_mean_absolute_error",
    )
    model = ConformalForecaster(search).fit(X, y)
    assert model.errors_.shape == (80, 1)  # the search's two folds of 40
    # calibrated with the chosen settings: the same errors as the best model's
    best = model.estimator_.best_estimator_
    errors = []
    for train, test in TimeSeriesSplit(2, test_size=40).split(X):
        fitted = RidgeLagForecaster(target="v", n_lags=best.n_lags).fit(
            X.iloc[train], y.iloc[train]
        )
        errors.append(y.iloc[test].to_numpy() - fitted.predict(X.iloc[test]))
    np.testing.assert_allclose(model.errors_[:, 0], np.concatenate(errors))
    # prefit: the given search predicts, nothing refits it
    prefit = ConformalForecaster(model.estimator_, prefit=True).fit(X, y)
    assert prefit.estimator_ is model.estimator_
    np.testing.assert_allclose(prefit.errors_, model.errors_)
    with pytest.raises(Exception, match="not fitted"):
        ConformalForecaster(RidgeLagForecaster(target="v"), prefit=True).fit(X, y)


def test_log_rejects_non_positive_values():
    frame = _ar_frame(200) - 50  # crosses zero
    X, y = make_supervised(frame, "v")
    with pytest.raises(ValueError, match="log=True .* strictly positive y"):
        ConformalForecaster(RidgeLagForecaster(target="v"), log=True).fit(X, y)


def _ar_panel():
    """Three Gaussian AR(1) series of different lengths and levels."""
    frames = []
    for i, n in enumerate((400, 450, 420)):
        frame = _ar_frame(n, seed=10 + i) + 100 * i
        frame.index = pd.MultiIndex.from_arrays(
            [[f"s{i}"] * n, pd.date_range("2000-01-01", periods=n, freq="D")],
            names=["series", "date"],
        )
        frames.append(frame)
    return pd.concat(frames)


def test_a_panel_is_calibrated_on_time_stamp_folds():
    """Folds of a panel split its shared time stamps, never its rows."""
    from sklstm.forecasting import PanelTimeSeriesSplit

    X, y = make_supervised(_ar_panel(), "v")
    model = ConformalForecaster(NaiveForecaster(target="v")).fit(X, y)
    folds = list(PanelTimeSeriesSplit(3, test_size="last_half").split(X))
    n_validation = sum(len(test) for _, test in folds)
    assert model.errors_.shape == (n_validation, 1)
    times = X.index.get_level_values(1)
    for train, test in folds:
        assert times[train].max() < times[test].min()
    # the naive forecast's errors are each series' own differences
    expected = np.concatenate(
        [y.to_numpy()[test] - X["v"].to_numpy()[test] for _, test in folds]
    )
    np.testing.assert_allclose(model.errors_[:, 0], expected)
    bounds = model.predict_interval(X)
    assert bounds.shape == (len(X), 2)
    with pytest.raises(ValueError, match="method='adaptive' .* panel"):
        ConformalForecaster(NaiveForecaster(target="v"), method="adaptive").fit(X, y)
    model.set_params(method="adaptive")
    with pytest.raises(ValueError, match="method='adaptive' .* panel"):
        model.predict_interval(X)
