"""Choosing the baseline the recipe's LSTM corrects, by time-ordered CV."""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils import _safe_indexing

from sklstm.exceptions import MissingTargetWarning
from sklstm.forecasting import CombinedForecaster, SeriesChoiceForecaster
from sklstm.forecasting._panel_framing import is_panel
from sklstm.utils._panel import collect_unseen

from ._baselines import _baseline_candidates
from ._build import resolve_log_columns
from ._folds import (
    check_int,
    mae_of_known_targets,
    panel_series_scores,
    periods_of,
    recipe_folds,
)

__all__ = ["select_baseline"]

#: The name :func:`select_baseline` gives a choice per series of a panel.
PER_SERIES = "per series"

# the pairs select_baseline averages are drawn from this many best candidates
_N_COMBINED = 6
# a choice per series is made from a few folds: it must beat the best choice for
# all series by this share to be kept (on the Tourism quarterly set it won by
# 0.3 % in validation and lost 1.82 to 1.52 on the test part)
_PER_SERIES_MARGIN = 0.02


def select_baseline(
    X, y, *, target, m=1, log=False, n_splits=3, return_estimator=False
):
    """Pick the baseline the recipe's LSTM should correct, by time-ordered CV.

    Scores, on time-ordered folds of the training rows alone (``n_splits``
    validation blocks sharing the last half of the rows): the naive forecast;
    for every period of ``m`` the seasonal naive forecast with the last
    season's growth and Box and Jenkins' airline model
    (:class:`~sklstm.forecasting.AirlineForecaster`; without a season ARIMA
    (0,1,1)), where the smallest training fold holds more than twice the
    differences' history; RidgeCV on the last k values of the target
    (:class:`~sklstm.forecasting.RidgeLagForecaster`) for k in 8, 16, 32,
    every period and twice every period, without and (when X has other
    columns) with their lags too, k at most half the smallest training fold;
    and RidgeCV on the last k rows of the differenced series (every column, in
    log space with ``log``), correcting the naive forecast, and with a season
    of the seasonally differenced one, correcting the seasonal naive forecast
    (an ARIMA-like linear model; k in 8, 16, 32 and one more than every period
    and twice every period, leaving a quarter of the smallest fold with full
    history; it is fitted on the rows with their full history only, never on
    padding). Then forecast combinations: the mean of the forecasts of every
    pair of the 6 best candidates, scored on the same folds. All are cheap (no
    network); the one with the lowest mean absolute error is returned, a pair
    only when its mean beats every single candidate.

    On a panel (a (series, time) MultiIndex) the folds split the time stamps
    shared by all series (``PanelTimeSeriesSplit(test_size="last_half")``),
    the candidates' sizes count the median series' rows in the smallest
    fold (on a ragged panel, a series too short for a candidate gives it no
    rows, and one with no rows in a fold's training part is forecast by the
    candidate's fallback there), and each candidate is fitted on the pooled
    training rows: the naive,
    seasonal and airline forecasts per series, the Ridge models once on the
    per-series lag rows of all series. The score is scale-free there: each
    series' mean absolute error over the mean absolute one-step change of its
    validation targets, averaged over series (a pooled error would be decided
    by the largest series alone; the panel is scored per series too). Each
    series may also take its own best candidate or pair ("per series", a
    :class:`~sklstm.forecasting.SeriesChoiceForecaster` whose other series
    get the best single choice); that rule is scored honestly, each fold by
    choices made on the other folds alone, and kept only when it scores at
    least 2 % below every single choice (many choices made from a few folds
    overfit them more than one choice for all series does). With a panel
    whose series are not all strictly positive, the airline model is scored
    both logged per series and unlogged.

    Parameters
    ----------
    X : DataFrame of shape (n_samples, n_columns)
        Training rows of :func:`~sklstm.forecasting.make_supervised`.
    y : Series or DataFrame
        Targets.
    target : str or int
        Target column of X.
    m : int or sequence of int, default=1
        Seasonal period(s).
    log : bool, default=False
        Multiplicative growth for the seasonal baselines, and the differenced
        Ridge models in log space (the target and the columns strictly
        positive in X; the others, named once by a
        :class:`~sklstm.exceptions.LogSpaceWarning`, pass through).
    n_splits : int, default=3
        Number of validation folds.
    return_estimator : bool, default=False
        Also return the chosen baseline as an unfitted estimator, to pass as
        :func:`make_lstm_forecaster`'s ``baseline``.

    Returns
    -------
    baseline : str
        The best candidate's name: "naive", "seasonal" (the longest period),
        "seasonal(m=p)" (a shorter one), "ridge(n_lags=k)",
        "ridge(n_lags=k, exog)", "airline(m=p)", "arima(0,1,1)",
        "ridge on differences(n_lags=k)", "ridge on seasonal
        differences(n_lags=k)", or two of them joined by " + " (their mean);
        on a panel also "per series".
    scores : dict of str to float
        Mean absolute error of each candidate (and pair) over the folds (on a
        panel: the scale-free score above, and "per series" its
        cross-validated score).
    estimator : estimator
        With ``return_estimator=True``: the chosen baseline, unfitted.

    See Also
    --------
    tune_lstm_forecaster : Uses the chosen baseline.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import make_supervised
    >>> from sklstm.recipe import select_baseline
    >>> X, y = make_supervised(load_airpassengers(), "passengers")
    >>> name, scores = select_baseline(X, y, target="passengers", m=12, log=True)
    >>> name
    'ridge on seasonal differences(n_lags=8) + airline(m=12)'
    >>> round(scores["naive"], 1), round(scores["seasonal"], 1), round(scores[name], 1)
    (36.5, 10.1, 8.9)
    """
    log_columns = resolve_log_columns(X, target, "select_baseline") if log else None
    with collect_unseen():  # the candidates' fallbacks in every fold, said once
        name, scores, estimator = _select_baseline(
            X,
            y,
            target=target,
            m=m,
            log=log,
            n_splits=n_splits,
            log_columns=log_columns,
        )
    return (name, scores, estimator) if return_estimator else (name, scores)


def _fold_predictions(estimator, X, y, folds, truths):
    """A clone fitted on each fold's training rows, and its predictions."""
    models, predictions = [], []
    for (train, test), truth in zip(folds, truths, strict=True):
        model = clone(estimator).fit(_safe_indexing(X, train), _safe_indexing(y, train))
        pred = np.asarray(model.predict(_safe_indexing(X, test)), dtype=float)
        models.append(model)
        predictions.append(np.reshape(pred, np.shape(truth)))
    return models, predictions


def _cv_mae(truths, predictions):
    """The mean over folds of the MAE on known targets."""
    return float(
        np.mean(
            [
                mae_of_known_targets(truth, pred)
                for truth, pred in zip(truths, predictions, strict=True)
            ]
        )
    )


def _candidate_predictions(candidates, X, y, folds, truths):
    """Fold predictions of every candidate that can be fitted; warn of the rest.

    Returns the predictions and the fitted models, each by candidate name, a
    list over folds.
    """
    predictions, models = {}, {}
    with warnings.catch_warnings():
        # a fold may hold rows with an unknown target: left out, said by the fit
        warnings.simplefilter("ignore", MissingTargetWarning)
        for name, est in candidates.items():
            try:
                models[name], predictions[name] = _fold_predictions(
                    est, X, y, folds, truths
                )
            except (ValueError, np.linalg.LinAlgError) as exc:
                # one candidate that cannot fit these folds must not stop the rest
                warnings.warn(
                    f"select_baseline left out the candidate {name!r}: {exc}",
                    UserWarning,
                    stacklevel=4,
                )
    return predictions, models


def _score_pairs(scores, predictions, truths):
    """Score the mean forecast of every pair of the best candidates, in place.

    Returns the pairs by name; their scores are added to ``scores``.
    """
    best = sorted(scores, key=scores.get)[:_N_COMBINED]
    pairs = {}
    for i, first in enumerate(best):
        for second in best[i + 1 :]:
            name = f"{first} + {second}"
            pairs[name] = (first, second)
            mean = _pair_predictions(predictions, first, second)
            scores[name] = _cv_mae(truths, mean)
    return pairs


def _pair_predictions(predictions, first, second):
    """The fold predictions of the mean forecast of two candidates."""
    return [
        (a + b) / 2
        for a, b in zip(predictions[first], predictions[second], strict=True)
    ]


def _select_baseline(X, y, *, target, m, log, n_splits, log_columns=None):
    """:func:`select_baseline`, also returning the chosen (unfitted) estimator.

    ``log_columns``: the columns the differenced Ridge models log (from
    :func:`resolve_log_columns`); None: each fit decides.
    """
    name, scores, estimator, _ = _select_baseline_fits(
        X, y, target=target, m=m, log=log, n_splits=n_splits, log_columns=log_columns
    )
    return name, scores, estimator


def _select_baseline_fits(
    X, y, *, target, m, log, n_splits, log_columns=None, airline_log=None
):
    """:func:`_select_baseline`, also returning the chosen one's fold fits.

    The fourth value is a list over the folds of ``(train, fitted)``: the
    training rows' positions and the chosen estimator fitted on them, made
    of the very models that were scored (a fit on the same rows would give
    the same model). The recipe's search hands them to its folds, which fit
    the baseline on exactly these rows (:func:`~._shared.seed_baseline`).
    """
    check_int("n_splits", n_splits, 2)
    candidates = _baseline_candidates(
        X,
        target=target,
        periods=periods_of(m),
        log=log,
        n_splits=n_splits,
        log_columns=log_columns,
        airline_log=airline_log,
    )
    folds = list(recipe_folds(X, n_splits).split(X))
    truths = [_safe_indexing(y, test) for _, test in folds]
    predictions, models = _candidate_predictions(candidates, X, y, folds, truths)
    if not predictions:
        raise ValueError(
            "select_baseline: no baseline candidate could be fitted on these "
            f"{len(X)} rows with n_splits={n_splits}."
        )
    scores = {name: _cv_mae(truths, preds) for name, preds in predictions.items()}
    # forecast combinations: the mean of two of the best candidates
    pairs = _score_pairs(scores, predictions, truths)
    chosen = min(scores, key=scores.get)
    if chosen in pairs:
        estimator = CombinedForecaster(
            estimators=[(name, candidates[name]) for name in pairs[chosen]]
        )
    else:
        estimator = candidates[chosen]
    if is_panel(X):
        choices, score = _per_series_choice(predictions, pairs, truths, chosen)
        scores[PER_SERIES] = score
        if score < scores[chosen] * (1 - _PER_SERIES_MARGIN):
            members = pairs.get(chosen, (chosen,))
            estimator = _series_choice(candidates, pairs, choices, members)
            chosen = PER_SERIES
    combined = chosen in pairs or chosen == PER_SERIES
    fits = _chosen_fits(estimator, None if combined else chosen, models, folds)
    return chosen, scores, estimator, fits


def _chosen_fits(estimator, candidate, models, folds):
    """``(train, estimator fitted on train)`` per fold, from the scored models.

    ``candidate``: the name of the candidate ``estimator`` is, or None when it
    is a CombinedForecaster of candidates (a pair, or a choice per series).
    """
    fits = []
    for k, (train, _) in enumerate(folds):
        if candidate is None:
            fitted = clone(estimator)._set_members(
                [models[name][k] for name, _ in estimator.estimators]
            )
        else:  # its model fitted on these rows is the fit
            fitted = models[candidate][k]
        fits.append((train, fitted))
    return fits


def _option_scores(predictions, pairs, truths):
    """Every option's scale-free score per fold and series.

    Returns a dict of option name to a DataFrame (folds x series): the
    candidates, and the pairs as the mean of their two forecasts.
    """
    options = {}
    for name in [*predictions, *pairs]:
        if name in pairs:
            preds = _pair_predictions(predictions, *pairs[name])
        else:
            preds = predictions[name]
        options[name] = pd.DataFrame(
            [panel_series_scores(t, p) for t, p in zip(truths, preds, strict=True)]
        )
    return options


def _per_series_choice(predictions, pairs, truths, default):
    """The best option of every series, and that rule's cross-validated score.

    Each series takes the option (a candidate or a pair) with its lowest mean
    score over the folds; one without any score (no validation rows: a late
    start on a ragged panel) takes ``default``, the best single choice. The
    score of choosing so is honest: on each fold, the series' choices are
    made on the other folds alone and scored on this one (a choice scored on
    the folds that made it would flatter it against one choice for all
    series); the mean over folds.
    """
    options = _option_scores(predictions, pairs, truths)
    names = list(options)
    cube = np.stack([options[n].to_numpy() for n in names])  # option, fold, series
    series = options[names[0]].columns
    fallback = names.index(default)
    n_folds = cube.shape[1]
    fold_scores = []
    for k in range(n_folds):
        best = _best_options(np.delete(cube, k, axis=1), fallback)
        fold_scores.append(np.nanmean(cube[best, k, np.arange(len(series))]))
    best = _best_options(cube, fallback)
    choices = {label: names[i] for label, i in zip(series, best, strict=True)}
    return choices, float(np.mean(fold_scores))


def _best_options(cube, fallback):
    """Per series (last axis), the option of lowest mean score over the folds;
    ``fallback`` for a series without any score."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN series
        mean = np.nanmean(cube, axis=1)
    best = np.argmin(np.nan_to_num(mean, nan=np.inf), axis=0)
    best[np.isnan(mean).all(axis=0)] = fallback
    return best


def _series_choice(candidates, pairs, choices, default):
    """The SeriesChoiceForecaster of ``choices`` (option names per series)."""
    rules = {label: pairs.get(option, (option,)) for label, option in choices.items()}
    used = {name for rule in rules.values() for name in rule} | set(default)
    return SeriesChoiceForecaster(
        estimators=[(name, candidates[name]) for name in candidates if name in used],
        choices=rules,
        default=list(default),
    )
