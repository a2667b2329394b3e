"""The recipe's folds, scores and argument checks, shared by building and tuning."""

from numbers import Integral

import numpy as np
import pandas as pd

from sklstm.forecasting._panel_framing import is_panel
from sklstm.forecasting._splits import PanelTimeSeriesSplit, min_train_rows, recipe_cv

__all__ = [
    "check_int",
    "default_scoring",
    "mae_of_known_targets",
    "min_train_rows",
    "min_train_size",
    "panel_scaled_mae",
    "panel_series_scores",
    "periods_of",
    "recipe_cv",
    "recipe_folds",
]


def recipe_folds(X, n_splits):
    """The recipe's validation folds of ``X``: the last half, in time order.

    One series: :func:`recipe_cv` on its rows. A panel (a (series, time)
    MultiIndex): ``PanelTimeSeriesSplit(test_size="last_half")``, which splits
    the time stamps shared by all series, so that no fold trains on one
    series' future while it validates on another's past.
    """
    if is_panel(X):
        return PanelTimeSeriesSplit(n_splits, test_size="last_half")
    return recipe_cv(len(X), n_splits)


def min_train_size(X, n_splits):
    """The history of one series in the smallest training fold of ``X``.

    One series: its rows there (:func:`min_train_rows`). A panel: the median
    rows of its series there (windows and lags run within a series, so the
    pooled row count says nothing of them), over the series present there:
    on a panel whose series share their stamps, the rows of every series. On
    a ragged panel the shortest series would shrink every candidate's lags
    and windows to its own few rows; a series shorter than a fit needs
    gives that fit no rows instead (see
    :class:`~sklstm.compose.ResidualRegressor`).
    """
    if not is_panel(X):
        return min_train_rows(len(X), n_splits)
    train, _ = next(recipe_folds(X, n_splits).split(X))
    series = pd.Series(X.index.get_level_values(0)[train])
    return int(np.floor(series.value_counts().median()))


def check_int(name, value, minimum):
    """Raise a ValueError naming ``name`` unless ``value`` is an int >= minimum."""
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name}={value!r} must be an int >= {minimum}.")


def periods_of(m):
    """The seasonal periods > 1 of ``m`` (an int or a sequence of ints), sorted."""
    values = [m] if isinstance(m, Integral) and not isinstance(m, bool) else m
    try:
        values = list(values)
    except TypeError:
        values = None
    if not values or any(
        not isinstance(p, Integral) or isinstance(p, bool) or p < 1 for p in values
    ):
        raise ValueError(
            f"m={m!r} must be a seasonal period (an int >= 1) or a non-empty list "
            "of them, e.g. m=12 or m=(48, 336)."
        )
    return tuple(sorted({int(p) for p in values if p > 1}))


def mae_of_known_targets(y_true, y_pred):
    """Mean absolute error over the rows whose target is known (not NaN).

    On a panel (``y_true`` indexed by (series, time)): the scale-free
    :func:`panel_scaled_mae` instead, so that the largest series do not decide
    alone what a search chooses.
    """
    from sklearn.metrics import mean_absolute_error

    index = getattr(y_true, "index", None)
    if isinstance(index, pd.MultiIndex) and index.nlevels == 2:
        return panel_scaled_mae(y_true, y_pred)
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.reshape(np.asarray(y_pred, dtype=np.float64), y_true.shape)
    known = ~np.isnan(y_true.reshape(len(y_true), -1)).any(axis=1)
    return mean_absolute_error(y_true[known], y_pred[known])


def panel_scaled_mae(y_true, y_pred):
    """The mean over series of each series' MAE over its own scale.

    A series' scale is the mean absolute one-step change of its known
    targets in these rows (the first column for several horizons), like the
    denominator of MASE but from the scored rows themselves, which every
    candidate of a search shares. Series with fewer than two known targets,
    or a zero scale, are left out; when none is left, the plain MAE.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.recipe._folds import panel_scaled_mae
    >>> y = pd.Series([1.0, 2.0, 3.0, 100.0, 200.0, 300.0],
    ...               index=pd.MultiIndex.from_product([["a", "b"], range(3)]))
    >>> panel_scaled_mae(y, y + [1, 1, 1, 10, 10, 10])  # (1/1 + 10/100) / 2
    0.55
    """
    scaled = panel_series_scores(y_true, y_pred)
    if scaled.notna().any():
        return float(scaled.mean())
    values = np.asarray(y_true, dtype=np.float64).reshape(len(y_true), -1)
    pred = np.reshape(np.asarray(y_pred, dtype=np.float64), values.shape)
    known = ~np.isnan(values).any(axis=1)
    return float(np.mean(np.abs(values[known] - pred[known])))


def panel_series_scores(y_true, y_pred):
    """Each series' MAE over its own scale (see :func:`panel_scaled_mae`).

    Returns a Series indexed by the series' labels, in order of appearance;
    NaN for a series with fewer than two known targets or a zero scale.
    """
    values = np.asarray(y_true, dtype=np.float64).reshape(len(y_true), -1)
    pred = np.reshape(np.asarray(y_pred, dtype=np.float64), values.shape)
    labels, uniques = pd.factorize(y_true.index.get_level_values(0))
    known = ~np.isnan(values).any(axis=1)
    scaled = np.full(len(uniques), np.nan)
    for series, rows in enumerate(_series_rows(labels, len(uniques))):
        rows = rows[known[rows]]
        scale = np.mean(np.abs(np.diff(values[rows, 0]))) if len(rows) > 1 else 0.0
        if scale > 0:
            scaled[series] = np.mean(np.abs(values[rows] - pred[rows])) / scale
    return pd.Series(scaled, index=uniques)


def _series_rows(labels, n_series):
    """The row positions of each series, in order; ``labels`` from factorize.

    A panel's series are contiguous blocks (one slice each, found in one
    pass); otherwise the rows of each label, in order of appearance.
    """
    starts = np.flatnonzero(np.diff(labels)) + 1
    if len(starts) == n_series - 1:  # contiguous: labels 0, 0, .., 1, 1, ..
        bounds = np.concatenate([[0], starts, [len(labels)]])
        return [np.arange(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return [np.flatnonzero(labels == series) for series in range(n_series)]


def default_scoring(scoring):
    """The default score, made to skip unknown (NaN) targets of validation folds."""
    if not (isinstance(scoring, str) and scoring == "neg_mean_absolute_error"):
        return scoring
    from sklearn.metrics import make_scorer

    return make_scorer(mae_of_known_targets, greater_is_better=False)
