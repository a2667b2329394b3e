"""The ``sklstm`` command line: ``sklstm SUBCOMMAND ...``.

Subcommands live in a small registry so that each is one function pair, added
with :func:`add_subcommand`::

    def _add_demo_arguments(parser):
        parser.add_argument("--epochs", type=int, default=20)

    def _run_demo(args):
        ...
        return 0

    add_subcommand("demo", help="...", add_arguments=_add_demo_arguments,
                   run=_run_demo)

``run`` returns the exit code; raising :class:`CommandError` prints its message
on stderr and exits with status 1. Importing this module does not import
TensorFlow; a subcommand that needs it imports it inside ``run``.
"""

import argparse
import os
import sys
from dataclasses import dataclass

from sklstm._cli_common import CommandError
from sklstm._cli_csv import (
    check_target,
    is_numeric,
    read_series_csv,
    read_with_notes,
)

__all__ = ["CommandError", "add_subcommand", "build_parser", "main", "read_series_csv"]


@dataclass(frozen=True)
class _Subcommand:
    help: str
    add_arguments: object
    run: object


_SUBCOMMANDS: dict = {}


def add_subcommand(name, *, help, add_arguments, run):
    """Register a subcommand of the ``sklstm`` command.

    Parameters
    ----------
    name : str
        The subcommand, e.g. ``"diagnose"``.
    help : str
        One line shown by ``sklstm --help``.
    add_arguments : callable
        ``add_arguments(parser)`` adds the subcommand's arguments to its
        ``argparse.ArgumentParser``.
    run : callable
        ``run(args) -> int`` carries it out and returns the exit code; it may
        raise :class:`CommandError` for a clear message and exit code 1.

    Returns
    -------
    run : callable
        ``run``, unchanged.

    Raises
    ------
    ValueError
        If ``name`` is registered already or is not a non-empty string.

    Examples
    --------
    >>> from sklstm.cli import add_subcommand, main
    >>> def _add(parser):
    ...     parser.add_argument("who")
    >>> def _run(args):
    ...     print(f"hello {args.who}")
    ...     return 0
    >>> _ = add_subcommand("hello-doc", help="Say hello.", add_arguments=_add,
    ...                    run=_run)
    >>> main(["hello-doc", "world"])
    hello world
    0
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name={name!r} is invalid: it must be a non-empty string.")
    if name in _SUBCOMMANDS:
        raise ValueError(f"name={name!r} is invalid: that subcommand exists already.")
    _SUBCOMMANDS[name] = _Subcommand(help, add_arguments, run)
    return run


def build_parser():
    """The ``sklstm`` argument parser with every registered subcommand.

    Returns
    -------
    parser : argparse.ArgumentParser
        Parses ``[SUBCOMMAND, ARGS...]``; the chosen subcommand's name is in
        ``args.command``.

    Examples
    --------
    >>> from sklstm.cli import build_parser
    >>> args = build_parser().parse_args(["diagnose", "data.csv", "--target", "y"])
    >>> args.command, args.file, args.target, args.window
    ('diagnose', 'data.csv', 'y', None)
    """
    from sklstm import __version__

    parser = argparse.ArgumentParser(
        prog="sklstm",
        description="Accurate LSTM forecasting as scikit-learn components.",
    )
    parser.add_argument("--version", action="version", version=f"sklstm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in _SUBCOMMANDS.items():
        child = sub.add_parser(name, help=command.help, description=command.help)
        command.add_arguments(child)
    return parser


def main(argv=None):
    """Run the ``sklstm`` command line (the ``sklstm`` console script).

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        The exit code: 0 on success, 1 for an error the command reports
        (unreadable file, unknown column), 2 for a usage error.

    Examples
    --------
    >>> from sklstm.cli import main
    >>> main(["diagnose", "no-such-file.csv", "--target", "y"])
    1
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(_SUBCOMMANDS[args.command].run(args) or 0)
    except CommandError as exc:
        print(f"sklstm {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader closed the pipe (``sklstm diagnose ... | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


# --------------------------------------------------------------------------- #
# sklstm diagnose FILE.csv --target COLUMN [--window N]
# --------------------------------------------------------------------------- #
def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an int >= 1")
    return value


def _fraction(text):
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number in [0, 1)")
    return value


def _add_diagnose_arguments(parser):
    parser.add_argument(
        "file",
        metavar="FILE.csv",
        help="CSV file, one row per time step; its dates: see --date-column",
    )
    parser.add_argument(
        "--target", required=True, metavar="COLUMN", help="the column to forecast"
    )
    parser.add_argument(
        "--window",
        type=_positive_int,
        default=None,
        metavar="N",
        help="planned window length (timesteps per sample)",
    )
    parser.add_argument(
        "--date-column", default=None, metavar="COLUMN", help=_DATE_COLUMN_HELP
    )
    parser.add_argument(
        "--validation-fraction",
        type=_fraction,
        default=0.1,
        metavar="F",
        help="last fraction held out for early stopping (default 0.1)",
    )
    parser.add_argument(
        "--predictions",
        default=None,
        metavar="COLUMN",
        help="a column of forecasts of the target (empty where there is none): "
        "the forecasts are diagnosed against the target's actual values (an echo "
        "of the previous value, a flat line, a bias, worse than naive), the rows "
        "before the first forecast serve as training series",
    )
    parser.add_argument(
        "--m",
        type=_positive_int,
        default=1,
        metavar="N",
        help="seasonal period of the forecasts' MASE scale (default 1: naive)",
    )


_DATE_COLUMN_HELP = (
    "the column of dates; by default the first column of datetime type or whose "
    "every value parses as a date (numeric columns are never taken). The rows are "
    "sorted by it (the report says so when they were not in order); without one, "
    "rows are analysed in file order and gaps in time cannot be seen"
)


def _run_diagnose(args):
    from sklstm.diagnose import Diagnosis, diagnose_data

    frame, notes = read_with_notes(args.file, args.date_column)
    frame = check_target(frame, args.target, args.file)
    y = frame[args.target]
    X = frame.drop(columns=args.target)
    forecast = None
    if args.predictions is not None:
        X, forecast = _diagnose_predictions(args, X, y)
    try:
        diagnosis = diagnose_data(
            X if X.shape[1] else None,
            y,
            window=args.window,
            validation_fraction=args.validation_fraction,
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if notes or forecast is not None:
        diagnosis = Diagnosis(
            [*diagnosis.findings, *notes, *(forecast or [])],
            context=diagnosis.context,
            series=diagnosis.series,
            n_validation=diagnosis.n_validation,
        )
    print(diagnosis.to_text())
    return 0


def _diagnose_predictions(args, X, y):
    """Diagnose ``--predictions`` against the target; return (X without it, report)."""
    import numpy as np

    from sklstm.diagnose import diagnose_forecast

    if args.predictions not in X.columns:
        raise CommandError(
            f"--predictions {args.predictions!r} is not a column of {args.file!r} "
            f"(other than --target); its columns are: {', '.join(X.columns)}."
        )
    pred = X[args.predictions]
    if not is_numeric(pred):
        raise CommandError(
            f"--predictions {args.predictions!r} is not numeric (dtype {pred.dtype})."
        )
    rows = pred.notna().to_numpy() & y.notna().to_numpy()
    if not rows.any():
        raise CommandError(
            f"--predictions {args.predictions!r} has no row with both a forecast "
            f"and an actual value of {args.target!r}."
        )
    first = int(np.argmax(rows))
    history = y.iloc[:first].dropna().to_numpy(float)
    try:
        report = diagnose_forecast(
            y[rows].to_numpy(float),
            pred[rows].to_numpy(float),
            y_train=history if len(history) > args.m else None,
            m=args.m,
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return X.drop(columns=args.predictions), report


def _add_demo_arguments(parser):
    from sklstm._demo import add_arguments

    add_arguments(parser)


def _run_demo(args):
    from sklstm._demo import run

    return run(args)


add_subcommand(
    "demo",
    help="Tune the sklstm recipe on a bundled series and compare it with baselines.",
    add_arguments=_add_demo_arguments,
    run=_run_demo,
)


def _add_forecast_arguments(parser):
    from sklstm._forecast_command import add_arguments

    add_arguments(parser)


def _run_forecast(args):
    from sklstm._forecast_command import run

    return run(args)


add_subcommand(
    "forecast",
    help="Backtest, choose and fit a forecaster on a CSV; write the forecast, a "
    "report and the model.",
    add_arguments=_add_forecast_arguments,
    run=_run_forecast,
)

add_subcommand(
    "diagnose",
    help="Print the data diagnosis of a CSV time series for LSTM forecasting.",
    add_arguments=_add_diagnose_arguments,
    run=_run_diagnose,
)


if __name__ == "__main__":  # python -m sklstm.cli
    sys.exit(main())
