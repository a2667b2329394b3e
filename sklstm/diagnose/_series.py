"""Checks of a series over time: trend, changing variance, seasonal period."""

import math

import numpy as np
import pandas as pd

from sklstm.diagnose._input import _n_validation
from sklstm.diagnose._report import Finding
from sklstm.diagnose._utils import fmt, pct

# Fewest non-missing values for the series checks to mean anything.
_MIN_TREND_ROWS = 8
_MIN_VARIANCE_ROWS = 24
_MIN_SEASON_ROWS = 16
_MAX_SEASON_LAG = 1000
# Seasonal periods longer than this are better given as a lag than as a window.
_LONG_PERIOD = 100


def _interpolated(values):
    """Finite values with interior gaps interpolated (for analysis only)."""
    s = pd.Series(values)
    s[~np.isfinite(values)] = np.nan
    return s.interpolate(limit_area="inside").dropna().to_numpy()


def _check_trend(name, values, validation_fraction, trend_r2):
    x = _interpolated(values)
    n = x.size
    if n < _MIN_TREND_ROWS or np.ptp(x) == 0:
        return []
    t = np.arange(n, dtype=np.float64)
    slope, intercept = np.polyfit(t, x, 1)
    resid = x - (slope * t + intercept)
    r2 = float(1 - resid.var() / x.var())
    n_val = _n_validation(n, validation_fraction)
    outside = 0.0
    if 0 < n_val < n:
        head, tail = x[: n - n_val], x[n - n_val :]
        outside = float(np.mean((tail > head.max()) | (tail < head.min())))
    if r2 < trend_r2 and outside < 0.5:
        return []
    message = (
        f"'{name}' has a trend of {'+' if slope >= 0 else ''}{fmt(slope)} per row "
        f"(linear fit R² = {r2:.2f})"
    )
    if n_val:
        message += (
            f"; {pct(outside)} of the last {n_val} rows (the validation part, "
            f"validation_fraction={validation_fraction}) lie outside the range of the "
            f"rows before them"
        )
    message += "."
    return [
        Finding(
            "trend",
            "warning",
            message,
            "forecast the change, not the level: train on the difference y[t+1] - "
            "y[t] and add the last level back (inputs: DiffFeatures()), or add a "
            "time-index feature; a network trained on a scaled level cannot "
            "extrapolate past the values it has seen",
            column=name,
            evidence={
                "slope": float(slope),
                "r2": r2,
                "validation_outside": outside,
                "n_validation": n_val,
            },
        )
    ]


def _check_variance(name, values, variance_ratio):
    x = _interpolated(values)
    if x.size < _MIN_VARIANCE_ROWS:
        return []
    d = np.diff(x)
    k = d.size // 3
    first, last = d[:k].std(), d[-k:].std()
    if first <= 0 or last <= 0:
        return []
    ratio = float(last / first)
    if 1 / variance_ratio < ratio < variance_ratio:
        return []
    positive = bool(np.all(x > 0))
    if positive:
        fix = (
            "model the log: TransformedTargetRegressor(regressor=..., func=np.log, "
            "inverse_func=np.exp), with FunctionTransformer(np.log) on the inputs"
        )
    else:
        fix = (
            "stabilise the variance: TransformedTargetRegressor(regressor=..., "
            "transformer=PowerTransformer(method='yeo-johnson'))"
        )
    return [
        Finding(
            "changing_variance",
            "warning",
            f"the row-to-row changes of '{name}' are {fmt(ratio)}× as large (std "
            f"{fmt(last)} vs {fmt(first)}) in the last third as in the first third: "
            "one "
            f"set of weights fits neither part well.",
            fix,
            column=name,
            evidence={
                "ratio": ratio,
                "std_first": float(first),
                "std_last": float(last),
            },
        )
    ]


def _acf(x, n_lags):
    x = x - x.mean()
    size = 1 << int(math.ceil(math.log2(2 * x.size)))
    spectrum = np.fft.rfft(x, size)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), size)[: n_lags + 1]
    return acov / acov[0]


def _seasonal_period(x, seasonal_acf):
    """Lag of the highest autocorrelation peak of the linearly detrended series.

    A peak counts if it is a local maximum at lag >= 2, reaches ``seasonal_acf``
    and rises at least ``seasonal_acf`` above the lowest autocorrelation before
    it (a smooth, slowly decaying autocorrelation has no such peak).
    """
    n = x.size
    t = np.arange(n, dtype=np.float64)
    resid = x - np.polyval(np.polyfit(t, x, 1), t)
    if resid.std() == 0:
        return None, None
    a = _acf(resid, min(n // 2, _MAX_SEASON_LAG))
    best = None
    running_min = a[1] if a.size > 1 else 1.0
    for lag in range(2, a.size - 1):
        running_min = min(running_min, a[lag - 1])
        if (
            a[lag] > a[lag - 1]
            and a[lag] >= a[lag + 1]
            and a[lag] >= seasonal_acf
            and a[lag] - running_min >= seasonal_acf
            and (best is None or a[lag] > a[best])
        ):
            best = lag
    return (best, float(a[best])) if best is not None else (None, None)


def _check_season(name, values, window, seasonal_acf):
    x = _interpolated(values)
    if x.size < _MIN_SEASON_ROWS or np.ptp(x) == 0:
        return []
    period, acf = _seasonal_period(x, seasonal_acf)
    if period is None:
        return []
    evidence = {"period": period, "acf": acf, "window": window}
    seen = (
        f"'{name}' repeats about every {period} rows (autocorrelation {acf:.2f} at lag "
        f"{period}, after removing the linear trend)"
    )
    if window is not None and window < period:
        return [
            Finding(
                "window_shorter_than_season",
                "warning",
                f"{seen}, but window={window} sees only {pct(window / period)} of a "
                f"period.",
                (
                    f"Windower(window={period}) (one full period), or "
                    f"LagFeatures(lags=[{period}]) to give the value one period back"
                )
                if period <= _LONG_PERIOD
                else (
                    f"LagFeatures(lags=[{period}]) to give the value one period back, "
                    f"or calendar features (day of year as sin/cos); a window of "
                    f"{period} steps is slow to train"
                ),
                column=name,
                evidence=evidence,
            )
        ]
    covered = (
        f"; window={window} covers it."
        if window is not None
        else "; no window was given to compare."
    )
    return [
        Finding(
            "seasonal_period",
            "info",
            seen + covered,
            f"keep Windower(window >= {period})"
            if period <= _LONG_PERIOD
            else f"Windower(window >= {period}) or LagFeatures(lags=[{period}])",
            column=name,
            evidence=evidence,
        )
    ]
