"""How much padded test rows move the CV scores of a plain NumPy search.

``Pipeline([StandardScaler(), Windower(12), LSTMRegressor()])`` in
``GridSearchCV(cv=TimeSeriesSplit(3))`` over NumPy arrays: each test fold's
first 11 windows are padded (the first row repeated), although the training
fold's last rows precede them. ``Windower(continuation=True)`` declares that
test folds continue their training folds and gives those windows their real
history (the same scores as a DataFrame search with a continuing index). This
script runs both searches on the bundled AirPassengers series and prints the
validation MAE per candidate and fold, and the differences.

Run: ``python benchmarks/padding_cv.py`` (about a minute on 2 CPU cores).
"""

import warnings

import numpy as np
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMRegressor, Windower
from sklstm.datasets import load_airpassengers
from sklstm.exceptions import PaddingWarning
from sklstm.forecasting import make_supervised

GRID = {"lstm__units": [8, 16], "lstm__dropout": [0.0, 0.2]}


def search(X, y, continuation):
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("window", Windower(window=12, continuation=continuation)),
            ("lstm", LSTMRegressor(epochs=100, patience=10, random_state=0)),
        ]
    )
    cv = GridSearchCV(
        pipe, GRID, cv=TimeSeriesSplit(3), scoring="neg_mean_absolute_error"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PaddingWarning)
        cv.fit(X, y)
    n_warnings = sum(issubclass(w.category, PaddingWarning) for w in caught)
    return cv, n_warnings


def main():
    X, y = make_supervised(load_airpassengers(), "passengers")
    X, y = X.to_numpy(), y.to_numpy()
    padded, n_padded = search(X, y, "auto")
    real, n_real = search(X, y, True)
    print(f"PaddingWarnings: padded search {n_padded}, declared continuation {n_real}")
    print("validation MAE (passengers), padded -> real history, per fold:")
    rel = []
    for i, params in enumerate(padded.cv_results_["params"]):
        a = [-padded.cv_results_[f"split{k}_test_score"][i] for k in range(3)]
        b = [-real.cv_results_[f"split{k}_test_score"][i] for k in range(3)]
        rel += [(x - z) / z for x, z in zip(a, b, strict=True)]
        folds = ", ".join(f"{x:.2f} -> {z:.2f}" for x, z in zip(a, b, strict=True))
        print(f"  {params}: {folds}; mean {np.mean(a):.2f} -> {np.mean(b):.2f}")
    print(
        f"padding changed the fold MAE by {100 * np.min(rel):+.1f}% to "
        f"{100 * np.max(rel):+.1f}% (median {100 * np.median(rel):+.1f}%)"
    )
    print(f"best candidate: padded {padded.best_params_}, real {real.best_params_}")


if __name__ == "__main__":
    main()
