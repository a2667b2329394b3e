"""Checks of a training history: divergence, early stopping, over- and
underfitting, convergence, validation."""

import numpy as np

from sklstm.diagnose._report import Finding
from sklstm.diagnose._run import _KIND_TEXT
from sklstm.diagnose._utils import fmt, pct


def _lr(run):
    return run.params.get("learning_rate")


def _check_divergence(run, divergence_factor):
    loss = np.asarray(run.history.get("loss", []), dtype=np.float64)
    val = np.asarray(run.history.get("val_loss", []), dtype=np.float64)
    fix = _divergence_fix(run)
    return _check_non_finite(loss, val, fix) or _check_jump(
        loss, divergence_factor, fix
    )


def _divergence_fix(run):
    """A smaller learning rate, scaled data, and tanh for a relu cell."""
    lr = _lr(run)
    fix = (
        (
            f"learning_rate={fmt(lr / 10)} (now {fmt(lr)})"
            if lr
            else "a 10× smaller learning rate"
        )
        + "; scale the inputs (StandardScaler())"
        + ("" if run.scales_target else " and the target (scale_target=True)")
    )
    if run.params.get("activation", "tanh") == "relu" or any(
        c.get("activation") == "relu" for _, c in run.cells
    ):
        fix += "; activation='tanh' (a relu cell's state can grow without bound)"
    return fix


def _check_non_finite(loss, val, fix):
    """``diverged``: a NaN or infinite training or validation loss."""
    for key, values in (("loss", loss), ("val_loss", val)):
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            epoch = int(bad[0]) + 1
            return [
                Finding(
                    "diverged",
                    "error",
                    f"the {key} became {values[bad[0]]} at epoch {epoch} (after "
                    f"{fmt(float(values[bad[0] - 1])) if bad[0] else 'no'} finite "
                    f"value{'s' if bad[0] != 1 else ''}): training diverged.",
                    fix,
                    epoch=epoch,
                    evidence={"epoch": epoch, "key": key},
                )
            ]
    return []


def _check_jump(loss, divergence_factor, fix):
    """``diverged`` or ``unstable_training``: the training loss jumps far above
    the best value before it, and ends there or comes back."""
    if loss.size < 2 or loss.min() <= 0:
        return []
    # the largest jump of the loss above the best value seen before it
    running_min = np.minimum.accumulate(loss)
    ratios = loss[1:] / running_min[:-1]
    high = int(np.argmax(ratios)) + 1
    factor = float(ratios[high - 1])
    if factor < divergence_factor:
        return []
    low = int(np.argmin(loss[:high]))
    evidence = {
        "min_loss": float(loss[low]),
        "min_epoch": low + 1,
        "max_loss": float(loss[high]),
        "max_epoch": high + 1,
        "factor": factor,
        "last_loss": float(loss[-1]),
    }
    message = (
        f"the training loss jumped from {fmt(float(loss[low]))} at epoch {low + 1} "
        f"to {fmt(float(loss[high]))} at epoch {high + 1} ({fmt(factor)}×)"
    )
    if loss[-1] >= divergence_factor * loss[low] and loss[-1] >= loss[0]:
        return [
            Finding(
                "diverged",
                "error",
                message + f" and ended at {fmt(float(loss[-1]))}: training diverged.",
                fix,
                epoch=high + 1,
                evidence=evidence,
            )
        ]
    return [
        Finding(
            "unstable_training",
            "warning",
            message + f" before it came back (last {fmt(float(loss[-1]))}): the steps "
            f"overshoot, so the result depends on where training happened to stop.",
            fix,
            epoch=high + 1,
            evidence=evidence,
        )
    ]


def _check_early_stop(run, min_best_epoch):
    n_epochs = len(run.history.get("loss", []))
    if not (run.early_stopping and run.max_epochs and n_epochs < run.max_epochs):
        return []
    if run.kept_epoch > min_best_epoch:
        return []
    patience = run.params.get("patience")
    lr = _lr(run)
    fix = (
        (f"patience={2 * patience}" if patience is not None else "more patience")
        + (f", learning_rate={fmt(lr / 3)}" if lr else "")
        + "; if the validation part (the last rows) differs from the training part "
        "(see 'trend'), difference or detrend the target first"
    )
    return [
        Finding(
            "early_stopping_too_early",
            "warning",
            f"early stopping ended training after {n_epochs} of "
            f"epochs={run.max_epochs} "
            f"and kept epoch {run.kept_epoch}: the validation loss never improved "
            "after "
            f"epoch {run.kept_epoch}.",
            fix,
            epoch=run.kept_epoch,
            evidence={
                "kept_epoch": run.kept_epoch,
                "n_epochs": n_epochs,
                "max_epochs": run.max_epochs,
                "patience": patience,
            },
        )
    ]


def _check_overfitting(run, overfit_rise):
    loss = np.asarray(run.history.get("loss", []), dtype=np.float64)
    val = np.asarray(run.history.get("val_loss", []), dtype=np.float64)
    if val.size < 3 or val.size != loss.size:
        return []
    best = int(np.argmin(val))
    if best == val.size - 1 or val[best] <= 0:
        return []
    rise = float(val[-1] / val[best] - 1)
    fall = float(1 - loss[-1] / loss[best]) if loss[best] > 0 else 0.0
    if rise < overfit_rise or fall <= 0:
        return []
    kept_val = val[run.kept_epoch - 1] if 1 <= run.kept_epoch <= val.size else val[-1]
    kept_excess = float(kept_val / val[best] - 1)
    gap = float(val[best] / loss[best]) if loss[best] > 0 else np.inf
    message = (
        f"the validation loss rose {pct(rise)} from its minimum {fmt(val[best])} at "
        f"epoch {best + 1} to {fmt(val[-1])} at epoch {val.size} while the training "
        f"loss fell {pct(fall)} ({fmt(loss[best])} → {fmt(loss[-1])})"
    )
    if gap > 1:
        message += (
            f"; at epoch {best + 1} the validation loss was {fmt(gap)}× the training "
            f"loss"
        )
    if kept_excess >= overfit_rise:
        severity = "warning"
        message += (
            f"; the model kept epoch {run.kept_epoch}, whose validation loss is "
            f"{pct(kept_excess)} above the best."
        )
    else:
        severity = "info"
        message += f"; early stopping kept epoch {run.kept_epoch}."
    return [
        Finding(
            "overfitting",
            severity,
            message,
            _overfitting_fix(run.params),
            epoch=best + 1,
            evidence={
                "best_epoch": best + 1,
                "val_min": float(val[best]),
                "val_last": float(val[-1]),
                "rise": rise,
                "train_fall": fall,
                "gap": gap,
                "kept_epoch": run.kept_epoch,
            },
        )
    ]


def _overfitting_fix(p):
    """Regularization settings, from the model's parameters ``p`` when known."""
    if not p:
        return (
            "regularize: Dropout(0.2), an L2 kernel penalty, fewer units, and "
            "EarlyStopping(restore_best_weights=True)"
        )
    parts = [
        f"dropout={max(0.2, 2 * p.get('dropout', 0) or 0):.1f}",
        f"l2={fmt(max(1e-4, 10 * (p.get('l2', 0) or 0)))}",
    ]
    units = p.get("units")
    if isinstance(units, int) and units > 4:
        parts.append(f"units={units // 2}")
    if not p.get("early_stopping", True):
        parts.append("early_stopping=True")
    return "regularize: " + ", ".join(parts)


def _check_convergence(run, convergence_tol, convergence_epochs):
    key = "val_loss" if run.history.get("val_loss") else "loss"
    m = np.asarray(run.history[key], dtype=np.float64)
    n = m.size
    if n < 2 or (run.max_epochs and n < run.max_epochs):
        return []  # stopped early: it converged (or stopped for another reason)
    k = min(convergence_epochs, n - 1)
    start, end = m[-k - 1], float(np.min(m[-2:]))
    # still at its best at the end, after a real gain over the last k epochs
    if start <= 0 or end > m.min() * (1 + convergence_tol):
        return []
    gain = float((start - end) / start)
    if gain < convergence_tol:
        return []
    lr = _lr(run)
    if run.max_epochs:
        fix = f"epochs={2 * run.max_epochs}" + (
            " (early stopping keeps the best epoch)"
            if run.early_stopping
            else ", with early_stopping=True to keep the best epoch"
        )
        if lr:
            fix += f", or learning_rate={fmt(3 * lr)}"
    else:
        fix = "train for more epochs, with early stopping to keep the best epoch"
    return [
        Finding(
            "not_converged",
            "warning",
            f"the {key} was still falling at the last epoch: {pct(gain)} lower over "
            "the "
            f"last {k} epochs ({fmt(start)} → {fmt(end)}), and training "
            f"ran all {n} epochs.",
            fix,
            epoch=n,
            evidence={"monitored": key, "gain": gain, "last_epochs": k, "n_epochs": n},
        )
    ]


def _check_against_baselines(run, baselines, kinds, underfit_ratio):
    findings = _check_underfitting(run, baselines, kinds, underfit_ratio)
    if not findings:
        findings = _check_worse_than_baseline(run, baselines, kinds, underfit_ratio)
    return findings


def _no_better_than_baseline(run, key, part, baselines, underfit_ratio):
    """(best epoch index, best loss, baseline) when the best ``key`` loss is at
    least ``underfit_ratio`` times the trivial forecast's on ``part``, else None."""
    losses = np.asarray(run.history.get(key, []), dtype=np.float64)
    if part not in baselines or not losses.size:
        return None
    best = int(np.argmin(losses))
    base = baselines[part]
    if not losses[best] >= underfit_ratio * base:
        return None
    return best, losses[best], base


def _baseline_evidence(name, loss, base, kind):
    """The evidence of a loss no better than the trivial forecast's."""
    return {
        name: float(loss),
        "baseline": base,
        "baseline_kind": kind,
        "ratio": float(loss / base),
    }


def _check_underfitting(run, baselines, kinds, underfit_ratio):
    """``underfitting``: the best training loss is no better than the trivial
    forecast's on the training part."""
    found = _no_better_than_baseline(run, "loss", "train", baselines, underfit_ratio)
    if found is None:
        return []
    best, loss, base = found
    p = run.params
    extra = []
    if p.get("dropout") or p.get("l2") or p.get("l1"):
        extra.append(
            "the training loss includes dropout and penalties "
            f"(dropout={p.get('dropout')}, l1={p.get('l1')}, l2={p.get('l2')})"
        )
    return [
        Finding(
            "underfitting",
            "warning",
            f"the best training loss {fmt(loss)} (epoch {best + 1}) is "
            "no "
            f"better than the {_KIND_TEXT[kinds['train']]}, which scores "
            f"{fmt(base)} on the training part"
            + (f"; {extra[0]}" if extra else "")
            + ".",
            _underfitting_fix(p, penalized=bool(extra)),
            epoch=best + 1,
            evidence=_baseline_evidence("best_loss", loss, base, kinds["train"]),
        )
    ]


def _underfitting_fix(p, penalized):
    """More capacity and signal; lower penalties when the loss includes them."""
    units = p.get("units")
    return (
        "more capacity and signal: "
        + (f"units={2 * units}, " if isinstance(units, int) else "more units, ")
        + "n_layers=2, a window that spans the seasonal period, scaled inputs"
        + (
            f", learning_rate={fmt(3 * p['learning_rate'])}"
            if p.get("learning_rate")
            else ""
        )
        + ("; lower dropout / l2" if penalized else "")
    )


def _check_worse_than_baseline(run, baselines, kinds, underfit_ratio):
    """``worse_than_baseline``: the best validation loss is no better than the
    trivial forecast's on the validation part."""
    found = _no_better_than_baseline(
        run, "val_loss", "validation", baselines, underfit_ratio
    )
    if found is None:
        return []
    best, val, base = found
    return [
        Finding(
            "worse_than_baseline",
            "warning",
            f"the best validation loss {fmt(val)} (epoch {best + 1}) is "
            "no "
            f"better than the {_KIND_TEXT[kinds['validation']]}, which scores "
            f"{fmt(base)} on the validation part: the network has learned "
            "nothing "
            f"that forecast does not know.",
            _baseline_fix(run),
            epoch=best + 1,
            evidence=_baseline_evidence(
                "best_val_loss", val, base, kinds["validation"]
            ),
        )
    ]


def _baseline_fix(run):
    if run.loss == "log_loss":
        return (
            "compare every change with the majority class; give the window "
            "more history, scale the inputs, try class_weight='balanced' if "
            "one class dominates, and regularize (dropout=0.2) if the "
            "training loss is far lower"
        )
    return (
        "compare every change with that forecast; difference a trending "
        "target, "
        "give the window a full seasonal period, scale the inputs, and "
        "regularize (dropout=0.2) if the training loss is far lower"
    )


def _check_validation(run, baselines):
    if run.history.get("val_loss"):
        return []
    loss = np.asarray(run.history.get("loss", []), dtype=np.float64)
    n = loss.size
    message = (
        f"the run has no validation loss: overfitting cannot be seen, and the "
        f"weights of the last epoch ({n}) are kept whatever they score on new data"
    )
    evidence = {"n_epochs": n}
    ratio = None
    if "train" in baselines and n:
        ratio = float(np.min(loss) / baselines["train"])
    if ratio is not None and ratio < 1:
        evidence["train_vs_baseline"] = ratio
        message += (
            f"; the training loss reached {fmt(float(np.min(loss)))}, "
            f"{pct(ratio)} of the trivial forecast's {fmt(baselines['train'])}"
        )
    if run.params:
        fix = (
            f"{run.path[-1]}(early_stopping=True, validation_fraction=0.1) (the "
            "defaults): the last 10% of the windows are held out and the best "
            "epoch is kept"
        )
    else:
        fix = (
            "fit(..., validation_split=0.1, "
            "callbacks=[EarlyStopping(restore_best_weights=True)])"
        )
    return [Finding("no_validation", "info", message + ".", fix, evidence=evidence)]
