"""Clip outliers to bounds learned on the training data."""

from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from sklstm.preprocessing._base import _check_no_all_nan, _validate_X
from sklstm.utils._compat import Interval, StrOptions, _fit_context
from sklstm.utils._panel import panel_of, report_unseen

_DEFAULT_FACTOR = {"iqr": 1.5, "zscore": 3.0, "mad": 3.0}
_MAD_TO_STD = 1.4826  # MAD * 1.4826 estimates the std of normal data


def _columnwise(X, func):
    """Apply ``func(column_without_nan)`` to every column; fast path without NaN.

    A column without a valid value (possible in one series of a panel) gets
    ``func([nan])``: NaN statistics.
    """
    nan = np.isnan(X)
    if not nan.any():
        return func(X)
    nothing = np.array([np.nan], dtype=X.dtype)
    return np.stack(
        [
            func(X[~nan[:, j], j] if not nan[:, j].all() else nothing)
            for j in range(X.shape[1])
        ],
        axis=-1,
    )


def _unless_collapsed(X, lower, upper):
    """Bounds that collapse to one value on a column holding others: its range.

    A 0/1 flag that is mostly 0 (a promotion) has Q1 = Q3 = 0 and a MAD of 0:
    its fences would clip every 1 to 0. Such a column is clipped to its
    training range instead; a constant column stays constant.
    """
    collapsed = lower == upper
    if not collapsed.any():
        return lower, upper
    low, high = _columnwise(X, lambda a: np.stack([a.min(axis=0), a.max(axis=0)]))
    return np.where(collapsed, low, lower), np.where(collapsed, high, upper)


class OutlierClipper(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip every feature to bounds learned from the training data.

    The bounds are computed in :meth:`fit` only, so data seen later (a test
    fold, live data) is clipped with what the training data taught, never with
    its own statistics. NaN passes through untouched.

    Parameters
    ----------
    method : {"iqr", "zscore", "mad", "quantile"}, default="iqr"
        How the bounds are set, per feature:

        - "iqr": Tukey fences ``[Q1 - factor * IQR, Q3 + factor * IQR]``;
        - "zscore": ``mean +/- factor * std``;
        - "mad": ``median +/- factor * 1.4826 * MAD`` (median absolute
          deviation, scaled to estimate the std of normal data);
        - "quantile": the percentiles given by ``quantile_range``.

    factor : float or None, default=None
        Width of the bounds (``>= 0``) for "iqr", "zscore" and "mad". None
        means 1.5 for "iqr" and 3.0 for "zscore" and "mad". Ignored by
        "quantile".

    quantile_range : tuple (q_min, q_max), default=(1.0, 99.0)
        Percentiles, ``0 <= q_min <= q_max <= 100``, used as bounds by
        ``method="quantile"``. Ignored by the other methods.

    by_series : bool, default=False
        For a panel (a DataFrame indexed by a (series, time) MultiIndex):
        whether every series gets its own bounds, learned from its own rows
        (True; series of different scales are clipped each on its own scale),
        or all series share bounds learned from all rows (False). With True,
        a series unseen in fit has no bounds: :meth:`transform` passes it
        through unclipped (bounds pooled over series of other levels would
        clip it on their scale, the very thing ``by_series`` avoids) and says
        so in one :class:`~sklstm.exceptions.UnseenSeriesWarning`. Ignored for
        data that is not a panel.

    Attributes
    ----------
    lower_ : ndarray of shape (``n_features_in_``,) or (n_series, ``n_features_in_``)
        Lower bound of every feature; one row per series (in the order of
        ``series_``) when fitted by series. A column that is all NaN in one
        series is not clipped in that series (its bounds are NaN).

    upper_ : ndarray of shape (``n_features_in_``,) or (n_series, ``n_features_in_``)
        Upper bound of every feature, as ``lower_``.

    series_ : pandas.Index
        Labels of the series, when fitted by series on a panel (only then).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.preprocessing.RobustScaler : Scales with statistics that are robust
        to outliers instead of removing them.

    Notes
    -----
    Statistics ignore NaN. A constant feature gets ``lower_ == upper_``, so it
    stays constant. A feature whose bounds would collapse to one value while
    it holds others (a 0/1 flag that is 1 in fewer than a quarter of the
    rows has an IQR and a MAD of 0) gets its training range as bounds
    instead: its rare values are not outliers. Clipping is one-to-one: output
    names are input names.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.preprocessing import OutlierClipper
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [100.0], [np.nan]])
    >>> clipper = OutlierClipper(method="iqr").fit(X)
    >>> clipper.lower_, clipper.upper_
    (array([-1.]), array([7.]))
    >>> clipper.transform(X).ravel()
    array([ 1.,  2.,  3.,  4.,  7., nan])
    """

    _parameter_constraints: dict = {
        "method": [StrOptions({"iqr", "zscore", "mad", "quantile"})],
        "factor": [None, Interval(Real, 0, None, closed="left")],
        "quantile_range": [tuple],
        "by_series": ["boolean"],
    }

    def __init__(
        self, *, method="iqr", factor=None, quantile_range=(1.0, 99.0), by_series=False
    ):
        self.method = method
        self.factor = factor
        self.quantile_range = quantile_range
        self.by_series = by_series

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the lower and upper bound of every feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN is ignored.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted clipper.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Learn the bounds from ``X`` and clip it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN is ignored and passes through.

        y : None
            Ignored.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
            Clipped data.
        """
        return self._clip(*self._fit(X))

    def _fit(self, X):
        X_arr, _ = _validate_X(self, X, reset=True)
        _check_no_all_nan(self, X_arr)
        self.__dict__.pop("series_", None)
        panel = panel_of(X) if self.by_series else None
        if panel is None:
            self.lower_, self.upper_ = self._bounds(X_arr)
            return X_arr, None
        bounds = [self._bounds(X_arr[rows]) for _, rows, _ in panel.segments()]
        self.lower_ = np.stack([lower for lower, _ in bounds])
        self.upper_ = np.stack([upper for _, upper in bounds])
        self.series_ = pd.Index(panel.labels)
        return X_arr, panel

    def _bounds(self, X):
        """Lower and upper bound of every column of ``X``."""
        factor = self.factor
        if factor is None:
            factor = _DEFAULT_FACTOR.get(self.method)
        if self.method == "quantile":
            q_min, q_max = self._check_quantile_range()
            lower, upper = _columnwise(
                X, lambda a: np.percentile(a, [q_min, q_max], axis=0)
            )
        elif self.method == "iqr":
            q1, q3 = _columnwise(X, lambda a: np.percentile(a, [25.0, 75.0], axis=0))
            lower, upper = q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)
        elif self.method == "zscore":
            mean, std = _columnwise(
                X, lambda a: np.stack([a.mean(axis=0), a.std(axis=0)])
            )
            lower, upper = mean - factor * std, mean + factor * std
        else:  # mad

            def median_mad(a):
                median = np.median(a, axis=0)
                return np.stack([median, np.median(np.abs(a - median), axis=0)])

            median, mad = _columnwise(X, median_mad)
            half = factor * _MAD_TO_STD * mad
            lower, upper = median - half, median + half
        lower = np.asarray(lower, dtype=np.float64)
        upper = np.asarray(upper, dtype=np.float64)
        if self.method == "quantile" and q_min == q_max:
            return lower, upper  # one percentile asked for: one value
        return _unless_collapsed(X, lower, upper)

    def _clip(self, X, panel=None):
        if panel is None:
            return np.clip(X, self.lower_.astype(X.dtype), self.upper_.astype(X.dtype))
        # NaN bounds (a column all NaN in a series' fit data) clip nothing
        lower = np.where(np.isnan(self.lower_), -np.inf, self.lower_).astype(X.dtype)
        upper = np.where(np.isnan(self.upper_), np.inf, self.upper_).astype(X.dtype)
        out = np.empty_like(X)
        unseen = []
        for label, rows, _ in panel.segments():
            if label not in self.series_:  # no bounds of its own: not clipped
                unseen.append(label)
                out[rows] = X[rows]
                continue
            i = self.series_.get_loc(label)
            np.clip(X[rows], lower[i], upper[i], out=out[rows])
        if unseen:
            report_unseen(
                self,
                series=unseen,
                n_series=len(panel.labels),
                fallback="left them unclipped (by_series=True: no bounds of their own)",
            )
        return out

    def _check_quantile_range(self):
        try:
            q_min, q_max = (float(q) for q in self.quantile_range)
        except (TypeError, ValueError):
            q_min = q_max = np.nan
        if not 0 <= q_min <= q_max <= 100:
            raise ValueError(
                f"quantile_range={self.quantile_range!r} must be two percentiles "
                "(q_min, q_max) with 0 <= q_min <= q_max <= 100."
            )
        return q_min, q_max

    def transform(self, X):
        """Clip ``X`` to the bounds learned in :meth:`fit`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to clip; NaN stays NaN.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
            Clipped data.
        """
        check_is_fitted(self)
        X_arr, _ = _validate_X(self, X, reset=False)
        return self._clip(X_arr, self._series_panel(X))

    def _series_panel(self, X):
        """The panel of ``X`` when fitted by series (checked), else None."""
        if "series_" not in self.__dict__:
            return None
        panel = panel_of(X)
        if panel is None:
            raise ValueError(
                "OutlierClipper was fitted by series on a panel (by_series=True), "
                "so X must be a panel (a (series, time) MultiIndex) too. In a "
                "Pipeline, call set_output(transform='pandas')."
            )
        return panel

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
