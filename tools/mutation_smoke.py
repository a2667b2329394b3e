"""Mutation smoke check: do the tests fail when the code is subtly wrong?

Copies ``sklstm/``, ``tests/`` and ``pyproject.toml`` to a temporary
directory, then for each mutation below (an operator swap, an off-by-one, a
look-ahead, the bugs an audit once planted) edits one line of the copy, runs
the fast test files that cover it (``pytest -x``, with a timeout) and puts the
line back. A mutant is *killed* when the tests fail, *survived* when they
pass. Run it before a release; it does not run in CI.

Usage::

    python tools/mutation_smoke.py               # all mutants (~5-10 min, 2 cores)
    python tools/mutation_smoke.py --list        # the mutants, no run
    python tools/mutation_smoke.py --only impute residual   # ids containing these
    python tools/mutation_smoke.py --timeout 300

Exit status 0 when every mutant is killed, 1 otherwise (2: the unmutated
tests fail, or a mutation no longer applies to the source: update the list).

Each mutation names an exact source fragment that must occur once in its file,
so a refactoring that moves the code shows up as "stale" rather than as a
silently skipped mutant.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRE = [
    "tests/test_preprocessing_contract.py",
    "tests/test_preprocessing_features.py",
    "tests/test_preprocessing_impute.py",
    "tests/test_preprocessing_outliers.py",
    "tests/test_preprocessing_window.py",
]
IMPUTE = ["tests/test_preprocessing_impute.py", "tests/test_preprocessing_contract.py"]
FORECASTING = ["tests/test_forecasting.py"]
COMPOSE = ["tests/test_compose.py"]
# these import TensorFlow (a few seconds) and fit tiny networks
SCALING = ["tests/test_lstm.py", "-k", "target_scal or offset"]
RECIPE = ["tests/test_recipe.py", "-k", "look_ahead or structure or bad_arguments"]


@dataclass(frozen=True)
class Mutation:
    id: str
    path: str
    old: str
    new: str
    tests: tuple


def _m(id, path, old, new, tests):
    return Mutation(id, path, old, new, tuple(tests))


MUTATIONS = [
    # ---- the bugs an audit planted (issue 14) ------------------------------
    _m(
        "residual-log-adds",
        "sklstm/compose/_residual.py",
        "return base * np.exp(shrinkage * correction)",
        "return base + shrinkage * correction",
        COMPOSE,
    ),
    _m(
        "recipe-imputer-bfill",
        "sklstm/recipe/_build.py",
        '("impute", TimeSeriesImputer(strategy="ffill")),\n        ("clip"',
        '("impute", TimeSeriesImputer(strategy="bfill")),\n        ("clip"',
        RECIPE,
    ),
    _m(
        "scaler-forgets-mean",
        "sklstm/models/_lstm.py",
        "y2 = y2 * self.scale_ + self.mean_",
        "y2 = y2 * self.scale_",
        SCALING,
    ),
    # ---- residual learning ----------------------------------------------------
    _m(
        "residual-sign",
        "sklstm/compose/_residual.py",
        'residual = self._forward(y_arr, "y") - self._forward(',
        'residual = self._forward(y_arr, "y") + self._forward(',
        COMPOSE,
    ),
    _m(
        "residual-additive-multiplies",
        "sklstm/compose/_residual.py",
        "        return base + shrinkage * correction\n",
        "        return base * (1 + shrinkage * correction)\n",
        COMPOSE,
    ),
    _m(
        "residual-log-accepts-zero",
        "sklstm/compose/_residual.py",
        "if not np.all(known > 0):",
        "if not np.all(known >= 0):",
        COMPOSE,
    ),
    _m(
        "recipe-growth-swapped",
        "sklstm/recipe/_build.py",
        'm=periods[-1], target=target, growth="multiplicative" if log',
        'm=periods[-1], target=target, growth="additive" if log',
        RECIPE,
    ),
    _m(
        "seed-averaging-one-seed",
        "sklstm/compose/_averaging.py",
        "copy.set_params(**{key: int(seed) for key in keys})",
        "copy.set_params(**{key: int(self.seeds_[0]) for key in keys})",
        COMPOSE,
    ),
    _m(
        "shrinkage-ignored",
        "sklstm/compose/_residual.py",
        "return self._combine(base, correction, self.shrinkage)",
        "return self._combine(base, correction, 1.0)",
        COMPOSE,
    ),
    # ---- target scaling -------------------------------------------------------
    _m(
        "scaler-forgets-scale",
        "sklstm/models/_lstm.py",
        "return ((y2 - self.mean_) / self.scale_).astype(np.float32)",
        "return (y2 - self.mean_).astype(np.float32)",
        SCALING,
    ),
    _m(
        "scaler-variance-not-std",
        "sklstm/models/_lstm.py",
        "scale = y2.std(axis=0)",
        "scale = y2.var(axis=0)",
        SCALING,
    ),
    # ---- imputer --------------------------------------------------------------
    _m(
        "impute-ffill-becomes-bfill",
        "sklstm/preprocessing/_impute.py",
        "frame.ffill(limit=limit, inplace=True)",
        "frame.bfill(limit=limit, inplace=True)",
        IMPUTE,
    ),
    _m(
        "impute-edge-from-the-end",
        "sklstm/preprocessing/_impute.py",
        'if self.strategy == "bfill":\n                rows = n - 1',
        'if self.strategy != "bfill":\n                rows = n - 1',
        IMPUTE,
    ),
    _m(
        "impute-mean-is-median",
        "sklstm/preprocessing/_impute.py",
        "stats = np.nanmean(X, axis=0)",
        "stats = np.nanmedian(X, axis=0)",
        IMPUTE,
    ),
    _m(
        "impute-trailing-off-by-one",
        "sklstm/preprocessing/_impute.py",
        "self.trailing_nan_ = (m - 1 - last)",
        "self.trailing_nan_ = (m - last)",
        IMPUTE,
    ),
    _m(
        "impute-limit-depth-max",
        "sklstm/preprocessing/_impute.py",
        "depth = np.minimum(init_count, limit)",
        "depth = np.maximum(init_count, limit)",
        IMPUTE,
    ),
    _m(
        "impute-linear-limit-off-by-one",
        "sklstm/preprocessing/_impute.py",
        "col[rows - last > self.limit] = np.nan",
        "col[rows - last >= self.limit] = np.nan",
        IMPUTE,
    ),
    # ---- lags, rolling, differences, windows -----------------------------------
    _m(
        "lag-off-by-one",
        "sklstm/preprocessing/_lags.py",
        "self.lags_ = list(range(1, int(self.lags) + 1))",
        "self.lags_ = list(range(0, int(self.lags)))",
        PRE,
    ),
    _m(
        "lag-reads-the-future",
        "sklstm/preprocessing/_lags.py",
        "            block[m:] = Xs[: n - m]",
        "            block[m:] = Xs[m:]",
        PRE,
    ),
    _m(
        "diff-backwards",
        "sklstm/preprocessing/_diff.py",
        "np.subtract(Xs[m:], Xs[: X.shape[0] - m], out=block[m:])",
        "np.subtract(Xs[: X.shape[0] - m], Xs[m:], out=block[m:])",
        PRE,
    ),
    _m(
        "rolling-std-ddof",
        "sklstm/preprocessing/_rolling.py",
        "np.sqrt(m2 / (w - 1), out=",
        "np.sqrt(m2 / w, out=",
        PRE,
    ),
    _m(
        "rolling-ewm-alpha",
        "sklstm/preprocessing/_rolling.py",
        "beta = 1.0 - 2.0 / (span + 1.0)",
        "beta = 1.0 - 1.0 / (span + 1.0)",
        PRE,
    ),
    _m(
        "rolling-partial-median",
        "sklstm/preprocessing/_rolling.py",
        "return (block[..., half - 1] + block[..., half]) * 0.5",
        "return block[..., half]",
        PRE,
    ),
    _m(
        "window-history-short",
        "sklstm/preprocessing/_window.py",
        "self._store_history(X, self.window - 1)",
        "self._store_history(X, self.window - 2)",
        PRE,
    ),
    _m(
        "extend-drops-prefix",
        "sklstm/preprocessing/_base.py",
        "out[:k] = self._prefix(X, k, continuation, cols)",
        "out[:k] = self._prefix(X, k, False, cols)",
        PRE,
    ),
    # ---- outliers -------------------------------------------------------------
    _m(
        "iqr-upper-from-q1",
        "sklstm/preprocessing/_outliers.py",
        "self.upper_ = q3 + factor * (q3 - q1)",
        "self.upper_ = q1 + factor * (q3 - q1)",
        ["tests/test_preprocessing_outliers.py"],
    ),
    _m(
        "zscore-half-width",
        "sklstm/preprocessing/_outliers.py",
        "mean - factor * std, mean + factor * std",
        "mean - factor * std / 2, mean + factor * std / 2",
        ["tests/test_preprocessing_outliers.py"],
    ),
    # ---- baselines and metrics -------------------------------------------------
    _m(
        "growth-ratio-inverted",
        "sklstm/forecasting/_naive.py",
        "ratio = np.where(known, full[origin] / past, 1.0)",
        "ratio = np.where(known, past / full[origin], 1.0)",
        FORECASTING,
    ),
    _m(
        "growth-once-per-season",
        "sklstm/forecasting/_naive.py",
        "seasonal = seasonal + seasons * change",
        "seasonal = seasonal + change",
        FORECASTING,
    ),
    _m(
        "seasonal-history-short",
        "sklstm/forecasting/_naive.py",
        "self.history_ = filled[-(self.m + 1) :]",
        "self.history_ = filled[-self.m :]",
        FORECASTING,
    ),
    _m(
        "airline-seasonal-ma-sign",
        "sklstm/forecasting/_airline.py",
        "ma[[0, 1, m, m + 1]] = 1.0, theta, seasonal_theta, theta * seasonal_theta",
        "ma[[0, 1, m, m + 1]] = 1.0, theta, seasonal_theta, -theta * seasonal_theta",
        FORECASTING,
    ),
    _m(
        "airline-history-short",
        "sklstm/forecasting/_airline.py",
        "self.history_ = np.column_stack([z[-k:], e[-k:]])",
        "self.history_ = np.column_stack([z[-k - 1 : -1], e[-k - 1 : -1]])",
        FORECASTING,
    ),
    _m(
        "airline-sees-the-next-row",
        "sklstm/forecasting/_airline.py",
        "pred = np.repeat(z[:, None], self.n_outputs_, axis=1)  # the naive fallback",
        "pred = np.repeat(np.roll(z, -1)[:, None], self.n_outputs_, axis=1)  # next",
        FORECASTING,
    ),
    _m(
        "mase-scale-lag-1",
        "sklstm/forecasting/_metrics.py",
        "scale = np.mean(np.abs(y_train[m:] - y_train[:-m]))",
        "scale = np.mean(np.abs(y_train[1:] - y_train[:-1]))",
        FORECASTING,
    ),
    _m(
        "supervised-target-is-now",
        "sklstm/forecasting/_supervised.py",
        "series.shift(-step).iloc[: n - horizon]",
        "series.shift(1 - step).iloc[: n - horizon]",
        FORECASTING,
    ),
    _m(
        "split-cut-off-by-one",
        "sklstm/forecasting/_supervised.py",
        "cut = n_train - horizon\n",
        "cut = n_train - horizon + 1\n",
        FORECASTING,
    ),
    _m(
        "evaluate-scores-bridge-rows",
        "sklstm/forecasting/_evaluate.py",
        "scored = slice(horizon - 1, None)",
        "scored = slice(0, None)",
        FORECASTING,
    ),
    _m(
        "evaluate-mase-scale-on-all-data",
        "sklstm/forecasting/_evaluate.py",
        "y_train=frame[target].iloc[:n_train]",
        "y_train=frame[target].iloc[:]",
        FORECASTING,
    ),
    _m(
        "recipe-check-int-off-by-one",
        "sklstm/recipe/_folds.py",
        "or value < minimum:",
        "or value <= minimum:",
        RECIPE,
    ),
    _m(
        "baseline-pair-not-averaged",
        "sklstm/forecasting/_combination.py",
        "        return np.mean([est.predict(X) for est in self.estimators_], axis=0)",
        "        return self.estimators_[0].predict(X)",
        ["tests/test_recipe.py", "-k", "select_baseline"],
    ),
    _m(
        "baseline-pairs-from-all",
        "sklstm/recipe/_selection.py",
        "best = sorted(scores, key=scores.get)[:_N_COMBINED]",
        "best = sorted(scores, key=scores.get)",
        ["tests/test_recipe.py", "-k", "select_baseline"],
    ),
    _m(
        "metrics-short-train-allowed",
        "sklstm/forecasting/_metrics.py",
        "if len(y_train) <= m:",
        "if len(y_train) < m:",
        FORECASTING,
    ),
]


def _copy_tree(dest):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in ("sklstm", "tests"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")


def _run_tests(workdir, tests, timeout):
    """Return (status, seconds): 'pass', 'fail' or 'timeout'."""
    env = {**os.environ, "PYTHONPATH": str(workdir), "TF_CPP_MIN_LOG_LEVEL": "3"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    cmd += ["-o", "addopts=", "--no-header", *tests]
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=workdir, env=env, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - start
    status = "pass" if proc.returncode == 0 else "fail"
    if proc.returncode not in (0, 1):  # 1: tests failed; else an error
        status = f"error (pytest rc={proc.returncode})"
    return status, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the mutants")
    parser.add_argument("--only", nargs="+", help="run ids containing any of these")
    parser.add_argument("--timeout", type=float, default=240.0, help="per mutant")
    args = parser.parse_args(argv)

    mutations = [
        mut
        for mut in MUTATIONS
        if not args.only or any(word in mut.id for word in args.only)
    ]
    stale = [
        mut for mut in mutations if (ROOT / mut.path).read_text().count(mut.old) != 1
    ]
    if args.list or stale:
        for mut in mutations:
            flag = "STALE " if mut in stale else ""
            print(f"{flag}{mut.id:32} {mut.path}: {mut.old!r} -> {mut.new!r}")
        if stale:
            print(f"{len(stale)} mutation(s) no longer apply: update MUTATIONS.")
            return 2
        return 0

    with tempfile.TemporaryDirectory(prefix="sklstm-mutants-") as tmp:
        work = Path(tmp)
        _copy_tree(work)
        suites = sorted({mut.tests for mut in mutations})
        for tests in suites:  # the unmutated code must pass what judges it
            status, seconds = _run_tests(work, list(tests), args.timeout)
            if status != "pass":
                print(f"unmutated tests {' '.join(tests)}: {status}; fix them first")
                return 2
        results = []
        for mut in mutations:
            target = work / mut.path
            original = target.read_text()
            target.write_text(original.replace(mut.old, mut.new, 1))
            try:
                status, seconds = _run_tests(work, list(mut.tests), args.timeout)
            finally:
                target.write_text(original)
            verdict = "killed" if status in ("fail", "timeout") else "SURVIVED"
            if status.startswith("error"):
                verdict = "killed"  # the mutant broke import or collection
            results.append((mut, verdict))
            print(
                f"{verdict:8} {mut.id:32} {status:8} {seconds:6.1f} s  {mut.path}",
                flush=True,
            )
    killed = sum(verdict == "killed" for _, verdict in results)
    print(f"\nmutation score: {killed}/{len(results)} killed")
    for mut, verdict in results:
        if verdict != "killed":
            print(f"  survived: {mut.id}: {mut.old!r} -> {mut.new!r}")
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
