"""``sklstm forecast``, step 1: the CSV read and checked, on a regular time grid.

The file is read as ``sklstm diagnose`` reads it (:mod:`sklstm.cli._common`);
then the rows get one time step each (missing timestamps become gaps): the
step is ``--freq``, or the one the dates show (calendar months, business
days and weekly anchors included: :func:`sklstm.cli._dates.infer_grid`). The
series runs from its first to its last observed target, and the gaps between
are interpolated linearly, as the accuracy protocol does before a backtest.
The raw values are kept for the report's marks.
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
    n_trailing: int = 0  # rows after the last observed target, left out
    trailing: pd.DataFrame | None = None  # those rows (known-ahead columns)

    @property
    def n_gaps(self):
        """Missing values of the target (before interpolation)."""
        return int(self.raw[self.target].isna().sum())

    @property
    def freq(self):
        """The time step, as a pandas frequency string (None: row numbers)."""
        freq = getattr(self.frame.index, "freq", None)
        return None if freq is None else freq.freqstr

    def trailing_note(self):
        """The line saying that blank targets at the end were left out, or None."""
        if not self.n_trailing:
            return None
        from sklstm.cli.forecast._report import when

        rows = "row has" if self.n_trailing == 1 else f"{self.n_trailing} rows have"
        return (
            f"the last {rows} no target: forecasting from "
            f"{when(self.frame.index[-1])}, the last observed value"
        )


def read_data(
    path, target, date_column=None, columns=None, *, date_format=None, freq=None
):
    """Read, check and regularize the CSV; CommandError for what cannot be used.

    ``columns``: the input columns a saved model needs (in its order); None:
    every numeric column. ``date_format`` and ``freq``: the options
    ``--date-format`` and ``--freq``. The series runs from its first to its
    last observed target: blank targets at either end are dropped, never
    filled; the gaps between are interpolated.
    """
    frame, notes = read_with_notes(path, date_column, date_format)
    frame = check_target(frame, target, path)
    frame, dropped = _numeric_columns(frame, target, path, columns)
    raw, n_inserted = _regular(frame, path, freq)
    known = raw[target].notna().to_numpy()
    if not known.any():
        raise CommandError(f"--target {target!r} has no value in {path!r}.")
    first, end = int(np.argmax(known)), len(known) - int(np.argmax(known[::-1]))
    trailing = raw.iloc[end:]
    raw = raw.iloc[first:end]  # from the first to the last observed target
    filled = raw.interpolate(limit_direction="both")
    return SeriesData(
        str(path),
        target,
        raw,
        filled,
        notes,
        dropped,
        n_inserted,
        len(trailing),
        trailing,
    )


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


def _regular(frame, path, freq):
    """Rows on a regular time grid (``freq`` set); return (frame, rows added)."""
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex):
        if freq is not None:
            raise CommandError(
                f"--freq {freq} needs dates, and {path!r} has no date column; "
                "name it with --date-column."
            )
        return frame.reset_index(drop=True), 0
    if index.has_duplicates:
        twice = index[index.duplicated()][0]
        raise CommandError(
            f"{path!r} has two rows for {twice}; keep one row per time step."
        )
    offset = _step(index, path, freq)
    grid = pd.date_range(index[0], index[-1], freq=offset, name=index.name)
    off = ~index.isin(grid)
    if off.any():
        step = f"--freq {freq}" if freq else f"step {offset.freqstr}"
        raise CommandError(
            f"the dates of {path!r} do not fall on one grid of {step} (e.g. "
            f"{index[off][0]}); give one row per time step"
            + ("." if freq else ", or pass --freq.")
        )
    return frame.reindex(grid), len(grid) - len(index)


def _step(index, path, freq):
    """The time step: ``--freq``, checked, else the one the dates show."""
    import warnings

    from pandas.tseries.frequencies import to_offset

    from sklstm.cli._dates import infer_grid

    if freq is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a deprecated alias is refused
                offset = to_offset(freq)
        except (ValueError, Warning) as exc:
            reason = f" ({exc})"
        else:
            start = index[0]
            if start + offset > start:
                return offset
            reason = ": it must step forward in time"
        raise CommandError(
            f"--freq {freq!r} is not a pandas frequency such as D, B, W-SUN, MS, "
            f"QS, YS, h{reason}."
        )
    offset = infer_grid(index)
    if offset is None:
        raise CommandError(
            f"the dates of {path!r} have no regular step (e.g. monthly, weekly, "
            "daily) that could be told from them, so the dates of the forecast "
            "are unknown; give one row per time step, or pass --freq (e.g. "
            "--freq D)."
        )
    return offset


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
