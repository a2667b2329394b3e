"""``sklstm forecast --future``: columns whose next values are known ahead.

Planned values (advertising booked, prices set, promotions scheduled) are
known for the steps to forecast. They come either from a second CSV
(``--future FUTURE.csv``: the next H rows of those columns, with the same
date column) or from the rows of FILE after its last target value
(``--future-columns a,b``: the target blank there). Every such column is
also a column of FILE, whose history it continues; the backtest, the refit
and the forecast frame it as :func:`~sklstm.forecasting.make_supervised`
does with ``future=`` (its value at t+1 .. t+H enters row t).
"""

from dataclasses import dataclass

import pandas as pd

from sklstm.cli._common import CommandError, is_numeric, read_with_notes

__all__ = ["KnownAhead", "add_arguments", "describe", "known_ahead"]


@dataclass
class KnownAhead:
    """The columns known ahead and their values at the steps to forecast."""

    columns: list  # names, columns of FILE too
    values: pd.DataFrame  # the next H rows of those columns, on FILE's time grid
    source: str  # where they came from, for the printed step and the report


def add_arguments(parser):
    """The options of ``sklstm forecast`` for columns known ahead."""
    parser.add_argument(
        "--future",
        default=None,
        metavar="FUTURE.csv",
        help="the next H rows of columns known ahead (planned values), with the "
        "same date column as FILE",
    )
    parser.add_argument(
        "--future-columns",
        default=None,
        metavar="COL1,COL2",
        help="the columns known ahead; without --future, their next values are "
        "the rows of FILE after its last target value (the target blank there)",
    )


def describe(known):
    """One line: which columns were used as known ahead, and from where."""
    if known is None:
        return "known ahead: none (every input is known only up to each row)"
    index = known.values.index
    span = f"{_when(index[0])} .. {_when(index[-1])}"
    return (
        f"known ahead: {', '.join(known.columns)}, their next {len(index)} "
        f"values ({span}) from {known.source}"
    )


def _when(label):
    if isinstance(label, pd.Timestamp) and label == label.normalize():
        return f"{label:%Y-%m-%d}"
    return str(label)


def _names(text):
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise CommandError(f"--future-columns {text!r} names no column.")
    return names


def known_ahead(args, data, *, horizon, date_column=None, columns=None):
    """``(data, known)``: FILE's rows up to the last target, and what is known ahead.

    ``columns``: those a saved model needs (None: from the options). Without
    ``--future`` or ``--future-columns`` (and no ``columns``), ``data`` as
    read and None.
    """
    names = _names(args.future_columns) if columns is None else list(columns)
    if args.future is None and not names:
        return data, None
    if args.future is None:
        data, rows, source = _rows_after_target(data, args.file)
    else:
        rows = _future_file(args.future, date_column or data.frame.index.name)
        source = args.future
        if names is None:
            names = [c for c in rows.columns if c != data.target]
    _check_columns(names, data, rows, source)
    values = _next_rows(rows[names], data.frame.index, horizon, source)
    return data, KnownAhead(names, values, source)


def _rows_after_target(data, path):
    """FILE's rows after its last target value (read_data set them aside)."""
    if data.trailing is None or not len(data.trailing):
        raise CommandError(
            f"--future-columns without --future: the future values are the rows of "
            f"{path!r} after its last target value, but its last row has one; add "
            "the next rows with the target blank, or give --future FUTURE.csv."
        )
    return data, data.trailing, f"the rows of {path!r} after its last target value"


def _future_file(path, date_column):
    """FUTURE.csv, indexed by its date column (the one of FILE when named)."""
    rows, _ = read_with_notes(path, date_column)
    rows.columns = [str(c) for c in rows.columns]
    return rows


def _check_columns(names, data, rows, source):
    for name in names:
        if name == data.target:
            raise CommandError(
                f"--future-columns names the target {name!r}: its future is what "
                "is forecast; name the columns whose next values are planned."
            )
        if name not in data.frame.columns:
            raise CommandError(
                f"the column {name!r} known ahead is not a numeric column of "
                f"{data.path!r}; its history is needed there too (columns: "
                f"{', '.join(data.frame.columns)})."
            )
        if name not in rows.columns or not is_numeric(rows[name]):
            raise CommandError(
                f"{source} holds no numeric column {name!r} (columns: "
                f"{', '.join(map(str, rows.columns)) or 'none'})."
            )
    if not names:
        raise CommandError(f"{source} holds no column known ahead besides the target.")


def _next_rows(rows, index, horizon, source):
    """The rows at the ``horizon`` time steps after ``index`` ends, checked."""
    if isinstance(index, pd.DatetimeIndex):
        steps = pd.date_range(index[-1], periods=horizon + 1, freq=index.freq)[1:]
        steps.name = index.name
        if not isinstance(rows.index, pd.DatetimeIndex):
            raise CommandError(
                f"{source} has no column of dates; it needs the next {horizon} "
                f"dates after {_when(index[-1])}, as FILE has."
            )
    else:  # row numbers: the future rows follow in order
        steps = pd.RangeIndex(index[-1] + 1, index[-1] + 1 + horizon)
        rows = rows.set_axis(pd.RangeIndex(steps[0], steps[0] + len(rows)))
    if rows.index.has_duplicates:
        twice = rows.index[rows.index.duplicated()][0]
        raise CommandError(f"{source} has two rows for {_when(twice)}.")
    missing = steps[~steps.isin(rows.index)]
    if len(missing):
        raise CommandError(
            f"{source} has no row for {_when(missing[0])}: the forecast of "
            f"{horizon} steps needs the values known ahead at "
            f"{_when(steps[0])} .. {_when(steps[-1])}."
        )
    values = rows.loc[steps].astype(float)
    for column in values.columns:
        gaps = values[column].isna().to_numpy()
        if gaps.any():
            raise CommandError(
                f"{source}: column {column!r} is blank at "
                f"{_when(steps[gaps.argmax()])}; a value known ahead is needed for "
                "each of the steps to forecast."
            )
    return values
