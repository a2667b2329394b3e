"""OutlierClipper: every method against hand-computed bounds, and bad input."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklstm.preprocessing import OutlierClipper

# one column: 1..9 and an outlier; a second, constant column
X = np.column_stack([[1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100], np.full(10, 5.0)])


def test_iqr_tukey_fences():
    # Q1 = 3.25, Q3 = 7.75 (linear interpolation), IQR = 4.5
    clipper = OutlierClipper(method="iqr", factor=1.0).fit(X)
    assert_allclose(clipper.lower_, [3.25 - 4.5, 5.0])
    assert_allclose(clipper.upper_, [7.75 + 4.5, 5.0])
    out = clipper.transform(X)
    assert out[-1, 0] == 12.25
    assert_array_equal(out[:9, 0], X[:9, 0])
    assert_array_equal(out[:, 1], 5.0)  # constant column stays constant


def test_iqr_default_factor_is_1_5():
    a = OutlierClipper(method="iqr").fit(X)
    b = OutlierClipper(method="iqr", factor=1.5).fit(X)
    assert_array_equal(a.upper_, b.upper_)


def test_zscore():
    col = X[:, 0]
    mean, std = col.mean(), col.std()
    clipper = OutlierClipper(method="zscore", factor=2.0).fit(X)
    assert_allclose(clipper.lower_[0], mean - 2 * std)
    assert_allclose(clipper.upper_[0], mean + 2 * std)
    assert clipper.transform(X)[-1, 0] == pytest.approx(mean + 2 * std)


def test_mad():
    # median 5.5, |x - 5.5| = 4.5 3.5 2.5 1.5 .5 .5 1.5 2.5 3.5 94.5 -> MAD 2.5
    clipper = OutlierClipper(method="mad", factor=2.0).fit(X)
    half = 2.0 * 1.4826 * 2.5
    assert_allclose(clipper.lower_, [5.5 - half, 5.0])
    assert_allclose(clipper.upper_, [5.5 + half, 5.0])


def test_quantile():
    clipper = OutlierClipper(method="quantile", quantile_range=(10.0, 90.0)).fit(X)
    # 10th percentile: 1 + 0.9 * 1 = 1.9; 90th: 9 + 0.1 * 91 = 18.1
    assert_allclose(clipper.lower_[0], 1.9)
    assert_allclose(clipper.upper_[0], 18.1)
    assert_allclose(clipper.transform(X)[[0, -1], 0], [1.9, 18.1])


@pytest.mark.parametrize("method", ["iqr", "zscore", "mad", "quantile"])
def test_nan_ignored_in_fit_and_passes_through(method):
    X_nan = np.vstack([X, [np.nan, np.nan]])
    clipper = OutlierClipper(method=method).fit(X_nan)
    reference = OutlierClipper(method=method).fit(X)
    assert_allclose(clipper.lower_, reference.lower_)
    assert_allclose(clipper.upper_, reference.upper_)
    out = clipper.transform(X_nan)
    assert np.isnan(out[-1]).all()
    assert not np.isnan(out[:-1]).any()


def test_bounds_come_from_training_data_only():
    clipper = OutlierClipper(method="quantile", quantile_range=(0.0, 100.0)).fit(X)
    assert_array_equal(clipper.transform([[1000.0, -3.0]]), [[100.0, 5.0]])


def test_pandas_output_keeps_names_and_index():
    df = pd.DataFrame(X, columns=["temp", "hum"], index=np.arange(10, 20))
    out = OutlierClipper().set_output(transform="pandas").fit_transform(df)
    assert list(out.columns) == ["temp", "hum"]
    assert_array_equal(out.index, df.index)


def test_float32_preserved():
    out = OutlierClipper().fit_transform(X.astype(np.float32))
    assert out.dtype == np.float32


@pytest.mark.parametrize(
    "params, match",
    [
        ({"method": "winsor"}, "'method' parameter of OutlierClipper must be"),
        ({"factor": -1.0}, "'factor' parameter.*Got -1.0"),
        (
            {"method": "quantile", "quantile_range": (90.0, 10.0)},
            r"quantile_range=\(90.0, 10.0\) must be .*0 <= q_min <= q_max <= 100",
        ),
        (
            {"method": "quantile", "quantile_range": (1.0, 101.0)},
            r"quantile_range=\(1.0, 101.0\)",
        ),
    ],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        OutlierClipper(**params).fit(X)


def test_all_nan_column_raises():
    bad = pd.DataFrame({"temp": [1.0, 2.0], "hum": [np.nan, np.nan]})
    with pytest.raises(ValueError, match="'hum' of X are all NaN"):
        OutlierClipper().fit(bad)


def test_non_numeric_column_raises():
    bad = pd.DataFrame({"temp": [1.0, 2.0], "city": ["a", "b"]})
    with pytest.raises(ValueError, match=r"non-numeric columns \['city'\]"):
        OutlierClipper().fit(bad)
