"""Keras-backed estimators. Importing this package imports TensorFlow."""

from sklstm.models._lstm import LSTMRegressor

__all__ = ["LSTMRegressor"]
