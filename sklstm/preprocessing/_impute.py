"""Fill gaps in time series, causally by default."""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from sklstm.preprocessing._base import _order, _TimeAwareTransformer
from sklstm.utils._compat import Interval, StrOptions, _check_feature_names_in
from sklstm.utils._padding import report_padding, same_start


def _ffill(Q, limit, fallback, init_value=None, init_count=None):
    """Forward-fill the columns of ``Q`` (rows are time); returns a new array.

    A gap inside the data takes the last valid value, for at most ``limit``
    rows (the rest stays NaN). The leading gap of a column takes
    ``init_value`` (the state at the end of the training data, which already
    counts ``init_count`` NaN against ``limit``) when it is given and not NaN,
    else ``fallback`` (not limited).

    The training state is written as a few rows on top (the last valid value,
    then as many NaN as count against ``limit``); pandas' compiled ``ffill``
    does the rest, in place on our own buffer.
    """
    m, c = Q.shape
    carried = np.zeros(c, dtype=bool) if init_value is None else ~np.isnan(init_value)
    top = 0
    if carried.any():
        depth = np.zeros(c, dtype=np.intp)
        if limit is not None:
            depth = np.minimum(init_count, limit)
        top = int(depth[carried].max()) + 1
    out = np.empty((top + m, c), dtype=Q.dtype, order=_order(Q))
    out[top:] = Q
    if top:
        out[:top] = np.nan
        cols = np.flatnonzero(carried)
        out[top - 1 - depth[cols], cols] = init_value[cols]
    for j in np.flatnonzero(np.isnan(Q[0]) & ~carried):  # leading gap: fallback
        valid = ~np.isnan(Q[:, j])
        out[top : top + (int(valid.argmax()) if valid.any() else m), j] = fallback[j]
    frame = pd.DataFrame(out, copy=False)
    # in place on our own buffer: no second copy of the data
    frame.ffill(limit=limit, inplace=True)  # noqa: PD002
    filled = frame.to_numpy()
    if not np.shares_memory(filled, out):  # pandas made a copy after all
        out = np.array(filled)
    return out[top:]


def _leading_gap(X, p):
    """Rows of ``X`` before the first valid value of their column (and phase).

    The first rows that ffill (``p=1``) or the seasonal fill (``p`` phases)
    can only fill from before ``X``: 0 when every column (phase) starts with a
    value.
    """
    n, f = X.shape
    m = -(-n // p)
    Q = np.full((m * p, f), np.nan)
    Q[:n] = X
    valid = ~np.isnan(Q.reshape(m, p, f))
    k = np.where(valid.any(axis=0), valid.argmax(axis=0), m)  # leading NaN per phase
    if not k.any():
        return 0
    last = np.arange(p)[:, None] + p * (k - 1)  # last leading-NaN row per phase
    return int(min(n, last[k > 0].max() + 1))


class TimeSeriesImputer(_TimeAwareTransformer):
    """Fill missing values of time series, causally by default.

    Parameters
    ----------
    strategy : {"ffill", "bfill", "linear", "seasonal", "mean", "median", \
            "constant"}, default="ffill"
        How a NaN is filled:

        - "ffill": last valid value before it (causal);
        - "seasonal": value one ``period`` earlier, itself filled the same way
          when missing (causal);
        - "bfill": next valid value after it (**looks ahead**);
        - "linear": linear interpolation between the valid values around it
          (**looks ahead**); a gap at the end keeps the last valid value;
        - "mean", "median": the training column's mean or median (causal);
        - "constant": ``fill_value`` (causal).

        "bfill" and "linear" use later rows, so they leak the future into
        features; use them on inputs only when that is acceptable (e.g. for
        known-in-advance covariates), never before a forecast target.

    period : int or None, default=None
        Season length in rows for ``strategy="seasonal"`` (required there,
        ``1 <= period <= n_samples`` in fit); e.g. 24 for hourly data with a
        daily cycle. Ignored by the other strategies.

    limit : int or None, default=None
        Most consecutive NaN that "ffill", "bfill", "linear" and "seasonal" fill
        in one gap (for "seasonal": in one gap of the same phase); NaN further
        into a gap stay NaN, as in pandas. None fills every gap. Ignored by
        "mean", "median" and "constant".

    fallback : {"edge", "mean", "median", "constant"}, default="edge"
        What fills the values a strategy has nothing to carry into: the gap at
        the start of the data for "ffill", "linear" and "seasonal" (per phase),
        the gap at the end for "bfill". "edge" is the first valid value of the
        training column (the last one for "bfill"); "mean" and "median" are the
        training column's statistic; "constant" is ``fill_value``. Learned in
        :meth:`fit`, so on later data it never looks ahead; on the training
        data itself (:meth:`fit_transform`) "edge", "mean" and "median" come
        from later rows of the column (use "constant" for a strictly causal
        fill there). Not used when the data continues the training data (see
        ``continuation``).

    fill_value : float, default=0.0
        Value used by ``strategy="constant"`` and ``fallback="constant"``.

    add_indicator : bool, default=False
        Whether to append one column per input column that is 1.0 where the
        input was NaN and 0.0 elsewhere, named ``<column>_missing``.

    continuation : "auto" or bool, default="auto"
        Whether the data given to :meth:`transform` directly follows the
        training data, so that a gap at its start is filled from the end of
        the training data (last valid value, or the last season for
        "seasonal"; the interpolation starts there for "linear") instead of
        ``fallback``. "auto" decides from the index: a pandas
        ``DatetimeIndex``, ``PeriodIndex`` or increasing integer index whose
        first label is the one right after the last training label (for an
        irregular index: any later label; a gap means no continuation). True
        declares it (for
        plain arrays), False never uses the training data.
        :meth:`fit_transform` never uses it.

    Attributes
    ----------
    statistics_ : ndarray of shape (``n_features_in_``,)
        Per column, the fill value of "mean", "median" and "constant", or the
        ``fallback`` value of the other strategies.

    last_valid_ : ndarray of shape (p, ``n_features_in_``)
        Last valid training value, per column and, for "seasonal"
        (``p = period``), per phase of the last ``period`` training rows; NaN
        where a phase never had a valid value. ``p = 1`` otherwise.

    trailing_nan_ : ndarray of shape (p, ``n_features_in_``)
        Number of NaN after ``last_valid_`` at the end of the training data
        (counted against ``limit`` when the data continues).

    last_index_ : object or None
        Last index value of the training data, if it had a usable index.

    series_ : pandas.Index
        Labels of the series, when fitted on a panel (only then).

    series_state_ : dict
        When fitted on a panel: per series label, its fitted state (the
        attributes above that belong to one series, e.g. ``last_valid_``,
        ``statistics_``), which are then not set on the estimator itself, except
        ``statistics_``: learned from all series together, it fills a
        column that is all NaN in one series and a series unseen in fit.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.impute.SimpleImputer : Column statistics, blind to time order.
    OutlierClipper : Clip outliers before or after imputing.

    Notes
    -----
    The causal strategies ("ffill", "seasonal", "mean", "median", "constant")
    fill row ``t`` from rows ``<= t`` and from what :meth:`fit` learned. On the
    data :meth:`fit` saw, what it learned includes later rows: with
    :meth:`fit_transform`, a gap at the start of a column takes the
    ``fallback`` (by default the first valid value after it:
    ``[nan, 50, 2]`` gives ``[50, 50, 2]``), and "mean" and "median" fill with
    a statistic of the whole column. "ffill", "seasonal" and "constant" with
    ``fallback="constant"`` never use a later row, even there. A column that is
    all NaN in :meth:`fit` raises a ``ValueError``. On later data that does
    not continue the training data, a gap at its very start takes the
    ``fallback`` too with "ffill", "seasonal" and "linear" (the rows before it
    are unknown): ``transform`` reports those rows with a
    :class:`~sklstm.exceptions.PaddingWarning`.

    In a :class:`~sklearn.pipeline.Pipeline`, call
    ``pipe.set_output(transform="pandas")`` so that the DataFrame index reaches
    every step; "auto" continuation relies on it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.preprocessing import TimeSeriesImputer
    >>> X = np.array([[np.nan], [2.0], [np.nan], [np.nan], [8.0]])
    >>> TimeSeriesImputer().fit_transform(X).ravel()
    array([2., 2., 2., 2., 8.])
    >>> TimeSeriesImputer(strategy="linear").fit_transform(X).ravel()
    array([2., 2., 4., 6., 8.])
    >>> TimeSeriesImputer(limit=1, add_indicator=True).fit_transform(X)
    array([[ 2.,  1.],
           [ 2.,  0.],
           [ 2.,  1.],
           [nan,  1.],
           [ 8.,  0.]])
    >>> imputer = TimeSeriesImputer(continuation=True).fit(X)
    >>> imputer.transform(np.array([[np.nan], [5.0]])).ravel()
    array([8., 5.])
    """

    _series_attrs = (
        *_TimeAwareTransformer._series_attrs,
        "statistics_",
        "last_valid_",
        "trailing_nan_",
        "_head",
    )

    _parameter_constraints: dict = {
        **_TimeAwareTransformer._parameter_constraints,
        "strategy": [
            StrOptions(
                {"ffill", "bfill", "linear", "seasonal", "mean", "median", "constant"}
            )
        ],
        "period": [None, Interval(Integral, 1, None, closed="left")],
        "limit": [None, Interval(Integral, 1, None, closed="left")],
        "fallback": [StrOptions({"edge", "mean", "median", "constant"})],
        "fill_value": [Interval(Real, None, None, closed="neither")],
        "add_indicator": ["boolean"],
    }

    def __init__(
        self,
        *,
        strategy="ffill",
        period=None,
        limit=None,
        fallback="edge",
        fill_value=0.0,
        add_indicator=False,
        continuation="auto",
    ):
        self.strategy = strategy
        self.period = period
        self.limit = limit
        self.fallback = fallback
        self.fill_value = fill_value
        self.add_indicator = add_indicator
        self.continuation = continuation

    def _fit_array(self, X):
        n = X.shape[0]
        if self.strategy == "seasonal":
            if self.period is None:
                raise ValueError(
                    "period=None: strategy='seasonal' needs period, the season "
                    "length in rows (an int >= 1, e.g. 24 for hourly data with a "
                    "daily cycle)."
                )
            if self.period > n:
                self._too_short(
                    f"period={self.period} is longer than the data: n_samples={n} "
                    "seen in fit; period must be <= n_samples."
                )
        self.statistics_ = self._statistics(X)

        # State at the end of the training data, per phase for "seasonal":
        # row k of the state is the phase of training row n - p + k.
        p = self.period if self.strategy == "seasonal" else 1
        m = -(-n // p)
        if p == 1:
            phases = X[:, np.newaxis, :]
        else:
            phases = np.full((m * p, X.shape[1]), np.nan)
            phases[m * p - n :] = X
            phases = phases.reshape(m, p, X.shape[1])
        valid = ~np.isnan(phases)
        last = m - 1 - valid[::-1].argmax(axis=0)
        last[~valid.any(axis=0)] = -1
        values = np.take_along_axis(phases, np.maximum(last, 0)[None], axis=0)[0]
        self.last_valid_ = np.where(last >= 0, values, np.nan).astype(np.float64)
        self.trailing_nan_ = (m - 1 - last).astype(np.intp)
        # the first training rows: data starting with them is filled as in fit
        self._head = X[: min(n, _leading_gap(X, p) + p)].copy()

    def _statistics(self, X):
        """Per column: the fill value of "mean", "median", "constant", or fallback."""
        n = X.shape[0]
        kind = self.strategy if self.strategy in ("mean", "median") else None
        kind = kind or ("constant" if self.strategy == "constant" else self.fallback)
        if kind in ("mean", "median"):
            with warnings.catch_warnings():  # all NaN in one series of a panel
                warnings.simplefilter("ignore", RuntimeWarning)
                stats = (np.nanmean if kind == "mean" else np.nanmedian)(X, axis=0)
        elif kind == "constant":
            stats = np.full(X.shape[1], float(self.fill_value))
        else:  # edge: first valid value (last valid one for bfill)
            valid = ~np.isnan(X)
            rows = valid.argmax(axis=0)
            if self.strategy == "bfill":
                rows = n - 1 - valid[::-1].argmax(axis=0)
            stats = X[rows, np.arange(X.shape[1])]
        return np.asarray(stats, dtype=np.float64)

    def _fit_panel(self, X, panel):
        """Per-series state; the values a series cannot learn come from all series.

        A column that is all NaN in one series takes its fill value from the
        whole panel, and so does a series unseen in fit (``statistics_``).
        """
        super()._fit_panel(X, panel)
        pooled = self._statistics(X)
        for state in self.series_state_.values():
            own = state["statistics_"]
            state["statistics_"] = np.where(np.isnan(own), pooled, own)
        self.statistics_ = self._unseen["statistics_"] = pooled

    def _check_padding(self, X):
        """Report a leading gap filled by ``fallback`` (see ``PaddingWarning``).

        "ffill", "seasonal" and "linear" fill a gap from the rows before it;
        at the start of data that does not continue the training data those
        rows are unknown, and the gap takes the ``fallback`` value instead.
        Silent when ``X`` starts with the training data's first rows (filled
        so in fit too), with ``continuation=False`` (asked for), and for the
        strategies that never read earlier rows.
        """
        if (
            self.strategy not in ("ffill", "seasonal", "linear")
            or self.continuation is False
            or X.shape[0] == 0
        ):
            return
        p = self.period if self.strategy == "seasonal" else 1
        n_padded = _leading_gap(X, p)
        if n_padded and not same_start(X, getattr(self, "_head", X[:0])):
            report_padding(self, n_rows=X.shape[0], n_history=n_padded)

    def _transform_array(self, X, continuation):
        n, f = X.shape
        missing = np.isnan(X)
        strategy = self.strategy
        if not missing.any():
            out = X.copy(order="K")
        elif strategy in ("mean", "median", "constant"):
            out = np.where(missing, self.statistics_.astype(X.dtype), X)
        elif strategy in ("ffill", "seasonal"):
            p = self.period if strategy == "seasonal" else 1
            m = -(-n // p)
            if p == 1:
                Q = X
            else:
                Q = np.full((m * p, f), np.nan, dtype=X.dtype)
                Q[:n] = X
                Q = Q.reshape(m, p * f)  # column k * f + j: phase k of feature j
            init = (
                (self.last_valid_.reshape(-1), self.trailing_nan_.reshape(-1))
                if continuation
                else (None, None)
            )
            out = _ffill(Q, self.limit, np.tile(self.statistics_, p), *init)
            if p > 1:
                out = out.reshape(m * p, f)[:n]
        elif strategy == "bfill":
            out = _ffill(X[::-1], self.limit, self.statistics_)[::-1].copy(order="K")
        else:
            out = self._interpolate(X, missing, continuation)
        out = out.astype(X.dtype, copy=False)
        if self.add_indicator:
            out = np.hstack([out, missing.astype(X.dtype)])
        return out

    def _interpolate(self, X, missing, continuation):
        """Linear interpolation column by column (no loop over rows)."""
        n = X.shape[0]
        rows = np.arange(n)
        out = X.copy()
        for j in np.flatnonzero(missing.any(axis=0)):
            valid = np.flatnonzero(~missing[:, j])
            xs, ys = valid, X[valid, j]
            anchored = continuation and not np.isnan(self.last_valid_[0, j])
            if anchored:  # the last valid training value, at its real distance
                xs = np.concatenate([[-1 - self.trailing_nan_[0, j]], xs])
                ys = np.concatenate([[self.last_valid_[0, j]], ys])
            if xs.size == 0:
                out[:, j] = self.statistics_[j]
                continue
            col = np.interp(rows, xs, ys)
            lead = rows < xs[0]
            col[lead] = self.statistics_[j]
            if self.limit is not None:
                last = np.maximum.accumulate(
                    np.where(missing[:, j], xs[0] if anchored else -1, rows)
                )
                if not anchored:
                    last[lead] = rows[lead]  # the fallback is not limited
                col[rows - last > self.limit] = np.nan
            out[:, j] = col
        return out

    def get_feature_names_out(self, input_features=None):
        """Get output feature names for transformation.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names. If None, ``feature_names_in_`` is used if
            defined, else ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The input names, then ``<column>_missing`` for each column when
            ``add_indicator=True``.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        if self.add_indicator:
            names = [*names, *(f"{name}_missing" for name in names)]
        return np.asarray(names, dtype=object)
