"""Log space per column: :class:`LogTransformer`."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from sklstm.exceptions import LogSpaceWarning
from sklstm.preprocessing._base import (
    _check_no_all_nan,
    _feature_label,
    _resolve_columns,
    _validate_X,
)
from sklstm.utils._ahead import describe_columns, share_within_groups
from sklstm.utils._compat import StrOptions, _fit_context


def _first_non_positive(X, cols):
    """(row, column) of the first known value <= 0 in ``X[:, cols]``, or None."""
    bad = X[:, cols] <= 0  # NaN compares False: gaps are not the log's concern
    if not bad.any():
        return None
    row, j = np.argwhere(bad)[0]
    return int(row), int(cols[j])


def _name(estimator, j):
    names = getattr(estimator, "feature_names_in_", None)
    return str(names[j]) if names is not None else f"x{j}"


class LogTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Take the natural log of the columns that are strictly positive in fit.

    Log space suits strictly positive series whose swings grow with their
    level (sales, passengers). Columns that hold a value <= 0 in the training
    data (0/1 dummies, signed covariates, temperatures) cannot be logged:
    they pass through unchanged, and :meth:`fit` says so once with a
    :class:`~sklstm.exceptions.LogSpaceWarning` naming them. Which columns are
    logged is decided in :meth:`fit` only; a logged column that holds a value
    <= 0 in later data raises a ``ValueError`` naming the column, the value
    and its row. NaN passes through. Row ``t`` of the output depends on row
    ``t`` of the input only.

    Parameters
    ----------
    columns : None, str, int or list of str or int, default=None
        Columns that must be logged, by name (when ``X`` has feature names) or
        position: :meth:`fit` raises a ``ValueError`` when one of them holds a
        value <= 0. None: none required.

    others : {"positive", "passthrough"}, default="positive"
        The columns not listed in ``columns``: "positive" logs those that are
        strictly positive in fit and passes the others through (one
        ``LogSpaceWarning`` names them); "passthrough" passes them all
        through, silently (for a caller that chose ``columns`` itself). A
        column known ahead and its ahead-columns (``<column>_ahead_<k>``, from
        :func:`~sklstm.forecasting.make_supervised` with ``future``) are
        logged together or not at all, and named once.

    Attributes
    ----------
    log_columns_ : ndarray of int
        Positions of the logged columns.

    passthrough_columns_ : ndarray of int
        Positions of the columns passed through unchanged.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : ``FunctionTransformer(np.log)``
        logs every column, and fails on the first value <= 0.

    Notes
    -----
    Warnings are issued with Python's :mod:`warnings`: under its default
    filter a repeated warning (same text, same place) is shown once, so a
    search that fits the same columns many times says it once. Silence it with
    ``warnings.simplefilter("ignore", LogSpaceWarning)``, or name the columns
    yourself with ``others="passthrough"``.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm.preprocessing import LogTransformer
    >>> X = pd.DataFrame({"sales": [1.0, np.e, np.e ** 2], "promo": [0.0, 1.0, 0.0]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     log = LogTransformer().fit(X)
    >>> print(caught[0].message)
    LogTransformer: column(s) ['promo'] hold values <= 0 in fit; they pass
    through without the log (the other columns are logged).
    >>> log.set_output(transform="pandas").transform(X)
       sales  promo
    0    0.0    0.0
    1    1.0    1.0
    2    2.0    0.0
    >>> LogTransformer(columns=["sales"], others="passthrough").fit(X).log_columns_
    array([0])
    """

    _parameter_constraints: dict = {
        "columns": [None, "array-like", str, Integral],
        "others": [StrOptions({"positive", "passthrough"})],
    }

    def __init__(self, *, columns=None, others="positive"):
        self.columns = columns
        self.others = others

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Decide which columns are logged.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN is ignored.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.

        Warns
        -----
        LogSpaceWarning
            With ``others="positive"``, when some columns hold a value <= 0
            and pass through.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Decide which columns are logged and log them in ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN passes through.

        y : None
            Ignored.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
            ``X`` with the logged columns replaced by their log.
        """
        return self._log(self._fit(X))

    def _fit(self, X):
        X, _ = _validate_X(self, X, reset=True)
        _check_no_all_nan(self, X)
        n = X.shape[1]
        required = (
            np.zeros(0, dtype=np.intp)
            if self.columns is None
            else _resolve_columns(self, self.columns, n)
        )
        bad = _first_non_positive(X, required)
        if bad is not None:
            row, j = bad
            raise ValueError(
                f"columns={self.columns!r}: column {_feature_label(self, j)} holds "
                f"{float(X[row, j])} at row {row} of the training data; a column in "
                "log space must be strictly positive (> 0). Leave it out of "
                "columns, or shift it first."
            )
        others = np.setdiff1d(np.arange(n), required)
        if self.others == "positive":
            positive = ~(X[:, others] <= 0).any(axis=0)
            # a column known ahead and its ahead-columns: logged together or not
            names = [_name(self, j) for j in others]
            positive = np.asarray(share_within_groups(names, positive), dtype=bool)
            passthrough = others[~positive]
            logged = np.sort(np.concatenate([required, others[positive]]))
        else:
            passthrough, logged = others, np.sort(required)
        self.log_columns_ = logged.astype(np.intp)
        self.passthrough_columns_ = passthrough.astype(np.intp)
        if self.others == "positive" and len(passthrough) and X.shape[0]:
            names = describe_columns([_name(self, j) for j in passthrough])
            warnings.warn(
                f"LogTransformer: column(s) {names} hold values <= 0 in fit; they "
                "pass through without the log (the other columns are logged).",
                LogSpaceWarning,
                stacklevel=3,
            )
        return X

    def _log(self, X):
        cols = self.log_columns_
        if len(cols) == X.shape[1]:
            return np.log(X)  # every column: the one call FunctionTransformer makes
        out = X.copy()
        if len(cols):
            out[:, cols] = np.log(X[:, cols])
        return out

    def transform(self, X):
        """Log the columns chosen in :meth:`fit`; the others pass through.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to transform; NaN passes through.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
            ``X`` with the logged columns replaced by their log.

        Raises
        ------
        ValueError
            When a logged column holds a value <= 0, naming the column, the
            value and its row.
        """
        check_is_fitted(self)
        X_arr, index = _validate_X(self, X, reset=False)
        bad = _first_non_positive(X_arr, self.log_columns_)
        if bad is not None:
            row, j = bad
            where = f"row {row}" + (
                f" (index {index[row]})" if index is not None else ""
            )
            raise ValueError(
                f"LogTransformer: column {_feature_label(self, j)} is in log space "
                f"(strictly positive in fit), but X holds {float(X_arr[row, j])} at "
                f"{where}; the log of a value <= 0 is undefined. Fit on data "
                "that shows such values so that the column passes through, or "
                "shift the column first."
            )
        return self._log(X_arr)

    def inverse_transform(self, X):
        """Undo :meth:`transform`: the exponential of the logged columns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data in log space.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
            Data in the original units.
        """
        check_is_fitted(self)
        X_arr, _ = _validate_X(self, X, reset=False)
        out = X_arr.copy()
        cols = self.log_columns_
        if len(cols):
            out[:, cols] = np.exp(X_arr[:, cols])
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
