"""Time-ordered validation folds: the recipe's, and a panel's split on time stamps."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.model_selection import BaseCrossValidator, TimeSeriesSplit

__all__ = [
    "PanelTimeSeriesSplit",
    "min_train_rows",
    "purge_target_overlap",
    "recipe_cv",
]


def recipe_cv(n_samples, n_splits):
    """The recipe's time-ordered folds: validation on the last half of the rows.

    ``TimeSeriesSplit``'s default folds split the rows into ``n_splits + 1``
    blocks, so its first model trains on a quarter of them (3 folds): a poor
    stand-in for the final model, which trains on all. Here the ``n_splits``
    validation blocks share the last half of the rows, so every model trains on
    at least half.
    """
    return TimeSeriesSplit(
        n_splits=n_splits, test_size=max(1, n_samples // (2 * n_splits))
    )


def min_train_rows(n_samples, n_splits):
    """Rows in the first (smallest) training fold of :func:`recipe_cv`."""
    return n_samples - n_splits * max(1, n_samples // (2 * n_splits))


def purge_target_overlap(folds, X, horizon):
    """Folds whose training targets all end before their validation targets.

    Row t's targets are the values at t+1 .. t+``horizon``, so a training row
    less than ``horizon`` steps before a fold's first validation row has a
    target among the validation targets: such training rows (and any after
    the first validation row) are left out, a gap of ``horizon - 1`` rows
    (time stamps of a panel, shared by its series) as ``TimeSeriesSplit(gap=)``
    leaves. Validation rows are kept.

    Returns ``(train, bridge, test)`` per fold: ``bridge`` holds the rows
    between the last training row and the first validation row, the inputs
    to predict the validation rows from (a forecaster that lags its inputs
    computes the first validation rows from them, not from padding). Raises
    a ValueError when a fold keeps no training row.
    """
    times = _time_codes(X)[0] if _is_two_level(X) else np.arange(len(X))
    purged = []
    for number, (train, test) in enumerate(folds):
        start = times[test].min()
        keep = train[times[train] <= start - horizon]
        if len(keep) == 0:
            raise ValueError(
                f"fold {number} has no training row {horizon} steps before its "
                f"first validation row (targets reach {horizon} steps ahead)"
            )
        bridge = np.flatnonzero((times > times[keep].max()) & (times < start))
        purged.append((keep, bridge, test))
    return purged


def _is_two_level(X):
    index = getattr(X, "index", None)
    return isinstance(index, pd.MultiIndex) and index.nlevels == 2


def _check_splitter_params(splitter):
    """Raise a ValueError naming the first bad parameter of ``splitter``."""

    def is_int(value, low):
        return (
            isinstance(value, Integral) and not isinstance(value, bool) and value >= low
        )

    if not is_int(splitter.n_splits, 2):
        raise ValueError(
            f"n_splits={splitter.n_splits!r} must be an integer >= 2 (the number "
            "of time-ordered folds)."
        )
    test_size = splitter.test_size
    if not (test_size is None or test_size == "last_half" or is_int(test_size, 1)):
        raise ValueError(
            f"test_size={test_size!r} must be None (TimeSeriesSplit's blocks), "
            "'last_half' (the folds share the last half of the time stamps) or an "
            "integer >= 1 (time stamps per fold)."
        )
    if not is_int(splitter.gap, 0):
        raise ValueError(
            f"gap={splitter.gap!r} must be an integer >= 0 (time stamps left out "
            "between each training part and its test part)."
        )
    if not (splitter.max_train_size is None or is_int(splitter.max_train_size, 1)):
        raise ValueError(
            f"max_train_size={splitter.max_train_size!r} must be None or an "
            "integer >= 1 (time stamps)."
        )


def _time_codes(X):
    """Each row's position among the sorted unique time stamps of a panel."""
    index = getattr(X, "index", None)
    if not (isinstance(index, pd.MultiIndex) and index.nlevels == 2):
        raise TypeError(
            "X must be a panel: a pandas DataFrame or Series indexed by a two-level "
            f"MultiIndex (series, time); got {type(X).__name__}"
            + ("" if index is None else f" with a {type(index).__name__}")
            + ". For one series, use sklearn.model_selection.TimeSeriesSplit."
        )
    codes, times = pd.factorize(index.get_level_values(1), sort=True)
    if (codes < 0).any():
        raise ValueError(
            f"The time level of X has {int((codes < 0).sum())} missing time stamps; "
            "every row needs its time."
        )
    return codes, len(times)


class PanelTimeSeriesSplit(BaseCrossValidator):
    """Time-ordered folds of a panel, split on time stamps shared by all series.

    A panel holds many series in one long frame indexed by a MultiIndex
    (series, time). scikit-learn's
    :class:`~sklearn.model_selection.TimeSeriesSplit` splits its *rows*, so a
    fold would train on the end of one series, which may lie after the test
    rows of the next series. This splitter splits the sorted unique *time
    stamps* of the panel like ``TimeSeriesSplit`` splits rows, then gives every
    row of every series whose time stamp is in a fold's training (test) stamps
    to that fold's training (test) part: no fold trains on a time stamp after
    one it tests on, in any series.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    max_train_size : int, default=None
        Most time stamps in a training part (the latest ones); None: all before
        the test part.
    test_size : int, 'last_half' or None, default=None
        Time stamps per test part. None: ``n_times // (n_splits + 1)``, as in
        ``TimeSeriesSplit``. ``'last_half'``: ``n_times // (2 * n_splits)``
        (at least 1), so the test parts share the last half of the time stamps
        and every model trains on at least the first half, as the folds of
        sklstm's recipe do.
    gap : int, default=0
        Time stamps left out between each training part and its test part.

    See Also
    --------
    sklearn.model_selection.TimeSeriesSplit : The same folds over the rows of one
        series.
    make_supervised : Frames a panel series by series.

    Notes
    -----
    ``split`` does not need the rows sorted: it yields row positions of ``X``
    in ``X``'s order. Series may start and end at different times (a ragged
    panel); a fold holds the rows of each series that fall in its time
    stamps, and a series with none there is simply absent from it: one with
    no training rows is unseen by that fold's model (sklstm's estimators
    forecast it by a stated fallback, named in one
    :class:`~sklstm.exceptions.UnseenSeriesWarning`), one with no test rows
    is not scored there. With the framing of
    :func:`make_supervised`, row t's targets run to t + horizon, so the
    training targets of a fold reach ``horizon`` stamps past its last training
    row; ``gap=horizon - 1`` keeps them before the test rows' targets.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.forecasting import PanelTimeSeriesSplit
    >>> panel = pd.DataFrame(
    ...     {"sales": range(12)},
    ...     index=pd.MultiIndex.from_product([["a", "b"], range(6)],
    ...                                      names=["store", "day"]),
    ... )
    >>> cv = PanelTimeSeriesSplit(n_splits=2)
    >>> for train, test in cv.split(panel):
    ...     print(train, test)
    [0 1 6 7] [2 3 8 9]
    [0 1 2 3 6 7 8 9] [ 4  5 10 11]
    >>> for train, test in PanelTimeSeriesSplit(2, test_size="last_half").split(panel):
    ...     print(panel.index[test].tolist())
    [('a', 4), ('b', 4)]
    [('a', 5), ('b', 5)]
    """

    def __init__(self, n_splits=5, *, max_train_size=None, test_size=None, gap=0):
        self.n_splits = n_splits
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap

    def split(self, X, y=None, groups=None):
        """Yield the row positions of each fold's training and test parts.

        Parameters
        ----------
        X : pandas.DataFrame or pandas.Series
            The panel, indexed by a MultiIndex (series, time).
        y : object
            Ignored; there for the scikit-learn API.
        groups : object
            Ignored; there for the scikit-learn API.

        Yields
        ------
        train : ndarray of int
            Positions (``X.iloc``) of the rows whose time stamps are in the
            fold's training part.
        test : ndarray of int
            Positions of the rows whose time stamps are in its test part.

        Raises
        ------
        TypeError
            If ``X`` is not indexed by a two-level MultiIndex.
        ValueError
            For a bad parameter, or too few time stamps for the folds.
        """
        _check_splitter_params(self)
        codes, n_times = _time_codes(X)
        test_size = self.test_size
        if test_size == "last_half":
            test_size = max(1, n_times // (2 * self.n_splits))
        fold_size = n_times // (self.n_splits + 1) if test_size is None else test_size
        if fold_size < 1 or n_times - self.gap - self.n_splits * fold_size < 1:
            raise ValueError(
                f"n_splits={self.n_splits} with test_size={self.test_size!r} and "
                f"gap={self.gap} need more time stamps than the {n_times} of X."
            )
        splitter = TimeSeriesSplit(
            n_splits=self.n_splits,
            max_train_size=self.max_train_size,
            test_size=test_size,
            gap=self.gap,
        )
        for train, test in splitter.split(np.empty((n_times, 0))):
            yield (
                np.flatnonzero((codes >= train[0]) & (codes <= train[-1])),
                np.flatnonzero((codes >= test[0]) & (codes <= test[-1])),
            )

    def get_n_splits(self, X=None, y=None, groups=None):
        """The number of folds, ``n_splits``.

        Parameters
        ----------
        X, y, groups : object
            Ignored; there for the scikit-learn API.

        Returns
        -------
        n_splits : int
        """
        _check_splitter_params(self)
        return self.n_splits
