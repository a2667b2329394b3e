"""Data, training and forecast diagnosis in one report."""

import numpy as np

from sklstm.diagnose._data import _diagnose_prepared
from sklstm.diagnose._forecast import diagnose_forecast
from sklstm.diagnose._input import _prepare
from sklstm.diagnose._report import Diagnosis
from sklstm.diagnose._run import _is_scaler, _unwrap
from sklstm.diagnose._settings import (
    DATA_SETTINGS,
    TRAINING_SETTINGS,
    check_settings,
    pick,
)
from sklstm.diagnose._training import _diagnose_run

_SCALE_FINDINGS = {"feature_scale_mismatch", "unscaled_features"}
_CLIPPERS = ("Clipper", "Winsorizer")


def diagnose(
    estimator,
    X,
    y=None,
    *,
    window=None,
    validation_fraction=None,
    scale_ratio=10.0,
    scale_limit=10.0,
    outlier_iqr=3.0,
    trend_r2=0.5,
    variance_ratio=2.0,
    seasonal_acf=0.3,
    min_samples=100,
    overfit_rise=0.1,
    underfit_ratio=1.0,
    convergence_tol=0.01,
    convergence_epochs=5,
    divergence_factor=10.0,
    min_best_epoch=2,
    y_test=None,
    y_pred=None,
    m=1,
):
    """Diagnose the data and, if given, the fitted LSTM trained on it, in one report.

    Runs :func:`diagnose_data` on ``(X, y)`` and :func:`diagnose_training` on
    ``estimator``, then leaves out the data findings the estimator already
    handles (see Notes). With ``y_test`` and ``y_pred``, the forecasts are
    diagnosed too (:func:`diagnose_forecast`).

    Parameters
    ----------
    estimator : estimator, Keras object or None
        What :func:`diagnose_training` accepts (a fitted LSTMRegressor or
        LSTMClassifier, possibly
        in a Pipeline, search or TransformedTargetRegressor), or None to diagnose
        the data alone.
    X : DataFrame, Series, array-like or None
        The inputs, as :func:`diagnose_data` takes them (the ones ``estimator``
        was fitted on).
    y : Series or array-like, default=None
        The target, aligned with X.
    window : int or None, default=None
        Planned window length; None takes the estimator's ``n_timesteps_in_``
        (or X's second axis for 3-D X).
    validation_fraction : float in [0, 1) or None, default=None
        None takes the estimator's ``validation_fraction`` when it held out a
        validation part (0 when it did not), else 0.1.
    scale_ratio, scale_limit, outlier_iqr, trend_r2, variance_ratio, \
seasonal_acf, min_samples : float or int
        Data thresholds, as in :func:`diagnose_data`.
    overfit_rise, underfit_ratio, convergence_tol, convergence_epochs, \
divergence_factor, min_best_epoch : float or int
        Training thresholds, as in :func:`diagnose_training`.
    y_test : array-like of shape (n_test,) or (n_test, n_horizons), default=None
        Actual values of the forecast points (after the rows of ``y``).
    y_pred : array-like of the same shape as ``y_test``, default=None
        The estimator's forecasts of them.
    m : int, default=1
        Seasonal period of the forecasts' MASE scale (see
        :func:`diagnose_forecast`).

    Returns
    -------
    diagnosis : Diagnosis
        Data and training findings, errors first.

    See Also
    --------
    diagnose_data : The data checks.
    diagnose_training : The training checks.
    diagnose_forecast : The forecast checks.

    Notes
    -----
    Data findings the estimator already handles are left out: ``unscaled_target``
    (the training check reports it only if nothing scales y),
    ``feature_scale_mismatch`` and ``unscaled_features`` when a scaler precedes
    the model, ``missing_values`` and ``outliers`` of input columns when an
    imputer or a clipper (``OutlierClipper``, a ``Winsorizer``) does. When the
    data findings report unscaled inputs, ``no_scaler_in_pipeline`` is left out
    as a repeat.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.diagnose import diagnose
    >>> rng = np.random.RandomState(0)
    >>> y = np.sin(np.arange(300) * 2 * np.pi / 24) + 0.1 * rng.normal(size=300)
    >>> d = diagnose(None, None, y, window=12)
    >>> d.names
    ['window_shorter_than_season']
    >>> print(d[0].fix)
    Windower(window=24) (one full period), or LagFeatures(lags=[24]) to give the
    value one period back
    """
    settings = check_settings(
        window=window,
        validation_fraction=0.0 if validation_fraction is None else validation_fraction,
        scale_ratio=scale_ratio,
        scale_limit=scale_limit,
        outlier_iqr=outlier_iqr,
        trend_r2=trend_r2,
        variance_ratio=variance_ratio,
        seasonal_acf=seasonal_acf,
        min_samples=min_samples,
        overfit_rise=overfit_rise,
        underfit_ratio=underfit_ratio,
        convergence_tol=convergence_tol,
        convergence_epochs=convergence_epochs,
        divergence_factor=divergence_factor,
        min_best_epoch=min_best_epoch,
    )
    _check_forecast_pair(y_test, y_pred)
    run = _unwrap(estimator) if estimator is not None else None
    classifier = run is not None and run.loss == "log_loss"
    _check_no_forecast_of_labels(classifier, y_pred)
    # a classifier's y holds labels: the data checks read X alone
    data = _prepare(X, None if classifier else y)
    forecast = None
    if y_pred is not None:
        forecast = diagnose_forecast(y_test, y_pred, y_train=_y_train(data, m), m=m)
    settings["window"] = _window(window, data, run)
    settings["validation_fraction"] = _validation_fraction(validation_fraction, run)
    data_diagnosis = _diagnose_prepared(data, **pick(settings, DATA_SETTINGS))
    if run is None:
        return _with_forecast(data_diagnosis, forecast)
    training = _diagnose_run(run, X, y, **pick(settings, TRAINING_SETTINGS))
    combined = _combine(data_diagnosis, training, run, data.target)
    return _with_forecast(combined, forecast)


def _check_forecast_pair(y_test, y_pred):
    if (y_test is None) != (y_pred is None):
        raise ValueError(
            "y_test and y_pred go together: pass both to diagnose the forecasts, "
            f"or neither (got y_test={'None' if y_test is None else '...'}, "
            f"y_pred={'None' if y_pred is None else '...'})."
        )


def _check_no_forecast_of_labels(classifier, y_pred):
    if classifier and y_pred is not None:
        raise ValueError(
            "y_test and y_pred were given with a classifier (an LSTMClassifier, "
            "trained on cross-entropy): the forecast checks (echo, flat line, "
            "bias, MASE) read numbers, not class labels. Leave y_test and y_pred "
            "out for a classifier, and score its labels with sklearn.metrics "
            "(e.g. balanced_accuracy_score)."
        )


def _y_train(data, m):
    """The target before the forecasts, for their naive forecast and MASE
    scale; None without a target, or one too short or with gaps."""
    history = None if data.target is None else data.target.to_numpy(float)
    if history is not None and (len(history) <= m or np.isnan(history).any()):
        history = None
    return history


def _window(window, data, run):
    """The window to diagnose with: the given one, else 3-D X's (taken by the
    data checks), else the estimator's ``n_timesteps_in_``."""
    if window is None and data.n_timesteps is None and run is not None:
        window = getattr(run.model, "n_timesteps_in_", None)
    return window


def _validation_fraction(validation_fraction, run):
    """The given fraction, else the estimator's (0 when it held out no
    validation part), else 0.1."""
    if validation_fraction is not None:
        return validation_fraction
    if run is None:
        return 0.1
    if not run.history.get("val_loss"):
        return 0.0
    return run.params.get("validation_fraction", 0.1)


def _handled(run, target):
    """Whether the estimator already handles a data finding (see diagnose's
    Notes): a predicate on findings."""
    step_names = [type(step).__name__ for _, step in run.steps]
    scaled = any(_is_scaler(step) for _, step in run.steps)
    imputed = any("Imputer" in name for name in step_names)
    clipped = any(c in name for name in step_names for c in _CLIPPERS)

    def handled(f):
        if f.name == "unscaled_target":
            return True
        if f.name in _SCALE_FINDINGS:
            return scaled
        if f.name == "missing_values" and f.column != target:
            return imputed
        if f.name == "outliers" and f.column != target:
            return clipped
        return False

    return handled


def _combine(data_diagnosis, training, run, target):
    """The data and training findings in one report, less what the estimator
    handles and the training's repeat of unscaled inputs."""
    handled = _handled(run, None if target is None else str(target.name))
    data_findings = [f for f in data_diagnosis if not handled(f)]
    repeat = any(f.name in _SCALE_FINDINGS for f in data_findings)
    training_findings = [
        f for f in training if not (repeat and f.name == "no_scaler_in_pipeline")
    ]
    return Diagnosis(
        data_findings + training_findings,
        context={**data_diagnosis.context, **training.context},
        history=training.history,
        kept_epoch=training.kept_epoch,
        baselines=training.baselines,
        series=data_diagnosis.series,
        n_validation=data_diagnosis.n_validation,
    )


def _with_forecast(diagnosis, forecast):
    """``diagnosis`` with the forecast findings and context added."""
    if forecast is None:
        return diagnosis
    return Diagnosis(
        list(diagnosis) + list(forecast),
        context={**diagnosis.context, **forecast.context},
        history=diagnosis.history,
        kept_epoch=diagnosis.kept_epoch,
        baselines=diagnosis.baselines,
        series=diagnosis.series,
        n_validation=diagnosis.n_validation,
    )
