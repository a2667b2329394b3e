"""Windows as a 2-D base plus start rows: what the training engine streams from.

A batch of LSTM windows is gathered from a 2-D array as it is needed, so the
``(n_samples, timesteps, n_features)`` array is never built. Any 3-D input is
described this way:

* a *window view* of a 2-D series (what :class:`~sklstm.preprocessing.Windower`
  returns, or ``sliding_window_view`` of your own): window ``i`` is rows
  ``i .. i + timesteps - 1`` of the series, so the base is the
  ``n_samples + timesteps - 1`` rows of the series, copied once as float32;
* any other 3-D array: the base is the array reshaped to
  ``(n_samples * timesteps, n_features)`` (no copy when it is already C-ordered
  float32) and window ``i`` starts at row ``i * timesteps``.

This module imports only NumPy; the engine turns a :class:`Windows` into
TensorFlow tensors.
"""

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
    >>> from sklstm.models._windows import is_window_view
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
    """Windows of ``timesteps`` rows of a 2-D float32 base, one per start row.

    Behaves like the 3-D array it stands for where scikit-learn and scikeras
    look (``shape``, ``len``, ``ndim``, boolean or integer indexing of samples)
    without materializing it.

    Parameters
    ----------
    base : ndarray of shape (n_rows, n_features), float32, C-ordered
        The rows windows are gathered from.
    starts : ndarray of shape (n_samples,), int
        First base row of each window.
    timesteps : int
        Rows per window.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.models._windows import Windows
    >>> w = Windows.from_array(np.arange(12.0).reshape(2, 3, 2))
    >>> w.shape, w.base.shape, w.starts.tolist()
    ((2, 3, 2), (6, 2), [0, 3])
    >>> np.array_equal(w.to_dense(), np.arange(12.0).reshape(2, 3, 2))
    True
    """

    def __init__(self, base, starts, timesteps):
        self.base = base
        self.starts = starts
        self.timesteps = int(timesteps)

    @classmethod
    def from_array(cls, X):
        """Describe a validated 2-D or 3-D numeric array as windows.

        A 2-D array is one timestep per sample. A window view keeps only its
        ``n_samples + timesteps - 1`` distinct rows.

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

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, key):
        """Select samples (a boolean mask, indices or a slice); same base."""
        if isinstance(key, tuple):  # X[mask, ...] as scikeras writes it
            if len(key) != 2 or key[1] is not Ellipsis:
                raise IndexError("Windows select samples only: w[key] or w[key, ...]")
            key = key[0]
        return Windows(self.base, self.starts[key], self.timesteps)

    def to_dense(self):
        """The windows as a dense ``(n_samples, timesteps, n_features)`` array."""
        return self.base[self.starts[:, None] + np.arange(self.timesteps)]
