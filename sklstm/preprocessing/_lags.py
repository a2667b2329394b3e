"""Lagged copies of columns: :class:`LagFeatures`."""

from numbers import Integral

from sklstm.preprocessing._base import _check_int_list, _FeatureMaker, _take_columns
from sklstm.utils._compat import Interval


class LagFeatures(_FeatureMaker):
    """Add lagged copies of columns, without dropping rows.

    Output row ``t`` holds ``X[t - lag]`` for every lag and every selected
    column. The first ``max(lags)`` rows have no such row: they are filled as if
    the rows before the data were known (the end of the training data, when
    the data being transformed continues it) or padded by ``warmup``.

    Parameters
    ----------
    lags : int or list of int, default=1
        An int ``k`` means the lags ``1, 2, ..., k``; a list gives the lags
        explicitly (each ``>= 1``, no duplicates).

    columns : None, str, int or list of str or int, default=None
        Columns to lag, by name (when ``X`` has feature names) or position.
        None lags every column.

    drop_original : bool, default=False
        Whether to drop the lagged columns from the output. Columns that are
        not lagged always pass through.

    warmup : {"edge", "constant", "nan"}, default="edge"
        Padding for the rows before the data when there is no real history:
        the first row repeated ("edge"), ``fill_value`` ("constant") or NaN
        ("nan", the only choice that creates NaN).

    fill_value : float, default=0.0
        Value of the padding rows when ``warmup="constant"``.

    continuation : "auto" or bool, default="auto"
        Whether the data given to :meth:`transform` directly follows the
        training data, so that its first rows are lagged from the real end of
        the training data. "auto" decides from the index: a pandas
        ``DatetimeIndex``, ``PeriodIndex`` or increasing integer index whose
        first label is the one right after the last training label (for an
        irregular index: any later label; a gap means no continuation). True
        declares it (for
        plain arrays), False never uses the training data.
        :meth:`fit_transform` never uses it.

    Attributes
    ----------
    lags_ : list of int
        The lags, expanded from ``lags``.

    columns_ : ndarray of int
        Positions of the lagged columns.

    history_ : ndarray of shape (max(``lags_``), ``n_features_in_``)
        Last training rows, used as history when ``transform`` continues the
        training data.

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
    RollingFeatures : Rolling-window statistics.
    DiffFeatures : Differences between rows.
    Windower : 3-D windows for recurrent networks.

    Notes
    -----
    Output columns are the kept original columns followed by one block per lag,
    named ``<column>_lag_<lag>`` (e.g. ``temp_lag_3``).

    In a :class:`~sklearn.pipeline.Pipeline`, call
    ``pipe.set_output(transform="pandas")`` so that the DataFrame index reaches
    every step; "auto" continuation relies on it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.preprocessing import LagFeatures
    >>> X = np.array([[1.0], [2.0], [4.0], [7.0]])
    >>> LagFeatures(lags=2).fit_transform(X)
    array([[1., 1., 1.],
           [2., 1., 1.],
           [4., 2., 1.],
           [7., 4., 2.]])
    >>> lagger = LagFeatures(lags=[1], continuation=True).fit(X)
    >>> lagger.transform(np.array([[11.0], [16.0]]))
    array([[11.,  7.],
           [16., 11.]])
    >>> lagger.get_feature_names_out(["temp"])
    array(['temp', 'temp_lag_1'], dtype=object)
    """

    _parameter_constraints: dict = {
        **_FeatureMaker._parameter_constraints,
        "lags": [Interval(Integral, 1, None, closed="left"), "array-like"],
    }

    def __init__(
        self,
        *,
        lags=1,
        columns=None,
        drop_original=False,
        warmup="edge",
        fill_value=0.0,
        continuation="auto",
    ):
        self.lags = lags
        self.columns = columns
        self.drop_original = drop_original
        self.warmup = warmup
        self.fill_value = fill_value
        self.continuation = continuation

    def _check_parameters(self):
        if isinstance(self.lags, Integral):
            self.lags_ = list(range(1, int(self.lags) + 1))
        else:
            self.lags_ = _check_int_list("lags", self.lags)

    def _n_history(self):
        return max(self.lags_)

    def _too_short_message(self, n_samples):
        return (
            f"lags={self.lags!r}: the largest lag ({max(self.lags_)}) must be "
            f"< n_samples={n_samples} seen in fit."
        )

    def _suffixes(self):
        return [f"lag_{lag}" for lag in self.lags_]

    def _transform_array(self, X, continuation):
        out, start = self._allocate(X)
        cols = self.columns_
        n, c, k = X.shape[0], len(cols), self._n_history()
        prefix = self._prefix(X, k, continuation, cols)
        Xs = _take_columns(X, cols)
        for i, lag in enumerate(self.lags_):
            block = out[:, start + i * c : start + (i + 1) * c]
            m = min(lag, n)
            block[:m] = prefix[k - lag : k - lag + m]
            block[m:] = Xs[: n - m]
        return out
