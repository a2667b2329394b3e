"""The epochs of one training run: samples, the validation tail, early stopping.

The engine (:mod:`sklstm.models._engine`) traces the graphs and hands them
here: each epoch trains on the training samples (shuffled, or a fresh sample of
them), scores the validation tail, and stops early as Keras'
``EarlyStopping(restore_best_weights=True)`` does.
"""

import math
import warnings

import numpy as np

from sklstm.models._tf import tf

__all__ = [
    "n_train_samples",
    "run_epochs",
    "targets_and_weights",
    "validation_set",
    "warn_if_diverged",
]


def targets_and_weights(y, sample_weight, n):
    """``y`` as float32 ``(n, n_targets)`` and the per-sample weights (ones if None)."""
    y = np.asarray(y, dtype=np.float32).reshape(n, -1)
    weights = (
        np.ones(n, dtype=np.float32)
        if sample_weight is None
        else np.asarray(sample_weight, dtype=np.float32)
    )
    return y, weights


def n_train_samples(n, validation_fraction):
    """Samples before the validation tail, as Keras' ``validation_split`` cuts."""
    if validation_fraction is None:
        return n
    return math.floor(n * (1 - validation_fraction))


def validation_set(base, starts, y, weights, n_train):
    """The graphs' arguments for the tail after ``n_train``, or None if it is empty."""
    if n_train >= len(starts):
        return None
    return (
        base,
        tf.constant(starts[n_train:], tf.int64),
        tf.constant(y[n_train:]),
        tf.constant(weights[n_train:]),
    )


def _epoch_order(fit_set, shuffle, rng, per_epoch=None):
    """The training samples of one epoch: shuffled by ``rng``, or in time order.

    ``per_epoch``: at most that many, drawn anew every epoch (shuffled).
    """
    starts, y, weights = fit_set
    pool = np.flatnonzero(weights > 0) if per_epoch is not None else None
    if pool is not None and per_epoch < len(pool):
        # samples that carry weight only: a draw is never wasted on weight 0
        order = rng.choice(pool, size=per_epoch, replace=False)
    elif not shuffle:
        return fit_set
    else:
        order = rng.permutation(len(starts))
    return starts[order], y[order], weights[order]


def run_epochs(
    trainer,
    base,
    fit_set,
    val,
    size,
    *,
    epochs,
    shuffle,
    rng,
    patience,
    verbose,
    per_epoch=None,
):
    """Train ``trainer.model`` epoch by epoch; return the history and best epoch.

    With a validation set, stops early and leaves the best epoch's weights in
    ``trainer.model``; the best epoch is 0-based, None without validation.
    """
    history = {"loss": []}
    if val is not None:
        history["val_loss"] = []
    stopping = _EarlyStopping(patience)
    for epoch in range(epochs):
        args = map(tf.constant, _epoch_order(fit_set, shuffle, rng, per_epoch))
        loss = float(trainer.train_epoch(base, *args, size))
        history["loss"].append(loss)
        line = f"Epoch {epoch + 1}/{epochs} - loss: {loss:.4f}"
        if val is not None:
            val_loss = float(trainer.loss(*val, size))
            history["val_loss"].append(val_loss)
            line += f" - val_loss: {val_loss:.4f}"
        if verbose:
            print(line, flush=True)
        if val is not None and stopping.update(epoch, val_loss, trainer.model):
            break
    stopping.restore(trainer.model)
    return history, stopping.best_epoch


class _EarlyStopping:
    """``keras.callbacks.EarlyStopping(restore_best_weights=True)``, mode "min"."""

    def __init__(self, patience):
        self.patience = patience
        self.best, self.wait = math.inf, 0
        self.best_epoch, self.best_weights = None, None

    def update(self, epoch, val_loss, model):
        """Record ``epoch``'s validation loss; return whether to stop."""
        self.wait += 1
        if val_loss < self.best:
            self.best, self.best_epoch, self.wait = val_loss, epoch, 0
            self.best_weights = model.get_weights()
        return self.wait >= self.patience and epoch > 0

    def restore(self, model):
        """Put the best epoch's weights back into ``model`` (if there was one)."""
        if self.best_weights is not None:
            model.set_weights(self.best_weights)


def warn_if_diverged(losses):
    """Warn when a training loss is not finite.

    The warning points at the estimator's ``fit`` or ``partial_fit``, three
    frames above :func:`train`.
    """
    losses = np.asarray(losses, dtype=float)
    if losses.size and not np.all(np.isfinite(losses)):
        warnings.warn(
            "The training loss became NaN or infinite (training diverged): "
            "lower learning_rate, keep scale_target=True, and scale X.",
            RuntimeWarning,
            stacklevel=5,
        )
