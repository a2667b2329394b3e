"""Diagnose the forecasts themselves: echo, flat line, bias, worse than naive.

The most common LSTM complaint -- "my LSTM just predicts the previous value,
shifted by one step", or a flat line near the mean -- is invisible in the data
and in the training history; it shows in the forecasts against the actuals.
"""

import numpy as np

from sklstm.diagnose._report import Diagnosis, Finding
from sklstm.diagnose._utils import check_number, fmt, pct

__all__ = ["diagnose_forecast"]


def _as_2d(values, name):
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, np.newaxis]
    if arr.ndim != 2 or len(arr) == 0:
        raise ValueError(
            f"{name} must be 1-D (n_origins,) or 2-D (n_origins, n_horizons) and "
            f"not empty; got shape {np.shape(values)}."
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} contains {int(np.sum(~np.isfinite(arr)))} NaN or infinite "
            "values; diagnose only the points that were forecast."
        )
    return arr


def _corr(a, b):
    if np.ptp(a) == 0 or np.ptp(b) == 0:  # a constant has no correlation
        return np.nan
    return float(np.corrcoef(a, b)[0, 1])


def diagnose_forecast(
    y_true,
    y_pred,
    *,
    y_train=None,
    m=1,
    max_lag=3,
    naive_ratio=0.95,
    flat_ratio=0.25,
    bias_ratio=0.5,
    horizon_growth=2.0,
):
    """Diagnose forecasts against the actual values.

    Looks for the accuracy errors that only the forecasts show and returns
    them as findings with evidence and fix:

    ``persistence``
        The forecast echoes the previous actual value: it correlates best with
        the actual value ``k >= 1`` steps earlier (not with the value it
        forecasts) and its error is no better than the naive forecast's
        (``MAE >= naive_ratio x`` the naive MAE). The network has learned
        "tomorrow equals today".
    ``flat_forecast``
        The forecasts vary far less than the actual values (standard
        deviation below ``flat_ratio`` of the actual's): a flat or
        mean-reverting line.
    ``forecast_bias``
        The mean error is a large part of the mean absolute error (more than
        ``bias_ratio``) and clearly non-zero (more than 3 standard errors):
        the forecasts are systematically too high or too low.
    ``worse_than_naive``
        MASE >= 1: the forecasts lose to the in-sample (seasonal) naive
        forecast with period ``m`` (needs ``y_train``).
    ``error_grows_with_horizon``
        For several horizons (2-D y): the MAE of the last horizon is more than
        ``horizon_growth`` times that of the first.

    Parameters
    ----------
    y_true : array-like of shape (n_origins,) or (n_origins, n_horizons)
        Actual values, in time order (row t: the value(s) forecast at origin t).
    y_pred : array-like of the same shape
        Forecasts.
    y_train : array-like of shape (n_train,), default=None
        The training series before the first forecast, in time order. It gives
        the naive forecast of the first point and the MASE scale; without it
        the first point is not scored against the naive forecast and
        ``worse_than_naive`` is not checked.
    m : int, default=1
        Seasonal period of the MASE scale (1: the naive forecast).
    max_lag : int, default=3
        Largest lag of the actual values the forecast is compared with.
    naive_ratio : float, default=0.95
        ``persistence`` needs an MAE at least this fraction of the naive MAE.
    flat_ratio : float, default=0.25
        ``flat_forecast`` threshold on std(forecast) / std(actual).
    bias_ratio : float, default=0.5
        ``forecast_bias`` threshold on ``abs(mean error) / MAE``.
    horizon_growth : float, default=2.0
        ``error_grows_with_horizon`` threshold on MAE(last) / MAE(first).

    Returns
    -------
    diagnosis : Diagnosis
        The findings (possibly none); ``context["forecasts"]`` summarizes the
        MAE, the naive forecast's MAE, the MASE (with ``y_train``), the spread
        and the mean error. The numbers behind each finding are in its
        ``evidence``.

    See Also
    --------
    diagnose : Data and training diagnosis (takes ``y_test`` and ``y_pred``
        to add these findings).
    sklstm.forecasting.mean_absolute_scaled_error : The MASE used here.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.diagnose import diagnose_forecast
    >>> rng = np.random.RandomState(0)
    >>> y = np.cumsum(rng.normal(size=120)) + 0.5 * np.sin(np.arange(120))
    >>> echo = np.r_[y[79], y[80:-1]]            # "the previous value"
    >>> diagnose_forecast(y[80:], echo, y_train=y[:80]).names
    ['persistence', 'worse_than_naive']
    >>> flat = np.full(40, y[:80].mean())        # "a flat line near the mean"
    >>> diagnose_forecast(y[80:], flat, y_train=y[:80]).names
    ['flat_forecast', 'worse_than_naive']
    >>> good = y[80:] + 0.3 * rng.normal(size=40)  # close to the actual values
    >>> diagnose_forecast(y[80:], good, y_train=y[:80]).names
    []
    """
    true = _as_2d(y_true, "y_true")
    pred = _as_2d(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {np.shape(y_true)} "
            f"and {np.shape(y_pred)}."
        )
    check_number("m", m, low=1, integer=True)
    check_number("max_lag", max_lag, low=1, integer=True)
    check_number("naive_ratio", naive_ratio, low=0, closed="neither")
    check_number("flat_ratio", flat_ratio, low=0, high=1, closed="neither")
    check_number("bias_ratio", bias_ratio, low=0, high=1, closed="neither")
    check_number("horizon_growth", horizon_growth, low=1, closed="neither")
    train = None
    if y_train is not None:
        train = np.asarray(y_train, dtype=np.float64)
        if train.ndim != 1 or len(train) <= m or not np.all(np.isfinite(train)):
            raise ValueError(
                f"y_train must be a finite 1-D series longer than m={m}; got shape "
                f"{train.shape}."
            )

    errors = true - pred
    mae = float(np.mean(np.abs(errors)))
    first_true, first_pred = true[:, 0], pred[:, 0]
    # the naive forecast of y[t] (one step ahead) is the actual y[t - 1]
    previous = first_true[:-1]
    if train is not None:
        previous = np.r_[train[-1], previous]
        target, forecast = first_true, first_pred
    else:
        target, forecast = first_true[1:], first_pred[1:]
    naive_mae = float(np.mean(np.abs(target - previous))) if len(target) else np.nan
    model_mae_1 = float(np.mean(np.abs(target - forecast))) if len(target) else np.nan
    summary = [
        f"{true.shape[0]} forecasts"
        + (f" x {true.shape[1]} horizons" if true.shape[1] > 1 else " (1 step)"),
        f"MAE {fmt(mae)}",
        f"naive MAE {fmt(naive_mae)}",
    ]
    findings = []

    # ---- persistence: the forecast echoes an earlier actual value ----
    n = len(first_true)
    lags = range(0, min(max_lag, n // 4) + 1)
    corrs = {
        k: _corr(first_pred[k:], first_true[: n - k])
        if k
        else _corr(first_pred, first_true)
        for k in lags
    }
    finite = {k: c for k, c in corrs.items() if np.isfinite(c)}
    if len(finite) > 1 and np.isfinite(naive_mae) and naive_mae > 0:
        best_lag = max(finite, key=finite.get)
        ratio = model_mae_1 / naive_mae
        if best_lag >= 1 and ratio >= naive_ratio:
            findings.append(
                Finding(
                    "persistence",
                    "warning",
                    f"the forecasts follow the actual value {best_lag} step(s) "
                    f"earlier (correlation {fmt(finite[best_lag])} against "
                    f"{fmt(finite.get(0, np.nan))} with the value forecast) and "
                    f"their error is {fmt(ratio)}x the naive forecast's "
                    f"({fmt(model_mae_1)} vs {fmt(naive_mae)}): the model repeats "
                    "the last value instead of forecasting",
                    "predict the change, not the level: DiffFeatures(period=1) on "
                    "the inputs and ResidualRegressor(baseline=NaiveForecaster(...)) "
                    "or SeasonalNaiveForecaster(m=...) for the target; give the "
                    "network real history (Windower(window=...) of a season, "
                    "LagFeatures at the season) and scale X and y",
                    evidence={
                        "lag": int(best_lag),
                        "correlations": finite,
                        "mae_ratio_to_naive": ratio,
                    },
                )
            )

    # ---- flat or mean-reverting forecasts ----
    spread_true = float(np.std(first_true))
    spread_ratio = float(np.std(first_pred)) / spread_true if spread_true else np.nan
    summary.append(f"spread {fmt(spread_ratio)}x the actual's")
    if np.isfinite(spread_ratio) and spread_ratio < flat_ratio:
        findings.append(
            Finding(
                "flat_forecast",
                "warning",
                f"the forecasts vary {pct(spread_ratio)} as much as the actual "
                f"values (std {fmt(np.std(first_pred))} vs {fmt(spread_true)}): "
                "a nearly flat line",
                "the network did not learn the dynamics: scale X and y "
                "(StandardScaler, LSTMRegressor(scale_target=True)), use tanh "
                "activations, train longer or with a larger learning_rate, and "
                "learn the residual of a baseline (ResidualRegressor) so a trend "
                "or season need not come from the network",
                evidence={"spread_ratio": spread_ratio},
            )
        )

    # ---- systematic bias ----
    mean_error = float(np.mean(errors))
    std_error = float(np.std(errors, ddof=1)) if errors.size > 1 else 0.0
    standard_error = std_error / np.sqrt(errors.size) if std_error else 0.0
    summary.append(f"mean error (actual - forecast) {fmt(mean_error)}")
    if (
        mae > 0
        and abs(mean_error) / mae > bias_ratio
        and (standard_error == 0 or abs(mean_error) > 3 * standard_error)
    ):
        direction = "low" if mean_error > 0 else "high"
        findings.append(
            Finding(
                "forecast_bias",
                "warning",
                f"the forecasts are too {direction} on average by "
                f"{fmt(abs(mean_error))} ({pct(abs(mean_error) / mae)} of the MAE "
                f"of {fmt(mae)})",
                "a level or trend the model cannot reach: learn the residual of a "
                "baseline (ResidualRegressor with NaiveForecaster or "
                "SeasonalNaiveForecaster(growth=...)), difference the inputs "
                "(DiffFeatures), and keep scalers fitted on the training part only",
                evidence={"mean_error": mean_error, "ratio_to_mae": mean_error / mae},
            )
        )

    # ---- worse than the (seasonal) naive forecast ----
    if train is not None:
        scale = float(np.mean(np.abs(train[m:] - train[:-m])))
        if scale > 0:
            mase = mae / scale
            summary.insert(3, f"MASE {fmt(mase)}")
            if mase >= 1:
                what = "naive" if m == 1 else f"seasonal naive (m={m})"
                findings.append(
                    Finding(
                        "worse_than_naive",
                        "warning",
                        f"MASE {fmt(mase)} >= 1: the forecasts lose to the "
                        f"in-sample {what} forecast",
                        "compare with sklstm.forecasting's NaiveForecaster, "
                        "SeasonalNaiveForecaster and RidgeLagForecaster first; "
                        "then tune the recipe (sklstm.recipe.tune_lstm_forecaster), "
                        "which learns the residual of the better baseline",
                        evidence={"MASE": mase},
                    )
                )

    # ---- errors along the horizon ----
    if true.shape[1] > 1:
        per_horizon = np.mean(np.abs(errors), axis=0)
        summary.append("MAE by horizon " + ", ".join(fmt(v) for v in per_horizon))
        if per_horizon[0] > 0 and per_horizon[-1] / per_horizon[0] > horizon_growth:
            growth = float(per_horizon[-1] / per_horizon[0])
            findings.append(
                Finding(
                    "error_grows_with_horizon",
                    "info",
                    f"the MAE grows from {fmt(per_horizon[0])} at 1 step to "
                    f"{fmt(per_horizon[-1])} at {true.shape[1]} steps "
                    f"({fmt(growth)}x)",
                    "expected to a degree; if the far horizons lose to the "
                    "seasonal naive forecast, give the network the values one "
                    "season back (LagFeatures at m) and a window covering a "
                    "season, or correct SeasonalNaiveForecaster(m=...)",
                    evidence={"mae_per_horizon": per_horizon.tolist()},
                )
            )
    return Diagnosis(findings, context={"forecasts": ", ".join(summary)})
