"""No silent padding: PaddingWarning when rows are computed without their history."""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm.compose import ResidualRegressor
from sklstm.exceptions import PaddingWarning
from sklstm.forecasting import (
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    make_supervised,
)
from sklstm.preprocessing import (
    DiffFeatures,
    LagFeatures,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)


def _frame(n=80):
    rng = np.random.default_rng(0)
    t = np.arange(n)
    return pd.DataFrame(
        {
            "y": 10 + np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.1, n),
            "x": rng.normal(size=n),
        },
        index=pd.date_range("2024-01-01", periods=n, freq="D"),
    )


def _steps():
    return make_pipeline(
        TimeSeriesImputer(),
        DiffFeatures(),
        RollingFeatures(windows=3, stats=("mean",)),
        LagFeatures(lags=2),
        Windower(window=1),
    ).set_output(transform="pandas")


def _recipe_like():
    """A ResidualRegressor like the recipe's, without TensorFlow."""
    regressor = make_pipeline(
        TimeSeriesImputer(),
        DiffFeatures(),
        RollingFeatures(windows=3, stats=("mean",)),
        Ridge(),
    ).set_output(transform="pandas")
    return ResidualRegressor(
        regressor=regressor, baseline=SeasonalNaiveForecaster(m=7, target="y")
    )


def _padding_warnings(func, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func(*args)
    return result, [w for w in caught if issubclass(w.category, PaddingWarning)]


ESTIMATORS = {
    "lags": lambda: LagFeatures(lags=3),
    "rolling": lambda: RollingFeatures(windows=4),
    "diff": lambda: DiffFeatures(period=2),
    "windower": lambda: Windower(window=5),
}


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_a_lone_row_that_does_not_continue_warns(name):
    frame = _frame()
    est = ESTIMATORS[name]().fit(frame.iloc[:60])
    with pytest.warns(PaddingWarning, match=r"first 1 of the 1 rows of X") as rec:
        est.transform(frame.iloc[[70]])  # a row from later: a gap, no history
    assert len(rec) == 1
    message = str(rec[0].message)
    assert type(est).__name__ in message
    assert "rows before" in message  # the history it needs, and the fix
    assert "continues the training index" in message


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_a_numpy_array_warns(name):
    values = _frame().to_numpy()
    est = ESTIMATORS[name]().fit(values[:60])
    with pytest.warns(PaddingWarning, match=r"of the 20 rows of X from padding"):
        est.transform(values[60:])


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_continuing_folds_and_the_training_data_are_silent(name):
    frame = _frame()
    est = ESTIMATORS[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        for train, test in TimeSeriesSplit(n_splits=3).split(frame):
            est.fit(frame.iloc[train]).transform(frame.iloc[test])
        est.fit_transform(frame.iloc[:60])
        est.transform(frame.iloc[:60])  # the training data itself
        est.transform(frame.iloc[:70])  # the training data and what follows
        est.fit(frame.to_numpy()[:60]).transform(frame.to_numpy()[:60])


def test_padding_asked_for_or_visible_is_silent():
    frame = _frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        LagFeatures(lags=2, continuation=False).fit(frame).transform(frame.iloc[5:])
        LagFeatures(lags=2, warmup="nan").fit(frame).transform(frame.iloc[5:])


def test_a_pipeline_inside_residual_regressor_warns_once():
    X, y = make_supervised(_frame(), "y")
    model = _recipe_like().fit(X.iloc[:60], y.iloc[:60])
    _, caught = _padding_warnings(model.predict, X.iloc[[-1]])
    assert len(caught) == 1
    message = str(caught[0].message)
    for step in ("SeasonalNaiveForecaster 6", "DiffFeatures 1", "RollingFeatures 2"):
        assert step in message
    assert "first 1 of the 1 rows" in message
    # silent on the continuing test rows and on the training rows
    _, caught = _padding_warnings(model.predict, X.iloc[60:])
    assert caught == []
    _, caught = _padding_warnings(model.predict, X.iloc[:60])
    assert caught == []


def test_a_bare_pipeline_warns_per_step_with_its_own_history():
    frame = _frame()
    pipe = _steps().fit(frame.iloc[:60])
    _, caught = _padding_warnings(pipe.transform, frame.iloc[[-1]])
    names = [str(w.message).split(" ")[0] for w in caught]
    assert names == ["DiffFeatures", "RollingFeatures", "LagFeatures"]


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.parametrize(
    "baseline",
    [
        SeasonalNaiveForecaster(m=7, target="y"),
        RidgeLagForecaster(n_lags=5, target="y"),
    ],
    ids=lambda est: type(est).__name__,
)
def test_baselines_with_history_warn_only_without_it(baseline):
    X, y = make_supervised(_frame(), "y")
    model = baseline.fit(X.iloc[:60], y.iloc[:60])
    with pytest.warns(PaddingWarning, match=type(baseline).__name__):
        model.predict(X.iloc[[-1]])
    with pytest.warns(PaddingWarning):
        model.predict(X.to_numpy()[60:])
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        model.predict(X.iloc[60:])
        model.predict(X.iloc[:60])
        NaiveForecaster(target="y").fit(X, y).predict(X.iloc[[-1]])


def test_the_imputer_reports_a_leading_gap_filled_by_its_fallback():
    frame = _frame()
    values = frame.to_numpy()
    imputer = TimeSeriesImputer().fit(values[:60])
    new = values[60:70].copy()
    new[:3, 0] = np.nan  # nothing before X says what these rows were
    with pytest.warns(PaddingWarning, match=r"TimeSeriesImputer computed the first 3"):
        imputer.transform(new)
    seasonal = TimeSeriesImputer(strategy="seasonal", period=4).fit(values[:60])
    new[:3, 0] = values[60:63, 0]
    new[[1, 5], 0] = np.nan  # phase 1's first two values: rows 1 and 5
    with pytest.warns(PaddingWarning, match=r"computed the first 6 of the 10"):
        seasonal.transform(new)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        # the continuing fold fills it from the training data's last value
        later = frame.iloc[60:70].copy()
        later.iloc[:3, 0] = np.nan
        TimeSeriesImputer().fit(frame.iloc[:60]).transform(later)
        # no leading gap; fill values that read no earlier row; padding asked
        TimeSeriesImputer().fit(values[:60]).transform(values[60:70])
        TimeSeriesImputer(strategy="mean").fit(values[:60]).transform(new)
        TimeSeriesImputer(continuation=False).fit(values[:60]).transform(new)
        # the training data itself, with its own leading gap
        gappy = values[:60].copy()
        gappy[:4, 0] = np.nan
        TimeSeriesImputer().fit(gappy).transform(gappy)


@pytest.mark.parametrize("name", [*ESTIMATORS, "imputer"])
def test_a_float32_copy_of_the_training_data_is_the_training_data(name):
    values = _frame().to_numpy().copy()  # float64
    values[:2, 0] = np.nan
    est = (TimeSeriesImputer() if name == "imputer" else ESTIMATORS[name]()).fit(
        values[:60]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        out = est.transform(values[:60].astype(np.float32))
    assert out.dtype == np.float32
    # genuinely new data in float32 still warns
    new = values[61:70].astype(np.float32)
    new[0, 0] = np.nan  # a leading gap, for the imputer
    with pytest.warns(PaddingWarning):
        est.transform(new)


def test_a_numpy_search_declaring_continuation_is_quiet_and_equals_the_frame_search():
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from sklstm import LSTMRegressor
    from sklstm.datasets import load_airpassengers

    X, y = make_supervised(load_airpassengers(), "passengers")

    def search(continuation, data):
        pipe = Pipeline(
            [
                ("scale", StandardScaler()),
                ("window", Windower(window=12, continuation=continuation)),
                ("lstm", LSTMRegressor(units=2, epochs=2, random_state=0)),
            ]
        ).set_output(transform="pandas")
        cv = GridSearchCV(
            pipe, {"lstm__units": [2]}, cv=TimeSeriesSplit(3), refit=False
        )
        return cv.fit(*data).cv_results_

    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        as_numpy = search(True, (X.to_numpy(), y.to_numpy()))
        as_frame = search("auto", (X, y))  # the index continues: real history
    for k in range(3):
        key = f"split{k}_test_score"
        assert_array_equal(as_numpy[key], as_frame[key])
    # NumPy folds without the declaration: padded, and said so
    with pytest.warns(PaddingWarning, match="Windower computed the first 11"):
        padded = search("auto", (X.to_numpy(), y.to_numpy()))
    assert padded["split0_test_score"] != as_numpy["split0_test_score"]
