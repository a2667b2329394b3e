"""What the ``sklstm`` commands share: the user-facing error, safe output, CSV reading.

:mod:`sklstm.cli` re-exports :class:`CommandError` and :func:`read_series_csv`,
their public home. A CSV of one row per time step is read here for every
command: a column of dates becomes the index (sorted by it).
"""

import argparse
import os

__all__ = [
    "CommandError",
    "check_output",
    "check_target",
    "fraction",
    "is_numeric",
    "positive_int",
    "read_series_csv",
    "read_with_notes",
    "write_all",
]


class CommandError(Exception):
    """A user-facing error: printed as ``sklstm NAME: error: MESSAGE``, exit 1.

    Examples
    --------
    >>> from sklstm.cli import CommandError
    >>> str(CommandError("column 'x' not found"))
    "column 'x' not found"
    """


def check_output(path, option="--output"):
    """Fail now, not after minutes of work, if ``option``'s file cannot be written.

    Leaves no file behind: one the check had to create is removed again.

    Raises
    ------
    CommandError
        If ``path`` is a directory or cannot be opened for writing.
    """
    if os.path.isdir(path):
        raise CommandError(f"{option} {path!r} is a directory; give a file name.")
    existed = os.path.exists(path)
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"cannot write {option} {path!r}: {reason}.") from None
    if not existed:
        os.remove(path)


def write_all(files):
    """Write every file whole, or none: each to a temporary file, then renamed.

    Parameters
    ----------
    files : list of (str, callable, str)
        ``(path, write, what)``: ``write(temporary_path)`` writes the content;
        ``what`` names the file in an error (``"the forecast"``).

    Raises
    ------
    CommandError
        If a file cannot be written; then no file of ``files`` is written and
        no temporary file is left behind.
    """
    import tempfile

    done = []
    try:
        for path, write, what in files:  # noqa: B007 - the except names them
            folder = os.path.dirname(os.path.abspath(path))
            handle, temporary = tempfile.mkstemp(
                prefix=".sklstm-", suffix=".tmp", dir=folder
            )
            os.close(handle)
            done.append(temporary)
            write(temporary)
    except OSError as exc:
        for temporary in done:
            os.remove(temporary)
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"cannot write {what} {path!r}: {reason}.") from None
    mode = 0o666 & ~_umask()
    for temporary, (path, _, _) in zip(done, files, strict=True):
        os.chmod(temporary, mode)  # as open() would: mkstemp's files are private
        os.replace(temporary, path)


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def positive_int(text):
    """An ``argparse`` type: an int >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an int >= 1")
    return value


def fraction(text):
    """An ``argparse`` type: a number in [0, 1)."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number in [0, 1)")
    return value


# --------------------------------------------------------------------------- #
# reading a CSV of one row per time step
# --------------------------------------------------------------------------- #
def read_with_notes(path, date_column=None):
    """Read the CSV; return (frame, notes), notes being info Findings."""
    from sklstm.diagnose import Finding

    frame = _read_csv(path)
    date = _date_column(frame, path, date_column)
    if date is None:
        note = Finding(
            "time_index",
            "info",
            "found no date column: the rows were analysed in file order, one time "
            "step each, so gaps in time and unsorted rows cannot be seen.",
            "name the column of dates with --date-column COLUMN",
        )
        return frame, [note]
    frame = _index_by_date(frame, date, date_column)
    return _sort_by_time(frame, date)


def _read_csv(path):
    """The CSV as read by pandas; CommandError if unreadable or without a row."""
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except (
        OSError,
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
    ) as exc:
        raise CommandError(f"cannot read {str(path)!r} as CSV: {exc}") from None
    if frame.empty:
        raise CommandError(f"{str(path)!r} holds no data row.")
    return frame


def _date_column(frame, path, date_column):
    """The column of dates: ``--date-column``, checked, else the one found, or None."""
    import pandas as pd

    if date_column is None:
        return _datetime_column(frame)
    columns = [str(c) for c in frame.columns]
    if date_column not in columns:
        raise CommandError(
            f"--date-column {date_column!r} is not a column of {str(path)!r}; "
            f"its columns are: {', '.join(columns)}."
        )
    date = frame.columns[columns.index(date_column)]
    if pd.api.types.is_numeric_dtype(frame[date]):
        raise CommandError(
            f"--date-column {date_column!r} is numeric, not dates; give the "
            "column whose values are dates such as 2024-01-31."
        )
    return date


def _index_by_date(frame, date, date_column):
    """The frame indexed by its column ``date`` parsed as dates.

    A value that does not parse is an error only for a ``--date-column`` given.
    """
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        index = pd.to_datetime(frame[date], format="mixed", errors="coerce")
    bad = int(index.isna().sum() - frame[date].isna().sum())
    if date_column is not None and (bad or index.isna().all()):
        raise CommandError(
            f"--date-column {date_column!r}: {max(bad, 1)} value(s) do not parse as "
            f"dates (e.g. {frame[date][index.isna()].iloc[0]!r})."
        )
    return frame.drop(columns=date).set_index(pd.DatetimeIndex(index, name=date))


def _sort_by_time(frame, date):
    """Return (frame sorted by its index, notes): a note if it was not in order."""
    import numpy as np

    from sklstm.diagnose import Finding

    if frame.index.is_monotonic_increasing:
        return frame, []
    n_back = int((np.diff(frame.index.asi8) < 0).sum())
    note = Finding(
        "time_index",
        "info",
        f"the rows were not in time order ({n_back} step"
        f"{'s' if n_back > 1 else ''} back in time): sorted by column "
        f"'{date}' for this diagnosis.",
        "sort the data by time before fitting: frame.sort_index()",
        column=str(date),
    )
    return frame.sort_index(kind="stable"), [note]


def read_series_csv(path, date_column=None):
    """Read a CSV of one row per time step; a date column becomes the index.

    Parameters
    ----------
    path : str or path-like
        The CSV file.
    date_column : str, default=None
        The column of dates. None: the first column of datetime type or whose
        values all parse as dates (numeric columns are never taken), if any.

    Returns
    -------
    frame : pandas.DataFrame
        The columns, indexed by the date column (sorted by it), else by row
        number.

    Raises
    ------
    CommandError
        If the file cannot be read or parsed, holds no row, or ``date_column``
        is not a column of dates.

    Examples
    --------
    >>> import io
    >>> from sklstm.cli import read_series_csv
    >>> text = "day,load\\n2024-01-02,5\\n2024-01-01,4\\n"
    >>> frame = read_series_csv(io.StringIO(text))
    >>> frame.index.name, frame["load"].tolist()
    ('day', [4, 5])
    """
    return read_with_notes(path, date_column)[0]


def _datetime_column(frame):
    """The first non-numeric column whose every value parses as a date, or None."""
    import warnings

    import pandas as pd

    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            return col
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        values = s.dropna()
        if values.empty:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            parsed = pd.to_datetime(values, errors="coerce", format="mixed")
        if parsed.notna().all():
            return col
    return None


def is_numeric(series):
    """Whether a column holds numbers (bool columns do not count)."""
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(
        series
    )


def check_target(frame, target, path):
    """The frame with str column names; CommandError unless ``target`` is numeric."""
    columns = [str(c) for c in frame.columns]
    if target not in columns:
        raise CommandError(
            f"--target {target!r} is not a column of {str(path)!r}; its columns "
            f"are: {', '.join(columns) or '(none)'}."
        )
    frame.columns = columns
    y = frame[target]
    if not is_numeric(y):
        raise CommandError(
            f"--target {target!r} is not numeric (dtype {y.dtype}); choose a "
            f"numeric column to forecast."
        )
    return frame
