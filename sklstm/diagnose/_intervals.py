"""The interval finding of :func:`diagnose_forecast`: coverage far from nominal."""

from dataclasses import dataclass

import numpy as np

from sklstm.diagnose._report import Finding
from sklstm.diagnose._settings import check_settings
from sklstm.diagnose._utils import fmt, pct


def check_intervals(true, lower, upper, coverage, as_2d):
    """The intervals as an :class:`_Intervals`, or None without bounds.

    ``as_2d(values, name)`` shapes a bound as the forecasts are shaped.
    """
    if lower is None and upper is None:
        if coverage is not None:
            raise ValueError(
                f"coverage={coverage!r} is the nominal coverage of prediction "
                "intervals, but lower and upper are None: pass the bounds too, "
                "or leave coverage out."
            )
        return None
    if lower is None or upper is None:
        raise ValueError(
            "lower and upper go together: pass both bounds of the intervals "
            "(with their coverage), or neither."
        )
    if coverage is None:
        raise ValueError(
            "coverage=None: with lower and upper, pass the intervals' nominal "
            "coverage (e.g. coverage=0.9 for 90% intervals)."
        )
    check_settings(coverage=coverage)
    bounds = []
    for name, values in (("lower", lower), ("upper", upper)):
        arr = as_2d(values, name)
        if arr.shape != true.shape:
            raise ValueError(
                f"{name} must have the shape of y_true; got {np.shape(values)} "
                f"and {true.shape if true.shape[1] > 1 else (len(true),)}."
            )
        bounds.append(arr)
    lo, hi = bounds
    crossed = lo > hi
    if crossed.any():
        row = int(np.argwhere(crossed)[0][0])
        raise ValueError(
            f"lower > upper at {int(crossed.sum())} of {crossed.size} values "
            f"(first in row {row}); the bounds must not cross (pass lower, "
            "then upper)."
        )
    hits = (true >= lo) & (true <= hi)
    return _Intervals(
        coverage=float(coverage),
        n_values=hits.size,
        n_origins=len(hits),
        empirical=float(np.mean(hits)),
        width=float(np.mean(hi - lo)),
    )


@dataclass
class _Intervals:
    """The numbers behind the interval finding."""

    coverage: float  # nominal
    n_values: int
    n_origins: int  # the trials of the binomial band
    empirical: float  # the share of the values inside
    width: float  # the mean of upper - lower


def coverage_band_of(intervals, coverage_band):
    """The central ``coverage_band`` band of the share of hits, (low, high):
    a binomial count over the origins at the nominal rate."""
    from scipy.stats import binom

    n, tail = intervals.n_origins, (1.0 - coverage_band) / 2
    low, high = binom.ppf([tail, 1.0 - tail], n, intervals.coverage)
    return float(low) / n, float(high) / n


def interval_summary(intervals, band, coverage_band):
    """The one-line summary of ``context["intervals"]``."""
    return (
        f"{_level(intervals.coverage)} nominal, {pct(intervals.empirical)} of "
        f"{intervals.n_values} values inside ({_level(coverage_band)} band "
        f"{pct(band[0])} .. {pct(band[1])}), mean width {fmt(intervals.width)}"
    )


def _level(fraction):
    """0.9 -> '90%', 0.975 -> '97.5%'."""
    return f"{100 * fraction:g}%"


def check_coverage_findings(intervals, band, coverage_band, coverage_gap):
    """The intervals hold far fewer or far more values than nominal."""
    empirical, nominal = intervals.empirical, intervals.coverage
    gap = empirical - nominal
    if band[0] <= empirical <= band[1] or abs(gap) < coverage_gap:
        return []
    evidence = {
        "coverage": empirical,
        "nominal": nominal,
        "band": band,
        "n_values": intervals.n_values,
        "n_origins": intervals.n_origins,
        "mean_width": intervals.width,
    }
    said = (
        f"the {_level(nominal)} intervals hold {pct(empirical)} of the "
        f"{intervals.n_values} actual values, {{}} the {_level(coverage_band)} "
        f"binomial band of {pct(band[0])} .. {pct(band[1])} for "
        f"{intervals.n_origins} origins"
    )
    if gap < 0:
        return [
            Finding(
                "interval_coverage",
                "warning",
                said.format("below")
                + ": the intervals are too narrow, the model is over-confident",
                "an over-confident model is the overfitting of the point "
                "forecasts in another form: "
                "calibrate the intervals on out-of-sample errors of time-ordered "
                f"folds of the training part (ConformalForecaster(model, "
                f'coverage={nominal:g}), with method="adaptive" when the '
                "errors drift), and regularize the network more "
                "(LSTMRegressor(dropout=..., l2=..., early_stopping=True))",
                evidence=evidence,
            )
        ]
    return [
        Finding(
            "interval_coverage",
            "info",
            said.format("above") + ": the intervals are wider than the errors need",
            "calibrate the widths on the out-of-sample errors "
            f"(ConformalForecaster(model, coverage={nominal:g})) rather than "
            "on Gaussian or in-sample ones; a range wider than needed "
            "overstates the stock, staff or reserves sized on it",
            evidence=evidence,
        )
    ]
