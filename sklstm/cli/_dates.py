"""Dates of a CSV column, and the time step of the dates: one rule for every command.

:func:`parse_dates` reads a column of date text under one rule. Numeric dates
are read with explicit ``strptime`` formats: year first (ISO 8601, times and
UTC offsets included) as written; day/month/year or month/day/year only when
the column proves the order (a first field > 12: day first; a second field
> 12: month first), otherwise the column is *ambiguous*; a ``date_format``
reads every cell with that format. Different UTC offsets (a daylight saving
change) are converted to UTC, the regular grid of such a series. The result
says which cells are empty or not dates; the commands turn that into their
messages (:mod:`sklstm.cli._common`).

:func:`infer_grid` finds the time step of a DatetimeIndex also when some
timestamps are missing, in the index's own unit and calendar: month, quarter
and year starts and ends, business days, weekly anchors, ticks.
"""

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from sklstm.utils._time import infer_offset

__all__ = ["ParsedDates", "infer_grid", "parse_dates"]

_NUMERIC = re.compile(
    r"^(?P<a>\d{1,4})(?P<sep>[-/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<c>\d{1,4}))?"
    r"(?:(?P<tsep>[T ])(?P<time>\d{1,2}:\d{2}(?::\d{2}(?P<frac>[.,]\d{1,9})?)?))?"
    r"(?P<tzsp>\s?)(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_ORDERS = {"ymd": "year-month-day", "dmy": "day/month/year", "mdy": "month/day/year"}


@dataclass
class ParsedDates:
    """A column of date text as read by :func:`parse_dates`.

    ``dates`` holds NaT where a cell is ``empty`` or ``bad`` (text that is
    not a date under the column's rule). ``ambiguous`` is a cell whose
    day/month order the column leaves open (then nothing is parsed);
    ``proof`` a cell that proves a day-first or month-first order;
    ``offsets`` the different UTC offsets that were converted to UTC.
    """

    dates: pd.Series
    empty: np.ndarray
    bad: np.ndarray
    rule: str
    ambiguous: str | None = None
    proof: str | None = None
    offsets: tuple = ()

    @property
    def share(self):
        """The share of non-empty cells that are dates (or ambiguous dates)."""
        n_text = int((~self.empty).sum())
        if self.ambiguous is not None:
            return 1.0
        return int((~self.empty & ~self.bad).sum()) / n_text if n_text else 0.0


def parse_dates(values, date_format=None):
    """Read a column of date text under one rule; return :class:`ParsedDates`.

    Parameters
    ----------
    values : pandas.Series
        The cells, as read from the CSV (text, or already datetimes).
    date_format : str, default=None
        A ``strptime`` format for every cell (``"%d/%m/%Y"``); None: the rule
        described in the module.

    Raises
    ------
    ValueError
        If ``date_format`` is not a ``strptime`` format.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.cli._dates import parse_dates
    >>> parsed = parse_dates(pd.Series(["02/01/2020", "13/01/2020"]))
    >>> [f"{d:%Y-%m-%d}" for d in parsed.dates], parsed.rule, parsed.proof
    (['2020-01-02', '2020-01-13'], 'day/month/year (%d/%m/%Y)', '13/01/2020')
    >>> parse_dates(pd.Series(["02/01/2020", "03/01/2020"])).ambiguous
    '02/01/2020'
    """
    values = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        empty = values.isna().to_numpy()
        return ParsedDates(values, empty, np.zeros_like(empty), "datetimes")
    text = values.astype("string").str.strip()
    text = pd.Series(text.to_numpy(object, na_value=None), index=values.index)
    empty = (text.isna() | (text == "")).to_numpy(bool)
    if date_format is not None:
        return _with_format(text, empty, date_format)
    parts = text.str.extract(_NUMERIC)
    kind = _kinds(parts)
    if 2 * int(kind.notna().sum()) > int((~empty).sum()):
        return _numeric(text, empty, parts, kind)
    return _other(text, empty)


def _kinds(parts):
    """Each cell's kind of numeric date: "ymd", "ym", "xxy" (day/month first), or NA."""
    a, c = parts["a"].str.len(), parts["c"].str.len()
    kind = pd.Series(pd.NA, index=parts.index, dtype="object")
    kind[(a == 4) & (c <= 2)] = "ymd"
    kind[(a == 4) & c.isna() & (parts["sep"] == "-") & parts["time"].isna()] = "ym"
    kind[(a <= 2) & c.isin([2, 4])] = "xxy"
    kind[parts["a"].isna()] = pd.NA
    return kind


def _order(text, parts, xxy):
    """(order, proof, ambiguous) of the day/month-first cells ``xxy``."""
    if not xxy.any():
        return "ymd", None, None
    first, second = parts["a"][xxy].astype(int), parts["b"][xxy].astype(int)
    day, month = first > 12, second > 12
    if not (day.any() or month.any()):
        return None, None, text[xxy].iloc[0]
    order = "dmy" if day.sum() >= month.sum() else "mdy"
    proof = text[xxy][day if order == "dmy" else month].iloc[0]
    return order, proof, None


def _numeric(text, empty, parts, kind):
    """Numeric dates: one explicit format per shape of cell, one day/month order."""
    xxy = (kind == "xxy").to_numpy()
    order, proof, ambiguous = _order(text, parts, xxy)
    bad = ~empty & kind.isna().to_numpy()
    with_tz = parts["tz"].notna().to_numpy()
    tz = with_tz[~bad & ~empty].mean() > 0.5 if (~bad & ~empty).any() else False
    bad |= ~empty & (with_tz != tz)  # an offset where the others have none, or back
    if ambiguous is not None:
        nat = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
        rule = "day/month/year or month/day/year"
        return ParsedDates(nat, empty, bad & ~xxy, rule, ambiguous=ambiguous)
    formats = _formats(parts, kind, order)
    ok = ~empty & ~bad
    dates, offsets = _by_format(text[ok], formats[ok], parts["tz"][ok] if tz else None)
    dates = dates.reindex(text.index)
    bad |= ~empty & dates.isna().to_numpy()
    common = formats[ok].mode()
    rule = _ORDERS["ymd" if order is None else order]
    if len(common):
        rule = f"{rule} ({common.iloc[0]})"
    return ParsedDates(dates, empty, bad, rule, proof=proof, offsets=offsets)


def _formats(parts, kind, order):
    """The ``strptime`` format of each numeric cell."""
    sep = parts["sep"].fillna("")
    year = np.where(parts["c"].str.len() == 2, "%y", "%Y")
    first, second = ("%d", "%m") if order == "dmy" else ("%m", "%d")
    date = pd.Series(first + sep + second + sep + year, index=parts.index)
    date[kind == "ymd"] = "%Y" + sep + "%m" + sep + "%d"
    date[kind == "ym"] = "%Y-%m"
    colons = parts["time"].str.count(":").fillna(0)
    time = pd.Series("", index=parts.index, dtype="object")
    time[colons == 1] = "%H:%M"
    time[colons == 2] = "%H:%M:%S"
    has_frac = parts["frac"].notna()
    time[has_frac] = time[has_frac] + parts["frac"][has_frac].str[0] + "%f"
    zone = np.where(parts["tz"].notna(), parts["tzsp"].fillna("") + "%z", "")
    return date + parts["tsep"].fillna("") + time + zone


def _by_format(text, formats, tz):
    """Parse each group of cells with its format; return (dates, offsets to UTC).

    ``tz``: the cells' offsets when they carry one (None: naive dates). One
    offset is kept; different offsets become UTC.
    """
    offsets = ()
    if tz is not None:
        normal = tz.str.replace("Z", "+00:00").str.replace(
            r"^([+-]\d\d):?(\d\d)$", r"\1:\2", regex=True
        )
        offsets = tuple(dict.fromkeys(normal))
    pieces = [
        pd.to_datetime(text[rows], format=fmt, errors="coerce", utc=tz is not None)
        for fmt, rows in formats.groupby(formats, sort=False).groups.items()
    ]
    dtype = "datetime64[us, UTC]" if tz is not None else "datetime64[us]"
    dates = pd.concat(pieces) if pieces else pd.Series([], dtype=dtype)
    if len(offsets) == 1:
        zone = pd.Timestamp(f"2000-01-01T00:00{offsets[0]}").tz
        dates = dates.dt.tz_convert(zone)
        offsets = ()
    return dates, offsets


def _other(text, empty):
    """Dates that are not numeric (``Jan 2020``): pandas infers one format."""
    number = text.str.fullmatch(_NUMBER).fillna(False).to_numpy(bool)
    candidates = ~empty & ~number
    offsets = ()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            dates = pd.to_datetime(text[candidates], errors="coerce")
        except ValueError:  # different UTC offsets
            dates = pd.to_datetime(text[candidates], errors="coerce", utc=True)
            offsets = ("different offsets",)
    dates = dates.reindex(text.index)
    bad = ~empty & dates.isna().to_numpy()
    return ParsedDates(dates, empty, bad, "dates", offsets=offsets)


def _with_format(text, empty, date_format):
    """Every cell read with the user's ``strptime`` format."""
    if "%" not in date_format:
        raise ValueError("has no % directive")
    cells = text[~empty]
    offsets = ()
    try:
        try:
            dates = pd.to_datetime(cells, format=date_format, errors="coerce")
        except ValueError as exc:
            if "timezone" not in str(exc).lower():
                raise
            dates = pd.to_datetime(cells, format=date_format, errors="coerce", utc=True)
            offsets = ("different offsets",)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    dates = dates.reindex(text.index)
    bad = ~empty & dates.isna().to_numpy()
    return ParsedDates(dates, empty, bad, date_format, offsets=offsets)


# --------------------------------------------------------------------------- #
# the time step
# --------------------------------------------------------------------------- #
def infer_grid(index):
    """The time step of a DatetimeIndex, also with timestamps missing.

    ``pd.infer_freq`` decides a complete index. Otherwise each candidate step
    is tried in turn, and the first whose grid from the first to the last
    timestamp holds every timestamp, with at most as many gaps as rows, wins;
    it is named as ``pd.infer_freq`` names that complete grid (``QS-JAN``,
    ``W-SUN``, ``B``, ``D``):

    - month starts (or ends) at midnight: the most common number of months
      between rows;
    - a step of one day where no date falls on a weekend but the span holds
      one: business days;
    - the most common difference between rows, in the index's own unit.

    Returns
    -------
    offset : pandas.DateOffset or None
        None when no candidate fits.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.cli._dates import infer_grid
    >>> days = pd.bdate_range("2024-01-01", periods=30)
    >>> infer_grid(days.delete(10)).freqstr  # a holiday: still business days
    'B'
    >>> infer_grid(pd.date_range("2020-01-31", periods=9, freq="QE").delete(4))
    <QuarterEnd: startingMonth=12>
    """
    offset = infer_offset(index)
    if offset is not None or len(index) < 2:
        return offset
    for candidate in _candidates(index):
        grid = pd.date_range(index[0], index[-1], freq=candidate)
        if len(grid) <= 2 * len(index) and index.isin(grid).all():
            return infer_offset(grid) or candidate
    return None


def _candidates(index):
    """The steps :func:`infer_grid` tries, most specific first."""
    midnight = bool((index == index.normalize()).all())
    if midnight and (index.is_month_start.all() or index.is_month_end.all()):
        months = index.year * 12 + index.month
        step = pd.Series(np.diff(months)).mode()
        if len(step) and step.iloc[0] > 0:
            end = "ME" if index.is_month_end.all() else "MS"
            yield to_offset(f"{int(step.iloc[0])}{end}")
    step = index.to_series().diff().iloc[1:].mode()
    if not len(step) or step.iloc[0] <= pd.Timedelta(0):
        return
    step = step.iloc[0]
    span = (index[-1] - index[0]) / step
    if span > 2 * len(index):  # most of the grid would be gaps
        return
    if step == pd.Timedelta(days=1) and (index.day_of_week < 5).all():
        business = pd.bdate_range(index[0], index[-1])
        if len(business) < span + 1:  # the span holds a weekend
            yield to_offset("B")
    yield to_offset(step)
