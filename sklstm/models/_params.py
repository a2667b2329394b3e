"""What sklstm's Keras estimators share: parameter constraints, their documentation
and the translation of Keras keywords into sklstm parameters.

:class:`~sklstm.LSTMRegressor` and :class:`~sklstm.LSTMClassifier` take the same
architecture, regularization and training parameters; they are declared,
validated and documented here once. This module imports neither TensorFlow nor
scikeras.
"""

import math
from numbers import Integral, Real

from sklstm.utils._compat import HasMethods, Interval, RealNotInt, StrOptions

__all__ = [
    "ACTIVATIONS",
    "OPTIMIZERS",
    "SHARED_CONSTRAINTS",
    "fill_doc",
    "keras_keyword_error",
]

ACTIVATIONS = {
    "tanh",
    "sigmoid",
    "hard_sigmoid",
    "relu",
    "elu",
    "selu",
    "gelu",
    "swish",
    "softsign",
    "softplus",
    "linear",
}
# Keras' names of its optimizers, lower case (Keras' own lookup is case-sensitive)
OPTIMIZERS = {"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad", "adamax", "lion"}


class _NameInAnyCase(StrOptions):
    """A str among ``options`` in any case: "Adam", "adam" and "ADAM" are one."""

    def is_satisfied_by(self, val):
        return isinstance(val, str) and val.lower() in self.options

    def __str__(self):
        return super().__str__() + " (in any case)"


SHARED_CONSTRAINTS = {
    "n_layers": [Interval(Integral, 1, None, closed="left")],
    "units": [Interval(Integral, 1, None, closed="left"), tuple, list],
    "bidirectional": ["boolean"],
    "activation": [StrOptions(ACTIVATIONS), callable],
    "recurrent_activation": [StrOptions(ACTIVATIONS), callable],
    "normalization": [StrOptions({"batch", "layer"}), None],
    "dense_units": [tuple, list, None],
    "dense_activation": [StrOptions(ACTIVATIONS), callable],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
    "unroll": [StrOptions({"auto"}), "boolean"],
    "l1": [Interval(Real, 0, None, closed="left")],
    "l2": [Interval(Real, 0, None, closed="left")],
    "regularize": [StrOptions({"lstm", "all"})],
    "early_stopping": ["boolean"],
    "patience": [Interval(Integral, 0, None, closed="left")],
    "validation_fraction": [Interval(RealNotInt, 0, 1, closed="neither")],
    "optimizer": [_NameInAnyCase(OPTIMIZERS), HasMethods(["get_config", "apply"])],
    "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
    "clipnorm": [Interval(Real, 0, None, closed="neither"), None],
    "clipvalue": [Interval(Real, 0, None, closed="neither"), None],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "shuffle": ["boolean"],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}


# batch_size="auto": 32 up to this many training windows, then larger
_AUTO_BATCH, _AUTO_MAX_STEPS = 32, 512


def resolve_batch_size(batch_size, n_samples):
    """``batch_size`` resolved for ``n_samples`` training windows.

    "auto" is 32 while an epoch of 32 has at most 512 steps, else the
    smallest power-of-two multiple of 32 that brings it within 512.

    Examples
    --------
    >>> from sklstm.models._params import resolve_batch_size
    >>> [resolve_batch_size("auto", n) for n in (100, 16_384, 16_385, 43_500)]
    [32, 32, 64, 128]
    >>> resolve_batch_size(8, 43_500)
    8
    """
    if not (isinstance(batch_size, str) and batch_size == "auto"):
        return int(batch_size)
    size = _AUTO_BATCH
    while math.ceil(n_samples / size) > _AUTO_MAX_STEPS:
        size *= 2
    return size


# --------------------------------------------------------------------------- #
# Documentation shared by the estimators' docstrings (numpydoc, 4-space indent)
# --------------------------------------------------------------------------- #
_DOCS = {
    "{network_parameters}": """\
    n_layers : int, default=1
        Number of stacked recurrent layers. Every layer but the last returns
        sequences, so stacking needs no further settings.
    units : int or tuple of int, default=32
        Units of each recurrent layer: one int for every layer, or one entry per
        layer (its length must equal ``n_layers``).
    bidirectional : bool, default=False
        Wrap each recurrent layer in ``keras.layers.Bidirectional`` (it then
        reads the window both ways and has twice the outputs).
    activation : str, default="tanh"
        Activation of the LSTM cell output and candidate state. Anything but
        ``"tanh"`` disables the fused cuDNN kernel on a GPU.
    recurrent_activation : str, default="sigmoid"
        Activation of the LSTM gates.
    normalization : {"batch", "layer"} or None, default=None
        Normalization layer after every recurrent layer (so between stacked
        layers and before the head): ``BatchNormalization`` or
        ``LayerNormalization``.
    dense_units : tuple of int, default=()
        Sizes of hidden ``Dense`` layers between the last recurrent layer and the
        output layer (a "head"). Empty: the output layer follows directly.
    dense_activation : str, default="relu"
        Activation of the hidden ``Dense`` layers of the head.
    dropout : float, default=0.0
        Fraction dropped by a ``Dropout`` layer after every recurrent layer and
        after every hidden ``Dense`` layer.
    recurrent_dropout : float, default=0.0
        Fraction of the recurrent state dropped inside each LSTM cell (Keras'
        ``recurrent_dropout``). Non-zero disables the fused cuDNN kernel.
    unroll : "auto" or bool, default="auto"
        Unroll the recurrent loop over the window's steps (Keras' ``unroll``):
        the same arithmetic as one graph op per step instead of a loop, which
        on a CPU is about twice as fast for short windows (``python
        benchmarks/engine.py --only unroll``); on a GPU it rules out the fused
        cuDNN kernel. "auto": unroll when TensorFlow sees no GPU and
        the window has at most 64 steps.
    l1 : float, default=0.0
        L1 penalty on the kernels chosen by ``regularize``.
    l2 : float, default=0.0
        L2 penalty on the kernels chosen by ``regularize``: ``l2=0.01`` is the
        seed article's ``LSTM(..., kernel_regularizer=l2(0.01))``.
    regularize : {"lstm", "all"}, default="lstm"
        Where the ``l1``/``l2`` penalties apply. ``"lstm"``: the kernels (input
        weights) of the LSTM layers only, as Keras' ``kernel_regularizer`` on
        each ``LSTM`` layer in the seed article's third example, whose output
        ``Dense`` layer is not penalized. ``"all"``: also the kernels of the
        hidden ``Dense`` layers and of the output layer (sklstm's behaviour
        before this parameter existed). The default follows the seed: the
        penalty is meant to limit what the recurrent layers memorize, while a
        penalty on the output layer shrinks every prediction towards zero (the
        mean of a standardized target, or equal class probabilities) whatever
        the recurrent layers learned. The recurrent kernels and the biases are
        never penalized.""",
    "{training_parameters}": """\
    early_stopping : bool, default=True
        Stop when the validation loss has not improved for ``patience`` epochs
        and keep the weights of the best epoch. The validation set is the last
        ``validation_fraction`` of the training data in time order (never
        shuffled into training).
    patience : int, default=10
        Epochs without improvement of the validation loss before stopping.
    validation_fraction : float, default=0.1
        Fraction of the training samples, taken from the end, held out for early
        stopping (Keras' ``validation_split``). Ignored when
        ``early_stopping=False``.
    optimizer : str or keras.optimizers.Optimizer, default="adam"
        A Keras optimizer name in any case ("adam", "Adam", "adamw", "nadam",
        "RMSprop", "sgd", "adagrad", "adamax", "lion"), or an optimizer instance
        such as ``keras.optimizers.Adam(clipnorm=1.0)``. An instance is never
        trained itself: every fit uses a fresh copy built from its config
        (``from_config(get_config())``), so clones, searches and refits share
        no optimizer state.
    learning_rate : float or None, default=None
        Learning rate of the optimizer. None: 0.001 with an optimizer name, the
        instance's own learning rate (or schedule) with an instance. A float
        replaces either.
    clipnorm : float or None, default=None
        Clip the gradient of each weight to this norm (Keras' ``clipnorm``),
        the usual cure for an exploding loss. None: the optimizer's own
        clipping (none for a name). Only one of ``clipnorm`` and
        ``clipvalue`` may be set; either replaces an instance's clipping.
    clipvalue : float or None, default=None
        Clip every gradient component to ``[-clipvalue, clipvalue]`` (Keras'
        ``clipvalue``). None: the optimizer's own clipping.
    epochs : int, default=100
        Maximum number of passes over the training data.
    batch_size : int or "auto", default=32
        Samples per gradient step. "auto": 32 for up to 16,384 training
        windows; above, the smallest power-of-two multiple of 32 that keeps an
        epoch within 512 steps (128 for the 43,500 windows of 145 monthly
        series), so that a large panel does not spend its time on thousands of
        tiny steps. Predictions do not depend on it.
    shuffle : bool, default=True
        Shuffle the training windows each epoch. Windows carry their own past,
        so shuffling them does not leak the future; the validation set is split
        off before shuffling.""",
    "{seed_parameters}": """\
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialization, dropout and shuffling. The same int gives
        identical predictions on CPU. A ``RandomState`` is drawn from once per
        fit. Seeding restores Python's, NumPy's and Keras' global random state
        afterwards, leaves TensorFlow's global seed alone and does not enable
        TensorFlow op determinism.
    verbose : int, default=0
        0 prints nothing; 1 or more print one line per epoch (its loss and
        validation loss) and let TensorFlow's warnings through.""",
    "{fitted_attributes}": """\
    model_ : keras.Model
        The fitted Keras model.
    history_ : dict of str to list of float
        Per-epoch ``"loss"`` and, with early stopping, ``"val_loss"``.
    n_epochs_ : int
        Number of epochs trained.
    best_epoch_ : int
        The (1-based) epoch whose weights were kept: the best validation loss
        with early stopping, else the last epoch.
    n_features_in_ : int
        Number of features (the last axis of X), not timesteps.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during fit. Defined only when X was a DataFrame
        with string column names.
    n_timesteps_in_ : int
        Number of timesteps (window length) seen during fit; 1 for 2-D X.""",
}


def fill_doc(cls):
    """Class decorator: put the shared parameter docs into ``cls.__doc__``."""
    doc = cls.__doc__
    for marker, text in _DOCS.items():
        doc = doc.replace("    " + marker, text)
    cls.__doc__ = doc
    return cls


# --------------------------------------------------------------------------- #
# Keras' words for sklstm's parameters
# --------------------------------------------------------------------------- #
_PENALTY = (
    "sklstm sets the penalty with l1=... / l2=... and where it applies with "
    "regularize='lstm' (the LSTM kernels, as kernel_regularizer on each LSTM "
    "layer) or regularize='all' (every kernel)"
)
_KERAS_KEYWORDS = {
    "kernel_regularizer": _PENALTY,
    "recurrent_regularizer": _PENALTY,
    "bias_regularizer": _PENALTY,
    "activity_regularizer": _PENALTY,
    "validation_split": (
        "use validation_fraction=... (the last fraction of the training windows "
        "in time order, held out for early stopping)"
    ),
    "validation_data": (
        "the validation set is the time-ordered tail of the training windows: "
        "use early_stopping=True with validation_fraction=..."
    ),
    "callbacks": (
        "early stopping is built in: early_stopping=True, patience=..., "
        "validation_fraction=... (the best epoch's weights are kept)"
    ),
    "lr": "use learning_rate=...",
    "global_clipnorm": (
        "use clipnorm=... (per weight) or an optimizer instance, e.g. "
        "optimizer=keras.optimizers.Adam(global_clipnorm=1.0)"
    ),
    "input_shape": "no input shape is needed: it is read from X in fit",
    "input_dim": "no input shape is needed: it is read from X in fit",
    "return_sequences": (
        "use n_layers=...: every recurrent layer but the last returns sequences"
    ),
    "metrics": "use score(), or scoring=... in cross_validate / GridSearchCV",
    "model": (
        "the network is described by parameters (n_layers, units, dense_units, "
        "...); wrap a hand-built Keras model with scikeras instead"
    ),
    "build_fn": (
        "the network is described by parameters (n_layers, units, dense_units, "
        "...); wrap a hand-built Keras model with scikeras instead"
    ),
}
_REGRESSOR_KEYWORDS = {
    "class_weight": (
        "class_weight is a parameter of LSTMClassifier; weigh a regressor's "
        "samples with fit(X, y, sample_weight=...)"
    ),
}
_CLASSIFIER_KEYWORDS = {
    "loss": (
        "the loss follows the classes in y: binary cross-entropy for two, "
        "sparse categorical cross-entropy for more"
    ),
    "output_activation": (
        "the output layer follows the classes in y: one sigmoid unit for two, "
        "a softmax over the classes for more"
    ),
    "num_classes": "the classes are read from y in fit (classes_)",
    "n_classes": "the classes are read from y in fit (classes_)",
    "scale_target": "a classifier's target is a label; there is nothing to scale",
}


def keras_keyword_error(cls, names, error=TypeError):
    """An error for the Keras-style keywords among ``names``, or None.

    Parameters
    ----------
    cls : type
        The estimator class (its parameters are not reported).
    names : iterable of str
        Keyword names given to ``__init__`` or ``set_params``.
    error : type, default=TypeError
        The exception type to build.

    Returns
    -------
    error : Exception or None
        Names each Keras keyword and the sklstm parameter to use instead.
    """
    known = set(cls._get_param_names())
    is_classifier = "class_weight" in known
    table = {
        **_KERAS_KEYWORDS,
        **(_CLASSIFIER_KEYWORDS if is_classifier else _REGRESSOR_KEYWORDS),
    }
    found = [name for name in names if name not in known and name in table]
    if not found:
        return None
    lines = [f"{name}=: {table[name]}." for name in found]
    return error(
        f"{cls.__name__} does not take the Keras keyword"
        f"{'s' if len(found) > 1 else ''} {', '.join(map(repr, found))}: "
        + " ".join(lines)
    )
