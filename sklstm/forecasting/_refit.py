"""Backtests that refit: which rows each fit trains on, predicts and scores.

The protocol fits once on the training part; :func:`evaluate_forecaster` can
also refit every k scored origins on the data known at that origin, on an
expanding or a fixed-length window, and score every ``stride``-th origin.
Positions here are rows of the test part of each series (``j = 0`` is its first
test row; the first ``horizon - 1`` are bridge rows, never scored).
"""

import time
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone

from ._panel_framing import is_panel, series_blocks

__all__ = ["check_refit", "refit_forecasts", "scored_rows"]


def check_refit(refit, window, stride):
    """``refit`` as the number of scored origins per fit (None: one fit)."""
    if isinstance(refit, bool):
        refit = 1 if refit else None
    elif not isinstance(refit, Integral) or refit < 1:
        raise ValueError(
            f"refit={refit!r} must be False (one fit), True (before every scored "
            "origin) or an int k >= 1 (before every k-th scored origin)."
        )
    if window not in ("expanding", "fixed"):
        raise ValueError(f"window={window!r} must be 'expanding' or 'fixed'.")
    if isinstance(stride, bool) or not isinstance(stride, Integral) or stride < 1:
        raise ValueError(
            f"stride={stride!r} must be an int >= 1 (score every stride-th origin)."
        )
    return refit if refit is None else int(refit)


def scored_rows(n_test, horizon, stride):
    """Offsets of the scored test rows: every ``stride``-th origin, bridges left out."""
    return np.arange(horizon - 1, n_test, stride)


def _blocks(frame):
    """``(start, stop)`` of each series' rows (one block for a single series)."""
    if is_panel(frame):
        return [(start, stop) for _, start, stop in series_blocks(frame.index)]
    return [(0, len(frame))]


def _rows(X_train, X_test, pieces):
    """The rows of ``pieces``: per series, a slice of its train and of its test rows."""
    parts = []
    for (train, test), (a, b), (c, d) in pieces:
        parts += [X_train.iloc[train[0] + a : train[0] + b]]
        parts += [X_test.iloc[test[0] + c : test[0] + d]]
    return pd.concat(parts)


def _group_pieces(train_blocks, test_blocks, first, last, horizon, window):
    """Per series: the train and the predict rows of the fit for ``first..last``.

    The fit knows every value up to its first scored origin's history: the
    training rows whose targets end before it (a fixed window: as many as the
    training part holds, the latest). It then predicts from the row after them
    (bridge rows included) to ``last``, or to the series' last test row.
    """
    known = first - horizon + 1  # test rows whose targets are all known
    fit, predict = [], []
    for train, test in zip(train_blocks, test_blocks, strict=True):
        n_train, n_test = train[1] - train[0], test[1] - test[0]
        if window == "fixed":
            rows = ((min(known, n_train), n_train), (max(0, known - n_train), known))
        else:
            rows = ((0, n_train), (0, known))
        fit.append(((train, test), *rows))
        stop = min(last, n_test - 1) + 1
        if stop > first:  # the series has a scored row in this group
            predict.append(((train, test), (n_train, n_train), (known, stop)))
    return fit, predict


def refit_forecasts(model, splits, *, horizon, refit, window, stride, coverage):
    """Forecasts of every test row of the scored origins, refitting as asked.

    Returns ``(y_pred, bounds, scored, fit_seconds, n_fits, last_model)``:
    forecasts (and bounds) in the layout of ``X_test`` (NaN where a row is not
    scored) and the boolean mask of scored rows.
    """
    X_train, X_test, y_train, y_test = splits
    train_blocks, test_blocks = _blocks(X_train), _blocks(X_test)
    longest = max(stop - start for start, stop in test_blocks)
    offsets = scored_rows(longest, horizon, stride)
    shape = (len(X_test), *np.shape(y_test)[1:])
    y_pred = np.full(shape, np.nan)
    bounds = np.full((*shape, 2), np.nan) if coverage is not None else None
    scored = np.zeros(len(X_test), dtype=bool)
    for start, stop in test_blocks:
        scored[start + offsets[offsets < stop - start]] = True
    fit_seconds, n_fits, fitted = 0.0, 0, None
    for i in range(0, len(offsets), refit or len(offsets)):
        group = offsets[i : i + (refit or len(offsets))]
        fit, predict = _group_pieces(
            train_blocks, test_blocks, group[0], group[-1], horizon, window
        )
        fitted = clone(model)
        started = time.perf_counter()
        fitted.fit(_rows(X_train, X_test, fit), _rows(y_train, y_test, fit))
        fit_seconds += time.perf_counter() - started
        n_fits += 1
        rows = _rows(X_train, X_test, predict)
        _place(y_pred, np.asarray(fitted.predict(rows), float), predict, group, shape)
        if coverage is not None:
            interval = np.asarray(fitted.predict_interval(rows, coverage=coverage))
            _place(bounds, interval, predict, group, (*shape, 2))
    return y_pred, bounds, scored, fit_seconds, n_fits, fitted


def _place(out, values, predict, group, shape):
    """Copy the predictions of ``group``'s scored rows into ``out`` (test layout)."""
    values = values.reshape(-1, *shape[1:])
    at = 0
    for (_, test), _, (c, d) in predict:
        rows = np.arange(c, d)
        keep = np.isin(rows, group)
        out[test[0] + rows[keep]] = values[at : at + len(rows)][keep]
        at += len(rows)
