"""Rolling-window statistics of columns: :class:`RollingFeatures` and its kernels."""

import warnings
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from sklstm.preprocessing._base import _check_int_list, _FeatureMaker
from sklstm.utils._compat import Interval, StrOptions

# Rows per chunk for the rolling kernels: small enough for the working set of a
# chunk to stay in cache, large enough for numpy's per-call overhead to vanish.
_CHUNK_ELEMENTS = 1 << 15

_STATS = ("mean", "std", "min", "max", "median", "ewm")


def _window_sum(A, w, n):
    """Sums of ``A[t : t + w]`` for ``t < n``; ``A`` has ``n + w - 1`` rows.

    Windows of length ``2**j`` are built by doubling and combined following the
    binary digits of ``w``: ``O(log w)`` passes, pairwise-like rounding.
    Works on boolean arrays too (the sum is then a logical "any").
    """
    res, cur, p, off = None, A, 1, 0
    while True:
        if w & p:
            seg = cur[off : off + n]
            res = seg.copy() if res is None else np.add(res, seg, out=res)
            off += p
        if 2 * p > w:
            return res
        cur = cur[:-p] + cur[p:]
        p *= 2


def _window_mean_m2(A, w, n):
    """Mean and sum of squared deviations of ``A[t : t + w]`` for ``t < n``.

    Doubling with the pairwise update of Chan, Golub and LeVeque, which is
    numerically stable (no ``E[x**2] - E[x]**2`` cancellation).
    """
    cur_m, cur_q = A, np.zeros_like(A)
    p, off = 1, 0
    res_n, res_m, res_q = 0, None, None
    while True:
        if w & p:
            bm, bq = cur_m[off : off + n], cur_q[off : off + n]
            if res_m is None:
                res_m, res_q, res_n = bm.copy(), bq.copy(), p
            else:
                total = res_n + p
                delta = bm - res_m
                res_q += bq
                res_q += delta * delta * (res_n * p / total)
                res_m += delta * (p / total)
                res_n = total
            off += p
        if 2 * p > w:
            return res_m, res_q
        delta = cur_m[p:] - cur_m[:-p]
        cur_q = cur_q[:-p] + cur_q[p:] + delta * delta * (p / 2)
        cur_m = (cur_m[:-p] + cur_m[p:]) * 0.5
        p *= 2


def _window_extreme(A, w, n, op):
    """Min or max (``op``) of ``A[t : t + w]`` for ``t < n``: a sparse table."""
    cur, p = A, 1
    while 2 * p <= w:
        cur = op(cur[:-p], cur[p:])
        p *= 2
    if p == w:
        return cur[:n].copy()
    return op(cur[:n], cur[w - p : w - p + n])


def _window_median(A, w, n):
    """Median of ``A[t : t + w]`` for ``t < n`` (NaN handled by the caller)."""
    block = np.array(sliding_window_view(A, w, axis=0)[:n])  # contiguous copy
    half = w // 2
    if w % 2:
        block.partition(half, axis=-1)
        return block[..., half].copy()
    block.partition([half - 1, half], axis=-1)
    return (block[..., half - 1] + block[..., half]) * 0.5


def _partial_stat(X, w, stat):
    """Statistic over the available rows for the first ``min(w - 1, n)`` rows."""
    m = min(w - 1, X.shape[0])
    head = np.full((w - 1 + m, X.shape[1]), np.nan, dtype=X.dtype)
    head[w - 1 :] = X[:m]
    view = sliding_window_view(head, w, axis=0)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        if stat == "mean":
            res = np.nanmean(view, axis=-1)
        elif stat == "std":
            count = np.minimum(np.arange(1, m + 1), w)[:, None]
            res = np.nanstd(view, axis=-1, ddof=1)
            res[np.broadcast_to(count == 1, res.shape)] = 0.0
        elif stat == "min":
            res = np.nanmin(view, axis=-1)
        elif stat == "max":
            res = np.nanmax(view, axis=-1)
        else:
            res = np.nanmedian(view, axis=-1)
    # NaN in the input propagates, as in the full windows
    res[np.logical_or.accumulate(np.isnan(X[:m]), axis=0)] = np.nan
    return res.astype(X.dtype, copy=False)


def _ewm(x, span, state=None):
    """Exponentially weighted mean, pandas ``ewm(span=span, adjust=True)``.

    Computed as ``S / W`` with ``S_t = x_t + (1 - a) S_{t-1}`` and
    ``W_t = 1 + (1 - a) W_{t-1}``, ``a = 2 / (span + 1)``, by a linear filter
    (no loop over rows). A NaN input adds nothing but the weights still decay
    (pandas' ``ignore_na=False``); where no weight is left the last mean is
    carried forward. ``state`` is the ``(S, W, mean)`` at the end of earlier
    data, to continue exactly where it ended; the new state is returned too.
    """
    from scipy.signal import lfilter  # imported on use: scipy.signal is slow to import

    beta = 1.0 - 2.0 / (span + 1.0)
    den = [1.0, -beta]
    valid = ~np.isnan(x)
    xs = np.where(valid, x, 0.0)
    ws = valid.astype(x.dtype)
    if state is None:
        S = lfilter([1.0], den, xs, axis=0)
        W = lfilter([1.0], den, ws, axis=0)
        carry = np.full(x.shape[1], np.nan)
    else:
        S = lfilter([1.0], den, xs, axis=0, zi=(beta * state[0])[None, :])[0]
        W = lfilter([1.0], den, ws, axis=0, zi=(beta * state[1])[None, :])[0]
        carry = state[2]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = S / W
    empty = W == 0
    if empty.any():  # carry the last mean forward (the leading gap gets carry)
        rows = np.arange(len(x))[:, None]
        last = np.maximum.accumulate(np.where(empty, -1, rows), axis=0)
        taken = np.take_along_axis(mean, np.maximum(last, 0), axis=0)
        mean = np.where(last < 0, carry, taken)
    if len(x):
        state = np.stack([S[-1], W[-1], mean[-1]])
    return mean.astype(x.dtype, copy=False), state


class RollingFeatures(_FeatureMaker):
    """Add rolling-window statistics of columns, without dropping rows.

    Output row ``t`` holds statistics of the rows ``t - window + 1 .. t``.

    Parameters
    ----------
    windows : int or list of int, default=7
        Window length(s), each ``>= 1``. For "ewm" the length is the span:
        ``alpha = 2 / (window + 1)``.

    stats : str or list of str, default=("mean", "std")
        Statistics among "mean", "std" (``ddof=1``, 0.0 for a single row),
        "min", "max", "median" and "ewm" (exponentially weighted mean, as
        pandas ``ewm(span=window, adjust=True).mean()``; it has infinite
        memory, the window only sets the decay).

    columns : None, str, int or list of str or int, default=None
        Columns to summarise, by name or position. None uses every column.

    drop_original : bool, default=False
        Whether to drop the summarised columns from the output.

    warmup : {"partial", "edge", "constant", "nan"}, default="partial"
        How rows with fewer than ``window - 1`` earlier rows are computed when
        there is no real history: over the rows available ("partial", like
        pandas ``min_periods=1``), as if the first row had been repeated
        ("edge") or ``fill_value`` rows had come first ("constant"); "nan"
        gives NaN (the only choice that creates NaN).

    fill_value : float, default=0.0
        Value of the padding rows when ``warmup="constant"``.

    continuation : "auto" or bool, default="auto"
        Whether the data given to :meth:`transform` directly follows the
        training data, so that its first windows reach into the real end of
        the training data (and "ewm" continues from the training state). See
        :class:`LagFeatures` for the rules.

    Attributes
    ----------
    windows_ : list of int
        Window lengths.

    stats_ : list of str
        Statistics.

    columns_ : ndarray of int
        Positions of the summarised columns.

    history_ : ndarray of shape (max(``windows_``) - 1, ``n_features_in_``)
        Last training rows, used when ``transform`` continues the training data.

    ewm_state_ : ndarray of shape (len(``windows_``), 3, len(``columns_``)) or None
        Weighted sum, sum of weights and mean of "ewm" at the end of the
        training data (None without "ewm").

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
    DiffFeatures : Differences between rows.

    Notes
    -----
    Output columns are the kept original columns followed, for each window and
    each statistic, by a block named ``<column>_roll<stat>_<window>``
    (``temp_rollmean_7``, ``temp_rollstd_7``) or ``<column>_ewm_<window>``.

    A NaN in the input makes every window that contains it NaN, except for
    "ewm", which skips it (as pandas does).

    Mean and standard deviation use doubling with a pairwise update (Chan et
    al.), min and max a sparse table: ``O(n log window)`` vectorised numpy, no
    loop over rows. The median partitions each window (``O(n window)``).

    In a :class:`~sklearn.pipeline.Pipeline`, call
    ``pipe.set_output(transform="pandas")`` so that the DataFrame index reaches
    every step; "auto" continuation relies on it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.preprocessing import RollingFeatures
    >>> X = np.array([[1.0], [2.0], [4.0], [7.0]])
    >>> roll = RollingFeatures(windows=2, stats=["mean", "max"])
    >>> roll.fit_transform(X)
    array([[1. , 1. , 1. ],
           [2. , 1.5, 2. ],
           [4. , 3. , 4. ],
           [7. , 5.5, 7. ]])
    >>> roll.get_feature_names_out(["temp"])
    array(['temp', 'temp_rollmean_2', 'temp_rollmax_2'], dtype=object)
    """

    _series_attrs = (*_FeatureMaker._series_attrs, "ewm_state_")

    _parameter_constraints: dict = {
        **_FeatureMaker._parameter_constraints,
        "windows": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "stats": [StrOptions(set(_STATS)), "array-like"],
        "warmup": [StrOptions({"partial", "edge", "constant", "nan"})],
    }

    def __init__(
        self,
        *,
        windows=7,
        stats=("mean", "std"),
        columns=None,
        drop_original=False,
        warmup="partial",
        fill_value=0.0,
        continuation="auto",
    ):
        self.windows = windows
        self.stats = stats
        self.columns = columns
        self.drop_original = drop_original
        self.warmup = warmup
        self.fill_value = fill_value
        self.continuation = continuation

    def _check_parameters(self):
        self.windows_ = _check_int_list("windows", self.windows)
        stats = [self.stats] if isinstance(self.stats, str) else list(self.stats)
        if not stats:
            raise ValueError(f"stats={self.stats!r} is empty; choose from {_STATS}.")
        for stat in stats:
            if stat not in _STATS:
                raise ValueError(
                    f"stats={self.stats!r}: unknown statistic {stat!r}; "
                    f"allowed: {', '.join(repr(s) for s in _STATS)}."
                )
        if len(set(stats)) != len(stats):
            raise ValueError(f"stats={self.stats!r} contains duplicates.")
        self.stats_ = stats

    def _n_history(self):
        return max(self.windows_) - 1

    def _too_short_message(self, n_samples):
        return (
            f"windows={self.windows!r}: the longest window ({max(self.windows_)}) "
            f"must be <= n_samples={n_samples} seen in fit."
        )

    def _suffixes(self):
        return [
            f"ewm_{w}" if stat == "ewm" else f"roll{stat}_{w}"
            for w in self.windows_
            for stat in self.stats_
        ]

    def _fit_array(self, X):
        super()._fit_array(X)
        self.ewm_state_ = None
        if "ewm" in self.stats_:
            k = self._n_history()
            ext = self._extend(X, k, False, self.columns_)
            state = np.empty((len(self.windows_), 3, len(self.columns_)))
            for i, w in enumerate(self.windows_):
                state[i] = self._ewm_block(ext, w, k, None)[1]
            self.ewm_state_ = state

    def _ewm_block(self, ext, w, k, state):
        """EWM over the output rows of ``ext`` (whose first ``k`` rows are history)."""
        if state is not None:  # continuation: start from the training state
            return _ewm(ext[k:], w, state)
        if self.warmup in ("edge", "constant"):
            mean, state = _ewm(ext[k - (w - 1) :], w)
            return mean[w - 1 :], state
        mean, state = _ewm(ext[k:], w)
        if self.warmup == "nan":
            mean[: w - 1] = np.nan
        return mean, state

    def _transform_array(self, X, continuation):
        out, start = self._allocate(X)
        k = self._n_history()
        ext = self._extend(X, k, continuation, self.columns_)
        n, c = X.shape[0], len(self.columns_)
        partial = self.warmup == "partial" and not continuation
        has_nan = bool(np.isnan(ext).any())
        pos = start
        for i, w in enumerate(self.windows_):
            A = ext[k - (w - 1) :]
            blocks = {}
            for stat in self.stats_:
                blocks[stat] = out[:, pos : pos + c]
                pos += c
            if "ewm" in blocks:
                state = self.ewm_state_[i] if continuation else None
                blocks.pop("ewm")[:] = self._ewm_block(ext, w, k, state)[0]
            if blocks:
                self._fill_window_stats(A, w, n, blocks, has_nan)
            if partial and w > 1:
                for stat, block in blocks.items():
                    block[: w - 1] = _partial_stat(ext[k:], w, stat)
        return out

    @staticmethod
    def _fill_window_stats(A, w, n, blocks, has_nan):
        """Write the window statistics of ``A`` into ``blocks``, chunk by chunk."""
        c = A.shape[1]
        if "median" in blocks:  # copies every window: bound the copy instead
            step = max(1, 8 * _CHUNK_ELEMENTS // (c * w))
        else:  # keep the w - 1 rows of overlap between chunks small
            step = max(4 * w, _CHUNK_ELEMENTS // c)
        for s in range(0, n, step):
            e = min(n, s + step)
            L = e - s
            Ac = A[s : e + w - 1]
            if "std" in blocks:
                mean, m2 = _window_mean_m2(Ac, w, L)
                if "mean" in blocks:
                    blocks["mean"][s:e] = mean
                if w > 1:
                    np.sqrt(m2 / (w - 1), out=blocks["std"][s:e])
                else:
                    blocks["std"][s:e] = mean * 0.0  # 0, NaN stays NaN
            elif "mean" in blocks:
                blocks["mean"][s:e] = _window_sum(Ac, w, L) / w
            if "min" in blocks:
                blocks["min"][s:e] = _window_extreme(Ac, w, L, np.minimum)
            if "max" in blocks:
                blocks["max"][s:e] = _window_extreme(Ac, w, L, np.maximum)
            if "median" in blocks:
                med = _window_median(Ac, w, L)
                if has_nan:
                    med[_window_sum(np.isnan(Ac), w, L)] = np.nan
                blocks["median"][s:e] = med
