"""Training diagnosis: what the history and set-up of a fitted LSTM say.

Works by duck typing (see ``_run``), so that importing it never imports
TensorFlow or sklstm's Keras-backed models.
"""

from sklstm.diagnose._history import (
    _check_against_baselines,
    _check_convergence,
    _check_divergence,
    _check_early_stop,
    _check_overfitting,
    _check_validation,
)
from sklstm.diagnose._input import _n_validation, _to_float
from sklstm.diagnose._report import Diagnosis
from sklstm.diagnose._run import _baselines, _class_codes, _unwrap
from sklstm.diagnose._settings import check_settings
from sklstm.diagnose._setup import (
    _check_cudnn,
    _check_lookahead,
    _check_scaling,
    _check_target_scaling,
)
from sklstm.diagnose._utils import fmt


def diagnose_training(
    estimator,
    X=None,
    y=None,
    *,
    overfit_rise=0.1,
    underfit_ratio=1.0,
    convergence_tol=0.01,
    convergence_epochs=5,
    divergence_factor=10.0,
    min_best_epoch=2,
    scale_ratio=10.0,
    scale_limit=10.0,
):
    """Find what in a fitted LSTM's training run and set-up hurts its accuracy.

    Reads the training history (overfitting, underfitting, convergence,
    divergence, early stopping), the cell settings (cuDNN) and the pipeline
    around the model (missing scaler, scaling outside the pipeline, look-ahead
    imputation, unscaled target).

    Parameters
    ----------
    estimator : estimator or Keras object
        A fitted :class:`sklstm.LSTMRegressor` or
        :class:`sklstm.LSTMClassifier`, or a fitted ``Pipeline`` (its
        last step), ``GridSearchCV`` / ``RandomizedSearchCV`` (its
        ``best_estimator_``) or ``TransformedTargetRegressor`` (its
        ``regressor_``) around one, nested in any order. A Keras ``Model`` after
        ``fit`` or the ``History`` that ``fit`` returns also work. Recognized by
        duck typing (a ``history_`` attribute), so TensorFlow is not imported.
    X : array-like or DataFrame, default=None
        The inputs the estimator was fitted on (for the scaling checks).
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        The targets it was fitted on, in time order (for a classifier, its
        class labels): for the trivial-forecast baselines and the target
        scaling check.
    overfit_rise : float > 0, default=0.1
        ``overfitting`` fires when the last validation loss is at least this
        fraction above its minimum while the training loss has fallen since.
    underfit_ratio : float > 0, default=1.0
        ``underfitting`` fires when the best training loss is at least this
        multiple of the loss of the better trivial forecast (naive: repeat the
        last value; or the training mean) on the training part;
        ``worse_than_baseline`` likewise for the validation loss and part.
    convergence_tol : float > 0, default=0.01
        ``not_converged`` fires when training ran all its epochs and the
        monitored loss (validation if any, else training) fell by at least this
        fraction over the last ``convergence_epochs`` epochs, reaching its best.
    convergence_epochs : int >= 1, default=5
        See ``convergence_tol``.
    divergence_factor : float > 1, default=10.0
        ``diverged`` fires on a NaN or infinite loss, or when the training loss
        jumps to this multiple of the best value before it and ends there, no
        lower than at the first epoch; ``unstable_training`` when it jumps so but
        comes back.
    min_best_epoch : int >= 1, default=2
        ``early_stopping_too_early`` fires when early stopping ended training
        and kept an epoch no later than this.
    scale_ratio, scale_limit : float, default=10.0
        As in :func:`diagnose_data`; ``no_scaler_in_pipeline`` fires when X is
        unscaled by those rules and no scaler precedes the model.

    Returns
    -------
    diagnosis : Diagnosis
        The findings, with the history for :meth:`Diagnosis.plot`.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the estimator is not fitted.
    ValueError
        If it holds no Keras training history, or a search has no
        ``best_estimator_``.

    See Also
    --------
    diagnose_data : Diagnose the data alone.
    diagnose : Both at once.

    Notes
    -----
    Losses are compared in the units the network trained in: with
    ``scale_target=True`` the target is standardized, so a constant forecast
    scores about 1 (MSE). The baselines need ``loss`` "mse" or "mae" and y; with
    ``scale_target=True`` and no y, the training loss is compared with 1.0.
    For a fitted :class:`~sklstm.LSTMClassifier` (or a Keras model trained with
    a cross-entropy) y is the class labels and the baseline is the
    majority-class model: every sample gets the training share of each class,
    whose cross-entropy is that of the class distribution, weighted as
    ``class_weight`` weighs the training loss. Training losses include
    dropout and weight penalties.

    The checks and their identifiers: ``diverged`` (error),
    ``unstable_training`` (warning), ``overfitting``
    (warning if the kept weights are overfitted, info if early stopping kept the
    best epoch), ``underfitting``, ``worse_than_baseline``, ``not_converged``,
    ``early_stopping_too_early``, ``cudnn_disabled`` (warning for a changed
    activation, info for recurrent dropout alone), ``no_validation`` (info: no
    validation loss, so overfitting cannot be seen), ``lookahead_imputer``
    (a ``TimeSeriesImputer`` with strategy "bfill" or "linear"),
    ``no_scaler_in_pipeline``, ``scaled_outside_pipeline`` and
    ``unscaled_target`` (warnings). After a divergence the other history checks
    are skipped.

    Examples
    --------
    Any object with the fitted attributes of an LSTMRegressor will do; here a
    stand-in whose validation loss turns up after epoch 4:

    >>> from sklstm.diagnose import diagnose_training
    >>> class Fitted:
    ...     history_ = {"loss": [1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05],
    ...                 "val_loss": [1.0, 0.7, 0.5, 0.45, 0.5, 0.6, 0.7]}
    ...     best_epoch_ = 7
    ...     def get_params(self, deep=True):
    ...         return {"early_stopping": False, "epochs": 7, "units": 32}
    >>> d = diagnose_training(Fitted())
    >>> d.names
    ['overfitting']
    >>> d["overfitting"].severity, d["overfitting"].epoch
    ('warning', 4)
    """
    settings = check_settings(
        overfit_rise=overfit_rise,
        underfit_ratio=underfit_ratio,
        convergence_tol=convergence_tol,
        convergence_epochs=convergence_epochs,
        divergence_factor=divergence_factor,
        min_best_epoch=min_best_epoch,
        scale_ratio=scale_ratio,
        scale_limit=scale_limit,
    )
    return _diagnose_run(_unwrap(estimator), X, y, **settings)


def _diagnose_run(
    run,
    X,
    y,
    *,
    overfit_rise,
    underfit_ratio,
    convergence_tol,
    convergence_epochs,
    divergence_factor,
    min_best_epoch,
    scale_ratio,
    scale_limit,
):
    """diagnose_training on an unwrapped, parameter-checked run."""
    if y is not None:
        # a classifier's y is its labels: compared as class codes
        y = _class_codes(run, y) if run.loss == "log_loss" else _to_float(y, "y")
    n_val = 0
    if run.history.get("val_loss") and y is not None:
        fraction = run.params.get("validation_fraction", 0.1)
        n_val = _n_validation(len(y), fraction)
    baselines, kinds = _baselines(run, y, n_val)

    findings = _check_divergence(run, divergence_factor)
    if not any(f.name == "diverged" for f in findings):
        findings += _check_early_stop(run, min_best_epoch)
        findings += _check_overfitting(run, overfit_rise)
        findings += _check_convergence(run, convergence_tol, convergence_epochs)
        findings += _check_against_baselines(run, baselines, kinds, underfit_ratio)
        findings += _check_validation(run, baselines)
    findings += _check_cudnn(run)
    findings += _check_lookahead(run)
    findings += _check_scaling(run, X, scale_ratio, scale_limit)
    findings += _check_target_scaling(run, y, scale_limit)

    model = run.path[:-1] + [repr(run.model) if run.params else run.path[-1]]
    training = _describe_training(run, baselines, kinds)
    context = {"model": " → ".join(model), "training": training}
    return Diagnosis(
        findings,
        context=context,
        history=run.history,
        kept_epoch=run.kept_epoch,
        baselines=baselines,
    )


def _describe_training(run, baselines, kinds):
    """The report's ``training`` line: epochs, kept epoch, loss, baselines."""
    n_epochs = len(run.history.get("loss", []))
    training = f"{n_epochs} epochs"
    if run.max_epochs:
        training += f" of epochs={run.max_epochs}"
    training += f", kept epoch {run.kept_epoch}"
    val = run.history.get("val_loss") or []
    if 1 <= run.kept_epoch <= len(val):
        training += f" (val_loss {fmt(val[run.kept_epoch - 1])})"
    if run.loss == "log_loss":
        training += "; loss: cross-entropy in nats"
    elif run.loss:
        units = "standardized target" if run.scales_target else "training units"
        training += f"; loss={run.loss!r} in {units}"
    if baselines:
        training += "; trivial forecast " + ", ".join(
            f"{part} {fmt(v)} ({kinds[part]})" for part, v in baselines.items()
        )
    return training
