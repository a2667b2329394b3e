"""One compact line per finished fit of a search, from its scorer."""

import os
import sys
import threading
import time
import uuid

__all__ = ["ProgressScorer"]

# scorer name -> (short name, sign that turns the score into the metric)
_SHORT = {
    "neg_mean_absolute_error": ("MAE", -1),
    "neg_root_mean_squared_error": ("RMSE", -1),
    "neg_mean_squared_error": ("MSE", -1),
    "neg_mean_absolute_percentage_error": ("MAPE", -1),
    "neg_median_absolute_error": ("MedAE", -1),
    "r2": ("R2", 1),
}
# fits scored so far, by scorer run and process (a worker counts its own;
# threads of one process count together)
_counts = {}
_counts_lock = threading.Lock()


class ProgressScorer:
    """A scorer that prints one compact line for every fit it scores.

    Give it as ``scoring`` to ``GridSearchCV``, ``RandomizedSearchCV`` or
    ``cross_validate``: every finished fit prints its number, the parameters
    named in ``params``, its validation score and the time since the scorer
    was made. It scores exactly like ``scoring``, so the search's results do
    not change.

    Parameters
    ----------
    scoring : str or callable, default="neg_mean_absolute_error"
        The score to compute: a scikit-learn scorer name or a callable
        ``scorer(estimator, X, y)``. Error scores (``neg_...``) are printed as
        the error itself (``MAE 12.3`` for ``neg_mean_absolute_error``).
    total : int, default=None
        Number of fits to expect (candidates x folds), printed as ``3/16``.
    params : list of str, default=None
        Parameters of the fitted estimator to print, by their ``get_params``
        names; the part after the last ``__`` is shown.
    name : str, default=None
        Name of the metric in the line. None: the short name of a known
        scorer name (``MAE``), else the scorer name, else "score". A callable
        made by ``make_scorer(..., greater_is_better=False)`` is printed as the
        error itself.

    See Also
    --------
    sklstm.recipe.tune_lstm_forecaster : Uses it when ``verbose >= 1``.

    Notes
    -----
    The line is printed by the process that ran the fit. With ``n_jobs=1``
    or threads (:func:`~sklstm.utils.search_threads`, what
    :func:`~sklstm.recipe.tune_lstm_forecaster` uses) that is your process
    and fits are numbered in the order they finish. With worker processes
    each worker prints its own lines (loky workers share your terminal, not a
    notebook's output; Dask workers print to their own logs, so follow a
    Dask search on its dashboard), numbered per worker and marked with its
    process id.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklstm.utils import ProgressScorer
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.0, 3.0]
    >>> scorer = ProgressScorer(total=4, params=["alpha"])
    >>> GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, cv=2,
    ...              scoring=scorer).fit(X, y).best_params_
    fit 1/4  alpha=0.1  MAE 0.4... (0 s)
    fit 2/4  alpha=0.1  MAE 0.4... (0 s)
    fit 3/4  alpha=10.0  MAE 1... (0 s)
    fit 4/4  alpha=10.0  MAE 1... (0 s)
    {'alpha': 0.1}
    """

    def __init__(
        self, scoring="neg_mean_absolute_error", *, total=None, params=None, name=None
    ):
        self.scoring = scoring
        self.total = total
        self.params = params
        self.name = name
        self._run = uuid.uuid4().hex
        self._pid = os.getpid()
        self._start = time.time()

    def __call__(self, estimator, X, y, **kwargs):
        from sklearn.metrics import get_scorer

        score = get_scorer(self.scoring)(estimator, X, y, **kwargs)
        key = (self._run, os.getpid())
        with _counts_lock:
            _counts[key] = count = _counts.get(key, 0) + 1
        if os.getpid() == self._pid:
            if self.total:  # aligned: "fit  3/24"
                number = f"{count:>{len(str(self.total))}}/{self.total}"
            else:
                number = f"{count}"
        else:
            number = f"{count} (worker {os.getpid()})"
        if isinstance(self.scoring, str):
            name, sign = _SHORT.get(self.scoring, (self.scoring, 1))
        else:  # make_scorer(..., greater_is_better=False) has _sign -1
            name, sign = "score", getattr(self.scoring, "_sign", 1)
        name = self.name or name
        values = estimator.get_params() if self.params else {}
        shown = "".join(
            f"  {param.rsplit('__', 1)[-1]}={values[param]}"
            for param in (self.params or ())
            if param in values
        )
        elapsed = time.time() - self._start
        print(
            f"fit {number}{shown}  {name} {sign * score:.4g} ({elapsed:.0f} s)",
            file=sys.stdout,
            flush=True,
        )
        return score

    def __repr__(self):
        return f"ProgressScorer({self.scoring!r}, total={self.total})"
