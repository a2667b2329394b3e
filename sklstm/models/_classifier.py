"""The LSTM classifier: labels, class weights, probabilities, classification identity.

It shares its network, training engine, parameters and scikit-learn wrapping
with :class:`~sklstm.LSTMRegressor` (:mod:`sklstm.models._base`,
:mod:`sklstm.models._params`); only the target and the network's head differ.
Importing this module imports TensorFlow (about 3 s).
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import ClassifierTags
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from sklstm.models._base import KerasLSTMBase
from sklstm.models._params import SHARED_CONSTRAINTS, fill_doc
from sklstm.utils._compat import StrOptions

__all__ = ["LSTMClassifier"]


# --------------------------------------------------------------------------- #
# Labels <-> class codes (scikeras' ``target_encoder`` hook)
# --------------------------------------------------------------------------- #
class _LabelCoder(TransformerMixin, BaseEstimator):
    """Labels of any type to class codes 0..k-1 (one float32 column) and back.

    ``classes`` fixes the classes (``partial_fit``'s ``classes``); otherwise
    they are the sorted unique labels of y.
    """

    def __init__(self, *, classes=None):
        self.classes = classes

    def fit(self, y):
        labels = y if self.classes is None else np.asarray(self.classes)
        self.encoder_ = LabelEncoder().fit(labels)
        self.classes_ = self.encoder_.classes_
        if len(self.classes_) < 2:
            raise ValueError(
                f"LSTMClassifier needs samples of at least 2 classes in y; got "
                f"1 class: {self.classes_[0]!r}."
            )
        if self.classes is not None:
            self.transform(y)  # every label must be among the classes given
        return self

    def transform(self, y):
        unseen = np.setdiff1d(np.unique(y), self.classes_)
        if unseen.size:
            raise ValueError(
                f"y contains labels {unseen.tolist()} that are not among the "
                f"classes {self.classes_.tolist()} of the first fit."
            )
        codes = self.encoder_.transform(y)
        return codes.astype(np.float32).reshape(-1, 1)

    def inverse_transform(self, codes):
        return self.classes_[np.asarray(codes, dtype=np.int64).ravel()]

    def probabilities(self, raw):
        """The network's outputs as (n_samples, n_classes) float64 probabilities."""
        raw = np.asarray(raw, dtype=np.float64)
        if len(self.classes_) == 2:  # one sigmoid unit: P(classes_[1])
            p = np.clip(raw.reshape(-1, 1), 0.0, 1.0)
            return np.hstack([1.0 - p, p])
        return raw / raw.sum(axis=1, keepdims=True)  # softmax in float32

    def get_metadata(self):
        return {
            "n_outputs_": 1,
            "n_outputs_expected_": 1,
            "classes_": self.classes_,
            "n_classes_": len(self.classes_),
        }


# --------------------------------------------------------------------------- #
# The classifier
# --------------------------------------------------------------------------- #
@fill_doc
class LSTMClassifier(ClassifierMixin, KerasLSTMBase):
    """Long short-term memory network classifier with grid-searchable settings.

    A scikit-learn classifier (a Keras 3 network wrapped with scikeras) with the
    architecture, regularization and training parameters of
    :class:`~sklstm.LSTMRegressor`. The output layer follows the classes found
    in y, as the seed article prescribes for classification: one sigmoid unit
    trained with binary cross-entropy for two classes, a softmax over the
    classes trained with sparse categorical cross-entropy for more. Labels may
    be of any type (strings, ints, ...).

    Parameters
    ----------
    {network_parameters}
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn's classifiers:
        ``{label: weight}``, or ``"balanced"`` for weights inversely
        proportional to the class frequencies in the y of each fit. They
        multiply ``sample_weight``; the validation loss of early stopping is
        weighted the same way, so it monitors the loss that training minimizes.
    {training_parameters}
    {seed_parameters}

    Attributes
    ----------
    {fitted_attributes}
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted; ``predict_proba``'s columns follow them.
    n_classes_ : int
        Number of classes.
    n_outputs_ : int
        Number of targets: 1.
    target_encoder_ : transformer
        The fitted label encoder (labels to class codes and back).

    See Also
    --------
    LSTMRegressor : The same network for numeric targets.
    sklstm.preprocessing.Windower : Turns a 2-D series into the 3-D windows this
        classifier reads, inside a Pipeline.
    sklearn.neural_network.MLPClassifier : A feed-forward network classifier.

    Notes
    -----
    X is 3-D ``(n_samples, timesteps, n_features)`` or 2-D (one timestep per
    sample), as for :class:`~sklstm.LSTMRegressor`; windows from
    :class:`~sklstm.preprocessing.Windower` are streamed. The losses in
    ``history_`` are cross-entropies in nats: a model that always predicts the
    training share of each class scores the entropy of the class distribution
    (``log(2) = 0.693`` for two balanced classes), the bar any useful network
    must beat; :func:`sklstm.diagnose.diagnose_training` compares with it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(120, 5, 2))        # 120 windows of 5 steps, 2 features
    >>> y = np.where(X[:, -1, 0] > 0, "up", "down")
    >>> clf = LSTMClassifier(units=8, epochs=30, learning_rate=0.01, random_state=0)
    >>> clf = clf.fit(X, y)
    >>> clf.classes_
    array(['down', 'up'], dtype='<U4')
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> bool(clf.score(X, y) > 0.9)                # accuracy
    True
    """

    _parameter_constraints: dict = {
        **SHARED_CONSTRAINTS,
        "class_weight": [dict, StrOptions({"balanced"}), None],
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
        dropout=0.0,
        recurrent_dropout=0.0,
        unroll="auto",
        l1=0.0,
        l2=0.0,
        regularize="lstm",
        class_weight=None,
        early_stopping=True,
        patience=10,
        validation_fraction=0.1,
        optimizer="adam",
        learning_rate=None,
        clipnorm=None,
        clipvalue=None,
        epochs=100,
        batch_size=32,
        shuffle=True,
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
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.unroll = unroll
        self.l1 = l1
        self.l2 = l2
        self.regularize = regularize
        self.class_weight = class_weight
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.multi_output = False
        tags.target_tags.single_output = True
        return tags

    # ---- fit ----
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one more epoch on ``(X, y)``, without early stopping.

        The network is built first if the estimator is not fitted yet. The
        classes and the optimizer state of earlier fits are kept.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Training windows.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole training data. Needed only in the first
            call when its y lacks some class; later calls keep ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss.

        Returns
        -------
        self : object
            The updated estimator.
        """
        self._partial_fit_classes = None if self.initialized_ else classes
        try:
            return super().partial_fit(X, y, sample_weight=sample_weight)
        finally:
            del self._partial_fit_classes

    def _make_target_encoder(self):
        return _LabelCoder(classes=getattr(self, "_partial_fit_classes", None))

    def _network_head(self):
        if self.n_classes_ == 2:
            return 1, "sigmoid", "binary_crossentropy"
        return self.n_classes_, "softmax", "sparse_categorical_crossentropy"

    def _validate_y(self, y, n_samples):
        """y as a 1-D array of class labels, one per sample."""
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y", estimator=self)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if len(y) != n_samples:
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{n_samples}, {len(y)}]"
            )
        return y

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, rng
    ):
        # y holds class codes here (0..n_classes_-1), zero-weight samples dropped
        codes = np.asarray(y).ravel().astype(np.int64)
        if not warm_start and np.unique(codes).size < 2:
            raise ValueError(
                f"LSTMClassifier needs samples of at least 2 classes with non-zero "
                f"sample_weight; only class {self.classes_[codes[0]]!r} is left."
            )
        weights = self._class_sample_weight(codes)
        if weights is not None:
            sample_weight = (
                weights if sample_weight is None else sample_weight * weights
            )
        super()._fit_keras_model(
            X, y, sample_weight, warm_start, epochs, initial_epoch, rng
        )

    def _class_sample_weight(self, codes):
        """Per-sample weights from ``class_weight`` (None when it is None)."""
        class_weight = self.class_weight
        if class_weight is None:
            return None
        if isinstance(class_weight, dict):
            known = {label: i for i, label in enumerate(self.classes_.tolist())}
            unknown = [label for label in class_weight if label not in known]
            if unknown:
                raise ValueError(
                    f"class_weight={class_weight!r} names {unknown}, which are not "
                    f"classes of y; the classes are {self.classes_.tolist()}."
                )
            class_weight = {known[k]: float(w) for k, w in class_weight.items()}
            class_weight = {
                i: class_weight.get(i, 1.0) for i in range(len(self.classes_))
            }
        weights = compute_sample_weight(class_weight, codes)
        return weights.astype(np.float32)

    # ---- predict ----
    def predict_proba(self, X):
        """Probability of each class for each window in ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Windows with the timesteps and features seen in fit.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities; columns in the order of ``classes_``.
        """
        check_is_fitted(self, "model_")
        return self.target_encoder_.probabilities(self._predict_raw(X))

    def predict(self, X):
        """Predict the class of each window in ``X``: the most probable one.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Windows with the timesteps and features seen in fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Class labels (elements of ``classes_``).
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
