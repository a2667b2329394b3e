"""CalendarFeatures: hand-checked values, names, panels, steps ahead, errors.

Also the API properties that tests/test_common.py's estimator checks cannot
reach (they fit NumPy arrays, which have no time index), on dated frames; and
no look-ahead, by hypothesis.
"""

import pickle
import sys

import numpy as np
import pandas as pd
import pytest
from _lookahead import changed_after_t, series_frames
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from sklstm.preprocessing import CalendarFeatures, LagFeatures

pytest.importorskip("holidays")  # in the test extra; the holiday tests need it


def _frame(index, n_columns=1):
    values = np.arange(len(index) * n_columns, dtype=np.float64)
    columns = [f"c{j}" for j in range(n_columns)]
    return pd.DataFrame(values.reshape(len(index), n_columns), index, columns)


def _calendar(est, X):
    """The calendar columns only, as a DataFrame named by the estimator."""
    out = est.fit(X).transform(X)
    names = est.get_feature_names_out()
    return pd.DataFrame(out, index=X.index, columns=names).iloc[:, X.shape[1] :]


# --- values, checked by hand ---


def test_month_cyclic_values():
    X = _frame(pd.date_range("2023-01-01", periods=12, freq="MS"))
    out = _calendar(CalendarFeatures(), X)
    assert list(out.columns) == ["month_sin", "month_cos"]
    # January at angle 0, April a quarter turn, July half, October three quarters
    assert_allclose(
        out.iloc[[0, 3, 6, 9]], [[0, 1], [1, 0], [0, -1], [-1, 0]], atol=1e-12
    )
    # December sits next to January: one twelfth of a turn before it
    assert_allclose(out.iloc[11], [np.sin(-np.pi / 6), np.cos(-np.pi / 6)])


@pytest.mark.parametrize(
    "stamp, dayofweek, week, hour",
    [
        ("2024-12-25 06:30", 2, 52, 6),  # Christmas 2024, a Wednesday
        ("2024-12-30 23:00", 0, 1, 23),  # Monday: ISO week 1 of 2025
        ("2021-01-03 00:00", 6, 53, 0),  # Sunday: ISO week 53 of 2020
    ],
)
def test_dayofweek_weekofyear_hour_ordinal(stamp, dayofweek, week, hour):
    X = _frame(pd.DatetimeIndex([stamp]))
    est = CalendarFeatures(
        features=["dayofweek", "weekofyear", "hour"], encoding="ordinal"
    )
    assert _calendar(est, X).iloc[0].tolist() == [dayofweek, week, hour]


def test_hour_cyclic_counts_the_minutes():
    X = _frame(pd.DatetimeIndex(["2024-12-25 06:30", "2024-12-25 18:00"]))
    out = _calendar(CalendarFeatures(features=["hour"]), X)
    angle = 2 * np.pi * np.array([6.5, 18.0]) / 24
    assert_allclose(out.to_numpy(), np.column_stack([np.sin(angle), np.cos(angle)]))


def test_onehot_has_every_value_of_the_cycle():
    X = _frame(pd.date_range("2024-12-23", periods=4, freq="D"))
    out = _calendar(CalendarFeatures(features=["dayofweek"], encoding="onehot"), X)
    assert list(out.columns) == [f"dayofweek_{d}" for d in range(7)]
    expected = np.zeros((4, 7))
    expected[range(4), range(4)] = 1.0  # Monday .. Thursday
    assert_array_equal(out.to_numpy(), expected)
    month = CalendarFeatures(features=["month"], encoding="onehot").fit(X)
    assert month.get_feature_names_out()[1:].tolist() == [
        f"month_{m}" for m in range(1, 13)
    ]


def test_us_holidays_and_distances():
    X = _frame(
        pd.DatetimeIndex(["2024-12-20", "2024-12-24", "2024-12-25", "2024-12-26"])
    )
    est = CalendarFeatures(features=[], country="US", holiday_distance=True)
    out = _calendar(est, X)
    assert list(out.columns) == ["holiday", "days_to_holiday", "days_since_holiday"]
    # Thanksgiving 2024-11-28, Christmas 2024-12-25, New Year 2025-01-01
    assert out.to_numpy().tolist() == [
        [0, 5, 22],
        [0, 1, 26],
        [1, 0, 0],
        [0, 6, 1],
    ]


def test_holiday_distances_stop_at_366_days(monkeypatch):
    """A calendar with one holiday in three years: distances are capped."""
    import holidays

    def one_holiday(country, subdiv=None, years=()):
        return {pd.Timestamp("2021-06-01").date(): "the only one"}

    monkeypatch.setattr(holidays, "country_holidays", one_holiday)
    X = _frame(pd.DatetimeIndex(["2020-01-01", "2021-05-30", "2023-01-01"]))
    est = CalendarFeatures(features=[], country="US", holiday_distance=True)
    assert _calendar(est, X).to_numpy().tolist() == [
        [0, 366, 366],  # 517 days before it, none before
        [0, 2, 366],
        [0, 366, 366],  # 579 days after it, none after
    ]


def test_observed_holiday_and_subdivision():
    # Christmas 2021 fell on a Saturday: observed on Friday the 24th (federal)
    X = _frame(pd.DatetimeIndex(["2021-12-24", "2024-04-15"]))
    federal = _calendar(CalendarFeatures(features=[], country="US"), X)
    assert federal["holiday"].tolist() == [1, 0]
    # Patriots' Day (2024-04-15) is a holiday in Massachusetts only
    patriots = _frame(pd.DatetimeIndex(["2024-04-15"]))
    massachusetts = CalendarFeatures(features=[], country="US", subdiv="MA")
    assert _calendar(massachusetts, patriots)["holiday"].tolist() == [1]


def test_time_zone_aware_index_uses_the_wall_clock():
    # 22:00 in New York on Christmas Eve is already Christmas Day in UTC
    index = pd.DatetimeIndex(["2024-12-24 22:00"]).tz_localize("America/New_York")
    est = CalendarFeatures(features=["hour"], encoding="ordinal", country="US")
    assert _calendar(est, _frame(index)).iloc[0].tolist() == [22, 0]


def test_period_index():
    X = _frame(pd.period_range("2023-11", periods=3, freq="M"))
    est = CalendarFeatures(encoding="ordinal", steps_ahead=[0, 2])
    out = _calendar(est, X)
    assert est.features_ == ["month"]
    assert out.to_numpy().tolist() == [[11, 1], [12, 2], [1, 3]]


# --- "auto" ---


@pytest.mark.parametrize(
    "index, features",
    [
        (pd.date_range("2020-01-01", periods=30, freq="MS"), ["month"]),
        (pd.date_range("2020-01-01", periods=12, freq="QS"), ["month"]),
        (pd.period_range("2020-01", periods=30, freq="M"), ["month"]),
        (pd.date_range("2020-01-05", periods=60, freq="W-SUN"), ["weekofyear"]),
        (pd.date_range("2020-01-01", periods=60, freq="D"), ["dayofweek", "month"]),
        (pd.bdate_range("2020-01-01", periods=60), ["dayofweek", "month"]),
        (pd.date_range("2020-01-01", periods=60, freq="h"), ["hour", "dayofweek"]),
        (pd.date_range("2020-01-01", periods=60, freq="15min"), ["hour", "dayofweek"]),
    ],
)
def test_auto_picks_the_features_that_vary_at_the_step(index, features):
    assert CalendarFeatures().fit(_frame(index)).features_ == features


def test_auto_on_yearly_data_asks_for_features():
    X = _frame(pd.date_range("2000-01-01", periods=10, freq="YS"))
    with pytest.raises(ValueError, match="features='auto' finds no calendar"):
        CalendarFeatures().fit(X)
    # the holidays alone are still something to add
    assert CalendarFeatures(country="US").fit(X).features_ == []


def test_auto_on_one_row_uses_the_freq():
    X = _frame(pd.date_range("2020-03-01", periods=1, freq="MS"))
    assert CalendarFeatures().fit(X).features_ == ["month"]
    X.index.freq = None
    with pytest.raises(ValueError, match="single time stamp and no freq"):
        CalendarFeatures().fit(X)


# --- steps ahead ---


def test_steps_ahead_names_and_values():
    X = _frame(pd.date_range("2024-10-01", periods=3, freq="MS"))
    est = CalendarFeatures(encoding="ordinal", steps_ahead=3).fit(X)
    assert est.steps_ == [1, 2, 3]
    assert est.get_feature_names_out().tolist() == [
        "c0",
        "month_ahead_1",
        "month_ahead_2",
        "month_ahead_3",
    ]
    assert est.transform(X)[:, 1:].tolist() == [[11, 12, 1], [12, 1, 2], [1, 2, 3]]
    both = CalendarFeatures(encoding="ordinal", steps_ahead=[0, 2], country="US")
    assert both.fit(X).get_feature_names_out().tolist() == [
        "c0",
        "month",
        "holiday",
        "month_ahead_2",
        "holiday_ahead_2",
    ]


def test_steps_ahead_of_a_lone_row_use_the_step_fit_learned():
    """A forecast origin alone (no freq on its index) gets the next months."""
    X = _frame(pd.date_range("2024-01-01", periods=24, freq="MS"))
    X.index.freq = None  # inferred in fit
    est = CalendarFeatures(encoding="ordinal", steps_ahead=2).fit(X)
    origin = _frame(pd.DatetimeIndex(["2025-12-01"]))
    assert est.transform(origin)[0, 1:].tolist() == [1, 2]


def test_steps_ahead_follow_business_hours():
    """Friday 20:00 + 1 business hour (Monday a holiday) is Tuesday 07:00."""
    hours = pd.offsets.CustomBusinessHour(
        start="07:00", end="21:00", holidays=["2003-05-26"]
    )
    X = _frame(pd.date_range("2003-05-23 18:00", periods=4, freq=hours))
    est = CalendarFeatures(encoding="ordinal", steps_ahead=[0, 1], country="US")
    out = _calendar(est, X)
    assert est.features_ == ["hour", "dayofweek"]
    assert out.iloc[2].tolist() == [20, 4, 0, 7, 1, 0]  # Fri 20:00 -> Tue 07:00
    # the holiday of a step ahead: Memorial Day is one calendar day after Sunday
    days = _frame(pd.date_range("2003-05-24", periods=2, freq="D"))
    ahead = CalendarFeatures(features=[], country="US", steps_ahead=1)
    assert _calendar(ahead, days)["holiday_ahead_1"].tolist() == [0, 1]


def test_steps_ahead_need_a_step():
    X = _frame(pd.DatetimeIndex(["2024-01-01", "2024-01-03", "2024-01-10"]))
    with pytest.raises(ValueError, match=r"steps_ahead=2 needs the step .*asfreq"):
        CalendarFeatures(steps_ahead=2).fit(X)
    CalendarFeatures(features=["month"]).fit(X)  # no step needed for t itself


def test_steps_ahead_refuse_another_frequency():
    est = CalendarFeatures(steps_ahead=1).fit(
        _frame(pd.date_range("2024-01-01", periods=5, freq="MS"))
    )
    with pytest.raises(ValueError, match="fit saw a DatetimeIndex with step"):
        est.transform(_frame(pd.date_range("2024-01-01", periods=5, freq="D")))
    with pytest.raises(ValueError, match="X has a PeriodIndex"):
        est.transform(_frame(pd.period_range("2024-01", periods=5, freq="M")))


# --- panels ---


def _panel():
    a = pd.date_range("2024-12-20", periods=5, freq="D")
    b = pd.date_range("2024-12-23", periods=3, freq="D")
    index = pd.MultiIndex.from_tuples(
        [("a", t) for t in a] + [("b", t) for t in b], names=["series", "date"]
    )
    return _frame(index), _frame(a), _frame(b)


@pytest.mark.parametrize("steps_ahead", [0, 2])
def test_panel_rows_get_their_own_time(steps_ahead):
    panel, a, b = _panel()
    params = dict(features=["dayofweek"], country="US", steps_ahead=steps_ahead)
    est = CalendarFeatures(**params).set_output(transform="pandas")
    out = est.fit_transform(panel)
    assert out.index.equals(panel.index)
    single = np.vstack(
        [CalendarFeatures(**params).fit(part).transform(part) for part in (a, b)]
    )
    # series b starts on Monday 23rd: its first row is not a's next row
    assert_array_equal(out.to_numpy()[:, 1:], single[:, 1:])
    if steps_ahead == 0:
        assert out.loc[("b", "2024-12-25"), "holiday"] == 1.0
        assert out.loc[("b", "2024-12-23"), "dayofweek_sin"] == 0.0  # Monday


def test_panel_with_unsorted_series_is_refused():
    panel, _, _ = _panel()
    with pytest.raises(ValueError, match="series 'a'.*unsorted"):
        CalendarFeatures().fit(panel.iloc[[1, 0, 2, 3, 4, 5, 6, 7]])


# --- pandas output, pipelines, no input columns ---


def test_pandas_output_and_pipeline():
    X = _frame(pd.date_range("2020-01-01", periods=36, freq="MS"), n_columns=2)
    est = CalendarFeatures(encoding="onehot").set_output(transform="pandas")
    out = est.fit_transform(X)
    assert isinstance(out, pd.DataFrame) and out.index.equals(X.index)
    assert list(out.columns) == list(est.get_feature_names_out())
    assert out.columns[:3].tolist() == ["c0", "c1", "month_1"]
    assert_array_equal(out[["c0", "c1"]], X)
    y = np.sin(np.arange(36) * np.pi / 6)
    pipe = make_pipeline(LagFeatures(lags=1), CalendarFeatures(), Ridge())
    pipe.set_output(transform="pandas")
    assert pipe.fit(X, y).predict(X).shape == (36,)


def test_a_frame_without_columns_gives_the_calendar_alone():
    X = pd.DataFrame(index=pd.date_range("2024-12-24", periods=3, freq="D"))
    est = CalendarFeatures(features=["dayofweek"], encoding="ordinal", country="US")
    out = est.fit(X).transform(X)
    assert out.tolist() == [[1, 0], [2, 1], [3, 0]]
    assert est.get_feature_names_out().tolist() == ["dayofweek", "holiday"]


# --- errors ---


@pytest.mark.parametrize(
    "X, described",
    [
        (np.ones((4, 2)), "ndarray, which has no index"),
        (pd.DataFrame({"y": [1.0, 2.0, 3.0]}), "RangeIndex"),
        (pd.DataFrame({"y": [1.0, 2.0]}, index=pd.Index(["a", "b"])), "Index"),
    ],
)
def test_missing_time_index_says_what_is_needed(X, described):
    with pytest.raises(ValueError, match="needs the time of every row") as info:
        CalendarFeatures().fit(X)
    message = str(info.value)
    assert "DatetimeIndex or PeriodIndex" in message and described in message
    assert "set_output(transform='pandas')" in message


def test_transform_without_time_index_is_refused():
    X = _frame(pd.date_range("2020-01-01", periods=12, freq="MS"))
    est = CalendarFeatures().fit(X)
    with pytest.raises(ValueError, match="needs the time of every row"):
        est.transform(X.reset_index(drop=True))  # an index lost on the way


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"features": ["month", "season"]}, ValueError, "'season' is not a calendar"),
        ({"features": ["month", "month"]}, ValueError, "lists a feature twice"),
        ({"features": []}, ValueError, "features=\\[\\] and country=None"),
        ({"features": "month"}, InvalidParameterError, "'features' parameter"),
        ({"encoding": "sincos"}, InvalidParameterError, "'encoding' parameter"),
        ({"steps_ahead": -1}, InvalidParameterError, "'steps_ahead' parameter"),
        ({"steps_ahead": [1, 1]}, ValueError, "steps_ahead=\\[1, 1\\] contains dup"),
        ({"steps_ahead": [0, -2]}, ValueError, "every entry must be an int >= 0"),
        ({"country": "XX"}, ValueError, "country='XX', subdiv=None: the holidays"),
        ({"country": "US", "subdiv": "ZZ"}, ValueError, "subdiv='ZZ': the holidays"),
        ({"subdiv": "MA"}, ValueError, "subdiv='MA' needs a country"),
        ({"holiday_distance": True}, ValueError, "holiday_distance=True needs a"),
    ],
)
def test_bad_parameters(params, error, match):
    X = _frame(pd.date_range("2020-01-01", periods=12, freq="MS"))
    with pytest.raises(error, match=match):
        CalendarFeatures(**params).fit(X)


def test_missing_holidays_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "holidays", None)  # import fails
    X = _frame(pd.date_range("2020-01-01", periods=12, freq="MS"))
    with pytest.raises(ImportError, match=r"pip install 'sklstm\[holidays\]'"):
        CalendarFeatures(country="US").fit(X)
    CalendarFeatures().fit(X)  # without a country, holidays is never imported


def test_column_name_clash_is_refused():
    X = _frame(pd.date_range("2020-01-01", periods=12, freq="MS"))
    X.columns = ["month_sin"]
    with pytest.raises(
        ValueError, match=r"already has the column\(s\) \['month_sin'\]"
    ):
        CalendarFeatures().fit(X)


def test_unsorted_or_duplicated_index_is_refused():
    index = pd.date_range("2020-01-01", periods=4, freq="MS")
    with pytest.raises(ValueError, match="unsorted DatetimeIndex"):
        CalendarFeatures().fit(_frame(index[::-1]))
    with pytest.raises(ValueError, match="duplicated DatetimeIndex"):
        CalendarFeatures().fit(_frame(index[[0, 1, 1, 2]]))


# --- the API properties the estimator checks test on arrays ---


@pytest.fixture
def monthly():
    return _frame(pd.date_range("2020-01-01", periods=30, freq="MS"), n_columns=2)


def test_api_properties_on_dated_frames(monthly):
    est = CalendarFeatures(country="US", holiday_distance=True, steps_ahead=[0, 1])
    params = est.get_params()
    assert est.fit(monthly) is est
    assert est.get_params() == params  # fit does not touch the parameters
    out = est.transform(monthly)
    assert out.shape == (30, est.n_features_out_) and est.n_features_in_ == 2
    assert_array_equal(clone(est).fit_transform(monthly), out)  # idempotent
    assert_array_equal(pickle.loads(pickle.dumps(est)).transform(monthly), out)
    with pytest.raises(ValueError, match="Feature names seen at fit time, yet now"):
        est.transform(monthly[["c0"]])
    with pytest.raises(NotFittedError):
        CalendarFeatures().transform(monthly)


def test_dtype_and_read_only_input(monthly):
    single = monthly.astype(np.float32)
    out = CalendarFeatures().fit_transform(single)
    assert out.dtype == np.float32
    frozen = monthly.copy()
    values = frozen.to_numpy()
    values.flags.writeable = False
    ro = pd.DataFrame(values, index=frozen.index, columns=frozen.columns, copy=False)
    assert_array_equal(CalendarFeatures().fit_transform(ro)[:, :2], monthly)
    gappy = monthly.copy()
    gappy.iloc[3, 0] = np.nan  # passes through; the calendar has no gap
    out = CalendarFeatures().fit_transform(gappy)
    assert np.isnan(out[3, 0]) and np.isfinite(out[:, 2:]).all()


# --- no look-ahead ---

X_TRAIN, _, X_TEST = series_frames()


@settings(max_examples=25)
@given(
    data=st.data(),
    encoding=st.sampled_from(["cyclic", "onehot", "ordinal"]),
    steps_ahead=st.sampled_from([0, 3, [0, 12]]),
)
def test_no_look_ahead_in_the_values(data, encoding, steps_ahead):
    """Rows after t changed (gaps included): rows <= t of the output agree."""
    est = CalendarFeatures(encoding=encoding, steps_ahead=steps_ahead, country="US")
    est.fit(X_TRAIN)
    first, second, t = data.draw(changed_after_t(X_TEST))
    out_first, out_second = est.transform(first), est.transform(second)
    assert len(out_first) == len(first)
    assert_array_equal(out_first[: t + 1], out_second[: t + 1])


# all rows after the first moved to a regular daily index: a step inferred from
# X's own index would be a day, not fit's month
@example(cut=1, later=[1] * len(X_TEST), steps_ahead=2)
@settings(max_examples=25)
@given(
    cut=st.integers(1, len(X_TEST) - 1),
    later=st.lists(st.integers(1, 400), min_size=len(X_TEST), max_size=len(X_TEST)),
    steps_ahead=st.sampled_from([0, 2, [0, 5]]),
)
def test_no_look_ahead_in_the_time_stamps(cut, later, steps_ahead):
    """Rows after t moved to other (later, irregular) dates: rows <= t agree.

    The stamps of steps ahead come from the step fit learned, never from the
    stamps of the other rows of X.
    """
    est = CalendarFeatures(
        features=["month", "dayofweek"], steps_ahead=steps_ahead, country="US"
    ).fit(X_TRAIN)
    moved = X_TEST.index[cut - 1] + pd.to_timedelta(np.cumsum(later[cut:]), unit="D")
    index = pd.DatetimeIndex([*X_TEST.index[:cut], *moved])
    second = X_TEST.set_axis(index)
    out_first, out_second = est.transform(X_TEST), est.transform(second)
    assert_array_equal(out_first[:cut], out_second[:cut])
