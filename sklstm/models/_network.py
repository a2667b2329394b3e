"""The Keras network an sklstm estimator's parameters describe.

Pure Keras: a function of the estimator's architecture and regularization
parameters, shared by every sklstm Keras estimator. Layers and the input are
named explicitly, so two builds with the same parameters have the same config
(the training engine pools its traced graphs by that config).
"""

import collections
import contextlib
from numbers import Integral

from sklstm.models._tf import keras, tf

__all__ = [
    "WindowLevel",
    "build_network",
    "check_architecture",
    "layer_units",
    "make_optimizer",
]


@keras.saving.register_keras_serializable(package="sklstm")
class WindowLevel(keras.layers.Layer):
    """Each window relative to its own level, and the level to restore.

    The level is the mean of the last ``steps`` values of input feature
    ``feature``. ``mode="subtract"`` subtracts it from that feature (for a
    series in log space: the window in log ratios to its level);
    ``mode="divide"`` divides that feature by the level's magnitude (plus
    ``epsilon``, for raw non-negative values). Returns ``(window, level)``;
    :func:`restore_level` applies the level to the network's outputs.
    """

    def __init__(self, *, mode, steps, feature, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.mode, self.steps, self.feature = mode, int(steps), int(feature)
        self.epsilon = float(epsilon)

    def call(self, window):
        ops = keras.ops
        values = window[:, -self.steps :, self.feature]
        n_features = window.shape[-1]
        mask = ops.one_hot(self.feature, n_features)  # (n_features,)
        if self.mode == "subtract":
            level = ops.mean(values, axis=1, keepdims=True)  # (batch, 1)
            return window - level[:, :, None] * mask, level
        level = ops.mean(ops.abs(values), axis=1, keepdims=True) + self.epsilon
        scale = 1.0 + (1.0 / level[:, :, None] - 1.0) * mask
        return window * scale, level

    def get_config(self):
        return {
            **super().get_config(),
            "mode": self.mode,
            "steps": self.steps,
            "feature": self.feature,
            "epsilon": self.epsilon,
        }


def restore_level(outputs, level, mode):
    """The outputs in the units of the level's feature."""
    return outputs + level if mode == "subtract" else outputs * level


def check_architecture(est):
    """Raise a ValueError naming the parameters whose values do not fit together.

    ``units`` against ``n_layers``, ``dense_units``' entries, and ``clipnorm``
    with ``clipvalue`` (a Keras optimizer takes one of them).
    """
    if est.clipnorm is not None and est.clipvalue is not None:
        raise ValueError(
            f"clipnorm={est.clipnorm!r} and clipvalue={est.clipvalue!r} are both "
            f"set, but a Keras optimizer clips in one way only: set one of them "
            f"and leave the other None."
        )
    units = est.units
    if isinstance(units, (tuple, list)):
        if len(units) != est.n_layers:
            raise ValueError(
                f"units={units!r} has {len(units)} entries but n_layers="
                f"{est.n_layers}; give one entry per layer or a single int."
            )
        bad = [u for u in units if not isinstance(u, Integral) or u < 1]
        if bad:
            raise ValueError(f"units={units!r} must hold ints >= 1; got {bad[0]!r}.")
    dense = est.dense_units or ()
    bad = [u for u in dense if not isinstance(u, Integral) or u < 1]
    if bad:
        raise ValueError(
            f"dense_units={est.dense_units!r} must hold ints >= 1; got {bad[0]!r}."
        )


def layer_units(est):
    """Units of each recurrent layer."""
    if isinstance(est.units, (tuple, list)):
        return [int(u) for u in est.units]
    return [int(est.units)] * est.n_layers


@contextlib.contextmanager
def _fresh_names():
    """Number Keras' automatic names (``seed_generator_3``, ...) from 0 again.

    TensorFlow caches a kernel per distinct variable name and never frees it
    (about 35 KB each): with names numbered on for the whole process, every
    fit would grow memory by half a megabyte. Names only need to be unique
    within one model.
    """
    from keras.src.backend.common import global_state

    key = "object_name_uids"
    saved = global_state.get_global_attribute(key)
    global_state.set_global_attribute(key, collections.defaultdict(int))
    try:
        yield
    finally:
        global_state.set_global_attribute(key, saved)


def make_optimizer(est):
    """A new Keras optimizer from ``est``'s ``optimizer`` and its settings.

    A name (any case) gives Keras' optimizer of that name; an instance is
    copied through its config, so the estimator's parameter is never trained
    or shared. ``learning_rate``, ``clipnorm`` and ``clipvalue`` replace the
    optimizer's own settings when they are not None. The optimizer is always
    named ``"optimizer"``, so its variables' names are the same every fit.
    """
    if isinstance(est.optimizer, str):
        cls = None
        config = {"learning_rate": 1e-3}
    else:
        cls = type(est.optimizer)
        config = dict(est.optimizer.get_config())
    config["name"] = "optimizer"
    if est.learning_rate is not None:
        config["learning_rate"] = float(est.learning_rate)
    if est.clipnorm is not None or est.clipvalue is not None:
        config.update(clipnorm=None, clipvalue=None, global_clipnorm=None)
        if est.clipnorm is not None:
            config["clipnorm"] = float(est.clipnorm)
        else:
            config["clipvalue"] = float(est.clipvalue)
    if cls is None:
        return keras.optimizers.get(
            {"class_name": est.optimizer.lower(), "config": config}
        )
    return cls.from_config(config)


def build_network(est, *, n_timesteps, n_features, n_outputs, output_activation, loss):
    """Build and compile the network of ``est`` for windows of this shape.

    Parameters
    ----------
    est : estimator
        An sklstm Keras estimator (its architecture, regularization and
        optimizer parameters are read).
    n_timesteps, n_features, n_outputs : int
        Input window shape and number of output units.
    output_activation : str or callable
        Activation of the output layer (the estimator decides: linear for a
        regressor, sigmoid or softmax for a classifier).
    loss : str or callable
        The Keras loss the model is compiled with.

    Returns
    -------
    model : keras.Model
        A compiled functional model named ``"sklstm_lstm"``.
    """
    with _fresh_names():
        model = _build(est, n_timesteps, n_features, n_outputs, output_activation)
        model.compile(optimizer=make_optimizer(est), loss=loss)
        return model


# "auto" unrolls windows up to this many steps (one graph op per step)
_MAX_UNROLL = 64


def resolve_unroll(unroll, n_timesteps):
    """``unroll`` resolved: "auto" is True on a CPU for windows of <= 64 steps.

    An unrolled LSTM runs the same arithmetic as one op per step; on a CPU
    that trains about twice as fast as Keras' loop over the steps, but a
    GPU's fused cuDNN kernel needs the loop.
    """
    if not (isinstance(unroll, str) and unroll == "auto"):
        return bool(unroll)
    return n_timesteps <= _MAX_UNROLL and not tf.config.list_physical_devices("GPU")


def _build(est, n_timesteps, n_features, n_outputs, output_activation):
    layers = keras.layers

    def regularizer(where="lstm"):
        if (est.l1 or est.l2) and (where == "lstm" or est.regularize == "all"):
            return keras.regularizers.L1L2(l1=est.l1, l2=est.l2)
        return None

    inputs = keras.Input(shape=(n_timesteps, n_features), name="window")
    x = inputs
    norm = getattr(est, "window_norm", None)
    if norm is not None:
        x, level = WindowLevel(
            mode=norm,
            steps=min(est.norm_steps, n_timesteps),
            feature=est.norm_feature,
            name="window_level",
        )(x)
    units = layer_units(est)
    for i, n_units in enumerate(units):
        layer = layers.LSTM(
            n_units,
            activation=est.activation,
            recurrent_activation=est.recurrent_activation,
            recurrent_dropout=est.recurrent_dropout,
            unroll=resolve_unroll(est.unroll, n_timesteps),
            kernel_regularizer=regularizer(),
            return_sequences=i < len(units) - 1,
            name=f"lstm_{i}",
        )
        if est.bidirectional:
            layer = layers.Bidirectional(layer, name=f"bidirectional_{i}")
        x = layer(x)
        if est.normalization == "batch":
            x = layers.BatchNormalization(name=f"batch_norm_{i}")(x)
        elif est.normalization == "layer":
            x = layers.LayerNormalization(name=f"layer_norm_{i}")(x)
        if est.dropout:
            x = layers.Dropout(est.dropout, name=f"dropout_{i}")(x)
    for j, n_units in enumerate(est.dense_units or ()):
        x = layers.Dense(
            int(n_units),
            activation=est.dense_activation,
            kernel_regularizer=regularizer("dense"),
            name=f"dense_{j}",
        )(x)
        if est.dropout:
            x = layers.Dropout(est.dropout, name=f"dense_dropout_{j}")(x)
    outputs = layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_regularizer=regularizer("dense"),
        name="output",
    )(x)
    if norm is not None:
        outputs = restore_level(outputs, level, norm)
    return keras.Model(inputs, outputs, name="sklstm_lstm")
