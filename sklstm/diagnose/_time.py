"""Time-index checks: missing timestamps (gaps in time) and row order."""

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from sklstm.diagnose._report import Finding
from sklstm.utils._time import infer_offset

# calendar frequencies by their typical step in days: months are not a fixed step
_CALENDAR = [
    (365, ("YS", "YE")),
    (91, ("QS", "QE")),
    (30, ("MS", "ME")),
]


def _infer_step(index):
    """The frequency of a DatetimeIndex with absent steps, or None.

    ``pd.infer_freq`` gives up on a gappy index, so the step is the most common
    difference between labels (at least half of them): a calendar frequency when
    every label lies on it, else that difference when every other difference is
    a multiple of it.
    """
    if index.freq is not None:
        return index.freq
    freq = infer_offset(index)
    if freq is not None:
        return freq
    diffs = pd.Series(index[1:] - index[:-1])
    if diffs.empty or (diffs <= pd.Timedelta(0)).any():
        return None
    step = diffs.mode().iloc[0]
    if (diffs == step).mean() < 0.5:  # no regular step with a few gaps in it
        return None
    days = step / pd.Timedelta(days=1)
    for typical, names in _CALENDAR:
        if abs(days - typical) <= typical * 0.1:
            for name in names:
                offset = to_offset(name)
                if all(offset.is_on_offset(ts) for ts in index):
                    return offset
            return None
    if (diffs % step != pd.Timedelta(0)).any():
        return None
    if days == 7:
        return to_offset(f"W-{index[0].day_name()[:3].upper()}")
    if days == int(days):
        return to_offset(f"{int(days)}D" if days > 1 else "D")
    return to_offset(step)


def _label(value):
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    return str(value)


def _check_time_index(index):
    """``missing_timestamps`` (warning) for a time index with absent steps."""
    if isinstance(index, pd.PeriodIndex):
        freq = index.freq
    elif isinstance(index, pd.DatetimeIndex):
        freq = _infer_step(index)
    else:
        return []
    if freq is None or len(index) < 2 or not index.is_monotonic_increasing:
        return []
    if isinstance(index, pd.PeriodIndex):
        full = pd.period_range(index[0], index[-1], freq=freq)
    else:
        full = pd.date_range(index[0], index[-1], freq=freq)
    present = full.isin(index)
    n_missing = int((~present).sum())
    if n_missing == 0:
        return []
    # runs of absent steps: where each starts and how long it is
    edges = np.diff(np.concatenate([[0], (~present).astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    lengths = np.flatnonzero(edges == -1) - starts
    longest = int(np.argmax(lengths))
    first, last = full[starts[longest]], full[starts[longest] + lengths[longest] - 1]
    if isinstance(index, pd.PeriodIndex):
        alias = index.freqstr
        insert = (
            "frame.reindex(pd.period_range(frame.index[0], frame.index[-1], "
            f"freq='{alias}'))"
        )
    else:
        alias = freq.freqstr
        insert = f"frame.asfreq('{alias}')"
    evidence = {
        "frequency": alias,
        "n_missing": n_missing,
        "n_expected": len(full),
        "n_gaps": len(starts),
        "longest_gap": int(lengths[longest]),
        "longest_gap_start": _label(first),
        "longest_gap_end": _label(last),
    }
    where = (
        f"at {_label(first)}"
        if lengths[longest] == 1
        else f"from {_label(first)} to {_label(last)}"
    )
    message = (
        f"the time index (frequency '{alias}') misses {n_missing} of the "
        f"{len(full)} time steps between its first and last label, in "
        f"{len(starts)} gap{'s' if len(starts) > 1 else ''}; the longest is "
        f"{int(lengths[longest])} step{'s' if lengths[longest] > 1 else ''}, "
        f"{where}. Lags, windows and differences count rows, not time: across a "
        "gap they mix values that are further apart than they assume."
    )
    fix = (
        f"insert the missing steps as NaN rows with {insert}, then "
        "fill them causally with TimeSeriesImputer() (the first step of "
        "make_lstm_forecaster's pipeline)"
    )
    return [Finding("missing_timestamps", "warning", message, fix, evidence=evidence)]


def _check_order(index):
    """``unsorted_rows`` (warning) for a time index not in time order."""
    if not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        return []
    if index.is_monotonic_increasing:
        return []
    n_back = int((np.diff(index.asi8) < 0).sum())
    return [
        Finding(
            "unsorted_rows",
            "warning",
            f"the rows are not in time order ({n_back} step back in time"
            f"{'s' if n_back > 1 else ''}); time-aware steps read rows in order and "
            "would mix past and future.",
            "sort them first: frame.sort_index()",
            evidence={"n_backward_steps": n_back},
        )
    ]
