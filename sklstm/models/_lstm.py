"""The LSTM regressor: sklstm's one and only scikeras touchpoint.

Everything that depends on scikeras' private structure lives in this module, so
that the wrapper could move to another Keras/scikit-learn bridge by changing
one file. Importing this module imports TensorFlow (about 3 s).
"""

import contextlib
import logging
import math
import os
import random
import sys
import warnings
from numbers import Integral, Real

import numpy as np


@contextlib.contextmanager
def _quiet_import():
    """Send file descriptor 2 to /dev/null while TensorFlow loads.

    TensorFlow's shared libraries print INFO lines (oneDNN, CUDA, CPU features)
    straight to fd 2 before any log level applies. Set ``SKLSTM_TF_LOGS=1`` to
    see them. Exceptions still propagate after stderr is restored.
    """
    if os.environ.get("SKLSTM_TF_LOGS") or "tensorflow" in sys.modules:
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:  # no usable fd 2 (some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


# TensorFlow's C++ logs at run time (e.g. "failed call to cuInit" on a machine
# without GPU) stay quiet unless the user set this variable themselves.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

with _quiet_import():
    import keras
    from scikeras.wrappers import KerasRegressor
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin  # noqa: E402
from sklearn.utils import RegressorTags  # noqa: E402
from sklearn.utils.validation import check_array, check_is_fitted  # noqa: E402

from sklstm.utils._compat import (  # noqa: E402
    Interval,
    RealNotInt,
    StrOptions,
    _fit_context,
    validate_data,
)

__all__ = ["LSTMRegressor"]

_ACTIVATIONS = {
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
_OPTIMIZERS = {"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad", "adamax", "lion"}
_LOSSES = {
    "mse",
    "mae",
    "huber",
    "log_cosh",
    "mean_squared_error",
    "mean_absolute_error",
}


# --------------------------------------------------------------------------- #
# Seeding and logging: explicit, restored afterwards, never op determinism.
# --------------------------------------------------------------------------- #
def _draw_seed(random_state):
    """Turn ``random_state`` into an int seed, or None for unseeded training.

    An int is used as is; a ``np.random.RandomState`` is *consumed* (one draw),
    so that successive fits with the same instance differ, as everywhere in
    scikit-learn. scikeras would turn every RandomState into seed 0.
    """
    if random_state is None:
        return None
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(random_state.randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def _seeded(seed):
    """Seed Python, NumPy, TensorFlow and Keras for the block, then restore them.

    ``keras.utils.set_random_seed`` gives bit-identical LSTM training on CPU.
    Unlike scikeras, this does not enable TensorFlow op determinism, so nothing
    stays switched on for the rest of the process.
    """
    if seed is None:
        yield
        return
    import tensorflow as tf
    from keras.src.backend.common import global_state
    from tensorflow.python.eager import context

    keras_keys = ("global_random_seed", "global_seed_generator")
    saved_keras = {k: global_state.get_global_attribute(k) for k in keras_keys}
    saved_py = random.getstate()
    saved_np = np.random.get_state()  # noqa: NPY002 (restored below)
    saved_tf = context.global_seed()
    try:
        keras.utils.set_random_seed(seed)
        yield
    finally:
        random.setstate(saved_py)
        np.random.set_state(saved_np)  # noqa: NPY002
        tf.random.set_seed(saved_tf)
        for key, value in saved_keras.items():
            global_state.set_global_attribute(key, value)


@contextlib.contextmanager
def _quiet(verbose):
    """Raise TensorFlow's Python loggers to ERROR for the block unless verbose."""
    if verbose:
        yield
        return
    loggers = [logging.getLogger(name) for name in ("tensorflow", "absl")]
    levels = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.ERROR)
        with warnings.catch_warnings():
            # retracing notices when many models are fitted in one process
            warnings.filterwarnings("ignore", message=".*retracing.*")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


# --------------------------------------------------------------------------- #
# Target scaling (scikeras' ``target_encoder`` hook)
# --------------------------------------------------------------------------- #
class _TargetScaler(TransformerMixin, BaseEstimator):
    """Standardize y for training and invert predictions; 1-D or 2-D y.

    With ``scale=False`` it only reshapes, like scikeras' default encoder.
    """

    def __init__(self, *, scale=True):
        self.scale = scale

    def fit(self, y):
        y = np.asarray(y, dtype=np.float64)
        self.y_ndim_ = y.ndim
        y2 = y.reshape(len(y), -1)
        self.n_outputs_ = y2.shape[1]
        if self.scale:
            self.mean_ = y2.mean(axis=0)
            scale = y2.std(axis=0)
            scale[~np.isfinite(scale) | (scale <= np.finfo(np.float64).eps)] = 1.0
            self.scale_ = scale
        else:
            self.mean_ = np.zeros(self.n_outputs_)
            self.scale_ = np.ones(self.n_outputs_)
        return self

    def transform(self, y):
        y2 = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        if y2.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y2.shape[1]} outputs, but LSTMRegressor was fitted with "
                f"{self.n_outputs_} outputs."
            )
        return ((y2 - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, y):
        y2 = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        y2 = y2 * self.scale_ + self.mean_
        return y2.ravel() if self.y_ndim_ == 1 else y2

    def get_metadata(self):
        return {"n_outputs_": self.n_outputs_, "n_outputs_expected_": 1}


class _Identity(TransformerMixin, BaseEstimator):
    """scikeras' ``feature_encoder`` hook: X is already validated."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


# --------------------------------------------------------------------------- #
# The regressor
# --------------------------------------------------------------------------- #
class LSTMRegressor(KerasRegressor):
    """Long short-term memory network regressor with grid-searchable settings.

    A scikit-learn regressor (built on scikeras' ``KerasRegressor`` and Keras 3)
    whose depth, width, regularization, normalization, early stopping and target
    scaling are plain parameters, so that ``GridSearchCV`` or a Bayesian search
    can tune them and it fits in any ``Pipeline``.

    Parameters
    ----------
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
    output_activation : str, default="linear"
        Activation of the output layer; linear is right for regression.
    dropout : float, default=0.0
        Fraction dropped by a ``Dropout`` layer after every recurrent layer and
        after every hidden ``Dense`` layer.
    recurrent_dropout : float, default=0.0
        Fraction of the recurrent state dropped inside each LSTM cell (Keras'
        ``recurrent_dropout``). Non-zero disables the fused cuDNN kernel.
    l1 : float, default=0.0
        L1 penalty on the kernels (input weights) of every LSTM and Dense layer.
    l2 : float, default=0.0
        L2 penalty on the kernels of every LSTM and Dense layer.
    early_stopping : bool, default=True
        Stop when the validation loss has not improved for ``patience`` epochs
        and keep the weights of the best epoch. The validation set is the last
        ``validation_fraction`` of the training data in time order (never
        shuffled into training).
    patience : int, default=10
        Epochs without improvement of the validation loss before stopping.
    validation_fraction : float, default=0.1
        Fraction of the training samples, taken from the end, held out for early
        stopping. Ignored when ``early_stopping=False``.
    optimizer : str, default="adam"
        Name of a Keras optimizer: "adam", "adamw", "nadam", "rmsprop", "sgd",
        "adagrad", "adamax" or "lion".
    learning_rate : float, default=0.001
        Learning rate of the optimizer.
    loss : str or callable, default="mse"
        Keras loss: "mse", "mae", "huber", "log_cosh" (or their long names), or
        a callable ``loss(y_true, y_pred)``.
    epochs : int, default=100
        Maximum number of passes over the training data.
    batch_size : int, default=32
        Samples per gradient step (and per prediction batch).
    shuffle : bool, default=True
        Shuffle the training windows each epoch. Windows carry their own past,
        so shuffling them does not leak the future; the validation set is split
        off before shuffling.
    scale_target : bool, default=True
        Standardize y (per output) for training and invert the scaling on
        predict, so a target in the thousands trains like a scaled one. The
        losses in ``history_`` are then in standardized units.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialization, dropout and shuffling. The same int gives
        identical predictions on CPU. A ``RandomState`` is drawn from once per
        fit. Seeding restores Python's, NumPy's, TensorFlow's and Keras' global
        random state afterwards and does not enable TensorFlow op determinism.
    verbose : int, default=0
        0 prints nothing; 1 or 2 show Keras' progress output per epoch and let
        TensorFlow's warnings through.

    Attributes
    ----------
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
        Number of timesteps (window length) seen during fit; 1 for 2-D X.
    n_outputs_ : int
        Number of targets (columns of y).
    target_encoder_ : transformer
        The fitted target scaler (``mean_``, ``scale_`` per output).

    See Also
    --------
    sklstm.preprocessing.Windower : Turns a 2-D series into the 3-D windows this
        regressor reads, inside a Pipeline.
    sklearn.neural_network.MLPRegressor : A feed-forward network regressor.

    Notes
    -----
    X is 3-D ``(n_samples, timesteps, n_features)``: sample i is a window of the
    ``timesteps`` most recent rows. A 2-D X ``(n_samples, n_features)`` is taken
    as one timestep per sample (each row is a window of length 1), as in many
    tutorials; use :class:`~sklstm.preprocessing.Windower` to give the network
    a real history. y may be 1-D, or 2-D with one column per output (e.g. one
    per step of a multi-step horizon).

    The default architecture runs the fused cuDNN kernel on a GPU. On CPU,
    throughput is limited: keep ``units`` and ``epochs`` modest on small data,
    and let early stopping choose the number of epochs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(64, 5, 2))           # 64 windows of 5 steps, 2 features
    >>> y = X[:, -1, 0] * 100 + 1000              # unscaled target
    >>> reg = LSTMRegressor(units=8, epochs=5, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    >>> reg.n_features_in_, reg.n_timesteps_in_, reg.n_epochs_
    (2, 5, 5)
    """

    # scikeras reads these attributes; sklstm fixes them rather than exposing
    # them as parameters (they are not part of ``get_params``).
    model = None
    build_fn = None
    warm_start = False
    metrics = None
    callbacks = None
    validation_split = 0.0
    validation_batch_size = None
    run_eagerly = False

    _parameter_constraints: dict = {
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "units": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "bidirectional": ["boolean"],
        "activation": [StrOptions(_ACTIVATIONS), callable],
        "recurrent_activation": [StrOptions(_ACTIVATIONS), callable],
        "normalization": [StrOptions({"batch", "layer"}), None],
        "dense_units": [tuple, list, None],
        "dense_activation": [StrOptions(_ACTIVATIONS), callable],
        "output_activation": [StrOptions(_ACTIVATIONS), callable],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "l1": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "validation_fraction": [Interval(RealNotInt, 0, 1, closed="neither")],
        "optimizer": [StrOptions(_OPTIMIZERS)],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [StrOptions(_LOSSES), callable],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "scale_target": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        n_layers=1,
        units=32,
        bidirectional=False,
        activation="tanh",
        recurrent_activation="sigmoid",
        normalization=None,
        dense_units=(),
        dense_activation="relu",
        output_activation="linear",
        dropout=0.0,
        recurrent_dropout=0.0,
        l1=0.0,
        l2=0.0,
        early_stopping=True,
        patience=10,
        validation_fraction=0.1,
        optimizer="adam",
        learning_rate=1e-3,
        loss="mse",
        epochs=100,
        batch_size=32,
        shuffle=True,
        scale_target=True,
        random_state=None,
        verbose=0,
    ):
        self.n_layers = n_layers
        self.units = units
        self.bidirectional = bidirectional
        self.activation = activation
        self.recurrent_activation = recurrent_activation
        self.normalization = normalization
        self.dense_units = dense_units
        self.dense_activation = dense_activation
        self.output_activation = output_activation
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.l1 = l1
        self.l2 = l2
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.scale_target = scale_target
        self.random_state = random_state
        self.verbose = verbose

    # ---- scikit-learn identity (scikeras 0.13 predates scikit-learn 1.6) ----
    # Parameters are the signature of __init__, as for any scikit-learn estimator
    # (scikeras lists every public instance attribute instead).
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    set_params = BaseEstimator.set_params
    __repr__ = BaseEstimator.__repr__
    score = RegressorMixin.score

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags

    # ---- fit / predict ----
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Build a new network and train it on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Training windows; 2-D X is one timestep per sample.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss.

        Returns
        -------
        self : LSTMRegressor
            The fitted regressor.
        """
        self._check_architecture()
        seed = _draw_seed(self.random_state)
        with _quiet(self.verbose), _seeded(seed):
            self._fit(
                X,
                y,
                sample_weight=sample_weight,
                warm_start=False,
                epochs=self.epochs,
                initial_epoch=0,
            )
        return self

    def partial_fit(self, X, y, sample_weight=None):
        """Train for one more epoch on ``(X, y)``, without early stopping.

        The network is built first if the regressor is not fitted yet. The
        target scaling learned by the first fit is kept.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Training windows.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss.

        Returns
        -------
        self : LSTMRegressor
            The updated regressor.
        """
        if not self.initialized_:
            self._validate_params()
            self._check_architecture()
        with _quiet(self.verbose):
            self._fit(
                X,
                y,
                sample_weight=sample_weight,
                warm_start=True,
                epochs=1,
                initial_epoch=self.current_epoch if self.initialized_ else 0,
            )
        return self

    def predict(self, X):
        """Predict the target of each window in ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Windows with the timesteps and features seen in fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions in the units of y.
        """
        check_is_fitted(self, "model_")
        with _quiet(self.verbose):
            return super().predict(X)

    # ---- scikeras hooks ----
    @property
    def target_encoder(self):
        """Unfitted target transformer (standardizes y when ``scale_target``)."""
        return _TargetScaler(scale=self.scale_target)

    @property
    def feature_encoder(self):
        """Unfitted feature transformer (identity: X is validated already)."""
        return _Identity()

    def _check_architecture(self):
        units = self.units
        if isinstance(units, (tuple, list)):
            if len(units) != self.n_layers:
                raise ValueError(
                    f"units={units!r} has {len(units)} entries but n_layers="
                    f"{self.n_layers}; give one entry per layer or a single int."
                )
            bad = [u for u in units if not isinstance(u, Integral) or u < 1]
            if bad:
                raise ValueError(
                    f"units={units!r} must hold ints >= 1; got {bad[0]!r}."
                )
        dense = self.dense_units or ()
        bad = [u for u in dense if not isinstance(u, Integral) or u < 1]
        if bad:
            raise ValueError(
                f"dense_units={self.dense_units!r} must hold ints >= 1; got {bad[0]!r}."
            )

    def _layer_units(self):
        if isinstance(self.units, (tuple, list)):
            return [int(u) for u in self.units]
        return [int(self.units)] * self.n_layers

    def _initialize(self, X, y=None):
        # scikeras' _initialize, minus its seeding (done by ``fit``, see _seeded)
        # and its callback parsing (sklstm builds its callbacks per fit).
        X, y = self._validate_data(X, y, reset=True)
        self._random_state = None
        self.target_encoder_ = self.target_encoder.fit(y)
        vars(self).update(**self.target_encoder_.get_metadata())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        self.model_ = self._build_keras_model()
        self._fit_callbacks = []
        self._predict_callbacks = []
        return X, y

    def _keras_build_fn(self):
        layers = keras.layers

        def regularizer():
            if self.l1 or self.l2:
                return keras.regularizers.L1L2(l1=self.l1, l2=self.l2)
            return None

        inputs = keras.Input(shape=(self.n_timesteps_in_, self.n_features_in_))
        x = inputs
        units = self._layer_units()
        for i, n_units in enumerate(units):
            layer = layers.LSTM(
                n_units,
                activation=self.activation,
                recurrent_activation=self.recurrent_activation,
                recurrent_dropout=self.recurrent_dropout,
                kernel_regularizer=regularizer(),
                return_sequences=i < len(units) - 1,
                name=f"lstm_{i}",
            )
            if self.bidirectional:
                layer = layers.Bidirectional(layer, name=f"bidirectional_{i}")
            x = layer(x)
            if self.normalization == "batch":
                x = layers.BatchNormalization(name=f"batch_norm_{i}")(x)
            elif self.normalization == "layer":
                x = layers.LayerNormalization(name=f"layer_norm_{i}")(x)
            if self.dropout:
                x = layers.Dropout(self.dropout, name=f"dropout_{i}")(x)
        for j, n_units in enumerate(self.dense_units or ()):
            x = layers.Dense(
                int(n_units),
                activation=self.dense_activation,
                kernel_regularizer=regularizer(),
                name=f"dense_{j}",
            )(x)
            if self.dropout:
                x = layers.Dropout(self.dropout, name=f"dense_dropout_{j}")(x)
        outputs = layers.Dense(
            self.n_outputs_,
            activation=self.output_activation,
            kernel_regularizer=regularizer(),
            name="output",
        )(x)
        model = keras.Model(inputs, outputs, name="sklstm_lstm")
        optimizer = keras.optimizers.get(
            {
                "class_name": self.optimizer,
                "config": {"learning_rate": self.learning_rate},
            }
        )
        model.compile(optimizer=optimizer, loss=self.loss)
        return model

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        stopper = None
        if self.early_stopping and not warm_start:
            n_samples = X.shape[0]
            # Keras' own split: the last samples, before shuffling
            n_val = n_samples - math.floor(n_samples * (1 - self.validation_fraction))
            if n_val < 1 or n_samples - n_val < 1:
                raise ValueError(
                    f"early_stopping=True needs a validation set, but "
                    f"validation_fraction={self.validation_fraction} of "
                    f"n_samples={n_samples} leaves {n_val} validation samples and "
                    f"{n_samples - n_val} training samples. Give more samples, a "
                    f"larger validation_fraction, or set early_stopping=False."
                )
            stopper = keras.callbacks.EarlyStopping(
                monitor="val_loss",
                patience=self.patience,
                restore_best_weights=True,
            )
            kwargs["validation_split"] = self.validation_fraction
        self._fit_callbacks = [stopper] if stopper is not None else []
        try:
            super()._fit_keras_model(
                X,
                y,
                sample_weight=sample_weight,
                warm_start=warm_start,
                epochs=epochs,
                initial_epoch=initial_epoch,
                **kwargs,
            )
        finally:
            self._fit_callbacks = []
        self.history_ = {key: list(values) for key, values in self.history_.items()}
        self.n_epochs_ = len(self.history_.get("loss", []))
        if stopper is not None and stopper.best_weights is not None:
            self.best_epoch_ = int(stopper.best_epoch) + 1
        else:
            self.best_epoch_ = self.n_epochs_
        losses = np.asarray(self.history_.get("loss", []), dtype=float)
        if losses.size and not np.all(np.isfinite(losses)):
            warnings.warn(
                "The training loss became NaN or infinite (training diverged): "
                "lower learning_rate, keep scale_target=True, and scale X.",
                RuntimeWarning,
                stacklevel=3,
            )

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=True):
        """Validate X (2-D or 3-D) and y; record or check shapes.

        ``n_features_in_`` is the size of X's last axis (features), not its
        second (timesteps), which is what scikeras would record for 3-D X.
        """
        if X is None:  # scikeras' score path validates y alone
            y = check_array(
                y, ensure_2d=False, dtype=np.float64, input_name="y", estimator=self
            )
            return None, y
        common = dict(
            ensure_2d=False,
            allow_nd=True,
            dtype=(np.float32, np.float64),
            ensure_min_samples=1,
        )
        if y is None:
            if reset:
                raise ValueError(
                    "LSTMRegressor requires y to be passed, but the target y is None."
                )
            X = validate_data(self, X, reset=reset, **common)
        else:
            X, y = validate_data(
                self,
                X,
                y,
                reset=reset,
                multi_output=True,
                y_numeric=True,
                **common,
            )
            if y.ndim > 2:
                raise ValueError(
                    f"y must be 1-D or 2-D (n_samples, n_outputs); got shape {y.shape}."
                )
            y = y.astype(np.float64, copy=False)
        if X.ndim not in (2, 3):
            raise ValueError(
                f"X must be 3-D (n_samples, timesteps, n_features) or 2-D "
                f"(n_samples, n_features), taken as one timestep; got a {X.ndim}-D "
                f"array of shape {X.shape}."
                + (
                    " Reshape your data using X.reshape(-1, 1) for a single feature"
                    " or X.reshape(1, -1) for a single sample."
                    if X.ndim == 1
                    else ""
                )
            )
        X = np.asarray(X, dtype=np.float32)
        if X.ndim == 2:
            X = X[:, np.newaxis, :]
        n_timesteps, n_features = X.shape[1], X.shape[2]
        if reset:
            self.n_features_in_ = n_features
            self.n_timesteps_in_ = n_timesteps
        else:
            if n_features != self.n_features_in_:
                raise ValueError(
                    f"X has {n_features} features, but LSTMRegressor is expecting "
                    f"{self.n_features_in_} features as input."
                )
            if n_timesteps != self.n_timesteps_in_:
                raise ValueError(
                    f"X has {n_timesteps} timesteps, but LSTMRegressor is expecting "
                    f"{self.n_timesteps_in_} timesteps (the window length seen in "
                    f"fit)."
                )
        return X, y
