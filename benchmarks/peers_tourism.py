"""The peers' rows of benchmarks/competitions.py: statsforecast on the Tourism panels.

Run by ``competitions.py --peers-python PATH`` under another interpreter (a virtual
environment with statsforecast, never a dependency of sklstm), on the panel that
competitions.py wrote (:func:`_tourism_protocol.write_panel`): every model forecasts
each series' test part from its training part (``StatsForecast.forecast``, one
process, ``n_jobs=1``), scored with the same :func:`_tourism_protocol.mase` and
measured with the same :func:`_tourism_protocol.measure` as sklstm's rows. Each
model is warmed up on one series first (untimed), so that one-off compilation
or import costs are not counted. Prints one line of JSON: per model, the MASE of
every series, the wall time and the peak memory (or the error), plus the versions.

Usage (normally through competitions.py)::

    /work/venvs/peers/bin/python benchmarks/peers_tourism.py \\
        --panel panel.npz --models AutoETS AutoTheta
"""

import argparse
import json
import platform
import sys
import traceback

import numpy as np
import pandas as pd
import statsforecast
from _tourism_protocol import measure, read_panel, scores
from statsforecast import StatsForecast
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

PEERS = {
    "AutoETS": lambda m: AutoETS(season_length=m),
    "AutoTheta": lambda m: AutoTheta(season_length=m),
    "AutoARIMA": lambda m: AutoARIMA(season_length=m),
}


def _long_frame(train):
    """statsforecast's long frame; integer time stamps, every series ending at 0."""
    return pd.DataFrame(
        {
            "unique_id": np.repeat(list(train), [len(v) for v in train.values()]),
            "ds": np.concatenate([np.arange(1 - len(v), 1) for v in train.values()]),
            "y": np.concatenate(list(train.values())),
        }
    )


def _forecasts(name, m, frame, h):
    """``{label: h forecasts}`` of one model fitted on each series of ``frame``."""
    model = PEERS[name](m)
    out = StatsForecast(models=[model], freq=1, n_jobs=1).forecast(df=frame, h=h)
    out = out.reset_index() if "unique_id" not in out.columns else out
    return {
        label: group.sort_values("ds")[repr(model)].to_numpy(dtype=np.float64)
        for label, group in out.groupby("unique_id", sort=False)
    }


def run(name, train, test, h, m):
    """The record of one model: per-series MASE, seconds and peak memory."""
    frame = _long_frame(train)
    first = frame["unique_id"].iloc[0]
    _forecasts(name, m, frame[frame["unique_id"] == first], h)  # warm-up, untimed
    try:
        with measure() as record:
            forecasts = _forecasts(name, m, frame, h)
        record["mase"] = scores(train, test, forecasts, m)
    except Exception as exc:  # a row that crashed is reported, not fatal
        traceback.print_exc()
        return {"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panel", required=True, help="from write_panel")
    parser.add_argument("--models", nargs="+", default=list(PEERS), choices=PEERS)
    args = parser.parse_args(argv)
    train, test, h, m = read_panel(args.panel)
    result = {
        "versions": {
            "python": platform.python_version(),
            "statsforecast": statsforecast.__version__,
            "pandas": pd.__version__,
            "numpy": np.__version__,
        },
        "models": {},
    }
    for name in args.models:
        result["models"][name] = run(name, train, test, h, m)
        print(f"{name}: done", file=sys.stderr, flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
