"""Helpers shared by the baseline forecasters: target column and continuation.

A frame passed to ``predict`` *continues* the training data when its first index
label is the label that would follow the last label seen in ``fit`` (next month,
next week, next day, next integer). Then the values kept from the end of the
training data are real history for the first rows of the new frame.
"""

import numpy as np

from sklstm.utils._time import continues, next_label

__all__ = ["continues", "next_label", "resolve_target"]


def resolve_target(estimator, target):
    """Column position of ``target`` in the X seen by ``validate_data`` in ``fit``.

    ``target`` is a column position (int) or, when ``fit`` got a DataFrame, a column
    name (str).
    """
    n_features = estimator.n_features_in_
    if isinstance(target, str):
        names = getattr(estimator, "feature_names_in_", None)
        if names is None:
            raise ValueError(
                f"target={target!r} is a column name, but X has no column names "
                "(NumPy input); pass a DataFrame or the column position "
                f"0 .. {n_features - 1}."
            )
        matches = np.flatnonzero(names == target)
        if len(matches) == 0:
            raise ValueError(
                f"target={target!r} is not a column of X; allowed: {list(names)}."
            )
        return int(matches[0])
    if target >= n_features:
        raise ValueError(
            f"target={target} is out of range for X with n_features = {n_features}; "
            f"allowed: a column position 0 .. {n_features - 1} or a column name."
        )
    return int(target)
