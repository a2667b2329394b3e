"""Warnings raised by sklstm.

All are :class:`UserWarning` subclasses, so that they can be filtered on their
own (``warnings.simplefilter("error", PaddingWarning)`` in tests, for example).
"""

__all__ = [
    "LogSpaceWarning",
    "MissingTargetWarning",
    "PaddingWarning",
    "UnseenSeriesWarning",
]


class PaddingWarning(UserWarning):
    """Rows were computed from padding instead of the rows before them.

    A time-aware step (lags, rolling statistics, differences, windows, a
    seasonal or lag baseline) computes each row from the rows before it. When
    ``transform`` or ``predict`` gets data that neither continues the index seen
    in ``fit`` nor starts where the training data started (a lone row, a slice
    from the middle, a NumPy array), the rows before its first rows are unknown
    and are filled by padding (``warmup``): their outputs are not the ones the
    model would give with the real history.

    Fix it by passing the rows before the ones you need (at least the history
    length the warning names) and keeping the last outputs, or a DataFrame whose
    index continues the training index.
    :func:`sklstm.forecasting.forecast` forecasts past the end of a frame.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sklstm.exceptions import PaddingWarning
    >>> from sklstm.preprocessing import LagFeatures
    >>> lagger = LagFeatures(lags=2).fit(np.arange(10.0).reshape(-1, 1))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = lagger.transform([[20.0]])
    >>> caught[0].category is PaddingWarning
    True
    """


class MissingTargetWarning(UserWarning):
    """Rows whose target is unknown (NaN) were left out of training.

    Examples
    --------
    >>> from sklstm.exceptions import MissingTargetWarning
    >>> issubclass(MissingTargetWarning, UserWarning)
    True
    """


class LogSpaceWarning(UserWarning):
    """Columns that cannot be logged pass through outside log space.

    :class:`sklstm.preprocessing.LogTransformer` (and the recipe with
    ``log=True``) logs the target and the columns that are strictly positive
    in the training data; a column holding a value <= 0 there (a 0/1 dummy, a
    signed covariate) passes through unchanged, and this warning names it.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sklstm.exceptions import LogSpaceWarning
    >>> from sklstm.preprocessing import LogTransformer
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = LogTransformer().fit(np.array([[1.0, -1.0], [2.0, 1.0]]))
    >>> caught[0].category is LogSpaceWarning
    True
    """


class UnseenSeriesWarning(PaddingWarning):
    """Series of a panel had no fitted state of their own: a fallback served them.

    Real panels are ragged: a series may start after the training data (or a
    cross-validation fold's training part) ends, appear only at forecast time
    (a new store, a new product), or be too short in fit for a step's lags,
    windows or season. Such a series has no history, bounds, statistics or
    model learned from it, so every estimator that keeps one per series uses
    a stated fallback for it (its own rows in ``X`` where that is causal,
    statistics of all training series, or a simpler forecast: the recipe's
    baseline alone, the airline model's seasonal naive forecast). One warning
    per call names how many series, the first few labels and the fallbacks.

    A subclass of :class:`PaddingWarning`: such a series' first rows are
    computed from padding too, as a frame that does not continue the
    training data is.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from sklstm.exceptions import UnseenSeriesWarning
    >>> from sklstm.preprocessing import SeriesScaler
    >>> panel = pd.DataFrame(
    ...     {"y": [1.0, 2.0, 3.0, 10.0, 20.0, 30.0]},
    ...     index=pd.MultiIndex.from_product([["a", "b"], [1, 2, 3]]))
    >>> scaler = SeriesScaler().fit(panel.loc[["a"]])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = scaler.transform(panel)
    >>> caught[0].category is UnseenSeriesWarning
    True
    >>> print(str(caught[0].message)[:56])
    1 of the 2 series of X ('b') were not seen in fit (or to
    """
