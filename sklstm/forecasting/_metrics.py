"""Forecast accuracy metrics of the accuracy protocol."""

from numbers import Integral

import numpy as np
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    root_mean_squared_error,
)

__all__ = ["forecast_scores", "mean_absolute_scaled_error"]


def _check_pair(y_true, y_pred):
    """Flatten y_true and y_pred (one or many horizons) after checking their shapes."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim not in (1, 2) or y_pred.ndim not in (1, 2):
        raise ValueError(
            "y_true and y_pred must be 1-D or 2-D (n_origins, n_horizons); got "
            f"shapes {y_true.shape} and {y_pred.shape}."
        )
    as_2d_true = y_true.reshape(len(y_true), -1)
    as_2d_pred = y_pred.reshape(len(y_pred), -1)
    if as_2d_true.shape != as_2d_pred.shape:
        raise ValueError(
            f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
            "they must match."
        )
    if as_2d_true.size == 0:
        raise ValueError("y_true and y_pred are empty; at least one value is needed.")
    return as_2d_true.ravel(), as_2d_pred.ravel()


def _mase_scale(y_train, m):
    if isinstance(m, bool) or not isinstance(m, Integral) or m < 1:
        raise ValueError(f"m={m!r} must be an integer >= 1 (1 = naive scale).")
    y_train = np.asarray(y_train, dtype=np.float64)
    if y_train.ndim != 1:
        raise ValueError(
            f"y_train must be the 1-D training series (shape (n_train,)); got shape "
            f"{y_train.shape}. Pass e.g. frame[target].iloc[:-n_test], not the "
            "supervised y_train."
        )
    if len(y_train) <= m:
        raise ValueError(
            f"m={m} needs a training series longer than m; y_train has "
            f"{len(y_train)} values."
        )
    if not np.all(np.isfinite(y_train)):
        raise ValueError(
            f"y_train contains {int(np.sum(~np.isfinite(y_train)))} NaN or infinite "
            "values; impute the series first (e.g. frame.interpolate())."
        )
    scale = np.mean(np.abs(y_train[m:] - y_train[:-m]))
    if scale == 0:
        raise ValueError(
            f"The MASE scale is zero: y_train is constant at lag m={m}, so the "
            "seasonal naive forecast is perfect in-sample and MASE is undefined."
        )
    return float(scale)


def mean_absolute_scaled_error(y_true, y_pred, *, y_train, m=1):
    """Mean absolute scaled error (MASE, Hyndman & Koehler 2006).

    The mean absolute error of the forecasts divided by the in-sample mean absolute
    error of the seasonal naive forecast with period ``m`` on the training series
    (``m=1``: the naive forecast). Below 1 the forecasts beat that benchmark.

    Parameters
    ----------
    y_true : array-like of shape (n_origins,) or (n_origins, n_horizons)
        True values. With several horizons, the error is averaged over all origins
        and all horizons.
    y_pred : array-like of the same shape as ``y_true``
        Forecasts.
    y_train : array-like of shape (n_train,)
        The training part of the target series, in time order (not the supervised
        ``y_train`` of :func:`train_test_split_series`).
    m : int, default=1
        Seasonal period of the scaling forecast.

    Returns
    -------
    mase : float
        Non-negative; 0 is perfect.

    Raises
    ------
    ValueError
        If the shapes differ, ``m`` is not an integer >= 1 or not shorter than
        ``y_train``, ``y_train`` has missing values, or the scale is zero.

    See Also
    --------
    forecast_scores : MAE, RMSE, MASE and MAPE at once.

    Examples
    --------
    >>> from sklstm.forecasting import mean_absolute_scaled_error
    >>> y_train = [1.0, 3.0, 2.0, 4.0]  # naive in-sample MAE: (2 + 1 + 2) / 3
    >>> mean_absolute_scaled_error([5.0, 6.0], [4.0, 4.0], y_train=y_train)
    0.9
    >>> mean_absolute_scaled_error([5.0, 6.0], [4.0, 4.0], y_train=y_train, m=2)
    1.5
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    scale = _mase_scale(y_train, m)
    return float(mean_absolute_error(y_true, y_pred) / scale)


def forecast_scores(y_true, y_pred, *, y_train, m=1):
    """MAE, RMSE, MASE and MAPE of forecasts, as the accuracy protocol reports them.

    With several horizons (2-D ``y_true``), every error is averaged over all origins
    and all horizons: RMSE is the root of the mean squared error over all of them,
    not the mean of per-horizon RMSEs.

    Parameters
    ----------
    y_true : array-like of shape (n_origins,) or (n_origins, n_horizons)
        True values.
    y_pred : array-like of the same shape as ``y_true``
        Forecasts.
    y_train : array-like of shape (n_train,)
        The training part of the target series, in time order; sets the MASE scale.
    m : int, default=1
        Seasonal period of the MASE scale (1 = naive).

    Returns
    -------
    scores : dict
        ``{"MAE": float, "RMSE": float, "MASE": float, "MAPE": float}``. MAPE is a
        fraction, as in :func:`sklearn.metrics.mean_absolute_percentage_error`
        (0.0271 means 2.71 %). It is NaN unless the series is strictly positive
        (``y_true`` and ``y_train``), so that every result has the same keys.

    See Also
    --------
    mean_absolute_scaled_error : MASE alone.
    evaluate_forecaster : Runs the whole protocol for one estimator.

    Examples
    --------
    >>> from sklstm.forecasting import forecast_scores
    >>> scores = forecast_scores([[5.0, 6.0], [6.0, 8.0]], [[4.0, 4.0], [6.0, 6.0]],
    ...                          y_train=[1.0, 3.0, 2.0, 4.0])
    >>> {name: round(value, 3) for name, value in scores.items()}
    {'MAE': 1.25, 'RMSE': 1.5, 'MASE': 0.75, 'MAPE': 0.196}
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    scale = _mase_scale(y_train, m)
    mae = float(mean_absolute_error(y_true, y_pred))
    if np.all(y_true > 0) and np.all(np.asarray(y_train, dtype=np.float64) > 0):
        mape = float(mean_absolute_percentage_error(y_true, y_pred))
    else:
        mape = float("nan")
    return {
        "MAE": mae,
        "RMSE": float(root_mean_squared_error(y_true, y_pred)),
        "MASE": mae / scale,
        "MAPE": mape,
    }
