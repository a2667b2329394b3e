"""Time-aware preprocessing transformers (no TensorFlow import).

Every transformer keeps ``n`` rows in, ``n`` rows out, so that ``y`` stays
aligned in a plain :class:`~sklearn.pipeline.Pipeline`; the time-aware ones
never look ahead (output row ``t`` uses input rows ``<= t`` and what ``fit``
learned), except the imputer strategies "bfill" and "linear", which say so,
and, on the data ``fit`` saw itself, the imputer's leading-gap ``fallback``
and its "mean" and "median" strategies (see :class:`TimeSeriesImputer`).
"""

from sklstm.preprocessing._diff import DiffFeatures
from sklstm.preprocessing._impute import TimeSeriesImputer
from sklstm.preprocessing._lags import LagFeatures
from sklstm.preprocessing._log import LogTransformer
from sklstm.preprocessing._outliers import OutlierClipper
from sklstm.preprocessing._rolling import RollingFeatures
from sklstm.preprocessing._window import Windower

__all__ = [
    "DiffFeatures",
    "LagFeatures",
    "LogTransformer",
    "OutlierClipper",
    "RollingFeatures",
    "TimeSeriesImputer",
    "Windower",
]
