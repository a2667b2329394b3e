"""``sklstm diagnose FILE.csv --target COLUMN``: the data diagnosis of a CSV series.

Reads the file as every command does (:func:`sklstm.cli.read_series_csv`),
runs :func:`sklstm.diagnose.diagnose_data` on the target and the other
columns and prints the report; with ``--predictions COLUMN`` also diagnoses
a column of forecasts against the target with
:func:`sklstm.diagnose.diagnose_forecast`.
"""

from ._common import (
    CommandError,
    add_date_arguments,
    check_target,
    fraction,
    is_numeric,
    positive_int,
    read_with_notes,
)

__all__ = ["add_arguments", "run"]


def add_arguments(parser):
    """Arguments of ``sklstm diagnose``."""
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
        type=positive_int,
        default=None,
        metavar="N",
        help="planned window length (timesteps per sample)",
    )
    add_date_arguments(parser)
    parser.add_argument(
        "--validation-fraction",
        type=fraction,
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
        type=positive_int,
        default=1,
        metavar="N",
        help="seasonal period of the forecasts' MASE scale (default 1: naive)",
    )


def run(args):
    """Carry out ``sklstm diagnose``; returns the exit code."""
    from sklstm.diagnose import Diagnosis, diagnose_data

    frame, notes = read_with_notes(args.file, args.date_column, args.date_format)
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
