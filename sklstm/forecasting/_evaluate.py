"""Run the accuracy protocol for one estimator on a series or a panel, one horizon."""

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone

from ..utils._panel import collect_unseen
from ._coverage import check_coverage, interval_scores
from ._metrics import _mase_scale, forecast_scores
from ._panel_framing import is_panel, series_blocks
from ._refit import check_refit, refit_forecasts, scored_rows
from ._supervised import _check_frame, _resolve_n_test, train_test_split_series

__all__ = ["evaluate_forecaster"]


def evaluate_forecaster(
    estimator,
    frame,
    *,
    target,
    horizon=1,
    n_test=0.2,
    m=1,
    coverage=None,
    return_estimator=False,
    refit=False,
    window="expanding",
    stride=1,
    future=None,
):
    """Score one estimator under the accuracy protocol (ACCURACY-PROTOCOL.md).

    A clone of ``estimator`` is fitted once on the train part
    (:func:`train_test_split_series`), then predicts every test row. The forecasts
    of the protocol's origins o = n_train .. n - horizon are scored over all
    origins and all horizons: ``horizon=1`` gives the rolling-origin one-step
    forecasts with the true history, ``horizon=12`` the every-origin twelve-step
    ones. The bridge rows (the first ``horizon - 1`` test rows) are predicted, so
    that history-keeping estimators see a continuous index, but not scored.

    On a panel (a MultiIndex (series, time)) the protocol's panel rules apply:
    the last ``n_test`` points of every series are its test part, one clone is
    fitted on the training parts of all series together and predicts every
    test row; each series is scored on its own origins with its own MASE scale
    (the seasonal naive forecast's in-sample MAE on *its* training part), and
    the result holds the mean and the median over series.

    Parameters
    ----------
    estimator : estimator object
        A regressor (or a Pipeline ending in one) that takes the rows of
        :func:`make_supervised`'s ``X`` and predicts its ``y``. It is cloned; the
        given object is left unfitted.
    frame : pandas.DataFrame or pandas.Series
        The series in time order. Its target column must have no missing value.
        Or a panel: a MultiIndex (series, time), each series' rows contiguous
        and in time order; ``estimator`` then takes panel rows.
    target : str
        Name of the column to forecast.
    horizon : int, default=1
        Steps ahead (1 or 12 in the protocol).
    n_test : int or float, default=0.2
        Size of the test part: a number of points or a fraction of ``len(frame)``
        (the protocol uses 0.2, and 36 for AirPassengers). For a panel, per
        series (24 for monthly panels).
    m : int, default=1
        Seasonal period of the MASE scale (12 for AirPassengers, 52 for CO2, 1 for
        Seattle weather).
    coverage : float or None, default=None
        Also score the estimator's prediction intervals at this nominal
        coverage (e.g. 0.9): it must have ``predict_interval``
        (:class:`ConformalForecaster` gives any forecaster one).
    return_estimator : bool, default=False
        Also return the fitted clone (``result["estimator"]``; with refits, the
        last one), e.g. to see what a search chose or to plot its test
        forecasts.
    refit : bool or int, default=False
        False: one fit on the training part, as the protocol says. True: a new
        clone before every scored origin; an int k: before every k-th scored
        origin, each fitted on every row whose targets are known at its first
        origin (for a panel, on every series' rows at the same offset into its
        test part) and forecasting its k origins with the true history.
    window : {"expanding", "fixed"}, default="expanding"
        With ``refit``: train each refit on all rows known by then
        ("expanding"), or on as many of the latest as the training part holds
        ("fixed", a sliding window).
    stride : int, default=1
        Score every ``stride``-th origin (the first one always); the others are
        neither scored nor, with ``refit``, counted for it.
    future : str or list of str, default=None
        Columns known ahead (planned values): framed with their values at
        t+1 .. t+horizon as :func:`make_supervised` frames them; the test
        part's are the planned ones.

    Returns
    -------
    result : dict
        ``MAE``, ``RMSE``, ``MASE``, ``MAPE`` (a fraction; NaN unless the target series
        is strictly positive) as in :func:`forecast_scores`, and ``fit_seconds``, the
        wall time of ``fit``. With ``coverage``, also ``coverage`` (the share of
        test values inside their interval), ``width`` (the mean width) and
        ``MSIS`` (the mean scaled interval score, on the MASE scale), as in
        :func:`interval_scores`. With ``return_estimator``, also ``estimator``,
        the clone fitted on the train part. With ``refit``, ``fit_seconds`` is
        the time of all fits and ``n_fits`` their number (also with ``stride``).

        For a panel, each of these scores is the mean over series of the
        series' own score (MAPE is NaN unless every series is strictly
        positive), ``MASE_median`` is the median of the series' MASE, and
        ``per_series`` is a DataFrame with one row per series (indexed by the
        series labels) and one column per score. A series too short for its
        MASE scale (a training part of ``m`` values or fewer: possible in a
        ragged panel) gets NaN scores and is left out of the means, with one
        UserWarning naming it.

    Raises
    ------
    ValueError
        If the target column has missing values, for a bad ``target``,
        ``horizon``, ``n_test`` or ``m``, or if the predictions do not have the
        shape of ``y``. For a panel, errors about one series name it.

    See Also
    --------
    train_test_split_series : The split used here.
    forecast_scores : The scores returned.

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import SeasonalNaiveForecaster, evaluate_forecaster
    >>> result = evaluate_forecaster(
    ...     SeasonalNaiveForecaster(m=12, target="passengers"), load_airpassengers(),
    ...     target="passengers", horizon=12, n_test=36, m=12)
    >>> {name: round(result[name], 3) for name in ("MAE", "RMSE", "MASE")}
    {'MAE': 38.61, 'RMSE': 44.256, 'MASE': 1.263}
    >>> sorted(result)
    ['MAE', 'MAPE', 'MASE', 'RMSE', 'fit_seconds']

    Intervals are scored beside the point forecasts:

    >>> from sklstm.forecasting import AirlineForecaster
    >>> result = evaluate_forecaster(
    ...     AirlineForecaster(m=12, target="passengers", log=True),
    ...     load_airpassengers(), target="passengers", horizon=1, n_test=36, m=12,
    ...     coverage=0.9)
    >>> {name: round(result[name], 3) for name in ("MASE", "coverage", "MSIS")}
    {'MASE': 0.401, 'coverage': 0.917, 'MSIS': 2.306}

    Refit every 12 origins on the data known at each (3 fits for the 25
    twelve-step origins of the test years), scoring every origin:

    >>> from sklstm.forecasting import RidgeLagForecaster
    >>> result = evaluate_forecaster(
    ...     RidgeLagForecaster(n_lags=24, target="passengers"), load_airpassengers(),
    ...     target="passengers", horizon=12, n_test=36, m=12, refit=12)
    >>> result["n_fits"]
    3

    On a panel, every series has its own MASE scale:

    >>> import pandas as pd
    >>> from sklstm.forecasting import NaiveForecaster
    >>> panel = pd.DataFrame(
    ...     {"sales": [1.0, 2.0, 4.0, 3.0, 6.0, 10.0, 30.0, 20.0, 40.0, 45.0]},
    ...     index=pd.MultiIndex.from_product([["a", "b"], range(5)]))
    >>> result = evaluate_forecaster(NaiveForecaster(target="sales"), panel,
    ...                              target="sales", n_test=2)
    >>> result["per_series"][["MAE", "MASE"]].round(4)
        MAE    MASE
    a   2.0  1.3333
    b  12.5  0.8333
    >>> round(result["MASE"], 4), round(result["MASE_median"], 4)
    (1.0833, 1.0833)
    """
    frame = _check_frame(frame, target)
    _check_inputs(estimator, frame, target, coverage)
    X_train, X_test, y_train, y_test = train_test_split_series(
        frame, target, horizon=horizon, n_test=n_test, future=future
    )
    every = check_refit(refit, window, stride)
    with collect_unseen():  # the fallbacks of every fit and predict, said once
        if every is None and stride == 1:  # the protocol: one fit
            model = clone(estimator)
            start = time.perf_counter()
            model.fit(X_train, y_train)
            fit_seconds = time.perf_counter() - start
            y_true, y_pred, bounds = _predict(model, X_test, y_test, horizon, coverage)
            scored = _scored_mask(X_test, horizon, 1)
        else:
            y_pred, bounds, scored, fit_seconds, n_fits, model = refit_forecasts(
                estimator,
                (X_train, X_test, y_train, y_test),
                horizon=horizon,
                refit=every,
                window=window,
                stride=stride,
                coverage=coverage,
            )
            y_true = y_test.to_numpy(dtype=np.float64)
    if is_panel(frame):
        scores = _panel_scores(
            frame,
            target,
            y_test.index,
            y_true,
            y_pred,
            bounds,
            scored,
            n_test=n_test,
            m=m,
            coverage=coverage,
        )
    else:
        n_train = len(frame) - _resolve_n_test(n_test, len(frame))
        history = frame[target].iloc[:n_train].to_numpy(dtype=np.float64)
        scores = _scores(y_true, y_pred, bounds, history, scored, m, coverage)
    scores["fit_seconds"] = fit_seconds
    if every is not None or stride != 1:
        scores["n_fits"] = n_fits
    if return_estimator:
        scores["estimator"] = model
    return scores


def _check_inputs(estimator, frame, target, coverage):
    """Raise for a missing target value or intervals the estimator cannot give."""
    missing = frame[target].isna()
    if missing.any():
        where = ""
        if is_panel(frame):
            per = missing.groupby(level=0, sort=False).sum()
            where = f" (in series {list(per.index[per > 0])})"
        raise ValueError(
            f"The target column {target!r} has {int(missing.sum())} missing "
            f"values{where}; impute them first (the protocol interpolates "
            "linearly: frame.interpolate())."
        )
    if coverage is not None:
        if not check_coverage(coverage)[1]:
            raise ValueError(
                f"coverage={coverage!r} must be one float between 0 and 1 here "
                "(the interval scores are for one nominal coverage)."
            )
        if not hasattr(estimator, "predict_interval"):
            raise TypeError(
                f"coverage={coverage!r} asks for interval scores, but "
                f"{type(estimator).__name__} has no predict_interval method; wrap "
                "it in sklstm.forecasting.ConformalForecaster(estimator)."
            )


def _predict(model, X_test, y_test, horizon, coverage):
    """The true values, the forecasts and (with ``coverage``) the bounds, as arrays."""
    y_pred = np.asarray(model.predict(X_test), dtype=np.float64)
    y_true = y_test.to_numpy(dtype=np.float64)
    if y_pred.size != y_true.size:
        raise ValueError(
            f"The estimator predicted shape {y_pred.shape} for y of shape "
            f"{y_true.shape}; with horizon={horizon} it must predict one value per "
            "step and row."
        )
    y_pred = y_pred.reshape(y_true.shape)
    bounds = None
    if coverage is not None:
        bounds = np.asarray(model.predict_interval(X_test, coverage=coverage))
        bounds = bounds.reshape(*y_true.shape, 2)
    return y_true, y_pred, bounds


def _scored_mask(X_test, horizon, stride):
    """The scored test rows of every series: bridge rows and strides left out."""
    scored = np.zeros(len(X_test), dtype=bool)
    blocks = series_blocks(X_test.index) if is_panel(X_test) else [(0, 0, len(X_test))]
    for _, start, stop in blocks:
        scored[start + scored_rows(stop - start, horizon, stride)] = True
    return scored


def _scores(y_true, y_pred, bounds, history, scored, m, coverage):
    """The protocol's scores of one series' scored test rows."""
    scores = forecast_scores(y_true[scored], y_pred[scored], y_train=history, m=m)
    if coverage is not None:
        scores.update(
            interval_scores(
                y_true[scored],
                bounds[scored][..., 0],
                bounds[scored][..., 1],
                y_train=history,
                m=m,
                coverage=coverage,
            )
        )
    return scores


def _panel_scores(
    frame, target, test_index, y_true, y_pred, bounds, scored, **protocol
):
    """Scores per series (each on its own MASE scale), their means and median MASE.

    A series whose training part is too short for its MASE scale (``m``
    values or fewer, in a ragged panel) gets NaN scores and stays out of the
    means, said in one warning; only when every series is that short does
    the scale's error stand. A flat series still raises.
    """
    n_test = protocol.pop("n_test")
    rows, unscaled = {}, []
    for (label, start, stop), (_, test_start, test_stop) in zip(
        series_blocks(frame.index), series_blocks(test_index), strict=True
    ):
        values = frame[target].iloc[start:stop].to_numpy(dtype=np.float64)
        history = values[: len(values) - _resolve_n_test(n_test, len(values))]
        part = slice(test_start, test_stop)
        series_bounds = None if bounds is None else bounds[part]
        if len(history) <= protocol["m"]:
            unscaled.append(label)  # too short for the MASE scale: not scored
            rows[label] = {}
            continue
        try:
            rows[label] = _scores(
                y_true[part],
                y_pred[part],
                series_bounds,
                history,
                scored[part],
                **protocol,
            )
        except ValueError as exc:
            raise ValueError(f"In series {label!r} of the panel: {exc}") from exc
    per_series = pd.DataFrame.from_dict(rows, orient="index")
    per_series.index.name = frame.index.names[0]
    kept = per_series.drop(index=unscaled)
    if kept.empty:  # no series has a scale: the first one's error
        label = unscaled[0]
        try:
            _mase_scale(_series_history(frame, target, label, n_test), protocol["m"])
        except ValueError as exc:
            raise ValueError(f"In series {label!r} of the panel: {exc}") from exc
    if unscaled:
        _say_unscaled(unscaled, len(per_series), protocol["m"])
    scores = {name: float(value) for name, value in kept.mean(skipna=False).items()}
    scores["MASE_median"] = float(kept["MASE"].median())
    scores["per_series"] = per_series
    return scores


def _series_history(frame, target, label, n_test):
    values = frame.loc[label, target].to_numpy(dtype=np.float64)
    return values[: len(values) - _resolve_n_test(n_test, len(values))]


def _say_unscaled(labels, n_series, m):
    shown = ", ".join(repr(label) for label in labels[:5])
    more = f" and {len(labels) - 5} more" if len(labels) > 5 else ""
    warnings.warn(
        f"{len(labels)} of the {n_series} series of the panel ({shown}{more}) "
        f"have no MASE scale (a training part of m={m} values or fewer): their "
        "scores are NaN and left out of the means.",
        UserWarning,
        stacklevel=4,
    )
