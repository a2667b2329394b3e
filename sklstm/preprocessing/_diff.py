"""Differences between rows: :class:`DiffFeatures`."""

from numbers import Integral

import numpy as np

from sklstm.preprocessing._base import _FeatureMaker, _take_columns
from sklstm.utils._compat import Interval


class DiffFeatures(_FeatureMaker):
    """Add differences between rows (the discrete derivative), without dropping rows.

    The difference with period ``p`` is ``X[t] - X[t - p]``; ``order=2`` takes
    the difference of the difference, and so on.

    Parameters
    ----------
    order : int, default=1
        How many times to difference (``>= 1``).

    period : int, default=1
        Distance in rows between the two terms of a difference (``>= 1``); e.g.
        24 on hourly data for a day-over-day change.

    columns : None, str, int or list of str or int, default=None
        Columns to difference, by name or position. None uses every column.

    drop_original : bool, default=False
        Whether to drop the differenced columns from the output.

    warmup : {"edge", "constant", "nan"}, default="edge"
        Padding for the ``order * period`` rows before the data when there is
        no real history: the first row repeated ("edge", so the first
        differences are 0), ``fill_value`` ("constant") or NaN ("nan", the only
        choice that creates NaN).

    fill_value : float, default=0.0
        Value of the padding rows when ``warmup="constant"``.

    continuation : "auto" or bool, default="auto"
        Whether the data given to :meth:`transform` directly follows the
        training data, so that its first differences use the real end of the
        training data. See :class:`LagFeatures` for the rules.

    Attributes
    ----------
    columns_ : ndarray of int
        Positions of the differenced columns.

    history_ : ndarray of shape (order * period, ``n_features_in_``)
        Last training rows, used when ``transform`` continues the training data.

    last_index_ : object or None
        Last index value of the training data, if it had a usable index.

    n_features_out_ : int
        Number of output columns.

    series_ : pandas.Index
        Labels of the series, when fitted on a panel (only then).

    series_state_ : dict
        When fitted on a panel: per series label, its fitted state (the
        attributes above that belong to one series, e.g. ``history_``,
        ``last_index_``), which are then not set on the estimator itself.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    LagFeatures : Lagged copies of columns.
    RollingFeatures : Rolling-window statistics.

    Notes
    -----
    The new columns are named ``<column>_diff_<period>`` for ``order=1`` and
    ``<column>_diff<order>_<period>`` otherwise (``temp_diff_1``,
    ``temp_diff2_1``).

    In a :class:`~sklearn.pipeline.Pipeline`, call
    ``pipe.set_output(transform="pandas")`` so that the DataFrame index reaches
    every step; "auto" continuation relies on it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.preprocessing import DiffFeatures
    >>> X = np.array([[1.0], [2.0], [4.0], [7.0]])
    >>> DiffFeatures().fit_transform(X)
    array([[1., 0.],
           [2., 1.],
           [4., 2.],
           [7., 3.]])
    >>> DiffFeatures(order=2, drop_original=True).fit_transform(X)
    array([[0.],
           [1.],
           [1.],
           [1.]])
    """

    _parameter_constraints: dict = {
        **_FeatureMaker._parameter_constraints,
        "order": [Interval(Integral, 1, None, closed="left")],
        "period": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        order=1,
        period=1,
        columns=None,
        drop_original=False,
        warmup="edge",
        fill_value=0.0,
        continuation="auto",
    ):
        self.order = order
        self.period = period
        self.columns = columns
        self.drop_original = drop_original
        self.warmup = warmup
        self.fill_value = fill_value
        self.continuation = continuation

    def _check_parameters(self):
        pass

    def _n_history(self):
        return self.order * self.period

    def _too_short_message(self, n_samples):
        return (
            f"order={self.order}, period={self.period}: the differences need "
            f"order * period = {self._n_history()} earlier rows, which must be "
            f"< n_samples={n_samples} seen in fit."
        )

    def _suffixes(self):
        order = "" if self.order == 1 else str(self.order)
        return [f"diff{order}_{self.period}"]

    def _transform_array(self, X, continuation):
        out, start = self._allocate(X)
        p, block = self.period, out[:, start:]
        if self.order == 1:  # straight into the output, no extended copy
            Xs = _take_columns(X, self.columns_)
            m = min(p, X.shape[0])
            prefix = self._prefix(X, p, continuation, self.columns_)
            np.subtract(Xs[:m], prefix[:m], out=block[:m])
            np.subtract(Xs[m:], Xs[: X.shape[0] - m], out=block[m:])
            return out
        diff = self._extend(X, self._n_history(), continuation, self.columns_)
        for _ in range(self.order):
            diff = diff[p:] - diff[:-p]
        block[:] = diff
        return out
