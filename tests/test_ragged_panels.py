"""Ragged panels: series of any lengths and start dates, and new series.

The panel: "full" (48 months), "late" (the last 30 of them), "short" (the last
6), and "zero" (48 months, every fifth value 0); a series "new" appears only
at forecast time. A series too short for a fit's lags or windows gives that
fit no rows; one without fitted state of its own (unseen, or too short) is
served by a stated fallback, named in one UnseenSeriesWarning per call.
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
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline

from sklstm.compose import ResidualRegressor
from sklstm.exceptions import LogSpaceWarning, PaddingWarning, UnseenSeriesWarning
from sklstm.forecasting import (
    AirlineForecaster,
    CombinedForecaster,
    ConformalForecaster,
    NaiveForecaster,
    PanelTimeSeriesSplit,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    evaluate_forecaster,
    forecast,
    make_supervised,
)
from sklstm.preprocessing import (
    DiffFeatures,
    LagFeatures,
    OutlierClipper,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)
from sklstm.recipe import TunedLSTMForecaster, make_lstm_forecaster
from sklstm.recipe._folds import min_train_size, panel_series_scores

END = "2020-12-01"
SERIES = {"full": (0, 48, 100.0), "late": (1, 30, 500.0), "short": (2, 6, 50.0)}
HORIZON, M = 2, 4
TINY = dict(epochs=1, units=2, random_state=0)


def _series_frame(seed, n, level, end=END):
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=np.float64)
    y = level * 1.01**t * (1 + 0.2 * np.sin(2 * np.pi * t / M))
    y = y * np.exp(rng.normal(0, 0.02, n))
    x = 10 + np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.1, n)
    index = pd.date_range(end=end, periods=n, freq="MS", name="month")
    return pd.DataFrame({"y": y, "x": x}, index=index)


def _frames():
    frames = {name: _series_frame(*spec) for name, spec in SERIES.items()}
    zero = _series_frame(3, 48, 20.0)
    zero.iloc[::5, 0] = 0.0
    frames["zero"] = zero
    return frames


@pytest.fixture(scope="module")
def panel():
    return pd.concat(_frames(), names=["series"])


@pytest.fixture(scope="module")
def with_new(panel):
    """The panel and a series "new" (20 months) that no model saw."""
    new = pd.concat({"new": _series_frame(9, 20, 300.0)}, names=["series"])
    return pd.concat([panel, new])


@pytest.fixture(scope="module")
def supervised(panel):
    return make_supervised(panel, "y", horizon=HORIZON)


def _unseen(record):
    return [w for w in record if issubclass(w.category, UnseenSeriesWarning)]


def _one_unseen_warning(record, count, labels):
    """Exactly one UnseenSeriesWarning, naming ``count`` series and ``labels``."""
    unseen = _unseen(record)
    assert len(unseen) == 1, [str(w.message) for w in unseen]
    message = str(unseen[0].message)
    assert message.startswith(f"{count} of the "), message
    for label in labels:
        assert repr(label) in message
    return message


# --- transformers -------------------------------------------------------------


def _two_series(n_short):
    rng = np.random.default_rng(0)
    long = pd.DataFrame(
        rng.normal(size=(40, 2)),
        columns=["y", "x"],
        index=pd.date_range(end="2020-12-31", periods=40, freq="D"),
    )
    short = long.iloc[-n_short:] * 3 + 100
    short.iloc[-2, 1] = np.nan  # a gap, for the imputer
    return pd.concat({"long": long, "short": short}, names=["series", "day"])


STEPS = {
    "lags": lambda: LagFeatures(lags=8),
    "diff": lambda: DiffFeatures(period=8),
    "rolling": lambda: RollingFeatures(windows=9, stats=("mean", "ewm")),
    "window": lambda: Windower(window=9),
    "impute": lambda: TimeSeriesImputer(strategy="seasonal", period=8),
}


def _rows(out, panel, label):
    return np.asarray(out)[panel.index.get_level_values(0) == label]


@pytest.mark.parametrize("name", list(STEPS))
def test_a_short_series_is_fitted_and_continued_as_the_whole(name):
    """A series shorter than the step's history is padded, not refused.

    Fitted on its first 5 rows (fewer than the 8 the step needs) and then
    given the next 5, it gives what the step gives the 10 rows at once.
    """
    whole = _two_series(10)
    train = pd.concat([whole.loc[["long"]].iloc[:35], whole.loc[["short"]].iloc[:5]])
    test = pd.concat([whole.loc[["long"]].iloc[35:], whole.loc[["short"]].iloc[5:]])
    step = STEPS[name]()
    if name != "window":
        step.set_output(transform="pandas")
    fitted_out = step.fit_transform(train)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)  # it continues, no padding
        continued = step.transform(test)
    reference = STEPS[name]().fit(whole).transform(whole)
    short = _rows(reference, whole, "short")
    assert_allclose(_rows(fitted_out, train, "short"), short[:5])
    assert_allclose(_rows(continued, test, "short"), short[5:])
    assert_allclose(
        _rows(continued, test, "long"), _rows(reference, whole, "long")[35:]
    )


def test_only_a_panel_whose_every_series_is_too_short_raises():
    both_short = pd.concat(
        {"a": _two_series(5).loc["short"], "b": _two_series(6).loc["short"]},
        names=["series", "day"],
    )
    with pytest.raises(ValueError, match="series 'a' of the panel X: .*every series"):
        LagFeatures(lags=8).fit(both_short)
    with pytest.raises(ValueError, match="series 'a' of the panel X: .*every series"):
        Windower(window=9).fit(both_short)


def test_clipper_by_series_leaves_an_unseen_series_unclipped(panel, with_new):
    clipper = OutlierClipper(by_series=True).fit(panel)
    new = with_new.loc[["new"]] * 1000  # far outside every series' bounds
    with pytest.warns(UnseenSeriesWarning) as record:
        out = clipper.transform(pd.concat([panel, new]))
    _one_unseen_warning(record, 1, ["new"])
    assert_array_equal(out[-len(new) :], new.to_numpy())
    assert_array_equal(out[: len(panel)], clipper.transform(panel))


# --- baselines ----------------------------------------------------------------


BASELINES = {
    "naive": lambda: NaiveForecaster(target="y"),
    "seasonal": lambda: SeasonalNaiveForecaster(m=M, target="y"),
    "airline": lambda: AirlineForecaster(m=M, target="y"),
    "airline_auto": lambda: AirlineForecaster(m=M, target="y", log="auto"),
    "ridge": lambda: RidgeLagForecaster(n_lags=8, target="y"),
    "combined": lambda: CombinedForecaster(
        estimators=[
            ("naive", NaiveForecaster(target="y")),
            ("airline", AirlineForecaster(m=M, target="y")),
        ]
    ),
}


#: The series each baseline serves by a fallback at forecast time: none for
#: the naive forecast (no state), the new one for those keeping history, the
#: short one too for the airline model (no model for its 4 rows).
FALLBACKS = {
    "naive": [],
    "seasonal": ["new"],
    "airline": ["short", "new"],
    "airline_auto": ["short", "new"],
    "ridge": ["new"],
    "combined": ["short", "new"],
}


@pytest.mark.parametrize("name", list(BASELINES))
def test_every_baseline_fits_predicts_and_forecasts_a_ragged_panel(
    name, supervised, with_new
):
    X, y = supervised
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnseenSeriesWarning)  # the short series
        model = BASELINES[name]().fit(X, y)
        assert np.isfinite(model.predict(X)).all()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        future = forecast(model, with_new)
    assert future.shape == (5 * HORIZON,) and np.isfinite(future).all()
    expected = FALLBACKS[name]
    if expected:
        message = _one_unseen_warning(record, len(expected), expected)
        assert "of the 5 series of X" in message
    else:
        assert not _unseen(record)


def test_a_combination_names_its_members_fallbacks_once(supervised, with_new):
    X, y = supervised
    model = CombinedForecaster(
        estimators=[
            ("seasonal", SeasonalNaiveForecaster(m=M, target="y")),
            ("airline", AirlineForecaster(m=M, target="y")),
        ]
    ).fit(X, y)
    X_new, _ = make_supervised(with_new, "y", horizon=HORIZON)
    with pytest.warns(UnseenSeriesWarning) as record:
        model.predict(X_new)
    message = _one_unseen_warning(record, 2, ["short", "new"])
    assert "SeasonalNaiveForecaster" in message and "AirlineForecaster" in message


def test_airline_without_a_model_forecasts_its_own_seasonal_naive(supervised, with_new):
    """The short series (4 rows) and the new one: their seasonal naive forecasts."""
    X, y = supervised
    with pytest.warns(UnseenSeriesWarning):
        model = AirlineForecaster(m=M, target="y").fit(X, y)
        assert model.series_state_["short"]["theta_"] is None
        future = forecast(model, with_new)
    for label in ["short", "new"]:
        frame = with_new.loc[label]
        X_one, y_one = make_supervised(frame, "y", horizon=HORIZON)
        own = SeasonalNaiveForecaster(m=M, target="y").fit(X_one, y_one)
        assert_array_equal(future.loc[label], forecast(own, frame))


def test_airline_log_auto_logs_each_series_that_allows_it(supervised):
    X, y = supervised
    with pytest.raises(ValueError, match="In series 'zero'.*log='auto'"):
        AirlineForecaster(m=M, target="y", log=True).fit(X, y)
    with pytest.warns(UnseenSeriesWarning):  # the short series
        auto = AirlineForecaster(m=M, target="y", log="auto").fit(X, y)
        pred = pd.DataFrame(auto.predict(X), index=X.index)
    assert auto.series_state_["full"]["log_"] and not auto.series_state_["zero"]["log_"]
    for label, log in [("full", True), ("late", True), ("zero", False)]:
        alone = AirlineForecaster(m=M, target="y", log=log).fit(
            X.loc[label], y.loc[label]
        )
        assert_allclose(pred.loc[label], alone.predict(X.loc[label]), rtol=1e-12)


@pytest.mark.parametrize("continuation", [False, True])
def test_airline_log_auto_reads_a_zero_after_fit_instead_of_refusing(
    supervised, continuation
):
    X, y = (part.loc["full"] for part in supervised)
    fit_rows = 36
    model = AirlineForecaster(m=M, target="y", log="auto").fit(
        X.iloc[:fit_rows], y.iloc[:fit_rows]
    )
    assert model.log_
    frame = X.iloc[fit_rows:] if continuation else X
    zeroed = frame.copy()
    zeroed.iloc[-4, zeroed.columns.get_loc("y")] = 0.0  # a zero after fit
    before = model.predict(frame)
    with pytest.warns(UserWarning, match="values <= 0 after fit"):
        after = model.predict(zeroed)
    assert np.isfinite(after).all()
    assert_allclose(after[:-4], before[:-4])  # rows before the zero: unchanged
    floor = np.exp(model.history_[:, 0].min())
    assert_allclose(after[-4], model.predict(zeroed.replace(0.0, floor))[-4])
    strict = AirlineForecaster(m=M, target="y", log=True).fit(
        X.iloc[:fit_rows], y.iloc[:fit_rows]
    )
    with pytest.raises(ValueError, match="log=True needs a strictly positive"):
        strict.predict(zeroed)


# --- the recipe ---------------------------------------------------------------


class _Recorder(RegressorMixin, BaseEstimator):
    """Records the sample weights it is fitted with; predicts a correction of 1."""

    def fit(self, X, y, sample_weight=None):
        self.sample_weight_ = sample_weight
        return self

    def predict(self, X):
        return np.ones(len(X))


def test_a_series_too_short_for_the_steps_gets_no_training_weight(supervised):
    X, y = supervised  # short: 4 rows, no more than the 8 lags need
    pipe = Pipeline([("lags", LagFeatures(lags=8)), ("rec", _Recorder())])
    model = ResidualRegressor(
        regressor=pipe.set_output(transform="pandas"),
        baseline=NaiveForecaster(target="y"),
    ).fit(X, y.iloc[:, 0])
    assert model.short_series_ == ["short"]
    is_short = X.index.get_level_values(0) == "short"
    assert_array_equal(model.regressor_[-1].sample_weight_, ~is_short)


@pytest.fixture(scope="module")
def time_split(supervised):
    """Rows before 2019-06 to fit, the rest to predict: "short" only in the latter."""
    X, y = supervised
    before = X.index.get_level_values(1) < pd.Timestamp("2019-06-01")
    return X[before], y[before], X[~before]


@pytest.fixture(scope="module")
def recipe(time_split):
    X_train, y_train, _ = time_split
    model = make_lstm_forecaster(target="y", m=M, baseline="seasonal", **TINY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tiny fit's own warnings
        return model.fit(X_train, y_train)


def test_recipe_forecasts_an_unseen_series_by_its_baseline_alone(recipe, with_new):
    with pytest.warns(UnseenSeriesWarning) as record:
        future = forecast(recipe, with_new)
    message = _one_unseen_warning(record, 2, ["short", "new"])
    assert "ResidualRegressor forecast them by its baseline alone" in message
    assert np.isfinite(future).all()
    for label in ["short", "new"]:  # hand-check: the seasonal naive forecast
        frame = with_new.loc[label]
        X_one, y_one = make_supervised(frame, "y", horizon=HORIZON)
        own = SeasonalNaiveForecaster(m=M, target="y", growth="additive")
        assert_allclose(future.loc[label], forecast(own.fit(X_one, y_one), frame))
    # the series the network learned from get its correction
    base = forecast(recipe.baseline_, with_new.drop(index=["short", "new"], level=0))
    assert not np.allclose(future.loc["full"], base.loc["full"])


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_recipe_on_a_ragged_panel_does_not_look_ahead(recipe, time_split, data):
    """Series "late" changed after its row t: nothing else moves, nor it up to t."""
    _, _, X_test = time_split
    first_late, second_late, t = data.draw(changed_after_t(X_test.loc["late"]))

    def with_late(part):
        rest = X_test.drop(index="late", level=0)
        return pd.concat([pd.concat({"late": part}, names=["series"]), rest])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnseenSeriesWarning)  # "short"
        out_first = recipe.predict(with_late(first_late))
        out_second = recipe.predict(with_late(second_late))
    is_late = with_late(first_late).index.get_level_values(0) == "late"
    assert np.isfinite(out_first).all()
    assert_array_equal(out_first[~is_late], out_second[~is_late])
    assert_array_equal(out_first[is_late][: t + 1], out_second[is_late][: t + 1])


def test_cross_val_score_with_panel_folds_on_a_ragged_panel(supervised):
    X, y = supervised
    model = make_lstm_forecaster(target="y", m=M, **TINY)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        scores = cross_val_score(
            model,
            X,
            y,
            cv=PanelTimeSeriesSplit(3),
            scoring="neg_mean_absolute_error",
            error_score="raise",
        )
    assert np.isfinite(scores).all()
    # one warning per predict of a fold with series unseen in its training part
    assert 1 <= len(_unseen(record)) <= 3


@pytest.mark.parametrize("name", ["seasonal", "airline", "recipe"])
def test_evaluate_forecaster_on_a_ragged_panel(name, panel):
    if name == "recipe":
        model = make_lstm_forecaster(target="y", m=M, **TINY)
    else:
        model = BASELINES[name]()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = evaluate_forecaster(
            model, panel, target="y", horizon=HORIZON, n_test=HORIZON, m=M
        )
    per_series = result["per_series"]
    # "short" keeps 4 training values: no MASE scale at m=4, left out of the means
    assert per_series.loc["short"].isna().all()
    assert np.isfinite(per_series.drop(index="short")["MASE"]).all()
    assert result["MASE"] == pytest.approx(per_series["MASE"].mean())
    scale = [w for w in record if "have no MASE scale" in str(w.message)]
    assert len(scale) == 1 and "'short'" in str(scale[0].message)
    assert len(_unseen(record)) <= 1  # one per call, fit and predict together


@pytest.fixture(scope="module")
def tuned(supervised):
    X, y = supervised
    model = TunedLSTMForecaster(
        target="y",
        m=M,
        n_splits=2,
        param_grid={"regressor__lstm__estimator__units": [2]},
        shrinkages=(0.0, 1.0),
        lstm_params={"epochs": 1},
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        model.fit(X, y)
    return model, record


def test_tuned_recipe_fits_a_ragged_panel_warning_once(tuned, supervised):
    model, record = tuned
    X, _ = supervised
    # "late" and "short" have no rows (or too few) in the first folds' training
    _one_unseen_warning(record, 2, ["late", "short"])
    logs = [w for w in record if issubclass(w.category, LogSpaceWarning)]
    assert len(logs) == 1 and "1 of the 4 series of the panel ('zero')" in str(
        logs[0].message
    )
    assert model.log_ is False
    assert np.isfinite(model.predict(X)).all()


def test_tuned_recipe_airline_logs_per_series_under_log_auto(supervised):
    X, y = supervised
    model = TunedLSTMForecaster(
        target="y",
        m=M,
        baseline="airline",
        n_splits=2,
        param_grid={"regressor__lstm__estimator__units": [2]},
        shrinkages=(1.0,),
        lstm_params={"epochs": 1},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    baseline = model.best_estimator_.baseline_
    assert isinstance(baseline, AirlineForecaster) and baseline.log == "auto"
    assert baseline.series_state_["full"]["log_"]
    assert not baseline.series_state_["zero"]["log_"]


# --- folds, scores, sizes, dates -----------------------------------------------


def test_panel_folds_split_the_union_of_time_stamps(supervised):
    X, _ = supervised
    labels = X.index.get_level_values(0)
    train, test = next(PanelTimeSeriesSplit(3).split(X))
    # "late" starts after the first training part: test rows, no training rows
    assert (labels[test] == "late").any() and not (labels[train] == "late").any()
    assert not (labels[train] == "short").any()


def test_panel_scores_skip_series_without_rows_or_scale():
    """Guards (these held before): a flat series is no division by zero."""
    index = pd.MultiIndex.from_product([["a", "flat"], range(4)])
    y = pd.Series([1.0, 2.0, 4.0, 7.0, 5.0, 5.0, 5.0, 5.0], index=index)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = panel_series_scores(y, y + 1.0)
    assert scores["a"] == pytest.approx(1.0 / 2.0) and np.isnan(scores["flat"])


def test_fold_sizes_follow_the_median_series_not_the_shortest(supervised):
    X, _ = supervised
    train, _ = next(PanelTimeSeriesSplit(3, test_size="last_half").split(X))
    counts = pd.Series(X.index.get_level_values(0)[train]).value_counts()
    assert counts.min() < min_train_size(X, 3) == int(counts.median())


def test_forecast_dates_a_new_series_too_short_to_tell_its_step(recipe, panel):
    two = _series_frame(5, 2, 80.0)
    frame = pd.concat([panel, pd.concat({"new": two}, names=["series"])])
    with pytest.warns(UnseenSeriesWarning):
        future = forecast(recipe, frame)
    assert list(future.loc["new"].index) == list(
        pd.date_range("2021-01-01", periods=HORIZON, freq="MS")
    )
    assert_allclose(future.loc["new"], two["y"].iloc[-1])  # naive: 2 rows < m


def test_a_series_without_validation_scores_takes_the_best_single_choice():
    """Not the first candidate: a series never scored (it ended early, or its
    validation targets are flat) gets the choice made for all series."""
    from sklstm.recipe._selection import _per_series_choice

    index = pd.MultiIndex.from_product([["a", "b", "c"], range(4)])
    truth = pd.Series(
        np.r_[1.0, 2.0, 4.0, 3.0, 5.0, 7.0, 6.0, 9.0, [2.0] * 4], index=index
    )
    good = truth.to_numpy() + 0.1
    bad = truth.to_numpy() + 5.0
    predictions = {"naive": [bad, bad], "seasonal": [good, good]}
    choices, _ = _per_series_choice(predictions, {}, [truth, truth], "seasonal")
    assert choices == {"a": "seasonal", "b": "seasonal", "c": "seasonal"}


def test_airline_logged_per_series_is_scored_beside_the_unlogged_one():
    from sklstm.recipe._baselines import _airline_candidates

    both = _airline_candidates(target="y", periods=[12], log="auto", n_min=100)
    assert {name: model.log for name, model in both.items()} == {
        "airline(m=12)": "auto",
        "airline(m=12), unlogged": False,
    }
    one = _airline_candidates(target="y", periods=[12], log=True, n_min=100)
    assert list(one) == ["airline(m=12)"]


def test_conformal_tuned_recipe_on_a_ragged_panel_with_a_new_series(
    tuned, supervised, with_new
):
    """Intervals of the tuned recipe: a late, a short and a new series included."""
    X, y = supervised
    model, _ = tuned
    conformal = ConformalForecaster(model, prefit=True, cv=2)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        conformal.fit(X, y)
    assert len(_unseen(record)) <= 1  # the calibration folds' fits, one warning
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        future = forecast(conformal, with_new, coverage=0.9)
    _one_unseen_warning(record, 1, ["new"])  # "short" has its own state
    labels = future.index.get_level_values(0).unique()
    assert set(labels) == {"full", "late", "short", "zero", "new"}
    lower, upper = future.filter(like="lower"), future.filter(like="upper")
    assert lower.shape[1] == upper.shape[1] == 1
    assert np.isfinite(lower.to_numpy()).all() and np.isfinite(upper.to_numpy()).all()
    assert (lower.to_numpy() < upper.to_numpy()).all()
    # each series gets its own width: "late" (level 500) wider than "full" (100)
    width = (upper.iloc[:, 0] - lower.iloc[:, 0]).groupby(level=0).mean()
    assert width["late"] > width["full"]
