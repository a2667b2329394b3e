"""The classical forecasts every sklstm comparison is measured against, built once."""

from numbers import Integral

import numpy as np
import pandas as pd

from ..utils._compat import Interval, validate_params
from ._airline import AirlineForecaster
from ._naive import NaiveForecaster, SeasonalNaiveForecaster
from ._ridge import RidgeLagForecaster
from ._supervised import _check_frame

__all__ = ["BASELINE_KINDS", "protocol_baselines"]

#: The kinds of :func:`protocol_baselines`, in the order it lists them.
BASELINE_KINDS = (
    "naive",
    "seasonal",
    "ridge",
    "additive growth",
    "multiplicative growth",
    "airline",
    "exog",
    "airline regression",
)


def _check_kinds(kinds):
    if kinds is None:
        return BASELINE_KINDS
    if isinstance(kinds, str):
        kinds = [kinds]
    unknown = [kind for kind in kinds if kind not in BASELINE_KINDS]
    if unknown:
        raise ValueError(
            f"kinds={list(kinds)!r} holds {unknown[0]!r}; allowed: "
            f"{list(BASELINE_KINDS)} or None (all that apply)."
        )
    return tuple(kinds)


_PERIOD = Interval(Integral, 1, None, closed="left")


@validate_params(
    {
        "frame": [pd.DataFrame, pd.Series],
        "target": [str],
        "m": [_PERIOD],
        "season_length": [_PERIOD, None],
        "n_lags": [_PERIOD, None],
        "kinds": [str, list, tuple, None],
        "future": [str, list, tuple, None],
    },
    prefer_skip_nested_validation=True,
)
def protocol_baselines(
    frame, target, *, m=1, season_length=None, n_lags=None, kinds=None, future=None
):
    """The accuracy protocol's classical forecasters for a series or a panel, unfitted.

    One place builds the baselines that ``sklstm demo``, ``sklstm forecast``
    and the benchmarks score a model against (ACCURACY-PROTOCOL.md), each
    named as they print it:

    - ``"naive"``: :class:`NaiveForecaster`;
    - ``"seasonal naive (m=S)"``: :class:`SeasonalNaiveForecaster` of period
      S = ``season_length`` (when S > 1);
    - ``"RidgeCV lags 1..k"``: :class:`RidgeLagForecaster` on ``n_lags`` lags
      (pooled over the series of a panel);
    - with a season (``m > 1``), ``"seasonal naive + additive growth (m=m)"``,
      and ``"... multiplicative growth ..."`` when every value of the target
      is strictly positive;
    - with a season, ``"airline model (m=m[, log])"``:
      :class:`AirlineForecaster`, in log space when the target is strictly
      positive;
    - with other columns, ``"RidgeCV lags 1..k + exog lags"`` (framed with
      columns known ahead, their ``<column>_ahead_<k>`` enter it too, at lag
      0: a Ridge with future regressors);
    - with ``future``, ``"airline model (m=m[, log]) + regression on
      <columns>"``: :class:`AirlineForecaster` with ``exog=True``, the
      regression on the columns known ahead with airline errors (ARIMA
      (0,1,1) errors when ``m=1``).

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        The series (or a panel) whose values decide log space and whether
        there are other columns; its gaps may be interpolated or not.
    target : str
        The column to forecast.
    m : int, default=1
        The season of the growth and airline models (1: none).
    season_length : int, default=None
        Period of the seasonal naive forecast; None: ``m``.
    n_lags : int, default=None
        Lags of the Ridge models; None: two seasons, at least 14
        (``max(2 * m, 14)``).
    kinds : str or list of str, default=None
        Which of :data:`BASELINE_KINDS` to build ("exog": Ridge with lags of
        the other columns); None: every kind that applies. A kind that does
        not apply to ``frame`` (a season of 1, a non-positive series for
        multiplicative growth, no other column, no ``future``) is left out.
    future : str or list of str, default=None
        The columns known ahead that the baselines will be framed with
        (``evaluate_forecaster(..., future=...)``); None: none.

    Returns
    -------
    baselines : dict of str to estimator
        Name to unfitted forecaster, in the order above.

    See Also
    --------
    evaluate_forecaster : Score each of them under the protocol.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import protocol_baselines
    >>> list(protocol_baselines(load_airpassengers(), "passengers", m=12))
    ['naive', 'seasonal naive (m=12)', 'RidgeCV lags 1..24', 'seasonal naive + \
additive growth (m=12)', 'seasonal naive + multiplicative growth (m=12)', 'airline \
model (m=12, log)']
    >>> list(protocol_baselines(load_airpassengers(), "passengers", m=12,
    ...                         kinds=["seasonal", "airline"]))
    ['seasonal naive (m=12)', 'airline model (m=12, log)']

    With a column known ahead (insurance quotes and the planned TV adverts):

    >>> from sklstm.datasets import load_insurance
    >>> list(protocol_baselines(load_insurance(), "quotes", future=["tv_adverts"]))
    ['naive', 'RidgeCV lags 1..14', 'RidgeCV lags 1..14 + exog lags', 'airline \
model (m=1, log) + regression on tv_adverts']
    """
    frame = _check_frame(frame, target)
    future = [future] if isinstance(future, str) else list(future or [])
    season = m if season_length is None else season_length
    k = max(2 * m, 14) if n_lags is None else n_lags
    kinds = _check_kinds(kinds)
    values = pd.to_numeric(frame[target], errors="coerce").to_numpy(dtype=float)
    positive = bool(np.all(values[~np.isnan(values)] > 0))
    log = ", log" if positive else ""
    candidates = {
        "naive": ("naive", lambda: NaiveForecaster(target=target)),
        "seasonal": (
            f"seasonal naive (m={season})",
            lambda: SeasonalNaiveForecaster(m=season, target=target),
        ),
        "ridge": (
            f"RidgeCV lags 1..{k}",
            lambda: RidgeLagForecaster(n_lags=k, target=target),
        ),
        "additive growth": (
            f"seasonal naive + additive growth (m={m})",
            lambda: SeasonalNaiveForecaster(m=m, target=target, growth="additive"),
        ),
        "multiplicative growth": (
            f"seasonal naive + multiplicative growth (m={m})",
            lambda: SeasonalNaiveForecaster(
                m=m, target=target, growth="multiplicative"
            ),
        ),
        "airline": (
            f"airline model (m={m}{log})",
            lambda: AirlineForecaster(m=m, target=target, log=positive),
        ),
        "exog": (
            f"RidgeCV lags 1..{k} + exog lags",
            lambda: RidgeLagForecaster(n_lags=k, target=target, exog=True),
        ),
        "airline regression": (
            f"airline model (m={m}{log}) + regression on {', '.join(future)}",
            lambda: AirlineForecaster(m=m, target=target, log=positive, exog=True),
        ),
    }
    applies = {
        "seasonal": season > 1,
        "additive growth": m > 1,
        "multiplicative growth": m > 1 and positive,
        "airline": m > 1,
        "exog": frame.shape[1] > 1,
        "airline regression": bool(future),
    }
    return {
        candidates[kind][0]: candidates[kind][1]()
        for kind in BASELINE_KINDS
        if kind in kinds and applies.get(kind, True)
    }
