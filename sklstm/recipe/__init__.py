"""sklstm's forecasting recipe: one Pipeline that applies every fix, and its search.

The recipe answers the seed article's three causes in one estimator:

* data preparation: causal imputation, outlier clipping, differencing (the
  "derivative" features), a moving average, scaling fitted inside the pipeline
  (no leakage), and windows of past rows for the LSTM;
* architecture: depth and width are grid parameters;
* regularization: dropout, L2 and early stopping, tuned by time-ordered
  cross-validation.

On top, the LSTM learns the *residual* of a baseline forecast through
:class:`~sklstm.compose.ResidualRegressor`, so that a network with bounded
activations does not have to extrapolate a trend, and a good linear model is
built on rather than competed with (Zhang's hybrid). The baseline is chosen by
time-ordered cross-validation on the training part (:func:`select_baseline`)
among the naive forecast, the seasonal naive forecast with the last season's
growth (one per period of ``m``), RidgeCV on lags of the levels
(:class:`~sklstm.forecasting.RidgeLagForecaster`) and RidgeCV on lags of the
(seasonally) differenced series, an ARIMA-like linear model.
:func:`tune_lstm_forecaster` then averages a few networks trained with
different seeds (:class:`~sklstm.compose.SeedAveragingRegressor`) and chooses,
again by validation score, how much of their correction to apply: when the
network adds nothing, the recipe predicts the baseline exactly and says so
(``best_params_["shrinkage"] == 0``). ``benchmarks/accuracy.py`` measures the
recipe against the classical models of the accuracy protocol; the README's
table holds its last run. Importing this module does not import TensorFlow;
building a recipe does.

One job per module: ``_build`` assembles the estimator
(:func:`make_lstm_forecaster`), ``_baselines`` holds the candidate baselines,
``_selection`` chooses among them (:func:`select_baseline`), ``_shrinkage``
scores the share of the correction inside the search, ``_tune`` runs the search
(:func:`tune_lstm_forecaster`), ``_tuned`` holds it as an estimator
(:class:`TunedLSTMForecaster`), and ``_folds`` holds the folds, scores and
argument checks they share.
"""

from ._build import make_lstm_forecaster
from ._selection import select_baseline
from ._shrinkage import SHRINKAGES
from ._tune import DEFAULT_PARAM_GRIDS, tune_lstm_forecaster
from ._tuned import TunedLSTMForecaster

__all__ = [
    "DEFAULT_PARAM_GRIDS",
    "SHRINKAGES",
    "TunedLSTMForecaster",
    "make_lstm_forecaster",
    "select_baseline",
    "tune_lstm_forecaster",
]
