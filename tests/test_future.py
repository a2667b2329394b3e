"""Columns known ahead: framing, no look-ahead, forecast(future=), log and clip steps.

``make_supervised(..., future=[col])`` adds ``col_ahead_k`` (the column at
t+k) to row t and nothing else; ``forecast(model, frame, future=...)``
rebuilds those columns for the last rows from the next values, checked.
The linear baselines and the recipe's preprocessing must let the values
through. No TensorFlow here (see tests/test_future_recipe.py).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklstm.exceptions import LogSpaceWarning
from sklstm.forecasting import (
    NaiveForecaster,
    RidgeLagForecaster,
    forecast,
    make_supervised,
    protocol_baselines,
    train_test_split_series,
)
from sklstm.preprocessing import CalendarFeatures, LogTransformer, OutlierClipper
from sklstm.recipe import select_baseline
from sklstm.recipe._build import resolve_log_columns

N, H = 30, 3


def _frame(n=N, seed=0):
    rng = np.random.default_rng(seed)
    index = pd.date_range("2024-01-01", periods=n, freq="D", name="day")
    promo = (rng.random(n) < 0.3) * 1.0
    return pd.DataFrame(
        {
            "sales": 50 + np.arange(n) + 10 * promo,
            "temp": rng.normal(10, 2, n),
            "promo": promo,
        },
        index=index,
    )


# --- framing, checked by hand ---


def test_future_columns_hold_the_values_at_the_steps_ahead():
    frame = pd.DataFrame(
        {"y": [1.0, 2.0, 3.0, 4.0, 5.0], "p": [0.0, 1.0, 0.0, 0.0, 1.0]},
        index=pd.date_range("2024-01-01", periods=5, freq="D"),
    )
    X, y = make_supervised(frame, "y", horizon=2, future="p")
    assert list(X.columns) == ["y", "p", "p_ahead_1", "p_ahead_2"]
    assert_array_equal(X["p"], [0.0, 1.0, 0.0])  # the column at t stays
    assert_array_equal(X["p_ahead_1"], [1.0, 0.0, 0.0])
    assert_array_equal(X["p_ahead_2"], [0.0, 0.0, 1.0])
    assert X.index.equals(frame.index[:3])  # the rows of today's framing
    X_plain, y_plain = make_supervised(frame, "y", horizon=2)
    assert X[["y", "p"]].equals(X_plain) and y.equals(y_plain)
    X_list, _ = make_supervised(frame, "y", horizon=2, future=["p"])
    assert X_list.equals(X)


def test_a_panel_takes_the_values_ahead_within_each_series():
    frame = _frame(8)
    panel = pd.concat({"a": frame, "b": frame * 2}, names=["store", "day"])
    X, _ = make_supervised(panel, "sales", horizon=2, future="promo")
    for label, factor in [("a", 1), ("b", 2)]:
        alone, _ = make_supervised(frame * factor, "sales", horizon=2, future="promo")
        assert_array_equal(X.loc[label].to_numpy(), alone.to_numpy())


def test_split_trains_on_values_ahead_up_to_the_end_of_the_train_part():
    frame = _frame()
    X_train, X_test, _, _ = train_test_split_series(
        frame, "sales", horizon=H, n_test=10, future="promo"
    )
    n_train = N - 10
    last = X_train.iloc[-1]  # row n_train - 1 - H
    assert last[f"promo_ahead_{H}"] == frame["promo"].iloc[n_train - 1]
    first_test = X_test.iloc[H - 1]  # the first scored origin o = n_train: row o - 1
    assert_array_equal(
        first_test[[f"promo_ahead_{k}" for k in range(1, H + 1)]],
        frame["promo"].iloc[n_train : n_train + H],
    )


@pytest.mark.parametrize(
    "future, match",
    [
        ("sales", "names the target 'sales'"),
        ("price", "'price' is not a column of frame; allowed: \\['temp', 'promo'\\]"),
        (["promo", "promo"], "names a column twice"),
        (3, "must be a column name or a list"),
    ],
)
def test_bad_future_columns_are_named(future, match):
    with pytest.raises(ValueError, match=match):
        make_supervised(_frame(), "sales", future=future)


def test_an_existing_ahead_column_is_not_overwritten():
    frame = _frame().assign(promo_ahead_1=0.0)
    with pytest.raises(
        ValueError, match="already has the column\\(s\\) \\['promo_ahead_1'"
    ):
        make_supervised(frame, "sales", horizon=2, future="promo")


# --- no look-ahead ---


@given(data=st.data())
def test_a_change_reaches_only_the_rows_that_see_it(data):
    """A change at time s reaches row s and, for a column known ahead, the rows
    s - k (k = 1..h) through their ``_ahead_k``; nothing else."""
    horizon = data.draw(st.integers(1, 5), label="horizon")
    column = data.draw(st.sampled_from(["sales", "temp", "promo"]), label="column")
    s = data.draw(st.integers(0, N - 1), label="s")
    frame = _frame()
    changed = frame.copy()
    changed.loc[changed.index[s], column] += data.draw(
        st.floats(0.5, 100.0), label="change"
    )
    X, y = make_supervised(frame, "sales", horizon=horizon, future="promo")
    X2, y2 = make_supervised(changed, "sales", horizon=horizon, future="promo")
    rows, cols = np.nonzero(X.to_numpy() != X2.to_numpy())
    cells = {(int(r), X.columns[c]) for r, c in zip(rows, cols, strict=True)}
    expected = {(s, column)} if s < len(X) else set()
    if column == "promo":
        expected |= {
            (s - k, f"promo_ahead_{k}")
            for k in range(1, horizon + 1)
            if 0 <= s - k < len(X)
        }
    assert cells == expected
    # the targets see the target column only, at t+1 .. t+h
    moved = np.nonzero((y.to_numpy() != y2.to_numpy()).reshape(len(y), -1))[0]
    assert set(moved) <= set(range(s - horizon, s))
    assert column == "sales" or len(moved) == 0


# --- forecast(future=) ---


@pytest.fixture(scope="module")
def fitted():
    """Ridge with future regressors fitted on the first N rows of N + H."""
    full = _frame(N + H)
    frame, plan = full.iloc[:N], full.iloc[N:][["promo"]]
    X, y = make_supervised(frame, "sales", horizon=H, future="promo")
    model = RidgeLagForecaster(n_lags=4, target="sales", exog=True).fit(X, y)
    return model, full, frame, plan


def test_forecast_builds_the_last_rows_as_the_framing_does(fitted):
    model, full, frame, plan = fitted
    result = forecast(model, frame, future=plan)
    assert result.index.equals(plan.index)
    X_full, _ = make_supervised(full, "sales", horizon=H, future="promo")
    assert_allclose(result.to_numpy(), model.predict(X_full)[N - 1], rtol=1e-12)
    # the plan matters: a promotion added at step 2 raises step 2 (Ridge reads it)
    other = plan.assign(promo=[0.0, 1.0 - plan["promo"].iloc[1], 0.0])
    assert forecast(model, frame, future=other).iloc[1] != result.iloc[1]
    # later rows and other columns of future are ignored
    longer = pd.concat([plan, plan.set_axis(plan.index + pd.Timedelta(days=H))])
    assert_array_equal(forecast(model, frame, future=longer.assign(x=1.0)), result)


def test_forecast_of_a_panel_takes_each_series_future(fitted):
    _, full, _, _ = fitted
    panel = pd.concat({"a": full, "b": full * 2}, names=["store", "day"])
    history = panel.groupby(level=0, group_keys=False).head(N)
    plan = panel.groupby(level=0, group_keys=False).tail(H)[["promo"]]
    X, y = make_supervised(history, "sales", horizon=H, future="promo")
    model = RidgeLagForecaster(n_lags=4, target="sales", exog=True).fit(X, y)
    result = forecast(model, history, future=plan)
    assert result.index.equals(plan.index)
    X_full, _ = make_supervised(panel, "sales", horizon=H, future="promo")
    rows = [N - 1, 2 * N - 1]  # each series' last origin in the full framing
    assert_allclose(result.to_numpy(), model.predict(X_full)[rows].ravel())
    with pytest.raises(ValueError, match="no row for series 'b' at time stamp"):
        forecast(model, history, future=plan.iloc[:-1])


def _shifted(plan):
    return plan.set_axis(plan.index + pd.Timedelta(days=1))


@pytest.mark.parametrize(
    "make_future, error, match",
    [
        (lambda p: None, ValueError, "fitted with the column\\(s\\) \\['promo'\\] "),
        (lambda p: p.iloc[:2], ValueError, "no row for time stamp 2024-02-02: it "),
        (_shifted, ValueError, "no row for time stamp 2024-01-31: .*holds 2024-02-01"),
        (
            lambda p: p.assign(promo=[0.0, np.nan, 1.0]),
            ValueError,
            "future\\['promo'\\] is NaN at time stamp 2024-02-01",
        ),
        (
            lambda p: p.rename(columns={"promo": "promotion"}),
            ValueError,
            "lacks the column\\(s\\) \\['promo'\\]",
        ),
        (lambda p: pd.concat([p, p]), ValueError, "two rows for time stamp"),
        (
            lambda p: p.reset_index(drop=True),
            ValueError,
            "indexed by a RangeIndex, frame by a DatetimeIndex",
        ),
        (lambda p: p.to_numpy(), TypeError, "must be a pandas DataFrame"),
    ],
)
def test_a_bad_future_gets_one_clear_error(fitted, make_future, error, match):
    model, _, frame, plan = fitted
    with pytest.raises(error, match=match):
        forecast(model, frame, future=make_future(plan))


def test_future_for_a_model_that_needs_none_is_refused(fitted):
    _, _, frame, plan = fitted
    X, y = make_supervised(frame, "sales", horizon=H)
    model = NaiveForecaster(target="sales").fit(X, y)
    with pytest.raises(ValueError, match="fitted without columns known ahead"):
        forecast(model, frame, future=plan)


def test_calendar_columns_need_no_future():
    """The calendar of t+1..t+h comes from the index: no ``future`` to give."""
    frame = _frame()
    calendar = CalendarFeatures(features=["dayofweek"], steps_ahead=H)
    calendar.set_output(transform="pandas")
    with_calendar = calendar.fit_transform(frame)
    assert "dayofweek_sin_ahead_1" in with_calendar.columns
    X, y = make_supervised(with_calendar, "sales", horizon=H)
    model = RidgeLagForecaster(n_lags=4, target="sales", exog=True).fit(X, y)
    assert len(forecast(model, with_calendar)) == H


# --- the baselines read the values ahead ---


def test_ridge_with_exog_reads_the_values_ahead_at_lag_0():
    """y(t+1) = 50 + 10 promo(t+1): only promo_ahead_1 (lag 0) tells it."""
    frame = _frame(120)
    frame["sales"] = 50 + 10 * frame["promo"]
    X, y = make_supervised(frame, "sales", future="promo")
    model = RidgeLagForecaster(n_lags=3, target="sales", exog=True).fit(X, y)
    low, high = X.copy(), X.copy()
    low.iloc[-1, low.columns.get_loc("promo_ahead_1")] = 0.0
    high.iloc[-1, high.columns.get_loc("promo_ahead_1")] = 1.0
    assert model.predict(high)[-1] - model.predict(low)[-1] == pytest.approx(
        10, abs=0.5
    )
    assert np.mean(np.abs(model.predict(X) - y)) < 0.5


def test_protocol_baselines_add_the_airline_regression():
    frame = _frame()
    names = list(protocol_baselines(frame, "sales", future=["promo"]))
    assert names[-1] == "airline model (m=1, log) + regression on promo"
    assert "RidgeCV lags 1..14 + exog lags" in names
    without = list(protocol_baselines(frame, "sales"))
    assert without == names[:-1]
    model = protocol_baselines(
        frame, "sales", future="promo", kinds="airline regression"
    )
    (estimator,) = model.values()
    assert estimator.exog and estimator.log


# --- the recipe's log and clip steps ---


def _planned():
    index = pd.date_range("2024-01-01", periods=6, freq="D")
    return pd.DataFrame(
        {
            "sales": [5.0, 6, 7, 8, 9, 10],
            "promo": [1.0, 1, 1, 1, 1, 0],  # > 0 in its rows at t ...
            "promo_ahead_1": [1.0, 1, 1, 1, 0, 1],  # ... not ahead
            "price": [2.0, 3, 4, 5, 6, 7],
            "price_ahead_1": [3.0, 4, 5, 6, 7, 8],
        },
        index=index,
    )


def test_a_column_and_its_ahead_columns_share_one_space():
    X = _planned().drop(columns="promo")
    X.insert(1, "promo", [1.0, 1, 1, 1, 1, 1])  # positive at t, 0 ahead once
    with pytest.warns(LogSpaceWarning) as caught:
        log = LogTransformer(columns=["sales"]).fit(X)
    names = np.asarray(X.columns)
    assert list(names[log.passthrough_columns_]) == ["promo", "promo_ahead_1"]
    assert list(names[log.log_columns_]) == ["sales", "price", "price_ahead_1"]
    assert "['promo' (with promo_ahead_1)]" in str(caught[0].message)


def test_the_tuned_recipe_names_a_flag_and_its_ahead_columns_once():
    frame = _frame()
    X, _ = make_supervised(frame, "sales", horizon=H, future="promo")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        columns = resolve_log_columns(X, "sales", "tune_lstm_forecaster")
    assert columns == ["sales", "temp"]
    (warning,) = [w for w in caught if issubclass(w.category, LogSpaceWarning)]
    assert "['promo' (with promo_ahead_1 .. promo_ahead_3)]" in str(warning.message)


def test_the_clip_step_keeps_a_sparse_flag():
    """A flag that is 1 in a fifth of the rows has Q1 = Q3 = 0: not an outlier."""
    flag = np.zeros((50, 1))
    flag[::5] = 1.0
    for method in ["iqr", "mad", "quantile"]:
        clipper = OutlierClipper(method=method, quantile_range=(5.0, 95.0))
        assert_array_equal(clipper.fit_transform(flag), flag)
        assert_array_equal(clipper.transform([[1.0], [0.0], [3.0]]), [[1], [0], [1]])
    constant = np.full((10, 1), 2.0)  # a constant column stays constant
    assert_array_equal(OutlierClipper().fit(constant).transform([[5.0]]), [[2.0]])
    one_percentile = OutlierClipper(method="quantile", quantile_range=(50.0, 50.0))
    assert_array_equal(one_percentile.fit(flag).transform([[1.0]]), [[0.0]])


def test_the_recipes_selection_tries_the_regression_on_the_values_ahead():
    frame = _frame(60)
    X, y = make_supervised(frame, "sales", horizon=2, future="promo")
    _, scores = select_baseline(X, y, target="sales")
    assert "arima(0,1,1) + regression" in scores
    assert "ridge(n_lags=8, exog)" in scores  # the values ahead at lag 0
    X, y = make_supervised(frame, "sales", horizon=2)
    _, scores = select_baseline(X, y, target="sales")
    assert not any("regression" in name for name in scores)
