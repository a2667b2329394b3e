"""Prediction intervals: the coverage argument, the bounds' layout, their scores.

Every sklstm forecaster with a ``predict_interval`` method shares these:
``coverage`` is the nominal probability that the interval holds the truth (a
float in (0, 1), or a sequence of them), and the bounds come back as MAPIE
lays them out: ``(n_samples, 2)`` for a 1-D ``y`` (lower, upper), with the
forecast steps in between for a multi-step ``y``, ``(n_samples, n_steps, 2)``,
and a last axis of coverages when several are asked for.
"""

from numbers import Real

import numpy as np

from ._metrics import _check_pair, _mase_scale

__all__ = ["interval_scores"]


def check_coverage(coverage, name="coverage"):
    """``coverage`` as a tuple of floats in (0, 1), and whether it was one value.

    Raises a ValueError naming ``name``, the value and what is allowed.
    """
    scalar = isinstance(coverage, Real) and not isinstance(coverage, bool)
    values = (coverage,) if scalar else coverage
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    if not values or any(
        isinstance(c, bool) or not isinstance(c, Real) or not 0 < c < 1 for c in values
    ):
        raise ValueError(
            f"{name}={coverage!r} must be a float strictly between 0 and 1 (the "
            "share of future values the interval should hold, e.g. 0.9), or a "
            "non-empty list of them."
        )
    return tuple(float(c) for c in values), scalar


def stack_bounds(lower, upper, scalar):
    """Lay out bounds as ``(..., 2, n_coverages)``, or ``(..., 2)`` for one.

    ``lower`` and ``upper`` have shape ``(n_coverages, *prediction_shape)``.
    """
    bounds = np.stack([np.asarray(lower), np.asarray(upper)], axis=-1)
    bounds = np.moveaxis(bounds, 0, -1)  # (..., 2, n_coverages)
    return bounds[..., 0] if scalar else bounds


def interval_scores(y_true, lower, upper, *, y_train, m=1, coverage=0.9):
    """Empirical coverage, mean width and MSIS of prediction intervals.

    The mean scaled interval score (MSIS, the M4 competition's interval
    metric; Gneiting and Raftery 2007) of the interval [L, U] at nominal
    coverage ``1 - a`` is the mean over origins and steps of
    ``(U - L) + (2 / a) (L - y) [y < L] + (2 / a) (y - U) [y > U]``, divided
    by the in-sample mean absolute error of the seasonal naive forecast with
    period ``m`` (the MASE scale). Narrow intervals that hold the truth score
    low; a miss costs ``2 / a`` times its distance.

    Parameters
    ----------
    y_true : array-like of shape (n_origins,) or (n_origins, n_steps)
        True values.
    lower, upper : array-like of the same shape as ``y_true``
        The bounds.
    y_train : array-like of shape (n_train,)
        The training part of the series, in time order (the MASE scale).
    m : int, default=1
        Seasonal period of the scale.
    coverage : float, default=0.9
        The intervals' nominal coverage, ``1 - a``.

    Returns
    -------
    scores : dict
        ``coverage`` (the share of values inside [L, U]), ``width`` (the mean
        of U - L) and ``MSIS``.

    See Also
    --------
    forecast_scores : The point forecast's scores, on the same scale.

    Examples
    --------
    >>> from sklstm.forecasting import interval_scores
    >>> scores = interval_scores([1.0, 2.0, 5.0], [0.0, 1.0, 1.0], [2.0, 3.0, 3.0],
    ...                          y_train=[0.0, 1.0, 2.0, 3.0], coverage=0.8)
    >>> scores["coverage"], scores["width"], scores["MSIS"]
    (0.667, 2.0, 8.667)
    """
    (level,), _ = check_coverage(coverage)
    y, lo = _check_pair(y_true, lower)
    _, hi = _check_pair(y_true, upper)
    scale = _mase_scale(y_train, m)
    a = 1.0 - level
    score = (hi - lo) + (2 / a) * (lo - y) * (y < lo) + (2 / a) * (y - hi) * (y > hi)
    return {
        "coverage": float(np.mean((y >= lo) & (y <= hi))),
        "width": float(np.mean(hi - lo)),
        "MSIS": float(np.mean(score) / scale),
    }
