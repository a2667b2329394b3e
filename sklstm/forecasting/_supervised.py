"""Frame a time-indexed series as a supervised problem; split it per the protocol."""

from numbers import Integral, Real

import pandas as pd

from ._future import add_ahead_columns, check_future_columns
from ._panel_framing import check_panel, is_panel, per_series

__all__ = ["make_supervised", "train_test_split_series"]


def _check_frame(frame, target):
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "frame must be a pandas DataFrame (or Series) in time order; "
            f"got {type(frame).__name__}."
        )
    if target not in frame.columns:
        raise ValueError(
            f"target={target!r} is not a column of frame; "
            f"allowed: {list(frame.columns)}."
        )
    return frame


def _check_horizon(horizon, n):
    if isinstance(horizon, bool) or not isinstance(horizon, Integral) or horizon < 1:
        raise ValueError(f"horizon={horizon!r} must be an integer >= 1.")
    if horizon >= n:
        raise ValueError(
            f"horizon={horizon} must be smaller than the number of rows of frame "
            f"({n}): at least one row needs a known future."
        )
    return int(horizon)


def _each_series(frame, horizon, function):
    """``function(frame)``; for a panel, of each series, the outputs stacked."""
    if not is_panel(frame):
        return function(frame)
    _check_horizon(horizon, len(frame))  # a bad type is named once, not per series
    parts = per_series(frame, check_panel(frame), function)
    return tuple(pd.concat(column) for column in zip(*parts, strict=True))


def make_supervised(frame, target, horizon=1, future=None):
    """Frame a time series as a supervised problem: X row t predicts the next steps.

    Row t of ``X`` is everything known at time t: every column of ``frame`` at t,
    the target's current value included. Row t of ``y`` is the target at
    t+1, ..., t+horizon. The last ``horizon`` rows, whose future is unknown, are
    dropped; no other row is dropped, so the causal transformers of a pipeline can
    compute their features from ``X`` alone.

    A panel (many series in one long frame indexed by a two-level MultiIndex
    (series, time), sorted by series, then time) is framed series by series:
    row (s, t) of ``y`` holds series s's target at t+1 .. t+horizon, each
    series loses its own last ``horizon`` rows, and no target comes from
    another series. The result is the concatenation of framing each series
    alone.

    Columns whose future values are known when the forecast is made (planned
    advertising, prices, a promotion flag), named in ``future``, also enter
    row t with their values at t+1 .. t+horizon, as the new columns
    ``f"{column}_ahead_{k}"``, k = 1 .. horizon, after the columns of
    ``frame`` (the column's value at t stays as it is). No other column gets
    any value after t, and the rows are the same.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series of shape (n_samples, n_columns)
        The series in time order, ideally indexed by a DatetimeIndex with ``freq``
        set (as returned by :mod:`sklstm.datasets`). A Series is used as a one-column
        frame. Or a panel: a MultiIndex (series, time), each series' rows
        contiguous and in time order.
    target : str
        Name of the column to forecast.
    horizon : int, default=1
        Number of steps ahead, ``1 <= horizon < len(frame)`` (for a panel, less
        than the length of every series).
    future : str or list of str, default=None
        The columns known ahead (not the target). None: none.

    Returns
    -------
    X : pandas.DataFrame of shape (n_samples - horizon, n_columns)
        ``frame`` without its last ``horizon`` rows (same columns, same index);
        with ``future``, followed by ``horizon`` columns per column known
        ahead.
    y : pandas.Series or pandas.DataFrame of shape (n_samples - horizon,) or \
(n_samples - horizon, horizon)
        The target ``horizon`` steps ahead, with the index of ``X``: row t holds the
        values at t+1 .. t+horizon. A Series named ``f"{target}_h1"`` when
        ``horizon == 1`` (what single-output regressors expect), otherwise a
        DataFrame with columns ``f"{target}_h1"`` .. ``f"{target}_h{horizon}"``
        (multi-output regressors accept it).

    Raises
    ------
    ValueError
        If ``target`` is not a column, ``horizon`` is not an integer in
        ``[1, len(frame))``, or a column of ``future`` is the target or not a
        column of ``frame``. For a panel, also if a series' rows are not
        contiguous or its time stamps not increasing (the message names the
        series).

    See Also
    --------
    train_test_split_series : The same framing, split as the accuracy protocol says.

    Notes
    -----
    Missing target values stay missing in ``y``. sklstm's recipe
    (:func:`~sklstm.recipe.make_lstm_forecaster`, through
    :class:`~sklstm.compose.ResidualRegressor`) and
    :class:`RidgeLagForecaster` leave those rows out of training with a
    :class:`~sklstm.exceptions.MissingTargetWarning`; most scikit-learn
    regressors reject NaN targets, so impute the series first for them (the
    accuracy protocol interpolates CO2 linearly).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.forecasting import make_supervised
    >>> frame = pd.DataFrame(
    ...     {"sales": [1.0, 2.0, 3.0, 4.0, 5.0]},
    ...     index=pd.date_range("2024-01-01", periods=5, freq="D"),
    ... )
    >>> X, y = make_supervised(frame, "sales", horizon=2)
    >>> X
                sales
    2024-01-01    1.0
    2024-01-02    2.0
    2024-01-03    3.0
    >>> y
                sales_h1  sales_h2
    2024-01-01       2.0       3.0
    2024-01-02       3.0       4.0
    2024-01-03       4.0       5.0

    A promotion planned ahead enters row t with its values at t+1 and t+2:

    >>> frame["promo"] = [0.0, 1.0, 0.0, 0.0, 1.0]
    >>> X, y = make_supervised(frame, "sales", horizon=2, future="promo")
    >>> X
                sales  promo  promo_ahead_1  promo_ahead_2
    2024-01-01    1.0    0.0            1.0            0.0
    2024-01-02    2.0    1.0            0.0            0.0
    2024-01-03    3.0    0.0            0.0            1.0

    A panel is framed per series (each loses its own last row here):

    >>> panel = pd.DataFrame(
    ...     {"sales": [1.0, 2.0, 3.0, 10.0, 20.0, 30.0]},
    ...     index=pd.MultiIndex.from_product([["a", "b"], [1, 2, 3]],
    ...                                      names=["store", "day"]),
    ... )
    >>> X, y = make_supervised(panel, "sales")
    >>> y
    store  day
    a      1       2.0
           2       3.0
    b      1      20.0
           2      30.0
    Name: sales_h1, dtype: float64
    """
    frame = _check_frame(frame, target)
    future = check_future_columns(frame, target, future)
    return _each_series(
        frame, horizon, lambda part: _frame_series(part, target, horizon, future)
    )


def _frame_series(frame, target, horizon, future=()):
    """:func:`make_supervised` of one series (a checked frame)."""
    n = len(frame)
    horizon = _check_horizon(horizon, n)
    X = add_ahead_columns(frame, future, horizon).iloc[: n - horizon].copy()
    series = frame[target]
    columns = {
        f"{target}_h{step}": series.shift(-step).iloc[: n - horizon]
        for step in range(1, horizon + 1)
    }
    y = pd.DataFrame(columns, index=X.index)
    if horizon == 1:
        y = y.iloc[:, 0]
    return X, y


def _resolve_n_test(n_test, n):
    if isinstance(n_test, bool):
        pass
    elif isinstance(n_test, Integral):
        if 1 <= n_test < n:
            return int(n_test)
    elif isinstance(n_test, Real) and 0 < n_test < 1:
        value = round(n_test * n)
        if 1 <= value < n:
            return value
    raise ValueError(
        f"n_test={n_test!r} must be an integer in [1, {n - 1}] (a number of points) "
        f"or a float in (0, 1) (a fraction of the {n} points)."
    )


def train_test_split_series(frame, target, *, horizon=1, n_test=0.2, future=None):
    """Split a series into the train and test rows of the accuracy protocol.

    The first ``n_train = len(frame) - n_test`` points are the train part, the rest
    the test part. ``X`` and ``y`` are framed as in :func:`make_supervised` (row t:
    everything known at t; targets t+1 .. t+horizon).

    - Train rows are ``0 .. n_train - 1 - horizon``: exactly the rows whose whole
      target window lies in the train part, so fitting on them uses no test value.
    - Test rows are the ``n_test`` rows that follow, ``n_train - horizon ..
      n - 1 - horizon``. ``X_test``'s first label comes right after ``X_train``'s
      last one, so estimators that keep the end of the training data (lags, windows,
      seasonal naive) see the real, gap-free history.
    - The protocol's forecast origins o = n_train .. n - horizon (forecast
      y[o] .. y[o + horizon - 1] from history up to o - 1) are the *last*
      ``n_test - horizon + 1`` test rows. The first ``horizon - 1`` test rows are
      *bridge* rows: their X holds only train-part data, but their target windows
      straddle the split, so the protocol does not score them. With
      ``horizon=1`` there is none. Score ``y_test.iloc[horizon - 1:]`` against
      ``y_pred[horizon - 1:]``, or use :func:`evaluate_forecaster`, which does.

    A panel (a MultiIndex (series, time)) is split series by series: the last
    ``n_test`` points of *every* series are its test part, with the rules above
    (bridge rows included) applied to each series, and the four parts come back
    as panels in the panel's order. A fraction ``n_test`` is a fraction of each
    series' own length.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        The series in time order, every column known at its row's time. Impute
        missing target values first. Or a panel: a MultiIndex (series, time),
        each series' rows contiguous and in time order.
    target : str
        Name of the column to forecast.
    horizon : int, default=1
        Number of steps ahead; 1 for rolling-origin one-step forecasts, 12 for the
        protocol's every-origin twelve-step forecasts.
    n_test : int or float, default=0.2
        Size of the test part: a number of points, or a fraction of ``len(frame)``
        rounded to the nearest integer (0.2 of 2284 is 457). AirPassengers uses 36.
    future : str or list of str, default=None
        The columns known ahead, framed as :func:`make_supervised` frames them
        (``f"{column}_ahead_{k}"``); the test rows hold their planned values.

    Returns
    -------
    X_train : pandas.DataFrame of shape (n_train - horizon, n_columns)
    X_test : pandas.DataFrame of shape (n_test, n_columns)
    y_train : pandas.Series or pandas.DataFrame of shape (n_train - horizon,) or \
(n_train - horizon, horizon)
    y_test : pandas.Series or pandas.DataFrame of shape (n_test,) or \
(n_test, horizon)

    Raises
    ------
    ValueError
        For a bad ``target``, ``horizon`` or ``n_test``, if ``horizon > n_test`` (no
        origin to score) or if no training row would be left.

    See Also
    --------
    make_supervised : The framing without the split.
    evaluate_forecaster : Split, fit, predict and score in one call.

    Notes
    -----
    Why not start ``X_test`` at the first scored origin? With ``horizon > 1`` the
    ``horizon - 1`` rows between the last training row and the first origin would
    then be in neither ``X_train`` nor ``X_test``: a lag or window transformer
    fitted on ``X_train`` could not tell the gap and would compute the first test
    rows' features from the wrong history. Putting those rows in ``X_train``
    instead would fit on target values from the test part. Bridge rows avoid both:
    nothing after ``n_train - 1`` is ever used for fitting, and ``X_test`` continues
    ``X_train``.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import train_test_split_series
    >>> frame = load_airpassengers()
    >>> X_train, X_test, y_train, y_test = train_test_split_series(
    ...     frame, "passengers", horizon=12, n_test=36)
    >>> X_train.shape, X_test.shape, y_train.shape, y_test.shape
    ((96, 1), (36, 1), (96, 12), (36, 12))
    >>> str(X_train.index[-1].date()), str(X_test.index[0].date())
    ('1956-12-01', '1957-01-01')
    >>> y_test.index[11] == frame.index[107]  # first origin: forecast 1958-01 on
    True
    """
    frame = _check_frame(frame, target)
    future = check_future_columns(frame, target, future)
    return _each_series(
        frame,
        horizon,
        lambda part: _split_series(part, target, horizon, n_test, future),
    )


def _split_series(frame, target, horizon, n_test, future=()):
    """:func:`train_test_split_series` of one series (a checked frame)."""
    n = len(frame)
    horizon = _check_horizon(horizon, n)
    n_test = _resolve_n_test(n_test, n)
    n_train = n - n_test
    if horizon > n_test:
        raise ValueError(
            f"horizon={horizon} must be <= n_test={n_test}: the test part must hold "
            "at least one whole forecast window."
        )
    if n_train - horizon < 1:
        raise ValueError(
            f"n_test={n_test} and horizon={horizon} leave no training row in a frame "
            f"of {n} rows; allowed: n_test + horizon < {n}."
        )
    X, y = _frame_series(frame, target, horizon, future)
    cut = n_train - horizon
    return X.iloc[:cut], X.iloc[cut:], y.iloc[:cut], y.iloc[cut:]
