"""When does new data continue the data seen in ``fit``? Shared by every estimator.

A frame *continues* the training data when its first index label is the label
that would follow the last label seen in ``fit`` (next month, next week, next
day, next integer). Then the values kept from the end of the training data are
real history for the first rows of the new frame. A frame that starts later
(a gap, e.g. ``TimeSeriesSplit(gap=...)``) does not continue it: the rows in
between are unknown.
"""

import warnings

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset

__all__ = ["continues", "infer_offset", "next_label", "next_labels", "shared_step"]


def infer_offset(index):
    """``pd.infer_freq`` as a DateOffset (None when it cannot tell).

    pandas 3 warns that ``infer_freq`` will return an offset instead of a string;
    this gives the offset under every pandas version, without the warning.
    """
    if len(index) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        freq = pd.infer_freq(index)
    return None if freq is None else to_offset(freq)


def next_label(X, step=None):
    """Return the index label expected right after ``X``'s last row, or None.

    ``None`` when ``X`` has no pandas index (NumPy input) or when the step cannot be
    determined (fewer than two labels, irregular dates, non-numeric labels).
    ``step`` (see :func:`shared_step`) is the step of an index too short to
    tell its own: fewer than three dates without a ``freq``, one integer.
    """
    index = X if isinstance(X, pd.Index) else getattr(X, "index", None)
    if not isinstance(index, pd.Index) or len(index) == 0:
        return None
    if isinstance(index, pd.PeriodIndex):
        return index[-1] + 1
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq
        if freq is None:
            freq = infer_offset(index)
        if freq is None and len(index) < 3 and isinstance(step, BaseOffset):
            freq = step
        if freq is None:
            return None
        return index[-1] + to_offset(freq)
    if isinstance(index, pd.RangeIndex):
        return index[-1] + index.step
    if pd.api.types.is_integer_dtype(index.dtype) and len(index) >= 2:
        gap = index[-1] - index[-2]
        return index[-1] + gap if gap > 0 else None
    if pd.api.types.is_integer_dtype(index.dtype) and isinstance(step, int):
        return index[-1] + step
    return None


def shared_step(indexes):
    """The step of the union of ``indexes`` (the series of a panel), or None.

    A DateOffset inferred from all their dates, or the one gap between all
    their integers; for a series too short to tell its own step (a late
    start, a new series), :func:`next_label`'s ``step``.
    """
    indexes = [index for index in indexes if index is not None and len(index)]
    if not indexes:
        return None
    union = indexes[0].append(indexes[1:]).unique().sort_values()
    if isinstance(union, pd.DatetimeIndex):
        return infer_offset(union)
    if pd.api.types.is_integer_dtype(union.dtype) and len(union) >= 2:
        gaps = np.unique(np.diff(union.to_numpy()))
        return int(gaps[0]) if len(gaps) == 1 and gaps[0] > 0 else None
    return None


def _too_short(index):
    """Whether ``index`` cannot tell its own step (see :func:`next_label`)."""
    if isinstance(index, pd.DatetimeIndex):
        return index.freq is None and len(index) < 3
    return pd.api.types.is_integer_dtype(getattr(index, "dtype", None)) and (
        len(index) < 2 and not isinstance(index, pd.RangeIndex)
    )


def next_labels(indexes):
    """:func:`next_label` of each index (or None) in ``indexes``, in order.

    The series of a panel usually share their time stamps. A DatetimeIndex
    without a ``freq`` needs ``pd.infer_freq``, the costly part (about 0.1 ms
    for a few hundred stamps, paid per series and per transformer); an index
    equal to one seen before reuses its label instead. An index too short to
    tell its own step (a series that starts late in a ragged panel) takes
    the step of them all (:func:`shared_step`).
    """
    indexes = list(indexes)
    step = None
    if any(index is not None and _too_short(index) for index in indexes):
        try:
            step = shared_step(indexes)
        except (TypeError, ValueError):  # indexes of different kinds
            step = None
    seen, labels = {}, []
    for index in indexes:
        if step is not None and index is not None and _too_short(index):
            labels.append(next_label(index, step))
            continue
        if not isinstance(index, pd.DatetimeIndex) or index.freq is not None:
            labels.append(next_label(index))
            continue
        key = (len(index), index[0], index[-1]) if len(index) else None
        hit = seen.get(key)
        if hit is None or not hit[0].equals(index):
            hit = seen[key] = (index, next_label(index))
        labels.append(hit[1])
    return labels


def continues(X, expected):
    """Whether ``X``'s first index label is ``expected`` (see :func:`next_label`)."""
    index = X if isinstance(X, pd.Index) else getattr(X, "index", None)
    if expected is None or not isinstance(index, pd.Index) or len(index) == 0:
        return False
    try:
        return bool(index[0] == expected)
    except (TypeError, ValueError):  # e.g. a Timestamp compared with a Period
        return False
