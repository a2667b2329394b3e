"""Panels (MultiIndex (series, time)) through framing, splits, CV, scores, forecasts.

Every panel result is checked against the single-series function applied to
each series alone, or against values computed by hand.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm.forecasting import (
    NaiveForecaster,
    PanelTimeSeriesSplit,
    evaluate_forecaster,
    forecast,
    make_supervised,
    train_test_split_series,
)

# three series of different lengths and start dates; series k's values lie in
# [1000 k, 1000 k + 999], so a value taken from another series shows at once
LENGTHS = {"a": 30, "b": 45, "c": 38}
STARTS = {"a": "2020-01-01", "b": "2018-10-01", "c": "2019-06-01"}


def _series_frame(k, name):
    n = LENGTHS[name]
    steps = np.arange(n, dtype=np.float64)
    sales = 1000.0 * k + 10.0 + steps * (k + 1) + 3.0 * np.sin(steps * (k + 2))
    index = pd.date_range(STARTS[name], periods=n, freq="MS", name="month")
    return pd.DataFrame({"sales": sales, "price": 2.0 * steps + k}, index=index)


def _as_panel(frames):
    return pd.concat(frames, names=["store"])


@pytest.fixture(scope="module")
def frames():
    return {name: _series_frame(k, name) for k, name in enumerate(LENGTHS)}


@pytest.fixture(scope="module")
def panel(frames):
    return _as_panel(frames)


def _concat_per_series(frames, function):
    """Stack each output of ``function(frame)`` over the series, as a panel."""
    parts = {name: function(frame) for name, frame in frames.items()}
    n_outputs = len(next(iter(parts.values())))
    return [
        pd.concat({name: out[i] for name, out in parts.items()}, names=["store"])
        for i in range(n_outputs)
    ]


def _assert_same(result, expected):
    for got, want in zip(result, expected, strict=True):
        if isinstance(want, pd.Series):
            pd.testing.assert_series_equal(got, want)
        else:
            pd.testing.assert_frame_equal(got, want)


# --- framing and the protocol split ---------------------------------------------


@pytest.mark.parametrize("horizon", [1, 3])
def test_make_supervised_panel_is_per_series_framing(frames, panel, horizon):
    result = make_supervised(panel, "sales", horizon=horizon)
    expected = _concat_per_series(
        frames, lambda frame: make_supervised(frame, "sales", horizon=horizon)
    )
    _assert_same(result, expected)


def test_make_supervised_panel_hand_values(panel):
    X, y = make_supervised(panel, "sales", horizon=2)
    # each series loses its own last 2 rows, not the panel its last 2
    assert len(X) == sum(LENGTHS.values()) - 2 * len(LENGTHS)
    assert X.index.equals(y.index)
    for name in LENGTHS:
        sales = panel.loc[name, "sales"].to_numpy()
        np.testing.assert_array_equal(y.loc[name, "sales_h1"], sales[1:-1])
        np.testing.assert_array_equal(y.loc[name, "sales_h2"], sales[2:])
        np.testing.assert_array_equal(X.loc[name, "sales"], sales[:-2])
    # the last row of "a" forecasts a's own last values, not b's first ones
    last_a = y.loc["a"].iloc[-1].to_numpy()
    np.testing.assert_array_equal(last_a, panel.loc["a", "sales"].iloc[-2:])


def test_make_supervised_one_series_panel_equals_the_series(frames):
    X, y = make_supervised(_as_panel({"a": frames["a"]}), "sales", horizon=2)
    X1, y1 = make_supervised(frames["a"], "sales", horizon=2)
    np.testing.assert_array_equal(X.to_numpy(), X1.to_numpy())
    np.testing.assert_array_equal(y.to_numpy(), y1.to_numpy())
    assert X.index.get_level_values(1).equals(X1.index)


@pytest.mark.parametrize("n_test", [6, 0.2])
@pytest.mark.parametrize("horizon", [1, 4])
def test_split_panel_is_per_series_split(frames, panel, n_test, horizon):
    result = train_test_split_series(panel, "sales", horizon=horizon, n_test=n_test)
    expected = _concat_per_series(
        frames,
        lambda frame: train_test_split_series(
            frame, "sales", horizon=horizon, n_test=n_test
        ),
    )
    _assert_same(result, expected)


def test_split_panel_test_part_is_the_last_points_of_every_series(panel):
    n_test, horizon = 6, 3
    X_train, X_test, y_train, y_test = train_test_split_series(
        panel, "sales", horizon=horizon, n_test=n_test
    )
    for name, n in LENGTHS.items():
        sales = panel.loc[name, "sales"].to_numpy()
        n_train = n - n_test
        assert len(X_test.loc[name]) == n_test
        # no training target from the test part; the test rows continue the train
        assert y_train.loc[name].to_numpy().max() == sales[:n_train].max()
        assert len(X_train.loc[name]) == n_train - horizon
        # the scored origins' targets are the series' last n_test points
        scored = y_test.loc[name].iloc[horizon - 1 :, 0].to_numpy()
        np.testing.assert_array_equal(scored, sales[n_train : n - horizon + 1])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: p.iloc[np.r_[0:5, 40:45, 5:30]], "series 'a'.*not contiguous"),
        (lambda p: p.iloc[np.r_[1, 0, 2:30]], "series 'a'.*strictly increasing"),
        (lambda p: p.iloc[np.r_[0:30, 30:33, 32:75]], "series 'b'.*strictly"),
    ],
)
def test_panel_order_errors_name_the_series(panel, build, message):
    with pytest.raises(ValueError, match=message):
        make_supervised(build(panel), "sales")
    with pytest.raises(ValueError, match=message):
        train_test_split_series(build(panel), "sales", n_test=5)


def test_panel_length_errors_name_the_series(panel):
    with pytest.raises(ValueError, match=r"series 'a'.*horizon=30 must be smaller"):
        make_supervised(panel, "sales", horizon=30)
    with pytest.raises(ValueError, match=r"series 'a'.*n_test=30 must be"):
        train_test_split_series(panel, "sales", n_test=30)
    with pytest.raises(ValueError, match="horizon=0 must be an integer >= 1"):
        make_supervised(panel, "sales", horizon=0)


# --- the time-ordered CV splitter ---------------------------------------------


def _times(panel, rows):
    return panel.index.get_level_values(1)[rows]


@pytest.mark.parametrize(
    "params",
    [
        {"n_splits": 3},
        {"n_splits": 4, "test_size": 5, "gap": 2},
        {"n_splits": 3, "test_size": "last_half", "max_train_size": 20},
    ],
)
def test_panel_split_folds_follow_time_stamps(panel, params):
    cv = PanelTimeSeriesSplit(**params)
    times = np.sort(panel.index.get_level_values(1).unique())
    expected = TimeSeriesSplit(
        n_splits=params["n_splits"],
        test_size=len(times) // (2 * params["n_splits"])
        if params.get("test_size") == "last_half"
        else params.get("test_size"),
        gap=params.get("gap", 0),
        max_train_size=params.get("max_train_size"),
    ).split(times)
    folds = list(cv.split(panel))
    assert len(folds) == cv.get_n_splits() == params["n_splits"]
    for (train, test), (train_t, test_t) in zip(folds, expected, strict=True):
        # a test stamp never precedes a training stamp, in any series
        assert _times(panel, test).min() > _times(panel, train).max()
        # every row of every series at the fold's stamps, and no other row
        assert set(_times(panel, train)) == set(times[train_t])
        assert set(_times(panel, test)) == set(times[test_t])
        expected_test = panel.index.get_level_values(1).isin(times[test_t])
        np.testing.assert_array_equal(test, np.flatnonzero(expected_test))
        expected_train = panel.index.get_level_values(1).isin(times[train_t])
        np.testing.assert_array_equal(train, np.flatnonzero(expected_train))


def test_panel_split_differs_from_a_row_split(panel):
    # TimeSeriesSplit on the rows would test on series "a" while training on
    # the later stamps of series "b"; the panel splitter never does
    train, test = next(TimeSeriesSplit(n_splits=3).split(panel))
    assert _times(panel, test).min() < _times(panel, train).max()
    for train, test in PanelTimeSeriesSplit(n_splits=3).split(panel):
        assert _times(panel, test).min() > _times(panel, train).max()
        assert set(panel.index[test].get_level_values(0)) == set(LENGTHS)


def test_panel_split_rows_in_any_order(panel):
    shuffled = panel.sample(frac=1.0, random_state=0)
    for (train, test), (train_s, test_s) in zip(
        PanelTimeSeriesSplit(3).split(panel),
        PanelTimeSeriesSplit(3).split(shuffled),
        strict=True,
    ):
        assert set(panel.index[test]) == set(shuffled.index[test_s])
        assert set(panel.index[train]) == set(shuffled.index[train_s])


def test_panel_split_in_grid_search(panel):
    X, y = make_supervised(panel, "sales", horizon=1)
    search = GridSearchCV(
        Ridge(),
        {"alpha": [0.1, 10.0]},
        cv=PanelTimeSeriesSplit(n_splits=3),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    folds = list(PanelTimeSeriesSplit(n_splits=3).split(X))
    train, test = folds[0]
    model = Ridge(alpha=0.1).fit(X.iloc[train], y.iloc[train])
    mae = np.mean(np.abs(model.predict(X.iloc[test]) - y.iloc[test]))
    assert search.cv_results_["split0_test_score"][0] == pytest.approx(-mae)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_splits": 1}, "n_splits=1 must be an integer >= 2"),
        ({"n_splits": 2.0}, "n_splits=2.0 must be an integer"),
        ({"test_size": 0}, "test_size=0 must be None"),
        ({"test_size": "half"}, "test_size='half' must be None"),
        ({"gap": -1}, "gap=-1 must be an integer >= 0"),
        ({"max_train_size": 0}, "max_train_size=0 must be None or an integer"),
        ({"n_splits": 50}, "n_splits=50 .* more time stamps than the 46"),
        ({"n_splits": 3, "test_size": 10, "gap": 20}, "gap=20 need more time"),
    ],
)
def test_panel_split_errors_name_the_parameter(panel, params, message):
    with pytest.raises(ValueError, match=message):
        list(PanelTimeSeriesSplit(**params).split(panel))


def test_panel_split_rejects_a_single_series(frames):
    with pytest.raises(TypeError, match="X must be a panel.*DatetimeIndex"):
        list(PanelTimeSeriesSplit(3).split(frames["a"]))
    with pytest.raises(TypeError, match="X must be a panel.*ndarray"):
        list(PanelTimeSeriesSplit(3).split(np.zeros((10, 2))))


# --- evaluation ---------------------------------------------------------------


class _BandForecaster(RegressorMixin, BaseEstimator):
    """The naive forecast of column 0 with a fixed band: a row-wise interval model."""

    def __init__(self, half_width=5.0):
        self.half_width = half_width

    def fit(self, X, y):
        self.n_outputs_ = 1 if np.ndim(y) == 1 else np.shape(y)[1]
        return self

    def predict(self, X):
        values = np.asarray(X)[:, :1].astype(np.float64)
        pred = np.repeat(values, self.n_outputs_, axis=1)
        return pred[:, 0] if self.n_outputs_ == 1 else pred

    def predict_interval(self, X, coverage=0.9):
        pred = self.predict(X)
        return np.stack([pred - self.half_width, pred + self.half_width], axis=-1)


SCORES = ["MAE", "RMSE", "MASE", "MAPE"]


@pytest.mark.parametrize("horizon", [1, 3])
@pytest.mark.parametrize(
    "estimator", [NaiveForecaster(target="sales"), LinearRegression()]
)
def test_evaluate_panel_of_identical_series_equals_one_series(
    frames, estimator, horizon
):
    copies = _as_panel({name: frames["b"] for name in ("x", "y", "z")})
    kwargs = {"target": "sales", "horizon": horizon, "n_test": 8, "m": 2}
    single = evaluate_forecaster(estimator, frames["b"], **kwargs)
    result = evaluate_forecaster(estimator, copies, **kwargs)
    for name in SCORES:
        assert result[name] == pytest.approx(single[name], rel=1e-9)
    assert result["MASE_median"] == pytest.approx(single["MASE"], rel=1e-9)
    table = result["per_series"]
    assert list(table.index) == ["x", "y", "z"] and table.index.name == "store"
    for name in SCORES:
        np.testing.assert_allclose(table[name], single[name], rtol=1e-9)


@pytest.mark.parametrize("horizon", [1, 4])
def test_evaluate_panel_scores_each_series_on_its_own_scale(frames, panel, horizon):
    # the naive forecast is row-wise, so each series' forecasts are those of the
    # series alone; its scores must be too (own origins, own MASE scale)
    kwargs = {"target": "sales", "horizon": horizon, "n_test": 0.2, "m": 3}
    result = evaluate_forecaster(NaiveForecaster(target="sales"), panel, **kwargs)
    table = result["per_series"]
    for name, frame in frames.items():
        alone = evaluate_forecaster(NaiveForecaster(target="sales"), frame, **kwargs)
        for score in SCORES:
            assert table.loc[name, score] == pytest.approx(alone[score], rel=1e-12)
    # the series differ in scale by orders of magnitude in level, not in MASE
    assert result["MASE"] == pytest.approx(table["MASE"].mean())
    assert result["MASE_median"] == pytest.approx(table["MASE"].median())
    assert result["MAE"] == pytest.approx(table["MAE"].mean())
    assert table["MASE"].nunique() == 3


def test_evaluate_panel_fits_one_model_on_every_training_part(panel):
    result = evaluate_forecaster(
        LinearRegression(), panel, target="sales", n_test=6, return_estimator=True
    )
    X_train, _, y_train, _ = train_test_split_series(panel, "sales", n_test=6)
    expected = LinearRegression().fit(X_train, y_train)
    np.testing.assert_allclose(result["estimator"].coef_, expected.coef_)


def test_evaluate_panel_interval_scores(frames):
    copies = _as_panel({name: frames["c"] for name in ("x", "y")})
    kwargs = {"target": "sales", "horizon": 2, "n_test": 10, "coverage": 0.8}
    single = evaluate_forecaster(_BandForecaster(), frames["c"], **kwargs)
    result = evaluate_forecaster(_BandForecaster(), copies, **kwargs)
    assert 0 < single["coverage"] < 1
    for name in ("coverage", "width", "MSIS"):
        assert result[name] == pytest.approx(single[name])
        np.testing.assert_allclose(result["per_series"][name], single[name])


def test_evaluate_panel_errors_name_the_series(panel):
    gappy = panel.copy()
    gappy.loc[("c", gappy.loc["c"].index[3]), "sales"] = np.nan
    with pytest.raises(ValueError, match=r"1 missing values \(in series \['c'\]\)"):
        evaluate_forecaster(NaiveForecaster(target="sales"), gappy, target="sales")
    flat = panel.copy()
    flat.loc["b", "sales"] = 7.0
    with pytest.raises(ValueError, match="In series 'b' .*MASE scale is zero"):
        evaluate_forecaster(NaiveForecaster(target="sales"), flat, target="sales")


# --- forecasting past the end of every series ------------------------------------


@pytest.mark.parametrize("horizon", [1, 3])
def test_forecast_panel_is_each_series_forecast(frames, panel, horizon):
    X, y = make_supervised(panel, "sales", horizon=horizon)
    model = LinearRegression().fit(X, y)  # one global, row-wise model
    result = forecast(model, panel, name="sales")
    expected = pd.concat(
        {name: forecast(model, frame, name="sales") for name, frame in frames.items()},
        names=["store"],
    ).rename_axis(["store", "month"])  # the panel's level names
    pd.testing.assert_series_equal(result, expected)
    # each series continues from its own end (series end in different months)
    assert result.loc["c"].index[0] == pd.Timestamp("2022-08-01")
    assert result.loc["a"].index[0] == pd.Timestamp("2022-07-01")
    assert len(result) == horizon * len(LENGTHS)


def test_forecast_panel_intervals(frames, panel):
    X, y = make_supervised(panel, "sales", horizon=2)
    model = _BandForecaster(half_width=1.5).fit(X, y)
    result = forecast(model, panel, coverage=0.8, name="sales")
    expected = pd.concat(
        {
            name: forecast(model, frame, coverage=0.8, name="sales")
            for name, frame in frames.items()
        },
        names=["store"],
    ).rename_axis(["store", "month"])
    pd.testing.assert_frame_equal(result, expected)
    np.testing.assert_allclose(result["upper"] - result["lower"], 3.0)


def test_forecast_panel_with_integer_time_and_its_errors():
    panel = pd.DataFrame(
        {"sales": [1.0, 2.0, 3.0, 4.0, 7.0, 8.0, 9.0]},
        index=pd.MultiIndex.from_tuples(
            [("u", 0), ("u", 1), ("u", 2), ("u", 3), ("v", 10), ("v", 20), ("v", 30)]
        ),
    )
    X, y = make_supervised(panel, "sales")
    model = NaiveForecaster(target="sales").fit(X, y)
    result = forecast(model, panel)
    assert result.index.tolist() == [("u", 4), ("v", 40)]
    np.testing.assert_array_equal(result.to_numpy(), [4.0, 9.0])
    dated = panel.set_axis(
        pd.MultiIndex.from_arrays(
            [
                panel.index.get_level_values(0),
                pd.to_datetime(
                    [
                        "2024-01-01",
                        "2024-02-01",
                        "2024-03-01",
                        "2024-04-01",
                        "2024-01-01",
                        "2024-01-05",
                        "2024-03-01",
                    ]
                ),
            ]
        )
    )
    with pytest.raises(ValueError, match="In series 'v' .*without a frequency"):
        forecast(model, dated)
