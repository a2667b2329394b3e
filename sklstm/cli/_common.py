"""What the ``sklstm`` commands share: the user-facing error, safe output, CSV reading.

:mod:`sklstm.cli` re-exports :class:`CommandError` and :func:`read_series_csv`,
their public home. A CSV of one row per time step is read here for every
command: a column of dates becomes the index (sorted by it).
"""

import argparse
import os

__all__ = [
    "CommandError",
    "add_date_arguments",
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


def add_date_arguments(parser):
    """Add ``--date-column`` and ``--date-format``: every command that reads a CSV."""
    parser.add_argument(
        "--date-column",
        default=None,
        metavar="COLUMN",
        help="the column of dates; by default the first non-numeric column of "
        "which more than half the cells are dates (its other cells are then "
        "errors). The rows are sorted by it (the report says so when they were "
        "not in order); without one, rows are taken in file order and gaps in "
        "time cannot be seen",
    )
    parser.add_argument(
        "--date-format",
        default=None,
        metavar="FORMAT",
        help="the strptime format of every date, e.g. %%d/%%m/%%Y. By default "
        "year-first dates (2024-01-31, ISO 8601 with times) are read as written "
        "and day/month/year or month/day/year dates only when a number above 12 "
        "proves the order; ambiguous dates are refused",
    )


# --------------------------------------------------------------------------- #
# reading a CSV of one row per time step
# --------------------------------------------------------------------------- #
def read_with_notes(path, date_column=None, date_format=None):
    """Read the CSV; return (frame, notes), notes being info Findings.

    The dates are read by :func:`sklstm.cli._dates.parse_dates`; every date
    that cannot be read is a CommandError naming its line in the file.
    """
    from sklstm.diagnose import Finding

    frame = _read_csv(path)
    date = _date_column(frame, path, date_column, date_format)
    if date is None:
        note = Finding(
            "time_index",
            "info",
            "found no date column: the rows were analysed in file order, one time "
            "step each, so gaps in time and unsorted rows cannot be seen.",
            "name the column of dates with --date-column COLUMN",
        )
        return frame, [note]
    index, notes = _index_by_date(frame[date], path, date, date_format)
    frame = frame.drop(columns=date).set_index(index)
    frame, sorted_notes = _sort_by_time(frame, date)
    return frame, notes + sorted_notes


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


def _date_column(frame, path, date_column, date_format):
    """The column of dates: ``--date-column``, checked, else the one found, or None."""
    import pandas as pd

    if date_column is None:
        return _datetime_column(frame, path, date_format)
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


def _datetime_column(frame, path, date_format):
    """The first non-numeric column that looks like dates, or None.

    A column looks like dates when more than half of its first 500 filled
    cells are dates under :func:`~sklstm.cli._dates.parse_dates` (or would
    be, once their day/month order is known): its bad cells are then errors,
    not a reason to ignore the column. With a ``date_format`` there must be
    dates: else the column that matches it best, or a CommandError.
    """
    import pandas as pd

    shares = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            return col
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        sample = s.dropna().head(500)
        if sample.empty:
            continue
        shares[col] = _parse(sample, date_format, col).share
        if shares[col] > 0.5:
            return col
    if date_format is None:
        return None
    # the user says there are dates: the column most of whose cells match
    best = max(shares, key=shares.get, default=None)
    if best is None or shares[best] == 0:
        raise CommandError(
            f"--date-format {date_format!r} matches no column of {str(path)!r}; "
            "name the column of dates with --date-column."
        )
    return best


def _parse(values, date_format, column):
    """:func:`~sklstm.cli._dates.parse_dates`; CommandError for a bad format."""
    from sklstm.cli._dates import parse_dates

    try:
        return parse_dates(values, date_format)
    except ValueError as exc:
        raise CommandError(
            f"--date-format {date_format!r} is not a strptime format such as "
            f"%d/%m/%Y ({exc})."
        ) from None


def _index_by_date(values, path, column, date_format):
    """Return (DatetimeIndex of the column, notes); CommandError for a bad date."""
    import numpy as np
    import pandas as pd

    parsed = _parse(values, date_format, column)
    where = f"in column {str(column)!r}"
    if parsed.ambiguous is not None:
        raise CommandError(_ambiguous(parsed.ambiguous, path, column))
    if parsed.empty.any():
        line = _line(path, int(np.argmax(parsed.empty)))
        raise CommandError(f"line {line} of {str(path)!r} has no date {where}.")
    if parsed.bad.any():
        row = int(np.argmax(parsed.bad))
        value = values.iloc[row]
        head = f"line {_line(path, row)} of {str(path)!r}: {value!r} {where}"
        if date_format is not None:
            raise CommandError(f"{head} does not match --date-format {date_format!r}.")
        if parsed.share == 0:
            raise CommandError(
                f"--date-column {str(column)!r}: its values do not parse as dates "
                f"({head}); pass --date-format if they are dates."
            )
        raise CommandError(
            f"{head} is not a date like the others, read as {parsed.rule}; correct "
            "it, or pass --date-format."
        )
    index = pd.DatetimeIndex(parsed.dates, name=column)
    return index, _date_notes(parsed, column)


def _ambiguous(example, path, column):
    import re

    sep = re.search(r"[-/.]", example).group()
    year = "%Y" if re.match(r"\d+[-/.]\d+[-/.]\d{4}", example) else "%y"
    day, month = f"%d{sep}%m{sep}{year}", f"%m{sep}%d{sep}{year}"
    return (
        f"ambiguous dates in column {str(column)!r} of {str(path)!r}: in every date "
        f"such as {example!r} the first two numbers are <= 12, so day and month "
        f"cannot be told apart; pass --date-format {day} (day first) or {month} "
        "(month first)."
    )


def _date_notes(parsed, column):
    """Info Findings on how the dates were read: day first, converted to UTC."""
    from sklstm.diagnose import Finding

    notes = []
    if parsed.proof is not None:
        notes.append(
            Finding(
                "time_index",
                "info",
                f"the dates of column '{column}' were read as {parsed.rule}: "
                f"{parsed.proof!r} proves the order.",
                "pass --date-format to read them otherwise",
                column=str(column),
            )
        )
    if parsed.offsets:
        seen = " and ".join(parsed.offsets[:2])
        seen = f"{seen}, " if seen[0] in "+-" else ""
        notes.append(
            Finding(
                "time_index",
                "info",
                f"the dates of column '{column}' carry different UTC offsets "
                f"({seen}e.g. a daylight saving change): converted to UTC, where "
                "the steps are regular.",
                "the forecast's dates are in UTC too",
                column=str(column),
            )
        )
    return notes


def _line(path, row):
    """The line of the file where data row ``row`` (0-based) starts.

    Counts as pandas reads: the header is the first record, blank lines hold
    no row. A file that cannot be read again: ``row + 2``.
    """
    import csv
    import io

    try:
        if hasattr(path, "seek"):
            path.seek(0)
            text = path.read()
        else:
            with open(path, encoding="utf-8", errors="replace", newline="") as f:
                text = f.read()
    except (OSError, ValueError):
        return row + 2
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text))
    records, previous = -1, 0  # the header is record -1
    for fields in reader:
        start, previous = previous + 1, reader.line_num
        if any(field.strip() for field in fields):
            if records == row:
                return start
            records += 1
    return row + 2


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


def read_series_csv(path, date_column=None, date_format=None):
    """Read a CSV of one row per time step; a date column becomes the index.

    Every ``sklstm`` command reads its file with this function. Dates are
    read under one rule: year-first dates (ISO 8601, with times and UTC
    offsets) as written; day/month/year or month/day/year dates only when
    the column proves the order (a first number > 12 means day first, a
    second number > 12 month first), else they are refused as ambiguous;
    ``date_format`` reads every cell with one ``strptime`` format. Dates
    with different UTC offsets (a daylight saving change) are converted to
    UTC.

    Parameters
    ----------
    path : str or path-like or file-like
        The CSV file.
    date_column : str, default=None
        The column of dates. None: the first non-numeric column of which
        more than half the cells are dates (or datetimes), if any; its other
        cells are then errors.
    date_format : str, default=None
        A ``strptime`` format of every date, such as ``"%d/%m/%Y"``.

    Returns
    -------
    frame : pandas.DataFrame
        The columns, indexed by the date column (sorted by it), else by row
        number.

    Raises
    ------
    CommandError
        If the file cannot be read or parsed or holds no row, if
        ``date_column`` is not a column of dates, if the day/month order is
        ambiguous, or if a date cell is empty or not a date (the message
        names its line in the file and its value).

    Examples
    --------
    >>> import io
    >>> from sklstm.cli import read_series_csv
    >>> text = "day,load\\n2024-01-02,5\\n2024-01-01,4\\n"
    >>> frame = read_series_csv(io.StringIO(text))
    >>> frame.index.name, frame["load"].tolist()
    ('day', [4, 5])

    A day-first file reads day first when a day above 12 proves it:

    >>> text = "day,load\\n12/01/2024,5\\n13/01/2024,6\\n"
    >>> read_series_csv(io.StringIO(text)).index.strftime("%Y-%m-%d").tolist()
    ['2024-01-12', '2024-01-13']
    >>> read_series_csv(io.StringIO("day,load\\n12/01/2024,5\\n"))
    Traceback (most recent call last):
    ...
    sklstm.cli._common.CommandError: ambiguous dates in column 'day' ...
    >>> read_series_csv(io.StringIO("day,load\\n12/01/2024,5\\n"),
    ...                 date_format="%m/%d/%Y").index[0]
    Timestamp('2024-12-01 00:00:00')
    """
    return read_with_notes(path, date_column, date_format)[0]


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
