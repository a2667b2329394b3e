"""``sklstm forecast``, step 1: the CSV read and checked, on a regular time grid.

The file is read as ``sklstm diagnose`` reads it (:mod:`sklstm.cli._common`);
then the rows get one time step each (missing timestamps become gaps), and
the gaps are interpolated linearly, as the accuracy protocol does before a
backtest. The raw values are kept for the report's marks.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sklstm.cli._common import CommandError, check_target, is_numeric, read_with_notes

__all__ = ["SeriesData", "read_data", "too_few_rows"]

# the fewest training rows the tuning's three time-ordered folds work with
MIN_TRAIN_ROWS = 24


@dataclass
class SeriesData:
    """The file's series, as the forecast command uses it."""

    path: str
    target: str
    raw: pd.DataFrame  # the numeric columns, regular grid, gaps as NaN
    frame: pd.DataFrame  # the same, gaps interpolated
    notes: list  # info Findings of the reading (no date column, sorted rows)
    dropped: list  # non-numeric columns left out
    n_inserted: int  # missing timestamps added as gaps

    @property
    def n_gaps(self):
        """Missing values of the target (before interpolation)."""
        return int(self.raw[self.target].isna().sum())

    @property
    def freq(self):
        """The time step, as a pandas frequency string (None: row numbers)."""
        freq = getattr(self.frame.index, "freq", None)
        return None if freq is None else freq.freqstr


def read_data(path, target, date_column=None, columns=None, *, date_format=None):
    """Read, check and regularize the CSV; CommandError for what cannot be used.

    ``columns``: the input columns a saved model needs (in its order); None:
    every numeric column. ``date_format``: the option ``--date-format``.
    """
    frame, notes = read_with_notes(path, date_column, date_format)
    frame = check_target(frame, target, path)
    frame, dropped = _numeric_columns(frame, target, path, columns)
    raw, n_inserted = _regular(frame, path)
    known = raw[target].notna().to_numpy()
    if not known.any():
        raise CommandError(f"--target {target!r} has no value in {path!r}.")
    raw = raw.iloc[int(np.argmax(known)) :]  # the series starts at its first value
    filled = raw.interpolate(limit_direction="both")
    return SeriesData(str(path), target, raw, filled, notes, dropped, n_inserted)


def _numeric_columns(frame, target, path, columns):
    """The target and the numeric inputs (or ``columns``, checked)."""
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise CommandError(
                f"{path!r} lacks the column(s) the model needs: {', '.join(missing)}."
            )
        bad = [c for c in columns if not is_numeric(frame[c])]
        if bad:
            raise CommandError(
                f"column(s) {', '.join(bad)} of {path!r} are not numeric; the "
                "model needs numbers there."
            )
        return frame[list(columns)].astype(float), []
    dropped = [c for c in frame.columns if c != target and not is_numeric(frame[c])]
    keep = [target] + [c for c in frame.columns if c != target and c not in dropped]
    return frame[keep].astype(float), dropped


def _regular(frame, path):
    """Rows on a regular time grid (``freq`` set); return (frame, rows added)."""
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex):
        return frame.reset_index(drop=True), 0
    if index.has_duplicates:
        twice = index[index.duplicated()][0]
        raise CommandError(
            f"{path!r} has two rows for {twice}; keep one row per time step."
        )
    offset = _step(index)
    if offset is None:
        raise CommandError(
            f"the dates of {path!r} have no regular step (e.g. monthly, weekly, "
            "daily), so the dates of the forecast are unknown; give one row per "
            "time step."
        )
    grid = pd.date_range(index[0], index[-1], freq=offset, name=index.name)
    if not index.isin(grid).all():
        raise CommandError(
            f"the dates of {path!r} do not fall on one grid of step "
            f"{offset.freqstr}; give one row per time step."
        )
    return frame.reindex(grid), len(grid) - len(index)


def _step(index):
    """The time step of ``index``, also when some timestamps are missing."""
    from pandas.tseries.frequencies import to_offset

    from sklstm.utils._time import infer_offset

    offset = infer_offset(index)
    if offset is not None or len(index) < 3:
        return offset
    if (index.day == 1).all() and (index.is_month_start).all():
        return to_offset("MS")
    if index.is_month_end.all():
        return to_offset("ME")
    step = pd.Series(np.diff(index.asi8)).mode().iloc[0]
    try:
        return to_offset(pd.Timedelta(int(step)))
    except ValueError:
        return None


def too_few_rows(n_rows, horizon, n_test):
    """The error message when ``n_rows`` are too few to backtest, else None."""
    if horizon >= n_rows:
        return (
            f"--horizon {horizon} needs more rows than the file's {n_rows}: "
            "forecasting h steps needs a series longer than h."
        )
    if n_test < horizon:
        return (
            f"the test part ({n_test} rows) is shorter than --horizon {horizon}; "
            "raise --test-size."
        )
    n_train = n_rows - n_test - horizon
    if n_train < MIN_TRAIN_ROWS:
        return (
            f"too few rows for --horizon {horizon}: {n_rows} rows leave {n_train} "
            f"training rows after the test part ({n_test}) and the horizon; "
            f"the tuning needs at least {MIN_TRAIN_ROWS}."
        )
    return None
