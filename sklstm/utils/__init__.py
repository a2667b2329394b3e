"""Utilities shared by sklstm's estimators: parallel searches and their progress.

Importing this package does not import TensorFlow.
"""

from sklstm.utils._progress import ProgressScorer
from sklstm.utils._search_threads import search_threads
from sklstm.utils._threads import tf_threads

__all__ = ["ProgressScorer", "search_threads", "tf_threads"]
