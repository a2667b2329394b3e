"""The training engine: whole epochs in one TensorFlow graph, traced once.

``keras.Model.fit`` spends most of a small fit in Python: per-epoch callbacks,
a validation ``evaluate``, logs, and new traces of the train, test and predict
functions for every new model. It also materializes 3-D windows. This engine
keeps Keras' arithmetic (the model's own ``compute_loss``, regularization
penalties included, and its optimizer's ``apply``) and changes where it runs:

* a :class:`Trainer` holds one compiled copy of an architecture with three
  traced graphs: one epoch of mini-batch training, the validation loss, and
  prediction. Each loops over batches inside the graph and gathers every
  batch's windows from a 2-D base (:class:`~sklstm.models._windows.Windows`),
  so a window array is never built;
* trainers are pooled by architecture (the model's config and compile config),
  so the fits of a search or a cross-validation trace their graphs once per
  architecture, not once per fit. A fit builds its own model (its initial
  weights follow the seed), loads it into a trainer, trains, and copies the
  weights back; an estimator's model is never shared, so an older model is
  untouched by later fits;
* fits side by side in threads (a threaded search) take a trainer each; a
  second trainer of an architecture runs the first one's traced graphs on its
  own variables (:class:`_SharedGraph`), so threads trace each architecture
  once, as one thread does. Tracing is Python and holds the GIL: two threads
  tracing at once took 1.5x the time of one after the other, so traces take
  turns (:class:`_Graph`), while the first run of a traced graph (its
  optimization, in C++) and the training run beside them;
* the pool is bounded (least recently used architectures are dropped), so the
  memory of a process running thousands of fits stays flat.

Early stopping follows ``keras.callbacks.EarlyStopping(monitor="val_loss",
restore_best_weights=True)`` exactly: the validation set is the time-ordered
tail, the best epoch's weights are restored at the end.
"""

import collections
import json
import threading

from sklstm.models._epochs import (
    n_train_samples,
    run_epochs,
    targets_and_weights,
    validation_set,
    warn_if_diverged,
)
from sklstm.models._tf import keras, tf

__all__ = ["Trainer", "predict", "train"]

# Architectures whose trainers are kept. A grid search has a handful; more are
# rebuilt (and traced) on demand.
_POOL_SIZE = 8
# Windows per prediction batch (the result does not depend on it).
_PREDICT_BATCH = 1024
# A trainer's traced graphs, by attribute.
_GRAPHS = ("train_epoch", "loss", "predict")


def architecture_key(model):
    """A string that is equal for models that can share traced graphs.

    It holds the model's config (layers, names, shapes, regularizers), its
    optimizer's config and its loss, so two models with equal keys have the
    same variables in the same order and train the same way.
    """
    loss = model.loss
    try:
        loss = keras.saving.serialize_keras_object(loss)
    except Exception:  # an object Keras cannot describe: never shared
        loss = f"{loss!r}@{id(loss)}"
    optimizer = dict(model.optimizer.get_config())
    optimizer.pop("name", None)  # "adam", "adam_1", ...: not a setting
    config = {
        "model": model.get_config(),
        "optimizer": [type(model.optimizer).__name__, optimizer],
        "loss": loss,
        "floatx": keras.backend.floatx(),
    }
    return json.dumps(config, sort_keys=True, default=repr)


def _target_width(model):
    """Columns of y the model's loss reads: one per output, except a sparse
    loss's single column of class codes (a softmax over k classes)."""
    loss = model.loss
    name = loss if isinstance(loss, str) else getattr(loss, "name", None)
    name = str(name or type(loss).__name__).lower()
    return 1 if "sparse" in name else model.output_shape[-1]


class Trainer:
    """A compiled copy of one architecture and its traced epoch graphs.

    Parameters
    ----------
    model : keras.Model
        A compiled model with input shape ``(timesteps, n_features)``; only its
        architecture and compile settings are used.
    """

    def __init__(self, model):
        self.model = keras.models.clone_model(model)
        optimizer = model.optimizer
        self.model.compile(
            optimizer=type(optimizer).from_config(optimizer.get_config()),
            loss=model.loss,
        )
        self.model.optimizer.build(self.model.trainable_variables)
        _, self.timesteps, self.n_features = model.input_shape
        self.n_outputs = model.output_shape[-1]
        self._variables = list(self.model.variables)
        self._optimizer_variables = list(self.model.optimizer.variables)
        # the learning rate is part of the architecture key; the rest of the
        # optimizer's state (iterations, moments) is reset for every fit
        self._initial_optimizer_state = [v.numpy() for v in self._optimizer_variables]

        base = tf.TensorSpec([None, self.n_features], tf.float32)
        starts = tf.TensorSpec([None], tf.int64)
        target = tf.TensorSpec([None, _target_width(model)], tf.float32)
        weight = tf.TensorSpec([None], tf.float32)
        size = tf.TensorSpec([], tf.int64)
        self.train_epoch = _Graph(
            self._train_epoch, [base, starts, target, weight, size]
        )
        self.loss = _Graph(self._loss, [base, starts, target, weight, size])
        self.predict = _Graph(self._predict, [base, starts, size])

    def _state(self):
        """The TensorFlow variables the graphs read and write, in a fixed order."""
        return [v.value for v in self._variables + self._optimizer_variables]

    def trace(self, names):
        """Trace the graphs ``names`` now, in one turn of the trace lock.

        A fit traces what it will run (training, the validation loss with
        early stopping, and prediction, which the scoring of a search or a
        forecast runs next) before it trains, so that in a threaded search
        its thread then runs C++ (the graphs' first runs, training) while
        another thread traces, rather than coming back for the lock.
        """
        with _TRACE_LOCK:
            for name in names:
                graph = getattr(self, name)
                if hasattr(graph, "get_concrete_function"):  # not yet traced
                    graph.get_concrete_function()

    def share_graphs(self, sibling):
        """Run ``sibling``'s graphs on our variables instead of tracing our own;
        ``sibling`` has our architecture.

        Each graph is shared when this trainer first runs it (the sibling
        traces it then, if it has not yet): a graph that no fit runs, such as
        the validation loss without early stopping, is never traced.
        """
        for name in _GRAPHS:
            setattr(self, name, _LazyShared(self, sibling, name))

    # ---- graphs ----
    def _gather(self, base, starts):
        rows = starts[:, tf.newaxis] + tf.range(self.timesteps, dtype=tf.int64)
        return tf.gather(base, rows)

    def _batches(self, starts, batch_size):
        n = tf.shape(starts, out_type=tf.int64)[0]
        return n, (n + batch_size - 1) // batch_size

    def _train_epoch(self, base, starts, y, sample_weight, batch_size):
        model = self.model
        variables = model.trainable_variables
        n, n_batches = self._batches(starts, batch_size)
        total = tf.constant(0.0, tf.float32)
        for i in tf.range(n_batches):
            lo, hi = i * batch_size, tf.minimum((i + 1) * batch_size, n)
            x = self._gather(base, starts[lo:hi])
            with tf.GradientTape() as tape:
                y_pred = model(x, training=True)
                loss = model.compute_loss(
                    x=x,
                    y=y[lo:hi],
                    y_pred=y_pred,
                    sample_weight=sample_weight[lo:hi],
                    training=True,
                )
                scaled = model.optimizer.scale_loss(loss)
            grads = tape.gradient(scaled, variables)
            model.optimizer.apply(grads, variables)
            total += tf.cast(loss, tf.float32) * tf.cast(hi - lo, tf.float32)
        # Keras reports the batch-size weighted mean of the batch losses
        return total / tf.cast(n, tf.float32)

    def _loss(self, base, starts, y, sample_weight, batch_size):
        model = self.model
        n, n_batches = self._batches(starts, batch_size)
        total = tf.constant(0.0, tf.float32)
        for i in tf.range(n_batches):
            lo, hi = i * batch_size, tf.minimum((i + 1) * batch_size, n)
            x = self._gather(base, starts[lo:hi])
            loss = model.compute_loss(
                x=x,
                y=y[lo:hi],
                y_pred=model(x, training=False),
                sample_weight=sample_weight[lo:hi],
                training=False,
            )
            total += tf.cast(loss, tf.float32) * tf.cast(hi - lo, tf.float32)
        return total / tf.cast(n, tf.float32)

    def _predict(self, base, starts, batch_size):
        n, n_batches = self._batches(starts, batch_size)
        out = tf.TensorArray(tf.float32, size=tf.cast(n_batches, tf.int32))
        for i in tf.range(n_batches):
            lo, hi = i * batch_size, tf.minimum((i + 1) * batch_size, n)
            y = self.model(self._gather(base, starts[lo:hi]), training=False)
            out = out.write(tf.cast(i, tf.int32), tf.cast(y, tf.float32))
        return out.concat()

    # ---- state ----
    def load(self, model, optimizer=False):
        """Copy ``model``'s variables in, and its optimizer's state if asked.

        Without ``optimizer`` the optimizer starts afresh (iterations and
        moments zero), as in a new ``fit``.
        """
        for mine, theirs in zip(self._variables, model.variables, strict=True):
            mine.assign(theirs)
        if optimizer and model.optimizer.built:
            state = model.optimizer.variables
        else:
            state = self._initial_optimizer_state
        for var, value in zip(self._optimizer_variables, state, strict=True):
            var.assign(value)

    def store(self, model):
        """Copy the trained variables and the optimizer state out to ``model``."""
        for mine, theirs in zip(self._variables, model.variables, strict=True):
            theirs.assign(mine)
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        for mine, theirs in zip(
            self._optimizer_variables, model.optimizer.variables, strict=True
        ):
            theirs.assign(mine)


# Held while a graph is traced: one trace at a time in this process.
_TRACE_LOCK = threading.RLock()


class _Graph:
    """A ``tf.function`` with a fixed input signature, traced once, under
    :data:`_TRACE_LOCK`.

    Tracing runs Keras and TensorFlow's graph building in Python, so two
    threads tracing at once only take turns on the GIL, each slowed by the
    other's hand-offs (measured: 1.8 s for two traces at once against 1.2 s
    one after the other). Taking turns on a lock leaves the GIL to the one
    that traces; the other thread's C++ work (a graph's first run, a fit)
    goes on beside it.
    """

    def __init__(self, python_function, input_signature):
        self.function = tf.function(python_function, input_signature=input_signature)
        self._concrete = None

    def get_concrete_function(self):
        """The traced graph (traced now, if no thread has yet)."""
        if self._concrete is None:
            with _TRACE_LOCK:
                if self._concrete is None:
                    self._concrete = self.function.get_concrete_function()
        return self._concrete

    def __call__(self, *args):
        return self.get_concrete_function()(*args)


class _CannotShare(Exception):
    """A traced graph reads state that is not a trainer's variable."""


class _LazyShared:
    """Trainer ``owner``'s graph ``name``: on the first call, ``sibling``'s
    graph bound to ``owner``'s variables (or ``owner``'s own, traced, when it
    cannot be shared), which then replaces this placeholder."""

    def __init__(self, owner, sibling, name):
        self.owner, self.sibling, self.name = owner, sibling, name
        self.own = getattr(owner, name)

    def get_concrete_function(self):
        """The sibling's traced graph (traced now, if it was not yet)."""
        return getattr(self.sibling, self.name).get_concrete_function()

    def __call__(self, *args):
        try:
            graph = _SharedGraph(
                getattr(self.sibling, self.name), self.sibling._state()
            ).bind(self.owner._state())
        except _CannotShare:  # trace our own graph
            graph = self.own
        setattr(self.owner, self.name, graph)
        return graph(*args)


class _SharedGraph:
    """One traced graph of an architecture, run on any trainer's variables.

    A ``tf.function`` captures the variables it reads; its concrete function
    takes them as extra (captured) inputs. Trainers of one architecture have
    the same variables in the same order, so the graph traced for one runs
    on another's by passing that one's variables as the captured inputs
    (TensorFlow's ``ConcreteFunction._call_flat``, a private method). Tracing
    takes about a second of Python per architecture; fits side by side in
    threads would otherwise pay it once per trainer.
    """

    def __init__(self, function, state):
        concrete = function.get_concrete_function()
        if not hasattr(concrete, "_call_flat"):
            raise _CannotShare
        index = {id(v.handle): i for i, v in enumerate(state)}
        self.positions = [index.get(id(c)) for c in concrete.captured_inputs]
        if None in self.positions:
            raise _CannotShare
        self.concrete = concrete
        self.specs = [(v.shape, v.dtype) for v in state]

    def bind(self, state):
        """The graph as a function of its arguments, on ``state``'s variables."""
        if [(v.shape, v.dtype) for v in state] != self.specs:
            raise _CannotShare
        captured = [state[i].handle for i in self.positions]
        concrete = self.concrete

        def run(*args):
            return concrete._call_flat(list(args), captured)

        return run


class _Pool:
    """Trainers by architecture; one trainer serves one fit at a time."""

    def __init__(self, size):
        self.size = size
        self._free = collections.OrderedDict()  # key -> list of idle trainers
        self._first = {}  # key -> the trainer whose graphs the others share
        self._lock = threading.Lock()

    def acquire(self, model, key):
        with self._lock:
            idle = self._free.get(key)
            if idle:
                self._free.move_to_end(key)
                return idle.pop()
        trainer = Trainer(model)  # traces nothing yet
        with self._lock:
            first = self._first.setdefault(key, trainer)
        if first is not trainer:  # another fit of this architecture traces
            trainer.share_graphs(first)
        return trainer

    def release(self, key, trainer):
        with self._lock:
            self._free.setdefault(key, []).append(trainer)
            self._free.move_to_end(key)
            while len(self._free) > self.size:
                dropped, _ = self._free.popitem(last=False)
                self._first.pop(dropped, None)

    def clear(self):
        with self._lock:
            self._free.clear()
            self._first.clear()


_POOL = _Pool(_POOL_SIZE)


def _tensors(windows):
    base = tf.convert_to_tensor(windows.base, tf.float32)
    return base, tf.convert_to_tensor(windows.starts, tf.int64)


def train(
    model,
    key,
    windows,
    y,
    *,
    sample_weight=None,
    epochs,
    batch_size,
    shuffle,
    rng,
    validation_fraction=None,
    patience=0,
    resume=False,
    verbose=0,
    per_epoch=None,
):
    """Train ``model`` in place on ``(windows, y)``; return what Keras' fit reports.

    Parameters
    ----------
    model : keras.Model
        Compiled model; its current variables are the starting point.
    key : str
        Its :func:`architecture_key`.
    windows : Windows
        Training windows, in time order.
    y : ndarray of shape (n_samples, n_targets), float32
        Targets as the loss reads them (scaled values, or class codes).
    sample_weight : ndarray of shape (n_samples,) or None
        Per-sample loss weights.
    epochs : int
        Maximum number of epochs.
    batch_size : int
        Samples per gradient step.
    shuffle : bool
        Shuffle the training samples every epoch (never the validation tail).
    rng : numpy.random.Generator
        Source of the shuffling.
    validation_fraction : float or None
        Early stopping on the last ``n - floor(n * (1 - fraction))`` samples
        (Keras' ``validation_split``), or None for no early stopping.
    patience : int
        Epochs without improvement of the validation loss before stopping.
    resume : bool
        Continue from the state of ``model``'s optimizer (``partial_fit``)
        instead of a fresh one.
    verbose : int
        Print one line per epoch when >= 1.
    per_epoch : int or None
        Train each epoch on at most this many training samples, drawn anew
        (without replacement) every epoch; None: all of them.

    Returns
    -------
    history : dict of str to list of float
        ``"loss"`` and, with early stopping, ``"val_loss"`` per epoch.
    best_epoch : int
        The 1-based epoch whose weights ``model`` holds on return (its
        optimizer holds the state at the end of training).
    """
    n = len(windows)
    y, weights = targets_and_weights(y, sample_weight, n)
    n_train = n_train_samples(n, validation_fraction)
    base, _ = _tensors(windows)
    val = validation_set(base, windows.starts, y, weights, n_train)
    fit_set = (windows.starts[:n_train], y[:n_train], weights[:n_train])
    size = tf.constant(batch_size, tf.int64)

    trainer = _POOL.acquire(model, key)
    try:
        trainer.trace(["train_epoch", "predict"] if val is None else list(_GRAPHS))
        trainer.load(model, optimizer=resume)
        history, best_epoch = run_epochs(
            trainer,
            base,
            fit_set,
            val,
            size,
            epochs=epochs,
            shuffle=shuffle,
            rng=rng,
            patience=patience,
            verbose=verbose,
            per_epoch=per_epoch,
        )
        trainer.store(model)
    finally:
        _POOL.release(key, trainer)
    warn_if_diverged(history["loss"])
    n_epochs = len(history["loss"])
    kept = n_epochs if best_epoch is None else best_epoch + 1
    return history, kept


def predict(model, key, windows):
    """Predict every window with ``model``; float32 array (n_samples, n_outputs)."""
    trainer = _POOL.acquire(model, key)
    try:
        trainer.load(model)
        base, starts = _tensors(windows)
        out = trainer.predict(base, starts, tf.constant(_PREDICT_BATCH, tf.int64))
        return out.numpy()
    finally:
        _POOL.release(key, trainer)
