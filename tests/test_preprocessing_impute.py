"""TimeSeriesImputer: every strategy against hand-computed results."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklstm.preprocessing import TimeSeriesImputer

nan = np.nan
# leading gap, inner gap of 2, trailing gap
COL = np.array([nan, 1.0, nan, nan, 7.0, 9.0, nan])
X = COL[:, None]


def impute(**params):
    return TimeSeriesImputer(**params).fit_transform(X).ravel()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, [1, 1, 1, 1, 7, 9, 9]),  # leading gap: first valid value ("edge")
        ({"fallback": "mean"}, [17 / 3, 1, 1, 1, 7, 9, 9]),
        ({"fallback": "median"}, [7, 1, 1, 1, 7, 9, 9]),
        ({"fallback": "constant", "fill_value": -1}, [-1, 1, 1, 1, 7, 9, 9]),
        ({"limit": 1}, [1, 1, 1, nan, 7, 9, 9]),
        ({"strategy": "bfill"}, [1, 1, 7, 7, 7, 9, 9]),  # trailing: last valid
        ({"strategy": "bfill", "limit": 1}, [1, 1, nan, 7, 7, 9, 9]),
        ({"strategy": "linear"}, [1, 1, 3, 5, 7, 9, 9]),
        ({"strategy": "linear", "limit": 1}, [1, 1, 3, nan, 7, 9, 9]),
        ({"strategy": "mean"}, [17 / 3, 1, 17 / 3, 17 / 3, 7, 9, 17 / 3]),
        ({"strategy": "median"}, [7, 1, 7, 7, 7, 9, 7]),
        ({"strategy": "constant", "fill_value": 0}, [0, 1, 0, 0, 7, 9, 0]),
    ],
)
def test_strategies(params, expected):
    assert_allclose(impute(**params), expected)


def test_seasonal_takes_the_value_one_period_earlier():
    col = np.array([1.0, 2.0, 3.0, nan, 20.0, nan, nan, nan])
    out = TimeSeriesImputer(strategy="seasonal", period=3).fit_transform(col[:, None])
    # row 3 <- row 0, row 5 <- row 2, row 6 <- row 3 (itself filled), row 7 <- 20
    assert_array_equal(out.ravel(), [1, 2, 3, 1, 20, 3, 1, 20])


def test_seasonal_leading_gap_uses_fallback_and_limit_counts_periods():
    col = np.array([nan, 2.0, 3.0, 4.0, nan, nan, nan, nan, nan])
    imputer = TimeSeriesImputer(strategy="seasonal", period=2, limit=1)
    out = imputer.fit_transform(col[:, None]).ravel()
    # phase 0: rows 0 2 4 6 8 = nan 3 nan nan nan ; phase 1: rows 1 3 5 7 = 2 4 nan nan
    assert_array_equal(out, [2, 2, 3, 4, 3, 4, nan, nan, nan])


def test_add_indicator_and_names():
    df = pd.DataFrame({"temp": COL, "hum": np.arange(7.0)})
    imputer = TimeSeriesImputer(add_indicator=True).set_output(transform="pandas")
    out = imputer.fit_transform(df)
    assert list(out.columns) == ["temp", "hum", "temp_missing", "hum_missing"]
    assert_array_equal(out["temp_missing"], np.isnan(COL).astype(float))
    assert_array_equal(out["hum_missing"], 0.0)


def test_statistics_and_state():
    imputer = TimeSeriesImputer().fit(X)
    assert_array_equal(imputer.statistics_, [1.0])
    assert_array_equal(imputer.last_valid_, [[9.0]])
    assert_array_equal(imputer.trailing_nan_, [[1]])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, [9, 9, 2]),  # carries the last training value
        ({"limit": 2}, [9, nan, 2]),  # one training NaN already counts
        ({"strategy": "linear"}, [9 + (2 - 9) / 4 * 2, 9 + (2 - 9) / 4 * 3, 2]),
    ],
)
def test_continuation_fills_the_leading_gap_from_training(params, expected):
    new = np.array([[nan], [nan], [2.0]])
    imputer = TimeSeriesImputer(continuation=True, **params).fit(X)
    assert_allclose(imputer.transform(new).ravel(), expected)
    # without continuation, the leading gap takes the fallback
    imputer.set_params(continuation=False)
    assert imputer.transform(new).ravel()[0] == imputer.statistics_[0]


def test_continuation_seasonal():
    # last period of train: rows 3, 4, 5 -> phases (1, 4), (2, 5), (3, nan)
    train = np.array([1.0, 2.0, 3.0, 4.0, 5.0, nan])[:, None]
    imputer = TimeSeriesImputer(strategy="seasonal", period=3, continuation=True)
    out = imputer.fit(train).transform(np.array([[nan], [nan], [nan], [nan]]))
    # next rows follow train rows 3, 4, 5 -> 4, 5, 3 (row 5 was itself row 2), then 4
    assert_array_equal(out.ravel(), [4, 5, 3, 4])


def test_auto_continuation_from_datetime_index():
    index = pd.date_range("2024-01-01", periods=10, freq="D")
    df = pd.DataFrame({"temp": [5.0, 6, 7, 8, 9, nan, nan, nan, 1, 2]}, index=index)
    imputer = TimeSeriesImputer().fit(df.iloc[:5])
    assert imputer.last_index_ == index[4]
    assert_array_equal(imputer.transform(df.iloc[5:]).ravel(), [9, 9, 9, 1, 2])
    # the training rows themselves do not continue: fallback, not history
    assert imputer.transform(df.iloc[:5]).ravel()[0] == 5.0


def test_float32_preserved():
    out = TimeSeriesImputer().fit_transform(X.astype(np.float32))
    assert out.dtype == np.float32


@pytest.mark.parametrize(
    "params, match",
    [
        ({"strategy": "seasonal"}, "period=None: strategy='seasonal' needs period"),
        ({"strategy": "seasonal", "period": 8}, "period=8 is longer than the data"),
        ({"strategy": "nearest"}, "'strategy' parameter of TimeSeriesImputer"),
        ({"limit": 0}, "'limit' parameter.*Got 0"),
        ({"fallback": "first"}, "'fallback' parameter"),
    ],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        TimeSeriesImputer(**params).fit(X)


def test_all_nan_column_raises():
    df = pd.DataFrame({"temp": [1.0, 2.0], "hum": [nan, nan]})
    with pytest.raises(ValueError, match="'hum' of X are all NaN"):
        TimeSeriesImputer().fit(df)


def test_leading_gap_of_the_training_data_is_the_documented_exception():
    """fit_transform: the fallback of a leading gap comes from the column itself.

    README and the TimeSeriesImputer Notes state it: by default ("edge") the first
    valid value, a later row. A constant fallback never uses a later row.
    """
    fit_transform = TimeSeriesImputer().fit_transform
    assert_array_equal(
        fit_transform(np.array([[nan], [1.0], [2.0]])).ravel(), [1, 1, 2]
    )
    assert_array_equal(
        fit_transform(np.array([[nan], [50.0], [2.0]])).ravel(), [50, 50, 2]
    )
    causal = TimeSeriesImputer(fallback="constant", fill_value=-1.0)
    for later in (1.0, 50.0):
        out = causal.fit_transform(np.array([[nan], [later], [2.0]])).ravel()
        assert_array_equal(out, [-1, later, 2])


def test_leading_gap_of_later_data_never_uses_its_later_rows():
    """transform on new data: the fallback was learned on the training data."""
    imputer = TimeSeriesImputer(continuation=False).fit(np.array([[3.0], [4.0]]))
    for later in (1.0, 50.0):
        out = imputer.transform(np.array([[nan], [later], [2.0]])).ravel()
        assert_array_equal(out, [3, later, 2])  # the first valid training value
    continued = TimeSeriesImputer(continuation=True).fit(np.array([[3.0], [4.0]]))
    out = continued.transform(np.array([[nan], [50.0]])).ravel()
    assert_array_equal(out, [4, 50])  # the last training value
