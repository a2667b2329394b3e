"""When does new data continue the data seen in ``fit``? Shared by every estimator.

A frame *continues* the training data when its first index label is the label
that would follow the last label seen in ``fit`` (next month, next week, next
day, next integer). Then the values kept from the end of the training data are
real history for the first rows of the new frame. A frame that starts later
(a gap, e.g. ``TimeSeriesSplit(gap=...)``) does not continue it: the rows in
between are unknown.
"""

import warnings

import pandas as pd
from pandas.tseries.frequencies import to_offset

__all__ = ["continues", "infer_offset", "next_label", "next_labels"]


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


def next_label(X):
    """Return the index label expected right after ``X``'s last row, or None.

    ``None`` when ``X`` has no pandas index (NumPy input) or when the step cannot be
    determined (fewer than two labels, irregular dates, non-numeric labels).
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
        if freq is None:
            return None
        return index[-1] + to_offset(freq)
    if isinstance(index, pd.RangeIndex):
        return index[-1] + index.step
    if pd.api.types.is_integer_dtype(index.dtype) and len(index) >= 2:
        step = index[-1] - index[-2]
        return index[-1] + step if step > 0 else None
    return None


def next_labels(indexes):
    """:func:`next_label` of each index (or None) in ``indexes``, in order.

    The series of a panel usually share their time stamps. A DatetimeIndex
    without a ``freq`` needs ``pd.infer_freq``, the costly part (about 0.1 ms
    for a few hundred stamps, paid per series and per transformer); an index
    equal to one seen before reuses its label instead.
    """
    seen, labels = {}, []
    for index in indexes:
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
