"""The airline model's regression on columns known ahead (regression with ARIMA errors).

With ``AirlineForecaster(exog=True)`` the target is ``z_t = x_t' beta + u_t``:
a linear function of the columns known ahead (``x``, planned values) plus an
error ``u`` that follows the airline model. Differencing both sides by the
airline model's differences and filtering by its moving average makes the
innovations linear in ``beta``, so for given moving-average coefficients
``beta`` is a least-squares solution: the conditional sum of squares is
profiled over ``beta`` and minimized over the two coefficients as before.
"""

import numpy as np
from scipy.signal import lfilter

from sklstm.utils._ahead import ahead_groups

__all__ = ["ahead_effect", "exog_layout", "exog_values", "profiled_innovations"]


def exog_layout(estimator):
    """The regressors of ``estimator`` (fitted names, ``n_outputs_``, target).

    Returns ``(columns, now, ahead)``: the names of the columns known ahead,
    their positions in X (their value at t) and the positions of their
    ``<column>_ahead_<k>`` (shape ``(n_outputs_, n_columns)``, row k - 1).
    """
    names = getattr(estimator, "feature_names_in_", None)
    horizon = estimator.n_outputs_
    name = type(estimator).__name__
    if names is None:
        raise ValueError(
            f"{name}(exog=True) finds the columns known ahead by their names; "
            "X has none (NumPy input). Pass the DataFrame of make_supervised("
            "..., future=[...])."
        )
    names = [str(n) for n in names]
    target = names[estimator.target_index_]
    groups = ahead_groups(names)
    columns = [
        base
        for base, steps in groups.items()
        if base != target and all(k in steps for k in range(1, horizon + 1))
    ]
    if not columns:
        steps = "'<column>_ahead_1'" + (
            f" .. '<column>_ahead_{horizon}'" if horizon > 1 else ""
        )
        raise ValueError(
            f"{name}(exog=True) regresses on the columns known ahead, but X has "
            f"no column {steps} beside its column; frame it with "
            f"make_supervised(..., future=[...]). X's columns: {names}."
        )
    position = {n: i for i, n in enumerate(names)}
    now = np.array([position[c] for c in columns], dtype=np.intp)
    ahead = np.array(
        [[position[groups[c][k]] for c in columns] for k in range(1, horizon + 1)],
        dtype=np.intp,
    )
    return columns, now, ahead


def exog_values(estimator, X, positions):
    """The columns ``positions`` of the validated X; a ValueError at a gap."""
    values = X[:, positions].astype(np.float64)
    gaps = np.isnan(values)
    if gaps.any():
        row, j = np.argwhere(gaps)[0]
        names = getattr(estimator, "feature_names_in_", None)
        column = names[positions[j]] if names is not None else positions[j]
        raise ValueError(
            f"{type(estimator).__name__}(exog=True): column {column!r} is NaN at "
            f"row {row}; the values it regresses on must be known (fill the "
            "gaps first)."
        )
    return values


def profiled_innovations(w, wx, ma, residuals):
    """Innovations and ``beta`` of ``w - wx @ beta = ma(B) e``, beta least squares.

    ``w`` and ``wx`` are the differenced target and regressors; without
    regressors (``wx`` None), ``residuals(w, ma)`` and an empty ``beta``.
    """
    if wx is None:
        return residuals(w, ma), np.zeros(0)
    filtered = lfilter([1.0], ma, w)
    filtered_x = lfilter([1.0], ma, wx, axis=0)
    beta = np.linalg.lstsq(filtered_x, filtered, rcond=None)[0]
    return filtered - filtered_x @ beta, beta


def ahead_effect(estimator, X, ahead, beta):
    """``beta`` times each row's values at the steps ahead: shape (n, n_outputs)."""
    values = exog_values(estimator, X, ahead.ravel())
    return values.reshape(len(X), *ahead.shape) @ beta
