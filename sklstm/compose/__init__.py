"""Meta-estimators that compose sklstm components (no TensorFlow import)."""

from sklstm.compose._averaging import SeedAveragingRegressor
from sklstm.compose._residual import ResidualRegressor

__all__ = ["ResidualRegressor", "SeedAveragingRegressor"]
