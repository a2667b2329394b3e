"""Memory and time of one global LSTM fit on a panel of N and 4N series.

A synthetic panel (``--series`` series of ``--length`` monthly rows and
``--features`` columns, and four times as many series) goes through
``Windower(window=--window)`` and an ``LSTMRegressor`` with early stopping, as
the recipe's last two steps do. Each size runs in its own process, so that
its peak resident memory is its own: the table shows, per size, the fit's
wall time, the peak RSS above the RSS before the fit (after a warm-up fit on
a tiny panel that pays the imports and the graph tracing) and the peak of the
memory that Python and NumPy allocate during the fit (``tracemalloc``: the
windows, not TensorFlow's own buffers).

Usage::

    python benchmarks/panel_memory.py                     # 100 and 400 series
    python benchmarks/panel_memory.py --series 50 --window 12
"""

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd


def synthetic_panel(n_series, length, n_features, seed=0):
    """Random walks of different levels, one block of rows per series."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2000-01-01", periods=length, freq="MS")
    frames = {}
    for i in range(n_series):
        level = 10.0 ** rng.integers(0, 4)
        values = level * (1 + 0.01 * rng.normal(size=(length, n_features)).cumsum(0))
        frames[f"s{i}"] = pd.DataFrame(
            values, index=index, columns=[f"x{j}" for j in range(n_features)]
        )
    X = pd.concat(frames, names=["series", "time"])
    return X, X.iloc[:, 0].to_numpy()


def _model(window, epochs):
    from sklearn.pipeline import make_pipeline

    from sklstm import LSTMRegressor
    from sklstm.preprocessing import Windower

    return make_pipeline(
        Windower(window=window),
        LSTMRegressor(
            units=8, epochs=epochs, batch_size=256, early_stopping=True, random_state=0
        ),
    ).set_output(transform="pandas")


def _rss_mb():
    """Peak resident memory of this process so far, in MB (Linux: KiB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n_series, args):
    """One fit of ``n_series`` series: seconds, peak RSS and tracemalloc (MB)."""
    warm, y_warm = synthetic_panel(4, args.length, args.features, seed=1)
    _model(args.window, 1).fit(warm, y_warm)  # imports and traces
    X, y = synthetic_panel(n_series, args.length, args.features)
    model = _model(args.window, args.epochs)
    rss_before = _rss_mb()
    tracemalloc.start()
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "series": n_series,
        "windows": len(X),
        "fit s": round(seconds, 2),
        "peak RSS +MB": round(_rss_mb() - rss_before, 1),
        "tracemalloc peak MB": round(traced_peak / 2**20, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100)
    parser.add_argument("--length", type=int, default=240)
    parser.add_argument("--features", type=int, default=8)
    parser.add_argument("--window", type=int, default=24)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child run
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure(args.one, args)))
        return
    rows = []
    for n_series in (args.series, 4 * args.series):
        child = [sys.executable, __file__, *(argv or sys.argv[1:]), "--one"]
        out = subprocess.run(
            [*child, str(n_series)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"window {args.window}, {args.features} features, {args.length} rows per "
        f"series, LSTM(8), {args.epochs} epochs, early stopping"
    )
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
