"""The ``sklstm`` command line: ``sklstm {demo,forecast,diagnose} ...``.

One module per command, each with ``add_arguments(parser)`` and ``run(args)``
(which returns the exit code): :mod:`sklstm.cli.demo`,
:mod:`sklstm.cli.forecast` and :mod:`sklstm.cli.diagnose`. They only handle
arguments and print; the work is the library's. What they share (the
user-facing :class:`CommandError`, safe output, :func:`read_series_csv`) lives
in one module. Importing this package does not import TensorFlow; a command
that needs it imports it inside ``run``.
"""

import argparse
import importlib
import os
import sys

from ._common import CommandError, read_series_csv

__all__ = ["CommandError", "build_parser", "main", "read_series_csv"]

# the commands, in the order ``sklstm --help`` lists them: module, one-line help
_COMMANDS = {
    "demo": (
        "sklstm.cli.demo",
        "Tune the sklstm recipe on a bundled series and compare it with baselines.",
    ),
    "forecast": (
        "sklstm.cli.forecast",
        "Backtest, choose and fit a forecaster on a CSV; write the forecast, a "
        "report and the model.",
    ),
    "diagnose": (
        "sklstm.cli.diagnose",
        "Print the data diagnosis of a CSV time series for LSTM forecasting.",
    ),
}


def build_parser():
    """The ``sklstm`` argument parser with its commands.

    Returns
    -------
    parser : argparse.ArgumentParser
        Parses ``[COMMAND, ARGS...]``; the chosen command's name is in
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
    for name, (module, help) in _COMMANDS.items():
        child = sub.add_parser(name, help=help, description=help)
        importlib.import_module(module).add_arguments(child)
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
    command = importlib.import_module(_COMMANDS[args.command][0])
    try:
        return int(command.run(args) or 0)
    except CommandError as exc:
        print(f"sklstm {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader closed the pipe (``sklstm diagnose ... | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
