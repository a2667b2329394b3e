"""Tuning the recipe: baseline, network and shrinkage, all by time-ordered CV."""

import warnings
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, ParameterGrid

from sklstm.exceptions import LogSpaceWarning
from sklstm.forecasting import AirlineForecaster
from sklstm.forecasting._panel_framing import is_panel
from sklstm.utils import ProgressScorer
from sklstm.utils._panel import collect_unseen
from sklstm.utils._search_threads import threads_unless_chosen

from ._build import make_lstm_forecaster, resolve_log_columns
from ._folds import (
    check_int,
    default_scoring,
    min_train_size,
    periods_of,
    recipe_folds,
)
from ._selection import _select_baseline_fits
from ._shared import seed_baseline, share_baseline, unshare_baseline
from ._shrinkage import SHRINKAGES, _BestShrunk, _ShrinkageScores, apply_best_shrinkage

__all__ = ["DEFAULT_PARAM_GRIDS", "tune_lstm_forecaster"]

#: Search spaces of :func:`tune_lstm_forecaster`, by budget. Keys are the
#: parameters of :func:`make_lstm_forecaster`'s estimator; the search adds the
#: window lengths, which scale with the data's shortest period.
DEFAULT_PARAM_GRIDS = {
    "quick": {
        "regressor__lstm__estimator__n_layers": [1],
        "regressor__lstm__estimator__units": [16],
        "regressor__lstm__estimator__dropout": [0.0, 0.2],
        "regressor__lstm__estimator__l2": [1e-4],
    },
    "default": {
        "regressor__lstm__estimator__n_layers": [1, 2],
        "regressor__lstm__estimator__units": [16],
        "regressor__lstm__estimator__dropout": [0.0, 0.2],
        "regressor__lstm__estimator__l2": [1e-4],
    },
}

# networks averaged in every fit, by budget
_BUDGET_SEEDS = {"quick": 1, "default": 3}


def _window_grid(periods, n_min_train):
    """The windows the default grids try: relative to the shortest period.

    Without a season 8 and 16 rows; with one of p rows, p/2 and p (at least
    4 and 8, at most 16 and 32: the seasonal lag features carry the longer
    memory), each at most half the smallest training fold.
    """
    if periods:
        p = periods[0]
        windows = {min(16, max(4, p // 2)), min(32, max(8, p))}
    else:
        windows = {8, 16}
    cap = max(2, n_min_train // 2)
    return sorted({min(w, cap) for w in windows})


def _budget_grid(budget, periods, n_min_train, panel=False):
    """The budget's grid, with windows scaled to the shortest period.

    On a panel, whose fits are many times larger, both budgets search the
    quick grid's residual candidates (the default budget averages 3 networks
    in each), beside the window network's.
    """
    if budget not in DEFAULT_PARAM_GRIDS:
        raise ValueError(
            f"budget={budget!r} is not one of {sorted(DEFAULT_PARAM_GRIDS)}."
        )
    windows = _window_grid(periods, n_min_train)
    grid = "quick" if panel else budget
    return {
        "regressor__window__window": windows[:1] if grid == "quick" else windows,
        **DEFAULT_PARAM_GRIDS[grid],
    }


def _window_network_window(periods, n_min_train):
    """The window network's input length: two and a half seasons (10 rows
    without a season, at least 8), at most half the smallest training fold."""
    window = max(8, round(2.5 * periods[-1])) if periods else 10
    return max(2, min(window, n_min_train // 2))


def _window_candidates(*, target, periods, n_min_train, **build):
    """The window network's candidates of a panel's grid (one grid entry).

    They replace the residual network's regressor: each forecasts the
    series itself, weighed against the baseline by the search's shrinkage
    (``learn="target"``, combined outside log space). With a season, it is
    tried with and without each series' seasonal profile.
    """
    from ._window import window_network

    regressor = window_network(
        target=target,
        periods=periods,
        window=_window_network_window(periods, n_min_train),
        deseasonalize=True,
        **build,
    )
    return {
        "regressor": [regressor],
        "regressor__deseasonalize": [True, False] if periods else [False],
        "learn": ["target"],
        "log": [False],
        "clip_residual": [None],
        "scale_residual": [None],
    }


_RECIPE_ONLY = {
    "window",
    "moving_average",
    "seasonal_lags",
    "clip_residual",
    "scale_by_series",
    "series_identity",
    "network",
    "deseasonalize",
}


def _check_shrinkages(shrinkages):
    shrinkages = tuple(shrinkages)
    if not shrinkages or any(
        not isinstance(a, Real) or isinstance(a, bool) or not a >= 0 for a in shrinkages
    ):
        raise ValueError(
            f"shrinkages={shrinkages!r} must be a non-empty list of numbers >= 0."
        )
    return shrinkages


def _target_values(X, target):
    """The target's column of X, as floats."""
    if isinstance(target, str):
        return np.asarray(X[target], dtype=float)
    if hasattr(X, "iloc"):
        return np.asarray(X.iloc[:, target], dtype=float)
    return np.asarray(X, dtype=float)[:, target]


def _resolve_log(log, X, y, target):
    """``log`` checked; "auto": True when every known value of the target is > 0.

    The target alone decides: other columns that cannot be logged pass
    through (see :func:`resolve_log_columns`) and cost the target nothing.
    """
    if not isinstance(log, str):
        return log
    if log != "auto":
        raise ValueError(f"log={log!r} must be True, False or 'auto'.")
    # gaps (NaN) are filled or left out of training: judge the known values
    values = np.concatenate(
        [_target_values(X, target), np.asarray(y, dtype=float).ravel()]
    )
    return bool(np.all(values[~np.isnan(values)] > 0))


def _say_log_per_series(X, target):
    """Name the series that keep a panel out of log space (``log="auto"``).

    Returns whether some series, but not all, are strictly positive.

    The one global network works in one space for all series (logged and
    unlogged series in one network's inputs and residual would lie on
    scales that cannot be compared, and log1p is not scale-free either), so
    a series that touches 0 keeps the whole panel out of log space; the
    models fitted per series (the airline baseline) still log the others.
    """
    values = pd.Series(_target_values(X, target), index=X.index)
    positive = (values > 0) | values.isna()
    per_series = positive.groupby(level=0, sort=False).all()
    if per_series.all() or not per_series.any():
        return False
    touching = list(per_series.index[~per_series])
    shown = ", ".join(repr(label) for label in touching[:5])
    more = f" and {len(touching) - 5} more" if len(touching) > 5 else ""
    warnings.warn(
        f"log='auto': {len(touching)} of the {len(per_series)} series of the "
        f"panel ({shown}{more}) hold values <= 0, so the recipe's network works "
        "outside log space for all series; the airline baseline, fitted per "
        "series, logs the strictly positive ones (log='auto').",
        LogSpaceWarning,
        stacklevel=3,
    )
    return True


def _score_label(scoring, X):
    """How progress lines name the default score; None for the user's own."""
    if not (isinstance(scoring, str) and scoring == "neg_mean_absolute_error"):
        return None
    return "scaled MAE" if is_panel(X) else "MAE"


def _progress_scoring(scoring, param_grid, n_splits, label):
    """``scoring`` wrapped to print a line per finished fit."""
    if isinstance(scoring, ProgressScorer):
        return scoring
    grids = [param_grid] if isinstance(param_grid, dict) else list(param_grid)
    varied = sorted({k for grid in grids for k, v in grid.items() if len(v) > 1})
    return ProgressScorer(
        scoring,
        total=len(ParameterGrid(param_grid)) * n_splits,
        params=varied,
        name=label,
    )


def _fit_sharing_baseline(search, X, y, fits=()):
    """Fit the search, its candidates sharing one baseline fit per fold.

    ``fits``: ``(train, fitted)`` baselines that selection already fitted on
    the folds' training rows (see :func:`seed_baseline`).
    """
    search.estimator, token = share_baseline(search.estimator)
    try:
        seed_baseline(token, X, y, fits)
        search.fit(X, y)
    finally:
        unshare_baseline(search, token)
    return search


def tune_lstm_forecaster(
    X,
    y,
    *,
    target,
    m=1,
    log="auto",
    baseline="auto",
    budget="default",
    param_grid=None,
    n_seeds=None,
    shrinkages=SHRINKAGES,
    n_splits=3,
    scoring="neg_mean_absolute_error",
    random_state=0,
    n_jobs=None,
    verbose=0,
    **lstm_params,
):
    """Tune :func:`make_lstm_forecaster` with ``GridSearchCV(TimeSeriesSplit)``.

    Every choice comes from the training rows: the baseline the LSTM corrects
    (:func:`select_baseline`), the network (the budget's grid, whose windows
    scale with the shortest period), and how much of the LSTM's correction to
    apply (``shrinkages``, scored from the same fits at no extra cost). When
    the network adds nothing in validation, ``best_params_["shrinkage"]`` is 0
    and the model predicts the baseline exactly.

    Parameters
    ----------
    X : DataFrame of shape (n_samples, n_columns)
        Training rows of :func:`~sklstm.forecasting.make_supervised`, with a
        time index (it lets each validation fold continue its training fold).
        A panel (a (series, time) MultiIndex) is tuned as one global model.
    y : Series or DataFrame
        Targets.
    target : str or int
        Target column of X.
    m : int or sequence of int, default=1
        Seasonal period(s) (see :func:`make_lstm_forecaster`).
    log : bool or "auto", default="auto"
        Log space (see :func:`make_lstm_forecaster`); "auto": when every known
        value of the target (its column of X, and y) is strictly positive,
        whatever the other columns hold. Which other columns are logged is
        decided once, on all of X (those strictly positive there); the rest
        pass through in every fit, named once by a
        :class:`~sklstm.exceptions.LogSpaceWarning`. On a panel where some
        series touch 0 (or less), "auto" keeps the network out of log space
        for all series (one network works on one scale: logged and unlogged
        series in its inputs and residual could not be compared, and log1p
        is not scale-free either), names those series in a
        :class:`~sklstm.exceptions.LogSpaceWarning`, and lets the airline
        baseline, fitted per series, log the strictly positive ones
        (``AirlineForecaster(log="auto")``).
    baseline : "auto", str or estimator, default="auto"
        What the LSTM corrects: "naive", "seasonal", "ridge", "airline" or an
        estimator (see :func:`make_lstm_forecaster`); "auto" asks
        :func:`select_baseline` on the same folds, and the search's folds
        take the chosen baseline as selection fitted it there. Every
        candidate of the search corrects one fit of the baseline per fold.
    budget : {"quick", "default"}, default="default"
        Which grid of :data:`DEFAULT_PARAM_GRIDS` to search ("quick": 2
        candidates of one network; "default": 8 candidates of averages of 3
        networks). Both add ``regressor__window__window``: the shortest
        period's half and whole (8 and 16 without a season; "quick" the
        first), between 4 and 32 rows. On a panel, both search the quick
        grid's 2 residual candidates and 2 of the window network (see
        ``make_lstm_forecaster(network="window")``: with and without each
        series' seasonal profile), "default" averaging 3 networks in each:
        a panel's fits are many times larger.
    param_grid : dict or list of dict, default=None
        A grid of your own instead of the budget's.
    n_seeds : int or None, default=None
        Networks averaged in every fit (see :func:`make_lstm_forecaster`);
        None: the budget's (1 for "quick", 3 for "default").
    shrinkages : sequence of float >= 0, default=(0, 0.25, 0.5, 0.75, 1)
        Shares of the LSTM's correction to choose from by validation score.
        ``(1.0,)`` applies it whole.
    n_splits : int, default=3
        Number of validation folds: ``TimeSeriesSplit(n_splits,
        test_size=len(X) // (2 * n_splits))``, whose validation blocks share
        the last half of the rows, so that every model trains on at least half
        of them (the default ``TimeSeriesSplit(3)`` trains its first on a
        quarter: a poor stand-in for the final model).
        For a panel (a (series, time) MultiIndex):
        ``PanelTimeSeriesSplit(n_splits, test_size="last_half")``, the same
        folds on the time stamps shared by all series, and the windows of the
        budget's grid are capped by the median series' history in the
        smallest training fold. On a ragged panel (series of any lengths and
        start dates) a series too short for a fit's lags or windows gives it
        no rows, and one with no rows in a fold's training part is forecast
        there by the baseline alone; one
        :class:`~sklstm.exceptions.UnseenSeriesWarning` names them.
    scoring : str or callable, default="neg_mean_absolute_error"
        Model selection score. The default skips validation rows whose target
        is unknown (NaN), as training does. On a panel the default is
        scale-free: each series' mean absolute error over the mean absolute
        one-step change of its validation targets, averaged over series, so
        that the largest series do not decide alone (``best_score_`` is then
        minus that ratio).
    random_state : int, default=0
        Draws the seeds of every LSTM fitted.
    n_jobs : int, default=None
        Fits run at once (``GridSearchCV``'s ``n_jobs``); -1: one per core.
        They run in threads of your process
        (:func:`sklstm.utils.search_threads`), which share its TensorFlow and
        its traced graphs, with results equal to those of ``n_jobs=1``. A
        backend you choose around the call wins: worker processes with
        ``joblib.parallel_config(backend="loky")``, a Dask cluster with
        ``joblib.parallel_backend("dask")`` (see the user guide, "Parallel and
        distributed searches").
    verbose : int, default=0
        0: silent. 1: one line per finished fit (its parameters, validation
        score of the whole correction and the time so far;
        :class:`sklstm.utils.ProgressScorer`). 2 or more: also
        ``GridSearchCV``'s own messages at that verbosity.
    **lstm_params : dict
        Fixed LSTM parameters (see :func:`make_lstm_forecaster`).

    Returns
    -------
    search : GridSearchCV
        The fitted search; ``best_estimator_`` is refitted on all of X with the
        chosen shrinkage. ``cv_results_`` has one score per shrinkage
        (``mean_test_shrinkage=0.5``, ...); ``best_params_`` holds the chosen
        grid values and ``"shrinkage"``, ``best_score_`` their validation
        score. ``baseline_scores_`` (when ``baseline="auto"``) holds the
        validation MAE of every baseline :func:`select_baseline` tried.

    See Also
    --------
    make_lstm_forecaster : The estimator searched.
    select_baseline : How ``baseline="auto"`` chooses.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import train_test_split_series
    >>> from sklstm.recipe import tune_lstm_forecaster
    >>> X_train, X_test, y_train, y_test = train_test_split_series(
    ...     load_airpassengers(), "passengers", n_test=36)
    >>> search = tune_lstm_forecaster(
    ...     X_train, y_train, target="passengers", m=12, log=True,
    ...     param_grid={"regressor__lstm__estimator__units": [2, 4]}, n_splits=2,
    ...     epochs=3)
    >>> sorted(search.best_params_)
    ['regressor__lstm__estimator__units', 'shrinkage']
    """
    periods = periods_of(m)
    check_int("n_splits", n_splits, 2)
    if n_seeds is None:
        n_seeds = _BUDGET_SEEDS.get(budget, 1)
    if param_grid is None:
        n_min_train = min_train_size(X, n_splits)
        param_grid = _budget_grid(budget, periods, n_min_train, is_panel(X))
        if is_panel(X):  # a global network of the series itself, too
            lstm = {k: v for k, v in lstm_params.items() if k not in _RECIPE_ONLY}
            param_grid = [
                param_grid,
                _window_candidates(
                    target=target,
                    periods=periods,
                    n_min_train=n_min_train,
                    n_seeds=n_seeds,
                    random_state=random_state,
                    lstm_params=lstm,
                ),
            ]
    shrinkages = _check_shrinkages(shrinkages)
    auto_log = isinstance(log, str) and log == "auto"
    log = _resolve_log(log, X, y, target)
    airline_log = log
    if auto_log and not log and is_panel(X) and _say_log_per_series(X, target):
        # some series can be logged: the airline models, fitted per series, do
        airline_log = "auto"
    # one decision for every fold, said once
    log_columns = None
    if log:
        log_columns = resolve_log_columns(X, target, "tune_lstm_forecaster")
    with collect_unseen():  # every fold's fallbacks, said once
        baseline, baseline_scores, baseline_fits = _choose_baseline(
            X,
            y,
            baseline,
            target=target,
            m=m,
            log=log,
            n_splits=n_splits,
            log_columns=log_columns,
            airline_log=airline_log,
        )
        estimator = make_lstm_forecaster(
            target=target,
            m=m,
            log=log,
            baseline=baseline,
            n_seeds=n_seeds,
            random_state=random_state,
            **lstm_params,
        )
        if log:  # the columns decided above, in every fold
            estimator.set_params(
                regressor__log__columns=log_columns,
                regressor__log__others="passthrough",
            )
        label = _score_label(scoring, X)
        scoring = default_scoring(scoring)  # validation rows with NaN y: skipped
        if verbose:
            scoring = _progress_scoring(scoring, param_grid, n_splits, label)
        refit = _BestShrunk(shrinkages)
        search = GridSearchCV(
            estimator,
            param_grid,
            cv=recipe_folds(X, n_splits),
            scoring=_ShrinkageScores(scoring, shrinkages),
            refit=refit,
            error_score="raise",
            n_jobs=n_jobs,
            verbose=verbose if verbose >= 2 else 0,
        )
        # threads, unless the caller chose a backend: they share this process's
        # TensorFlow and traced graphs, where each worker process would import
        # and trace again (see benchmarks/parallel.py)
        with threads_unless_chosen():
            _fit_sharing_baseline(search, X, y, baseline_fits)
    apply_best_shrinkage(search, refit, shrinkages, scoring)
    search.baseline_scores_ = baseline_scores
    return search


def _choose_baseline(X, y, baseline, *, target, m, airline_log, **selection):
    """The baseline to correct, its selection scores and fold fits (or None, ()).

    "auto": :func:`select_baseline`'s choice (``selection``: its ``log``,
    ``n_splits`` and ``log_columns``). "airline" with ``airline_log="auto"``:
    the airline model logging each series where it can. Else as given.
    """
    if isinstance(baseline, str) and baseline == "auto":
        _, scores, chosen, fits = _select_baseline_fits(
            X, y, target=target, m=m, airline_log=airline_log, **selection
        )
        return chosen, scores, fits
    if isinstance(baseline, str) and baseline == "airline" and airline_log == "auto":
        periods = periods_of(m)
        airline = AirlineForecaster(
            m=periods[-1] if periods else 1, target=target, log="auto"
        )
        return airline, None, ()
    return baseline, None, ()
