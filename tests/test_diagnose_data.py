"""Data diagnosis: every finding fires on data that shows it, and not on data that
does not."""

import numpy as np
import pandas as pd
import pytest

from sklstm.diagnose import diagnose_data


def _noise(n=400, seed=0):
    return np.random.default_rng(seed).normal(size=n)


def _only(diagnosis, name):
    found = [f for f in diagnosis if f.name == name]
    assert found, f"{name} not in {diagnosis.names}"
    return found


# --------------------------------------------------------------------------- #
# The article's first example and the clean baseline
# --------------------------------------------------------------------------- #
def test_seed_first_example_names_its_problems():
    data = np.array([[10, 1000, 1], [20, 2000, 2], [30, 3000, 3], [40, 4000, 4]])
    X = data[:, :-1].reshape((4, 1, 2))
    d = diagnose_data(X, data[:, -1])
    assert d.names == ["feature_scale_mismatch", "unscaled_features", "too_few_samples"]
    assert d["feature_scale_mismatch"].evidence["ratio"] == pytest.approx(100.0)
    assert d["too_few_samples"].evidence == {
        "n_rows": 4,
        "n_windows": 4,
        "n_train": 3,
        "n_validation": 1,
    }


def test_clean_standardized_noise_has_no_finding():
    X = pd.DataFrame({"a": _noise(500, 1), "b": _noise(500, 2)})
    y = pd.Series(_noise(500, 3), name="target")
    d = diagnose_data(X, y, window=10)
    assert len(d) == 0, d.names
    assert "No problems found." in str(d)


# --------------------------------------------------------------------------- #
# Column checks
# --------------------------------------------------------------------------- #
def test_missing_values_count_longest_gap_and_start():
    values = _noise(200)
    values[[0, 1, 2]] = np.nan  # 3 at the start
    values[50:57] = np.nan  # longest gap: 7 rows
    values[120] = np.inf
    index = pd.date_range("2020-01-01", periods=200, freq="D")
    X = pd.DataFrame({"load": values}, index=index)
    f = _only(diagnose_data(X), "missing_values")[0]
    assert f.severity == "error" and f.column == "load"
    assert f.evidence["n_missing"] == 11
    assert f.evidence["n_infinite"] == 1
    assert f.evidence["longest_gap"] == 7
    assert f.evidence["longest_gap_start"] == "2020-02-20"
    assert f.evidence["leading"] == 3
    assert "TimeSeriesImputer(strategy='ffill')" in f.fix
    assert "X.iloc[3:]" in f.fix


def test_missing_values_in_a_seasonal_series_suggest_seasonal_imputation():
    t = np.arange(480)
    y = np.sin(2 * np.pi * t / 24) + 0.1 * _noise(480)
    y[100:105] = np.nan
    f = diagnose_data(None, y)["missing_values"]
    assert "TimeSeriesImputer(strategy='seasonal', period=24)" in f.fix
    y[100:104] = 0.0  # a single missing value: carrying forward is fine
    g = diagnose_data(None, y)["missing_values"]
    assert "TimeSeriesImputer(strategy='ffill')" in g.fix


def test_missing_values_in_target_and_none_without_gaps():
    y = _noise(100)
    y[10] = np.nan
    d = diagnose_data(None, y)
    f = d["missing_values"]
    assert f.column == "y" and "target" in f.message and f.evidence["leading"] == 0
    assert "missing_values" not in diagnose_data(None, _noise(100))


def test_constant_column_warns_for_input_errs_for_target():
    X = pd.DataFrame({"a": _noise(), "flat": np.full(400, 3.0)})
    f = diagnose_data(X)["constant_column"]
    assert (f.column, f.severity, f.evidence["value"]) == ("flat", "warning", 3.0)
    assert diagnose_data(None, np.ones(50))["constant_column"].severity == "error"
    assert "constant_column" not in diagnose_data(X[["a"]])


def test_outliers_counts_values_beyond_iqr_and_not_on_gaussian_data():
    values = _noise(1000)
    values[[100, 200, 300]] = [40.0, -35.0, 50.0]
    X = pd.DataFrame({"load": values})
    f = diagnose_data(X)["outliers"]
    assert f.evidence["n_outliers"] == 3
    assert (f.evidence["n_below"], f.evidence["n_above"]) == (1, 2)
    assert "OutlierClipper(method='iqr', factor=3.0)" in f.fix
    assert "column 'load'" in f.fix
    assert "0.3% of rows" in f.fix
    assert "outliers" not in diagnose_data(pd.DataFrame({"load": _noise(1000)}))


def test_outliers_in_a_skewed_column_suggest_a_log_and_huber_for_target():
    rain = np.random.default_rng(0).exponential(size=1000) ** 3  # heavy tail, >= 0
    f = diagnose_data(pd.DataFrame({"rain": rain}))["outliers"]
    assert f.evidence["fraction"] >= 0.05 and "np.log1p" in f.fix
    y = _noise(500)
    y[7] = 30.0
    g = diagnose_data(None, y)["outliers"]
    assert g.column == "y" and "loss='huber'" in g.fix
    assert "make_lstm_forecaster(clip_residual=3.0)" in g.fix


def test_outliers_skip_a_column_whose_iqr_is_zero():
    values = np.zeros(100)
    values[::10] = 5.0  # 90% zeros: the IQR is 0, the rule is undefined
    assert "outliers" not in diagnose_data(pd.DataFrame({"sparse": values}))


def test_non_numeric_column_is_reported_and_datetime_is_not():
    X = pd.DataFrame(
        {
            "when": pd.date_range("2021-01-01", periods=300, freq="h"),
            "kind": ["a", "b", "c"] * 100,
            "x": _noise(300),
        }
    )
    d = diagnose_data(X)
    f = d["non_numeric_column"]
    assert (f.column, f.severity) == ("kind", "info")
    assert [g.column for g in d if g.name == "non_numeric_column"] == ["kind"]
    assert "non_numeric_column" not in diagnose_data(X[["when", "x"]])


# --------------------------------------------------------------------------- #
# Scales
# --------------------------------------------------------------------------- #
def test_feature_scale_mismatch_ratio_of_stds():
    X = pd.DataFrame({"small": _noise(300, 1), "big": 100 * _noise(300, 2)})
    f = diagnose_data(X, scale_limit=1e6)["feature_scale_mismatch"]
    assert f.column == "big"
    assert f.evidence["smallest"] == "small"
    assert 50 < f.evidence["ratio"] < 200
    assert "StandardScaler()" in f.fix
    similar = pd.DataFrame({"a": _noise(300, 1), "b": 5 * _noise(300, 2)})
    assert "feature_scale_mismatch" not in diagnose_data(similar, scale_limit=1e6)
    # the threshold is honoured
    assert "feature_scale_mismatch" in diagnose_data(
        similar, scale_ratio=2, scale_limit=1e6
    )


def test_unscaled_features_large_magnitudes_only():
    X = pd.DataFrame({"temp": 20 + 5 * _noise(300), "z": _noise(300, 1)})
    f = diagnose_data(X)["unscaled_features"]
    assert f.evidence["columns"] == ["temp"] and f.evidence["max_abs"] > 10
    assert "unscaled_features" not in diagnose_data(X[["z"]])


def test_unscaled_target_and_not_for_a_scaled_one():
    f = diagnose_data(None, pd.Series(500 + 10 * _noise(), name="load"))[
        "unscaled_target"
    ]
    assert f.column == "load" and "scale_target=True" in f.fix
    assert f.evidence["max"] > 500
    assert "unscaled_target" not in diagnose_data(None, _noise())


# --------------------------------------------------------------------------- #
# Trend, variance, season
# --------------------------------------------------------------------------- #
def test_trend_fires_on_a_linear_trend_not_on_noise():
    t = np.arange(300)
    y = 0.05 * t + _noise(300)
    f = diagnose_data(None, y)["trend"]
    assert f.evidence["r2"] > 0.8
    assert f.evidence["slope"] == pytest.approx(0.05, rel=0.1)
    assert f.evidence["n_validation"] == 30
    assert "y[t+1] - y[t]" in f.fix and "DiffFeatures()" in f.fix
    assert "trend" not in diagnose_data(None, _noise(300))


def test_trend_fires_when_the_validation_part_leaves_the_training_range():
    y = np.concatenate([_noise(270), 10 + _noise(30, 1)])  # a level shift at the end
    f = diagnose_data(None, y, trend_r2=1.0)["trend"]
    assert f.evidence["validation_outside"] > 0.5


def test_changing_variance_growing_swings_and_log_fix():
    rng = np.random.default_rng(0)
    y = 100 + np.cumsum(rng.normal(size=300) * np.linspace(0.5, 3, 300))
    y = y - y.min() + 10  # positive: the log is the fix
    f = diagnose_data(None, y)["changing_variance"]
    assert f.evidence["ratio"] > 2 and "func=np.log" in f.fix
    g = diagnose_data(None, rng.normal(size=300) * np.linspace(3, 0.5, 300))
    assert g["changing_variance"].evidence["ratio"] < 0.5
    assert "PowerTransformer" in g["changing_variance"].fix
    assert "changing_variance" not in diagnose_data(None, _noise(300))


def _seasonal(period=24, n=480, seed=0):
    t = np.arange(n)
    return np.sin(2 * np.pi * t / period) + 0.3 * np.random.default_rng(seed).normal(
        size=n
    )


def test_seasonal_period_found_and_window_compared():
    y = _seasonal(24)
    info = diagnose_data(None, y, window=48)["seasonal_period"]
    assert info.severity == "info" and info.evidence["period"] == 24
    assert "window=48 covers it" in info.message
    short = diagnose_data(None, y, window=12)
    assert "seasonal_period" not in short
    warn = short["window_shorter_than_season"]
    assert warn.severity == "warning" and warn.fix.startswith("Windower(window=24)")
    assert "no window was given" in diagnose_data(None, y)["seasonal_period"].message


def test_no_season_in_noise_or_random_walk():
    for y in (_noise(500), np.cumsum(_noise(500, 4))):
        d = diagnose_data(None, y, window=5)
        assert "seasonal_period" not in d and "window_shorter_than_season" not in d


def test_long_period_fix_suggests_a_lag_not_a_window():
    y = _seasonal(period=365, n=4 * 365)
    f = diagnose_data(None, y, window=14)["window_shorter_than_season"]
    assert abs(f.evidence["period"] - 365) <= 5
    assert f.fix.startswith(f"LagFeatures(lags=[{f.evidence['period']}])")
    assert "calendar" in f.fix


def test_series_checks_run_on_each_input_column_without_y():
    X = pd.DataFrame({"up": 0.1 * np.arange(300) + _noise(300), "flat": _noise(300, 1)})
    d = diagnose_data(X)
    assert [f.column for f in d if f.name == "trend"] == ["up"]


# --------------------------------------------------------------------------- #
# Sizes
# --------------------------------------------------------------------------- #
def test_too_few_samples_warning_error_and_enough():
    warn = diagnose_data(None, _noise(80), window=10)["too_few_samples"]
    assert warn.severity == "warning"
    assert warn.evidence == {
        "n_rows": 80,
        "n_windows": 71,
        "n_train": 63,
        "n_validation": 8,
    }
    too_long = diagnose_data(None, _noise(30), window=40)["too_few_samples"]
    assert too_long.severity == "error" and "window=40" in too_long.message
    no_val = diagnose_data(None, _noise(12), window=12)["too_few_samples"]
    assert no_val.severity == "error" and no_val.evidence["n_train"] == 0
    assert "too_few_samples" not in diagnose_data(None, _noise(500), window=10)
    assert "too_few_samples" not in diagnose_data(None, _noise(80), min_samples=50)


# --------------------------------------------------------------------------- #
# Inputs
# --------------------------------------------------------------------------- #
def test_three_d_windows_use_their_last_step_and_length():
    series = 0.01 * _noise(300)
    windows = np.lib.stride_tricks.sliding_window_view(series, 30)[:, :, np.newaxis]
    d = diagnose_data(windows, y=np.zeros(len(windows)) + _noise(len(windows)))
    assert "settings: window=30" in d.to_text()
    assert "271 windows of 30 steps × 1 feature" in d.to_text()


def test_target_equal_to_an_input_column_is_checked_once():
    values = _noise(300)
    values[5] = np.nan
    X = pd.DataFrame({"load": values})
    d = diagnose_data(X, X["load"])
    assert [f.column for f in d if f.name == "missing_values"] == ["load"]


def test_two_d_target_uses_its_first_column():
    y = np.column_stack([_noise(300), 1000 + _noise(300)])
    assert "unscaled_target" not in diagnose_data(None, y)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"window": 0}, r"window=0 is invalid: it must be an int >= 1 or None"),
        ({"window": 2.5}, r"window=2.5 is invalid"),
        ({"window": True}, r"window=True is invalid"),
        ({"validation_fraction": 1.0}, r"validation_fraction=1.0 is invalid: .*< 1"),
        ({"validation_fraction": -0.1}, r"validation_fraction=-0.1 is invalid"),
        ({"scale_ratio": 1}, r"scale_ratio=1 is invalid: it must be .*> 1"),
        ({"scale_limit": 0}, r"scale_limit=0 is invalid"),
        ({"outlier_iqr": float("nan")}, r"outlier_iqr=nan is invalid"),
        ({"trend_r2": 1.5}, r"trend_r2=1.5 is invalid"),
        ({"variance_ratio": 0.5}, r"variance_ratio=0.5 is invalid"),
        ({"seasonal_acf": 0}, r"seasonal_acf=0 is invalid"),
        ({"min_samples": 0}, r"min_samples=0 is invalid"),
    ],
)
def test_bad_parameters_raise_naming_parameter_and_value(kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagnose_data(None, _noise(50), **kwargs)


@pytest.mark.parametrize(
    "X, y, match",
    [
        (None, None, r"X=None and y=None"),
        (np.zeros((2, 2, 2, 2)), None, r"got shape \(2, 2, 2, 2\)"),
        (np.array([["a", "b"], ["c", "d"]]), None, r"X must be numeric"),
        (np.zeros((10, 2)), np.zeros(9), r"X has 10 rows but y has 9"),
        (np.zeros((0, 2)), None, r"X has 0 rows"),
        (None, np.zeros((3, 2, 2)), r"y must be 1-D .* got shape \(3, 2, 2\)"),
        (None, ["a", "b"], r"y must be numeric"),
    ],
)
def test_bad_inputs_raise_value_error(X, y, match):
    with pytest.raises(ValueError, match=match):
        diagnose_data(X, y)
