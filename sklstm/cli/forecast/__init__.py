"""``sklstm forecast``: from a CSV to a checked forecast, a report and a model.

The command (:mod:`._command`) runs its steps from :mod:`._data` (read and
regularize the file), :mod:`._future` (``--future``: columns known ahead),
:mod:`._backtest` (score, choose, refit), :mod:`._model` (``--save`` /
``--model``) and :mod:`._report` (the HTML page).
"""

from ._command import add_arguments, run

__all__ = ["add_arguments", "run"]
