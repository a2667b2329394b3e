"""Standardize every column of a panel per series, with that series' training rows."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from sklstm.preprocessing._base import _validate_X
from sklstm.preprocessing._panel import matching_panel
from sklstm.utils._compat import _fit_context
from sklstm.utils._panel import panel_of, report_unseen


class SeriesScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardize every column, each series of a panel on its own statistics.

    On a panel (a DataFrame indexed by a (series, time) MultiIndex) every
    series is centred and scaled with the mean and standard deviation of its
    own rows seen in :meth:`fit`, so that series of very different levels
    reach a global model on one scale. On data that is not a panel it is
    :class:`~sklearn.preprocessing.StandardScaler` (the same numbers).

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract each series' mean.
    with_std : bool, default=True
        Divide by each series' standard deviation (a constant column: by 1).

    Attributes
    ----------
    mean_ : ndarray of shape (``n_features_in_``,) or (n_series, ``n_features_in_``)
        Mean of every column; one row per series (in the order of
        ``series_``) when fitted on a panel. None when neither ``with_mean``
        nor ``with_std``.
    scale_ : ndarray, same shape as ``mean_``
        Standard deviation of every column (1 where it is 0). None when
        ``with_std=False``.
    pooled_mean_ : ndarray of shape (``n_features_in_``,)
        When fitted on a panel: the mean of all its rows, used for a series
        unseen in fit.
    pooled_scale_ : ndarray of shape (``n_features_in_``,)
        When fitted on a panel: the standard deviation of all its rows, used
        for a series unseen in fit.
    series_ : pandas.Index
        Labels of the series, when fitted on a panel (only then).
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : One set of statistics for all rows.
    OutlierClipper : Bounds per series with ``by_series=True``.

    Notes
    -----
    The statistics come from the rows given to :meth:`fit` only: a later row
    is scaled with what the training rows of its series taught, never with
    statistics of the data being transformed (no look-ahead). A series unseen
    in fit is scaled with the statistics of all training rows together, and
    named in one :class:`~sklstm.exceptions.UnseenSeriesWarning`.
    NaN passes through (and is left out of the statistics). ``n`` rows in,
    ``n`` rows out, in the same order.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.preprocessing import SeriesScaler
    >>> index = pd.MultiIndex.from_product([["small", "large"], [1, 2, 3]])
    >>> X = pd.DataFrame({"y": [1.0, 2.0, 3.0, 1000.0, 2000.0, 3000.0]}, index=index)
    >>> SeriesScaler().fit_transform(X).ravel().round(3).tolist()
    [-1.225, 0.0, 1.225, -1.225, 0.0, 1.225]
    """

    _parameter_constraints: dict = {
        "with_mean": ["boolean"],
        "with_std": ["boolean"],
    }

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the mean and standard deviation of every column (per series).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; a panel is fitted series by series.
        y : None
            Ignored.

        Returns
        -------
        self : SeriesScaler
            The fitted scaler.
        """
        X_arr, _ = _validate_X(self, X, reset=True)
        for attr in ("series_", "pooled_mean_", "pooled_scale_"):
            self.__dict__.pop(attr, None)
        panel = panel_of(X)
        self.mean_, self.scale_ = self._statistics(X_arr)
        if panel is not None:
            self.pooled_mean_, self.pooled_scale_ = self.mean_, self.scale_
            per_series = [
                self._statistics(X_arr[rows]) for _, rows, _ in panel.segments()
            ]
            self.mean_, self.scale_ = (
                None if stats[0] is None else np.stack(stats)
                for stats in zip(*per_series, strict=True)
            )
            self.series_ = pd.Index(panel.labels)
        return self

    def _statistics(self, X):
        scaler = StandardScaler(with_mean=self.with_mean, with_std=self.with_std)
        scaler.fit(X)
        return scaler.mean_, scaler.scale_

    def transform(self, X):
        """Standardize ``X`` with the statistics of fit (of each row's series).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to scale; a panel if fit saw one.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
            Scaled data.
        """
        check_is_fitted(self)
        X_arr, _ = _validate_X(self, X, reset=False)
        mean, scale = self._row_statistics(X)
        out = X_arr.copy()
        if self.with_mean:
            out -= mean
        if self.with_std:
            out /= scale
        return out

    def _row_statistics(self, X):
        """The mean and scale of every row (broadcastable), checked for panels."""
        panel = matching_panel(self, X, fitted_on_panel="series_" in self.__dict__)
        if panel is None:
            return self.mean_, self.scale_
        lengths = np.diff(panel.bounds)
        codes = self.series_.get_indexer(panel.labels)
        if (codes < 0).any():
            report_unseen(
                self,
                series=[
                    label for label, c in zip(panel.labels, codes, strict=True) if c < 0
                ],
                n_series=len(panel.labels),
                fallback="scaled them with the statistics of all training rows",
            )

        def per_row(per_series, pooled):
            if per_series is None:
                return None
            table = np.vstack([per_series, pooled])  # code -1: the pooled row
            return np.repeat(table[codes], lengths, axis=0)

        return (
            per_row(self.mean_, self.pooled_mean_),
            per_row(self.scale_, self.pooled_scale_),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
