"""Engine benchmark: what one fit costs, sklstm side by side with raw Keras.

Every measurement runs in a fresh interpreter (so memory figures do not mix)
and prints one line; the last lines are a summary table. Side by side in the
same run:

* ``window-memory``: peak RSS over the start of a windowed fit and predict,
  ``Windower(window=32)`` + ``LSTMRegressor(units=4, epochs=1)`` on a
  200,000 x 8 float32 series, against ``keras.Model.fit``/``predict`` on the
  same window view;
* ``many-fits``: RSS after fit 20 and fit 100 of 100 small fits
  (``units=16, epochs=3`` on 512 x 8 x 2), each deleted, against the same
  build/compile/fit/predict in raw Keras;
* ``small-fit``: the fixed cost and the cost of a further epoch of a small fit
  (256 windows of 8 x 2, batch 32), cold (first fit in the process) and warm;
* ``throughput``: seconds per epoch of 2 x LSTM(64) + Dense on (20000, 32, 8),
  batch 256;
* ``recipe``: the wall time and the AirPassengers 1-step MASE (protocol of
  ACCURACY-PROTOCOL.md) of a fixed GridSearchCV(TimeSeriesSplit(3)) over the
  recipe (window {8, 16} x n_layers {1, 2} x dropout {0, 0.2}).
  ``--compare REF`` runs it for the git revision REF too (a temporary
  worktree, on the same machine, in the same run);
* ``parallel-search``: the search of ``benchmarks/parallel.py`` (8 candidates
  x 2 folds, 2,000 windows of 16 x 4, 8 epochs) with ``n_jobs=1`` and with
  ``n_jobs=2`` in threads (``sklstm.utils.search_threads()``), each
  in a fresh interpreter: cold (the first search) and warm (the same again),
  the wall times, the CPU seconds and the ratios to ``n_jobs=1``
  (``benchmarks/parallel.py`` also runs loky and Dask);
* ``unroll``: warm fits (the second of each, so tracing is left out) of
  ``LSTMRegressor(units=16, epochs=6, early_stopping=False)`` on 3,000
  windows of 6 x 10 (1 layer), 16 x 10 and 32 x 10 (2 layers), batch 32,
  with ``unroll=False`` (Keras' loop over the steps) and ``unroll=True``
  (what "auto" does on a CPU), alternated three times; the median seconds,
  their ratio and the largest difference of the two models' predictions;
* ``seed-threads``: ``SeedAveragingRegressor`` of 3
  ``LSTMRegressor(units=16, n_layers=2, epochs=30, patience=3)`` on 2,400
  windows of 32 x 12 (early stopping on), with ``n_jobs=1`` (one copy after
  the other) and ``n_jobs=3`` (side by side in threads, what the recipe
  uses), alternated three times after a fit that traces the architecture;
  the median seconds, their ratio and whether the predictions are identical;
* ``large`` (``--large``): a 1,000,000 x 10 series in windows of 336 steps,
  one epoch of fit and a predict, with the peak RSS (the windows would take
  13.4 GB if materialized).

Usage::

    python benchmarks/engine.py                       # all but large, ~12 min
    python benchmarks/engine.py --compare a6b34fa     # + the recipe on a6b34fa
    python benchmarks/engine.py --only recipe small-fit
    python benchmarks/engine.py --only parallel-search  # ~2 min
    python benchmarks/engine.py --only unroll           # ~2 min
    python benchmarks/engine.py --only seed-threads     # ~2 min
    python benchmarks/engine.py --large               # + the 1M x 10 x 336 fit

Timings on a 2-core machine are noisy: compare the ratios within one run.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PARTS = [
    "window-memory",
    "many-fits",
    "small-fit",
    "throughput",
    "recipe",
    "parallel-search",
    "unroll",
    "seed-threads",
]
ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- #
# helpers (inside the measuring interpreter)
# --------------------------------------------------------------------------- #
def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _PeakRSS:
    """Sample RSS every millisecond in a thread; ``peak`` over ``start``."""

    def __enter__(self):
        gc.collect()
        self.start = _rss_mb()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_mb())
            time.sleep(0.001)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())

    @property
    def growth(self):
        return self.peak - self.start


def _keras_lstm(timesteps, n_features, units, n_layers=1):
    import keras

    inputs = keras.Input((timesteps, n_features))
    x = inputs
    for i in range(n_layers):
        x = keras.layers.LSTM(units, return_sequences=i < n_layers - 1)(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model


def _emit(**record):
    print("RESULT " + json.dumps(record), flush=True)


# --------------------------------------------------------------------------- #
# measurements
# --------------------------------------------------------------------------- #
def measure_window_memory(engine):
    import numpy as np

    from sklstm import LSTMRegressor, Windower

    rng = np.random.default_rng(0)
    series = rng.normal(size=(200_000, 8)).astype(np.float32)
    y = series[:, 0].astype(np.float64)
    # warm up TensorFlow (its own allocations are not the windows')
    small = Windower(window=32).fit_transform(series[:2000])
    LSTMRegressor(units=4, epochs=1).fit(small, y[:2000]).predict(small)
    windows = Windower(window=32).fit_transform(series)  # a zero-copy view
    if engine == "sklstm":
        est = LSTMRegressor(units=4, epochs=1, random_state=0)
        with _PeakRSS() as fit_mem:
            t0 = time.perf_counter()
            est.fit(windows, y)
            fit_s = time.perf_counter() - t0
        with _PeakRSS() as predict_mem:
            est.predict(windows)
    else:
        import keras

        model = _keras_lstm(32, 8, 4)
        with _PeakRSS() as fit_mem:
            t0 = time.perf_counter()
            model.fit(
                windows,
                y,
                epochs=1,
                batch_size=32,
                validation_split=0.1,
                callbacks=[keras.callbacks.EarlyStopping(patience=10)],
                verbose=0,
            )
            fit_s = time.perf_counter() - t0
        with _PeakRSS() as predict_mem:
            model.predict(windows, batch_size=32, verbose=0)
    _emit(
        part="window-memory",
        engine=engine,
        fit_peak_mb=round(fit_mem.growth, 1),
        predict_peak_mb=round(predict_mem.growth, 1),
        fit_s=round(fit_s, 1),
    )


def measure_many_fits(engine, n_fits=100):
    import numpy as np

    from sklstm import LSTMRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(512, 8, 2)).astype(np.float32)
    y = X[:, -1, 0] + 0.1 * rng.normal(size=512)
    rss = {}
    t0 = time.perf_counter()
    for i in range(1, n_fits + 1):
        if engine == "sklstm":
            est = LSTMRegressor(units=16, epochs=3, random_state=i).fit(X, y)
            est.predict(X)
        else:
            est = _keras_lstm(8, 2, 16)
            est.fit(X, y, epochs=3, batch_size=32, validation_split=0.1, verbose=0)
            est.predict(X, verbose=0)
        del est
        gc.collect()
        if i in (1, 20, 50, n_fits):
            rss[i] = round(_rss_mb(), 1)
    _emit(
        part="many-fits",
        engine=engine,
        rss_mb=rss,
        growth_20_to_100_mb=round(rss[n_fits] - rss[20], 1),
        seconds_per_fit=round((time.perf_counter() - t0) / n_fits, 3),
    )


def measure_small_fit(engine):
    import numpy as np

    from sklstm import LSTMRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(256, 8, 2)).astype(np.float32)
    y = X[:, -1, 0] + 0.1 * rng.normal(size=256)

    def fit(epochs):
        t0 = time.perf_counter()
        if engine == "sklstm":
            LSTMRegressor(
                units=16, epochs=epochs, early_stopping=False, random_state=0
            ).fit(X, y)
        else:
            _keras_lstm(8, 2, 16).fit(X, y, epochs=epochs, batch_size=32, verbose=0)
        return time.perf_counter() - t0

    cold = fit(1)
    one = statistics.median(fit(1) for _ in range(3))
    many = statistics.median(fit(21) for _ in range(3))
    per_epoch = (many - one) / 20
    _emit(
        part="small-fit",
        engine=engine,
        cold_fit_1_epoch_s=round(cold, 3),
        fixed_s=round(one - per_epoch, 3),
        per_epoch_s=round(per_epoch, 4),
    )


def measure_throughput(engine):
    import numpy as np

    from sklstm import LSTMRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 32, 8)).astype(np.float32)
    y = X[:, -1, 0] + 0.1 * rng.normal(size=20_000)

    def fit(epochs):
        t0 = time.perf_counter()
        if engine == "sklstm":
            LSTMRegressor(
                n_layers=2,
                units=64,
                epochs=epochs,
                batch_size=256,
                early_stopping=False,
                random_state=0,
            ).fit(X, y)
        else:
            _keras_lstm(32, 8, 64, n_layers=2).fit(
                X, y, epochs=epochs, batch_size=256, verbose=0
            )
        return time.perf_counter() - t0

    one, four = fit(1), fit(4)
    per_epoch = (four - one) / 3
    _emit(
        part="throughput",
        engine=engine,
        seconds_per_epoch=round(per_epoch, 2),
        samples_per_s=round(20_000 / per_epoch),
    )


def measure_recipe(engine):
    import sklstm
    from sklstm.datasets import load_airpassengers
    from sklstm.forecasting import evaluate_forecaster
    from sklstm.recipe import make_lstm_forecaster

    try:  # the search as one estimator (revisions from 2026-12-07 on)
        from sklstm.recipe import TunedLSTMForecaster
    except ImportError:
        _emit(part="recipe", engine=engine, skipped="no TunedLSTMForecaster")
        return

    # the same work on every revision: a fixed grid, baseline and log space,
    # one network per fit, no seasonal lags, the whole correction
    params = make_lstm_forecaster(target="passengers").get_params()
    lstm = (
        "regressor__lstm__estimator__"
        if "regressor__lstm__estimator__units" in params
        else "regressor__lstm__"
    )
    search = TunedLSTMForecaster(
        target="passengers",
        m=12,
        log=True,
        baseline="seasonal",
        param_grid={
            "regressor__window__window": [8, 16],
            f"{lstm}n_layers": [1, 2],
            f"{lstm}dropout": [0.0, 0.2],
        },
        shrinkages=(1.0,),
        n_seeds=1,
        lstm_params={"seasonal_lags": None},
    )
    result = evaluate_forecaster(
        search,
        load_airpassengers(),
        target="passengers",
        horizon=1,
        n_test=36,
        m=12,
    )
    _emit(
        part="recipe",
        engine=engine,
        sklstm_from=str(Path(sklstm.__file__).parent.parent),
        wall_s=round(result["fit_seconds"], 1),
        MASE=round(result["MASE"], 4),
    )


def measure_large(engine):
    import numpy as np

    from sklstm import LSTMRegressor, Windower

    rng = np.random.default_rng(0)
    series = rng.normal(size=(1_000_000, 10)).astype(np.float32)
    y = series[:, 0].astype(np.float64)
    windows = Windower(window=336).fit_transform(series)
    est = LSTMRegressor(units=4, epochs=1, batch_size=4096, random_state=0)
    with _PeakRSS() as fit_mem:
        t0 = time.perf_counter()
        est.fit(windows, y)
        fit_s = time.perf_counter() - t0
    with _PeakRSS() as predict_mem:
        t0 = time.perf_counter()
        est.predict(windows)
        predict_s = time.perf_counter() - t0
    _emit(
        part="large",
        engine=engine,
        windows_if_materialized_gb=round(windows.size * 4 / 1e9, 1),
        fit_peak_mb=round(fit_mem.growth, 1),
        predict_peak_mb=round(predict_mem.growth, 1),
        fit_s=round(fit_s, 1),
        predict_s=round(predict_s, 1),
    )


def measure_parallel_search(engine):
    import contextlib

    from parallel import _data, _search  # benchmarks/parallel.py

    from sklstm.utils import search_threads

    X, y = _data(2000)
    search = _search(8, n_jobs=1 if engine == "n_jobs=1" else 2)
    record = {}
    for run in ("cold", "warm"):
        backend = search_threads() if engine == "threads" else contextlib.nullcontext()
        cpu, start = time.process_time(), time.perf_counter()
        with backend:
            search.fit(X, y)
        record[f"{run}_s"] = round(time.perf_counter() - start, 2)
        record[f"{run}_cpu_s"] = round(time.process_time() - cpu, 2)
        record[f"{run}_scores"] = [
            float(v) for v in search.cv_results_["mean_test_score"]
        ]
    _emit(part="parallel-search", engine=engine, load=os.getloadavg()[0], **record)


def measure_unroll(engine):
    import numpy as np

    from sklstm import LSTMRegressor

    rng = np.random.default_rng(0)
    record = {}
    for timesteps, n_layers in ((6, 1), (16, 2), (32, 2)):
        X = rng.normal(size=(3000, timesteps, 10)).astype(np.float32)
        y = X[:, -1, 0] + 0.1 * rng.normal(size=3000)
        times, preds = {False: [], True: []}, {}
        for unroll in (False, True):  # the first fit of each traces
            LSTMRegressor(units=16, n_layers=n_layers, epochs=1, unroll=unroll).fit(
                X, y
            )
        for _ in range(3):
            for unroll in (False, True):
                model = LSTMRegressor(
                    units=16,
                    n_layers=n_layers,
                    epochs=6,
                    early_stopping=False,
                    unroll=unroll,
                    random_state=0,
                )
                t0 = time.perf_counter()
                model.fit(X, y)
                times[unroll].append(time.perf_counter() - t0)
                preds[unroll] = model.predict(X[:500])
        loop, unrolled = statistics.median(times[False]), statistics.median(times[True])
        record[f"{timesteps}x{n_layers}"] = {
            "loop_s": round(loop, 2),
            "unrolled_s": round(unrolled, 2),
            "ratio": round(unrolled / loop, 2),
            "max_pred_diff": float(np.abs(preds[True] - preds[False]).max()),
        }
    _emit(part="unroll", engine="sklstm", **record)


def measure_seed_threads(engine):
    import numpy as np

    from sklstm import LSTMRegressor, SeedAveragingRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(2400, 32, 12)).astype(np.float32)
    y = X[:, -1, 0] + 0.1 * rng.normal(size=2400)

    def model(n_jobs, epochs=30):
        lstm = LSTMRegressor(
            units=16, n_layers=2, epochs=epochs, patience=3, random_state=0
        )
        return SeedAveragingRegressor(
            estimator=lstm, n_estimators=3, random_state=0, n_jobs=n_jobs
        )

    model(1, epochs=1).fit(X[:200], y[:200])  # traces the architecture
    times, preds = {1: [], 3: []}, {}
    for _ in range(3):
        for n_jobs in (1, 3):
            fitted = model(n_jobs)
            t0 = time.perf_counter()
            fitted.fit(X, y)
            times[n_jobs].append(time.perf_counter() - t0)
            preds[n_jobs] = fitted.predict(X[:500])
    serial, threads = statistics.median(times[1]), statistics.median(times[3])
    _emit(
        part="seed-threads",
        engine="sklstm",
        serial_s=round(serial, 2),
        threads_s=round(threads, 2),
        ratio=round(threads / serial, 2),
        identical=bool(np.array_equal(preds[1], preds[3])),
        load=os.getloadavg()[0],
    )


MEASURES = {
    "window-memory": (measure_window_memory, ["sklstm", "keras"]),
    "many-fits": (measure_many_fits, ["sklstm", "keras"]),
    "small-fit": (measure_small_fit, ["sklstm", "keras"]),
    "throughput": (measure_throughput, ["sklstm", "keras"]),
    "recipe": (measure_recipe, ["sklstm"]),
    "large": (measure_large, ["sklstm"]),
    "parallel-search": (measure_parallel_search, ["n_jobs=1", "threads"]),
    "unroll": (measure_unroll, ["sklstm"]),
    "seed-threads": (measure_seed_threads, ["sklstm"]),
}


# --------------------------------------------------------------------------- #
# driver
# --------------------------------------------------------------------------- #
def _run(part, engine, pythonpath=None, label=None):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    cmd = [sys.executable, __file__, "--measure", part, engine]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    records = [
        json.loads(line[len("RESULT ") :])
        for line in proc.stdout.splitlines()
        if line.startswith("RESULT ")
    ]
    if proc.returncode or not records:
        tail = "\n".join(proc.stderr.splitlines()[-15:])
        raise RuntimeError(f"{part}/{engine} failed ({proc.returncode}):\n{tail}")
    record = records[-1]
    if label:
        record["engine"] = label
    print(json.dumps(record), flush=True)
    return record


def _parallel_ratios(records):
    """Add the threaded search's ratios to n_jobs=1 (and whether it agrees)."""
    by_engine = {r["engine"]: r for r in records if r["part"] == "parallel-search"}
    serial, threads = by_engine.get("n_jobs=1"), by_engine.get("threads")
    if not (serial and threads):
        return
    for run in ("cold", "warm"):
        threads[f"{run}_ratio"] = round(threads[f"{run}_s"] / serial[f"{run}_s"], 2)
        threads[f"{run}_identical"] = threads[f"{run}_scores"] == serial["cold_scores"]
    for record in (serial, threads):
        for run in ("cold", "warm"):
            record.pop(f"{run}_scores")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=PARTS + ["large"])
    parser.add_argument("--compare", metavar="REF", help="also run 'recipe' at REF")
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        part, engine = args.measure
        MEASURES[part][0](engine)
        return None

    parts = args.only or PARTS + (["large"] if args.large else [])
    records = []
    for part in parts:
        for engine in MEASURES[part][1]:
            records.append(_run(part, engine))
        if part == "recipe" and args.compare:
            with tempfile.TemporaryDirectory() as tmp:
                tree = Path(tmp) / "ref"
                subprocess.run(
                    [
                        "git",
                        "-C",
                        str(ROOT),
                        "worktree",
                        "add",
                        "--detach",
                        "-f",
                        str(tree),
                        args.compare,
                    ],
                    check=True,
                    capture_output=True,
                )
                try:
                    records.append(
                        _run(part, "sklstm", str(tree), f"sklstm@{args.compare}")
                    )
                finally:
                    subprocess.run(
                        [
                            "git",
                            "-C",
                            str(ROOT),
                            "worktree",
                            "remove",
                            "--force",
                            str(tree),
                        ],
                        capture_output=True,
                    )
    _parallel_ratios(records)
    print("\nSummary (same machine, same run):")
    for record in records:
        part, engine = record.pop("part"), record.pop("engine")
        record.pop("sklstm_from", None)
        print(f"  {part:14s} {engine:18s} {record}")
    return records


if __name__ == "__main__":
    main()
