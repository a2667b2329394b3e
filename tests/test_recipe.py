"""The recipe: the issue's full Pipeline with LSTMRegressor, make/tune helpers."""

import numpy as np
import pandas as pd
import pytest
from _lookahead import assert_predictions_do_not_look_ahead, series_frames
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.base import clone
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
from sklstm.compose import ResidualRegressor, SeedAveragingRegressor
from sklstm.datasets import load_airpassengers
from sklstm.forecasting import (
    AirlineForecaster,
    CombinedForecaster,
    NaiveForecaster,
    RidgeLagForecaster,
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
    # seasonal differences carry the season: no seasonal lags there; with the
    # other baselines, the values one and two seasons before the forecast step
    ridge12 = make_lstm_forecaster(target="y", m=12, baseline="ridge")
    assert ridge12.regressor.named_steps["seasonal_lags"].lags == [11, 23]
    naive = make_lstm_forecaster(
        target="y", m=12, moving_average=None, seasonal_lags=None, units=7
    )
    assert isinstance(naive.baseline, NaiveForecaster)
    assert [n for n, _ in naive.regressor.steps] == [
        "impute",
        "clip",
        "diff",
        "scale",
        "window",
        "lstm",
    ]
    averaged = naive.regressor[-1]
    assert isinstance(averaged, SeedAveragingRegressor)
    assert averaged.n_estimators == 1 and averaged.random_state == 0
    assert averaged.estimator.units == 7
    # several periods: lags of each, the seasonal baseline of the longest
    multi = make_lstm_forecaster(target="y", m=(4, 1, 10))
    assert multi.regressor.named_steps["seasonal_lags"].lags == [3, 7, 9, 19]
    multi = make_lstm_forecaster(target="y", m=(4, 1, 10), baseline="seasonal")
    assert multi.baseline.m == 10
    assert multi.regressor.named_steps["seasonal_diff"].period == 10
    assert "seasonal_lags" not in multi.regressor.named_steps
    given = make_lstm_forecaster(target="y", m=(4, 10), seasonal_lags=[2])
    assert given.regressor.named_steps["seasonal_lags"].lags == [2]
    ridge = make_lstm_forecaster(target="y", m=(4, 10), baseline="ridge")
    assert isinstance(ridge.baseline, RidgeLagForecaster)
    assert ridge.baseline.n_lags == 20
    assert make_lstm_forecaster(target="y", baseline="ridge").baseline.n_lags == 16
    airline = make_lstm_forecaster(target="y", m=(4, 10), log=True, baseline="airline")
    assert isinstance(airline.baseline, AirlineForecaster)
    assert (airline.baseline.m, airline.baseline.log) == (10, True)
    assert "seasonal_diff" not in airline.regressor.named_steps  # inputs of "naive"
    assert make_lstm_forecaster(target="y", baseline="airline").baseline.m == 1
    given = RidgeLagForecaster(n_lags=5, target="y", exog=True)
    assert make_lstm_forecaster(target="y", baseline=given).baseline is given


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"m": 0}, r"m=0 must be a seasonal period \(an int >= 1\)"),
        ({"m": (12, 0)}, r"m=\(12, 0\) must be a seasonal period"),
        ({"m": []}, r"m=\[\] must be a seasonal period"),
        ({"window": 0}, "window=0 must be an int >= 1"),
        ({"n_seeds": 0}, "n_seeds=0 must be an int >= 1"),
        ({"seasonal_lags": "yes"}, "seasonal_lags='yes' must be 'auto'"),
        ({"seasonal_lags": [0]}, "each of seasonal_lags=0 must be an int >= 1"),
        ({"baseline": 3}, "baseline=3 must be 'naive', 'seasonal', 'ridge', 'airline'"),
        (
            {"baseline": "mean"},
            "baseline='mean' must be 'naive', 'seasonal', 'ridge', 'airline' or an",
        ),
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
    # a seasonal series: last season beats the last value, and a linear model on
    # the seasonal differences (ARIMA-like) beats both
    assert scores["seasonal"] < scores["naive"]
    assert scores["ridge on seasonal differences(n_lags=8)"] < scores["seasonal"]
    assert scores["airline(m=12)"] < scores["seasonal"]
    # and the mean of the two beats either alone
    assert best == "ridge on seasonal differences(n_lags=8) + airline(m=12)"
    assert scores[best] == min(scores.values()) < scores["airline(m=12)"]
    # a random walk: the last value is the better guess than last season's
    rng = np.random.RandomState(0)
    walk = pd.DataFrame({"v": np.cumsum(rng.normal(size=300))})
    Xw, yw = make_supervised(walk, "v")
    _, walk_scores = select_baseline(Xw, yw, target="v", m=12)
    assert walk_scores["naive"] < walk_scores["seasonal"]
    singles = {
        "naive",
        "arima(0,1,1)",
        *(f"ridge(n_lags={k})" for k in (8, 16, 32)),
        *(f"ridge on differences(n_lags={k})" for k in (8, 16, 32)),
    }
    walk_scores = select_baseline(Xw, yw, target="v", m=1)[1]
    assert {name for name in walk_scores if " + " not in name} == singles
    # plus the pairs of the 6 best singles
    assert len(walk_scores) == len(singles) + 15


def test_select_baseline_candidates_follow_the_data():
    """Periods, twice the periods and exogenous lags, within the folds' rows."""
    rng = np.random.RandomState(0)
    t = np.arange(400)
    frame = pd.DataFrame(
        {
            "v": np.sin(2 * np.pi * t / 7) + 0.1 * rng.normal(size=400),
            "x": rng.normal(size=400),
        }
    )
    X, y = make_supervised(frame, "v")
    _, scores = select_baseline(X, y, target="v", m=(7, 20), n_splits=3)
    # validation on the last half: the smallest training fold has 201 rows;
    # lags on levels up to 100, differenced lags + 21 up to 150
    assert {name for name in scores if " + " not in name} == {
        "naive",
        "seasonal(m=7)",
        "seasonal",
        "airline(m=7)",
        "airline(m=20)",
        *(
            f"ridge(n_lags={k}{e})"
            for k in (7, 8, 14, 16, 20, 32, 40)
            for e in ("", ", exog")
        ),
        *(
            f"ridge on {d}differences(n_lags={k})"
            for k in (8, 15, 16, 21, 32, 41)
            for d in ("", "seasonal ")
        ),
    }
    # an AR series: Ridge on its lags beats the naive and seasonal guesses
    ar = np.zeros(400)
    for i in range(2, 400):
        ar[i] = 0.6 * ar[i - 1] - 0.3 * ar[i - 2] + rng.normal()
    Xa, ya = make_supervised(pd.DataFrame({"v": ar}), "v")
    assert select_baseline(Xa, ya, target="v", m=4)[0].startswith("ridge")


def test_select_baseline_scores_pairs_as_the_mean_of_their_forecasts():
    """A pair's score is the fold MAE of the mean forecast; it is refitted so."""
    X, y = make_supervised(load_airpassengers(), "passengers")
    name, scores, estimator = sklstm.recipe._selection._select_baseline(
        X, y, target="passengers", m=12, log=True, n_splits=3
    )
    first, second = name.split(" + ")
    candidates = sklstm.recipe._baselines._baseline_candidates(
        X, target="passengers", periods=(12,), log=True, n_splits=3
    )
    errors = []
    for train, test in sklstm.recipe._folds.recipe_cv(len(X), 3).split(X):
        fitted = [
            clone(candidates[k]).fit(X.iloc[train], y.iloc[train])
            for k in (first, second)
        ]
        mean = (fitted[0].predict(X.iloc[test]) + fitted[1].predict(X.iloc[test])) / 2
        errors.append(np.mean(np.abs(mean - y.iloc[test].to_numpy())))
    assert scores[name] == pytest.approx(np.mean(errors))
    # pairs come from the 6 best single candidates only
    singles = sorted((k for k in scores if " + " not in k), key=scores.get)
    pairs = {tuple(k.split(" + ")) for k in scores if " + " in k}
    assert len(pairs) == 15
    assert {k for pair in pairs for k in pair} == set(singles[:6])
    # the fitted pair predicts the mean of its two members
    model = clone(estimator).fit(X[:100], y[:100])
    members = [clone(candidates[k]).fit(X[:100], y[:100]) for k in (first, second)]
    np.testing.assert_allclose(
        model.predict(X[100:]),
        (members[0].predict(X[100:]) + members[1].predict(X[100:])) / 2,
    )
    with pytest.raises(ValueError, match=r"estimators=\(\) must name at least one"):
        CombinedForecaster().fit(X, y)


def test_select_baseline_leaves_out_a_candidate_that_cannot_fit(monkeypatch):
    X, y = make_supervised(load_airpassengers(), "passengers")
    real = sklstm.recipe._selection._baseline_candidates

    def with_a_broken_one(*args, **kwargs):
        return {**real(*args, **kwargs), "broken": RidgeLagForecaster(n_lags=500)}

    monkeypatch.setattr(
        sklstm.recipe._selection, "_baseline_candidates", with_a_broken_one
    )
    with pytest.warns(UserWarning, match="left out the candidate 'broken': n_samples"):
        _, scores = select_baseline(X, y, target="passengers", m=12)
    assert "broken" not in scores and "naive" in scores
    monkeypatch.setattr(
        sklstm.recipe._selection,
        "_baseline_candidates",
        lambda *a, **k: {"broken": RidgeLagForecaster(n_lags=500)},
    )
    with pytest.raises(ValueError, match="no baseline candidate could be fitted"):
        with pytest.warns(UserWarning):
            select_baseline(X, y, target="passengers", m=12)


def test_differenced_ridge_is_linear_on_the_differences():
    """On an AR(1) in the differences its forecast is that AR(1)'s."""
    rng = np.random.RandomState(0)
    d = np.zeros(600)
    for i in range(1, 600):
        d[i] = 0.7 * d[i - 1] + 0.01 * rng.normal()
    frame = pd.DataFrame({"v": 100 + np.cumsum(d)})
    X, y = make_supervised(frame, "v")
    model = sklstm.recipe._baselines._differenced_ridge(target="v", n_lags=2, log=False)
    model.fit(X[:500], y[:500])
    pred = model.predict(X[500:])
    level, diff = X["v"].to_numpy()[500:], np.diff(X["v"].to_numpy())[499:]
    np.testing.assert_allclose(pred, level + 0.7 * diff, atol=0.01)


def test_differenced_ridge_never_learns_the_warm_up_padding():
    """Rows without their full lag history are left out of the Ridge's fit."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(50, 3))
    y = X @ [1.0, -2.0, 0.5]
    X_gappy, y_gappy = X.copy(), y.copy()
    X_gappy[:10, 1] = np.nan  # the warm-up rows
    y_gappy[:10] = 1e6  # would dominate the fit if used
    ridge = sklstm.recipe._baselines._RidgeOnCompleteRows().fit(X_gappy, y_gappy)
    clean = sklstm.recipe._baselines._RidgeOnCompleteRows().fit(X[10:], y[10:])
    np.testing.assert_allclose(ridge.predict(X[10:]), clean.predict(X[10:]))
    # unknown features at predict time count as the (scaled) mean, 0
    np.testing.assert_allclose(
        ridge.predict(X_gappy[:1]), ridge.predict(np.nan_to_num(X_gappy[:1]))
    )
    with pytest.raises(ValueError, match="No training row has its full history"):
        sklstm.recipe._baselines._RidgeOnCompleteRows().fit(
            np.full((5, 2), np.nan), y[:5]
        )


def test_tune_lstm_forecaster_picks_baseline_and_log(shrinkage_search):
    search, X_test, _ = shrinkage_search
    X_train, _, y_train, _ = train_test_split_series(
        load_airpassengers(), "passengers", n_test=36
    )
    best = search.best_estimator_
    assert best.log is True  # strictly positive series
    # the baseline select_baseline found best, on the same folds
    scores = search.baseline_scores_
    chosen = sklstm.recipe._selection._select_baseline(
        X_train,
        y_train,
        target="passengers",
        m=12,
        log=True,
        n_splits=2,
        log_columns=["passengers"],  # tune decides them once, on all of X
    )[2]
    assert (
        best.baseline.get_params(deep=False).keys()
        == chosen.get_params(deep=False).keys()
    )
    assert repr(best.baseline) == repr(chosen)
    assert scores[min(scores, key=scores.get)] < scores["seasonal"]
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
    assert_predictions_do_not_look_ahead(model, X_test, data)


@pytest.fixture(scope="module")
def fitted_seasonal_recipe():
    """Seasonal lags of two periods, a combined baseline, two seeds.

    The baseline is what select_baseline can choose: the mean of the airline
    model and a differenced Ridge.
    """
    X_train, y_train, X_test = series_frames()
    baseline = CombinedForecaster(
        estimators=[
            (
                "ridge",
                sklstm.recipe._baselines._differenced_ridge(
                    target="y", n_lags=13, log=True, period=12
                ),
            ),
            ("airline", AirlineForecaster(m=12, target="y", log=True)),
        ]
    )
    model = make_lstm_forecaster(
        target="y",
        m=(3, 12),
        log=True,
        baseline=baseline,
        window=4,
        moving_average=3,
        units=3,
        epochs=2,
        n_seeds=2,
        shrinkage=0.5,
        random_state=0,
    )
    assert model.regressor.named_steps["seasonal_lags"].lags == [2, 5, 11, 23]
    return model.fit(X_train, y_train), X_test


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_seasonal_recipe_does_not_look_ahead(fitted_seasonal_recipe, data):
    """The seasonal lags and the combined baseline are causal too."""
    model, X_test = fitted_seasonal_recipe
    assert_predictions_do_not_look_ahead(model, X_test, data)


def test_default_grids_are_valid_parameters():
    est = make_lstm_forecaster(target="y", m=12, baseline="seasonal")
    valid = set(est.get_params())
    for grid in sklstm.recipe.DEFAULT_PARAM_GRIDS.values():
        assert set(grid) <= valid


@pytest.mark.parametrize(
    "periods, n_min_train, expected",
    [
        ((), 1000, [8, 16]),
        ((12,), 1000, [6, 12]),
        ((52,), 1000, [16, 32]),
        ((48, 336), 1000, [16, 32]),
        ((4,), 1000, [4, 8]),
        ((52,), 20, [10]),
    ],
)
def test_window_grid_scales_with_the_shortest_period(periods, n_min_train, expected):
    assert sklstm.recipe._tune._window_grid(periods, n_min_train) == expected


@pytest.fixture(scope="module")
def shrinkage_search():
    """A tiny search whose shrinkage is chosen from the fold scores."""
    import sklstm.recipe as recipe

    old = recipe._build._LSTM_DEFAULTS["epochs"]
    recipe._build._LSTM_DEFAULTS["epochs"] = 2
    try:
        X_train, X_test, y_train, y_test = train_test_split_series(
            load_airpassengers(), "passengers", n_test=36
        )
        search = tune_lstm_forecaster(
            X_train,
            y_train,
            target="passengers",
            m=12,
            param_grid={"regressor__lstm__estimator__units": [2, 3]},
            n_seeds=2,
            n_splits=2,
        )
    finally:
        recipe._build._LSTM_DEFAULTS["epochs"] = old
    return search, X_test, y_test


def test_tune_chooses_the_shrinkage_by_validation_score(shrinkage_search):
    search, X_test, y_test = shrinkage_search
    results = search.cv_results_
    table = np.column_stack(
        [results[f"mean_test_shrinkage={a:g}"] for a in sklstm.recipe.SHRINKAGES]
    )
    row, column = np.unravel_index(np.argmax(table), table.shape)
    assert search.best_index_ == row
    assert search.best_params_["shrinkage"] == sklstm.recipe.SHRINKAGES[column]
    assert search.best_score_ == table[row, column]
    assert search.best_estimator_.shrinkage == search.best_params_["shrinkage"]
    # shrinkage 0 scores the baseline alone: every candidate the same
    assert np.ptp(results["mean_test_shrinkage=0"]) == 0
    # the fitted copies: two seeds per fit
    lstm = search.best_estimator_.regressor_.named_steps["lstm"]
    assert len(lstm.estimators_) == 2
    # search.score is the plain (negated MAE) score of the chosen model
    pred = search.predict(X_test)
    assert search.score(X_test, y_test) == pytest.approx(
        -np.mean(np.abs(pred - y_test.to_numpy()))
    )


def test_shrinkage_zero_reproduces_the_baseline_exactly(shrinkage_search):
    search, X_test, _ = shrinkage_search
    model = search.best_estimator_
    baseline = model.baseline_.predict(X_test)
    model.set_params(shrinkage=0.0)
    assert_array_equal(model.predict(X_test), baseline)
    base, correction = model._predict_parts(X_test)
    assert np.abs(correction).max() > 0  # the network was fitted, just not used
    model.set_params(shrinkage=0.5)
    np.testing.assert_allclose(
        model.predict(X_test), baseline * np.exp(0.5 * correction)
    )


@pytest.mark.parametrize("bad", [(), (-0.5,), ("a",), (True,)])
def test_tune_rejects_bad_shrinkages(bad):
    X, y = make_supervised(load_airpassengers(), "passengers")
    with pytest.raises(ValueError, match="shrinkages=.* must be a non-empty list"):
        tune_lstm_forecaster(X, y, target="passengers", shrinkages=bad)


def test_sklstm_demo_command(monkeypatch, tmp_path, capsys):
    from sklstm.cli import main

    monkeypatch.setitem(sklstm.recipe._build._LSTM_DEFAULTS, "epochs", 2)
    monkeypatch.setitem(
        sklstm.recipe.DEFAULT_PARAM_GRIDS,
        "quick",
        {"regressor__lstm__estimator__units": [2], "regressor__window__window": [2, 4]},
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
        # the recipe's 90% intervals beside the airline model's, and their cost
        "90% prediction intervals of the 36 test values",
        "coverage  mean width    MSIS",
        "sklstm recipe, conformal on its 3 folds",
        "airline(m=12), analytic Gaussian",
        "the intervals' calibration refitted the chosen settings on the "
        "search's 3 folds:",
    ]:
        assert text in out, text
    # the interval lines come after the baselines' table and before the figure
    assert out.index("The recipe's MASE") < out.index("90% prediction intervals")
    assert out.index("intervals' calibration") < out.index("[5/5]")
    assert out_png.stat().st_size > 10_000


def test_sklstm_demo_on_the_panel(monkeypatch, tmp_path, capsys):
    from sklstm.cli import main

    monkeypatch.setitem(sklstm.recipe._build._LSTM_DEFAULTS, "epochs", 2)
    monkeypatch.setitem(
        sklstm.recipe.DEFAULT_PARAM_GRIDS,
        "quick",
        {"regressor__lstm__estimator__units": [2], "regressor__window__window": [2]},
    )
    out_png = tmp_path / "panel.png"
    args = ["demo", "--dataset", "us_employment", "--series", "2"]
    assert main([*args, "--budget", "quick", "--output", str(out_png)]) == 0
    out = capsys.readouterr().out
    for text in [
        "[1/4] us_employment: 2 monthly series",
        "1990-01 to 2019-09",
        "airline, log (per series)",
        "[3/4] the recipe, tuned once on all series",
        "baseline chosen by CV:",
        "on 2 series:",
        "its baseline alone",
        "x that of the best classical model here",
        "[4/4]",
    ]:
        assert text in out, text
    assert out_png.stat().st_size > 10_000
    # a series count the panel does not have is named with what is allowed
    with pytest.raises(SystemExit, match="--series=146 must be between 1 and 145"):
        main([*args[:3], "--series", "146", "--output", str(out_png)])


# ---- log space per column ------------------------------------------------------
def _with_covariates():
    """AirPassengers with a 0/1 dummy and a signed covariate sin(t) (0 at t=0)."""
    frame = load_airpassengers()
    t = np.arange(len(frame))
    frame["summer"] = ((t % 12 >= 5) & (t % 12 <= 7)).astype(float)
    frame["sin"] = np.sin(2 * np.pi * t / 12)
    frame["level"] = 100.0 + t  # strictly positive: logged
    return frame


def test_recipe_in_log_space_logs_the_target_and_positive_columns_only():
    from sklstm.exceptions import LogSpaceWarning

    X_train, X_test, y_train, _ = train_test_split_series(
        _with_covariates(), "passengers", n_test=36
    )
    model = make_lstm_forecaster(
        target="passengers", m=12, log=True, units=2, epochs=1, moving_average=None
    )
    with pytest.warns(LogSpaceWarning, match=r"\['summer', 'sin'\]") as caught:
        model.fit(X_train, y_train)
    assert len([w for w in caught if w.category is LogSpaceWarning]) == 1
    log = model.regressor_.named_steps["log"]
    assert list(log.feature_names_in_[log.log_columns_]) == ["passengers", "level"]
    logged = np.asarray(log.transform(X_train))
    assert_array_equal(logged[:, 0], np.log(X_train["passengers"]))
    assert_array_equal(logged[:, 1:3], X_train[["summer", "sin"]])  # unchanged
    assert_array_equal(logged[:, 3], np.log(X_train["level"]))
    pred = model.predict(X_test)
    assert pred.shape == (36,) and np.isfinite(pred).all()
    # a logged column that reaches 0 later: an error naming it and the value
    bad = X_test.copy()
    bad.iloc[5, bad.columns.get_loc("level")] = 0.0
    with pytest.raises(ValueError, match=r"column 'level' is in log space.*holds 0\.0"):
        model.predict(bad)


def test_tune_log_auto_decides_on_the_target_and_says_it_once(monkeypatch):
    from sklstm.exceptions import LogSpaceWarning

    X_train, _, y_train, _ = train_test_split_series(
        _with_covariates(), "passengers", n_test=36
    )
    monkeypatch.setitem(sklstm.recipe._build._LSTM_DEFAULTS, "epochs", 1)
    with pytest.warns(LogSpaceWarning) as caught:
        search = tune_lstm_forecaster(
            X_train,
            y_train,
            target="passengers",
            m=12,
            baseline="seasonal",
            param_grid={"regressor__lstm__estimator__units": [2, 3]},
            n_splits=2,
            units=2,
        )
    # one warning for the whole search (2 candidates x 2 folds + refit)
    assert [str(w.message) for w in caught if w.category is LogSpaceWarning] == [
        "tune_lstm_forecaster: column(s) ['summer', 'sin'] hold values <= 0 in the "
        "training rows and stay outside log space; the target and the other "
        "columns are logged."
    ]
    best = search.best_estimator_
    assert best.log is True  # the signed covariate no longer costs the target
    log = best.regressor_.named_steps["log"]
    assert list(log.feature_names_in_[log.log_columns_]) == ["passengers", "level"]
    # a target with a value <= 0: no log space
    y_signed = y_train - float(y_train.min())
    assert not sklstm.recipe._tune._resolve_log("auto", X_train, y_signed, "passengers")


def test_log_step_equals_np_log_on_positive_data():
    """All-positive data: the log step is np.log of the frame, bit for bit."""
    from sklearn.preprocessing import FunctionTransformer

    X_train, _, _, _ = train_test_split_series(
        _with_covariates()[["passengers", "level"]], "passengers", n_test=36
    )
    clipped = OutlierClipper(method="iqr", factor=3.0).set_output(transform="pandas")
    clipped = clipped.fit_transform(X_train)
    new = sklstm.recipe._build.log_step("passengers").set_output(transform="pandas")
    old = FunctionTransformer(np.log, feature_names_out="one-to-one")
    old.set_output(transform="pandas")
    pd.testing.assert_frame_equal(
        new.fit_transform(clipped), old.fit_transform(clipped)
    )
