"""Long-series benchmark: the recipe's default search on a half-hourly series.

Builds a synthetic half-hourly demand-like series (``--n-train`` training rows,
default 3,226; a daily season of 48 steps and a weekly one of 336 whose
weekend days are lower, a slow trend, AR(1) noise and a few gaps), frames it
with ``make_supervised(horizon=1)`` and runs
``tune_lstm_forecaster(X, y, target="load", m=(48, 336), random_state=0)``
(the default budget) on it, printing where the time goes:

- LSTM fit / LSTM predict: ``LSTMRegressor.fit`` / ``predict``;
- recipe baseline: the forecasters' ``fit`` / ``predict``: the candidates of
  baseline selection on the folds, and the chosen baseline inside the
  search's candidates (before 2026-12-07 selection was a phase of its own);
- feature steps: the transformers of ``sklstm.preprocessing`` and the
  ``StandardScaler`` (fit, transform), ``Windower`` included;
- other: the rest (GridSearchCV, scoring, Python glue).

Each phase counts exclusive time: a call inside another timed call counts for
the innermost one only, except inside the LSTM's fit and predict and the
forecasters' fit and predict, which count whole.

``--compare DIR`` runs the same search with the code in the checkout ``DIR``
(e.g. a ``git worktree`` of an older commit) and with this checkout, each in a
fresh process, alternately ``--repeats`` times, and prints both breakdowns
and the load averages side by side.

Results (2026-12-03, 2 shared vCPUs at load averages 6.5-17.9, the two searches
at once, ``benchmarks/results/long_series-2026-12-03.txt``): 23d6d93 2164 s, of
which LSTM fit 1760 s, baseline selection 361 s, the recipe's baseline 26 s,
LSTM predict 13 s, feature steps 1 s; with the baseline fitted once per fold
2130 s (recipe's baseline 6.5 s); the same best CV score, -0.035431, in both.

Usage::

    python benchmarks/long_series.py                        # one search, this code
    python benchmarks/long_series.py --compare ../base      # old vs new
    python benchmarks/long_series.py --budget quick         # a shorter run
"""

import argparse
import functools
import json
import os
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pandas as pd

PERIODS = (48, 336)
TARGET = "load"


def make_series(n_train=3226, n_test=672, seed=0):
    """A strictly positive half-hourly series with a daily and a weekly season."""
    rng = np.random.default_rng(seed)
    n = n_train + n_test + 1  # make_supervised drops the last row (horizon 1)
    t = np.arange(n)
    day = t % 48
    weekday = (t // 48) % 7
    daily = 0.25 * np.sin(2 * np.pi * (day - 14) / 48) + 0.1 * np.sin(
        4 * np.pi * day / 48
    )
    weekly = np.where(weekday >= 5, -0.3, 0.0) * (0.5 + 0.5 * np.sin(np.pi * day / 48))
    noise = np.zeros(n)
    shocks = rng.normal(0, 0.04, n)
    for i in range(1, n):
        noise[i] = 0.8 * noise[i - 1] + shocks[i]
    level = 3.0 + 0.0001 * t + 0.2 * np.sin(2 * np.pi * t / (48 * 60))
    values = np.exp(level / 3.0) * (1 + daily + weekly) + noise
    values[rng.choice(n, size=5, replace=False)] = np.nan  # a few gaps
    index = pd.date_range("2025-01-06", periods=n, freq="30min")
    return pd.DataFrame({TARGET: values}, index=index)


class _PhaseTimer:
    """Exclusive wall time per phase of wrapped functions."""

    def __init__(self):
        self.totals = {}
        self.calls = {}
        self._stack = []  # [phase, start, absorbing]
        self._thread = threading.current_thread()
        self._lock = threading.Lock()

    def wrap(self, owner, name, phase, absorb=False, count_all=False, counted=True):
        """Time ``owner.name`` as ``phase``; ``count_all``: count every call,
        absorbed or in another thread; ``counted=False``: count none."""
        func = owner.__dict__.get(name) if isinstance(owner, type) else None
        if func is None:
            func = getattr(owner, name, None)
        if func is None:
            return

        def count():
            with self._lock:
                self.calls[phase] = self.calls.get(phase, 0) + 1

        @functools.wraps(func)
        def timed(*args, **kwargs):
            if threading.current_thread() is not self._thread:
                # a call in a worker thread (seeds trained side by side): its
                # wall time is inside the waiting caller's phase
                if count_all:
                    count()
                return func(*args, **kwargs)
            if self._stack and self._stack[-1][2]:  # inside an absorbing phase
                if count_all:
                    count()
                return func(*args, **kwargs)
            now = time.perf_counter()
            if self._stack:
                outer = self._stack[-1]
                self._add(outer[0], now - outer[1])
            self._stack.append([phase, now, absorb])
            if counted:
                count()
            try:
                return func(*args, **kwargs)
            finally:
                end = time.perf_counter()
                done = self._stack.pop()
                self._add(done[0], end - done[1])
                if self._stack:
                    self._stack[-1][1] = end

        setattr(owner, name, timed)

    def _add(self, phase, seconds):
        self.totals[phase] = self.totals.get(phase, 0.0) + seconds


def _instrument():
    """Wrap the functions of every phase; returns the timer."""
    import sklearn.preprocessing

    import sklstm.forecasting as fc
    import sklstm.preprocessing as pp
    from sklstm.compose import SeedAveragingRegressor
    from sklstm.models import LSTMRegressor

    timer = _PhaseTimer()
    # the seeds of one fit may train side by side in threads: their average's
    # fit is the wall time, the networks' fits are counted
    timer.wrap(SeedAveragingRegressor, "fit", "LSTM fit", absorb=True, counted=False)
    timer.wrap(LSTMRegressor, "fit", "LSTM fit", absorb=True, count_all=True)
    timer.wrap(LSTMRegressor, "predict", "LSTM predict", absorb=True)
    forecasters = [
        fc.NaiveForecaster,
        fc.SeasonalNaiveForecaster,
        fc.AirlineForecaster,
        fc.RidgeLagForecaster,
        fc.CombinedForecaster,
    ]
    for cls in forecasters:
        for method in ("fit", "predict"):
            timer.wrap(cls, method, "recipe baseline", absorb=True)
    transformers = [getattr(pp, name) for name in pp.__all__]
    transformers.append(sklearn.preprocessing.StandardScaler)
    for cls in transformers:
        if not isinstance(cls, type):
            continue
        for method in ("fit", "transform", "fit_transform"):
            if method in cls.__dict__:
                timer.wrap(cls, method, "feature steps")
    return timer


def _lstm_params(args):
    params = [p.split("=", 1) for p in args.lstm_param or ()]
    return {name: int(value) for name, value in params}


def run_once(args):
    """One search with this process' sklstm; returns a dict of results."""
    from sklstm.forecasting import train_test_split_series
    from sklstm.recipe import tune_lstm_forecaster

    frame = make_series(args.n_train, seed=args.data_seed)
    X, _, y, _ = train_test_split_series(frame, TARGET, n_test=672)
    timer = _instrument()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = tune_lstm_forecaster(
            X,
            y,
            target=TARGET,
            m=PERIODS,
            budget=args.budget,
            random_state=0,
            **_lstm_params(args),
        )
    total = time.perf_counter() - start
    phases = dict(timer.totals)
    phases["other"] = total - sum(phases.values())
    baseline = min(search.baseline_scores_, key=search.baseline_scores_.get)
    return {
        "sklstm": os.path.dirname(os.path.dirname(sys.modules["sklstm"].__file__)),
        "lstm_params": _lstm_params(args),
        "n_train": len(X),
        "total_s": total,
        "phases_s": phases,
        "calls": timer.calls,
        "best_score": search.best_score_,
        "best_params": {k: float(v) for k, v in search.best_params_.items()},
        "baseline": baseline,
        "baseline_score": search.baseline_scores_[baseline],
        "load_after": os.getloadavg(),
    }


def _print_result(label, res):
    print(f"--- {label}: {res['sklstm']} ({res['n_train']} training rows)")
    if res.get("lstm_params"):
        print(f"LSTM parameters {res['lstm_params']}")
    print(f"total {res['total_s']:.1f} s; load averages after {res['load_after']}")
    for phase, seconds in sorted(res["phases_s"].items(), key=lambda kv: -kv[1]):
        calls = res["calls"].get(phase, "")
        print(f"  {phase:<20} {seconds:8.1f} s  {calls}")
    print(f"  baseline {res['baseline']!r} (CV MAE {res['baseline_score']:.6f})")
    print(f"  best CV score {res['best_score']:.6f}  {res['best_params']}")


def _command(args):
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--json",
        "--budget",
        args.budget,
        "--n-train",
        str(args.n_train),
        "--data-seed",
        str(args.data_seed),
    ]
    for param in args.lstm_param or ():
        cmd += ["--lstm-param", param]
    return cmd


def _start(checkout, args):
    """A search in a fresh process with the sklstm of ``checkout``."""
    print(f"# start {checkout}: load averages {os.getloadavg()}", flush=True)
    env = {**os.environ, "PYTHONPATH": checkout}
    return subprocess.Popen(
        _command(args), env=env, cwd=checkout, stdout=subprocess.PIPE, text=True
    )


def _child(checkout, args):
    out, _ = _start(checkout, args).communicate()
    return json.loads(out.strip().splitlines()[-1])


def _concurrent(checkouts, args):
    """Both searches at once, each in a fresh process: the same load for both."""
    procs = [_start(os.path.abspath(c), args) for c in checkouts]
    outs = [p.communicate()[0] for p in procs]
    return [json.loads(out.strip().splitlines()[-1]) for out in outs]


def compare(args):
    """Old and new code, each in a fresh process: alternately, or at once."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    results = []
    for r in range(args.repeats):
        pairs = (("old", args.compare), ("new", here))
        if args.concurrent:
            done = _concurrent([c for _, c in pairs], args)
        else:
            done = [_child(os.path.abspath(c), args) for _, c in pairs]
        for (label, _), res in zip(pairs, done, strict=True):
            results.append((label, res))
            _print_result(f"{label}, run {r + 1}", res)
            sys.stdout.flush()
    for r in range(args.repeats):
        old, new = results[2 * r][1], results[2 * r + 1][1]
        print(
            f"run {r + 1}: old {old['total_s']:.1f} s, new {new['total_s']:.1f} s, "
            f"ratio new/old {new['total_s'] / old['total_s']:.3f}; best CV score "
            f"old {old['best_score']:.6f}, new {new['best_score']:.6f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", default="default", choices=["quick", "default"])
    parser.add_argument("--n-train", type=int, default=3226)
    parser.add_argument("--data-seed", type=int, default=0)
    parser.add_argument("--compare", metavar="DIR", help="checkout of the old code")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--concurrent", action="store_true", help="old, new at once")
    parser.add_argument(
        "--lstm-param",
        action="append",
        metavar="NAME=INT",
        help="a fixed LSTM parameter of the search (e.g. batch_size=128)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    res = run_once(args)
    if args.json:
        print(json.dumps(res))
    else:
        _print_result("this checkout", res)


if __name__ == "__main__":
    main()
