"""Quantile regression for the LSTM regressor: the pinball loss and its quantiles.

``LSTMRegressor(loss="quantile", quantiles=...)`` gives its network one output
per forecast step and quantile (the step's quantiles side by side) and trains
it with the pinball loss; the target scaler repeats every target column once
per quantile so that the loss compares each output with its own step.
Crossing quantiles are repaired at predict time by sorting (see
:func:`sort_quantiles`). Importing this module imports TensorFlow.
"""

from numbers import Real

import numpy as np

from sklstm.forecasting._coverage import check_coverage, stack_bounds
from sklstm.models._tf import keras

__all__ = [
    "DEFAULT_QUANTILES",
    "PinballLoss",
    "check_quantiles",
    "constant_quantiles",
    "interval_from_quantiles",
    "sort_quantiles",
]

DEFAULT_QUANTILES = (0.05, 0.5, 0.95)


def check_quantiles(quantiles):
    """``quantiles`` as a tuple of floats; None gives :data:`DEFAULT_QUANTILES`.

    Raises a ValueError naming the parameter, the value and what is allowed:
    a non-empty increasing sequence of distinct floats strictly between 0
    and 1 that holds 0.5 (the median :meth:`LSTMRegressor.predict` returns).
    """
    if quantiles is None:
        return DEFAULT_QUANTILES
    allowed = (
        "must be an increasing sequence of distinct floats strictly between 0 "
        "and 1 that holds 0.5 (the median, which predict returns), e.g. "
        "(0.05, 0.5, 0.95)"
    )
    try:
        values = tuple(quantiles)
    except TypeError:
        values = ()
    if (
        not values
        or isinstance(quantiles, str)
        or any(isinstance(q, bool) or not isinstance(q, Real) for q in values)
    ):
        raise ValueError(f"quantiles={quantiles!r} {allowed}.")
    values = tuple(float(q) for q in values)
    outside = [q for q in values if not 0 < q < 1]
    if outside:
        raise ValueError(
            f"quantiles={quantiles!r} {allowed}; {outside[0]!r} is not in (0, 1)."
        )
    if any(b <= a for a, b in zip(values[:-1], values[1:], strict=True)):
        raise ValueError(f"quantiles={quantiles!r} {allowed}; they are not increasing.")
    if 0.5 not in values:
        raise ValueError(f"quantiles={quantiles!r} {allowed}; 0.5 is missing.")
    return values


def constant_quantiles(y, quantiles):
    """The best constant prediction of each output under the pinball loss.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_steps * n_quantiles)
        The training target as the network sees it: each (scaled) target
        column repeated once per quantile, each step's quantiles side by side.
    quantiles : tuple of float
        The levels, in the order of each step's outputs.

    Returns
    -------
    bias : ndarray of shape (n_steps * n_quantiles,)
        Output ``k``: the empirical ``quantiles[k % n_q]`` quantile of column
        ``k``, the constant that minimizes that output's pinball loss on
        ``y`` (Koenker and Bassett 1978), as the mean minimizes the squared
        error. The network's output layer starts from these biases, so
        training refines a fitted unconditional distribution (for a
        standardized Gaussian target, about ``norm.ppf(tau)``: +-1.64 at 0.05
        and 0.95) instead of moving every level out from 0, which the tails
        do only slowly under Adam's bounded steps.
    """
    y = np.asarray(y, dtype=np.float64)
    tau = np.tile(np.asarray(quantiles, dtype=np.float64), y.shape[1] // len(quantiles))
    return np.array([np.quantile(y[:, k], tau[k]) for k in range(y.shape[1])])


def sort_quantiles(values):
    """Sort predicted quantiles along the last axis (repairs crossing).

    The rearrangement of Chernozhukov, Fernandez-Val and Galichon (2010,
    Econometrica 78: "Quantile and probability curves without crossing"):
    sorting the predicted quantiles of each sample and step gives a monotone
    quantile function that is never farther from the true one (in any Lp norm)
    than the unsorted predictions, and leaves ordered predictions unchanged.
    """
    return np.sort(values, axis=-1)


def interval_from_quantiles(predicted, quantiles, coverage, *, name="quantiles"):
    """Bounds at ``coverage`` from predicted quantiles, laid out as MAPIE's.

    Parameters
    ----------
    predicted : ndarray of shape (n_samples, [n_steps,] n_quantiles)
        Sorted predicted quantiles, the last axis in the order of ``quantiles``.
    quantiles : tuple of float
        The quantile levels of the last axis.
    coverage : float or sequence of float
        Nominal coverage(s); each needs the levels ``(1 - c) / 2`` and
        ``(1 + c) / 2`` among ``quantiles``.
    name : str, default="quantiles"
        How the levels are named in the error.

    Returns
    -------
    bounds : ndarray of shape (n_samples, [n_steps,] 2[, n_coverages])
    """
    levels, scalar = check_coverage(coverage)
    grid = np.asarray(quantiles)

    def column(level):
        match = np.flatnonzero(np.isclose(grid, level, rtol=0, atol=1e-9))
        return int(match[0]) if match.size else None

    lower, upper = [], []
    for c in levels:
        lo, hi = (1 - c) / 2, (1 + c) / 2
        i, j = column(lo), column(hi)
        if i is None or j is None:
            missing = " and ".join(
                f"{q:.6g}" for q, k in ((lo, i), (hi, j)) if k is None
            )
            available = [
                f"{1 - 2 * q:.6g}"
                for q in grid
                if q < 0.5 and column(1 - q) is not None
            ]
            raise ValueError(
                f"coverage={coverage!r}: the interval at coverage {c:.6g} is "
                f"bounded by the quantiles {lo:.6g} and {hi:.6g}, but {name}="
                f"{tuple(float(q) for q in grid)} does not hold {missing}. Add "
                f"them to {name}, or ask for a coverage the {name} give "
                f"({', '.join(available) if available else 'none'})."
            )
        lower.append(predicted[..., i])
        upper.append(predicted[..., j])
    return stack_bounds(lower, upper, scalar)


@keras.saving.register_keras_serializable(package="sklstm")
class PinballLoss(keras.losses.Loss):
    """The pinball (quantile) loss of outputs laid out step by step.

    Output ``k`` of the network predicts quantile ``quantiles[k % n_q]`` of
    the target column ``y_true[:, k]`` (the target scaler repeats each target
    column ``n_q`` times). The loss of an error ``e = y - q`` at level
    ``tau`` is ``max(tau * e, (tau - 1) * e)``; its expectation is smallest
    at the ``tau`` quantile of y (Koenker and Bassett 1978). The mean over
    the outputs is the loss of a sample.

    Parameters
    ----------
    quantiles : sequence of float
        The levels, in the order of each step's outputs.
    n_steps : int, default=1
        Number of target columns (forecast steps).
    """

    def __init__(
        self,
        quantiles,
        n_steps=1,
        name="pinball",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.quantiles = tuple(float(q) for q in quantiles)
        self.n_steps = int(n_steps)

    def call(self, y_true, y_pred):
        ops = keras.ops
        tau = ops.convert_to_tensor(
            np.tile(self.quantiles, self.n_steps), dtype=y_pred.dtype
        )
        error = ops.cast(y_true, y_pred.dtype) - y_pred
        return ops.mean(ops.maximum(tau * error, (tau - 1.0) * error), axis=-1)

    def get_config(self):
        return {
            **super().get_config(),
            "quantiles": list(self.quantiles),
            "n_steps": self.n_steps,
        }
