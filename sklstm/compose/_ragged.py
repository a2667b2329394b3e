"""Ragged panels: which series a regressor's steps leave without a training row."""

import numpy as np
from sklearn.pipeline import Pipeline

from sklstm.utils._panel import panel_of

__all__ = ["short_series"]


def _rows_needed(regressor):
    """The most history any step of ``regressor`` needs (0 when none says).

    sklstm's lag, difference, rolling and window steps tell it from their
    parameters (``_rows_needed``); a step whose parameters are invalid says
    nothing here, and its own fit names the error.
    """
    steps = regressor.steps if isinstance(regressor, Pipeline) else [(None, regressor)]
    needed = 0
    for _, step in steps:
        rows_needed = getattr(step, "_rows_needed", None)
        if rows_needed is None:
            continue
        try:
            needed = max(needed, int(rows_needed()))
        except (TypeError, ValueError):
            continue
    return needed


def short_series(regressor, X):
    """Series of the panel ``X`` with no more rows than ``regressor``'s steps need.

    Their rows are all padding in some step (lags, a window, a season); a
    list of labels, empty when ``X`` is not a panel or when every series is
    that short (the steps then raise their own error in fit).
    """
    panel = panel_of(X)
    needed = _rows_needed(regressor) if panel is not None else 0
    if not needed:
        return []
    lengths = np.diff(panel.bounds)
    short = [
        label for label, n in zip(panel.labels, lengths, strict=True) if n <= needed
    ]
    return [] if len(short) == len(panel.labels) else short
