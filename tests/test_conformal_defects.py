"""ConformalForecaster: the interval defects of issue 34, one block per defect."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm.datasets import load_airpassengers
from sklstm.exceptions import PaddingWarning
from sklstm.forecasting import (
    AirlineForecaster,
    ConformalForecaster,
    NaiveForecaster,
    PanelTimeSeriesSplit,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    forecast,
    interval_scores,
    make_supervised,
    train_test_split_series,
)
from sklstm.preprocessing import LagFeatures


def _walk(n, seed=0):
    """A Gaussian random walk around 100, one column "v"."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"v": 100 + np.cumsum(rng.normal(size=n))})


# 6. adaptive intervals learn from out-of-sample errors only


def test_adaptive_forecast_of_a_random_walk_holds_the_nominal_share():
    """A forest fits its training rows almost exactly: their errors are no guide.

    ``forecast`` passes the whole history, training rows included; were their
    fitted errors revealed, the adaptive level would shrink the interval
    to the forest's in-sample error (it covered about half of the values).
    """
    walk = _walk(150)
    inside = []
    for origin in range(120, 150):
        history = walk.iloc[:origin]
        X, y = make_supervised(history, "v")
        forest = make_pipeline(
            LagFeatures(lags=[1, 2, 3]),
            RandomForestRegressor(n_estimators=10, random_state=0),
        )
        model = ConformalForecaster(forest, method="adaptive", target="v").fit(X, y)
        table = forecast(model, history, coverage=0.9)
        truth = walk["v"].iloc[origin]
        inside.append(table["lower"].iloc[0] <= truth <= table["upper"].iloc[0])
    assert np.mean(inside) >= 0.85


def test_training_rows_reveal_no_errors_to_the_adaptive_level():
    """Bounds after the training rows do not depend on the training rows given."""
    X, y = make_supervised(_walk(260, seed=3), "v")
    model = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method="adaptive", gamma=0.05
    ).fit(X[:200], y[:200])
    split = model.set_params(method="split").predict_interval(X[:200])
    model.set_params(method="adaptive")
    with_history = model.predict_interval(X)
    # training rows: nothing revealed, so the split bounds
    np.testing.assert_allclose(with_history[:200], split)
    # later rows: as if the frame started after the training rows
    np.testing.assert_allclose(with_history[200:], model.predict_interval(X[200:]))


# 8. adaptive intervals on short frames, and nested across coverages


def _ar_frame(n, seed=0, phi=0.7):
    """A Gaussian AR(1) series around 50, one column "v"."""
    rng = np.random.default_rng(seed)
    v = np.zeros(n)
    for i in range(1, n):
        v[i] = phi * v[i - 1] + rng.normal()
    return pd.DataFrame({"v": 50 + v})


def test_adaptive_intervals_of_a_frame_shorter_than_the_horizon():
    """Rows fewer than the steps ahead: no outcome is known yet for the last steps."""
    X, y = make_supervised(_ar_frame(400), "v", horizon=6)
    model = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method="adaptive"
    ).fit(X[:300], y[:300])
    whole = model.predict_interval(X[300:])
    for n_rows in (1, 3, 4, 5, 6):
        np.testing.assert_allclose(
            model.predict_interval(X[300 : 300 + n_rows]), whole[:n_rows]
        )


@pytest.mark.parametrize("seed", range(5))
def test_adaptive_bounds_nest_across_coverages(seed):
    """The 90 % interval holds the 80 % one on every row, even with a fast level."""
    X, y = make_supervised(_ar_frame(600, seed), "v")
    model = ConformalForecaster(
        RidgeLagForecaster(n_lags=2, target="v"), method="adaptive", gamma=0.05
    ).fit(X[:300], y[:300])
    levels = [0.9, 0.5, 0.8]  # any order
    bounds = model.predict_interval(X[300:500], coverage=levels)
    order = np.argsort(levels)
    lower, upper = bounds[:, 0, order], bounds[:, 1, order]
    assert np.all(np.diff(lower, axis=-1) <= 0)
    assert np.all(np.diff(upper, axis=-1) >= 0)
    # nesting widens a level to the narrower levels' bounds, never narrows it:
    # the lowest level is as alone, the others hold their bounds alone
    np.testing.assert_allclose(model.predict_interval(X[300:500], 0.5), bounds[..., 1])
    for i in (0, 2):
        alone = model.predict_interval(X[300:500], coverage=levels[i])
        assert np.all(bounds[:, 0, i] <= alone[:, 0])
        assert np.all(bounds[:, 1, i] >= alone[:, 1])


# 9. multi-step calibration folds: training targets end before validation targets


def _neg_mae(estimator, X, y):
    return -np.mean(np.abs(np.asarray(y) - estimator.predict(X)))


class _Recorder(RegressorMixin, BaseEstimator):
    """Predicts the last value; records the index labels it fits and predicts."""

    calls = []

    def __init__(self, target="v"):
        self.target = target

    def fit(self, X, y):
        _Recorder.calls.append(("fit", X.index))
        self.n_features_in_ = X.shape[1]
        self.n_steps_ = np.shape(y)[1] if np.ndim(y) == 2 else 1
        return self

    def predict(self, X):
        _Recorder.calls.append(("predict", X.index))
        return np.repeat(X[[self.target]].to_numpy(), self.n_steps_, axis=1)


def _calibration_calls(model, X, y):
    """``(fitted, predicted)`` labels of each calibration fit of ``model``."""
    _Recorder.calls = []
    model.fit(X, y)
    calls = _Recorder.calls[0 if model.prefit else 1 :]  # not the final fit
    return [
        (fit[1], pred[1]) for fit, pred in zip(calls[::2], calls[1::2], strict=True)
    ]


@pytest.mark.parametrize(
    "cv", [None, 4, "search"], ids=["default", "int", "a search's folds"]
)
@pytest.mark.parametrize("panel", [False, True], ids=["series", "panel"])
def test_calibration_training_targets_end_before_validation_targets(cv, panel):
    """Row t's targets are t+1..t+h: h-1 rows between a fold's two parts."""
    horizon = 6
    frame = _ar_frame(120)
    if panel:
        frame = pd.concat({"a": frame, "b": frame + 10}, names=["s", "t"])
    X, y = make_supervised(frame, "v", horizon=horizon)
    n_times = 120 - horizon
    estimator, search = _Recorder(), cv == "search"
    # the splitter whose validation rows the calibration scores
    n_splits, test_size = (3, 12) if search else (cv or 3, n_times // (2 * (cv or 3)))
    splitter = (PanelTimeSeriesSplit if panel else TimeSeriesSplit)(
        n_splits, test_size=test_size
    )
    if search:
        estimator = GridSearchCV(
            estimator, {"target": ["v"]}, cv=splitter, scoring=_neg_mae
        ).fit(X, y)
        cv = None
    model = ConformalForecaster(estimator, cv=cv, prefit=search)
    calls = _calibration_calls(model, X, y)
    folds = list(splitter.split(X))
    assert len(calls) == len(folds) == n_splits
    time = X.index.get_level_values(-1)
    for (fitted, predicted), (_, test) in zip(calls, folds, strict=True):
        validation = X.index[test]
        assert validation.isin(predicted).all()
        fitted_time = fitted.get_level_values(-1)
        # the last training target (time + h) is before the first validation
        # target (time + 1)
        assert fitted_time.max() + horizon < time[test].min() + 1
        # the rows predicted continue the training rows: none skipped, none before
        assert predicted.get_level_values(-1).min() == fitted_time.max() + 1
    # every validation row is scored: only training rows are left out
    assert len(model.errors_) == sum(len(test) for _, test in folds)


def test_calibration_predicts_validation_rows_from_the_rows_before_them():
    """The rows left out between a fold's parts feed a lagging forecaster."""
    X, y = make_supervised(_ar_frame(200), "v", horizon=6)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        model = ConformalForecaster(RidgeLagForecaster(n_lags=12, target="v"))
        model.fit(X, y)
    # the same errors by hand: fit before the gap, predict from the gap on
    errors = []
    for train, test in TimeSeriesSplit(3, test_size=32, gap=5).split(X):
        fitted = RidgeLagForecaster(n_lags=12, target="v").fit(
            X.iloc[train], y.iloc[train]
        )
        rows = slice(train[-1] + 1, test[-1] + 1)
        errors.append(y.iloc[test].to_numpy() - fitted.predict(X.iloc[rows])[5:])
    np.testing.assert_allclose(model.errors_, np.concatenate(errors))


# 7. a panel's intervals are calibrated per series


def _two_scale_panel(n=2200, seed=1):
    """Two AR(1) series around 100, of scales 1 and 20, indexed (s, t)."""
    frames = {
        "small": 100 + (_ar_frame(n, seed) - 50),
        "large": 100 + 20 * (_ar_frame(n, seed + 1) - 50),
    }
    return pd.concat(frames, names=["s", "t"])


def _coverage_and_width(bounds, truth, series, name):
    rows = series == name
    inside = (bounds[rows, 0] <= truth[rows]) & (truth[rows] <= bounds[rows, 1])
    return inside.mean(), np.mean(bounds[rows, 1] - bounds[rows, 0])


@pytest.fixture(scope="module")
def two_scale_model():
    X, y = make_supervised(_two_scale_panel(), "v")
    train = X.index.get_level_values("t") < 1200
    model = ConformalForecaster(NaiveForecaster(target="v"))
    return model.fit(X[train], y[train]), X[~train], y[~train]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_panel_intervals_follow_each_series_scale(seed):
    """One pooled quantile gave both series the width of neither."""
    X, y = make_supervised(_two_scale_panel(seed=seed), "v")
    train = X.index.get_level_values("t") < 1200
    model = ConformalForecaster(NaiveForecaster(target="v"))
    model.fit(X[train], y[train])
    bounds = model.predict_interval(X[~train])
    truth, series = y[~train].to_numpy(), X[~train].index.get_level_values("s")
    small, small_width = _coverage_and_width(bounds, truth, series, "small")
    large, large_width = _coverage_and_width(bounds, truth, series, "large")
    assert 0.85 <= small <= 0.95 and 0.85 <= large <= 0.95
    assert large_width >= 5 * small_width


def test_a_series_unseen_in_fit_gets_its_own_scale_from_its_history(
    two_scale_model,
):
    model, _, _ = two_scale_model
    new = pd.concat({"new": 100 + 5 * (_ar_frame(400, seed=7) - 50)}, names=["s", "t"])
    X_new, y_new = make_supervised(new, "v")
    bounds = model.predict_interval(X_new)
    assert np.isfinite(bounds).all()
    truth = y_new.to_numpy()
    inside = (bounds[:, 0] <= truth) & (truth <= bounds[:, 1])
    assert 0.85 <= inside[50:].mean() <= 0.95
    # the scale of row t comes from rows up to t: a change after t changes nothing
    changed = X_new.copy()
    changed.iloc[150:, 0] += 1000.0
    np.testing.assert_allclose(model.predict_interval(changed)[:150], bounds[:150])
    # the first row has no change yet: the median of the series' scales, so a
    # width between those of the small and the large series
    first = make_supervised(_two_scale_panel(n=10), "v")[0].iloc[[0, 10]]
    small, large = np.diff(model.predict_interval(first), axis=1)[:, 0]
    assert small < _widths(bounds)[0] < large


def _widths(bounds):
    return bounds[:, 1] - bounds[:, 0]


def test_a_series_without_calibration_errors_gets_its_change_scale():
    """A series that ends before the validation folds: its one-step change."""
    panel = _two_scale_panel(n=1200)
    short = pd.concat({"short": 100 + 3 * (_ar_frame(300, seed=9) - 50)})
    X, y = make_supervised(pd.concat([panel, short.rename_axis(["s", "t"])]), "v")
    model = ConformalForecaster(NaiveForecaster(target="v")).fit(X, y)
    assert "short" in model.series_scale_.index
    # the naive forecast's errors are the one-step changes: a ratio of 1
    np.testing.assert_allclose(model.scale_ratio_, [1.0], rtol=0.05)
    bounds = model.predict_interval(X)
    series = X.index.get_level_values("s")
    width = {name: _widths(bounds)[series == name].mean() for name in series.unique()}
    assert 2 < width["short"] / width["small"] < 4.5
    # a forecaster that names no target column: an unseen series gets the
    # median scale, not an error
    ridge = ConformalForecaster(Ridge()).fit(X, y)
    assert ridge.target_ is None
    new = make_supervised(pd.concat({"new": _ar_frame(50)}, names=["s", "t"]), "v")
    assert np.isfinite(ridge.predict_interval(new[0])).all()


# 10. log space from the data when the estimator does not say; non-negative bounds


def _airpassengers_cell():
    return train_test_split_series(load_airpassengers(), "passengers", n_test=36)


def _scores(model, X_test, y_test, y_train):
    bounds = model.predict_interval(X_test)
    return interval_scores(
        y_test, bounds[:, 0], bounds[:, 1], y_train=y_train, m=12, coverage=0.9
    )


def test_errors_that_grow_with_the_level_are_calibrated_in_log_space():
    """The seasonal naive forecast of AirPassengers errs in proportion to it."""
    X_train, X_test, y_train, y_test = _airpassengers_cell()
    history = X_train["passengers"].to_numpy()
    snaive = SeasonalNaiveForecaster(m=12, target="passengers")
    auto = ConformalForecaster(snaive).fit(X_train, y_train)
    raw = ConformalForecaster(snaive, log=False).fit(X_train, y_train)
    assert auto.log_ is True and raw.log_ is False
    chosen = _scores(auto, X_test, y_test, history)
    assert chosen["coverage"] >= 0.85  # raw errors: 0.78
    assert chosen["MSIS"] < _scores(raw, X_test, y_test, history)["MSIS"]


def test_errors_of_a_model_of_the_values_stay_raw():
    """Ridge on lags of the values: log errors would widen its intervals."""
    X_train, X_test, y_train, y_test = _airpassengers_cell()
    ridge = RidgeLagForecaster(n_lags=24, target="passengers")
    model = ConformalForecaster(ridge).fit(X_train, y_train)
    assert model.log_ is False
    np.testing.assert_allclose(
        model.predict_interval(X_test),
        ConformalForecaster(ridge, log=False)
        .fit(X_train, y_train)
        .predict_interval(X_test),
    )


def test_a_declared_log_is_kept():
    X_train, _, y_train, _ = _airpassengers_cell()
    for log in (False, True):
        airline = AirlineForecaster(m=12, target="passengers", log=log)
        assert ConformalForecaster(airline).fit(X_train, y_train).log_ is log


def test_bounds_of_a_non_negative_target_are_non_negative():
    """A count-like series that touches 0: no log, lower bounds clipped at 0."""
    v = np.maximum(0.0, 3 * (_ar_frame(300, seed=4, phi=0.8)["v"] - 50) + 2)
    assert (v == 0).mean() > 0.2
    X, y = make_supervised(pd.DataFrame({"v": v}), "v", horizon=3)
    model = ConformalForecaster(RidgeLagForecaster(n_lags=3, target="v"))
    model.fit(X[:200], y[:200])
    assert model.log_ is False
    bounds = model.predict_interval(X[200:], coverage=[0.5, 0.9])
    assert bounds.min() == 0.0
    # a target that was negative once keeps negative bounds
    X.iloc[5, 0] = y.iloc[4, 0] = -0.5
    model.fit(X[:200], y[:200])
    assert model.predict_interval(X[200:]).min() < 0


def test_a_log_space_chosen_from_the_data_says_so_when_a_value_is_not_positive():
    X_train, X_test, y_train, _ = _airpassengers_cell()
    snaive = SeasonalNaiveForecaster(m=12, target="passengers")
    model = ConformalForecaster(snaive, method="adaptive").fit(X_train, y_train)
    X_test = X_test.copy()
    X_test.iloc[3, 0] = 0.0
    with pytest.raises(ValueError, match="log='auto' \\(chosen from the calibration"):
        model.predict_interval(X_test)
    with pytest.raises(ValueError, match="log=True needs strictly positive"):
        model.set_params(log=True).fit(X_train, y_train).predict_interval(X_test)


def test_a_splitter_that_trains_after_its_validation_rows_is_named():
    from sklearn.model_selection import KFold

    X, y = make_supervised(_ar_frame(120), "v", horizon=3)
    model = ConformalForecaster(RidgeLagForecaster(n_lags=2, target="v"), cv=KFold(3))
    with pytest.raises(ValueError, match="cv=KFold.*fold 0 has no training row"):
        model.fit(X, y)
