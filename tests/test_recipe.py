"""The recipe: the issue's full Pipeline with LSTMRegressor, make/tune helpers."""

import numpy as np
import pandas as pd
import pytest
from _lookahead import changed_after_t, series_frames
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

import sklstm.recipe
from sklstm import (
    LagFeatures,
    LSTMRegressor,
    OutlierClipper,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)
from sklstm.compose import ResidualRegressor
from sklstm.datasets import load_airpassengers
from sklstm.forecasting import (
    NaiveForecaster,
    SeasonalNaiveForecaster,
    make_supervised,
    train_test_split_series,
)
from sklstm.recipe import make_lstm_forecaster, select_baseline, tune_lstm_forecaster


def _messy_frame(n=160, seed=0):
    """Two daily series with gaps and outliers; target 'load' in the hundreds."""
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    load = 500 + 50 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 5, n)
    temp = 20 + 5 * np.sin(2 * np.pi * t / 30) + rng.normal(0, 1, n)
    frame = pd.DataFrame(
        {"load": load, "temp": temp},
        index=pd.date_range("2024-01-01", periods=n, freq="D"),
    )
    frame.iloc[[10, 11, 40, 90], 1] = np.nan  # gaps in the feature
    frame.iloc[[25, 70], 0] = [5000.0, -3000.0]  # outliers in the target column
    return frame


def _full_pipeline(**lstm):
    return Pipeline(
        [
            ("impute", TimeSeriesImputer()),
            ("clip", OutlierClipper()),
            ("lags", LagFeatures(lags=2)),
            ("ma", RollingFeatures(windows=3, stats=("mean",))),
            ("scale", MinMaxScaler()),
            ("window", Windower(window=4)),
            ("lstm", LSTMRegressor(units=4, epochs=2, random_state=0, **lstm)),
        ]
    ).set_output(transform="pandas")


def test_issue_pipeline_fits_and_predicts_on_messy_dataframe():
    frame = _messy_frame()
    X, y = make_supervised(frame, "load")
    pipe = _full_pipeline().fit(X.iloc[:120], y.iloc[:120])
    pred = pipe.predict(X.iloc[120:])
    assert pred.shape == (len(X) - 120,)
    assert np.all(np.isfinite(pred))
    assert pipe[-1].n_timesteps_in_ == 4
    # 2 columns + 2 lags of each = 6, then a moving average of each of those 6
    assert pipe[-1].n_features_in_ == 12


def test_issue_grid_search_over_window_depth_units_dropout_l2():
    frame = _messy_frame()
    X, y = make_supervised(frame, "load")
    grid = GridSearchCV(
        _full_pipeline(),
        [
            {"window__window": [2, 4]},
            {"lstm__n_layers": [2], "lstm__units": [3]},
            {"lstm__dropout": [0.2], "lstm__l2": [1e-3]},
        ],
        cv=TimeSeriesSplit(3),
        scoring="neg_mean_absolute_error",
        error_score="raise",
    ).fit(X, y)
    # every searched parameter reaches the network: no two candidates tie
    scores = grid.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores)) and len(np.unique(scores)) == len(scores)


def test_make_lstm_forecaster_structure():
    seasonal = make_lstm_forecaster(target="y", m=12, log=True, baseline="seasonal")
    assert isinstance(seasonal, ResidualRegressor) and seasonal.log
    assert isinstance(seasonal.baseline, SeasonalNaiveForecaster)
    assert seasonal.baseline.growth == "multiplicative"
    steps = [name for name, _ in seasonal.regressor.steps]
    assert steps == [
        "impute",
        "clip",
        "log",
        "seasonal_diff",
        "diff",
        "moving_average",
        "scale",
        "window",
        "lstm",
    ]
    naive = make_lstm_forecaster(target="y", m=12, moving_average=None, units=7)
    assert isinstance(naive.baseline, NaiveForecaster)
    assert [n for n, _ in naive.regressor.steps] == [
        "impute",
        "clip",
        "diff",
        "scale",
        "window",
        "lstm",
    ]
    assert naive.regressor[-1].units == 7
    assert naive.regressor[-1].random_state == 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"m": 0}, "m=0 must be an int >= 1"),
        ({"window": 0}, "window=0 must be an int >= 1"),
        ({"baseline": "mean"}, "baseline='mean' must be 'naive' or 'seasonal'"),
        ({"baseline": "seasonal"}, "baseline='seasonal' needs a period m >= 2"),
        ({"moving_average": 1}, "moving_average=1 must be an int >= 2"),
    ],
)
def test_make_lstm_forecaster_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_lstm_forecaster(target="y", **kwargs)


def test_select_baseline_prefers_what_fits_the_series():
    X, y = make_supervised(load_airpassengers(), "passengers")
    best, scores = select_baseline(X, y, target="passengers", m=12, log=True)
    assert best == "seasonal" and scores["seasonal"] < scores["naive"]
    # a random walk: the last value is the better guess than last season's
    rng = np.random.RandomState(0)
    walk = pd.DataFrame({"v": np.cumsum(rng.normal(size=300))})
    Xw, yw = make_supervised(walk, "v")
    assert select_baseline(Xw, yw, target="v", m=12)[0] == "naive"
    assert select_baseline(Xw, yw, target="v", m=1)[1].keys() == {"naive"}


def test_tune_lstm_forecaster_picks_baseline_and_log(monkeypatch):
    monkeypatch.setitem(sklstm.recipe._LSTM_DEFAULTS, "epochs", 2)
    X_train, X_test, y_train, _ = train_test_split_series(
        load_airpassengers(), "passengers", n_test=36
    )
    search = tune_lstm_forecaster(
        X_train,
        y_train,
        target="passengers",
        m=12,
        param_grid={"regressor__lstm__units": [2, 3]},
        n_splits=2,
    )
    best = search.best_estimator_
    assert best.log is True  # strictly positive series
    assert isinstance(best.baseline, SeasonalNaiveForecaster)
    assert best.predict(X_test).shape == (36,)
    with pytest.raises(ValueError, match="budget='huge' is not one of"):
        tune_lstm_forecaster(X_train, y_train, target="passengers", budget="huge")
    with pytest.raises(ValueError, match="log='yes' must be True, False or 'auto'"):
        tune_lstm_forecaster(X_train, y_train, target="passengers", log="yes")


@pytest.fixture(scope="module")
def fitted_recipe():
    """The recipe as the README uses it (log, seasonal growth), tiny, fitted once."""
    X_train, y_train, X_test = series_frames()
    model = make_lstm_forecaster(
        target="y",
        m=12,
        log=True,
        baseline="seasonal",
        window=4,
        moving_average=3,
        units=3,
        epochs=2,
        random_state=0,
    )
    return model.fit(X_train, y_train), X_test


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_recipe_does_not_look_ahead(fitted_recipe, data):
    """Forecasts up to row t ignore the test part after t, covariate gaps included.

    A gap at row t is filled from the past (the imputer, continuing the
    training data); a backward fill would take the next row's value.
    """
    model, X_test = fitted_recipe
    first, second, t = data.draw(changed_after_t(X_test))
    out_first, out_second = model.predict(first), model.predict(second)
    assert np.isfinite(out_first).all()
    assert_array_equal(out_first[: t + 1], out_second[: t + 1])


def test_default_grids_are_valid_parameters():
    est = make_lstm_forecaster(target="y", m=12, baseline="seasonal")
    valid = set(est.get_params())
    for grid in sklstm.recipe.DEFAULT_PARAM_GRIDS.values():
        assert set(grid) <= valid


def test_sklstm_demo_command(monkeypatch, tmp_path, capsys):
    from sklstm.cli import main

    monkeypatch.setitem(sklstm.recipe._LSTM_DEFAULTS, "epochs", 2)
    monkeypatch.setitem(
        sklstm.recipe.DEFAULT_PARAM_GRIDS,
        "quick",
        {"regressor__lstm__units": [2], "regressor__window__window": [2, 4]},
    )
    out_png = tmp_path / "demo.png"
    assert main(["demo", "--budget", "quick", "--output", str(out_png)]) == 0
    out = capsys.readouterr().out
    for text in [
        "[1/5]",
        "LSTM(50, activation='relu')",  # the tutorial's model, first
        "[2/5] sklstm.diagnose",
        "[warning] unscaled_target",  # its diagnosis, printed
        "the accuracy ladder",
        "0. the tutorial's LSTM: MASE",
        "1. + scaled inputs and target: MASE",
        "4. + tuning (the sklstm recipe): MASE",
        "over 2 candidates",
        "fit 6/6",  # one progress line per fit
        "[5/5]",
        "seasonal naive + multiplicative growth (m=12)",
        "sklstm recipe (tuned LSTM)",
    ]:
        assert text in out, text
    assert out_png.stat().st_size > 10_000
