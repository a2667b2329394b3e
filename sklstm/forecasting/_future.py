"""Columns known ahead: their framing, and the future a forecast takes them from.

A column whose future values are known when the forecast is made (planned
advertising, a price list, a promotion calendar) enters row t of
:func:`make_supervised`'s ``X`` twice: as itself (its value at t, like every
column) and as ``<column>_ahead_1`` .. ``<column>_ahead_<h>``, its values at
t+1 .. t+h. :func:`forecast` rebuilds those columns for the last rows from
its ``future`` argument, checked here.
"""

import numpy as np
import pandas as pd

from sklstm.utils._ahead import ahead_groups, ahead_name

__all__ = ["add_ahead_columns", "check_future_columns", "with_future"]


def check_future_columns(frame, target, future):
    """``future`` as a list of columns of ``frame``; a ValueError naming a bad one."""
    if future is None:
        return []
    columns = [future] if isinstance(future, str) else future
    try:
        columns = list(columns)
    except TypeError:
        raise ValueError(
            f"future={future!r} must be a column name or a list of column names "
            "of frame (the columns whose future values are known ahead)."
        ) from None
    others = [c for c in frame.columns if c != target]
    for column in columns:
        if column == target:
            raise ValueError(
                f"future={future!r} names the target {target!r}: its future is "
                "what is forecast, it cannot be known ahead. Allowed: the other "
                f"columns of frame, {others}."
            )
        if column not in frame.columns:
            raise ValueError(
                f"future={future!r}: {column!r} is not a column of frame; "
                f"allowed: {others}."
            )
    if len(set(columns)) != len(columns):
        raise ValueError(f"future={future!r} names a column twice.")
    return columns


def add_ahead_columns(frame, columns, horizon, extension=None):
    """``frame`` (one series) followed by ``<column>_ahead_<k>``, k = 1..horizon.

    Row t's ``<column>_ahead_<k>`` is the column's value at row t+k; past the
    last row it comes from ``extension`` (a frame of the next rows of the
    columns, at least ``horizon`` of them), else it is NaN. No column: the
    frame itself.
    """
    if not columns:
        return frame
    names = [ahead_name(c, k) for c in columns for k in range(1, horizon + 1)]
    clash = [name for name in names if name in frame.columns]
    if clash:
        raise ValueError(
            f"frame already has the column(s) {clash} that future={columns!r} "
            "adds (the values known ahead); rename them."
        )
    n, added = len(frame), {}
    for column in columns:
        tail = np.full(horizon, np.nan)
        if extension is not None:
            tail = extension[column].to_numpy(dtype=np.float64)[:horizon]
        values = np.concatenate([frame[column].to_numpy(dtype=np.float64), tail])
        for k in range(1, horizon + 1):
            added[ahead_name(column, k)] = values[k : k + n]
    return pd.concat([frame, pd.DataFrame(added, index=frame.index)], axis=1)


def _needed(estimator, frame):
    """``{column: horizon}`` of the ahead-columns the estimator needs, frame lacks."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        return {}
    lacking = [name for name in map(str, names) if name not in frame.columns]
    groups = ahead_groups(lacking, bases=frame.columns)
    return {base: max(steps) for base, steps in groups.items()}


def _stamp(time):
    """A time label as text: a midnight time stamp as its date."""
    if isinstance(time, pd.Timestamp) and time == time.normalize():
        return str(time.date())
    return str(time)


def _where(label, panel):
    if panel:
        return f"series {label[0]!r} at time stamp {_stamp(label[1])}"
    return f"time stamp {_stamp(label)}"


def _span(times):
    return f"{_stamp(times[0])} .. {_stamp(times[-1])}" if len(times) else "nothing"


def _no_row(future, expected, first, horizon, panel):
    """The message for a missing row of ``future`` at label ``first``."""
    if panel:
        series = first[0]
        wanted = expected[expected.get_level_values(0) == series].get_level_values(1)
        given = future.index[future.index.get_level_values(0) == series]
        return (
            f"future has no row for {_where(first, panel)}: it needs the next "
            f"{horizon} time stamps after the end of each series of frame, "
            f"{_span(wanted)} for series {series!r}; future holds "
            f"{_span(given.get_level_values(1))} for it."
        )
    kind = ""
    if type(future.index) is not type(expected):
        kind = (
            f" (future is indexed by a {type(future.index).__name__}, frame by a "
            f"{type(expected).__name__})"
        )
    return (
        f"future has no row for {_where(first, panel)}: it needs the next "
        f"{horizon} time stamps after the end of frame, {_span(expected)}; its "
        f"index holds {_span(future.index)}{kind}."
    )


def _aligned(future, columns, expected, horizon, panel):
    """The rows of ``future`` at the ``expected`` labels, checked."""
    if isinstance(future, pd.Series):
        future = future.to_frame()
    if not isinstance(future, pd.DataFrame):
        raise TypeError(
            "future must be a pandas DataFrame of the columns known ahead, indexed "
            f"by the time stamps after frame's end; got {type(future).__name__}."
        )
    missing = [c for c in columns if c not in future.columns]
    if missing:
        raise ValueError(
            f"future lacks the column(s) {missing} known ahead; it has "
            f"{list(future.columns)} and needs {columns}."
        )
    if future.index.has_duplicates:
        twice = future.index[future.index.duplicated()][0]
        raise ValueError(f"future has two rows for {_where(twice, panel)}.")
    present = expected.isin(future.index)
    if not present.all():
        first = expected[np.flatnonzero(~present)[0]]
        raise ValueError(_no_row(future, expected, first, horizon, panel))
    rows = future.reindex(expected)[columns]
    for column in columns:
        bad = rows[column].isna().to_numpy()
        if bad.any():
            where = _where(expected[np.argmax(bad)], panel)
            raise ValueError(
                f"future[{column!r}] is NaN at {where}; a value known ahead must "
                "be given for every step."
            )
    return rows


def with_future(estimator, frame, blocks, future, labels):
    """``frame`` with the ahead-columns the estimator was fitted with.

    Their values after the end of ``frame`` (of each series of a panel,
    ``blocks``) come from ``future``, at the labels ``labels(h)`` gives.
    """
    needed = _needed(estimator, frame)
    if not needed:
        if future is not None:
            raise ValueError(
                f"future was given, but {type(estimator).__name__} was fitted "
                "without columns known ahead (no column of its X is named "
                "'<column>_ahead_<k>' after a column of frame); frame the data "
                "with make_supervised(..., future=[...]) or leave future out."
            )
        return frame
    columns, horizon = list(needed), max(needed.values())
    if future is None:
        raise ValueError(
            f"{type(estimator).__name__} was fitted with the column(s) {columns} "
            f"known ahead: pass future=, a DataFrame of {columns} for the next "
            f"{horizon} time stamps after the end of frame."
        )
    rows = _aligned(future, columns, labels(horizon), horizon, blocks is not None)
    if blocks is None:
        return add_ahead_columns(frame, columns, horizon, rows)
    parts = [
        add_ahead_columns(
            frame.iloc[start:stop], columns, horizon, rows.iloc[i * horizon :]
        )
        for i, (_, start, stop) in enumerate(blocks)
    ]
    return pd.concat(parts)
