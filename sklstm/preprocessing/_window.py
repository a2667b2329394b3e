"""Turn a 2-D time series into the 3-D windows a recurrent network reads."""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import OneToOneFeatureMixin

from sklstm.preprocessing._base import _HistoryTransformer
from sklstm.preprocessing._panel import time_ranks
from sklstm.preprocessing._windows import Windows
from sklstm.utils._compat import Interval


class Windower(OneToOneFeatureMixin, _HistoryTransformer, auto_wrap_output_keys=None):
    """Stack the last ``window`` rows for every row: 2-D in, 3-D out.

    Row ``t`` of the output holds the input rows ``t - window + 1 .. t``, oldest
    first, so ``X_out[t, -1]`` is ``X[t]``. This is what feeds
    :class:`sklstm.LSTMRegressor` (which accepts 3-D ``X``) inside a
    :class:`~sklearn.pipeline.Pipeline`; every input row gives one output row,
    so ``y`` stays aligned.

    Parameters
    ----------
    window : int, default=10
        Number of time steps per sample (``>= 1``, and ``<= n_samples`` in fit).

    warmup : {"edge", "constant", "nan"}, default="edge"
        Padding for the first ``window - 1`` rows, which lack history when the
        data does not continue the training data: the first row repeated
        ("edge"), ``fill_value`` ("constant") or NaN ("nan", the only choice that
        creates NaN).

    fill_value : float, default=0.0
        Value of the padding rows when ``warmup="constant"``.

    continuation : "auto" or bool, default="auto"
        Whether the data given to :meth:`transform` directly follows the
        training data, so that its first windows reach into the real end of the
        training data. "auto" decides from the index: a pandas
        ``DatetimeIndex``, ``PeriodIndex`` or increasing integer index whose
        first label is the one right after the last training label (for an
        irregular index: any later label; a gap means no continuation). True
        declares it (for
        plain arrays), False never uses the training data.
        :meth:`fit_transform` never uses it.

    Attributes
    ----------
    history_ : ndarray of shape (window - 1, ``n_features_in_``)
        Last training rows, used when ``transform`` continues the training data.

    last_index_ : object or None
        Last index value of the training data, if it had a usable index.

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
    LagFeatures : The same information as extra columns of a 2-D table.
    Windows : What a panel gives.

    Notes
    -----
    The output of one series is a numpy array of shape
    ``(n_samples, window, n_features)`` (of a panel: :class:`Windows` of that
    shape, see below): a 3-D array cannot be a DataFrame.
    :meth:`set_output` accepts any setting so that
    ``Pipeline.set_output(transform="pandas")`` works, but it changes nothing
    here. :meth:`get_feature_names_out` names the last axis.

    Memory: the input is copied once, with the ``window - 1`` history or padding
    rows on top (``n_samples + window - 1`` rows); the 3-D result is a
    read-only strided view of that copy (``numpy.lib.stride_tricks.
    sliding_window_view``), so it costs no more memory whatever the window.
    With ``window=1`` the result is a view of the validated input.
    :class:`~sklstm.LSTMRegressor` recognises such a view and gathers each
    batch of windows from its rows while it trains and predicts, so the
    ``(n_samples, window, n_features)`` array is never built (a copy of the
    view, e.g. ``np.ascontiguousarray``, is a plain 3-D array and costs its
    full size).

    A panel (a DataFrame indexed by (series, time)) gives one window per row
    too, and no window straddles two series: the first rows of each series
    are padded (or continued from that series' training end) as a single
    series' are. Its windows are not evenly spaced in one 2-D array (each
    series needs its own ``window - 1`` rows on top), so the result is a
    :class:`Windows`: one read-only 2-D base holding every series' rows with
    its history or padding on top (``n_samples + n_series * (window - 1)``
    rows, the one copy), the start row of each window and the time rank of
    each window (its time stamp among all series'). It behaves like the 3-D
    array where scikit-learn looks (``shape``, ``len``, selecting samples);
    :class:`~sklstm.LSTMRegressor` streams from it as from a view, and holds
    out the windows of the latest time stamps across series for early
    stopping. ``np.asarray(windows)`` builds the dense array.

    In a :class:`~sklearn.pipeline.Pipeline`, call
    ``pipe.set_output(transform="pandas")`` so that the DataFrame index reaches
    this step; "auto" continuation relies on it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.preprocessing import Windower
    >>> X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    >>> windows = Windower(window=2).fit_transform(X)
    >>> windows.shape
    (3, 2, 2)
    >>> windows[0]
    array([[ 1., 10.],
           [ 1., 10.]])
    >>> windows[2]
    array([[ 2., 20.],
           [ 3., 30.]])
    """

    _parameter_constraints: dict = {
        **_HistoryTransformer._parameter_constraints,
        "window": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self, *, window=10, warmup="edge", fill_value=0.0, continuation="auto"
    ):
        self.window = window
        self.warmup = warmup
        self.fill_value = fill_value
        self.continuation = continuation

    def _fit_array(self, X):
        if self.window > X.shape[0]:
            self._too_short(
                f"window={self.window} is longer than the data: n_samples="
                f"{X.shape[0]} seen in fit; window must be <= n_samples."
            )
        self._store_history(X, self.window - 1)

    def _rows_needed(self):
        """The history a series' rows must exceed in fit (see ``_FeatureMaker``)."""
        return self.window - 1

    def _transform_array(self, X, continuation):
        k = self.window - 1
        if k == 0:
            view = X[:, np.newaxis, :]
            view.flags.writeable = False  # like the strided view below
            return view
        ext = self._extend(X, k, continuation, order="C")
        # (n, n_features, window) view -> (n, window, n_features) view
        return sliding_window_view(ext, self.window, axis=0).transpose(0, 2, 1)

    def _transform_panel(self, X, panel, *, fitting=False):
        """A panel's windows: each series' rows with its own ``window - 1`` on top."""
        k = self.window - 1

        def extend(est, Xs, continuation):
            return est._extend(Xs, k, continuation, order="C")

        parts = self._series_outputs(X, panel, fitting, extend)
        base = np.concatenate(parts) if len(parts) > 1 else parts[0]
        offsets = np.cumsum([0] + [len(part) for part in parts[:-1]])
        starts = np.concatenate(
            [
                np.arange(offset, offset + len(part) - k, dtype=np.int64)
                for offset, part in zip(offsets, parts, strict=True)
            ]
        )
        base.flags.writeable = False  # like the strided view of one series
        return Windows(base, starts, self.window, time_rank=time_ranks(panel))

    def set_output(self, *, transform=None):
        """Accept an output configuration; the 3-D output stays a numpy array.

        Present so that ``Pipeline.set_output(transform="pandas")`` can
        configure the earlier steps of a pipeline that ends with a Windower.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored: a 3-D array has no DataFrame form.

        Returns
        -------
        self : Windower
            This instance, unchanged.
        """
        allowed = (None, "default", "pandas", "polars")
        if transform not in allowed:
            raise ValueError(
                f"transform={transform!r} is not a known output; allowed: {allowed}."
            )
        return self
