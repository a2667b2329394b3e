"""Parallel search benchmark: n_jobs=1 against threads, loky and a Dask LocalCluster.

The same ``GridSearchCV`` over :class:`sklstm.LSTMRegressor` (8 candidates:
units {8, 16} x dropout {0, 0.2} x batch_size {32, 64}, 4 architectures;
``TimeSeriesSplit(2)``, so 16 fits; by default 2,000 windows of 16 x 4 and
``epochs=8`` without early stopping, so every fit does the same work;
``random_state=0``; ``refit=False``) runs five ways, each in a fresh
interpreter:

* ``n_jobs=1``: in the measuring process;
* ``threads``: ``n_jobs=2`` in two threads of the measuring process
  (``sklstm.utils.search_threads()``, what
  ``tune_lstm_forecaster(n_jobs=...)`` uses): one TensorFlow, one trainer
  pool;
* ``joblib-threads``: the same with joblib's own threads
  (``joblib.parallel_config(prefer="threads")``), whose free thread takes
  the next fold of the candidate the other thread is starting;
* ``n_jobs=2``: joblib's default loky backend, two worker processes;
* ``dask``: ``joblib.parallel_backend("dask")`` on
  ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` on the
  loopback address (the cluster's start is timed apart).

Each search is timed twice in its interpreter: ``cold`` (the first search:
workers start and import TensorFlow, every architecture is traced) and
``warm`` (the same search again: workers, TensorFlow and traced graphs are
reused). TensorFlow is imported in the measuring process before timing, as
it is once a user has built the estimator. The summary prints wall times,
their ratio to n_jobs=1 (< 1: faster), the CPU seconds of the measuring
process (all of the work for ``n_jobs=1`` and ``threads``; the workers'
CPU is not counted for ``n_jobs=2`` and ``dask``), and whether every run's
``cv_results_`` scores are identical to n_jobs=1's (bit for bit) and its
best parameters the same.

Usage::

    python benchmarks/parallel.py               # one round, ~3 min on 2 cores
    python benchmarks/parallel.py --repeats 3   # three rounds, min/median/max
    python benchmarks/parallel.py --epochs 40 --samples 1500  # longer fits
    python benchmarks/parallel.py --modes n_jobs=1 threads

Timings on a 2-core machine shared with other work are noisy: the load
average is printed before and after every run; compare ratios within one
run, whose rounds alternate the modes.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ["n_jobs=1", "threads", "joblib-threads", "n_jobs=2", "dask"]
GRID = {"units": [8, 16], "dropout": [0.0, 0.2], "batch_size": [32, 64]}


def _data(n_samples, timesteps=16, n_features=4, seed=0):
    import numpy as np

    rng = np.random.RandomState(seed)
    t = np.arange(n_samples + timesteps)
    series = np.column_stack(
        [np.sin(2 * np.pi * t / p) for p in (7, 13, 29, 51)[:n_features]]
    ) + rng.normal(0, 0.1, (len(t), n_features))
    X = np.lib.stride_tricks.sliding_window_view(series, timesteps, axis=0)
    X = np.ascontiguousarray(X.transpose(0, 2, 1)[:n_samples], dtype=np.float32)
    y = (
        series[timesteps : timesteps + n_samples, 0]
        + series[timesteps - 1 : timesteps - 1 + n_samples, 1]
    )
    return X, y


def _search(epochs, n_jobs):
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from sklstm import LSTMRegressor  # imports TensorFlow

    return GridSearchCV(
        LSTMRegressor(epochs=epochs, early_stopping=False, random_state=0),
        GRID,
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_mean_absolute_error",
        refit=False,
        n_jobs=n_jobs,
    )


def _measure(mode, epochs, n_samples):
    """Inside a fresh interpreter: time the search cold and warm, print JSON."""
    import contextlib

    import joblib

    X, y = _data(n_samples)
    record = {"mode": mode, "pid": os.getpid()}
    cluster = client = None
    if mode == "dask":
        from distributed import Client, LocalCluster

        start = time.perf_counter()
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)
        record["cluster_start_s"] = time.perf_counter() - start

    def backend():
        if mode == "dask":  # X and y sent to the workers once per search
            return joblib.parallel_config(backend="dask", scatter=[X, y])
        if mode == "threads":  # sklstm's threads, as tune_lstm_forecaster
            from sklstm.utils import search_threads

            return search_threads()
        if mode == "joblib-threads":  # joblib's own threads
            return joblib.parallel_config(prefer="threads")
        return contextlib.nullcontext()

    search = _search(epochs, n_jobs=1 if mode == "n_jobs=1" else 2)
    for run in ("cold", "warm"):
        cpu, start = time.process_time(), time.perf_counter()
        with backend():
            search.fit(X, y)
        record[f"{run}_s"] = time.perf_counter() - start
        record[f"{run}_cpu_s"] = time.process_time() - cpu
        keys = sorted(k for k in search.cv_results_ if "test_score" in k)
        record[f"{run}_scores"] = {
            k: [float(v) for v in search.cv_results_[k]] for k in keys
        }
        record[f"{run}_best_index"] = int(
            search.cv_results_["rank_test_score"].argmin()
        )
    if client is not None:
        worker_threads = client.run(_worker_tf_threads)
        record["worker_tf_threads"] = sorted(worker_threads.values())
        client.close()
        cluster.close()
    print("RESULT " + json.dumps(record), flush=True)


def _worker_tf_threads():
    from sklstm.utils import tf_threads

    return tf_threads()


def _run(mode, epochs, n_samples):
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:{os.environ.get('PYTHONPATH', '')}")
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--_measure",
            mode,
            "--epochs",
            str(epochs),
            "--samples",
            str(n_samples),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"{mode} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")


def _load():
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--modes", nargs="+", default=MODES, choices=MODES)
    parser.add_argument("--_measure", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._measure:
        _measure(args._measure, args.epochs, args.samples)
        return
    print(
        f"GridSearchCV over LSTMRegressor: 8 candidates x 2 folds, epochs="
        f"{args.epochs}, {args.samples} windows of 16 x 4; {os.cpu_count()} CPUs; "
        f"load average {_load()}",
        flush=True,
    )
    results = {mode: [] for mode in args.modes}
    for round_ in range(args.repeats):
        for mode in args.modes:
            record = _run(mode, args.epochs, args.samples)
            results[mode].append(record)
            extra = (
                f", cluster start {record['cluster_start_s']:.1f} s, TF threads "
                f"per worker {record['worker_tf_threads']}"
                if mode == "dask"
                else ""
            )
            print(
                f"round {round_ + 1} {mode:>8}: cold {record['cold_s']:6.1f} s, "
                f"warm {record['warm_s']:6.1f} s (CPU of the measuring process "
                f"{record['cold_cpu_s']:.1f} / {record['warm_cpu_s']:.1f} s)"
                f"{extra} (load {_load()})",
                flush=True,
            )
    reference = results[args.modes[0]][0]
    print(f"\nsummary over {args.repeats} round(s) (min / median / max seconds)")
    for run in ("cold", "warm"):
        base = statistics.median(r[f"{run}_s"] for r in results[args.modes[0]])
        for mode in args.modes:
            times = sorted(r[f"{run}_s"] for r in results[mode])
            med = statistics.median(times)
            same = all(
                r[f"{run}_scores"] == reference["cold_scores"] for r in results[mode]
            )
            best = all(
                r[f"{run}_best_index"] == reference["cold_best_index"]
                for r in results[mode]
            )
            print(
                f"{run} {mode:>8}: {times[0]:6.1f} / {med:6.1f} / {times[-1]:6.1f}"
                f"  ratio {med / base:4.2f} (speed-up {base / med:4.2f}x)"
                f"  cv_results_ identical: {same}  same best: {best}"
            )
    print(f"load average at the end {_load()}")


if __name__ == "__main__":
    main()
