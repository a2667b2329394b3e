"""Helpers shared by the baseline forecasters: target column and continuation.

A frame passed to ``predict`` *continues* the training data when its first index
label is the label that would follow the last label seen in ``fit`` (next month,
next week, next day, next integer). Then the values kept from the end of the
training data are real history for the first rows of the new frame.
"""

import numpy as np
import pandas as pd
from sklearn.utils import check_consistent_length

from sklstm.utils._compat import validate_data
from sklstm.utils._time import continues, next_label

__all__ = [
    "continues",
    "ffill",
    "fill_values",
    "next_label",
    "resolve_target",
    "validate_X_y",
]


def fill_values(estimator, values):
    """Training means of the columns of ``values``: the fill of leading gaps.

    Raises a ValueError naming the column when a column is all NaN.
    """
    values = values.reshape(len(values), -1)
    all_nan = np.isnan(values).all(axis=0)
    if all_nan.any():
        raise ValueError(
            f"{type(estimator).__name__}: a column it forecasts from is all NaN in "
            "fit; there is nothing to forecast from. Drop it or fill it first "
            "(sklstm.preprocessing.TimeSeriesImputer)."
        )
    return np.nanmean(values, axis=0)


def ffill(values, fallback, last=None):
    """Forward-fill the columns of ``values`` causally (rows are time).

    A gap takes the last valid value before it; a leading gap takes ``last`` (the
    last valid values of the training data, when the data continues it) where
    it is not NaN, else ``fallback`` (the training means). Returns a new array
    of the same shape.
    """
    if not np.isnan(values).any():
        return values
    shape = values.shape
    values = values.reshape(len(values), -1)
    filled = pd.DataFrame(values).ffill().to_numpy(dtype=np.float64)
    head = np.asarray(fallback, dtype=np.float64).reshape(-1)
    if last is not None:
        last = np.asarray(last, dtype=np.float64).reshape(-1)
        head = np.where(np.isnan(last), head, last)
    filled = np.where(np.isnan(filled), head, filled)
    return filled.reshape(shape)


def resolve_target(estimator, target):
    """Column position of ``target`` in the X seen by ``validate_data`` in ``fit``.

    ``target`` is a column position (int) or, when ``fit`` got a DataFrame, a column
    name (str).
    """
    n_features = estimator.n_features_in_
    if isinstance(target, str):
        names = getattr(estimator, "feature_names_in_", None)
        if names is None:
            raise ValueError(
                f"target={target!r} is a column name, but X has no column names "
                "(NumPy input); pass a DataFrame or the column position "
                f"0 .. {n_features - 1}."
            )
        matches = np.flatnonzero(names == target)
        if len(matches) == 0:
            raise ValueError(
                f"target={target!r} is not a column of X; allowed: {list(names)}."
            )
        return int(matches[0])
    if target >= n_features:
        raise ValueError(
            f"target={target} is out of range for X with n_features = {n_features}; "
            f"allowed: a column position 0 .. {n_features - 1} or a column name."
        )
    return int(target)


def validate_X_y(estimator, X, y):
    """``validate_data`` for the baselines: NaN allowed in X and y.

    X may hold NaN (gaps are forward-filled); y may hold NaN (unknown targets:
    the naive forecasts learn nothing from y's values, RidgeLagForecaster leaves
    those rows out).
    """
    X, y = validate_data(
        estimator,
        X,
        y,
        validate_separately=(
            {"ensure_all_finite": "allow-nan"},
            {
                "ensure_all_finite": "allow-nan",
                "ensure_2d": False,
                "dtype": "numeric",
            },
        ),
    )
    check_consistent_length(X, y)
    y = np.asarray(y, dtype=np.float64)
    if y.size and np.isnan(y).all():
        raise ValueError(
            f"{type(estimator).__name__}: every target of y is NaN; there is "
            "nothing to learn from. Impute the series first "
            "(sklstm.preprocessing.TimeSeriesImputer)."
        )
    return X, y
