"""The contract of the time-aware transformers.

n rows in, n rows out, same index; no look-ahead (hypothesis); a test fold of
TimeSeriesSplit gets the features of the unsplit series; bad indexes; and
pipelines of sklearn components with GridSearchCV over the window.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler

from sklstm.exceptions import PaddingWarning
from sklstm.preprocessing import (
    DiffFeatures,
    LagFeatures,
    OutlierClipper,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)

ALL_STATS = ["mean", "std", "min", "max", "median", "ewm"]

# Every causal transformer, in a few configurations. bfill and linear look
# ahead by design and are left out.
CAUSAL = {
    "impute-ffill": TimeSeriesImputer(),
    "impute-ffill-limit": TimeSeriesImputer(limit=2),
    "impute-seasonal": TimeSeriesImputer(strategy="seasonal", period=3),
    "impute-seasonal-limit": TimeSeriesImputer(strategy="seasonal", period=2, limit=1),
    "impute-mean": TimeSeriesImputer(strategy="mean", add_indicator=True),
    "impute-median": TimeSeriesImputer(strategy="median"),
    "impute-constant": TimeSeriesImputer(strategy="constant", fill_value=-1),
    # with a constant fallback, ffill and seasonal are causal in fit_transform too
    "impute-constant-fallback-ffill": TimeSeriesImputer(
        fallback="constant", fill_value=-1
    ),
    "impute-constant-fallback-seasonal": TimeSeriesImputer(
        strategy="seasonal", period=3, fallback="constant", limit=2
    ),
    "lags-edge": LagFeatures(lags=[1, 3]),
    "lags-nan": LagFeatures(lags=2, warmup="nan", columns=[0]),
    "rolling-partial": RollingFeatures(windows=[2, 5], stats=ALL_STATS),
    "rolling-edge": RollingFeatures(windows=[1, 4], stats=ALL_STATS, warmup="edge"),
    "rolling-nan": RollingFeatures(windows=3, stats=ALL_STATS, warmup="nan"),
    "diff": DiffFeatures(),
    "diff-2-2": DiffFeatures(order=2, period=2, warmup="constant"),
    "windower": Windower(window=4),
}


def _train(n_features, seed=0):
    """Training data: random walk with NaN, but a valid first row."""
    rng = np.random.default_rng(seed)
    train = rng.normal(size=(30, n_features)).cumsum(axis=0)
    train[1:][rng.random((29, n_features)) < 0.2] = np.nan
    return train


@st.composite
def _series_pair(draw):
    """Two series equal up to row t, unrelated after it (NaN allowed)."""
    n = draw(st.integers(1, 25))
    f = draw(st.integers(1, 3))
    t = draw(st.integers(0, n - 1))
    values = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
    nan_mask = st.sampled_from([False, False, False, True])
    first = draw(arrays(np.float64, (n, f), elements=values))
    first[draw(arrays(np.bool_, (n, f), elements=nan_mask))] = np.nan
    second = first.copy()
    tail = draw(arrays(np.float64, (n - t - 1, f), elements=values))
    tail[draw(arrays(np.bool_, tail.shape, elements=nan_mask))] = np.nan
    second[t + 1 :] = tail
    return first, second, t


def _as_input(values, as_frame, start):
    """An array, or a DataFrame with an hourly DatetimeIndex from ``start``."""
    if not as_frame:
        return values
    index = pd.date_range(start, periods=len(values), freq="h")
    return pd.DataFrame(
        values, index=index, columns=[f"c{j}" for j in range(values.shape[1])]
    )


def _values(out):
    return out.to_numpy() if isinstance(out, pd.DataFrame) else np.asarray(out)


TRAIN_START = pd.Timestamp("2024-01-01")
TEST_START = TRAIN_START + pd.Timedelta(hours=30)  # right after the 30 training rows


# rows after t are changed on purpose, so later slices often pad (and say so)
@pytest.mark.filterwarnings("ignore::sklstm.exceptions.PaddingWarning")
@pytest.mark.parametrize("continuation", [False, True, "auto"])
@pytest.mark.parametrize("name", list(CAUSAL))
@settings(max_examples=30)
@given(
    pair=_series_pair(),
    dtype=st.sampled_from([np.float64, np.float32]),
    as_frame=st.booleans(),
)
def test_no_look_ahead(name, continuation, pair, dtype, as_frame):
    """Row t of the output ignores rows after t, for arrays and DataFrames.

    A DataFrame has a DatetimeIndex; the test part's index continues the
    training index, so continuation="auto" uses the training tail.
    """
    first, second, t = pair
    first, second = first.astype(dtype), second.astype(dtype)
    est = clone(CAUSAL[name]).set_params(continuation=continuation)
    train = _as_input(_train(first.shape[1]).astype(dtype), as_frame, TRAIN_START)
    est.fit(train)
    out_first = _values(est.transform(_as_input(first, as_frame, TEST_START)))
    out_second = _values(est.transform(_as_input(second, as_frame, TEST_START)))
    assert len(out_first) == len(first)  # n rows in, n rows out
    assert out_first.dtype == dtype
    assert_array_equal(out_first[: t + 1], out_second[: t + 1])
    if name.startswith(("lags", "rolling", "diff", "windower")):
        # nothing learned in fit reaches fit_transform's output
        whole = [np.vstack([_values(train), part]) for part in (first, second)]
        fit_first, fit_second = (
            _values(clone(est).fit_transform(_as_input(w, as_frame, TRAIN_START)))
            for w in whole
        )
        t_all = len(train) + t
        assert_array_equal(fit_first[: t_all + 1], fit_second[: t_all + 1])
    if name.startswith("impute-constant") and _fittable(first, second):
        # the documented exception (README, TimeSeriesImputer Notes) does not
        # apply: even the data fit saw, leading gap included, is filled causally
        fit_first, fit_second = (
            _values(clone(est).fit_transform(_as_input(part, as_frame, TEST_START)))
            for part in (first, second)
        )
        assert_array_equal(fit_first[: t + 1], fit_second[: t + 1])


def _fittable(*parts):
    """Every column has a valid value and there are >= 3 rows (period=3)."""
    return all(len(part) >= 3 and (~np.isnan(part)).any(axis=0).all() for part in parts)


def _frame(index):
    rng = np.random.default_rng(1)
    values = rng.normal(size=(len(index), 2)).cumsum(axis=0) + 20
    values[[3, 40, 41, 42, 77, 78], [0, 1, 1, 1, 0, 0]] = np.nan
    values[60, 0] = 500.0  # an outlier
    return pd.DataFrame(values, index=index, columns=["temp", "hum"])


INDEXES = {
    "datetime": pd.date_range("2024-01-01", periods=120, freq="h"),
    "period": pd.period_range("2024-01", periods=120, freq="D"),
    "integer": pd.RangeIndex(1000, 1120),
}

TIME_AWARE = {
    "impute-ffill": TimeSeriesImputer(limit=2),
    "impute-seasonal": TimeSeriesImputer(strategy="seasonal", period=24),
    "impute-linear": TimeSeriesImputer(strategy="linear"),
    "lags": LagFeatures(lags=[1, 2, 24]),
    "rolling": RollingFeatures(windows=[3, 12], stats=ALL_STATS),
    "diff": DiffFeatures(order=2, period=3),
    "windower": Windower(window=6),
}


def _pipeline():
    return make_pipeline(
        TimeSeriesImputer(),
        LagFeatures(lags=2),
        RollingFeatures(windows=[3, 5], stats=["mean", "ewm", "max"]),
        DiffFeatures(),
        Windower(window=4),
    ).set_output(transform="pandas")


@pytest.mark.parametrize("index_kind", list(INDEXES))
@pytest.mark.parametrize("name", [*TIME_AWARE, "pipeline"])
def test_split_fold_gets_the_features_of_the_unsplit_series(name, index_kind):
    df = _frame(INDEXES[index_kind])
    est = _pipeline() if name == "pipeline" else TIME_AWARE[name]
    est = clone(est).set_output(transform="pandas")
    unsplit = _values(clone(est).fit_transform(df))
    for train, test in TimeSeriesSplit(n_splits=3, test_size=25).split(df):
        fold = est.fit(df.iloc[train]).transform(df.iloc[test])
        assert_allclose(_values(fold), unsplit[test], rtol=1e-12, atol=1e-12)
        if isinstance(fold, pd.DataFrame):
            assert_array_equal(fold.index, df.index[test])
    # a frame whose index does not continue the training data gets padding
    restarted = df.iloc[test].reset_index(drop=True)
    if name in ("lags", "windower", "diff"):
        with pytest.warns(PaddingWarning, match="of the 25 rows of X from padding"):
            padded = _values(est.transform(restarted))
        assert not np.allclose(padded, unsplit[test], equal_nan=True)


@pytest.mark.parametrize("name", list(TIME_AWARE))
def test_pandas_in_pandas_out_same_index(name):
    df = _frame(INDEXES["datetime"])
    est = clone(TIME_AWARE[name]).set_output(transform="pandas")
    out = est.fit_transform(df)
    if name == "windower":
        assert isinstance(out, np.ndarray) and out.shape == (120, 6, 2)
        return
    assert isinstance(out, pd.DataFrame)
    assert_array_equal(out.index, df.index)
    assert list(out.columns) == list(est.get_feature_names_out())


@pytest.mark.parametrize("name", [n for n in TIME_AWARE if n != "windower"])
def test_no_new_nan_by_default(name):
    df = _frame(INDEXES["datetime"]).ffill()
    out = clone(TIME_AWARE[name]).fit_transform(df)
    assert not np.isnan(out).any()


@pytest.mark.parametrize("name", list(TIME_AWARE))
@pytest.mark.parametrize(
    "index, match",
    [
        (pd.date_range("2024-01-01", periods=30, freq="D")[::-1], "unsorted"),
        (pd.DatetimeIndex(["2024-01-01"] * 30), "duplicated DatetimeIndex"),
    ],
)
def test_bad_datetime_index(name, index, match):
    df = pd.DataFrame({"temp": np.arange(30.0)}, index=index)
    est = clone(TIME_AWARE[name])
    if name == "impute-seasonal":
        est.set_params(period=2)
    with pytest.raises(ValueError, match=match):
        est.fit(df)
    good = df.reset_index(drop=True)
    est.fit(good)
    with pytest.raises(ValueError, match=match):
        est.transform(df)


@pytest.mark.parametrize("name", list(TIME_AWARE))
def test_non_numeric_column(name):
    df = pd.DataFrame({"temp": np.arange(30.0), "city": ["a"] * 30})
    with pytest.raises(ValueError, match=r"non-numeric columns \['city'\]"):
        clone(TIME_AWARE[name]).fit(df)


def _flatten(X):
    return X.reshape(len(X), -1)


def _forecaster():
    pipe = Pipeline(
        [
            ("impute", TimeSeriesImputer()),
            ("clip", OutlierClipper(method="mad")),
            ("lags", LagFeatures(lags=2)),
            ("rolling", RollingFeatures(windows=4, stats=["mean", "std"])),
            ("scale", MinMaxScaler()),
            ("window", Windower(window=3)),
            ("flatten", FunctionTransformer(_flatten)),
            ("model", Ridge(alpha=1.0)),
        ]
    ).set_output(transform="pandas")
    # the flattened windows are plain arrays; FunctionTransformer would warn
    pipe.named_steps["flatten"].set_output(transform="default")
    return pipe


def test_pipeline_fits_predicts_and_grid_searches_the_window():
    df = _frame(INDEXES["datetime"])
    y = df["temp"].shift(-1).ffill().bfill().to_numpy()  # next value, aligned
    pipe = _forecaster().fit(df.iloc[:90], y[:90])
    pred = pipe.predict(df.iloc[90:])
    assert pred.shape == (30,) and np.isfinite(pred).all()

    scores = cross_validate(_forecaster(), df, y, cv=TimeSeriesSplit(3))
    assert np.isfinite(scores["test_score"]).all()

    search = GridSearchCV(
        _forecaster(),
        {"window__window": [2, 5], "rolling__windows": [3, 6]},
        cv=TimeSeriesSplit(3),
    ).fit(df, y)
    # the searched parameters reach the steps: no two candidates tie
    scores = search.cv_results_["mean_test_score"]
    assert len(np.unique(scores)) == len(scores) == 4
    assert search.predict(df).shape == (120,)


def test_a_gap_after_the_training_data_is_not_a_continuation():
    # TimeSeriesSplit(gap=2): the two rows in between are unknown, so the
    # training tail is not the history of the test rows; padding is used.
    df = _frame(INDEXES["datetime"])
    lags = LagFeatures(lags=1).set_output(transform="pandas").fit(df.iloc[:50])
    adjacent = lags.transform(df.iloc[50:60])
    assert_allclose(adjacent.iloc[0, 2:], df.iloc[49].to_numpy())
    with pytest.warns(PaddingWarning, match="LagFeatures computed the first 1 of"):
        gapped = lags.transform(df.iloc[52:60])
    assert_allclose(gapped.iloc[0, 2:], df.iloc[52].to_numpy())  # edge padding
