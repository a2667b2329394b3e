"""Reading a fitted LSTM by duck typing: unwrapping, history, trivial baselines.

An "LSTM run" is any object with a ``history_`` dict (an sklstm
``LSTMRegressor`` or ``LSTMClassifier``), possibly inside a search, a Pipeline or a
TransformedTargetRegressor, or a Keras ``Model`` / ``History`` after ``fit``.
Nothing here imports TensorFlow or sklstm's Keras-backed models.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.exceptions import NotFittedError

_MSE = {"mse", "mean_squared_error", "meansquarederror"}
_MAE = {"mae", "mean_absolute_error", "meanabsoluteerror"}
# cross-entropies: the losses of a classifier, in nats
_LOG_LOSS = {
    "binary_crossentropy",
    "binarycrossentropy",
    "sparse_categorical_crossentropy",
    "sparsecategoricalcrossentropy",
    "categorical_crossentropy",
    "categoricalcrossentropy",
}
_CLASSIFIERS = {"LSTMClassifier"}
_SCALER_NAMES = {"QuantileTransformer", "PowerTransformer", "Normalizer"}


@dataclass
class _Run:
    """A fitted LSTM and what surrounds it, read by duck typing."""

    model: object  # the innermost estimator, or a keras Model
    path: list  # how it was reached, e.g. ["GridSearchCV", "Pipeline", "LSTMRegressor"]
    history: dict
    kept_epoch: int
    max_epochs: int | None
    early_stopping: bool
    params: dict  # LSTMRegressor parameters, {} for a raw Keras model
    cells: list  # (layer name, config) of every LSTM layer of a raw Keras model
    loss: str | None  # "mse", "mae", "log_loss" (a cross-entropy) or None
    steps: list = field(default_factory=list)  # (name, transformer) before the model
    target_transforms: list = field(default_factory=list)  # fitted y transformers
    scales_target: str | None = None  # what scales y, if anything


# --------------------------------------------------------------------------- #
# Unwrapping
# --------------------------------------------------------------------------- #
def _flatten_steps(steps):
    """(name, transformer) pairs, descending into Pipeline, ColumnTransformer,
    FeatureUnion; 'drop' and 'passthrough' are skipped."""
    out = []
    for item in steps:
        name, step = item[0], item[1]
        if step is None or isinstance(step, str):
            continue
        out.append((name, step))
        inner = (
            getattr(step, "steps", None)
            or getattr(step, "transformers_", None)
            or getattr(step, "transformers", None)
            or getattr(step, "transformer_list", None)
        )
        if isinstance(inner, list):
            out += _flatten_steps(inner)
    return out


def _loss_name(loss):
    if loss is None:
        return None
    name = (
        loss
        if isinstance(loss, str)
        else getattr(loss, "__name__", None) or type(loss).__name__
    )
    name = name.lower()
    if name in _MSE:
        return "mse"
    if name in _MAE:
        return "mae"
    if name in _LOG_LOSS:
        return "log_loss"
    return None


def _keras_cells(model):
    """(layer name, config) for every LSTM layer of a Keras model (duck typed)."""
    cells = []
    for layer in getattr(model, "layers", []) or []:
        inner = getattr(layer, "forward_layer", None) or layer  # Bidirectional
        if type(inner).__name__ == "LSTM" and hasattr(inner, "get_config"):
            cells.append((getattr(layer, "name", "lstm"), inner.get_config()))
    return cells


def _from_keras(obj, path):
    """A Keras Model after fit (``model.history``) or a Keras History object."""
    if hasattr(getattr(obj, "history", None), "history"):
        model, record = obj, obj.history
    else:
        model, record = getattr(obj, "model", None), obj
    history = {k: [float(v) for v in vals] for k, vals in dict(record.history).items()}
    if not history.get("loss"):
        raise NotFittedError(
            f"{type(obj).__name__} has no training history: call fit first."
        )
    params = getattr(record, "params", None) or {}
    n_epochs = len(history["loss"])
    max_epochs = params.get("epochs")
    val = history.get("val_loss")
    stopped = bool(val) and max_epochs is not None and n_epochs < max_epochs
    kept = int(np.nanargmin(val)) + 1 if stopped else n_epochs
    return _Run(
        model=model,
        path=path + [type(model).__name__ if model is not None else "History"],
        history=history,
        kept_epoch=kept,
        max_epochs=max_epochs,
        early_stopping=stopped,
        params={},
        cells=_keras_cells(model),
        loss=_loss_name(getattr(model, "loss", None)),
    )


def _unwrap(estimator):
    obj, path, steps, target_transforms = _peel(estimator)
    if hasattr(obj, "history_"):
        return _from_sklstm(obj, path, steps, target_transforms)
    if _is_keras_run(obj):
        run = _from_keras(obj, path)
        run.steps, run.target_transforms = steps, target_transforms
        return run
    raise _no_history_error(obj)


def _peel(estimator):
    """Descend through searches, Pipelines, seed averaging and
    TransformedTargetRegressors to the model: (model, path, the steps before
    it, the fitted target transformers)."""
    path, steps, target_transforms = [], [], []
    obj = estimator
    while True:
        name = type(obj).__name__
        if hasattr(obj, "best_estimator_"):
            path.append(name)
            obj = obj.best_estimator_
        elif hasattr(obj, "cv_results_"):
            raise ValueError(
                f"{name} has no best_estimator_ (it was fitted with refit=False): "
                f"diagnose the refitted best model, or fit the search with refit=True."
            )
        elif isinstance(getattr(obj, "steps", None), list) and obj.steps:
            path.append(name)
            steps += _flatten_steps(obj.steps[:-1])
            obj = obj.steps[-1][1]
        elif isinstance(getattr(obj, "estimators_", None), list) and hasattr(
            obj, "seeds_"
        ):  # SeedAveragingRegressor: the copies share data and settings
            path.append(name)
            obj = obj.estimators_[0]
        elif hasattr(obj, "regressor_"):
            path.append(name)
            transformer = getattr(obj, "transformer_", None)
            if (
                getattr(obj, "transformer", None) is not None
                or getattr(obj, "func", None) is not None
            ):
                target_transforms.append(transformer)
            obj = obj.regressor_
        else:
            return obj, path, steps, target_transforms


def _is_keras_run(obj):
    """A Keras Model after fit or a Keras History (duck typed)."""
    return hasattr(getattr(obj, "history", None), "history") or (
        isinstance(getattr(obj, "history", None), dict) and hasattr(obj, "params")
    )


def _no_history_error(obj):
    """The error for an object with no training history: NotFittedError for an
    unfitted model or search, else ValueError."""
    if type(obj).__name__ in {"LSTMRegressor", *_CLASSIFIERS} or any(
        hasattr(obj, a) for a in ("estimator", "regressor", "param_grid")
    ):
        return NotFittedError(
            f"This {type(obj).__name__} is not fitted: diagnose_training needs "
            f"a fitted model with a training history (call fit first, or use "
            f"diagnose_data for the data alone)."
        )
    return ValueError(
        f"estimator={type(obj).__name__}(...) has no Keras training history: "
        f"diagnose_training reads a fitted sklstm.LSTMRegressor or "
        f"LSTMClassifier (history_), "
        f"possibly inside a Pipeline, a search or a TransformedTargetRegressor, "
        f"or a Keras Model / History after fit."
    )


def _from_sklstm(obj, path, steps, target_transforms):
    """An sklstm LSTMRegressor or LSTMClassifier (an object with ``history_``)."""
    history = {k: [float(v) for v in vals] for k, vals in dict(obj.history_).items()}
    params = obj.get_params(deep=False) if hasattr(obj, "get_params") else {}
    n_epochs = len(history.get("loss", []))
    kept = int(getattr(obj, "best_epoch_", n_epochs) or n_epochs)
    early = bool(params.get("early_stopping", "val_loss" in history)) and bool(
        history.get("val_loss")
    )
    return _Run(
        model=obj,
        path=path + [type(obj).__name__],
        history=history,
        kept_epoch=kept,
        max_epochs=params.get("epochs"),
        early_stopping=early,
        params=params,
        cells=[],
        loss=(
            "log_loss" if _is_classifier(obj) else _loss_name(params.get("loss", "mse"))
        ),
        steps=steps,
        target_transforms=target_transforms,
        scales_target=_target_scaler(obj, params, target_transforms),
    )


def _target_scaler(obj, params, target_transforms):
    """What scales y for the model ``obj``, if anything."""
    encoder = getattr(obj, "target_encoder_", None)
    if params.get("scale_target") and encoder is not None:
        return f"{type(obj).__name__}(scale_target=True)"
    if target_transforms:
        return f"TransformedTargetRegressor({type(target_transforms[0]).__name__})"
    return None


# --------------------------------------------------------------------------- #
# Training units and trivial baselines
# --------------------------------------------------------------------------- #
def _training_units(run, y):
    """y as the network saw it in training: through the target transformers and
    the regressor's own standardization."""
    y2 = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    for transformer in run.target_transforms:
        y2 = np.asarray(transformer.transform(y2), dtype=np.float64).reshape(
            len(y2), -1
        )
    encoder = getattr(run.model, "target_encoder_", None)
    if run.params.get("scale_target") and hasattr(encoder, "mean_"):
        mean = np.asarray(encoder.mean_, dtype=np.float64)
        scale = np.asarray(encoder.scale_, dtype=np.float64)
        if mean.size in (1, y2.shape[1]):
            y2 = (y2 - mean) / scale
    return y2


def _is_classifier(obj):
    return type(obj).__name__ in _CLASSIFIERS or (
        hasattr(obj, "classes_") and hasattr(obj, "history_")
    )


def _class_codes(run, y):
    """Class labels as codes 0..k-1 (the classifier's, else the sorted labels);
    one-hot rows (categorical cross-entropy) by their largest entry."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    y = y.ravel()
    classes = getattr(run.model, "classes_", None)
    if classes is None:
        classes = np.unique(y)
    codes = np.searchsorted(classes, y)
    unknown = (codes >= len(classes)) | (
        np.asarray(classes)[np.minimum(codes, len(classes) - 1)] != y
    )
    if unknown.any():
        raise ValueError(
            f"y holds labels that are not classes of the model: "
            f"{np.unique(y[unknown])[:5].tolist()}; the classes are "
            f"{np.asarray(classes).tolist()}."
        )
    return codes


def _class_weights(run, codes, n_classes):
    """Per-sample weights of the loss from the classifier's ``class_weight``."""
    class_weight = run.params.get("class_weight")
    weights = np.ones(len(codes))
    if class_weight == "balanced":
        counts = np.bincount(codes, minlength=n_classes)
        per_class = len(codes) / (n_classes * np.maximum(counts, 1))
        weights = per_class[codes]
    elif isinstance(class_weight, dict):
        classes = list(getattr(run.model, "classes_", range(n_classes)))
        per_class = np.array([float(class_weight.get(c, 1.0)) for c in classes])
        weights = per_class[codes]
    return weights


def _class_share_baselines(run, codes, n_val):
    """Cross-entropy of the class-share forecast (every sample gets the
    training share of each class: the majority-class model's probabilities)
    on the training part and on the validation part, weighted as in training.
    ``codes`` are the labels as :func:`_class_codes` gives them."""
    if codes is None:
        return {}, {}
    codes = np.asarray(codes, dtype=np.int64)
    n_classes = int(getattr(run.model, "n_classes_", 0) or codes.max() + 1)
    weights = _class_weights(run, codes, n_classes)
    n_train = len(codes) - n_val
    if n_train < 1:
        return {}, {}
    mass = np.bincount(codes[:n_train], weights[:n_train], minlength=n_classes)
    share = mass / mass.sum()
    values, kinds = {}, {}
    parts = {"train": slice(0, n_train)}
    if n_val:
        parts["validation"] = slice(n_train, None)
    with np.errstate(divide="ignore"):
        nll = -np.log(share)
    for part, rows in parts.items():
        values[part] = float(
            np.sum(weights[rows] * nll[codes[rows]]) / len(codes[rows])
        )
        kinds[part] = "majority_class"
    return values, kinds


def _baselines(run, y, n_val):
    """Loss of the better trivial forecast (repeat the last value / the training
    mean; for a classifier, the class shares, y as class codes) on the training
    part and on the validation part, in training units."""
    if run.loss is None:
        return {}, {}
    if run.loss == "log_loss":
        return _class_share_baselines(run, y, n_val)
    if y is None:
        if run.scales_target and run.loss == "mse" and not run.target_transforms:
            # a standardized target: the mean forecast scores about 1
            return {"train": 1.0}, {"train": "mean"}
        return {}, {}
    y2 = _training_units(run, y)
    n = len(y2)
    n_train = n - n_val
    if n_train < 2:
        return {}, {}

    def err(e):
        e = e[np.isfinite(e)]
        if not e.size:
            return np.nan
        return float(np.mean(e**2) if run.loss == "mse" else np.mean(np.abs(e)))

    naive = y2[1:] - y2[:-1, :1]  # row i forecast by the last known value
    with np.errstate(all="ignore"):
        center = (np.nanmean if run.loss == "mse" else np.nanmedian)(
            y2[:n_train], axis=0
        )
    values, kinds = {}, {}
    parts = {"train": (naive[: n_train - 1], y2[:n_train] - center)}
    if n_val:
        parts["validation"] = (naive[n_train - 1 :], y2[n_train:] - center)
    for part, (e_naive, e_mean) in parts.items():
        a, b = err(e_naive), err(e_mean)
        if np.isnan(a) and np.isnan(b):
            continue
        if np.isnan(b) or a <= b:
            values[part], kinds[part] = a, "naive"
        else:
            values[part], kinds[part] = b, "mean"
    return values, kinds


_KIND_TEXT = {
    "naive": "naive forecast (repeat the last value)",
    "mean": "mean forecast (predict the training mean)",
    "majority_class": (
        "majority-class model (every sample gets the training share of each class)"
    ),
}


def _is_scaler(step):
    name = type(step).__name__
    return name.endswith("Scaler") or name in _SCALER_NAMES
