"""The windows the training engine streams from.

:class:`Windows` lives in :mod:`sklstm.preprocessing._windows`, with the
preprocessing that returns it on a panel (and imports no TensorFlow); the
models use it from here.
"""

from sklstm.preprocessing._windows import Windows, is_window_view

__all__ = ["Windows", "is_window_view"]
