"""Forecasting as supervised learning: framing, protocol split, metrics, baselines.

A series becomes ``X`` (row t: everything known at time t) and ``y`` (row t: the
target at t+1 .. t+h) with :func:`make_supervised`;
:func:`train_test_split_series` splits it as ACCURACY-PROTOCOL.md says, and
:func:`evaluate_forecaster` runs the whole protocol for one estimator. The
baselines are scikit-learn regressors in the same framing, so they are scored
exactly like a pipeline. :func:`forecast` gives the next values after the end of
a frame, indexed by their timestamps. :func:`to_panel` indexes a long frame of
many series by (series, time), the panel form. Nothing here imports TensorFlow.

Each of these also takes a panel, many series in one long frame indexed by a
MultiIndex (series, time): framing, split, scores and forecasts apply per
series, and :class:`PanelTimeSeriesSplit` gives time-ordered CV folds that
split on the time stamps shared by all series.
"""

from ._airline import AirlineForecaster
from ._combination import CombinedForecaster, SeriesChoiceForecaster
from ._conformal import ConformalForecaster
from ._coverage import interval_scores
from ._evaluate import evaluate_forecaster
from ._forecast import forecast
from ._metrics import forecast_scores, mean_absolute_scaled_error
from ._naive import NaiveForecaster, SeasonalNaiveForecaster
from ._panel import to_panel
from ._protocol_baselines import BASELINE_KINDS, protocol_baselines
from ._ridge import RidgeLagForecaster
from ._splits import PanelTimeSeriesSplit
from ._supervised import make_supervised, train_test_split_series

__all__ = [
    "BASELINE_KINDS",
    "AirlineForecaster",
    "CombinedForecaster",
    "ConformalForecaster",
    "NaiveForecaster",
    "PanelTimeSeriesSplit",
    "RidgeLagForecaster",
    "SeasonalNaiveForecaster",
    "SeriesChoiceForecaster",
    "evaluate_forecaster",
    "forecast",
    "forecast_scores",
    "interval_scores",
    "make_supervised",
    "mean_absolute_scaled_error",
    "protocol_baselines",
    "to_panel",
    "train_test_split_series",
]
