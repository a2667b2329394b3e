"""Helpers shared by the baseline forecasters: target column and continuation.

A frame passed to ``predict`` *continues* the training data when its first index
label is the label that would follow the last label seen in ``fit`` (next month,
next week, next day, next integer). Then the values kept from the end of the
training data are real history for the first rows of the new frame.
"""

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

__all__ = ["continues", "next_label", "resolve_target"]


def next_label(X):
    """Return the index label expected right after ``X``'s last row, or None.

    ``None`` when ``X`` has no pandas index (NumPy input) or when the step cannot be
    determined (fewer than two labels, irregular dates, non-numeric labels).
    """
    index = getattr(X, "index", None)
    if not isinstance(index, pd.Index) or len(index) == 0:
        return None
    if isinstance(index, pd.PeriodIndex):
        return index[-1] + 1
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq
        if freq is None and len(index) >= 3:
            freq = pd.infer_freq(index)
        if freq is None:
            return None
        return index[-1] + to_offset(freq)
    if isinstance(index, pd.RangeIndex):
        return index[-1] + index.step
    if pd.api.types.is_integer_dtype(index.dtype) and len(index) >= 2:
        step = index[-1] - index[-2]
        return index[-1] + step if step > 0 else None
    return None


def continues(X, expected):
    """Whether ``X``'s first index label is ``expected`` (see :func:`next_label`)."""
    index = getattr(X, "index", None)
    if expected is None or not isinstance(index, pd.Index) or len(index) == 0:
        return False
    try:
        return bool(index[0] == expected)
    except (TypeError, ValueError):  # e.g. a Timestamp compared with a Period
        return False


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
