"""One warning per call when rows are computed from padding.

Every time-aware step reports the padding it used with :func:`report_padding`.
Outside :func:`collect_padding` the report is a :class:`PaddingWarning` at once;
inside it (``ResidualRegressor.predict``, ``forecast``), the reports of every
step are gathered and turned into one warning when the call ends, so that a
pipeline of several steps warns once.
"""

import contextvars
import warnings
from contextlib import contextmanager

import numpy as np

from sklstm.exceptions import PaddingWarning
from sklstm.utils._reports import collect_once

__all__ = ["collect_padding", "gather_padding", "report_padding", "same_start"]

_REPORTS = contextvars.ContextVar("sklstm_padding_reports", default=None)


def same_start(X, head):
    """Whether ``X`` starts with the rows ``head`` (the first training rows).

    Then the rows of ``X`` that need padding were padded the same way in ``fit``:
    this is the training data (or a frame extending it), not new data.
    A copy in another float precision (float32 of float64 training data, the
    dtype Keras works in) is the same data: both are compared in the lower
    precision of the two.
    """
    n = min(len(X), len(head))
    if n == 0:
        return False
    X, head = np.asarray(X[:n]), np.asarray(head[:n])
    if X.dtype != head.dtype and X.dtype.kind == head.dtype.kind == "f":
        low = min(X.dtype, head.dtype, key=lambda d: d.itemsize)
        X, head = X.astype(low, copy=False), head.astype(low, copy=False)
    return bool(np.array_equal(X, head, equal_nan=True))


_FIX = (
    "Pass the rows before the ones you need (and keep the last outputs), or a "
    "DataFrame whose index continues the training index; to forecast past the end "
    "of a frame, use sklstm.forecasting.forecast(estimator, frame)."
)


def _message(reports):
    n_rows = max(r[2] for r in reports)
    if len(reports) == 1 and reports[0][4]:
        name, _, _, k, (series, n_series) = reports[0]
        return (
            f"{name} computed the first rows of {len(series)} of the {n_series} "
            f"series of X ({_labels(series)}) from padding, not from real "
            f"history: it needs the {k} rows before each row, and these series "
            "neither continue the index seen in fit for them nor start where "
            f"their training data did (a series unseen in fit has no history). {_FIX}"
        )
    if len(reports) == 1:
        name, n_padded, _, k, _ = reports[0]
        return (
            f"{name} computed the first {n_padded} of the {n_rows} rows of X from "
            f"padding, not from real history: it needs the {k} rows before "
            "each row, and X neither continues the index seen in fit nor starts "
            f"where the training data did. {_FIX}"
        )
    needs = ", ".join(f"{r[0]} {r[3]}" for r in reports)
    total = sum(r[3] for r in reports)
    return (
        f"The first {min(n_rows, total)} of the {n_rows} rows of X were computed "
        "from padding, not from real history: X neither continues the "
        "index seen in fit nor starts where the training data did, and the steps "
        f"need the rows before each row ({needs}: at most {total} rows of history "
        f"in all). {_FIX}"
    )


def _labels(series, most=5):
    shown = ", ".join(repr(label) for label in series[:most])
    return shown + (f" and {len(series) - most} more" if len(series) > most else "")


def report_padding(estimator, *, n_rows, n_history, series=None, n_series=None):
    """Record or warn that the first rows of a batch of ``n_rows`` were padded.

    For a panel, ``series`` lists the series whose first rows were padded, out
    of ``n_series``.
    """
    where = None if series is None else (list(series), n_series)
    report = (
        type(estimator).__name__,
        min(n_rows, n_history),
        n_rows,
        n_history,
        where,
    )
    reports = _REPORTS.get()
    if reports is not None:
        reports.append(report)
        return
    warnings.warn(_message([report]), PaddingWarning, stacklevel=4)


@contextmanager
def gather_padding():
    """Gather the padding reports made inside into the list it yields; never warn.

    For a caller that reports them itself, once (a panel, series by series).
    """
    reports = []
    token = _REPORTS.set(reports)
    try:
        yield reports
    finally:
        _REPORTS.reset(token)


def collect_padding():
    """Gather the padding reports of the steps run inside; warn once at the end.

    Nested uses report to the outermost one. No warning when the block raises.
    """
    return collect_once(_REPORTS, _message, PaddingWarning)
