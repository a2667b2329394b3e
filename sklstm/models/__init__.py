"""Keras-backed estimators. Importing this package imports TensorFlow."""

from sklstm.models._classifier import LSTMClassifier
from sklstm.models._lstm import LSTMRegressor

__all__ = ["LSTMClassifier", "LSTMRegressor"]
