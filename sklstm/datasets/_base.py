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
