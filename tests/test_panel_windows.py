"""A panel's windows reach the LSTM streamed, and early stopping holds out
the latest time stamps of every series, not the last series.

The Windower returns :class:`~sklstm.preprocessing.Windows` on a panel: one
2-D base (each series' rows with its own history on top), a start row and a
time rank per window. The series here lie orders of magnitude apart, so a
window that reached into the series above would show it.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import LSTMRegressor, ResidualRegressor, SeedAveragingRegressor
from sklstm.exceptions import PaddingWarning
from sklstm.forecasting import NaiveForecaster
from sklstm.models import _engine
from sklstm.preprocessing import Windower, Windows

TINY = dict(units=3, epochs=2, batch_size=16, random_state=0)
# series of different lengths and starts: "c" starts 6 months after "a"
SERIES = {
    "a": (1.0, 30, "2020-01-01"),
    "b": (1e3, 24, "2020-01-01"),
    "c": (1e6, 20, "2020-07-01"),
}


def _panel(series=SERIES, seed=0):
    rng = np.random.default_rng(seed)
    frames = {}
    for name, (level, n, start) in series.items():
        index = pd.date_range(start, periods=n, freq="MS", name="time")
        values = level * (1 + rng.random((n, 2)))  # in [level, 2 level)
        frames[name] = pd.DataFrame(values, index=index, columns=["y", "x"])
    return pd.concat(frames, names=["series"])


@pytest.fixture(scope="module")
def panel():
    return _panel()


def _target(panel):
    return np.log(panel["y"].to_numpy()) + panel["x"].to_numpy() / panel["y"].to_numpy()


def test_no_window_straddles_two_series(panel):
    windows = Windower(window=5).fit_transform(panel)
    assert isinstance(windows, Windows) and windows.shape == (len(panel), 5, 2)
    levels = panel.index.get_level_values(0).map(lambda s: SERIES[s][0]).to_numpy()
    dense = np.asarray(windows)
    # every value of a row's window lies in [level, 2 level) of the row's series
    lo, hi = levels[:, None, None], 2 * levels[:, None, None]
    assert ((dense >= lo) & (dense < hi)).all()
    # the first window of "b" is its own first row repeated (edge padding)
    first_b = SERIES["a"][1]
    assert_array_equal(
        windows[first_b], np.repeat(panel.to_numpy()[first_b:][:1], 5, 0)
    )
    # a continuation reaches into each series' own training end
    train = panel.groupby(level=0, group_keys=False).apply(lambda s: s.iloc[:-4])
    test = panel.groupby(level=0, group_keys=False).apply(lambda s: s.iloc[-4:])
    with warnings.catch_warnings():
        warnings.simplefilter("error", PaddingWarning)
        continued = np.asarray(Windower(window=5).fit(train).transform(test))
    for i, name in enumerate(SERIES):
        expected = np.asarray(Windower(window=5).fit_transform(panel.loc[[name]]))
        assert_array_equal(continued[4 * i : 4 * i + 4], expected[-4:])


def test_windows_index_like_the_dense_array(panel):
    windows = Windower(window=3).fit_transform(panel)
    dense = np.asarray(windows)
    mask = np.arange(len(panel)) % 3 == 0
    rows = np.array([5, 0, 40, 73])
    for key in (mask, rows, slice(10, 50, 4), (mask, Ellipsis)):
        part = windows[key]
        assert isinstance(part, Windows) and part.base is windows.base
        assert_array_equal(np.asarray(part), dense[key])
    assert_array_equal(windows[-1], dense[-1])
    assert_array_equal(windows[:, -1], dense[:, -1])  # built dense for it
    assert len(windows) == len(dense) and windows.ndim == 3
    assert_array_equal(windows[rows].time_rank, windows.time_rank[rows])
    with pytest.raises(ValueError, match="read-only"):
        windows.base[0, 0] = 1.0


def test_time_ranks_are_shared_time_stamps(panel):
    windows = Windower(window=3).fit_transform(panel)
    months = panel.index.get_level_values(1)
    order = np.argsort(months.to_numpy(), kind="stable")
    assert_array_equal(windows.time_order(), order)
    # equal dates, equal ranks; "c" starts at rank 6 (July 2020)
    first_c = SERIES["a"][1] + SERIES["b"][1]
    assert windows.time_rank[first_c] == windows.time_rank[6] == 6
    # without time labels, the series are aligned at their ends
    plain = panel.reset_index(level=1, drop=True)
    plain.index = pd.MultiIndex.from_arrays(
        [plain.index, np.r_[np.arange(30), np.arange(24), np.arange(20)].astype(str)]
    )
    ranks = Windower(window=3).fit_transform(plain).time_rank
    assert_array_equal(ranks[[29, 53, 73]], [-1, -1, -1])
    assert_array_equal(ranks[[0, 30, 54]], [-30, -24, -20])


def test_early_stopping_holds_out_the_latest_time_stamps(panel, monkeypatch):
    windows = Windower(window=4).fit_transform(panel)
    y = _target(panel)
    seen = {}
    train = _engine.train

    def spy(model, key, windows, y, **kwargs):
        seen.update(windows=windows, fraction=kwargs["validation_fraction"], y=y)
        return train(model, key, windows, y, **kwargs)

    monkeypatch.setattr(_engine, "train", spy)
    params = dict(TINY, early_stopping=True, validation_fraction=0.2)
    LSTMRegressor(**params).fit(windows, y)
    n = len(panel)
    n_val = n - int(np.floor(n * 0.8))
    ranks = seen["windows"].time_rank
    assert ranks[-n_val:].min() >= ranks[:-n_val].max()  # the latest months
    # all three series end in the last months: each has windows held out
    held = np.sort(windows.time_order()[-n_val:])
    assert {"a", "b", "c"} == set(panel.index.get_level_values(0)[held])
    # targets and windows travel together, in the same order
    order = windows.time_order()
    last_y = panel["y"].to_numpy(dtype=np.float32)[order]
    assert_array_equal(np.asarray(seen["windows"])[:, -1, 0], last_y)
    assert_array_equal(np.argsort(seen["y"].ravel()), np.argsort(y[order]))


def test_a_panel_fit_is_a_fit_on_its_windows_in_time_order(panel):
    """Streamed windows, reordered oldest first, are the dense array's fit."""
    windows = Windower(window=4).fit_transform(panel)
    y = _target(panel)
    order = windows.time_order()
    dense = np.asarray(windows)
    params = dict(TINY, early_stopping=True, patience=1, epochs=3)
    streamed = LSTMRegressor(**params).fit(windows, y)
    sorted_dense = LSTMRegressor(**params).fit(dense[order], y[order])
    assert streamed.history_ == sorted_dense.history_
    # the target scaler's mean sums y in the other order: 1e-15 apart
    assert_allclose(streamed.predict(windows), sorted_dense.predict(dense), rtol=1e-12)
    # in panel order, the dense array holds out series "c" (another fit)
    in_panel_order = LSTMRegressor(**params).fit(dense, y)
    assert in_panel_order.history_["val_loss"] != streamed.history_["val_loss"]


def test_a_single_series_still_gives_a_window_view():
    frame = _panel().loc["a"]
    out = Windower(window=4).fit_transform(frame)
    assert isinstance(out, np.ndarray) and not out.flags.writeable


def test_panel_windows_through_the_wrappers(panel):
    y = _target(panel)
    pipe = make_pipeline(Windower(window=3), LSTMRegressor(**TINY))
    pipe.set_output(transform="pandas")
    averaged = make_pipeline(
        Windower(window=3),
        SeedAveragingRegressor(estimator=LSTMRegressor(**TINY), n_estimators=2),
    ).set_output(transform="pandas")
    residual = ResidualRegressor(regressor=pipe, baseline=NaiveForecaster(target="y"))
    for model in (pipe, averaged, residual):
        out = model.fit(panel, y).predict(panel)
        assert out.shape == (len(panel),) and np.isfinite(out).all()
    # GridSearchCV indexes the windows themselves (row folds, as a check only)
    windows = Windower(window=3).fit_transform(panel)
    search = GridSearchCV(
        LSTMRegressor(**TINY), {"units": [2, 3]}, cv=TimeSeriesSplit(2)
    ).fit(windows, y)
    assert search.predict(windows[:5]).shape == (5,)


def test_malformed_windows_are_refused(panel):
    windows = Windower(window=3).fit_transform(panel)
    bad = Windows(windows.base, windows.starts + 5, 3)
    with pytest.raises(ValueError, match="starts reach outside its base"):
        LSTMRegressor(**TINY).fit(bad, _target(panel))
