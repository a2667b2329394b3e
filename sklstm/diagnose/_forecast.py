"""Diagnose the forecasts themselves: echo, flat line, bias, worse than naive,
and prediction intervals that do not hold their nominal share of the values.

The most common LSTM complaint -- "my LSTM just predicts the previous value,
shifted by one step", or a flat line near the mean -- is invisible in the data
and in the training history; it shows in the forecasts against the actuals.
"""

from dataclasses import dataclass

import numpy as np

from sklstm.diagnose._intervals import (
    check_coverage_findings,
    check_intervals,
    coverage_band_of,
    interval_summary,
)
from sklstm.diagnose._report import Diagnosis, Finding
from sklstm.diagnose._settings import check_settings
from sklstm.diagnose._utils import fmt, pct

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
    lower=None,
    upper=None,
    coverage=None,
    max_lag=3,
    naive_ratio=0.95,
    flat_ratio=0.25,
    bias_ratio=0.5,
    horizon_growth=2.0,
    coverage_band=0.99,
    coverage_gap=0.03,
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
    ``interval_coverage``
        With prediction intervals (``lower``, ``upper`` and their nominal
        ``coverage``): the share of actual values inside them is far from
        ``coverage``, i.e. outside the central ``coverage_band`` (99 %) band
        of a binomial count of hits with that rate, and at least
        ``coverage_gap`` (3 points) away from it. Too few values inside
        ("warning"): the model is over-confident, the overfitting of the
        point forecasts in another form. Too many ("info"): the intervals
        are wider than the errors need.

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
    lower, upper : array-like of the same shape as ``y_true``, default=None
        Bounds of prediction intervals for the values of ``y_true``, e.g.
        ``bounds[..., 0]`` and ``bounds[..., 1]`` of a ``predict_interval``
        (``ConformalForecaster``, ``AirlineForecaster``, MAPIE) on the test
        rows, or a quantile model's lower and upper outputs. Pass both, with
        ``coverage``, to check the intervals; ``lower <= upper`` everywhere.
    coverage : float in (0, 1), default=None
        The intervals' nominal coverage (0.9 for 90 % intervals); required
        with ``lower`` and ``upper``, not allowed without them.
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
    coverage_band : float in (0, 1), default=0.99
        ``interval_coverage``: the probability of the central band of the
        binomial distribution of hits (``n`` trials at rate ``coverage``)
        that counts as close to nominal. ``n`` is the number of forecast
        origins (rows): the values of one origin share their errors, so
        with several horizons the band is that of the rows, not of every
        value.
    coverage_gap : float in [0, 1), default=0.03
        ``interval_coverage`` also needs ``abs(empirical - coverage)`` of at
        least this much, so that many values do not flag a gap of a point.

    Returns
    -------
    diagnosis : Diagnosis
        The findings (possibly none); ``context["forecasts"]`` summarizes the
        MAE, the naive forecast's MAE, the MASE (with ``y_train``), the spread
        and the mean error; with intervals, ``context["intervals"]`` their
        empirical coverage, the binomial band and the mean width. The numbers
        behind each finding are in its ``evidence``.

    See Also
    --------
    diagnose : Data and training diagnosis (takes ``y_test`` and ``y_pred``
        to add these findings).
    sklstm.forecasting.mean_absolute_scaled_error : The MASE used here.
    sklstm.forecasting.ConformalForecaster : Intervals calibrated on
        time-ordered folds of the training part.
    sklstm.forecasting.interval_scores : Coverage, width and MSIS.

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

    Prediction intervals, checked against their nominal coverage (200 values
    with errors of standard deviation 1):

    >>> point = 3 * np.sin(np.arange(200) / 5)     # the forecasts
    >>> truth = point + rng.normal(size=200)       # the actual values
    >>> narrow = diagnose_forecast(truth, point, lower=point - 0.84,
    ...                            upper=point + 0.84, coverage=0.9)
    >>> narrow.names                               # +-0.84 sd holds about 60 %
    ['interval_coverage']
    >>> print(narrow.context["intervals"])
    90% nominal, 65.0% of 200 values inside (99% band 84.0% .. 95.0%), mean width 1.68
    >>> calibrated = diagnose_forecast(truth, point, lower=point - 1.645,
    ...                                upper=point + 1.645, coverage=0.9)
    >>> calibrated.names                           # +-1.645 sd: 90 %
    []
    """
    true, pred = _check_pair(y_true, y_pred)
    check_settings(
        m=m,
        max_lag=max_lag,
        naive_ratio=naive_ratio,
        flat_ratio=flat_ratio,
        bias_ratio=bias_ratio,
        horizon_growth=horizon_growth,
        coverage_band=coverage_band,
        coverage_gap=coverage_gap,
    )
    intervals = check_intervals(true, lower, upper, coverage, _as_2d)
    scores = _score(true, pred, _check_train(y_train, m), m)
    findings = [
        *_check_persistence(scores, max_lag, naive_ratio),
        *_check_flat(scores, flat_ratio),
        *_check_bias(scores, bias_ratio),
        *_check_against_naive(scores, m),
        *_check_horizons(scores, horizon_growth),
    ]
    context = {"forecasts": _summary(scores)}
    if intervals is not None:
        band = coverage_band_of(intervals, coverage_band)
        findings += check_coverage_findings(
            intervals, band, coverage_band, coverage_gap
        )
        context["intervals"] = interval_summary(intervals, band, coverage_band)
    return Diagnosis(findings, context=context)


# --------------------------------------------------------------------------- #
# Inputs and the numbers the checks read
# --------------------------------------------------------------------------- #
def _check_pair(y_true, y_pred):
    """y_true and y_pred as 2-D float arrays of the same shape."""
    true = _as_2d(y_true, "y_true")
    pred = _as_2d(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {np.shape(y_true)} "
            f"and {np.shape(y_pred)}."
        )
    return true, pred


def _check_train(y_train, m):
    """y_train as a finite 1-D float array longer than m, or None."""
    if y_train is None:
        return None
    train = np.asarray(y_train, dtype=np.float64)
    if train.ndim != 1 or len(train) <= m or not np.all(np.isfinite(train)):
        raise ValueError(
            f"y_train must be a finite 1-D series longer than m={m}; got shape "
            f"{train.shape}."
        )
    return train


@dataclass
class _Scores:
    """The numbers behind the forecast findings and the summary."""

    shape: tuple  # (n_origins, n_horizons)
    first_true: np.ndarray  # the one-step actual values
    first_pred: np.ndarray  # the one-step forecasts
    errors: np.ndarray  # actual - forecast, every horizon
    mae: float
    naive_mae: float  # the one-step naive forecast's
    model_mae_1: float  # the one-step forecasts' on the naive forecast's points
    mase: float | None  # None without y_train or with a zero scale


def _score(true, pred, train, m):
    errors = true - pred
    mae = float(np.mean(np.abs(errors)))
    first_true, first_pred = true[:, 0], pred[:, 0]
    naive_mae, model_mae_1 = _one_step_maes(first_true, first_pred, train)
    return _Scores(
        shape=true.shape,
        first_true=first_true,
        first_pred=first_pred,
        errors=errors,
        mae=mae,
        naive_mae=naive_mae,
        model_mae_1=model_mae_1,
        mase=_mase(mae, train, m),
    )


def _one_step_maes(first_true, first_pred, train):
    """The naive forecast's MAE and the forecasts' on the same points."""
    # the naive forecast of y[t] (one step ahead) is the actual y[t - 1]
    previous = first_true[:-1]
    if train is not None:
        previous = np.r_[train[-1], previous]
        target, forecast = first_true, first_pred
    else:
        target, forecast = first_true[1:], first_pred[1:]
    naive_mae = float(np.mean(np.abs(target - previous))) if len(target) else np.nan
    model_mae_1 = float(np.mean(np.abs(target - forecast))) if len(target) else np.nan
    return naive_mae, model_mae_1


def _mase(mae, train, m):
    """MAE over the in-sample (seasonal) naive MAE of ``train``, or None."""
    if train is None:
        return None
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    return mae / scale if scale > 0 else None


def _spread(scores):
    """std(actual) and std(forecast) / std(actual) of the one-step values."""
    spread_true = float(np.std(scores.first_true))
    spread_pred = float(np.std(scores.first_pred))
    return spread_true, spread_pred / spread_true if spread_true else np.nan


def _bias(scores):
    """The mean error and its standard error (0 when it has none)."""
    errors = scores.errors
    mean_error = float(np.mean(errors))
    std_error = float(np.std(errors, ddof=1)) if errors.size > 1 else 0.0
    standard_error = std_error / np.sqrt(errors.size) if std_error else 0.0
    return mean_error, standard_error


def _mae_per_horizon(scores):
    return np.mean(np.abs(scores.errors), axis=0)


def _summary(scores):
    """The one-line summary of ``context["forecasts"]``."""
    n_origins, n_horizons = scores.shape
    summary = [
        f"{n_origins} forecasts"
        + (f" x {n_horizons} horizons" if n_horizons > 1 else " (1 step)"),
        f"MAE {fmt(scores.mae)}",
        f"naive MAE {fmt(scores.naive_mae)}",
    ]
    if scores.mase is not None:
        summary.append(f"MASE {fmt(scores.mase)}")
    summary.append(f"spread {fmt(_spread(scores)[1])}x the actual's")
    summary.append(f"mean error (actual - forecast) {fmt(_bias(scores)[0])}")
    if n_horizons > 1:
        per_horizon = _mae_per_horizon(scores)
        summary.append("MAE by horizon " + ", ".join(fmt(v) for v in per_horizon))
    return ", ".join(summary)


# --------------------------------------------------------------------------- #
# The findings
# --------------------------------------------------------------------------- #
def _lag_correlations(first_true, first_pred, max_lag):
    """Correlation of the forecasts with the actual value k steps earlier,
    for k = 0 .. max_lag (at most a quarter of the points), finite ones only."""
    n = len(first_true)
    lags = range(0, min(max_lag, n // 4) + 1)
    corrs = {
        k: _corr(first_pred[k:], first_true[: n - k])
        if k
        else _corr(first_pred, first_true)
        for k in lags
    }
    return {k: c for k, c in corrs.items() if np.isfinite(c)}


def _check_persistence(scores, max_lag, naive_ratio):
    """The forecast echoes an earlier actual value."""
    finite = _lag_correlations(scores.first_true, scores.first_pred, max_lag)
    naive_mae, model_mae_1 = scores.naive_mae, scores.model_mae_1
    if not (len(finite) > 1 and np.isfinite(naive_mae) and naive_mae > 0):
        return []
    best_lag = max(finite, key=finite.get)
    ratio = model_mae_1 / naive_mae
    if not (best_lag >= 1 and ratio >= naive_ratio):
        return []
    return [
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
    ]


def _check_flat(scores, flat_ratio):
    """The forecasts vary far less than the actual values."""
    spread_true, spread_ratio = _spread(scores)
    if not (np.isfinite(spread_ratio) and spread_ratio < flat_ratio):
        return []
    return [
        Finding(
            "flat_forecast",
            "warning",
            f"the forecasts vary {pct(spread_ratio)} as much as the actual "
            f"values (std {fmt(np.std(scores.first_pred))} vs {fmt(spread_true)}): "
            "a nearly flat line",
            "the network did not learn the dynamics: scale X and y "
            "(StandardScaler, LSTMRegressor(scale_target=True)), use tanh "
            "activations, train longer or with a larger learning_rate, and "
            "learn the residual of a baseline (ResidualRegressor) so a trend "
            "or season need not come from the network",
            evidence={"spread_ratio": spread_ratio},
        )
    ]


def _check_bias(scores, bias_ratio):
    """The forecasts are systematically too high or too low."""
    mae = scores.mae
    mean_error, standard_error = _bias(scores)
    if not (
        mae > 0
        and abs(mean_error) / mae > bias_ratio
        and (standard_error == 0 or abs(mean_error) > 3 * standard_error)
    ):
        return []
    direction = "low" if mean_error > 0 else "high"
    return [
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
    ]


def _check_against_naive(scores, m):
    """MASE >= 1: worse than the in-sample (seasonal) naive forecast."""
    mase = scores.mase
    if mase is None or not mase >= 1:
        return []
    what = "naive" if m == 1 else f"seasonal naive (m={m})"
    return [
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
    ]


def _check_horizons(scores, horizon_growth):
    """The error of the last horizon is many times that of the first."""
    n_horizons = scores.shape[1]
    if not n_horizons > 1:
        return []
    per_horizon = _mae_per_horizon(scores)
    if not (per_horizon[0] > 0 and per_horizon[-1] / per_horizon[0] > horizon_growth):
        return []
    growth = float(per_horizon[-1] / per_horizon[0])
    return [
        Finding(
            "error_grows_with_horizon",
            "info",
            f"the MAE grows from {fmt(per_horizon[0])} at 1 step to "
            f"{fmt(per_horizon[-1])} at {n_horizons} steps "
            f"({fmt(growth)}x)",
            "expected to a degree; if the far horizons lose to the "
            "seasonal naive forecast, give the network the values one "
            "season back (LagFeatures at m) and a window covering a "
            "season, or correct SeasonalNaiveForecaster(m=...)",
            evidence={"mae_per_horizon": per_horizon.tolist()},
        )
    ]
