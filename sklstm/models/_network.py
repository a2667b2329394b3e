"""The Keras network an sklstm estimator's parameters describe.

Pure Keras: a function of the estimator's architecture and regularization
parameters, shared by every sklstm Keras estimator. Layers and the input are
named explicitly, so two builds with the same parameters have the same config
(the training engine pools its traced graphs by that config).
"""

import collections
import contextlib
from numbers import Integral

from sklstm.models._tf import keras

__all__ = ["build_network", "check_architecture", "layer_units"]


def check_architecture(est):
    """Raise a ValueError naming ``units``/``dense_units`` when they do not fit."""
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


def build_network(est, *, n_timesteps, n_features, n_outputs):
    """Build and compile the network of ``est`` for windows of this shape.

    Parameters
    ----------
    est : estimator
        An sklstm Keras estimator (its architecture, regularization and
        optimizer parameters are read).
    n_timesteps, n_features, n_outputs : int
        Input window shape and number of outputs.

    Returns
    -------
    model : keras.Model
        A compiled functional model named ``"sklstm_lstm"``.
    """
    with _fresh_names():
        return _build(est, n_timesteps, n_features, n_outputs)


def _build(est, n_timesteps, n_features, n_outputs):
    layers = keras.layers

    def regularizer():
        if est.l1 or est.l2:
            return keras.regularizers.L1L2(l1=est.l1, l2=est.l2)
        return None

    inputs = keras.Input(shape=(n_timesteps, n_features), name="window")
    x = inputs
    units = layer_units(est)
    for i, n_units in enumerate(units):
        layer = layers.LSTM(
            n_units,
            activation=est.activation,
            recurrent_activation=est.recurrent_activation,
            recurrent_dropout=est.recurrent_dropout,
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
            kernel_regularizer=regularizer(),
            name=f"dense_{j}",
        )(x)
        if est.dropout:
            x = layers.Dropout(est.dropout, name=f"dense_dropout_{j}")(x)
    outputs = layers.Dense(
        n_outputs,
        activation=est.output_activation,
        kernel_regularizer=regularizer(),
        name="output",
    )(x)
    model = keras.Model(inputs, outputs, name="sklstm_lstm")
    optimizer = keras.optimizers.get(
        {
            "class_name": est.optimizer,
            # a fixed name: its variables' names are then the same every fit
            "config": {"learning_rate": est.learning_rate, "name": "optimizer"},
        }
    )
    model.compile(optimizer=optimizer, loss=est.loss)
    return model
