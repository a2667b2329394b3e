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


@contextlib.contextmanager
def seeded(seed):
    """Seed Python, NumPy and Keras for the block, then restore them.

    This is ``keras.utils.set_random_seed`` without ``tf.random.set_seed``:
    Keras 3 draws initial weights and dropout masks from its own seed
    generators (seeded from Python's ``random`` and its global seed), never
    from TensorFlow's global seed, and setting that seed clears TensorFlow's
    kernel caches, which makes the next run of every traced graph pay its
    set-up again (~0.2 s per fit). Training is bit-identical for one seed on
    CPU. Unlike scikeras, this does not enable TensorFlow op determinism, so
    nothing stays switched on for the rest of the process.
    """
    if seed is None:
        yield
        return
    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator

    keras_keys = ("global_random_seed", "global_seed_generator")
    saved_keras = {k: global_state.get_global_attribute(k) for k in keras_keys}
    saved_py = random.getstate()
    saved_np = np.random.get_state()  # noqa: NPY002 (restored below)
    # Keras draws its default seeds from the ``random`` module; another thread
    # drawing from it meanwhile (a Dask worker's event loop samples every task
    # result) would shift them. A private generator keeps the fit's own.
    saved_source = seed_generator.python_random
    try:
        global_state.set_global_attribute("global_random_seed", seed)
        global_state.set_global_attribute("global_seed_generator", None)
        random.seed(seed)
        np.random.seed(seed)  # noqa: NPY002
        seed_generator.python_random = random.Random(seed)
        yield
    finally:
        seed_generator.python_random = saved_source
        random.setstate(saved_py)
        np.random.set_state(saved_np)  # noqa: NPY002
        for key, value in saved_keras.items():
            global_state.set_global_attribute(key, value)


@contextlib.contextmanager
def quiet(verbose):
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
