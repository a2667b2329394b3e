"""Machinery shared by the time-aware transformers.

Every time-aware transformer (imputer, lags, rolling statistics, differences,
windower) keeps the same contract:

* ``n`` rows in, ``n`` rows out, same index, so that ``y`` stays aligned in a
  plain :class:`~sklearn.pipeline.Pipeline`.
* Output row ``t`` depends only on input rows ``<= t`` (and on what ``fit`` saw).
  One exact exception, on the data ``fit`` saw itself (``fit_transform``):
  :class:`TimeSeriesImputer` fills a gap at the start of a column with its
  ``fallback`` (by default the column's first valid value, a later row), and
  its "mean" and "median" strategies use the whole column. On later data these
  values come from the training data only.
* Rows without enough history (warm-up rows) are computed as if ``k`` rows had
  been prepended to the input and dropped afterwards. The prepended rows are
  either the real tail of the training data (*continuation*) or padding chosen
  by the ``warmup`` parameter.

* A panel (a (series, time) MultiIndex) is transformed series by series, each
  with the state ``fit`` learned from that series (see ``_panel.py``).

This module holds the input validation, the continuation detection and the
padding; the estimators live in the sibling modules.
"""

import copy
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from sklstm.preprocessing._panel import SeriesTooShort, _PanelMixin
from sklstm.utils._compat import (
    Interval,
    StrOptions,
    _check_feature_names_in,
    _fit_context,
    validate_data,
)
from sklstm.utils._padding import report_padding, same_start
from sklstm.utils._panel import panel_of, time_labels
from sklstm.utils._time import continues, next_label

_FLOAT_DTYPES = (np.float64, np.float32)


def _time_index(X):
    """Return the index of ``X`` if it can order rows in time, else None.

    See :func:`~sklstm.utils._panel.time_labels` (a ``ValueError`` for a
    duplicated or unsorted date index).
    """
    index = getattr(X, "index", None)
    if not isinstance(X, (pd.DataFrame, pd.Series)) or not isinstance(index, pd.Index):
        return None
    return time_labels(index)


def _check_numeric(estimator, X):
    """Raise a clear error for non-numeric DataFrame columns."""
    dtypes = getattr(X, "dtypes", None)
    if isinstance(X, pd.DataFrame):
        bad = [
            str(col)
            for col, dtype in dtypes.items()
            if not (
                pd.api.types.is_numeric_dtype(dtype)
                or pd.api.types.is_bool_dtype(dtype)
            )
        ]
        if bad:
            raise ValueError(
                f"{type(estimator).__name__} needs numeric input, but X has "
                f"non-numeric columns {bad}; encode or drop them first "
                "(e.g. with OneHotEncoder in a ColumnTransformer)."
            )


def _validate_X(estimator, X, *, reset):
    """Validate X as a 2-D float array, keeping float32; return (array, index)."""
    index = _time_index(X)
    _check_numeric(estimator, X)
    try:
        X_arr = validate_data(
            estimator,
            X,
            reset=reset,
            dtype=_FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
        )
    except ValueError as exc:
        if "could not convert" in str(exc):
            raise ValueError(
                f"{type(estimator).__name__} needs numeric input: {exc}"
            ) from None
        raise
    return X_arr, index


def _order(X):
    """Memory order to give outputs: that of the input (DataFrames give "F")."""
    return "F" if X.flags.f_contiguous and not X.flags.c_contiguous else "C"


def _take_columns(X, cols):
    """``X[:, cols]``, as a view when ``cols`` is a contiguous run."""
    if len(cols) and (np.diff(cols) == 1).all():
        return X[:, cols[0] : cols[-1] + 1]
    return X[:, cols]


def _feature_label(estimator, j):
    names = getattr(estimator, "feature_names_in_", None)
    return repr(str(names[j])) if names is not None else f"x{j}"


def _check_no_all_nan(estimator, X):
    """Raise if a column of the fit data is all NaN."""
    if X.shape[0] == 0:
        return
    # a column with a valid first value is not all NaN: check only the others
    suspects = np.flatnonzero(np.isnan(X[0]))
    all_nan = suspects[np.isnan(X[:, suspects]).all(axis=0)]
    if all_nan.size:
        labels = [_feature_label(estimator, j) for j in all_nan[:5]]
        raise ValueError(
            f"{type(estimator).__name__}: column(s) {', '.join(labels)} of X are "
            "all NaN in fit; there is nothing to learn from them. Drop them or "
            "impute them first."
        )


def _resolve_columns(estimator, columns, n_features):
    """Turn ``columns`` (None, names or integer positions) into positions."""
    if columns is None:
        return np.arange(n_features)
    if isinstance(columns, (str, Integral)):
        columns = [columns]
    columns = list(columns)
    if not columns:
        raise ValueError("columns=[] selects nothing; pass None for all columns.")
    names = getattr(estimator, "feature_names_in_", None)
    positions = []
    for col in columns:
        if isinstance(col, str):
            if names is None or col not in names:
                raise ValueError(
                    f"columns={columns!r}: column {col!r} is not in X; "
                    + (
                        f"allowed names are {list(names)}."
                        if names is not None
                        else "X has no column names, use integer positions."
                    )
                )
            positions.append(int(np.flatnonzero(names == col)[0]))
        elif isinstance(col, Integral) and not isinstance(col, bool):
            if not 0 <= col < n_features:
                raise ValueError(
                    f"columns={columns!r}: position {col} is out of range; "
                    f"X has {n_features} columns (0 to {n_features - 1})."
                )
            positions.append(int(col))
        else:
            raise ValueError(
                f"columns={columns!r}: entries must be column names (str) or "
                f"integer positions, got {col!r}."
            )
    if len(set(positions)) != len(positions):
        raise ValueError(f"columns={columns!r} lists a column twice.")
    return np.asarray(positions, dtype=np.intp)


def _check_int_list(name, value, *, minimum=1):
    """Validate an int or a non-empty list of ints >= minimum; return a list."""
    values = [value] if isinstance(value, Integral) else list(value)
    if not values:
        raise ValueError(f"{name}={value!r} is empty; give at least one value.")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, Integral) or v < minimum:
            raise ValueError(
                f"{name}={value!r}: every entry must be an int >= {minimum}, got {v!r}."
            )
    if len(set(values)) != len(values):
        raise ValueError(f"{name}={value!r} contains duplicates.")
    return [int(v) for v in values]


class _TimeAwareTransformer(_PanelMixin, TransformerMixin, BaseEstimator):
    """Base class: validation, continuation detection, fit/transform plumbing.

    Subclasses implement ``_fit_array(X)`` (learn from the validated training
    array) and ``_transform_array(X, continuation)``, for one series; a panel
    goes through them series by series (see ``_PanelMixin``), with the fitted
    attributes named in ``_series_attrs`` kept per series.
    """

    _series_attrs = ("last_index_", "_next_index", "_short_rows")

    _parameter_constraints: dict = {
        "continuation": [StrOptions({"auto"}), "boolean"],
    }

    def _fit(self, X):
        X_arr, index = _validate_X(self, X, reset=True)
        _check_no_all_nan(self, X_arr)
        panel = panel_of(X)
        if panel is not None:
            self._fit_panel(X_arr, panel)
            return X_arr, panel
        for attr in ("series_", "series_state_", "_unseen"):  # from a panel fit
            self.__dict__.pop(attr, None)
        self._fit_series(X_arr, index, next_label(index))
        return X_arr, None

    def _fit_series(self, X, index, following):
        """Fit on one series (rows in time order, ``index`` its time labels).

        ``following`` is the label right after the training data (None if its
        step is unknown): :func:`~sklstm.utils._time.next_label` of ``index``,
        which a panel computes for all its series at once (``next_labels``).
        """
        self.last_index_ = index[-1] if index is not None and len(index) else None
        self._next_index = following
        # a series of a panel too short for the step: its rows, to continue
        self._short_rows = X.copy() if getattr(self, "_pad_short", False) else None
        self._fit_array(X)

    def _too_short(self, message):
        """Raise :class:`SeriesTooShort` with ``message``.

        Not for a short series of a panel (``_pad_short``, see
        ``_PanelMixin._fit_panel``): it is fitted on the rows it has, its
        missing history padded.
        """
        if not getattr(self, "_pad_short", False):
            raise SeriesTooShort(message)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn what the transformer needs from the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, rows in time order. A pandas DataFrame's index is
            remembered so that a later ``transform`` can detect that its data
            continues the training data.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit to ``X`` and transform it, without prepending any history.

        The training data cannot continue itself, so this never uses the
        stored history, whatever ``continuation`` says.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, rows in time order.

        y : None
            Ignored.

        Returns
        -------
        X_out : ndarray
            Transformed data with ``n_samples`` rows.
        """
        X_arr, panel = self._fit(X)
        if panel is not None:
            return self._transform_panel(X_arr, panel, fitting=True)
        return self._transform_array(X_arr, continuation=False)

    def transform(self, X):
        """Transform ``X``; row ``t`` of the output uses input rows ``<= t`` only.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to transform, rows in time order.

        Returns
        -------
        X_out : ndarray
            Transformed data with ``n_samples`` rows.

        Warns
        -----
        PaddingWarning
            When the first rows are computed from padding that ``fit`` did not
            use: ``X`` neither continues the training index nor starts with the
            training data's first rows (see :class:`~sklstm.exceptions.PaddingWarning`).
        """
        check_is_fitted(self)
        X_arr, index = _validate_X(self, X, reset=False)
        panel = self._check_panel(X)
        if panel is not None:
            return self._transform_panel(X_arr, panel)
        continuation = self._continues(index)
        if not continuation:
            self._check_padding(X_arr)
        return self._transform_array(X_arr, continuation=continuation)

    def _check_padding(self, X):
        """Warn when rows of ``X`` would be computed from padding (no-op here)."""

    def _continues(self, index):
        """Whether the data being transformed directly follows the training data."""
        if not isinstance(self.continuation, str):  # True or False
            return bool(self.continuation)
        if index is None or not len(index) or self.last_index_ is None:
            return False
        expected = getattr(self, "_next_index", None)
        if expected is not None:
            # a regular index: only the very next label continues; a later start
            # (a gap) would make the training tail the wrong history
            return continues(index, expected)
        try:  # an irregular index: any later start
            return bool(index[0] > self.last_index_)
        except (TypeError, ValueError):
            # e.g. a DatetimeIndex against an integer index, or other frequencies
            return False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class _HistoryTransformer(_TimeAwareTransformer):
    """Time-aware transformer whose warm-up needs the previous ``k`` rows.

    ``fit`` stores the last ``k`` training rows in ``history_``; ``_extend``
    prepends either them (continuation) or padding chosen by ``warmup``.
    """

    _series_attrs = (*_TimeAwareTransformer._series_attrs, "history_", "_head")

    _parameter_constraints: dict = {
        **_TimeAwareTransformer._parameter_constraints,
        "warmup": [StrOptions({"edge", "constant", "nan"})],
        "fill_value": [Interval(Real, None, None, closed="neither")],
    }

    def _store_history(self, X, k):
        n = X.shape[0]
        if n < k:  # a short series of a panel: its rows after the padding
            pad = self._prefix(X, k - n, continuation=False)
            self.history_ = np.concatenate([pad, X]).astype(X.dtype, copy=False)
        else:
            self.history_ = X[n - k :].copy()
        # the first training rows: data starting with them is padded as in fit
        self._head = X[:k].copy()

    def _check_padding(self, X):
        """Report padding that ``fit`` did not use (see ``PaddingWarning``).

        Silent when padding is asked for (``continuation=False``), visible
        (``warmup="nan"``), absent (no history needed) or the same as in ``fit``
        (``X`` starts with the training data's first rows).
        """
        k = self.history_.shape[0]
        if (
            k == 0
            or X.shape[0] == 0
            or self.continuation is False
            or self.warmup == "nan"
            or same_start(X, getattr(self, "_head", X[:0]))
        ):
            return
        report_padding(self, n_rows=X.shape[0], n_history=k)

    def _prefix(self, X, k, continuation, cols=None):
        """The ``k`` rows conceptually prepended to ``X`` (columns ``cols``).

        The real last ``k`` training rows when ``continuation``, else padding
        by ``warmup``: the first row of ``X`` repeated ("edge"), ``fill_value``
        ("constant") or NaN ("nan").
        """
        cols = slice(None) if cols is None else cols
        if continuation:
            history = self.history_[self.history_.shape[0] - k :, cols]
            return history.astype(X.dtype, copy=False)
        first = X[:1, cols]
        if self.warmup == "edge":
            return np.broadcast_to(first, (k, first.shape[1]))
        value = np.nan if self.warmup in ("nan", "partial") else self.fill_value
        return np.full((k, first.shape[1]), value, dtype=X.dtype)

    def _extend(self, X, k, continuation, cols=None, order=None):
        """Return ``X[:, cols]`` with ``k`` history or padding rows on top.

        This is the one copy of the input that the warm-up needs.
        """
        Xs = X if cols is None else _take_columns(X, cols)
        out = np.empty(
            (Xs.shape[0] + k, Xs.shape[1]), dtype=X.dtype, order=order or _order(X)
        )
        out[:k] = self._prefix(X, k, continuation, cols)
        out[k:] = Xs
        return out


class _FeatureMaker(_HistoryTransformer):
    """Base for lags, rolling statistics and differences.

    The output is ``[kept original columns, new features]``; new features are
    computed on the columns selected by ``columns``.
    """

    _parameter_constraints: dict = {
        **_HistoryTransformer._parameter_constraints,
        "columns": [None, "array-like", str, Integral],
        "drop_original": ["boolean"],
    }

    def _fit_array(self, X):
        self._check_parameters()
        self.columns_ = _resolve_columns(self, self.columns, X.shape[1])
        k = self._n_history()
        if k >= X.shape[0]:
            self._too_short(self._too_short_message(X.shape[0]))
        self._store_history(X, k)
        self.n_features_out_ = len(self._kept_columns()) + len(self._suffixes()) * len(
            self.columns_
        )

    def _rows_needed(self):
        """The history ``k`` a series' rows must exceed in fit, from the parameters.

        A series of a panel with at most ``k`` rows is all padding here; a
        :class:`~sklstm.compose.ResidualRegressor` gives it no training weight.
        """
        est = copy.copy(self)
        est._check_parameters()
        return est._n_history()

    def _kept_columns(self):
        if not self.drop_original:
            return np.arange(self.n_features_in_)
        return np.setdiff1d(np.arange(self.n_features_in_), self.columns_)

    def _allocate(self, X):
        kept = self._kept_columns()
        out = np.empty(
            (X.shape[0], self.n_features_out_), dtype=X.dtype, order=_order(X)
        )
        if len(kept):
            out[:, : len(kept)] = _take_columns(X, kept)
        return out, len(kept)

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
            Kept original names followed by ``<column>_<suffix>`` for every
            suffix (see the class docstring) and every selected column.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        selected = names[self.columns_]
        new = [f"{col}_{suffix}" for suffix in self._suffixes() for col in selected]
        return np.asarray([*names[self._kept_columns()].tolist(), *new], dtype=object)
