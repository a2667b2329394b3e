"""Diagnose inaccurate LSTM forecasts: data problems and training problems.

The three causes of inaccurate LSTM forecasts -- data preparation,
architecture, regularization -- show up as numbers in the data and in the
training history. :func:`diagnose_data` checks X and y before any model,
:func:`diagnose_training` checks a fitted :class:`~sklstm.LSTMRegressor` or
:class:`~sklstm.LSTMClassifier` (also
inside a ``Pipeline``, a search or a ``TransformedTargetRegressor``), and
:func:`diagnose_forecast` checks the forecasts against the actual values
(an echo of the last value, a flat line, a bias, worse than naive), and
:func:`diagnose` runs them all. Each returns a :class:`Diagnosis` of
:class:`Finding` objects, each with its evidence and its fix as sklstm settings.

Importing this package does not import TensorFlow.
"""

from sklstm.diagnose._data import diagnose_data
from sklstm.diagnose._diagnose import diagnose
from sklstm.diagnose._forecast import diagnose_forecast
from sklstm.diagnose._report import Diagnosis, Finding
from sklstm.diagnose._training import diagnose_training

__all__ = [
    "Diagnosis",
    "Finding",
    "diagnose",
    "diagnose_data",
    "diagnose_forecast",
    "diagnose_training",
]
