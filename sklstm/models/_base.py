"""The scikeras base of sklstm's Keras estimators: sklstm's one scikeras touchpoint.

Everything that depends on scikeras lives in this module, so that the wrapper
could move to another Keras/scikit-learn bridge by changing one file. scikeras
0.13 provides the fit orchestration (``_fit``: validation, sample weights,
target encoding), ``partial_fit``'s bookkeeping and the pickling of Keras
models; sklstm replaces its data validation (3-D windows, streamed), its
training and prediction (:mod:`sklstm.models._engine`), its seeding and its
parameter handling (scikit-learn's). Importing this module imports TensorFlow.
"""

import math

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_array, check_is_fitted

from sklstm.models import _engine
from sklstm.models._network import build_network, check_architecture
from sklstm.models._params import keras_keyword_error, resolve_batch_size
from sklstm.models._tf import draw_seed, quiet, seeded
from sklstm.models._windows import Windows
from sklstm.utils._compat import _check_feature_names, _fit_context, validate_data

from sklstm.models._tf import _quiet_import  # isort: skip

with _quiet_import():
    from scikeras.wrappers import BaseWrapper

__all__ = ["KerasLSTMBase"]


class _Identity:
    """scikeras' ``feature_encoder`` hook: X is validated already."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


class KerasLSTMBase(BaseWrapper):
    """What every sklstm Keras estimator shares; not public.

    Subclasses define ``__init__`` (the parameters), ``_parameter_constraints``,
    ``_make_target_encoder`` (a transformer with ``fit``, ``transform``,
    ``inverse_transform`` and ``get_metadata``), ``_network_head`` (output
    units, output activation and loss of the network) and, for targets other
    than numbers, ``_validate_y``.
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

    # ---- scikit-learn identity (scikeras 0.13 predates scikit-learn 1.6) ----
    # Parameters are the signature of __init__, as for any scikit-learn estimator
    # (scikeras lists every public instance attribute instead).
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    __repr__ = BaseEstimator.__repr__

    def __new__(cls, *args, **kwargs):
        # Keras users write kernel_regularizer=, validation_split=, callbacks=:
        # name the sklstm parameter instead of Python's bare "unexpected keyword
        # argument". __init__ itself only stores; clone and pickle never pass
        # such keywords.
        error = keras_keyword_error(cls, kwargs)
        if error is not None:
            raise error
        return super().__new__(cls)

    def set_params(self, **params):
        """Set the parameters of this estimator.

        Parameters
        ----------
        **params : dict
            Estimator parameters (``name=value``, or ``step__name=value`` for
            nested objects).

        Returns
        -------
        self : estimator instance
            The estimator.
        """
        error = keras_keyword_error(type(self), params, error=ValueError)
        if error is not None:
            raise error
        return BaseEstimator.set_params(self, **params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = True
        return tags

    # ---- fit / predict ----
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Build a new network and train it on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Training windows; 2-D X is one timestep per sample. A window view
            (the output of :class:`~sklstm.preprocessing.Windower`) is
            streamed: batches are gathered from its rows, never copied whole.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        check_architecture(self)
        seed = draw_seed(self.random_state)
        with quiet(self.verbose), seeded(seed):
            self._fit(
                X,
                y,
                sample_weight=sample_weight,
                warm_start=False,
                epochs=self.epochs,
                initial_epoch=0,
                rng=np.random.default_rng(seed),
            )
        return self

    def partial_fit(self, X, y, sample_weight=None):
        """Train for one more epoch on ``(X, y)``, without early stopping.

        The network is built first if the estimator is not fitted yet. The
        target scaling and the optimizer state of earlier fits are kept.

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
        self : object
            The updated estimator.
        """
        if not self.initialized_:
            self._validate_params()
            check_architecture(self)
        seed = draw_seed(self.random_state)
        # one more epoch, shuffled differently from the previous ones
        rng = np.random.default_rng(
            None if seed is None else [seed, self.current_epoch]
        )
        with quiet(self.verbose), seeded(seed if not self.initialized_ else None):
            self._fit(
                X,
                y,
                sample_weight=sample_weight,
                warm_start=True,
                epochs=1,
                initial_epoch=self.current_epoch,
                rng=rng,
            )
        return self

    def _skips_nan(self):
        return getattr(self, "nan_windows", "error") == "skip"

    def _predict_raw(self, X):
        with quiet(self.verbose):
            windows, _ = self._validate_data(X)
            if not self._skips_nan():
                return _engine.predict(self.model_, self._architecture_key(), windows)
            windows, missing = without_nan(windows)
            out = _engine.predict(self.model_, self._architecture_key(), windows)
            out = np.array(out, dtype=np.float64)
            out[missing] = np.nan
            return out

    def predict(self, X):
        """Predict the target of each window in ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Windows with the timesteps and features seen in fit (streamed
            when a window view).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions in the units of y.
        """
        check_is_fitted(self, "model_")
        return self.target_encoder_.inverse_transform(self._predict_raw(X))

    # ---- scikeras hooks ----
    @property
    def target_encoder(self):
        """Unfitted target transformer."""
        return self._make_target_encoder()

    @property
    def feature_encoder(self):
        """Unfitted feature transformer (identity: X is validated already)."""
        return _Identity()

    def _initialize(self, X, y=None):
        # scikeras' _initialize, minus its seeding (done by ``fit``, see
        # ``seeded``) and its callbacks (the engine runs early stopping).
        X, y = self._validate_data(X, y, reset=True)
        self._random_state = None
        self.target_encoder_ = self.target_encoder.fit(y)
        vars(self).update(**self.target_encoder_.get_metadata())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        n_units, output_activation, loss = self._network_head()
        self.model_ = build_network(
            self,
            n_timesteps=self.n_timesteps_in_,
            n_features=self.n_features_in_,
            n_outputs=n_units,
            output_activation=output_activation,
            loss=loss,
        )
        self._engine_key = _engine.architecture_key(self.model_)
        self._fit_callbacks = []
        self._predict_callbacks = []
        return X, y

    def _check_model_compatibility(self, y):
        # scikeras also checks that the model was compiled with the ``loss``
        # parameter, looked up as a Keras loss name; sklstm compiles the loss
        # that ``_network_head`` gives (a Keras loss object for sklstm's own
        # names, such as "quantile"), so only the output count is checked.
        expected = getattr(self, "n_outputs_expected_", None)
        if expected and expected != len(self.model_.outputs):
            raise ValueError(
                f"The target has {expected} outputs, but the network has "
                f"{len(self.model_.outputs)}."
            )

    def _architecture_key(self):
        key = getattr(self, "_engine_key", None)
        if key is None:  # e.g. a model_ set by hand
            key = self._engine_key = _engine.architecture_key(self.model_)
        return key

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, rng
    ):
        if self._skips_nan():  # windows reaching before their series: weight 0
            X, missing = without_nan(X)
            if missing.all():
                raise ValueError(
                    "nan_windows='skip' leaves no window to train on: every "
                    "window holds NaN (fewer rows than the window?)."
                )
            weight = np.ones(len(X)) if sample_weight is None else sample_weight
            sample_weight = np.where(missing, 0.0, weight)
        # a panel's windows: oldest first, so that the validation tail is the
        # latest time stamps of every series, not the last series
        X, y, sample_weight = _in_time_order(X, y, sample_weight)
        if getattr(self, "validation_rows", "latest") == "random":
            # a random tail instead: the latest windows are trained on too
            order = rng.permutation(len(X))
            if sample_weight is not None:
                sample_weight = np.asarray(sample_weight)[order]
            X, y = X[order], np.asarray(y)[order]
        validation_fraction = None
        if self.early_stopping and not warm_start:
            n_samples = len(X)
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
            validation_fraction = self.validation_fraction
        history, best_epoch = _engine.train(
            self.model_,
            self._architecture_key(),
            X,
            y,
            sample_weight=sample_weight,
            epochs=epochs,
            batch_size=resolve_batch_size(self.batch_size, len(X)),
            shuffle=self.shuffle,
            rng=rng,
            validation_fraction=validation_fraction,
            patience=self.patience,
            resume=warm_start,
            verbose=self.verbose,
            per_epoch=getattr(self, "windows_per_epoch", None),
        )
        if warm_start and getattr(self, "history_", None):
            for key, values in history.items():
                self.history_.setdefault(key, []).extend(values)
            self.best_epoch_ = len(self.history_["loss"])
        else:
            self.history_ = history
            self.best_epoch_ = best_epoch
        self.n_epochs_ = len(self.history_["loss"])

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=True):
        """Validate X (2-D or 3-D) and y; record or check shapes.

        Returns X as :class:`~sklstm.preprocessing.Windows` (a window view
        keeps only its distinct rows; a ``Windows`` keeps its starts and time
        ranks, its base as float32) and y as float64. ``n_features_in_`` is
        the size of X's last axis (features), not its second (timesteps).
        """
        name = type(self).__name__
        if X is None:  # scikeras' score path validates y alone
            y = check_array(
                y, ensure_2d=False, dtype=np.float64, input_name="y", estimator=self
            )
            return None, y
        if y is None and reset:
            raise ValueError(
                f"{name} requires y to be passed, but the target y is None."
            )
        if isinstance(X, Windows) or (
            isinstance(X, np.ndarray) and X.ndim == 3 and X.shape[0] > 0
        ):
            # windows: validate the distinct rows only (a view is never copied
            # whole; a panel's Windows keep their starts and time ranks)
            _check_feature_names(self, X, reset=reset)
            if isinstance(X, Windows):
                windows = _float32_windows(X)
            else:
                windows = Windows.from_array(X)
            check_array(
                windows.base,
                input_name="X",
                estimator=self,
                ensure_all_finite="allow-nan" if self._skips_nan() else True,
            )
            if y is not None:
                y = self._validate_y(y, len(windows))
        else:
            windows, y = self._validate_array(X, y, reset)
        self._check_window_shape(windows, reset)
        return windows, y

    def _validate_array(self, X, y, reset):
        """Validate any other X (2-D, or 3-D not yet an array) and y."""
        common = dict(
            ensure_2d=False,
            allow_nd=True,
            dtype=(np.float32, np.float64),
            ensure_min_samples=1,
        )
        X = validate_data(self, X, reset=reset, **common)
        if y is not None:
            y = self._validate_y(y, len(X))
        if X.ndim not in (2, 3):
            raise ValueError(
                f"X must be 3-D (n_samples, timesteps, n_features) or 2-D "
                f"(n_samples, n_features), taken as one timestep; got a "
                f"{X.ndim}-D array of shape {X.shape}."
                + (
                    " Reshape your data using X.reshape(-1, 1) for a single "
                    "feature or X.reshape(1, -1) for a single sample."
                    if X.ndim == 1
                    else ""
                )
            )
        return Windows.from_array(X), y

    def _check_window_shape(self, windows, reset):
        """Record (``reset``) or check the timesteps and features of the windows."""
        name = type(self).__name__
        _, n_timesteps, n_features = windows.shape
        if reset:
            self.n_features_in_ = n_features
            self.n_timesteps_in_ = n_timesteps
        elif n_features != self.n_features_in_:
            raise ValueError(
                f"X has {n_features} features, but {name} is expecting "
                f"{self.n_features_in_} features as input."
            )
        elif n_timesteps != self.n_timesteps_in_:
            raise ValueError(
                f"X has {n_timesteps} timesteps, but {name} is expecting "
                f"{self.n_timesteps_in_} timesteps (the window length seen in "
                f"fit)."
            )

    def _validate_y(self, y, n_samples):
        """y as float64, 1-D or 2-D, one row per sample (a regressor's y)."""
        y = check_array(
            y,
            ensure_2d=False,
            dtype=np.float64,
            input_name="y",
            estimator=self,
        )
        if y.ndim > 2:
            raise ValueError(
                f"y must be 1-D or 2-D (n_samples, n_outputs); got shape {y.shape}."
            )
        if len(y) != n_samples:
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{n_samples}, {len(y)}]"
            )
        return y


def without_nan(windows):
    """``windows`` with NaN read as 0, and which windows held a NaN."""
    bad_rows = np.isnan(windows.base).any(axis=1)
    if not bad_rows.any():
        return windows, np.zeros(len(windows), dtype=bool)
    counts = np.concatenate([[0], np.cumsum(bad_rows)])
    starts = np.asarray(windows.starts)
    missing = counts[starts + windows.timesteps] > counts[starts]
    base = np.where(np.isnan(windows.base), 0, windows.base).astype(windows.base.dtype)
    return Windows(base, starts, windows.timesteps, windows.time_rank), missing


def _float32_windows(X):
    """``X`` (a :class:`Windows`) with a float32 C-ordered base; starts checked."""
    starts = np.asarray(X.starts, dtype=np.int64)
    n_rows = X.base.shape[0] if np.ndim(X.base) == 2 else 0
    if np.ndim(X.base) != 2 or starts.ndim != 1 or len(starts) == 0:
        raise ValueError(
            f"X is Windows with a base of shape {np.shape(X.base)} and "
            f"{starts.shape} starts: the base must be 2-D and there must be at "
            "least one window."
        )
    if starts.min() < 0 or starts.max() + X.timesteps > n_rows:
        raise ValueError(
            f"X is Windows of {X.timesteps} timesteps whose starts reach "
            f"outside its base of {n_rows} rows."
        )
    base = np.ascontiguousarray(X.base, dtype=np.float32)
    return Windows(base, starts, X.timesteps, X.time_rank)


def _in_time_order(X, y, sample_weight):
    """Windows with time ranks sorted oldest first (others unchanged)."""
    order = X.time_order()
    if order is None:
        return X, y, sample_weight
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight)[order]
    return X[order], y[order], sample_weight
