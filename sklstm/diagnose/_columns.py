"""Per-column checks (missing values, constant columns, outliers) and scales."""

import warnings

import numpy as np

from sklstm.diagnose._input import _where
from sklstm.diagnose._report import Finding
from sklstm.diagnose._utils import fmt, pct

# Beyond this fraction of a non-negative column, "outliers" are a skewed shape.
_SKEWED_FRACTION = 0.05


def _runs(mask):
    """Start and length of every run of True in a boolean array."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    starts, stops = edges[::2], edges[1::2]
    return starts, stops - starts


def _check_missing(name, values, index, is_target, period=None):
    missing = ~np.isfinite(values)
    n_missing = int(missing.sum())
    if not n_missing:
        return []
    n_inf = int(np.isinf(values).sum())
    starts, lengths = _runs(missing)
    longest = int(np.argmax(lengths))
    leading = int(lengths[0]) if starts[0] == 0 else 0
    evidence = {
        "n_missing": n_missing,
        "fraction": n_missing / len(values),
        "n_infinite": n_inf,
        "n_gaps": len(starts),
        "longest_gap": int(lengths[longest]),
        "longest_gap_start": _where(index, int(starts[longest])),
        "leading": leading,
    }
    what = "target" if is_target else "column"
    if n_missing == 1:
        message = (
            f"{what} '{name}' has 1 {'infinite' if n_inf else 'missing'} value "
            f"({pct(evidence['fraction'])}), at {evidence['longest_gap_start']}"
        )
    else:
        longest = evidence["longest_gap"]
        message = (
            f"{what} '{name}' has {n_missing} missing values "
            f"({pct(evidence['fraction'])})"
            + (f", {n_inf} of them infinite" if n_inf else "")
            + f" in {len(starts)} gap{'s' if len(starts) > 1 else ''}; the longest "
            f"is {longest} row{'s' if longest > 1 else ''} from "
            f"{evidence['longest_gap_start']}"
        )
    message += (
        f"; {leading} {'are' if leading > 1 else 'is'} at the start" if leading else ""
    ) + ". An LSTM cannot train on them (the fit fails or the loss turns NaN)."
    fix = _missing_fix(is_target, period, evidence["longest_gap"], leading)
    return [
        Finding("missing_values", "error", message, fix, column=name, evidence=evidence)
    ]


def _missing_fix(is_target, period, longest_gap, leading):
    """Fill from the past (one period back for a seasonal series with a long
    gap); drop the leading gap."""
    if period is not None and longest_gap > 1:
        # a seasonal series: fill a long gap from one period back, not flat
        imputer = f"TimeSeriesImputer(strategy='seasonal', period={period})"
    else:
        imputer = "TimeSeriesImputer(strategy='ffill')"
    if is_target:
        fix = (
            f"fill the series with {imputer} before framing it (regressors reject "
            f"a NaN target), or drop the rows whose target is missing"
        )
    else:
        fix = (
            f"add {imputer} as the first Pipeline step (it fills from the past "
            f"only; 'bfill' and 'linear' look ahead)"
        )
    if leading:
        fix += (
            f"; the first {leading} rows have no earlier value to carry forward: "
            f"drop them (X.iloc[{leading}:], y.iloc[{leading}:]) rather than fill "
            f"them from later rows"
        )
    return fix


def _check_constant(name, values, is_target):
    finite = values[np.isfinite(values)]
    if finite.size == 0 or np.ptp(finite) > 0:
        return []
    value = float(finite[0])
    if is_target:
        return [
            Finding(
                "constant_column",
                "error",
                f"the target '{name}' is constant ({fmt(value)}): there is nothing to "
                f"forecast.",
                "check that --target / y names the column to forecast",
                column=name,
                evidence={"value": value},
            )
        ]
    return [
        Finding(
            "constant_column",
            "warning",
            f"column '{name}' is constant ({fmt(value)}): it carries no information "
            "and "
            f"only adds weights to fit.",
            f"drop column '{name}' (e.g. ColumnTransformer([('drop', 'drop', "
            f"['{name}'])], remainder='passthrough') or X.drop(columns='{name}'))",
            column=name,
            evidence={"value": value},
        )
    ]


def _check_outliers(name, values, outlier_iqr, is_target):
    finite = values[np.isfinite(values)]
    if finite.size < 4:
        return []
    q1, median, q3 = np.percentile(finite, [25, 50, 75])
    iqr = q3 - q1
    if iqr <= 0:  # mostly one value: the IQR rule is undefined
        return []
    lower, upper = q1 - outlier_iqr * iqr, q3 + outlier_iqr * iqr
    beyond = (finite < lower) | (finite > upper)
    n_out = int(beyond.sum())
    if not n_out:
        return []
    mad = 1.4826 * np.median(np.abs(finite - median))
    robust_z = float(np.max(np.abs(finite[beyond] - median)) / mad) if mad > 0 else None
    evidence = {
        "n_outliers": n_out,
        "fraction": n_out / finite.size,
        "lower": float(lower),
        "upper": float(upper),
        "n_below": int((finite < lower).sum()),
        "n_above": int((finite > upper).sum()),
        "max_robust_z": robust_z,
    }
    what = "target" if is_target else "column"
    message = (
        f"{n_out} row{'s' if n_out > 1 else ''} ({pct(evidence['fraction'])}) of "
        f"{what} '{name}' {'are' if n_out > 1 else 'is'} beyond {fmt(outlier_iqr)} "
        f"IQR of the quartiles (below {fmt(lower)}: {evidence['n_below']}, above "
        f"{fmt(upper)}: {evidence['n_above']})"
    )
    if robust_z is not None:
        message += (
            f"; the most extreme lies {fmt(robust_z)} robust z-scores from the "
            f"median {fmt(median)}."
        )
    else:
        message += f"; over half the values equal the median {fmt(median)}."
    skewed = evidence["fraction"] >= _SKEWED_FRACTION and finite.min() >= 0
    fix = _outlier_fix(name, is_target, skewed, outlier_iqr, evidence)
    return [
        Finding("outliers", "warning", message, fix, column=name, evidence=evidence)
    ]


def _outlier_fix(name, is_target, skewed, outlier_iqr, evidence):
    """Clip the target's residual or y; log a skewed column; else clip it."""
    if is_target:
        return (
            "with sklstm's recipe, make_lstm_forecaster(clip_residual=3.0) clips "
            "what the LSTM learns from them; for a bare LSTMRegressor, "
            f"loss='huber' so that they pull less, or clip y to "
            f"[{fmt(evidence['lower'])}, {fmt(evidence['upper'])}] if they are errors"
        )
    if skewed:
        return (
            f"so many suggest a skewed column rather than errors: "
            f"FunctionTransformer(np.log1p) on '{name}' before the scaler keeps "
            f"their information; or OutlierClipper(method='iqr', "
            f"factor={float(outlier_iqr)}) to cut them"
        )
    return (
        f"add OutlierClipper(method='iqr', factor={float(outlier_iqr)}) before "
        f"the scaler; {pct(evidence['fraction'])} of rows in column '{name}' are "
        f"beyond {fmt(outlier_iqr)} IQR"
    )


# --------------------------------------------------------------------------- #
# Scale checks
# --------------------------------------------------------------------------- #
def _check_feature_scales(features, scale_ratio, scale_limit):
    if features.shape[1] == 0:
        return []
    values = features.to_numpy(dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        stds = np.nanstd(values, axis=0)
        peaks = np.nanmax(np.abs(np.where(np.isfinite(values), values, np.nan)), axis=0)
    names = list(features.columns)
    return _check_scale_mismatch(stds, names, scale_ratio) + _check_unscaled(
        peaks, names, scale_limit
    )


def _check_scale_mismatch(stds, names, scale_ratio):
    """``feature_scale_mismatch``: the largest standard deviation of the input
    columns is many times the smallest."""
    spread = [
        (s, n) for s, n in zip(stds, names, strict=True) if np.isfinite(s) and s > 0
    ]
    if len(spread) < 2:
        return []
    (small, small_name), (big, big_name) = min(spread), max(spread)
    ratio = big / small
    if not ratio >= scale_ratio:
        return []
    return [
        Finding(
            "feature_scale_mismatch",
            "warning",
            f"column '{big_name}' has standard deviation {fmt(big)}, "
            f"{fmt(ratio)}× that of column '{small_name}' ({fmt(small)}); "
            f"unscaled, the large feature dominates the gradients.",
            "add StandardScaler() (or MinMaxScaler()) to the Pipeline before "
            "LSTMRegressor, so that it is fitted on the training rows only",
            column=big_name,
            evidence={
                "ratio": float(ratio),
                "largest": big_name,
                "largest_std": float(big),
                "smallest": small_name,
                "smallest_std": float(small),
            },
        )
    ]


def _check_unscaled(peaks, names, scale_limit):
    """``unscaled_features``: input columns reach far outside [-1, 1]."""
    large = [
        (p, n)
        for p, n in zip(peaks, names, strict=True)
        if np.isfinite(p) and p > scale_limit
    ]
    if not large:
        return []
    large.sort(reverse=True)
    listed = ", ".join(f"'{n}' up to {fmt(p)}" for p, n in large[:3])
    more = f" and {len(large) - 3} more" if len(large) > 3 else ""
    return [
        Finding(
            "unscaled_features",
            "warning",
            f"{len(large)} input column{'s' if len(large) > 1 else ''} reach "
            f"|x| > {fmt(scale_limit)} ({listed}{more}); the LSTM's tanh and "
            "sigmoid "
            f"gates saturate on inputs far outside [-1, 1].",
            "add StandardScaler() to the Pipeline before LSTMRegressor",
            column=large[0][1],
            evidence={
                "n_columns": len(large),
                "max_abs": float(large[0][0]),
                "columns": [n for _, n in large],
            },
        )
    ]


def _check_target_scale(target, scale_limit):
    values = target.to_numpy(dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return []
    peak = float(np.max(np.abs(finite)))
    if peak <= scale_limit:
        return []
    lo, hi, std = float(finite.min()), float(finite.max()), float(finite.std())
    return [
        Finding(
            "unscaled_target",
            "warning",
            f"the target '{target.name}' ranges from {fmt(lo)} to {fmt(hi)} (std "
            f"{fmt(std)}); a network with a linear output trained on it raw needs huge "
            f"weights and learns slowly.",
            "keep LSTMRegressor(scale_target=True) (the default), or wrap the model in "
            "TransformedTargetRegressor(transformer=StandardScaler()); if its past "
            "values are inputs, scale them too (StandardScaler() in the Pipeline)",
            column=str(target.name),
            evidence={"min": lo, "max": hi, "std": std, "max_abs": peak},
        )
    ]
