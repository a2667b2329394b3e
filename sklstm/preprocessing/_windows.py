"""Windows as a 2-D base plus start rows: 3-D input that is never built whole.

A batch of LSTM windows is gathered from a 2-D array as it is needed, so the
``(n_samples, timesteps, n_features)`` array is never built.
:class:`~sklstm.preprocessing.Windower` returns a :class:`Windows` on a panel
(each series' rows with its own ``window - 1`` history or padding rows on top,
one after the other); :class:`~sklstm.LSTMRegressor` describes any other 3-D
input the same way (:meth:`Windows.from_array`):

* a *window view* of a 2-D series (what the Windower returns on one series,
  or ``sliding_window_view`` of your own): window ``i`` is rows
  ``i .. i + timesteps - 1`` of the series, so the base is the
  ``n_samples + timesteps - 1`` rows of the series, copied once as float32;
* any other 3-D array: the base is the array reshaped to
  ``(n_samples * timesteps, n_features)`` (no copy when it is already C-ordered
  float32) and window ``i`` starts at row ``i * timesteps``.

This module imports only NumPy; the models' engine turns a :class:`Windows`
into TensorFlow tensors.
"""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["Windows", "is_window_view"]


def is_window_view(X):
    """Whether the 3-D array ``X`` is a window view of a 2-D series.

    True when stepping one sample ahead moves exactly as far in memory as
    stepping one timestep ahead (``X[i, t] is X[i + 1, t - 1]``), which is what
    ``sliding_window_view`` along the rows (and :class:`Windower`) produces.

    Parameters
    ----------
    X : ndarray of shape (n_samples, timesteps, n_features)
        A 3-D array.

    Returns
    -------
    bool
        Whether windows can be gathered from ``n_samples + timesteps - 1`` rows.

    Examples
    --------
    >>> import numpy as np
    >>> from numpy.lib.stride_tricks import sliding_window_view
    >>> from sklstm.preprocessing._windows import is_window_view
    >>> series = np.arange(20.0).reshape(10, 2)
    >>> view = sliding_window_view(series, 3, axis=0).transpose(0, 2, 1)
    >>> is_window_view(view), is_window_view(np.ascontiguousarray(view))
    (True, False)
    """
    return (
        isinstance(X, np.ndarray)
        and X.ndim == 3
        and X.shape[0] > 1
        and X.shape[1] > 1
        and X.strides[0] == X.strides[1] != 0
    )


class Windows:
    """Windows of ``timesteps`` rows of a 2-D base, one per start row.

    What :class:`~sklstm.preprocessing.Windower` returns on a panel: it stands
    for the 3-D array ``(n_samples, timesteps, n_features)`` whose sample ``i``
    is ``base[starts[i] : starts[i] + timesteps]``, without building it.
    :class:`~sklstm.LSTMRegressor` trains and predicts from it batch by batch.
    It behaves like that 3-D array where scikit-learn looks (``shape``,
    ``ndim``, ``dtype``, ``len``, selecting samples by a boolean mask, indices
    or a slice, as :class:`~sklearn.model_selection.GridSearchCV` does) and
    ``np.asarray(windows)`` builds the dense array.

    Parameters
    ----------
    base : ndarray of shape (n_rows, n_features)
        The rows windows are gathered from.
    starts : ndarray of shape (n_samples,), int
        First base row of each window.
    timesteps : int
        Rows per window.
    time_rank : ndarray of shape (n_samples,), int, default=None
        The time of each window's last row as a rank shared by all series (equal
        ranks: the same time stamp), or None (the windows are in time order).
        An estimator that holds out the latest samples for early stopping
        takes the windows of the highest ranks (:meth:`time_order`).

    Attributes
    ----------
    shape : tuple of int
        ``(n_samples, timesteps, n_features)``.
    ndim : int
        Always 3.
    dtype : numpy.dtype
        The dtype of ``base``.

    See Also
    --------
    Windower : Returns windows, a view on one series and this on a panel.

    Notes
    -----
    Selecting samples (``w[mask]``, ``w[indices]``, ``w[a:b]``, ``w[key, ...]``)
    returns a :class:`Windows` on the same base; an integer gives one window
    as a 2-D array; any other key (e.g. ``w[:, -1]``) indexes the dense array,
    which is built for it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.preprocessing import Windows
    >>> base = np.arange(10.0).reshape(5, 2)
    >>> w = Windows(base, starts=np.array([0, 1, 3]), timesteps=2)
    >>> w.shape
    (3, 2, 2)
    >>> w[2]
    array([[6., 7.],
           [8., 9.]])
    >>> w[[0, 2]].starts.tolist()
    [0, 3]
    >>> np.asarray(w)[:, -1]
    array([[2., 3.],
           [4., 5.],
           [8., 9.]])
    """

    def __init__(self, base, starts, timesteps, time_rank=None):
        self.base = base
        self.starts = starts
        self.timesteps = int(timesteps)
        self.time_rank = time_rank

    @classmethod
    def from_array(cls, X):
        """Describe a validated 2-D or 3-D numeric array as windows.

        A 2-D array is one timestep per sample. A window view keeps only its
        ``n_samples + timesteps - 1`` distinct rows. The base is float32 and
        C-ordered.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features) or \
                (n_samples, timesteps, n_features)
            Finite numeric values.

        Returns
        -------
        windows : Windows
            The same windows.
        """
        if X.ndim == 2:
            X = X[:, np.newaxis, :]
        n, timesteps, n_features = X.shape
        if is_window_view(X):
            rows = as_strided(
                X, shape=(n + timesteps - 1, n_features), strides=X.strides[1:]
            )
            starts = np.arange(n, dtype=np.int64)
        else:
            rows = X.reshape(n * timesteps, n_features)
            starts = np.arange(n, dtype=np.int64) * timesteps
        base = np.ascontiguousarray(rows, dtype=np.float32)
        return cls(base, starts, timesteps)

    @property
    def shape(self):
        """``(n_samples, timesteps, n_features)`` of the windows."""
        return (len(self.starts), self.timesteps, self.base.shape[1])

    @property
    def ndim(self):
        """Always 3."""
        return 3

    @property
    def dtype(self):
        """The dtype of the base (and of the dense array)."""
        return self.base.dtype

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, key):
        """Samples (a mask, indices, a slice), one window, or the dense array's."""
        if isinstance(key, tuple) and len(key) == 2 and key[1] is Ellipsis:
            key = key[0]  # X[mask, ...] as scikit-learn and scikeras write it
        if isinstance(key, tuple):
            return self.to_dense()[key]
        if isinstance(key, Integral):
            start = self.starts[key]
            return self.base[start : start + self.timesteps]
        rank = None if self.time_rank is None else self.time_rank[key]
        return Windows(self.base, self.starts[key], self.timesteps, rank)

    def __array__(self, dtype=None, copy=None):
        dense = self.to_dense()
        return dense if dtype is None else dense.astype(dtype, copy=False)

    def __repr__(self):
        return (
            f"Windows(shape={self.shape}, base rows={self.base.shape[0]}, "
            f"dtype={self.dtype})"
        )

    def to_dense(self):
        """The windows as a dense ``(n_samples, timesteps, n_features)`` array."""
        return self.base[self.starts[:, None] + np.arange(self.timesteps)]

    def time_order(self):
        """Sample indices oldest first (the latest time stamps last), or None.

        None when ``time_rank`` is None (the samples are in time order). Ties
        keep their order (a stable sort), so series stay in panel order within
        one time stamp.

        Returns
        -------
        order : ndarray of shape (n_samples,) or None
            A permutation of the samples.
        """
        if self.time_rank is None:
            return None
        return np.argsort(self.time_rank, kind="stable")
