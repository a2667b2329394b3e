"""Time-ordered validation folds whose models train on at least half the rows."""

from sklearn.model_selection import TimeSeriesSplit


def recipe_cv(n_samples, n_splits):
    """The recipe's time-ordered folds: validation on the last half of the rows.

    ``TimeSeriesSplit``'s default folds split the rows into ``n_splits + 1``
    blocks, so its first model trains on a quarter of them (3 folds): a poor
    stand-in for the final model, which trains on all. Here the ``n_splits``
    validation blocks share the last half of the rows, so every model trains on
    at least half.
    """
    return TimeSeriesSplit(
        n_splits=n_splits, test_size=max(1, n_samples // (2 * n_splits))
    )


def min_train_rows(n_samples, n_splits):
    """Rows in the first (smallest) training fold of :func:`recipe_cv`."""
    return n_samples - n_splits * max(1, n_samples // (2 * n_splits))
