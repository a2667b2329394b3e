"""Tell a global model which series a row belongs to: one 0/1 column per series."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from sklstm.preprocessing._base import _validate_X
from sklstm.preprocessing._panel import matching_panel
from sklstm.utils._compat import _check_feature_names_in, _fit_context
from sklstm.utils._panel import panel_of, report_unseen


class SeriesOneHot(TransformerMixin, BaseEstimator):
    """Append one-hot columns of the series label of a panel's rows.

    On a panel (a DataFrame indexed by a (series, time) MultiIndex) the output
    is ``X`` followed by one column per series seen in :meth:`fit`, 1.0 in the
    rows of that series and 0.0 elsewhere, so that one global model can learn
    what sets a series apart. On data that is not a panel, ``X`` passes
    through unchanged (one series needs no identity).

    This transformer has no parameters.

    Attributes
    ----------
    series_ : pandas.Index
        Labels of the series seen in fit, in the order of the new columns
        (empty when fit did not see a panel).
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.preprocessing.OneHotEncoder : One-hot columns of a column's values.

    Notes
    -----
    A series unseen in fit gets zeros in every new column: the model sees
    "no known series", not another series' identity. Each output row depends
    only on its own input row and label (no look-ahead); ``n`` rows in, ``n``
    rows out, in the same order.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.preprocessing import SeriesOneHot
    >>> index = pd.MultiIndex.from_product([["a", "b"], [1, 2]])
    >>> X = pd.DataFrame({"y": [1.0, 2.0, 10.0, 20.0]}, index=index)
    >>> enc = SeriesOneHot().fit(X)
    >>> enc.transform(X)
    array([[ 1.,  1.,  0.],
           [ 2.,  1.,  0.],
           [10.,  0.,  1.],
           [20.,  0.,  1.]])
    >>> enc.get_feature_names_out().tolist()
    ['y', 'series_a', 'series_b']
    """

    _parameter_constraints: dict = {}

    def __init__(self):
        pass

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Remember the series labels of ``X`` (none when it is not a panel).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        self : SeriesOneHot
            The fitted transformer.
        """
        _validate_X(self, X, reset=True)
        panel = panel_of(X)
        self.series_ = pd.Index([] if panel is None else panel.labels)
        return self

    def transform(self, X):
        """``X`` with the one-hot columns of its rows' series appended.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to transform; a panel if fit saw one.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features + n_series)
            ``X`` and the one-hot columns (zeros for a series unseen in fit).
        """
        check_is_fitted(self)
        X_arr, _ = _validate_X(self, X, reset=False)
        # fitted on one series: a panel passes through, like any other X
        panel = panel_of(X)
        if len(self.series_):
            panel = matching_panel(self, X, fitted_on_panel=True)
        out = np.zeros(
            (X_arr.shape[0], X_arr.shape[1] + len(self.series_)), X_arr.dtype
        )
        out[:, : X_arr.shape[1]] = X_arr
        if panel is not None and len(self.series_):
            codes = self.series_.get_indexer(panel.labels)
            for code, (_, rows, _) in zip(codes, panel.segments(), strict=True):
                if code >= 0:  # an unseen series keeps zeros
                    out[rows, X_arr.shape[1] + code] = 1.0
            if (codes < 0).any():
                report_unseen(
                    self,
                    series=[
                        label
                        for label, c in zip(panel.labels, codes, strict=True)
                        if c < 0
                    ],
                    n_series=len(panel.labels),
                    fallback="gave them 0 in every series column",
                )
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
            The input names, then ``series_<label>`` per series seen in fit.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        new = [f"series_{label}" for label in self.series_]
        return np.asarray([*names.tolist(), *new], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
