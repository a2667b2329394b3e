"""The recipe's folds, scores and argument checks, shared by building and tuning."""

from numbers import Integral

import numpy as np

from sklstm.forecasting._splits import min_train_rows, recipe_cv

__all__ = [
    "check_int",
    "default_scoring",
    "mae_of_known_targets",
    "min_train_rows",
    "periods_of",
    "recipe_cv",
]


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
    """Mean absolute error over the rows whose target is known (not NaN)."""
    from sklearn.metrics import mean_absolute_error

    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.reshape(np.asarray(y_pred, dtype=np.float64), y_true.shape)
    known = ~np.isnan(y_true.reshape(len(y_true), -1)).any(axis=1)
    return mean_absolute_error(y_true[known], y_pred[known])


def default_scoring(scoring):
    """The default score, made to skip unknown (NaN) targets of validation folds."""
    if not (isinstance(scoring, str) and scoring == "neg_mean_absolute_error"):
        return scoring
    from sklearn.metrics import make_scorer

    return make_scorer(mae_of_known_targets, greater_is_better=False)
