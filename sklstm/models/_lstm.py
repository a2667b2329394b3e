"""The LSTM regressor: parameters, target scaling and regression identity.

The Keras network is built by :mod:`sklstm.models._network`, trained by
:mod:`sklstm.models._engine` and wrapped for scikit-learn by
:mod:`sklstm.models._base` (the only module that touches scikeras).
Importing this module imports TensorFlow (about 3 s).
"""

import math
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin
from sklearn.utils import RegressorTags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklstm.models._base import KerasLSTMBase
from sklstm.models._params import ACTIVATIONS, SHARED_CONSTRAINTS, fill_doc
from sklstm.models._quantiles import (
    PinballLoss,
    check_quantiles,
    constant_quantiles,
    interval_from_quantiles,
    sort_quantiles,
)
from sklstm.utils._compat import Interval, StrOptions

__all__ = ["LSTMRegressor"]

_LOSSES = {
    "mse",
    "mae",
    "huber",
    "log_cosh",
    "mean_squared_error",
    "mean_absolute_error",
}


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


class _QuantileTargetScaler(_TargetScaler):
    """The target scaler of ``loss="quantile"``: one copy of y per quantile.

    ``transform`` repeats every (scaled) target column once per quantile, the
    layout of the network's outputs (each step's quantiles side by side).
    ``inverse_quantiles`` maps the outputs back, sorted per sample and step;
    the scaling is increasing (``scale_ > 0``), so quantiles of the scaled
    target map to the same quantiles of y. ``inverse_transform`` gives the
    median, the point forecast.
    """

    def __init__(self, *, scale=True, quantiles=(0.05, 0.5, 0.95)):
        super().__init__(scale=scale)
        self.quantiles = quantiles

    def transform(self, y):
        return np.repeat(super().transform(y), len(self.quantiles), axis=1)

    def inverse_quantiles(self, raw):
        n_q = len(self.quantiles)
        q = np.asarray(raw, dtype=np.float64).reshape(len(raw), self.n_outputs_, n_q)
        q = sort_quantiles(q * self.scale_[:, None] + self.mean_[:, None])
        return q[:, 0, :] if self.y_ndim_ == 1 else q

    def inverse_transform(self, raw):
        return self.inverse_quantiles(raw)[..., self.quantiles.index(0.5)]


# --------------------------------------------------------------------------- #
# The regressor
# --------------------------------------------------------------------------- #
@fill_doc
class LSTMRegressor(RegressorMixin, KerasLSTMBase):
    """Long short-term memory network regressor with grid-searchable settings.

    A scikit-learn regressor (a Keras 3 network wrapped with scikeras) whose
    depth, width, regularization, normalization, early stopping and target
    scaling are plain parameters, so that ``GridSearchCV`` or a Bayesian search
    can tune them and it fits in any ``Pipeline``.

    Parameters
    ----------
    {network_parameters}
    output_activation : str, default="linear"
        Activation of the output layer; linear is right for regression.
    loss : str or callable, default="mse"
        Keras loss: "mse", "mae", "huber", "log_cosh" (or their long names),
        "quantile", or a callable ``loss(y_true, y_pred)``. "quantile": the
        pinball loss of each level of ``quantiles``, with one network output
        per level and target column; :meth:`predict` returns the median,
        :meth:`predict_quantiles` every level and :meth:`predict_interval`
        the bounds of a central interval. A new network's outputs start at
        the training target's empirical quantiles (the pinball-optimal
        constants), so the tails need not be learned out from the mean.
    quantiles : sequence of float or None, default=None
        The levels learned with ``loss="quantile"``: an increasing sequence
        of distinct floats strictly between 0 and 1 that holds 0.5. None:
        ``(0.05, 0.5, 0.95)``, the 90 % interval and the median. Ignored with
        any other loss (as scikit-learn's ``SVR`` ignores ``degree`` unless
        the kernel is "poly"), so that one grid can search over ``loss``.
    {training_parameters}
    scale_target : bool, default=True
        Standardize y (per output) for training and invert the scaling on
        predict, so a target in the thousands trains like a scaled one. The
        losses in ``history_`` are then in standardized units.
    window_norm : {"subtract", "divide"} or None, default=None
        Make each window relative to its own level, and restore the level at
        the output (instance normalization, as RevIN does): the level is the
        mean of the last ``norm_steps`` values of input feature
        ``norm_feature``, and y must be in that feature's units (e.g. the
        logged target). "subtract" subtracts it from that feature and adds it
        to every output (for a series in log space); "divide" divides that
        feature by the level's magnitude and multiplies the outputs by it (for
        raw non-negative values). So one network learns the shapes of series
        of ten and of a hundred thousand alike. Needs ``scale_target=False``.
        None: the windows as given.
    norm_steps : int, default=1
        Steps whose mean is a window's level (e.g. one season).
    norm_feature : int, default=0
        The input feature that carries the level (the target's column).
    validation_rows : {"latest", "random"}, default="latest"
        Which windows early stopping holds out (``validation_fraction`` of
        them): the latest in time (of every series of a panel), so that the
        stopping point is judged on what comes after the training windows; or
        a random sample, so that the latest windows, often the most like the
        next ones, are trained on too (overlapping windows make the
        validation loss optimistic, but only the stopping point depends on
        it).
    nan_windows : {"error", "skip"}, default="error"
        Windows holding NaN (``Windower(warmup="nan")`` pads the first rows of
        every series so): "error" refuses them; "skip" leaves them out of
        training (sample weight 0, so a series' windows that reach before its
        first row teach nothing) and predicts NaN for them, for a caller to
        fall back on another forecast there.
    windows_per_epoch : int or None, default=None
        Train each epoch on at most this many windows, drawn anew from all
        training windows (all series of a panel) every epoch, so that an
        epoch costs the same however long the data (``batch_size="auto"``
        is still resolved for all the windows, so a long panel's epoch is a
        few large batches). None: every window, every epoch.
    {seed_parameters}

    Attributes
    ----------
    {fitted_attributes}
    n_outputs_ : int
        Number of targets (columns of y).
    target_encoder_ : transformer
        The fitted target scaler (``mean_``, ``scale_`` per output).
    quantiles_ : tuple of float
        The levels the network learned (``loss="quantile"`` only).

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

    Training runs whole epochs inside one TensorFlow graph, traced once per
    architecture and process and reused by later fits (the fits of a grid
    search share it), with Keras' loss, regularization penalties and
    optimizer. Windows from :class:`~sklstm.preprocessing.Windower` (any window
    view of a 2-D series) are streamed: each batch is gathered from the
    series' rows as it is needed, so memory does not grow with the window
    length. Early stopping is Keras' ``EarlyStopping(monitor="val_loss",
    restore_best_weights=True)`` on the time-ordered tail.

    The default architecture runs the fused cuDNN kernel on a GPU. On CPU,
    keep ``units`` and ``epochs`` modest on small data, and let early stopping
    choose the number of epochs.

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

    Keras' vocabulary: an optimizer name in any case, or an instance (copied
    for every fit) with its own settings, such as gradient clipping:

    >>> import keras
    >>> clipped = keras.optimizers.Adam(learning_rate=0.01, clipnorm=1.0)
    >>> reg = LSTMRegressor(units=8, epochs=2, optimizer=clipped).fit(X, y)
    >>> reg.model_.optimizer.clipnorm, reg.model_.optimizer is clipped
    (1.0, False)
    >>> LSTMRegressor(units=8, epochs=2, optimizer="RMSprop").fit(X, y).n_epochs_
    2
    """

    _parameter_constraints: dict = {
        **SHARED_CONSTRAINTS,
        "output_activation": [StrOptions(ACTIVATIONS), callable],
        "loss": [StrOptions(_LOSSES | {"quantile"}), callable],
        "quantiles": ["array-like", None],
        "scale_target": ["boolean"],
        "window_norm": [StrOptions({"subtract", "divide"}), None],
        "norm_steps": [Interval(Integral, 1, None, closed="left")],
        "norm_feature": [Interval(Integral, 0, None, closed="left")],
        "validation_rows": [StrOptions({"latest", "random"})],
        "nan_windows": [StrOptions({"error", "skip"})],
        "windows_per_epoch": [Interval(Integral, 1, None, closed="left"), None],
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
        unroll="auto",
        l1=0.0,
        l2=0.0,
        regularize="lstm",
        early_stopping=True,
        patience=10,
        validation_fraction=0.1,
        optimizer="adam",
        learning_rate=None,
        clipnorm=None,
        clipvalue=None,
        loss="mse",
        quantiles=None,
        epochs=100,
        batch_size=32,
        shuffle=True,
        scale_target=True,
        window_norm=None,
        norm_steps=1,
        norm_feature=0,
        validation_rows="latest",
        nan_windows="error",
        windows_per_epoch=None,
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
        self.unroll = unroll
        self.l1 = l1
        self.l2 = l2
        self.regularize = regularize
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.loss = loss
        self.quantiles = quantiles
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.scale_target = scale_target
        self.window_norm = window_norm
        self.norm_steps = norm_steps
        self.norm_feature = norm_feature
        self.validation_rows = validation_rows
        self.nan_windows = nan_windows
        self.windows_per_epoch = windows_per_epoch
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags

    def _is_quantile(self):
        return isinstance(self.loss, str) and self.loss == "quantile"

    def _make_target_encoder(self):
        if not self._is_quantile():
            return _TargetScaler(scale=self.scale_target)
        return _QuantileTargetScaler(
            scale=self.scale_target, quantiles=check_quantiles(self.quantiles)
        )

    def _check_window_norm(self, n_features):
        if self.window_norm is None:
            return
        if self.scale_target:
            raise ValueError(
                f"window_norm={self.window_norm!r} restores each window's level "
                "in the units of y, but scale_target=True rescales y; set "
                "scale_target=False."
            )
        if self.norm_feature >= n_features:
            raise ValueError(
                f"norm_feature={self.norm_feature} is not a feature of the "
                f"windows, which have {n_features} feature(s)."
            )

    def _initialize(self, X, y=None):
        vars(self).pop("quantiles_", None)  # a refit with another loss
        if self.window_norm is not None:
            shape = getattr(X, "shape", None) or np.shape(X)
            self._check_window_norm(shape[-1])
        X, y = super()._initialize(X, y)
        if self._is_quantile():
            self.quantiles_ = self.target_encoder_.quantiles
            self._new_quantile_head = True  # see _fit_keras_model
        return X, y

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, rng
    ):
        if vars(self).pop("_new_quantile_head", False):
            # A new network starts at the pinball-optimal constants: the
            # output biases are the empirical quantiles of the training rows
            # (the validation tail of early stopping excluded). From biases
            # of 0 (Keras' default) every level starts at the scaled target's
            # mean, and the tails had not moved out when early stopping ended
            # training (90 % intervals held about half the training rows).
            n_train = len(y)
            if self.early_stopping and not warm_start:
                n_train = math.floor(n_train * (1 - self.validation_fraction))
            bias = constant_quantiles(y[: max(n_train, 1)], self.quantiles_)
            self.model_.get_layer("output").bias.assign(bias)
        super()._fit_keras_model(
            X, y, sample_weight, warm_start, epochs, initial_epoch, rng
        )

    def _network_head(self):
        if not self._is_quantile():
            return self.n_outputs_, self.output_activation, self.loss
        quantiles = self.target_encoder_.quantiles
        loss = PinballLoss(quantiles, n_steps=self.n_outputs_)
        return self.n_outputs_ * len(quantiles), self.output_activation, loss

    @available_if(_is_quantile)
    def predict_quantiles(self, X):
        """Predict the quantiles of the target of each window in ``X``.

        Available with ``loss="quantile"`` only.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Windows with the timesteps and features seen in fit.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or \
                (n_samples, n_outputs, n_quantiles)
            The levels of ``quantiles_`` along the last axis, in the units
            of y; the step axis only for a 2-D y in fit. Sorted per sample
            and step: quantiles that the network predicts crossed are put in
            order (a rearrangement, never farther from the true quantiles).

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm import LSTMRegressor
        >>> rng = np.random.RandomState(0)
        >>> X = rng.normal(size=(64, 5, 2))
        >>> y = X[:, -1, 0] + 0.1 * rng.normal(size=64)
        >>> reg = LSTMRegressor(loss="quantile", quantiles=(0.1, 0.5, 0.9),
        ...                     units=4, epochs=3, random_state=0).fit(X, y)
        >>> q = reg.predict_quantiles(X[:3])
        >>> q.shape
        (3, 3)
        >>> bool(np.all(np.diff(q, axis=-1) >= 0))
        True
        >>> bool(np.array_equal(q[:, 1], reg.predict(X[:3])))  # the median
        True
        """
        check_is_fitted(self, "model_")
        return self.target_encoder_.inverse_quantiles(self._predict_raw(X))

    @available_if(_is_quantile)
    def predict_interval(self, X, coverage=0.9):
        """Central prediction intervals from the learned quantiles.

        The bounds at coverage ``c`` are the predicted quantiles
        ``(1 - c) / 2`` and ``(1 + c) / 2``, which must be among
        ``quantiles``. Available with ``loss="quantile"`` only.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Windows with the timesteps and features seen in fit.
        coverage : float or sequence of float, default=0.9
            Nominal probability that the interval holds the true value,
            strictly between 0 and 1; several give one interval each.

        Returns
        -------
        y_pis : ndarray of shape (n_samples, 2), (n_samples, n_outputs, 2) \
                or either with a last axis of size ``len(coverage)``
            Lower (``[..., 0]``) and upper (``[..., 1]``) bounds, laid out as
            MAPIE's: the steps axis only for a 2-D y in fit, the coverage
            axis only when ``coverage`` is a sequence.

        Notes
        -----
        The quantiles are what the network learned on its training data: a
        network that overfits gives intervals that are too narrow. Measure
        their coverage on held-out data
        (:func:`sklstm.forecasting.interval_scores`).

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm import LSTMRegressor
        >>> rng = np.random.RandomState(0)
        >>> X = rng.normal(size=(64, 5, 2))
        >>> y = X[:, -1, 0] + 0.1 * rng.normal(size=64)
        >>> reg = LSTMRegressor(loss="quantile", units=4, epochs=3,
        ...                     random_state=0).fit(X, y)
        >>> reg.quantiles_
        (0.05, 0.5, 0.95)
        >>> bounds = reg.predict_interval(X[:3], coverage=0.9)
        >>> bounds.shape
        (3, 2)
        >>> bool(np.all(bounds[:, 0] <= bounds[:, 1]))
        True
        >>> reg.predict_interval(X[:3], coverage=0.8)
        Traceback (most recent call last):
        ...
        ValueError: coverage=0.8: the interval at coverage 0.8 is bounded by the \
quantiles 0.1 and 0.9, but quantiles=(0.05, 0.5, 0.95) does not hold 0.1 and \
0.9. Add them to quantiles, or ask for a coverage the quantiles give (0.9).
        """
        return interval_from_quantiles(
            self.predict_quantiles(X), self.quantiles_, coverage
        )
