"""The history-keeping baselines on panels (a MultiIndex (series, time)).

The per-series models (seasonal naive, airline) must equal one fit per series;
the global Ridge must equal one Ridge on the pooled per-series lag rows. Series
k's values lie in [1000 k, 1000 k + 999], so a value read from another series
shows at once.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm.exceptions import PaddingWarning, UnseenSeriesWarning
from sklstm.forecasting import (
    AirlineForecaster,
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    forecast,
    make_supervised,
    train_test_split_series,
)

LENGTHS = {"a": 48, "b": 72, "c": 60}
STARTS = {"a": "2015-01-01", "b": "2013-07-01", "c": "2016-03-01"}
HORIZON = 3
N_TEST = 10


def _series_frame(k, name):
    n = LENGTHS[name]
    t = np.arange(n, dtype=np.float64)
    season = (k + 2) * np.sin(2 * np.pi * t / 4)
    noise = np.random.default_rng(k).normal(scale=1.0 + k, size=n)
    sales = 1000.0 * k + 100.0 + (k + 1) * t + season + noise
    index = pd.date_range(STARTS[name], periods=n, freq="MS", name="month")
    return pd.DataFrame({"sales": sales, "price": 2.0 * t + k}, index=index)


@pytest.fixture(scope="module")
def frames():
    return {name: _series_frame(k, name) for k, name in enumerate(LENGTHS)}


@pytest.fixture(scope="module")
def panel(frames):
    return pd.concat(frames, names=["store"])


MODELS = {
    "naive": lambda: NaiveForecaster(target="sales"),
    "seasonal": lambda: SeasonalNaiveForecaster(m=4, target="sales"),
    "seasonal_add": lambda: SeasonalNaiveForecaster(
        m=4, target="sales", growth="additive"
    ),
    "airline": lambda: AirlineForecaster(m=4, target="sales"),
    "airline_log": lambda: AirlineForecaster(m=4, target="sales", log=True),
}
PER_SERIES = ["naive", "seasonal", "seasonal_add", "airline", "airline_log"]


def _per_series(frames, make, function):
    """``function(fitted_model, X_test)`` per series, each fitted alone, stacked."""
    parts = []
    for frame in frames.values():
        X_train, X_test, y_train, _ = train_test_split_series(
            frame, "sales", horizon=HORIZON, n_test=N_TEST
        )
        parts.append(function(make().fit(X_train, y_train), X_train, X_test))
    return parts


def _split(panel):
    return train_test_split_series(panel, "sales", horizon=HORIZON, n_test=N_TEST)


# --- per-series models: one fit per series -------------------------------------


@pytest.mark.parametrize("name", PER_SERIES)
def test_per_series_models_equal_one_fit_per_series(frames, panel, name):
    X_train, X_test, y_train, _ = _split(panel)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)  # every series continues
        model = MODELS[name]().fit(X_train, y_train)
        got_train, got_test = model.predict(X_train), model.predict(X_test)
    parts = _per_series(
        frames, MODELS[name], lambda m, Xtr, Xte: (m.predict(Xtr), m.predict(Xte))
    )
    np.testing.assert_array_equal(got_train, np.concatenate([p[0] for p in parts]))
    np.testing.assert_array_equal(got_test, np.concatenate([p[1] for p in parts]))


@pytest.mark.parametrize("name", ["seasonal", "airline"])
def test_per_series_state_is_documented_and_per_series(frames, panel, name):
    X_train, _, y_train, _ = _split(panel)
    model = MODELS[name]().fit(X_train, y_train)
    assert list(model.series_) == list(LENGTHS)
    assert not hasattr(model, "history_")  # it lives per series
    singles = _per_series(frames, MODELS[name], lambda m, *_: m)
    for label, single in zip(LENGTHS, singles, strict=True):
        state = model.series_state_[label]
        np.testing.assert_array_equal(state["history_"], single.history_)
        assert state["next_label_"] == single.next_label_
        if name == "airline":
            assert state["theta_"] == single.theta_
            assert state["seasonal_theta_"] == single.seasonal_theta_
            assert state["sigma2_"] == single.sigma2_


@pytest.mark.parametrize("coverage", [0.9, [0.5, 0.9]])
def test_airline_intervals_per_series(frames, panel, coverage):
    X_train, X_test, y_train, _ = _split(panel)
    model = AirlineForecaster(m=4, target="sales").fit(X_train, y_train)
    got = model.predict_interval(X_test, coverage=coverage)
    parts = _per_series(
        frames,
        MODELS["airline"],
        lambda m, _, Xte: m.predict_interval(Xte, coverage=coverage),
    )
    np.testing.assert_array_equal(got, np.concatenate(parts))
    # the widths differ by series: each has its own sigma2
    widths = got[:, 0, 1] - got[:, 0, 0] if got.ndim == 4 else got[:, 0, 1]
    assert len(np.unique(np.round(widths, 8))) >= 3


# --- the global Ridge: one model on the pooled per-series lag rows --------------


def _pooled_lag_rows(frames, n_lags):
    """Lag rows and targets of each series alone (lag 0 first), pooled."""
    lags, targets = [], []
    for frame in frames.values():
        X, y = make_supervised(frame, "sales", horizon=HORIZON)
        values = X["sales"].to_numpy()
        lags.append(sliding_window_view(values, n_lags)[:, ::-1])
        targets.append(y.to_numpy()[n_lags - 1 :])
    return np.concatenate(lags), np.concatenate(targets)


def test_global_ridge_equals_ridge_on_pooled_lag_rows(frames, panel):
    n_lags = 6
    X, y = make_supervised(panel, "sales", horizon=HORIZON)
    model = RidgeLagForecaster(n_lags=n_lags, target="sales").fit(X, y)
    lags, targets = _pooled_lag_rows(frames, n_lags)
    # every lag row lies in one series: its values share one thousand
    assert (np.ptp(lags // 1000, axis=1) == 0).all()
    assert len(lags) == sum(n - HORIZON - (n_lags - 1) for n in LENGTHS.values())
    alphas = np.logspace(-3, 3, 13)
    expected = make_pipeline(StandardScaler(), RidgeCV(alphas=alphas)).fit(
        lags, targets
    )
    ridge, want = model.estimator_[-1], expected[-1]
    assert ridge.alpha_ == want.alpha_
    np.testing.assert_allclose(ridge.coef_, want.coef_, rtol=1e-10)
    # in-sample: each series' first rows are padded as a single series' are
    singles = {
        label: RidgeLagForecaster(n_lags=n_lags, target="sales").fit(
            *make_supervised(frame, "sales", horizon=HORIZON)
        )
        for label, frame in frames.items()
    }
    pred = model.predict(X)
    start = 0
    for label, frame in frames.items():
        Xs, _ = make_supervised(frame, "sales", horizon=HORIZON)
        values = Xs["sales"].to_numpy()[:, None]
        padded = np.concatenate([np.repeat(values[:1], n_lags - 1, axis=0), values])
        from_pooled = expected.predict(
            sliding_window_view(padded[:, 0], n_lags)[:, ::-1]
        )
        np.testing.assert_allclose(pred[start : start + len(Xs)], from_pooled)
        np.testing.assert_array_equal(
            model.series_state_[label]["history_"], singles[label].history_
        )
        start += len(Xs)


def test_global_ridge_continues_each_series(frames, panel):
    n_lags = 6
    X_train, X_test, y_train, _ = _split(panel)
    model = RidgeLagForecaster(n_lags=n_lags, target="sales").fit(X_train, y_train)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        pred = model.predict(X_test)
    expected = []
    for label in LENGTHS:
        history = X_train.loc[label, "sales"].to_numpy()[-(n_lags - 1) :]
        values = np.concatenate([history, X_test.loc[label, "sales"].to_numpy()])
        lags = sliding_window_view(values, n_lags)[:, ::-1]
        expected.append(model.estimator_.predict(lags))
    np.testing.assert_allclose(pred, np.concatenate(expected), rtol=1e-12)


def test_global_ridge_skips_short_series_rows_like_a_single_series(frames, panel):
    """A series shorter than n_lags + 1 rows gives the global model no rows."""
    X, y = make_supervised(panel, "sales", horizon=HORIZON)
    model = RidgeLagForecaster(n_lags=60, target="sales").fit(X, y)  # 45, 69, 57
    X_b, y_b = make_supervised(frames["b"], "sales", horizon=HORIZON)
    alone = RidgeLagForecaster(n_lags=60, target="sales").fit(X_b, y_b)
    np.testing.assert_allclose(
        model.estimator_[-1].coef_, alone.estimator_[-1].coef_, rtol=1e-10
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)  # its own padding, as in fit
        assert np.isfinite(model.predict(X)).all()
    with pytest.raises(ValueError, match="In series 'a'.*too few.*every series"):
        RidgeLagForecaster(n_lags=70, target="sales").fit(X, y)


@pytest.mark.parametrize("name", ["seasonal", "airline"])
def test_a_series_with_no_known_target_is_named(panel, name):
    """The panel is validated once; each series' own checks still name it."""
    X, y = make_supervised(panel, "sales", horizon=HORIZON)
    y = y.copy()
    y.loc["b"] = np.nan
    with pytest.raises(ValueError, match="In series 'b' .*every target of y is NaN"):
        MODELS[name]().fit(X, y)


# --- unseen series, wrong kind of input ----------------------------------------


def _with_new_series(frames, X_test):
    frame = _series_frame(5, "c").iloc[-N_TEST:]  # levels 5100.., unseen "d"
    X_new, _ = make_supervised(frame, "sales", horizon=1)
    X_new = pd.concat({"d": X_new}, names=["store"])
    return pd.concat([X_test, X_new])


@pytest.mark.parametrize("name", ["seasonal", "ridge"])
def test_unseen_series_is_padded_and_named(frames, panel, name):
    X_train, X_test, y_train, _ = _split(panel)
    make = (
        MODELS[name]
        if name != "ridge"
        else lambda: RidgeLagForecaster(n_lags=6, target="sales")
    )
    model = make().fit(X_train, y_train)
    X_all = _with_new_series(frames, X_test)
    with pytest.warns(PaddingWarning) as record:
        pred = model.predict(X_all)
    padding = [w for w in record if issubclass(w.category, PaddingWarning)]
    assert len(padding) == 1
    message = str(padding[0].message)
    assert "1 of the 4 series" in message and "'d'" in message
    n_seen = len(X_test)
    np.testing.assert_array_equal(pred[:n_seen], model.predict(X_test))
    # the new series is forecast from its own rows alone, as a new frame is
    X_d = X_all.loc["d"]
    reference = make().fit(X_d, np.zeros((len(X_d), HORIZON)))
    if name == "ridge":
        reference.estimator_ = model.estimator_
    np.testing.assert_allclose(pred[n_seen:], reference.predict(X_d), rtol=1e-12)
    assert (pred[n_seen:] > 4000).all()


def test_airline_unseen_series_gets_its_seasonal_naive_forecast(frames, panel):
    """No model for a new series: its own seasonal naive forecast, no interval."""
    X_train, X_test, y_train, _ = _split(panel)
    model = AirlineForecaster(m=4, target="sales").fit(X_train, y_train)
    X_all = _with_new_series(frames, X_test)
    with pytest.warns(UnseenSeriesWarning, match=r"1 of the 4 series of X \('d'\)"):
        pred = model.predict(X_all)
    n_seen = len(X_test)
    np.testing.assert_array_equal(pred[:n_seen], model.predict(X_test))
    X_d = X_all.loc["d"]
    seasonal = SeasonalNaiveForecaster(m=4, target="sales")
    seasonal.fit(X_d, np.zeros((len(X_d), HORIZON)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PaddingWarning)
        np.testing.assert_array_equal(pred[n_seen:], seasonal.predict(X_d))
    with pytest.warns(UnseenSeriesWarning):
        bounds = model.predict_interval(X_all)
    assert np.isfinite(bounds[:n_seen]).all() and np.isnan(bounds[n_seen:]).all()


@pytest.mark.parametrize("name", ["seasonal", "airline", "ridge"])
def test_panel_and_single_series_do_not_mix(frames, panel, name):
    make = MODELS.get(name, lambda: RidgeLagForecaster(n_lags=6, target="sales"))
    X, y = make_supervised(panel, "sales", horizon=HORIZON)
    Xa, ya = make_supervised(frames["a"], "sales", horizon=HORIZON)
    on_panel = make().fit(X, y)
    with pytest.raises(ValueError, match="fitted on a panel"):
        on_panel.predict(Xa)
    with pytest.raises(ValueError, match="fitted on a single series"):
        make().fit(Xa, ya).predict(X)
    # refitting on the other kind drops the old kind's state
    refit = on_panel.fit(Xa, ya)
    assert not hasattr(refit, "series_state_") and hasattr(refit, "history_")
    refit = refit.fit(X, y)
    assert hasattr(refit, "series_state_") and not hasattr(refit, "history_")


# --- no look-ahead, no read across series --------------------------------------


ALL = [*PER_SERIES, "ridge"]


@pytest.mark.parametrize("name", ALL)
def test_no_look_ahead_and_no_cross_series_read(panel, name):
    make = MODELS.get(name, lambda: RidgeLagForecaster(n_lags=6, target="sales"))
    X, y = make_supervised(panel, "sales", horizon=HORIZON)
    model = make().fit(X, y)
    t = 30
    changed = X.copy()
    a_rows = np.flatnonzero(changed.index.get_level_values(0) == "a")
    changed.iloc[a_rows[t:], 0] += 500.0
    before, after = model.predict(X), model.predict(changed)
    untouched = np.ones(len(X), dtype=bool)
    untouched[a_rows[t:]] = False
    np.testing.assert_array_equal(before[untouched], after[untouched])
    assert not np.allclose(before[a_rows[t:]], after[a_rows[t:]])
    if name != "ridge":  # a per-series fit reads nothing of the other series
        refit = make().fit(changed, y)
        other = changed.index.get_level_values(0) != "a"
        np.testing.assert_array_equal(refit.predict(X)[other], before[other])


@pytest.mark.parametrize("name", ["seasonal_add", "airline"])
def test_forecast_panel_per_series(frames, panel, name):
    X, y = make_supervised(panel, "sales", horizon=HORIZON)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)  # every series continues
        got = forecast(MODELS[name]().fit(X, y), panel)
    for label, frame in frames.items():
        single = MODELS[name]().fit(*make_supervised(frame, "sales", horizon=HORIZON))
        want = forecast(single, frame)
        assert got.loc[label].index.tolist() == want.index.tolist()
        np.testing.assert_array_equal(got.loc[label].to_numpy(), want.to_numpy())
