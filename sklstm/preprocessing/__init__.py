"""Time-aware preprocessing transformers (no TensorFlow import).

Every transformer keeps ``n`` rows in, ``n`` rows out, so that ``y`` stays
aligned in a plain :class:`~sklearn.pipeline.Pipeline`; the time-aware ones
never look ahead (output row ``t`` uses input rows ``<= t`` and what ``fit``
learned), except the imputer strategies "bfill" and "linear", which say so,
and, on the data ``fit`` saw itself, the imputer's leading-gap ``fallback``
and its "mean" and "median" strategies (see :class:`TimeSeriesImputer`).

A *panel*, a DataFrame indexed by a two-level MultiIndex (series, time) with
the rows of each series contiguous and in time order, is computed series by
series: a series' first row is padded (or continued from that series' own
training end) as a single series' first row is, never computed from the
series above it. Fitted state that belongs to a series (history, fill values)
is kept per series in ``series_state_``; a series unseen in fit is padded and
reported with a :class:`~sklstm.exceptions.PaddingWarning`.
:class:`OutlierClipper` shares its bounds across series unless
``by_series=True``.
"""

from sklstm.preprocessing._calendar import CalendarFeatures
from sklstm.preprocessing._diff import DiffFeatures
from sklstm.preprocessing._impute import TimeSeriesImputer
from sklstm.preprocessing._lags import LagFeatures
from sklstm.preprocessing._log import LogTransformer
from sklstm.preprocessing._outliers import OutlierClipper
from sklstm.preprocessing._rolling import RollingFeatures
from sklstm.preprocessing._series_onehot import SeriesOneHot
from sklstm.preprocessing._series_scaler import SeriesScaler
from sklstm.preprocessing._window import Windower
from sklstm.preprocessing._windows import Windows

__all__ = [
    "CalendarFeatures",
    "DiffFeatures",
    "LagFeatures",
    "LogTransformer",
    "OutlierClipper",
    "RollingFeatures",
    "SeriesOneHot",
    "SeriesScaler",
    "TimeSeriesImputer",
    "Windower",
    "Windows",
]
