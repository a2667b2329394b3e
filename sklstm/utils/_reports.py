"""Reports gathered while a block runs, warned about once at its end."""

import warnings
from contextlib import contextmanager


@contextmanager
def collect_once(reports_var, message, category):
    """Gather the reports made into ``reports_var`` inside; warn once at the end.

    ``message(reports)`` words the one warning of class ``category``. Nested
    uses report to the outermost one. No warning when the block raises.
    """
    if reports_var.get() is not None:
        yield
        return
    reports = []
    token = reports_var.set(reports)
    try:
        yield
    finally:
        reports_var.reset(token)
    if reports:
        # 1: this generator, 2: contextlib's __exit__, 3: the with-statement
        warnings.warn(message(reports), category, stacklevel=3)
