"""Input coercion for the data checks: X and y to numeric columns with an index."""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class _Data:
    """X and y coerced for diagnosis."""

    features: pd.DataFrame  # numeric columns of X, float, one row per time step
    target: pd.Series | None
    skipped: list  # names of non-numeric columns of X
    n_timesteps: int | None  # window length when X was 3-D windows


def _to_float(values, name):
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be numeric; converting it failed: {exc}"
        ) from None


def _prepare(X, y):
    if X is None and y is None:
        raise ValueError("X=None and y=None: give the data to diagnose.")
    features, skipped, n_timesteps, index = _read_X(X)
    target = None if y is None else _read_y(y, features, index)
    if features is None:
        features = pd.DataFrame(index=target.index)
    elif index is None and target is not None:
        features.index = target.index
    n_rows = len(features)
    if n_rows == 0:
        raise ValueError("X has 0 rows: there is nothing to diagnose.")
    return _Data(features, target, skipped, n_timesteps)


def _read_X(X):
    """(features, skipped columns, window length, index) of X; index None
    unless X is a DataFrame or Series."""
    if X is None:
        return None, [], None, None
    if isinstance(X, pd.DataFrame | pd.Series):
        frame = X.to_frame() if isinstance(X, pd.Series) else X
        if isinstance(X, pd.Series) and X.name is None:
            frame.columns = ["x0"]
        features, skipped = _numeric_columns(frame)
        return features, skipped, None, frame.index
    features, n_timesteps = _read_array(X)
    return features, [], n_timesteps, None


def _numeric_columns(frame):
    """The numeric and boolean columns of ``frame`` as floats, and the names of
    the other columns that are not datetimes."""
    keep, skipped = {}, []
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            keep[str(col)] = _to_float(s, f"X[{col!r}]")
        elif not pd.api.types.is_datetime64_any_dtype(s):
            skipped.append(str(col))
    return pd.DataFrame(keep, index=frame.index), skipped


def _read_array(X):
    """An array X as columns x0, x1, ...: the last step of 3-D windows, with
    their length."""
    arr = _to_float(X, "X")
    if arr.ndim == 0 or arr.ndim > 3:
        raise ValueError(
            f"X must be 1-D (a series), 2-D (n_rows, n_features) or 3-D windows "
            f"(n_samples, timesteps, n_features); got shape {arr.shape}."
        )
    n_timesteps = None
    if arr.ndim == 3:
        n_timesteps = arr.shape[1]
        arr = arr[:, -1, :]
    elif arr.ndim == 1:
        arr = arr[:, np.newaxis]
    columns = [f"x{j}" for j in range(arr.shape[1])]
    return pd.DataFrame(arr, columns=columns), n_timesteps


def _read_y(y, features, index):
    """y as a named float Series of its first column, on X's index if X has one."""
    if isinstance(y, pd.DataFrame):
        name = str(y.columns[0]) if y.shape[1] else "y"
        values, y_index = _to_float(y, "y"), y.index
    elif isinstance(y, pd.Series):
        name = "y" if y.name is None else str(y.name)
        values, y_index = _to_float(y, "y"), y.index
    else:
        name, values, y_index = "y", _to_float(y, "y"), None
    if values.ndim == 0 or values.ndim > 2:
        raise ValueError(
            f"y must be 1-D (n_rows,) or 2-D (n_rows, n_outputs); got shape "
            f"{values.shape}."
        )
    if values.ndim == 2:
        if values.shape[1] == 0:
            raise ValueError(f"y has no column; got shape {values.shape}.")
        values = values[:, 0]  # the next step of a multi-step target
    if features is not None and len(values) != len(features):
        raise ValueError(
            f"X has {len(features)} rows but y has {len(values)}: give one target "
            f"per row (per window for 3-D X)."
        )
    if index is None:
        index = y_index
    return pd.Series(values, index=index, name=name)


def _steps(n):
    return f"{n} step{'' if n == 1 else 's'}"


def _where(index, i):
    """A readable position: the date for a DatetimeIndex, else 'row i'."""
    if isinstance(index, pd.DatetimeIndex):
        stamp = index[i]
        return str(stamp.date()) if stamp == stamp.normalize() else str(stamp)
    return f"row {i}"


def _n_validation(n, validation_fraction):
    """Rows Keras' ``validation_split`` holds out: n - floor(n * (1 - fraction))."""
    if validation_fraction <= 0:
        return 0
    return n - math.floor(n * (1 - validation_fraction))
