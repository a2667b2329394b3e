"""Data diagnosis: what in X and y will make an LSTM forecast inaccurate."""

import numpy as np
import pandas as pd

from sklstm.diagnose._columns import (
    _check_constant,
    _check_feature_scales,
    _check_missing,
    _check_outliers,
    _check_target_scale,
)
from sklstm.diagnose._input import _n_validation, _prepare, _steps, _where
from sklstm.diagnose._report import Diagnosis, Finding
from sklstm.diagnose._series import _check_season, _check_trend, _check_variance
from sklstm.diagnose._settings import check_settings
from sklstm.diagnose._time import _check_order, _check_time_index


def _check_size(n_rows, n_timesteps, window, validation_fraction, min_samples):
    if n_timesteps is not None:
        n_windows, how = n_rows, f"{n_rows} windows of {_steps(n_timesteps)}"
    elif window is not None:
        n_windows = n_rows - window + 1
        how = f"{n_rows} rows give {max(n_windows, 0)} windows of {_steps(window)}"
    else:
        n_windows, how = n_rows, f"{n_rows} rows (one sample each: no window given)"
    if n_windows < 1:
        return [
            Finding(
                "too_few_samples",
                "error",
                f"window={window} is longer than the {n_rows} rows: not one window "
                "fits.",
                f"window <= {n_rows // 2} (at most half the rows), or more history",
                evidence={"n_rows": n_rows, "n_windows": n_windows},
            )
        ]
    n_val = _n_validation(n_windows, validation_fraction)
    n_train = n_windows - n_val
    evidence = {
        "n_rows": n_rows,
        "n_windows": n_windows,
        "n_train": n_train,
        "n_validation": n_val,
    }
    split = (
        f"{how}: {n_train} for training and {n_val} for validation "
        f"(validation_fraction={validation_fraction})"
    )
    if validation_fraction > 0 and (n_val < 1 or n_train < 1):
        return [
            Finding(
                "too_few_samples",
                "error",
                f"{split}; LSTMRegressor(early_stopping=True) refuses to fit without "
                "both.",
                "give more rows, a shorter window, or "
                "LSTMRegressor(early_stopping=False)",
                evidence=evidence,
            )
        ]
    if n_train < min_samples:
        return [
            Finding(
                "too_few_samples",
                "warning",
                f"{split}; fewer than min_samples={min_samples} training windows: "
                f"a network memorizes so few rather than learning the pattern.",
                "get more history or a shorter window; keep the model small "
                "(LSTMRegressor(units=8, n_layers=1)) and regularize (dropout=0.2, "
                "early_stopping=True); compare with a linear model on lags",
                evidence=evidence,
            )
        ]
    return []


# --------------------------------------------------------------------------- #
# Public entry point
# --------------------------------------------------------------------------- #
def diagnose_data(
    X,
    y=None,
    *,
    window=None,
    validation_fraction=0.1,
    scale_ratio=10.0,
    scale_limit=10.0,
    outlier_iqr=3.0,
    trend_r2=0.5,
    variance_ratio=2.0,
    seasonal_acf=0.3,
    min_samples=100,
):
    """Find what in a time series will make an LSTM forecast inaccurate.

    Runs before any model: scales, missing values, outliers, constant columns,
    trend, changing variance, the dominant seasonal period (and whether the
    window covers it), and whether there are enough windows for training and
    validation. Each finding carries its numbers and the sklstm settings that fix
    it.

    Parameters
    ----------
    X : DataFrame, Series, array-like of shape (n_rows,), (n_rows, n_features) \
            or (n_samples, timesteps, n_features), or None
        The inputs, one row per time step in time order. Non-numeric columns of a
        DataFrame are reported and left out; datetime columns are ignored. For
        3-D windows, the last step of each window, ``X[:, -1, :]``, is diagnosed
        (for windows with stride 1 that is the series less its first
        ``timesteps - 1`` rows). None: only ``y`` is diagnosed.
    y : Series or array-like of shape (n_rows,) or (n_rows, n_outputs), \
            default=None
        The target, aligned with the rows of X. For 2-D y (one column per
        forecast step) the first column is diagnosed.
    window : int or None, default=None
        The planned window length (timesteps per sample). Compared with the
        seasonal period and used to count windows. Taken from X for 3-D X.
    validation_fraction : float in [0, 1), default=0.1
        The last fraction of the windows held out for early stopping, as in
        ``LSTMRegressor(validation_fraction=...)``.
    scale_ratio : float > 1, default=10.0
        ``feature_scale_mismatch`` fires when the largest standard deviation of
        the input columns is at least this multiple of the smallest.
    scale_limit : float > 0, default=10.0
        ``unscaled_features`` / ``unscaled_target`` fire when a column's largest
        absolute value exceeds this.
    outlier_iqr : float > 0, default=3.0
        ``outliers`` fires for a column with values beyond this many
        inter-quartile ranges below the first or above the third quartile.
    trend_r2 : float in (0, 1], default=0.5
        ``trend`` fires when a straight line explains at least this fraction of
        the variance of the series (R²), or when at least half of the validation
        part lies outside the range of the rows before it.
    variance_ratio : float > 1, default=2.0
        ``changing_variance`` fires when the standard deviation of the
        row-to-row changes in the last third of the series is at least this
        multiple (or at most the inverse) of that in the first third.
    seasonal_acf : float in (0, 1], default=0.3
        A seasonal period is reported when the autocorrelation of the detrended
        series has a peak at least this high that rises at least this much above
        the lowest autocorrelation at a shorter lag.
    min_samples : int >= 1, default=100
        ``too_few_samples`` warns below this many training windows.

    Returns
    -------
    diagnosis : Diagnosis
        The findings; ``print(diagnosis)`` shows the report.

    See Also
    --------
    diagnose_training : Diagnose a fitted LSTMRegressor's training run.
    diagnose : Both at once.

    Notes
    -----
    The checks and their identifiers (``Finding.name``):

    - ``non_numeric_column`` (info): a DataFrame column that is neither numeric
      nor datetime.
    - ``missing_values`` (error): NaN or infinite values in a column; with the
      count, the number of gaps, the longest gap and the gap at the start.
    - ``missing_timestamps`` (warning): a DatetimeIndex or PeriodIndex whose
      frequency is set or can be inferred misses time steps (rows absent, not
      NaN); with how many, the longest gap and where. Fix: ``frame.asfreq(...)``
      then :class:`~sklstm.preprocessing.TimeSeriesImputer`.
    - ``unsorted_rows`` (warning): a time index not in time order.
    - ``constant_column`` (warning; error for the target).
    - ``outliers`` (warning): values beyond ``outlier_iqr`` IQR.
    - ``feature_scale_mismatch`` (warning): see ``scale_ratio``.
    - ``unscaled_features`` (warning), ``unscaled_target`` (warning): see
      ``scale_limit``.
    - ``trend`` (warning), ``changing_variance`` (warning): on y, or on every
      column of X when y is None.
    - ``seasonal_period`` (info) or ``window_shorter_than_season`` (warning).
    - ``too_few_samples``: error when no window, no training or no validation
      sample is left; warning below ``min_samples`` training windows.

    Missing values are interpolated for the series checks only.

    Examples
    --------
    The first example of the article sklstm answers: unscaled features.

    >>> import numpy as np
    >>> from sklstm.diagnose import diagnose_data
    >>> data = np.array([[10, 1000, 1], [20, 2000, 2], [30, 3000, 3], [40, 4000, 4]])
    >>> X = data[:, :-1].reshape((4, 1, 2))
    >>> y = data[:, -1]
    >>> d = diagnose_data(X, y)
    >>> d.names
    ['feature_scale_mismatch', 'unscaled_features', 'too_few_samples']
    >>> print(d["feature_scale_mismatch"].message)
    column 'x1' has standard deviation 1118, 100× that of column 'x0' (11.2); \
unscaled, the large feature dominates the gradients.
    """
    settings = check_settings(
        window=window,
        validation_fraction=validation_fraction,
        scale_ratio=scale_ratio,
        scale_limit=scale_limit,
        outlier_iqr=outlier_iqr,
        trend_r2=trend_r2,
        variance_ratio=variance_ratio,
        seasonal_acf=seasonal_acf,
        min_samples=min_samples,
    )
    return _diagnose_prepared(_prepare(X, y), **settings)


def _diagnose_prepared(
    data,
    *,
    window,
    validation_fraction,
    scale_ratio,
    scale_limit,
    outlier_iqr,
    trend_r2,
    variance_ratio,
    seasonal_acf,
    min_samples,
):
    """diagnose_data on prepared data with checked parameters."""
    features, target = data.features, data.target
    if data.n_timesteps is not None and window is None:
        window = data.n_timesteps
    # the series checks first: a seasonal period changes the imputation advice
    series_findings = _series_findings(
        data, window, validation_fraction, trend_r2, variance_ratio, seasonal_acf
    )
    periods = {
        f.column: f.evidence["period"]
        for f in series_findings
        if "period" in f.evidence
    }
    findings = _check_skipped(data.skipped)
    findings += _column_findings(data, periods, outlier_iqr)
    findings += _index_findings(features.index)
    findings += _check_feature_scales(features, scale_ratio, scale_limit)
    if target is not None:
        findings += _check_target_scale(target, scale_limit)
    findings += series_findings
    findings += _check_size(
        len(features), data.n_timesteps, window, validation_fraction, min_samples
    )
    context = {"data": _describe(data)}
    context["settings"] = f"window={window}, validation_fraction={validation_fraction}"
    return Diagnosis(
        findings,
        context=context,
        series=_shown_series(data),
        n_validation=_n_validation(len(features), validation_fraction),
    )


def _check_skipped(skipped):
    """The non-numeric columns of X that were left out."""
    return [
        Finding(
            "non_numeric_column",
            "info",
            f"column '{col}' is not numeric and was left out of the diagnosis; an "
            f"LSTM cannot read it as is.",
            f"encode it (OneHotEncoder() on ['{col}'] in a ColumnTransformer) or "
            f"drop it",
            column=col,
        )
        for col in skipped
    ]


def _series_findings(
    data, window, validation_fraction, trend_r2, variance_ratio, seasonal_acf
):
    """Trend, changing variance and season of y, or of every column of X
    when y is None."""
    features, target = data.features, data.target
    series = [target] if target is not None else [features[c] for c in features]
    findings = []
    for s in series:
        values = s.to_numpy(dtype=np.float64)
        findings += _check_trend(str(s.name), values, validation_fraction, trend_r2)
        findings += _check_variance(str(s.name), values, variance_ratio)
        findings += _check_season(str(s.name), values, window, seasonal_acf)
    return findings


def _columns(data):
    """(name, values, is_target) of every column; the target is left out when
    it is also an input."""
    features, target = data.features, data.target
    columns = [(c, features[c].to_numpy(), False) for c in features.columns]
    if target is not None:
        same = target.name in features.columns and np.array_equal(
            features[target.name].to_numpy(), target.to_numpy(), equal_nan=True
        )
        if not same:
            columns.append((str(target.name), target.to_numpy(), True))
    return columns


def _column_findings(data, periods, outlier_iqr):
    """Missing values, then constant columns, then outliers, column by column."""
    columns = _columns(data)
    index = data.features.index
    findings = []
    for name, values, is_target in columns:
        findings += _check_missing(name, values, index, is_target, periods.get(name))
    for name, values, is_target in columns:
        findings += _check_constant(name, values, is_target)
    for name, values, is_target in columns:
        findings += _check_outliers(name, values, outlier_iqr, is_target)
    return findings


def _index_findings(index):
    """Rows out of time order, and time steps missing from a time index."""
    findings = _check_order(index)
    if isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        findings += _check_time_index(index.sort_values())
    return findings


def _shown_series(data):
    """The series the report plots: y, or X's only column."""
    features, target = data.features, data.target
    if target is not None:
        return target
    return features.iloc[:, 0] if features.shape[1] == 1 else None


def _describe(data):
    features, target = data.features, data.target
    n_rows, n_cols = features.shape
    if data.n_timesteps is not None:
        text = (
            f"{n_rows} windows of {_steps(data.n_timesteps)} × {n_cols} "
            f"feature{'' if n_cols == 1 else 's'}"
        )
    else:
        text = f"{n_rows} rows"
        if n_cols:
            text += f" × {n_cols} input column{'' if n_cols == 1 else 's'}"
    if target is not None:
        text += f", target '{target.name}'"
    index = features.index
    if isinstance(index, pd.DatetimeIndex) and n_rows:
        text += f", {_where(index, 0)} .. {_where(index, n_rows - 1)}"
    return text
