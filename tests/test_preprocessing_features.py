"""LagFeatures, RollingFeatures, DiffFeatures against hand-computed results."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklstm.preprocessing import DiffFeatures, LagFeatures, RollingFeatures

nan = np.nan
COL = np.array([1.0, 2.0, 4.0, 7.0, 11.0])
X = COL[:, None]
STATS = ["mean", "std", "min", "max", "median", "ewm"]


# ---------------------------------------------------------------- LagFeatures
@pytest.mark.parametrize(
    "warmup, expected",
    [
        ("edge", [[1, 1], [1, 1], [2, 1], [4, 2], [7, 4]]),
        ("constant", [[-1, -1], [1, -1], [2, 1], [4, 2], [7, 4]]),
        ("nan", [[nan, nan], [1, nan], [2, 1], [4, 2], [7, 4]]),
    ],
)
def test_lags_warmup(warmup, expected):
    lagger = LagFeatures(lags=2, drop_original=True, warmup=warmup, fill_value=-1)
    assert_array_equal(lagger.fit_transform(X), expected)


def test_lags_list_columns_and_names():
    df = pd.DataFrame({"temp": COL, "hum": COL * 10, "wind": -COL})
    lagger = LagFeatures(lags=[3, 1], columns=["temp", "wind"], drop_original=True)
    out = lagger.set_output(transform="pandas").fit_transform(df)
    assert list(out.columns) == [
        "hum",
        "temp_lag_3",
        "wind_lag_3",
        "temp_lag_1",
        "wind_lag_1",
    ]
    assert_array_equal(out["temp_lag_3"], [1, 1, 1, 1, 2])
    assert_array_equal(out["wind_lag_1"], [-1, -1, -2, -4, -7])
    assert_array_equal(lagger.lags_, [3, 1])
    # columns by position give the same result
    by_position = LagFeatures(lags=[3, 1], columns=[0, 2], drop_original=True)
    assert_array_equal(by_position.fit_transform(df.to_numpy()), out.to_numpy())


def test_lags_numpy_names():
    lagger = LagFeatures(lags=1).fit(np.ones((3, 2)))
    assert list(lagger.get_feature_names_out()) == ["x0", "x1", "x0_lag_1", "x1_lag_1"]


# ------------------------------------------------------------ RollingFeatures
def test_rolling_hand_computed_partial():
    roll = RollingFeatures(windows=3, stats=STATS, drop_original=True)
    out = roll.fit_transform(X)
    a = 0.5  # ewm alpha = 2 / (3 + 1)
    w = [(1 - a) ** i for i in range(5)]
    ewm = [np.dot(w[: t + 1], COL[t::-1]) / sum(w[: t + 1]) for t in range(5)]
    expected = np.column_stack(
        [
            [1, 1.5, 7 / 3, 13 / 3, 22 / 3],  # mean
            [0, np.std([1, 2], ddof=1), np.std([1, 2, 4], ddof=1)]
            + [np.std([2, 4, 7], ddof=1), np.std([4, 7, 11], ddof=1)],
            [1, 1, 1, 2, 4],  # min
            [1, 2, 4, 7, 11],  # max
            [1, 1.5, 2, 4, 7],  # median
            ewm,
        ]
    )
    assert_allclose(out, expected, rtol=1e-12)
    assert list(roll.get_feature_names_out(["temp"])) == [
        "temp_rollmean_3",
        "temp_rollstd_3",
        "temp_rollmin_3",
        "temp_rollmax_3",
        "temp_rollmedian_3",
        "temp_ewm_3",
    ]


@pytest.mark.parametrize(
    "warmup, first_mean",
    [
        ("edge", [1, 4 / 3, 7 / 3]),
        ("constant", [1 / 3, 1, 7 / 3]),
        ("nan", [nan, nan, 7 / 3]),
    ],
)
def test_rolling_warmup(warmup, first_mean):
    roll = RollingFeatures(windows=3, stats="mean", drop_original=True, warmup=warmup)
    assert_allclose(roll.fit_transform(X)[:3, 0], first_mean)


@pytest.mark.parametrize("warmup", ["partial", "nan"])
@pytest.mark.parametrize("window", [1, 2, 4, 9])
def test_rolling_matches_pandas(window, warmup):
    rng = np.random.default_rng(window)
    data = rng.normal(size=(60, 2)) * 100 + 1e4
    data[[7, 30, 31], [0, 1, 1]] = nan
    df = pd.DataFrame(data, columns=["a", "b"])
    roll = RollingFeatures(windows=window, stats=STATS, warmup=warmup)
    out = roll.set_output(transform="pandas").fit_transform(df)
    min_periods = 1 if warmup == "partial" else window
    in_window_nan = df.isna().rolling(window, min_periods=1).max().astype(bool)
    for col in "ab":
        rolling = df[col].rolling(window, min_periods=min_periods)
        for stat in STATS[:-1]:
            expected = getattr(rolling, stat)()
            if stat == "std":  # a single row has std 0 here, NaN in pandas
                expected[(expected.isna()) & rolling.count().eq(1)] = 0.0
            expected[in_window_nan[col]] = nan  # NaN in a window propagates
            assert_allclose(out[f"{col}_roll{stat}_{window}"], expected, rtol=1e-10)
        ewm = df[col].ewm(span=window).mean()
        if warmup == "nan":
            ewm[: window - 1] = nan
        assert_allclose(out[f"{col}_ewm_{window}"], ewm, rtol=1e-12)


def test_rolling_std_is_stable_far_from_zero():
    data = (1e9 + np.arange(1000.0) % 3)[:, None]
    out = RollingFeatures(windows=3, stats="std", drop_original=True).fit_transform(
        data
    )
    assert_allclose(out[2:, 0], 1.0, rtol=1e-9)


def test_rolling_several_windows_order():
    roll = RollingFeatures(windows=[2, 3], stats=["max", "mean"], drop_original=True)
    roll.fit(X)
    assert list(roll.get_feature_names_out(["t"])) == [
        "t_rollmax_2",
        "t_rollmean_2",
        "t_rollmax_3",
        "t_rollmean_3",
    ]


# --------------------------------------------------------------- DiffFeatures
@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, [0, 1, 2, 3, 4]),
        ({"period": 2}, [0, 1, 3, 5, 7]),  # row 1: 2 - the padded first row
        ({"order": 2}, [0, 1, 1, 1, 1]),
        ({"order": 2, "period": 2}, [0, 1, 3, 4, 4]),
        ({"warmup": "nan"}, [nan, 1, 2, 3, 4]),
        ({"warmup": "constant", "fill_value": 1.0}, [0, 1, 2, 3, 4]),
    ],
)
def test_diffs(params, expected):
    diff = DiffFeatures(drop_original=True, **params)
    assert_array_equal(diff.fit_transform(X).ravel(), expected)


def test_diff_names():
    assert list(DiffFeatures().fit(X).get_feature_names_out(["temp"])) == [
        "temp",
        "temp_diff_1",
    ]
    names = DiffFeatures(order=2, period=24).fit(np.ones((50, 1)))
    assert names.get_feature_names_out(["temp"])[-1] == "temp_diff2_24"


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "est, match",
    [
        (LagFeatures(lags=5), r"lags=5: the largest lag \(5\) must be < n_samples=5"),
        (LagFeatures(lags=[1, 0]), r"lags=\[1, 0\]: every entry must be an int >= 1"),
        (LagFeatures(lags=0), "'lags' parameter of LagFeatures.*Got 0"),
        (LagFeatures(lags=[2, 2]), r"lags=\[2, 2\] contains duplicates"),
        (LagFeatures(columns=["rain"]), "column 'rain' is not in X"),
        (LagFeatures(columns=[3]), "position 3 is out of range"),
        (RollingFeatures(windows=6), r"windows=6: the longest window \(6\) must be"),
        (RollingFeatures(windows=0), "'windows' parameter of RollingFeatures"),
        (RollingFeatures(stats=["mode"]), "unknown statistic 'mode'; allowed"),
        (RollingFeatures(warmup="edgy"), "'warmup' parameter of RollingFeatures"),
        (DiffFeatures(order=0), "'order' parameter of DiffFeatures.*Got 0"),
        (DiffFeatures(period=5), "order \\* period = 5 earlier rows"),
    ],
)
def test_bad_parameters(est, match):
    df = pd.DataFrame({"temp": COL, "hum": COL})
    with pytest.raises(ValueError, match=match):
        est.fit(df)


def test_single_sample_message_mentions_n_samples():
    with pytest.raises(ValueError, match="n_samples=1"):
        LagFeatures().fit([[1.0]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rolling_across_chunks_matches_pandas(dtype):
    # 6000 x 8 is several chunks of the rolling kernels
    rng = np.random.default_rng(0)
    data = rng.normal(size=(6000, 8)).cumsum(axis=0).astype(dtype)
    data[rng.random(data.shape) < 0.001] = nan
    df = pd.DataFrame(data)
    roll = RollingFeatures(windows=[5, 17], stats=STATS[:-1], warmup="nan")
    out = roll.fit_transform(df)
    assert out.dtype == dtype
    tol = 1e-4 if dtype == np.float32 else 1e-9
    names = roll.get_feature_names_out()
    for w in (5, 17):
        for stat in STATS[:-1]:
            expected = getattr(df.astype(np.float64).rolling(w), stat)()
            got = out[:, [f"_roll{stat}_{w}" in name for name in names]]
            assert_allclose(got, expected, rtol=tol, atol=tol)
