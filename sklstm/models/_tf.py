"""TensorFlow and Keras, quietly: the import, seeding and log levels.

Importing this module imports TensorFlow and Keras (about 3 s) with their
start-up lines hidden and, in the worker of a parallel search, TensorFlow's
thread pools sized to that worker's share of the cores
(:func:`sklstm.utils.tf_threads`). It holds no estimator and nothing
scikeras-specific.
"""

import contextlib
import logging
import os
import random
import sys
import threading
import warnings
from numbers import Integral

import numpy as np

from sklstm.utils._threads import configure_tensorflow


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
    import tensorflow as tf

# before any TensorFlow operation runs in this process
configure_tensorflow(tf)

__all__ = ["draw_seed", "keras", "quiet", "seeded", "tf"]


# --------------------------------------------------------------------------- #
# Seeding and logging: explicit, restored afterwards, never op determinism.
# --------------------------------------------------------------------------- #
def draw_seed(random_state):
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


class _ThreadRandom:
    """Keras' default-seed source, per thread.

    Keras draws the default seeds of initializers and dropout from
    ``keras.src.random.seed_generator.python_random`` (the ``random`` module).
    While a :func:`seeded` block runs, that name points to this object: a
    thread inside a block draws from the block's own ``random.Random(seed)``,
    any other thread from the ``random`` module, as without sklstm. Fits in
    threads side by side (a threaded search) then draw exactly the seeds they
    draw alone, and other threads (a Dask worker's event loop samples every
    task result with ``random``) cannot shift them.
    """

    def __init__(self, original):
        self.original = original

    def __getattr__(self, name):
        generator = getattr(_local, "generator", None)
        return getattr(self.original if generator is None else generator, name)


_local = threading.local()  # .generator: the seeded block's own source
_lock = threading.Lock()
_active = []  # one entry per seeded block running, in any thread
_installed = {}  # "original": what python_random was before the first block


def _install_thread_random():
    from keras.src.random import seed_generator

    with _lock:
        if not _active:
            _installed["original"] = seed_generator.python_random
            seed_generator.python_random = _ThreadRandom(_installed["original"])
        _active.append(None)


def _uninstall_thread_random():
    from keras.src.random import seed_generator

    with _lock:
        _active.pop()
        if not _active:
            seed_generator.python_random = _installed.pop("original")


@contextlib.contextmanager
def seeded(seed):
    """Seed Keras for the block in this thread, then restore it.

    Keras 3 draws initial weights and dropout masks from its own seed
    generators, seeded from its thread-local global seed and from
    ``python_random``; inside the block both come from ``seed`` alone, for
    this thread only (see :class:`_ThreadRandom`). Unlike
    ``keras.utils.set_random_seed`` this leaves Python's and NumPy's global
    generators alone (a fit draws nothing from them) and does not call
    ``tf.random.set_seed``, which clears TensorFlow's kernel caches and makes
    the next run of every traced graph pay its set-up again (~0.2 s per fit).
    Unlike scikeras, it does not enable TensorFlow op determinism, so nothing
    stays switched on for the rest of the process. Training is bit-identical
    for one seed on CPU, also when other threads fit at the same time.
    """
    if seed is None:
        yield
        return
    from keras.src.backend.common import global_state

    keras_keys = ("global_random_seed", "global_seed_generator")
    saved_keras = {k: global_state.get_global_attribute(k) for k in keras_keys}
    saved_generator = getattr(_local, "generator", None)
    _install_thread_random()
    try:
        global_state.set_global_attribute("global_random_seed", seed)
        global_state.set_global_attribute("global_seed_generator", None)
        _local.generator = random.Random(seed)
        yield
    finally:
        _local.generator = saved_generator
        _uninstall_thread_random()
        for key, value in saved_keras.items():
            global_state.set_global_attribute(key, value)


_quiet_state = {"depth": 0}  # blocks running (any thread) and what they saved


def _enter_quiet():
    with _lock:
        _quiet_state["depth"] += 1
        if _quiet_state["depth"] > 1:
            return
        loggers = [logging.getLogger(name) for name in ("tensorflow", "absl")]
        _quiet_state["levels"] = [(lg, lg.level) for lg in loggers]
        for lg in loggers:
            lg.setLevel(logging.ERROR)
        catcher = warnings.catch_warnings()
        catcher.__enter__()
        # retracing notices when many models are fitted in one process
        warnings.filterwarnings("ignore", message=".*retracing.*")
        _quiet_state["catcher"] = catcher


def _leave_quiet():
    with _lock:
        _quiet_state["depth"] -= 1
        if _quiet_state["depth"]:
            return
        _quiet_state.pop("catcher").__exit__(None, None, None)
        for lg, level in _quiet_state.pop("levels"):
            lg.setLevel(level)


@contextlib.contextmanager
def quiet(verbose):
    """Raise TensorFlow's Python loggers to ERROR for the block unless verbose.

    Logger levels and warning filters are process-wide: when fits overlap in
    threads, the first block to start quiets them and the last to end
    restores them.
    """
    if verbose:
        yield
        return
    _enter_quiet()
    try:
        yield
    finally:
        _leave_quiet()
