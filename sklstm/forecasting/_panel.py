"""Panels: many series in one long frame, indexed by (series, time)."""

import pandas as pd

__all__ = ["to_panel"]


def _check_column(frame, name, param):
    if name not in frame.columns:
        raise ValueError(
            f"{param}={name!r} is not a column of frame; "
            f"allowed: {list(frame.columns)}."
        )
    if frame[name].isna().any():
        raise ValueError(
            f"{param}={name!r}: the column has {int(frame[name].isna().sum())} "
            "missing values; every row needs a series id and a time."
        )


def _check_time(values, param, name):
    """Times must order themselves: datetimes, periods or numbers."""
    dtype = values.dtype
    ordered = (
        pd.api.types.is_datetime64_any_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
        or (
            pd.api.types.is_numeric_dtype(dtype)
            and not pd.api.types.is_bool_dtype(dtype)
        )
    )
    if not ordered:
        raise ValueError(
            f"{param}={name!r}: the time values must be datetimes, periods or numbers "
            f"so that they sort in time order; got dtype {dtype}. Convert them first, "
            "e.g. with pandas.to_datetime."
        )


def to_panel(frame, series, time=None):
    """Index a long frame with a series-id column by (series, time).

    The panel form that sklstm's panel-aware steps take: one row per (series,
    time) pair, a two-level :class:`pandas.MultiIndex` whose first level is the
    series and whose second is the time, sorted by series, then time (the form
    sktime uses for panels).

    Parameters
    ----------
    frame : pandas.DataFrame
        Long data: one row per series and time stamp, in any order.
    series : str
        The column that holds the series id (any sortable labels: str, int, ...).
    time : str or None, default=None
        The column that holds the time stamps: datetimes, periods or numbers
        (convert text first, e.g. with :func:`pandas.to_datetime`: ``"1990 Jan"``
        does not sort in time order). None takes the time from ``frame``'s index,
        which must then be a single level.

    Returns
    -------
    panel : pandas.DataFrame
        A new frame with the other columns of ``frame``, in their order, indexed
        by the MultiIndex ``(series, time)`` whose level names are the column names
        (the index's name, or ``"time"`` if it has none, when ``time`` is None),
        sorted by series, then time.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If ``series`` or ``time`` is not a column, or names the same column as the
        other, if either column has missing values, if the times are not
        datetimes, periods or numbers, if the series ids do not sort, or if a
        (series, time) pair occurs twice.

    See Also
    --------
    sklstm.datasets.load_us_employment : A real panel in this form.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.forecasting import to_panel
    >>> long = pd.DataFrame(
    ...     {
    ...         "store": ["b", "a", "b", "a"],
    ...         "month": pd.to_datetime(["2024-02", "2024-02", "2024-01", "2024-01"]),
    ...         "sales": [4.0, 2.0, 3.0, 1.0],
    ...     }
    ... )
    >>> panel = to_panel(long, series="store", time="month")
    >>> panel
                      sales
    store month
    a     2024-01-01    1.0
          2024-02-01    2.0
    b     2024-01-01    3.0
          2024-02-01    4.0
    >>> list(panel.index.names)
    ['store', 'month']
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "frame must be a pandas DataFrame in long form; "
            f"got {type(frame).__name__}."
        )
    if isinstance(frame.index, pd.MultiIndex) and time is None:
        raise ValueError(
            "time=None takes the times from frame's index, which must be a single "
            f"level; it has {frame.index.nlevels} levels ({list(frame.index.names)}). "
            "Name the time column instead."
        )
    _check_column(frame, series, "series")
    if time is None:
        time = frame.index.name if frame.index.name is not None else "time"
        if time == series:
            raise ValueError(
                f"series={series!r} names frame's index too; rename one of them."
            )
        frame = frame.reset_index(names=time)
    elif time == series:
        raise ValueError(f"series and time both name the column {series!r}.")
    _check_column(frame, time, "time")
    _check_time(frame[time], "time", time)

    panel = frame.set_index([series, time])
    duplicated = panel.index.duplicated()
    if duplicated.any():
        pairs = list(panel.index[duplicated][:3])
        raise ValueError(
            f"{int(duplicated.sum())} (series, time) pairs occur more than once in "
            f"columns series={series!r} and time={time!r}, e.g. {pairs}; a panel has "
            "one row per series and time."
        )
    panel = panel.sort_index()
    # pandas sorts mixed ids (1 before "a") by its own rule; the order must hold
    # for plain comparisons too, so that later steps can rely on it
    if not panel.index.is_monotonic_increasing:
        kinds = sorted({type(value).__name__ for value in panel.index.levels[0]})
        raise ValueError(
            f"series={series!r}: the series ids do not sort (types {kinds}); use ids "
            "of one type, e.g. all strings."
        )
    return panel
