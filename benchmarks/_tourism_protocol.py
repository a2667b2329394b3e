"""The Tourism competition's protocol, shared by competitions.py and peers_tourism.py.

Athanasopoulos, Hyndman, Song & Wu (2011): one forecast per series, from the end of
its training part, ``h`` steps ahead; MASE = the mean absolute error over the ``h``
steps divided by the in-sample mean absolute ``m``-step difference of the series'
training part (the seasonal naive forecast's in-sample MAE); then the mean over
series. Both scripts score with :func:`mase` and measure with :func:`measure`, so
that every row of the table is scored and measured the same way, whichever
interpreter ran it.

Only the standard library and NumPy: the peers' interpreter (a separate virtual
environment with statsforecast) imports this file without sklstm.
"""

import contextlib
import time

import numpy as np

__all__ = ["mase", "measure", "read_panel", "scores", "write_panel"]


def mase(train, actual, forecast, m):
    """MASE of one series' forecast of its test part.

    ``train`` is the series' training part, ``actual`` and ``forecast`` its ``h``
    test values and their forecasts, ``m`` the seasonal period of the scale.
    """
    train = np.asarray(train, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    forecast = np.asarray(forecast, dtype=np.float64)
    if actual.shape != forecast.shape:
        raise ValueError(f"{forecast.shape} forecasts for {actual.shape} values")
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(actual - forecast)) / scale)


def scores(train, test, forecasts, m):
    """``{label: MASE}`` over the series of ``train`` (dicts of label -> values)."""
    return {
        label: mase(train[label], test[label], forecasts[label], m) for label in train
    }


def write_panel(path, train, test, h, m):
    """Save ``train`` and ``test`` (dicts of label -> values) with ``h`` and ``m``."""
    labels = list(train)
    np.savez(
        path,
        labels=np.array(labels, dtype=str),
        lengths=np.array([len(train[label]) for label in labels]),
        train=np.concatenate([train[label] for label in labels]),
        test=np.stack([test[label] for label in labels]),
        h=h,
        m=m,
    )


def read_panel(path):
    """``(train, test, h, m)`` as written by :func:`write_panel`."""
    with np.load(path) as data:
        labels = [str(label) for label in data["labels"]]
        bounds = np.r_[0, np.cumsum(data["lengths"])]
        train = {
            label: data["train"][bounds[i] : bounds[i + 1]]
            for i, label in enumerate(labels)
        }
        test = dict(zip(labels, data["test"], strict=True))
        return train, test, int(data["h"]), int(data["m"])


def _status_mib(field):
    """A ``Vm...`` field of /proc/self/status in MiB, or None off Linux."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak():
    """Reset the process' peak resident memory (VmHWM); False if impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


@contextlib.contextmanager
def measure():
    """Wall time, CPU time and peak resident memory of the ``with`` block.

    Yields a dict that gets ``seconds`` (wall), ``cpu_seconds`` (of this
    process, all its threads: less sensitive than the wall time to other
    processes on a shared machine) and ``peak_mib``: how far the process'
    resident memory rose above its level at the start of the block (Linux: the
    peak VmHWM, reset at the start through /proc/self/clear_refs, minus VmRSS at
    the start). ``peak_mib`` is NaN where the peak cannot be reset. Unlike
    tracemalloc, it counts memory allocated outside Python's allocator (numba,
    C++ extensions) and slows nothing down.
    """
    record = {}
    reset = _reset_peak()
    before = _status_mib("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield record
    finally:
        record["seconds"] = time.perf_counter() - start
        record["cpu_seconds"] = time.process_time() - cpu
        peak = _status_mib("VmHWM")
        ok = reset and peak is not None and before is not None
        record["peak_mib"] = max(peak - before, 0.0) if ok else float("nan")
