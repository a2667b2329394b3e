"""Panels (a (series, time) MultiIndex) through every time-aware transformer.

A panel's output is the concatenation of what each series gives alone (with
its own fitted state): nothing crosses a series boundary, each series
continues its own training end, a series unseen in fit is padded and warned
about, and a change in one series after t moves nothing in another series,
nor anything before t.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.base import clone

from sklstm.exceptions import PaddingWarning, UnseenSeriesWarning
from sklstm.preprocessing import (
    DiffFeatures,
    LagFeatures,
    LogTransformer,
    OutlierClipper,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)

STATS = ["mean", "std", "min", "max", "median", "ewm"]

PANEL = {
    "impute-ffill": TimeSeriesImputer(limit=2),
    "impute-seasonal": TimeSeriesImputer(strategy="seasonal", period=3),
    "impute-mean": TimeSeriesImputer(strategy="mean", add_indicator=True),
    "impute-linear": TimeSeriesImputer(strategy="linear"),
    "lags": LagFeatures(lags=[1, 3]),
    "lags-nan": LagFeatures(lags=2, warmup="nan", columns=[0]),
    "rolling-partial": RollingFeatures(windows=[2, 5], stats=STATS),
    "rolling-edge": RollingFeatures(windows=4, stats=STATS, warmup="edge"),
    "diff": DiffFeatures(order=2, period=2),
    "windower": Windower(window=4),
    "clipper-by-series": OutlierClipper(method="mad", by_series=True),
    "log": LogTransformer(others="passthrough"),
}
# bfill and linear read later rows by design: no look-ahead test for them
CAUSAL = [name for name in PANEL if name != "impute-linear"]
START = pd.Timestamp("2024-01-01")


def _series_frame(values, start=START):
    index = pd.date_range(start, periods=len(values), freq="D")
    return pd.DataFrame(values, index=index, columns=["a", "b"][: values.shape[1]])


def _panel(parts, labels=None, starts=None):
    """A panel from per-series arrays, each series' time index from its start."""
    labels = labels or [f"s{i}" for i in range(len(parts))]
    starts = starts or [START] * len(parts)
    frames = {
        label: _series_frame(part, start)
        for label, part, start in zip(labels, parts, starts, strict=True)
    }
    return pd.concat(frames, names=["series", "time"])


def _values(out):
    return out.to_numpy() if isinstance(out, pd.DataFrame) else np.asarray(out)


@st.composite
def _parts(draw, n_series=3):
    """Positive series of 20-40 rows with NaN, each with a valid first row."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    parts = []
    for _ in range(n_series):
        n = draw(st.integers(20, 40))
        scale = 10.0 ** draw(st.integers(0, 3))  # series of different scales
        part = scale * np.exp(rng.normal(0, 0.3, size=(n, 2)).cumsum(axis=0))
        part[rng.integers(1, n, size=3), rng.integers(0, 2, size=3)] = np.nan
        part[rng.integers(0, n), 0] = 50 * scale  # an outlier
        part[0] = scale
        parts.append(part)
    return parts


def _alone(est, part, split=None):
    """What one series gives on its own: fit_transform, or fit then continue."""
    est = clone(est)
    if split is None:
        return _values(est.fit_transform(_series_frame(part)))
    est.fit(_series_frame(part[:split]))
    rest = _series_frame(part[split:], START + pd.Timedelta(days=split))
    return _values(est.transform(rest))


@pytest.mark.parametrize("name", list(PANEL))
@settings(max_examples=8)
@given(parts=_parts())
def test_a_panel_is_the_concatenation_of_its_series(name, parts):
    """fit_transform, then transform of each series' continuation (own history)."""
    est = clone(PANEL[name]).set_output(transform="pandas")
    panel = _panel(parts)
    out = est.fit_transform(panel)
    expected = np.concatenate([_alone(est, part) for part in parts])
    assert_array_equal(_values(out), expected)
    if isinstance(out, pd.DataFrame):
        assert out.index.equals(panel.index)  # n rows in, n rows out, same index
        alone = clone(est).fit(_series_frame(parts[0]))
        assert_array_equal(est.get_feature_names_out(), alone.get_feature_names_out())
    # fit on the first rows of every series; the rest continues each one
    splits = [len(part) - 6 - i for i, part in enumerate(parts)]
    train = _panel([part[:s] for part, s in zip(parts, splits, strict=True)])
    test = _panel(
        [part[s:] for part, s in zip(parts, splits, strict=True)],
        starts=[START + pd.Timedelta(days=s) for s in splits],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)  # every series continues
        continued = est.fit(train).transform(test)
    expected = [_alone(est, part, s) for part, s in zip(parts, splits, strict=True)]
    assert_array_equal(_values(continued), np.concatenate(expected))


@pytest.mark.parametrize("name", CAUSAL)
@settings(max_examples=8)
@given(parts=_parts(), data=st.data())
def test_a_change_in_one_series_after_t_moves_nothing_else(name, parts, data):
    """Series 1 changes after its row t: series 0 and 2, and rows <= t, stay."""
    t = data.draw(st.integers(0, len(parts[1]) - 2))
    changed = [part.copy() for part in parts]
    tail = changed[1][t + 1 :]
    factor = data.draw(st.sampled_from([0.5, 7.5, 1e4]))
    tail[:] = factor * (1.0 + np.arange(tail.size)).reshape(tail.shape)
    est = clone(PANEL[name])
    train = _panel([part[:15] for part in parts])
    first, second = _panel(parts), _panel(changed)
    start, stop = len(parts[0]), len(parts[0]) + len(parts[1])
    same = np.r_[0:start, start : start + t + 1, stop : len(first)]
    if name != "impute-mean" and not name.startswith("clipper"):
        # fit_transform (except statistics of a whole series, by design)
        outs = [_values(clone(est).fit_transform(p)) for p in (first, second)]
        assert_array_equal(outs[0][same], outs[1][same])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PaddingWarning)
        est.fit(train)
        outs = [_values(est.transform(p)) for p in (first, second)]
    assert_array_equal(outs[0][same], outs[1][same])


def _small_panel():
    rng = np.random.default_rng(3)
    parts = [10.0**i * np.exp(rng.normal(0, 0.3, (24, 2)).cumsum(0)) for i in range(3)]
    return parts, _panel(parts)


def test_row_0_of_a_series_is_a_first_row_not_the_next_row_of_the_one_above():
    parts, panel = _small_panel()
    windows = Windower(window=3).fit_transform(panel)
    first_of_s1 = len(parts[0])
    # edge padding of series 1's own first row, never series 0's last rows
    assert_array_equal(windows[first_of_s1], np.repeat(parts[1][:1], 3, axis=0))
    assert windows.shape == (len(panel), 3, 2)
    lags = LagFeatures(lags=1, warmup="nan").set_output(transform="pandas")
    out = lags.fit_transform(panel)
    assert out.loc[("s1", START)].isna().sum() == 2  # NaN lags, not s0's last row


def test_a_series_unseen_in_fit_is_padded_and_warned_about():
    parts, panel = _small_panel()
    later = START + pd.Timedelta(days=24)
    test = _panel([parts[0][:5], parts[2][:5]], ["s0", "new"], [later, later])
    lags = LagFeatures(lags=2).set_output(transform="pandas").fit(panel)
    with pytest.warns(PaddingWarning, match=r"1 of the 2 series of X \('new'\)") as rec:
        out = lags.transform(test)
    assert len(rec) == 1  # one warning per call, not one per series
    assert_array_equal(out.loc["s0"].iloc[0, 2:4], parts[0][-1])  # s0 continues
    assert_array_equal(out.loc["new"].iloc[0, 2:4], parts[2][0])  # edge padding
    imputer = TimeSeriesImputer(strategy="mean").fit(panel)
    gappy = test.copy()
    gappy.iloc[7, 0] = np.nan
    # an unseen series takes the statistics of all series together
    assert imputer.transform(gappy)[7, 0] == np.mean(np.concatenate(parts)[:, 0])


def test_the_label_after_shared_time_stamps_is_each_series_own():
    """Series sharing stamps infer the next label once; an irregular one has none.

    s2 keeps the first and last stamps and the length of s0 and s1, but one
    stamp is off the daily grid: it has no next label, so any later start
    continues it, where s0 and s1 continue only from the next day.
    """
    rng = np.random.default_rng(0)
    parts = [rng.normal(size=(12, 2)) for _ in range(3)]
    train = _panel([part[:9] for part in parts])
    stamps = train.index.get_level_values(1).to_numpy().copy()
    stamps[9 + 9 + 4] += np.timedelta64(12, "h")
    train.index = pd.MultiIndex.from_arrays(
        [train.index.get_level_values(0), stamps], names=["series", "time"]
    )
    lags = LagFeatures(lags=1).set_output(transform="pandas").fit(train)
    next_day = START + pd.Timedelta(days=9)
    nexts = [state["_next_index"] for state in lags.series_state_.values()]
    assert nexts == [next_day, next_day, None]
    later = next_day + pd.Timedelta(days=2)  # a gap of two days
    test = _panel([part[9:] for part in parts], starts=[later] * 3)
    with pytest.warns(PaddingWarning, match=r"2 of the 3 series of X \('s0', 's1'\)"):
        out = lags.transform(test)
    assert_array_equal(out.loc["s0"].iloc[0, 2:4], parts[0][9])  # edge padding
    assert_array_equal(out.loc["s2"].iloc[0, 2:4], parts[2][8])  # its history


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_outlier_clipper_bounds_per_series_or_shared():
    parts, panel = _small_panel()
    shared = OutlierClipper(method="iqr").fit(panel)
    stacked = OutlierClipper(method="iqr").fit(np.concatenate(parts))
    assert_array_equal(shared.lower_, stacked.lower_)
    own = OutlierClipper(method="iqr", by_series=True).fit(panel)
    assert own.lower_.shape == (3, 2) and list(own.series_) == ["s0", "s1", "s2"]
    for i, part in enumerate(parts):
        assert_array_equal(own.lower_[i], OutlierClipper().fit(part).lower_)
    # a series unseen in fit has no bounds of its own: it passes unclipped
    unseen = _panel([parts[0] * 100], ["other"])
    with pytest.warns(UnseenSeriesWarning, match=r"1 of the 1 series of X \('other'"):
        assert_array_equal(own.transform(unseen), parts[0] * 100)
    with pytest.raises(ValueError, match="X must be a panel"):
        own.transform(np.concatenate(parts))


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_panel_mismatch_and_unsorted_series_raise():
    parts, panel = _small_panel()
    with pytest.raises(ValueError, match="X must be one too"):
        LagFeatures().fit(panel).transform(panel.to_numpy())
    with pytest.raises(ValueError, match="fit it on a panel"):
        LagFeatures().fit(panel.loc["s0"]).transform(panel)
    shuffled = pd.concat([panel.loc[["s0"]], panel.loc[["s1"]], panel.loc[["s0"]]])
    with pytest.raises(ValueError, match="'s0' is not in one block"):
        DiffFeatures().fit(shuffled)
    backwards = pd.concat({"s0": _series_frame(parts[0]).iloc[::-1]})
    with pytest.raises(ValueError, match="series 's0' of the panel X: .*unsorted"):
        RollingFeatures().fit(backwards)
    # a short series of a ragged panel is fitted (see test_ragged_panels.py);
    # only a panel whose every series is too short raises
    with pytest.raises(ValueError, match="series 's0' of the panel X: .*lag.*every"):
        LagFeatures(lags=10).fit(_panel([parts[0][:5], parts[1][:5]]))
