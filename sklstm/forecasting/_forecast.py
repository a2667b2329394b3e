"""Forecast past the end of a frame: the next values, indexed by their timestamps."""

from numbers import Integral

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from sklearn.utils.validation import check_is_fitted

from ..utils._padding import collect_padding
from ..utils._panel import collect_unseen
from ..utils._time import infer_offset
from ._coverage import check_coverage
from ._future import with_future
from ._panel_framing import check_panel, is_panel, per_series

__all__ = ["forecast"]


def _future_index(index, horizon, freq):
    """The ``horizon`` index labels after ``index[-1]``."""
    if isinstance(index, pd.PeriodIndex):
        start = index[-1] + 1
        return pd.period_range(start=start, periods=horizon, freq=index.freq)
    if isinstance(index, pd.DatetimeIndex):
        if freq is None:
            freq = index.freq
        if freq is None:
            freq = infer_offset(index)
        if freq is None:
            raise ValueError(
                "frame has a DatetimeIndex without a frequency, and none can be "
                "inferred (irregular or missing timestamps), so the dates of the "
                "next values are unknown. Make it regular with "
                "frame.asfreq('D') (your step; then fill the new gaps with "
                "sklstm.preprocessing.TimeSeriesImputer), or pass freq='D'."
            )
        offset = to_offset(freq)
        return pd.date_range(start=index[-1] + offset, periods=horizon, freq=offset)
    if pd.api.types.is_integer_dtype(index.dtype) and len(index) >= 2:
        step = index[-1] - index[-2]
        if step > 0:
            return pd.RangeIndex(
                index[-1] + step, index[-1] + step * (horizon + 1), step
            )
    raise ValueError(
        f"frame's index ({type(index).__name__}) gives no time step, so the labels "
        "of the next values are unknown; index frame by a DatetimeIndex with a "
        "frequency, a PeriodIndex or an increasing integer index."
    )


def _panel_future_index(frame, blocks, horizon, freq):
    """(series, time) labels of the ``horizon`` steps after each series' end.

    A series too short to tell its own step (a new series of one or two
    dates without ``freq``) takes the step of all the panel's dates.
    """
    times = frame.index.get_level_values(1)
    shared = None
    if freq is None and isinstance(times, pd.DatetimeIndex):
        shared = infer_offset(times.unique().sort_values())

    def future(series_times):
        index = pd.Index(series_times)
        if shared is not None and len(index) < 3 and index.freq is None:
            return _future_index(index, horizon, shared)
        return _future_index(index, horizon, freq)

    futures = per_series(times.to_series(), blocks, future)
    labels = np.repeat(
        np.asarray([label for label, _, _ in blocks], dtype=object), horizon
    )
    return pd.MultiIndex.from_arrays(
        [labels, futures[0].append(futures[1:])], names=frame.index.names
    )


def declared_target(estimator):
    """The target column the estimator names (a label or a position), or None.

    Looks at the estimator's own ``target``, then inside it: a search's best
    estimator, a wrapper's fitted or given forecaster or baseline, a
    pipeline's last step, a combination's first member.
    """
    target = getattr(estimator, "target", None)
    if isinstance(target, str | Integral) and not isinstance(target, bool):
        return target
    for attr in ("best_estimator_", "estimator_", "baseline_", "baseline"):
        inner = getattr(estimator, attr, None)
        if inner is not None and hasattr(inner, "predict"):
            return declared_target(inner)
    if hasattr(estimator, "steps"):
        return declared_target(estimator.steps[-1][1])
    if getattr(estimator, "estimators", None):  # a forecast combination
        return declared_target(estimator.estimators[0][1])
    return None


def _target_name(estimator):
    """The target column's name, when the estimator tells it; else None."""
    target = declared_target(estimator)
    return target if isinstance(target, str) else None


def _require_intervals(estimator, coverage):
    """Raise a TypeError unless ``estimator`` can give intervals at ``coverage``."""
    if not hasattr(estimator, "predict_interval"):
        raise TypeError(
            f"coverage={coverage!r} asks for prediction intervals, but "
            f"{type(estimator).__name__} has no predict_interval method; wrap it: "
            "sklstm.forecasting.ConformalForecaster(estimator) calibrates "
            "intervals for any forecaster."
        )


def _interval_columns(bounds, levels, scalar, rows):
    """The bounds of the origin ``rows`` as columns: lower/upper, one pair per level."""
    bounds = np.asarray(bounds, dtype=np.float64)[rows]
    bounds = bounds.reshape(-1, 2) if scalar else bounds.reshape(-1, 2, len(levels))
    if scalar:
        return {"lower": bounds[:, 0], "upper": bounds[:, 1]}
    columns = {}
    for i, level in enumerate(levels):
        columns[f"lower_{level:g}"] = bounds[:, 0, i]
        columns[f"upper_{level:g}"] = bounds[:, 1, i]
    return columns


def _labels(frame, blocks, horizon, freq):
    """The labels of the ``horizon`` steps after ``frame`` (every series' end)."""
    if blocks is None:
        return _future_index(frame.index, horizon, freq)
    return _panel_future_index(frame, blocks, horizon, freq)


def forecast(estimator, frame, *, future=None, coverage=None, freq=None, name=None):
    """Forecast the next values after the end of ``frame``.

    ``estimator`` was fitted on :func:`make_supervised`'s ``X``, ``y`` (row t:
    everything known at t; targets t+1 .. t+h). The last row of ``frame`` is the
    latest forecast origin: this returns ``estimator.predict(frame)[-1]``, the h
    values after it, indexed by their own timestamps.

    Pass the whole history (e.g. the frame given to :func:`make_supervised`, or
    it with newer rows appended), not only its last row: the time-aware steps
    compute the last row from the rows before it. When they lack them, a single
    :class:`~sklstm.exceptions.PaddingWarning` says so.

    On a panel (a MultiIndex (series, time)), the last row of every series is
    its forecast origin: the result holds the next h values of each series,
    indexed (series, future time), each series' time step read from its own
    time stamps (those of the whole panel for a series of one or two dates).
    A series the estimator did not see in fit (a new store, a new product)
    is forecast by the estimator's stated fallback (the recipe: its baseline
    alone), named with the others in one
    :class:`~sklstm.exceptions.UnseenSeriesWarning`.

    An estimator fitted on columns known ahead (``make_supervised(...,
    future=[...])``: the columns ``<column>_ahead_<k>``) needs their values
    after the end of ``frame``: ``future`` holds them, and the ahead-columns
    of the last rows are rebuilt from ``frame`` and ``future`` as the framing
    built them. Calendar columns computed from the time index
    (:class:`~sklstm.preprocessing.CalendarFeatures`) need no ``future``.

    Parameters
    ----------
    estimator : fitted estimator
        A forecaster fitted on ``make_supervised``'s ``X`` and ``y``: sklstm's
        recipe (:func:`~sklstm.recipe.make_lstm_forecaster`), a search over it
        (its ``best_estimator_`` predicts), a baseline or any pipeline.
    frame : pandas.DataFrame or pandas.Series
        The history, in time order, with the columns of ``X`` in ``fit``,
        indexed by a DatetimeIndex with a frequency (``freq`` set or
        inferable), a PeriodIndex or an increasing integer index. Or a panel:
        a MultiIndex (series, time) whose time level is such an index within
        each series, each series' rows contiguous and in time order.
    coverage : float, list of float or None, default=None
        Nominal coverage of prediction intervals (e.g. 0.9), for an estimator
        with ``predict_interval`` (:class:`ConformalForecaster`,
        :class:`AirlineForecaster`). None: the point forecast alone.
    freq : str or DateOffset, default=None
        Step of a DatetimeIndex without one (``"h"``, ``"D"``, ``"MS"``). None:
        the index's ``freq``, else the inferred one.
    name : str, default=None
        Name of the returned Series. None: the target column's name when the
        estimator tells it (the recipe and the baselines do), else None.

    Returns
    -------
    forecast : pandas.Series of shape (h,) or pandas.DataFrame
        The next h values (h: the columns of ``y`` in ``fit``), indexed by the
        h labels after ``frame``'s last one. With ``coverage``, a DataFrame:
        the point forecast (named like the Series), then ``lower`` and
        ``upper`` (for a list of coverages ``lower_0.8``, ``upper_0.8``, ...).
        For a panel, h rows per series, indexed by a MultiIndex (series,
        future time) with the level names of ``frame``.

    Raises
    ------
    ValueError
        When the index gives no time step (no ``freq`` and none inferable, or not
        a time index), naming the fix, or for a bad ``coverage``. When the
        estimator needs ``future`` and none is given (naming its columns), or
        ``future`` is given to one that needs none; when ``future`` lacks a
        column, or a row for one of the next time stamps, or holds NaN there
        (naming the column, the series and the first bad time stamp).
    TypeError
        When ``coverage`` is given and the estimator has no ``predict_interval``.

    See Also
    --------
    make_supervised : The framing the estimator is fitted on.
    evaluate_forecaster : Scores forecasts on a held-out test part.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import RidgeLagForecaster, forecast, make_supervised
    >>> frame = load_airpassengers()
    >>> X, y = make_supervised(frame, "passengers", horizon=3)
    >>> model = RidgeLagForecaster(n_lags=24, target="passengers").fit(X, y)
    >>> forecast(model, frame).round(1)
    1961-01-01    447.9
    1961-02-01    415.1
    1961-03-01    459.0
    Freq: MS, Name: passengers, dtype: float64

    With a range around each value, from intervals calibrated on the
    training rows (:class:`ConformalForecaster`):

    >>> from sklstm.forecasting import ConformalForecaster
    >>> ranged = ConformalForecaster(
    ...     RidgeLagForecaster(n_lags=24, target="passengers")).fit(X, y)
    >>> forecast(ranged, frame, coverage=0.9).round(1)
                passengers  lower  upper
    1961-01-01       447.9  413.6  482.2
    1961-02-01       415.1  377.9  452.4
    1961-03-01       459.0  418.6  499.4

    A panel gives the next values of every series:

    >>> import pandas as pd
    >>> from sklstm.forecasting import NaiveForecaster
    >>> panel = pd.DataFrame(
    ...     {"sales": [1.0, 2.0, 3.0, 10.0, 20.0, 30.0]},
    ...     index=pd.MultiIndex.from_product(
    ...         [["a", "b"], pd.date_range("2024-01-01", periods=3, freq="D")],
    ...         names=["store", "day"]))
    >>> X, y = make_supervised(panel, "sales", horizon=2)
    >>> forecast(NaiveForecaster(target="sales").fit(X, y), panel)
    store  day
    a      2024-01-04     3.0
           2024-01-05     3.0
    b      2024-01-04    30.0
           2024-01-05    30.0
    Name: sales, dtype: float64

    A model framed with a column known ahead (a promotion planned every fifth
    month here) takes its next values in ``future``:

    >>> import numpy as np
    >>> plan = frame.assign(promo=(np.arange(len(frame)) % 5 == 0) * 1.0)
    >>> X, y = make_supervised(plan, "passengers", horizon=3, future=["promo"])
    >>> list(X.columns)
    ['passengers', 'promo', 'promo_ahead_1', 'promo_ahead_2', 'promo_ahead_3']
    >>> model = RidgeLagForecaster(n_lags=24, target="passengers", exog=True)
    >>> next_promos = pd.DataFrame(
    ...     {"promo": [0.0, 1.0, 0.0]},
    ...     index=pd.date_range("1961-01-01", periods=3, freq="MS"))
    >>> forecast(model.fit(X, y), plan, future=next_promos).round(1)
    1961-01-01    443.9
    1961-02-01    414.5
    1961-03-01    460.6
    Freq: MS, Name: passengers, dtype: float64
    """
    check_is_fitted(estimator)
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "frame must be a pandas DataFrame (or Series) indexed by time; got "
            f"{type(frame).__name__}. A NumPy array has no timestamps to forecast."
        )
    if len(frame) == 0:
        raise ValueError("frame is empty; pass the history to forecast from.")
    blocks = check_panel(frame) if is_panel(frame) else None
    frame = with_future(
        estimator, frame, blocks, future, lambda h: _labels(frame, blocks, h, freq)
    )
    if coverage is not None:
        levels, scalar = check_coverage(coverage)
        _require_intervals(estimator, coverage)
    # one warning for every step that pads, one for the series unseen in fit
    with collect_unseen(), collect_padding():
        pred = np.asarray(estimator.predict(frame), dtype=np.float64)
        if coverage is not None:
            bounds = estimator.predict_interval(frame, coverage=coverage)
    horizon = pred[-1].size
    if blocks is None:
        rows = [len(frame) - 1]
        index = _future_index(frame.index, horizon, freq)
    else:
        rows = [stop - 1 for _, _, stop in blocks]
        index = _panel_future_index(frame, blocks, horizon, freq)
    values = pred[rows].reshape(-1)
    if name is None:
        name = _target_name(estimator)
    point = pd.Series(values, index=index, name=name)
    if coverage is None:
        return point
    columns = _interval_columns(bounds, levels, scalar, rows)
    return pd.DataFrame(
        {"forecast" if name is None else name: values, **columns}, index=index
    )
