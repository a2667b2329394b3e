"""sklstm: accurate LSTM forecasting as scikit-learn components.

``import sklstm`` is cheap: it does not import TensorFlow. The Keras-backed
estimators (:class:`sklstm.LSTMRegressor`, :class:`sklstm.LSTMClassifier`) are
loaded on first access.
"""

import importlib

from sklstm.compose import ResidualRegressor, SeedAveragingRegressor
from sklstm.preprocessing import (
    CalendarFeatures,
    DiffFeatures,
    LagFeatures,
    LogTransformer,
    OutlierClipper,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)

__version__ = "0.1.0.dev0"

# name -> submodule that defines it; loaded on first attribute access so that
# ``import sklstm`` never imports TensorFlow.
_LAZY = {
    "LSTMClassifier": "sklstm.models",
    "LSTMRegressor": "sklstm.models",
}
_SUBMODULES = [
    "cli",
    "compose",
    "datasets",
    "diagnose",
    "exceptions",
    "forecasting",
    "models",
    "preprocessing",
    "recipe",
    "utils",
]

__all__ = [
    "CalendarFeatures",
    "DiffFeatures",
    "LSTMClassifier",
    "LSTMRegressor",
    "LagFeatures",
    "LogTransformer",
    "OutlierClipper",
    "ResidualRegressor",
    "RollingFeatures",
    "SeedAveragingRegressor",
    "TimeSeriesImputer",
    "Windower",
    "__version__",
]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"sklstm.{name}")
    raise AttributeError(f"module 'sklstm' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))
