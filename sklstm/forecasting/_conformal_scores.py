"""The conformal scores behind ConformalForecaster: quantiles, ACI, panel scales.

A panel's errors are divided by the scale of their series' errors before
their quantile is taken, and the quantile is multiplied back by each
series' scale, so that one pooled quantile serves series of any size.
"""

import bisect
import math

import numpy as np
import pandas as pd

__all__ = [
    "aci_half_widths",
    "conformal_quantile",
    "expanding_changes",
    "log_scores_better",
    "nested_half_widths",
    "panel_row_scales",
    "panel_scales",
]


def conformal_quantile(scores, level):
    """The finite-sample conformal quantile of ``scores`` at ``level``.

    The ``ceil((n + 1) level)``-th smallest of the n scores, which holds a new
    exchangeable score with probability at least ``level``; when that rank is
    beyond n (too few scores for the level) the largest score is used instead
    of an infinite bound.
    """
    scores = np.sort(scores[~np.isnan(scores)])
    n = len(scores)
    rank = min(n, max(1, math.ceil((n + 1) * level)))
    return scores[rank - 1]


def aci_half_widths(initial, revealed, level, gamma, delay):
    """Adaptive conformal half-widths for a stream of rows (Gibbs and Candes).

    ``initial`` holds the absolute calibration errors; ``revealed[t]`` is the
    absolute error of the forecast made at row ``t - delay``, known at row t
    (NaN: none). Row t's half-width is the conformal quantile of every error
    known by then at level ``1 - alpha_t``; each revealed error moves
    ``alpha`` by ``gamma * ((1 - level) - miss)``.
    """
    scores = sorted(initial[~np.isnan(initial)])
    alpha = 1.0 - level
    half = np.empty(len(revealed))
    for t, error in enumerate(revealed):
        origin = t - delay
        if origin >= 0 and not np.isnan(error):
            alpha += gamma * ((1.0 - level) - float(error > half[origin]))
            bisect.insort(scores, error)
        n = len(scores)
        target = min(1.0, max(0.0, 1.0 - alpha))
        half[t] = scores[min(n, max(1, math.ceil((n + 1) * target))) - 1]
    return half


def nested_half_widths(half, levels):
    """Half-widths widened so that a higher level's hold every lower level's.

    ``half[i]`` belongs to ``levels[i]``. The adaptive levels move
    separately (each by its own misses) and may cross; each level takes the
    largest half-width of the levels up to it, so a level is widened, never
    narrowed, and the lowest level requested is as alone.
    """
    order = np.argsort(levels, kind="stable")
    nested = np.empty_like(half)
    nested[order] = np.maximum.accumulate(half[order], axis=0)
    return nested


def _groups(labels):
    return np.asarray(labels, dtype=object)


def _one_step_changes(values, labels):
    """Per row, ``|values[t] - values[t - 1]|`` within its series (NaN first)."""
    changes = np.abs(np.diff(np.asarray(values, dtype=np.float64), prepend=np.nan))
    labels = _groups(labels)
    changes[np.r_[True, labels[1:] != labels[:-1]]] = np.nan
    return changes


def expanding_changes(values, labels):
    """Per row, the mean absolute one-step change of its series up to it.

    NaN where the series shows no change yet.
    """
    changes = _one_step_changes(values, labels)
    known = ~np.isnan(changes)
    sums = pd.Series(np.where(known, changes, 0.0)).groupby(_groups(labels)).cumsum()
    counts = pd.Series(known.astype(float)).groupby(_groups(labels)).cumsum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def _usable(scales):
    """``scales`` with NaN where a scale is not positive and finite."""
    return scales.where((scales > 0) & np.isfinite(scales))


def panel_scales(errors, series, values, labels):
    """Each series' scale, per step, and the fallback ratio.

    ``errors`` (n_calibration, n_steps) belong to the series ``series``;
    ``values`` are the consecutive target values of the training rows of
    the series ``labels``. A series' scale is the mean absolute value of its
    errors, step by step. A series without errors gets the mean absolute
    one-step change of its ``values`` times ``ratio``: the median, over the
    series with both, of their error scale over their one-step change.

    Returns ``(scales, ratio)``: a DataFrame indexed by every series of
    ``labels`` (then of ``series``), one column per step, and an ndarray of
    shape (n_steps,).
    """
    change = _usable(
        pd.Series(_one_step_changes(values, labels)).groupby(_groups(labels)).mean()
    )
    own = _usable(pd.DataFrame(np.abs(errors)).groupby(_groups(series)).mean())
    index = change.index.append(own.index.difference(change.index))
    own, change = own.reindex(index), change.reindex(index)
    ratio = own.div(change, axis=0).median().to_numpy()
    default = np.nan_to_num(own.median().to_numpy(), nan=1.0)
    filled = _fill(own.to_numpy(), change.to_numpy(), ratio, default)
    return pd.DataFrame(filled, index=index, columns=own.columns), ratio


def _fill(scales, change, ratio, default):
    """``scales`` (rows, steps) where usable, else ``change`` times ``ratio``,
    else ``default``."""
    scales = np.array(scales, dtype=np.float64)
    for guess in (np.outer(change, ratio), np.broadcast_to(default, scales.shape)):
        missing = ~((scales > 0) & np.isfinite(scales))
        scales[missing] = guess[missing]
    return scales


def panel_row_scales(labels, scales, ratio, history=None):
    """The scale of each row of a panel, per step: ``(n_rows, n_steps)``.

    A series of ``scales`` has its own; another gets its mean absolute
    one-step change up to the row (``history``, from
    :func:`expanding_changes`) times ``ratio``, else the median scale of
    the series of ``scales``.
    """
    rows = scales.reindex(pd.Index(_groups(labels))).to_numpy(dtype=np.float64)
    change = np.full(len(rows), np.nan) if history is None else history
    return _fill(rows, change, ratio, scales.median().to_numpy())


def _own_scales(errors, series):
    """Each row's series' mean absolute error, per step (else the median)."""
    own = _usable(pd.DataFrame(np.abs(errors)).groupby(_groups(series)).mean())
    own = own.fillna(own.median()).fillna(1.0)
    return own.reindex(pd.Index(_groups(series))).to_numpy(dtype=np.float64)


def log_scores_better(truth, pred, series, levels, floor=None):
    """Whether intervals of the log errors score better than of the errors.

    Both kinds of interval are calibrated on the calibration rows
    (``truth`` and ``pred`` of shape (n_calibration, n_steps), ``series``
    the series of each row, each series' errors divided by its own scale
    as in ``predict_interval``) and scored there at each of ``levels`` by
    the interval score (width plus ``2 / (1 - level)`` times each miss),
    divided by the row's series' mean absolute error at that step, so that
    every series and step weighs alike. ``floor``: lower bounds clipped to
    it. Both hold about the same share of the rows, so the lower score is
    the narrower interval: constant widths when the errors do not grow with
    the level, widths in proportion to it when they do.
    """
    raw = truth - pred
    weight = _own_scales(raw, series)
    spaces = {
        "raw": (raw, lambda half: (pred - half, pred + half)),
        "log": (
            np.log(truth) - np.log(pred),
            lambda half: (pred * np.exp(-half), pred * np.exp(half)),
        ),
    }
    totals = {}
    for name, (errors, bounds) in spaces.items():
        scale = _own_scales(errors, series)
        scores = np.abs(errors) / scale
        total = 0.0
        for level in levels:
            quantile = [conformal_quantile(column, level) for column in scores.T]
            lower, upper = bounds(np.asarray(quantile) * scale)
            if floor is not None:
                lower, upper = np.maximum(lower, floor), np.maximum(upper, floor)
            a = 1.0 - level
            score = (
                (upper - lower)
                + (2 / a) * (lower - truth) * (truth < lower)
                + (2 / a) * (truth - upper) * (truth > upper)
            )
            total += np.nanmean(score / weight)
        totals[name] = total
    return bool(totals["log"] < totals["raw"])
