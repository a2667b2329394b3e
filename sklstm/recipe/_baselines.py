"""The baselines the recipe's LSTM may correct: the candidates of its selection.

Besides the forecasters of :mod:`sklstm.forecasting`, two linear models are
built here: RidgeCV on lags of the (seasonally) differenced series, an
ARIMA-like forecast, and the Ridge fit on complete rows that it rests on.
"""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklstm.compose import ResidualRegressor
from sklstm.forecasting import (
    AirlineForecaster,
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
)
from sklstm.forecasting._ridge import _PROTOCOL_ALPHAS
from sklstm.preprocessing import DiffFeatures, LagFeatures, TimeSeriesImputer
from sklstm.utils._ahead import ahead_groups

from ._build import log_step
from ._folds import min_train_size


class _RidgeOnCompleteRows(RegressorMixin, BaseEstimator):
    """RidgeCV fitted on the rows whose features are all known.

    The first rows of a series have no complete lag history (``warmup="nan"``
    upstream); fitting on padded copies of the first values would teach the
    model the padding, and on a short fold most rows are such rows. In
    ``predict`` an unknown feature counts as its training mean (0 after
    standard scaling).
    """

    def __init__(self, *, alphas=None):
        self.alphas = alphas

    def fit(self, X, y, sample_weight=None):
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        rows = ~np.isnan(X).any(axis=1)
        if not rows.any():
            raise ValueError(
                f"No training row has its full history of {X.shape[1]} features: "
                "too few rows for these lags."
            )
        weight = None if sample_weight is None else np.asarray(sample_weight)[rows]
        alphas = _PROTOCOL_ALPHAS if self.alphas is None else self.alphas
        self.ridge_ = RidgeCV(alphas=alphas).fit(X[rows], y[rows], sample_weight=weight)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return self.ridge_.predict(np.nan_to_num(np.asarray(X, dtype=np.float64)))


def _differenced_ridge(*, target, n_lags, log, period=None, log_columns=None):
    """RidgeCV on lags of the differenced series: a linear, ARIMA-like forecast.

    The series (with ``log``, the target and the columns ``log_columns``, by
    default those strictly positive in training, in log space) is differenced once,
    or with ``period`` seasonally and then once (the seasonal differences are
    kept as inputs too); RidgeCV on its last ``n_lags`` rows predicts what the
    naive forecast (with ``period``: the seasonal naive one with growth)
    misses.
    """
    steps = [("impute", TimeSeriesImputer(strategy="ffill"))]
    if log:
        steps.append(("log", log_step(target, log_columns)))
    # warm-up rows are NaN, and the Ridge skips them: it never learns padding
    if period is not None:
        steps.append(
            (
                "seasonal_diff",
                DiffFeatures(period=period, drop_original=True, warmup="nan"),
            )
        )
    steps += [
        ("diff", DiffFeatures(period=1, drop_original=period is None, warmup="nan")),
        ("lags", LagFeatures(lags=n_lags, warmup="nan")),
        ("scale", StandardScaler()),
        ("ridge", _RidgeOnCompleteRows()),
    ]
    if period is None:
        reference = NaiveForecaster(target=target)
    else:
        reference = SeasonalNaiveForecaster(
            m=period, target=target, growth="multiplicative" if log else "additive"
        )
    return ResidualRegressor(
        regressor=Pipeline(steps).set_output(transform="pandas"),
        baseline=reference,
        log=log,
    )


def _naive_candidates(*, target, periods, log):
    """The naive forecast, and the seasonal naive one with growth per period."""
    candidates = {"naive": NaiveForecaster(target=target)}
    growth = "multiplicative" if log else "additive"
    for p in periods:
        name = "seasonal" if p == periods[-1] else f"seasonal(m={p})"
        candidates[name] = SeasonalNaiveForecaster(m=p, target=target, growth=growth)
    return candidates


def _lag_ridge_candidates(*, target, periods, n_min, n_columns):
    """RidgeCV on k lags, with and without exogenous lags.

    k: a few lengths, and the periods and two of each; every one has at least
    two samples per lag in the smallest training fold.
    """
    candidates = {}
    lags = sorted({8, 16, 32} | {k for p in periods for k in (p, 2 * p)})
    exogs = [False, True] if n_columns > 1 else [False]
    for n_lags in (k for k in lags if k <= n_min // 2):
        for exog in exogs:
            name = f"ridge(n_lags={n_lags}{', exog' if exog else ''})"
            candidates[name] = RidgeLagForecaster(
                n_lags=n_lags, target=target, exog=exog
            )
    return candidates


def _airline_candidates(*, target, periods, log, n_min, exog=False):
    """The airline model per period (ARIMA (0,1,1) without a season).

    Only where the smallest training fold holds more than twice the
    differences' history. With ``exog`` (X holds columns known ahead), also
    its regression on them. With ``log="auto"`` (a panel whose series are not
    all strictly positive), both that and the values themselves: logging the
    positive series can cost more than it gains.
    """
    candidates = {}
    for p in periods or [1]:
        if n_min > 2 * (p + 1 if p > 1 else 1):
            name = "arima(0,1,1)" if p == 1 else f"airline(m={p})"
            candidates[name] = AirlineForecaster(m=p, target=target, log=log)
            if isinstance(log, str) and log == "auto":
                candidates[f"{name}, unlogged"] = AirlineForecaster(
                    m=p, target=target, log=False
                )
            if exog:
                candidates[f"{name} + regression"] = AirlineForecaster(
                    m=p, target=target, log=log, exog=True
                )
    return candidates


def _differenced_ridge_candidates(*, target, periods, log, n_min, log_columns):
    """Ridge on lags of the (seasonally) differenced series (ARIMA-like).

    With a season, the lags reach one step beyond one and two seasons (the
    airline model's), and they leave a quarter of the smallest training fold
    with its full history.
    """
    candidates = {}
    lags = sorted({8, 16, 32} | {k + 1 for p in periods for k in (p, 2 * p)})
    history = 1 + (periods[-1] if periods else 0)
    room = n_min * 3 // 4
    for n_lags in (k for k in lags if k + history <= room):
        candidates[f"ridge on differences(n_lags={n_lags})"] = _differenced_ridge(
            target=target, n_lags=n_lags, log=log, log_columns=log_columns
        )
        if periods:
            candidates[f"ridge on seasonal differences(n_lags={n_lags})"] = (
                _differenced_ridge(
                    target=target,
                    n_lags=n_lags,
                    log=log,
                    period=periods[-1],
                    log_columns=log_columns,
                )
            )
    return candidates


def _baseline_candidates(
    X, *, target, periods, log, n_splits, log_columns=None, airline_log=None
):
    """The baselines :func:`~sklstm.recipe.select_baseline` scores, by name.

    ``airline_log``: the airline models' ``log`` when it differs from ``log``
    ("auto": per series, see :func:`~sklstm.recipe.tune_lstm_forecaster`).
    """
    n_min = min_train_size(X, n_splits)
    if airline_log is None:
        airline_log = log
    return {
        **_naive_candidates(target=target, periods=periods, log=log),
        **_lag_ridge_candidates(
            target=target, periods=periods, n_min=n_min, n_columns=np.shape(X)[1]
        ),
        **_airline_candidates(
            target=target,
            periods=periods,
            log=airline_log,
            n_min=n_min,
            exog=bool(ahead_groups(getattr(X, "columns", []))),
        ),
        **_differenced_ridge_candidates(
            target=target,
            periods=periods,
            log=log,
            n_min=n_min,
            log_columns=log_columns,
        ),
    }
