"""Checks of the set-up around a fitted LSTM: cell settings (cuDNN), look-ahead
imputation, input and target scaling."""

import numpy as np

from sklstm.diagnose._columns import _check_feature_scales
from sklstm.diagnose._input import _prepare
from sklstm.diagnose._report import Finding
from sklstm.diagnose._run import _is_scaler
from sklstm.diagnose._utils import fmt

_LOOKAHEAD_STRATEGIES = {"bfill", "linear"}
# An input column counts as already scaled if its statistics match to this.
_SCALED_TOL = 1e-4


def _act_name(value):
    return (
        value
        if isinstance(value, str) or value is None
        else getattr(value, "__name__", type(value).__name__)
    )


def _check_cudnn(run):
    settings, fix = _cell_settings(run)
    findings = []
    for where, cfg in settings:
        findings += _check_cell(where, cfg, fix)
    return findings


def _cell_settings(run):
    """(where, cell settings) of the model's LSTM cells, and the fix that
    restores cuDNN."""
    if not run.params:
        settings = [(f"layer '{name}'", cfg) for name, cfg in run.cells]
        fix = (
            "LSTM(..., activation='tanh', recurrent_activation='sigmoid', "
            "recurrent_dropout=0.0, unroll=False, use_bias=True), or "
            "sklstm.LSTMRegressor with its defaults"
        )
        return settings, fix
    p = run.params
    name = run.path[-1]
    settings = [
        (
            f"the {name}",
            {
                "activation": _act_name(p.get("activation", "tanh")),
                "recurrent_activation": _act_name(
                    p.get("recurrent_activation", "sigmoid")
                ),
                "recurrent_dropout": p.get("recurrent_dropout", 0.0) or 0.0,
                # "auto" unrolls on a CPU only, never where cuDNN could run
                "unroll": p.get("unroll") is True,
            },
        )
    ]
    fix = (
        f"{name}(activation='tanh', recurrent_activation='sigmoid', "
        "recurrent_dropout=0.0, unroll='auto'); regularize with dropout=... "
        "between layers instead"
    )
    return settings, fix


def _check_cell(where, cfg, fix):
    """``cudnn_disabled``: a cell setting that rules out the cuDNN kernel."""
    bad = []
    act = _act_name(cfg.get("activation", "tanh"))
    rec = _act_name(cfg.get("recurrent_activation", "sigmoid"))
    if act != "tanh":
        bad.append(f"activation='{act}'")
    if rec != "sigmoid":
        bad.append(f"recurrent_activation='{rec}'")
    if (cfg.get("recurrent_dropout") or 0) > 0:
        bad.append(f"recurrent_dropout={cfg['recurrent_dropout']}")
    if cfg.get("unroll"):
        bad.append("unroll=True")
    if cfg.get("use_bias") is False:
        bad.append("use_bias=False")
    if not bad:
        return []
    severity = "warning" if act != "tanh" or rec != "sigmoid" else "info"
    message = (
        f"{where} uses {', '.join(bad)}, which disables the fused cuDNN LSTM "
        f"kernel: on a GPU it trains several times slower (cuDNN needs "
        f"activation='tanh', recurrent_activation='sigmoid', recurrent_dropout=0)"
    )
    if act == "relu":
        message += "; a relu cell's state is unbounded and can make the loss explode"
    return [
        Finding(
            "cudnn_disabled",
            severity,
            message + ".",
            fix,
            evidence={"settings": bad},
        )
    ]


def _describe_step(name, step):
    strategy = getattr(step, "strategy", None)
    args = f"strategy={strategy!r}" if strategy is not None else ""
    return f"'{name}' ({type(step).__name__}({args}))"


def _check_lookahead(run):
    findings = []
    for name, step in run.steps:
        strategy = getattr(step, "strategy", None)
        if (
            type(step).__name__ == "TimeSeriesImputer"
            and strategy in _LOOKAHEAD_STRATEGIES
        ):
            findings.append(
                Finding(
                    "lookahead_imputer",
                    "warning",
                    f"Pipeline step {_describe_step(name, step)} fills a gap from the "
                    f"values after it: at forecast time those are the future, so the "
                    f"validation score is optimistic (look-ahead leakage).",
                    "TimeSeriesImputer(strategy='ffill')",
                    evidence={"step": name, "strategy": strategy},
                )
            )
    return findings


def _rows_of_windows(windows):
    """The series behind 3-D stride-1 windows (first window, then each window's
    last step), and every value of every window."""
    rows = np.concatenate([windows[0, :-1, :], windows[:, -1, :]])
    return rows, windows.reshape(-1, windows.shape[2])


def _check_scaling(run, X, scale_ratio, scale_limit):
    if X is None or any(_is_scaler(step) for _, step in run.steps):
        return []
    data = _prepare(X, None)
    unscaled = _check_feature_scales(data.features, scale_ratio, scale_limit)
    where = " → ".join(run.path)
    if unscaled:
        first = unscaled[0]
        return [
            Finding(
                "no_scaler_in_pipeline",
                "warning",
                f"{where} has no scaler before the LSTM, but the inputs are unscaled: "
                f"{first.message}",
                "Pipeline([('scale', StandardScaler()), ..., ('lstm', "
                "LSTMRegressor())])",
                column=first.column,
                evidence=dict(first.evidence),
            )
        ]
    if data.features.shape[1] == 0:
        return []
    if data.n_timesteps is not None:
        rows, values = _rows_of_windows(np.asarray(X, dtype=np.float64))
    else:
        rows = values = data.features.to_numpy()
    with np.errstate(all="ignore"):
        lo, hi = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
        mean, std = np.nanmean(rows, axis=0), np.nanstd(rows, axis=0)
    binary = np.all(
        np.isin(values[np.isfinite(values).all(axis=1)], (0.0, 1.0)), axis=0
    )
    if binary.all():
        return []
    minmax = np.all((np.abs(lo) <= _SCALED_TOL) & (np.abs(hi - 1) <= _SCALED_TOL))
    standard = np.all(
        binary | ((np.abs(mean) <= _SCALED_TOL) & (np.abs(std - 1) <= _SCALED_TOL))
    )
    if not (minmax or standard):
        return []
    how = "min 0 and max 1" if minmax else "mean 0 and standard deviation 1"
    scaler = "MinMaxScaler()" if minmax else "StandardScaler()"
    return [
        Finding(
            "scaled_outside_pipeline",
            "warning",
            f"every input column has exactly {how} over all {len(rows)} rows given, "
            "and "
            f"{where} has no scaler: the data was scaled before the model, on all of "
            f"these rows. If they include validation or test rows, their statistics "
            f"leaked into training (a leakage risk).",
            f"fit the scaler inside the Pipeline, Pipeline([('scale', {scaler}), ..., "
            f"('lstm', LSTMRegressor())]), so that it sees only the training rows (in "
            f"cross-validation, only each fold's training part)",
            evidence={"statistics": how, "n_rows": len(rows)},
        )
    ]


def _check_target_scaling(run, y, scale_limit):
    if y is None or run.scales_target or run.loss == "log_loss":
        return []  # a classifier's target is a class, not a number to scale
    values = np.asarray(y, dtype=np.float64)
    values = values[np.isfinite(values)]
    if not values.size or np.max(np.abs(values)) <= scale_limit:
        return []
    peak = float(np.max(np.abs(values)))
    if run.params:
        fix = (
            "LSTMRegressor(scale_target=True) (the default), or "
            "TransformedTargetRegressor(transformer=StandardScaler())"
        )
    else:
        fix = (
            "standardize y for training and invert the predictions, or use "
            "sklstm.LSTMRegressor (scale_target=True by default)"
        )
    return [
        Finding(
            "unscaled_target",
            "warning",
            f"the network is trained on the raw target (up to |y| = {fmt(peak)}, std "
            f"{fmt(float(values.std()))}): nothing in {' → '.join(run.path)} scales "
            "it.",
            fix,
            evidence={"max_abs": peak, "std": float(values.std())},
        )
    ]
