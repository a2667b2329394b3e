"""diagnose_forecast with prediction intervals: the interval_coverage finding."""

import numpy as np
import pytest

from sklstm.diagnose import diagnose_forecast


def _case(n=200, seed=0):
    """Forecasts, actual values and a training series; errors of sd 1."""
    rng = np.random.RandomState(seed)
    point = 10 + 3 * np.sin(2 * np.pi * np.arange(n) / 12)
    truth = point + rng.normal(size=n)
    train = 10 + 3 * np.sin(2 * np.pi * np.arange(-120, 0) / 12)
    train = train + rng.normal(size=120)
    return truth, point, train


def _bounds_holding(truth, point, share):
    """Symmetric intervals around ``point`` that hold exactly ``share`` of truth."""
    distance = np.abs(truth - point)
    n_inside = int(round(share * len(truth)))
    half = np.sort(distance)[n_inside - 1] if n_inside else 0.0
    # hold the n_inside nearest values, no more (ties: distances are continuous)
    half = (half + np.sort(distance)[n_inside]) / 2 if n_inside < len(truth) else half
    return point - half, point + half


def test_sixty_percent_at_nominal_ninety_is_flagged_as_over_confident():
    truth, point, train = _case()
    lower, upper = _bounds_holding(truth, point, 0.60)
    d = diagnose_forecast(
        truth, point, y_train=train, m=12, lower=lower, upper=upper, coverage=0.9
    )
    assert d.names == ["interval_coverage"]
    finding = d["interval_coverage"]
    assert finding.severity == "warning"
    assert finding.evidence["coverage"] == pytest.approx(0.60)
    assert finding.evidence["nominal"] == 0.9
    assert finding.evidence["n_values"] == 200
    low, high = finding.evidence["band"]
    assert 0.8 < low < 0.9 < high < 0.96
    assert "below the 99% binomial band" in finding.message
    assert "over-confident" in finding.message
    assert "ConformalForecaster(model, coverage=0.9)" in finding.fix
    assert 'method="adaptive"' in finding.fix
    assert "60.0% of 200 values inside" in d.context["intervals"]


def test_eighty_nine_percent_at_nominal_ninety_is_fine():
    truth, point, train = _case()
    lower, upper = _bounds_holding(truth, point, 0.89)
    d = diagnose_forecast(
        truth, point, y_train=train, m=12, lower=lower, upper=upper, coverage=0.9
    )
    assert d.names == []
    assert d.context["intervals"].startswith("90% nominal, 89.0% of 200 values")


def test_over_coverage_says_wider_than_needed():
    truth, point, _ = _case()
    lower, upper = _bounds_holding(truth, point, 1.0)
    d = diagnose_forecast(truth, point, lower=lower, upper=upper, coverage=0.8)
    assert d.names == ["interval_coverage"]
    finding = d["interval_coverage"]
    assert finding.severity == "info"
    assert "above the 99% binomial band" in finding.message
    assert "wider than the errors need" in finding.message


def test_the_gap_and_the_band_are_settings():
    truth, point, _ = _case(n=5000)
    lower, upper = _bounds_holding(truth, point, 0.88)
    # 5000 values: 88% is outside the binomial band, but within 3 points
    band = diagnose_forecast(
        truth, point, lower=lower, upper=upper, coverage=0.9, coverage_gap=0.0
    )
    assert band.names == ["interval_coverage"]
    assert (
        diagnose_forecast(truth, point, lower=lower, upper=upper, coverage=0.9).names
        == []
    )
    # a narrower band (50%) flags 89% on 200 values
    truth, point, _ = _case()
    lower, upper = _bounds_holding(truth, point, 0.86)
    assert (
        diagnose_forecast(truth, point, lower=lower, upper=upper, coverage=0.9).names
        == []
    )
    narrow = diagnose_forecast(
        truth, point, lower=lower, upper=upper, coverage=0.9, coverage_band=0.5
    )
    assert narrow.names == ["interval_coverage"]


def test_several_horizons_count_origins_for_the_band():
    truth, point, _ = _case()
    Y, P = np.column_stack([truth] * 3), np.column_stack([point] * 3)
    lower, upper = _bounds_holding(truth, point, 0.85)
    d = diagnose_forecast(
        Y,
        P,
        lower=np.column_stack([lower] * 3),
        upper=np.column_stack([upper] * 3),
        coverage=0.9,
    )
    assert "85.0% of 600 values inside" in d.context["intervals"]
    assert "interval_coverage" not in d.names  # 200 origins: inside the band


def test_without_intervals_nothing_changes():
    truth, point, train = _case()
    plain = diagnose_forecast(truth, point, y_train=train, m=12)
    assert "intervals" not in plain.context
    assert list(plain.context) == ["forecasts"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"lower": np.zeros(4), "upper": np.ones(5), "coverage": 0.9}, "lower must"),
        ({"lower": np.zeros(5), "upper": np.ones(6), "coverage": 0.9}, "upper must"),
        ({"lower": np.zeros(5), "upper": np.ones(5), "coverage": 1.0}, "coverage=1.0"),
        ({"lower": np.zeros(5), "upper": np.ones(5), "coverage": 0.0}, "coverage=0.0"),
        ({"lower": np.zeros(5), "upper": np.ones(5), "coverage": 90}, "coverage=90"),
        ({"lower": np.zeros(5), "upper": np.ones(5)}, "coverage=None"),
        ({"lower": np.zeros(5), "coverage": 0.9}, "lower and upper go together"),
        ({"upper": np.ones(5), "coverage": 0.9}, "lower and upper go together"),
        ({"coverage": 0.9}, "lower and upper are None"),
        (
            {"lower": np.r_[0, 0, 2, 0, 0.0], "upper": np.ones(5), "coverage": 0.9},
            r"lower > upper at 1 of 5 values \(first in row 2\)",
        ),
        (
            {"lower": np.r_[np.nan, 0, 0, 0, 0], "upper": np.ones(5), "coverage": 0.9},
            "lower contains 1 NaN",
        ),
        (
            {"lower": 0, "upper": 1, "coverage": 0.9, "coverage_band": 1.0},
            "coverage_band=1.0 is invalid",
        ),
        (
            {"lower": 0, "upper": 1, "coverage": 0.9, "coverage_gap": -0.1},
            "coverage_gap=-0.1 is invalid",
        ),
    ],
)
def test_bad_interval_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagnose_forecast(np.ones(5), np.ones(5), **kwargs)
