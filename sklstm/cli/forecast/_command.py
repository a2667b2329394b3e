"""``sklstm forecast``: from a CSV to a checked forecast, a report and a model.

1. Read and check the file as ``sklstm diagnose`` does, on its time grid;
   gaps interpolated, blank targets after the last observed one left out.
2. Print its diagnosis; the season ``--m`` defaults to the one found in the
   backtest's training part.
3. Backtest the tuned recipe against the baselines on the file's last rows,
   under the accuracy protocol (one progress line per fit of the tuning).
4. Choose the model with the lowest MASE; say so plainly when a baseline wins.
5. Refit the winner's settings on every row (not tuned again).
6. Forecast the next H values with their timestamps, and write the forecast
   CSV, the HTML report and, with ``--save``, the model: all whole or none.

``sklstm forecast --model model.joblib FILE.csv`` forecasts from a saved
model and the file's (newer) rows, with no fit. The steps live in
:mod:`sklstm.cli.forecast._data`, :mod:`sklstm.cli.forecast._backtest`,
:mod:`sklstm.cli.forecast._model` and :mod:`sklstm.cli.forecast._report`.
"""

import contextlib
import io
import sys
import time

from sklstm.cli._common import (
    CommandError,
    add_date_arguments,
    check_output,
    write_all,
)

__all__ = ["add_arguments", "run"]

_N_STEPS = 6
_DEFAULT_REPORT = "forecast-report.html"


def add_arguments(parser):
    """Arguments of ``sklstm forecast``."""
    parser.add_argument("file", metavar="FILE.csv", help="CSV, one row per time step")
    parser.add_argument("--target", metavar="COLUMN", help="the column to forecast")
    parser.add_argument("--horizon", type=int, metavar="H", help="steps to forecast")
    parser.add_argument(
        "--m",
        type=int,
        default=None,
        metavar="N",
        help="seasonal period in rows (default: the one the diagnosis finds, when "
        "the training part holds 4 of them; else 1)",
    )
    add_date_arguments(parser)
    parser.add_argument(
        "--freq",
        default=None,
        metavar="FREQ",
        help="the time step, a pandas frequency such as D, B (business days), "
        "W-SUN, MS, QS, YS, h; by default the one the dates show (missing "
        "timestamps become gaps)",
    )
    parser.add_argument(
        "--test-size",
        default="0.2",
        metavar="N|F",
        help="the backtest's test part: a number of rows or a fraction (default 0.2)",
    )
    parser.add_argument("--budget", default="default", choices=["quick", "default"])
    parser.add_argument("--n-jobs", type=int, default=None, metavar="N")
    parser.add_argument(
        "--coverage",
        default=None,
        metavar="F",
        help="also prediction intervals holding this share of values, e.g. 0.9",
    )
    parser.add_argument("--output", default="forecast.csv", metavar="PATH")
    parser.add_argument(
        "--report",
        default=None,
        metavar="PATH",
        help=f"the HTML report (default {_DEFAULT_REPORT}; not with --model)",
    )
    parser.add_argument("--save", default=None, metavar="PATH", help="keep the model")
    parser.add_argument(
        "--model",
        default=None,
        metavar="PATH",
        help="forecast with a model saved by --save, from FILE's rows (no fit)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random_state (default 0)")
    from sklstm.cli.forecast._future import add_arguments as add_future_arguments

    add_future_arguments(parser)


def run(args):
    """Carry out ``sklstm forecast``; returns the exit code."""
    if args.model is not None:
        return _run_saved(args)
    options = _check_options(args)
    log = io.StringIO()
    with contextlib.redirect_stdout(_Tee(sys.stdout, log)):
        state = _forecast(args, **options)
    _write(args, state, log.getvalue())
    return 0


class _Tee(io.TextIOBase):
    """Writes to the terminal and to the log of the report."""

    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self):
        for stream in self.streams:
            stream.flush()


def _step(number, text):
    print(f"[{number}/{_N_STEPS}] {text}", flush=True)


def _check_options(args):
    """Check the options before any work; return the parsed ones."""
    if args.target is None or args.horizon is None:
        raise CommandError("--target and --horizon are needed (or --model PATH).")
    if args.horizon < 1:
        raise CommandError(f"--horizon {args.horizon} must be an integer >= 1.")
    if args.m is not None and args.m < 1:
        raise CommandError(f"--m {args.m} must be an integer >= 1.")
    args.report = args.report or _DEFAULT_REPORT
    for option in ["output", "report", "save"]:
        if getattr(args, option) is not None:
            check_output(getattr(args, option), f"--{option}")
    return {"coverage": _coverage(args.coverage), "test_size": _test_size(args)}


def _coverage(text):
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 < value < 1:
        raise CommandError(
            f"--coverage {text!r} must be a number between 0 and 1 (e.g. 0.9)."
        )
    return value


def _test_size(args):
    text = args.test_size
    try:
        value = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            value = None
    if value is None or value <= 0 or (isinstance(value, float) and value >= 1):
        raise CommandError(
            f"--test-size {text!r} must be a number of rows >= 1 or a fraction "
            "between 0 and 1."
        )
    return value


def _forecast(args, *, coverage, test_size):
    """Steps 1 to 6; returns what the outputs are made of."""
    from sklstm.cli.forecast._backtest import choose

    started = time.perf_counter()
    data, known = _read(args)
    diagnosis, m, n_test = _diagnose(data, args, test_size)
    result = _backtest(data, args, m=m, n_test=n_test, coverage=coverage, known=known)
    _step(4, "the choice:")
    winner = choose(result)
    final = _refit(result, winner, data, coverage)
    future = _future(final, data, coverage, known)
    print(f"total {time.perf_counter() - started:.0f} s", flush=True)
    return dict(
        data=data,
        diagnosis=diagnosis,
        result=result,
        winner=winner,
        final=final,
        future=future,
        known=known,
    )


def _read(args):
    from sklstm.cli.forecast._data import read_data
    from sklstm.cli.forecast._future import describe, known_ahead
    from sklstm.cli.forecast._report import when

    data = read_data(
        args.file,
        args.target,
        args.date_column,
        date_format=args.date_format,
        freq=args.freq,
    )
    data, known = known_ahead(args, data, horizon=args.horizon)

    frame = data.frame
    span = f"{when(frame.index[0])} .. {when(frame.index[-1])}"
    _step(
        1,
        f"{args.file}: {len(frame)} rows of '{data.target}' ({span}), "
        f"step {data.freq or 'one row'}, inputs: {', '.join(frame.columns)}",
    )
    if data.dropped:
        print(f"      left out (not numeric): {', '.join(data.dropped)}")
    if data.n_trailing:
        print(f"      {data.trailing_note()}")
    if data.n_inserted:
        print(f"      {data.n_inserted} missing timestamps added as gaps")
    if data.raw.isna().any().any():
        n = int(data.raw.isna().sum().sum())
        print(f"      {n} gaps interpolated linearly (as the accuracy protocol does)")
    print(f"      {describe(known)}")
    return data, known


def _diagnose(data, args, test_size):
    """Print the diagnosis; return it, the season m and the test rows."""
    from sklstm.cli.forecast._data import too_few_rows
    from sklstm.diagnose import Diagnosis, diagnose_data
    from sklstm.forecasting._supervised import _resolve_n_test

    _step(2, "the diagnosis of the data:")
    X = data.raw.drop(columns=data.target)
    try:
        diagnosis = diagnose_data(X if X.shape[1] else None, data.raw[data.target])
        n_test = _resolve_n_test(test_size, len(data.frame))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    diagnosis = Diagnosis(
        [*diagnosis.findings, *data.notes],
        context=diagnosis.context,
        series=diagnosis.series,
        n_validation=diagnosis.n_validation,
    )
    print(
        "\n".join(
            ("      " + line).rstrip() for line in diagnosis.to_text().splitlines()
        )
    )
    problem = too_few_rows(len(data.frame), args.horizon, n_test)
    if problem:
        raise CommandError(problem)
    m = args.m or _season(data, len(data.frame) - n_test)
    return diagnosis, m, n_test


def _season(data, n_train):
    """The seasonal period of the training part, when it holds 4 of them.

    Only the first ``n_train`` rows are diagnosed: the test part must not
    choose the season of the models it scores.
    """
    from sklstm.diagnose import diagnose_data

    try:
        diagnosis = diagnose_data(None, data.raw[data.target].iloc[:n_train])
    except ValueError:
        diagnosis = {}
    period = None
    if "seasonal_period" in diagnosis:
        period = diagnosis["seasonal_period"].evidence.get("period")
    if period and 4 * period <= n_train:
        print(
            f"      season m={period} (the period found in the training part; "
            "--m to change)"
        )
        return int(period)
    print("      no season found in the training part (m=1; --m to give one)")
    return 1


def _backtest(data, args, *, m, n_test, coverage, known=None):
    from sklstm.cli.forecast._backtest import backtest

    _step(
        3,
        f"the backtest: each model fitted once on the first "
        f"{len(data.frame) - n_test} rows, scored on the last {n_test} "
        f"({args.horizon} step{'s' if args.horizon > 1 else ''} ahead from "
        f"every origin, true history; MASE scale: m={m})",
    )
    try:
        return backtest(
            data,
            horizon=args.horizon,
            n_test=n_test,
            m=m,
            budget=args.budget,
            seed=args.seed,
            n_jobs=args.n_jobs,
            coverage=coverage,
            future=None if known is None else known.columns,
        )
    except ValueError as exc:
        raise CommandError(f"the backtest failed: {exc}") from None


def _refit(result, winner, data, coverage):
    from sklstm.cli.forecast._backtest import refit

    _step(
        5,
        f"refitting {winner}'s settings on all {len(data.frame)} rows "
        "(the settings the backtest scored; not tuned again)",
    )
    try:
        final, seconds = refit(result, winner, data, coverage=coverage)
    except ValueError as exc:
        raise CommandError(f"refitting {winner} on all rows failed: {exc}") from None
    print(f"      fitted in {seconds:.1f} s", flush=True)
    return final


def _future(final, data, coverage, known=None):
    from sklstm.forecasting import forecast

    try:
        future = forecast(
            final,
            data.frame,
            future=None if known is None else known.values,
            coverage=coverage,
            name=data.target,
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    future = future.to_frame() if hasattr(future, "to_frame") else future
    future.index.name = data.frame.index.name or "step"
    _step(6, f"the next {len(future)} values:")
    text = future.to_string(float_format=lambda v: f"{v:.6g}")
    print("\n".join("      " + line for line in text.splitlines()), flush=True)
    return future


def _write(args, state, log):
    """Write the forecast CSV, the report and the model: all whole, or none."""
    from sklstm.cli.forecast._model import save_model
    from sklstm.cli.forecast._report import build_report

    html = build_report(log=log, **state)
    files = [
        (args.output, lambda p: state["future"].to_csv(p), "the forecast"),
        (args.report, lambda p: _write_text(p, html), "the report"),
    ]
    if args.save is not None:
        header = _header(args, state)
        files.append(
            (args.save, lambda p: save_model(p, state["final"], header), "the model")
        )
    write_all(files)
    for path, _, what in files:
        print(f"wrote {what}: {path}")


def _write_text(path, text):
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def _header(args, state):
    data, result = state["data"], state["result"]
    return {
        "target": data.target,
        "columns": list(data.frame.columns),
        "horizon": result.horizon,
        "m": result.m,
        "freq": data.freq,
        "coverage": result.coverage,
        "date_column": data.frame.index.name,
        "date_format": args.date_format,
        "model_name": state["winner"],
        "fitted_until": str(data.frame.index[-1]),
        "future_columns": [] if state["known"] is None else state["known"].columns,
    }


def _run_saved(args):
    """``--model``: forecast from a saved model and the file's rows, no fit."""
    from sklstm.cli.forecast._data import read_data
    from sklstm.cli.forecast._model import load_model

    if args.report is not None or args.save is not None:
        raise CommandError("--report and --save need a fit; not with --model.")
    check_output(args.output, "--output")
    model, header = load_model(args.model)
    _check_saved(args, header)
    date_column = args.date_column or header.get("date_column")
    data = read_data(
        args.file,
        header["target"],
        date_column,
        header["columns"],
        date_format=args.date_format or header.get("date_format"),
        freq=args.freq,
    )
    data, known = _saved_known_ahead(args, data, header, date_column)
    if header["freq"] != data.freq:
        raise CommandError(
            f"{args.file!r} has step {data.freq}, the model was fitted on step "
            f"{header['freq']} data."
        )
    print(
        f"{header['model_name']}, fitted by sklstm {header['sklstm_version']} "
        f"on data until {header['fitted_until']}; forecasting from "
        f"{data.frame.index[-1]}"
    )
    if data.n_trailing:
        print(data.trailing_note())
    future = _future(model, data, header["coverage"], known)
    write_all([(args.output, lambda p: future.to_csv(p), "the forecast")])
    print(f"wrote the forecast: {args.output}")
    return 0


def _saved_known_ahead(args, data, header, date_column):
    """What a saved model needs known ahead, read as at its fit; printed."""
    from sklstm.cli.forecast._future import describe, known_ahead

    columns = header.get("future_columns") or None
    if columns is None and (args.future or args.future_columns):
        raise CommandError(
            "--future and --future-columns: the saved model was fitted without "
            "columns known ahead; leave them out."
        )
    if columns is not None and args.future is None and args.future_columns is None:
        raise CommandError(
            f"the saved model was fitted with {', '.join(columns)} known ahead: "
            "give their next values with --future FUTURE.csv, or as the rows after "
            "the last target value with --future-columns "
            f"{','.join(columns)}."
        )
    data, known = known_ahead(
        args, data, horizon=header["horizon"], date_column=date_column, columns=columns
    )
    if known is not None:
        print(f"      {describe(known)}")
    return data, known


def _check_saved(args, header):
    for option, value in [("target", args.target), ("horizon", args.horizon)]:
        if value is not None and value != header[option]:
            raise CommandError(
                f"--{option} {value} differs from the saved model's "
                f"{header[option]}; refit to change it."
            )
