"""TensorFlow's thread pools in parallel workers, sized before TensorFlow runs.

TensorFlow sizes its intra-op and inter-op thread pools once per process, at
its first operation, to every core of the machine; ``OMP_NUM_THREADS`` and
joblib's ``inner_max_num_threads`` do not reach them. Two loky workers on two
cores then run four pools of two threads each and a ``GridSearchCV(n_jobs=2)``
is slower than ``n_jobs=1``. :mod:`sklstm.models._tf` asks this module, right
after importing TensorFlow and before any operation, how many threads this
process should use. This module does not import TensorFlow.
"""

import multiprocessing
import os
import sys
import warnings

__all__ = ["configure_tensorflow", "tf_threads"]

_ENV = "SKLSTM_TF_THREADS"
# What configure_tensorflow applied in this process: None before it ran.
_applied = None


def _parse(value):
    """``SKLSTM_TF_THREADS`` -> (intra, inter), "default" or "auto"."""
    text = value.strip().lower()
    if text in ("", "auto"):
        return "auto"
    if text in ("0", "default"):
        return "default"
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        counts = ()
    if len(counts) not in (1, 2) or min(counts) < 1:
        raise ValueError(
            f"{_ENV}={value!r} must be 'auto', 'default' (or 0), a number of "
            "threads >= 1, or two of them 'INTRA,INTER'."
        )
    return (counts[0], counts[-1])


def _dask_worker_threads():
    """Tasks a Dask worker runs at once in this process, or None."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return int(distributed.get_worker().state.nthreads)
    except (ValueError, AttributeError):  # not inside a Dask task
        return None


def tf_threads():
    """The TensorFlow thread counts sklstm chooses for this process.

    sklstm sizes TensorFlow's pools only in the worker processes of a parallel
    search, and leaves the main process alone:

    * ``SKLSTM_TF_THREADS`` set to ``N`` or ``INTRA,INTER`` (threads >= 1)
      wins in every process where it is set, the main one included; ``0`` or
      ``default`` keeps TensorFlow's own sizing everywhere.
    * Otherwise (unset or ``auto``), a process that is not the main one and
      whose ``OMP_NUM_THREADS`` is set, which is how joblib's loky workers and
      the workers of a Dask nanny are started, gets ``OMP_NUM_THREADS`` times
      the number of tasks it runs at once (a Dask worker's ``nthreads`` when
      TensorFlow is first imported inside a Dask task; otherwise 1) for both
      pools. joblib sets ``OMP_NUM_THREADS`` to
      ``cpu_count() // n_jobs`` (or to ``inner_max_num_threads`` of
      ``joblib.parallel_config``), a Dask nanny to 1 per worker thread.
    * Anything else keeps TensorFlow's defaults (every core).

    Returns
    -------
    threads : tuple of (int, int) or None
        ``(intra_op, inter_op)`` threads, or None for TensorFlow's defaults.
        Once TensorFlow has been imported by sklstm in this process, the
        counts that were applied (None if none were).

    See Also
    --------
    sklstm.recipe.tune_lstm_forecaster : Its ``n_jobs`` runs such workers.

    Notes
    -----
    TensorFlow fixes its pools at its first operation, so the choice is made
    once per process, when :class:`~sklstm.LSTMRegressor` first imports
    TensorFlow; ``SKLSTM_TF_THREADS`` set later has no effect in a process
    that already ran TensorFlow. Worker processes inherit it from the process
    that starts them (loky: the process calling ``fit``; Dask: the shell or
    the ``distributed.nanny.pre-spawn-environ`` setting of the workers).

    Examples
    --------
    >>> import os
    >>> from sklstm.utils import tf_threads
    >>> os.environ.get("SKLSTM_TF_THREADS") is None
    True
    >>> tf_threads() is None  # the main process keeps TensorFlow's defaults
    True
    """
    if _applied is not None:
        return _applied or None
    setting = _parse(os.environ.get(_ENV, ""))
    if setting == "default":
        return None
    if setting != "auto":
        return setting
    if multiprocessing.current_process().name == "MainProcess":
        return None
    try:
        share = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:  # unset: not a worker of a pool sklstm knows
        return None
    share = max(share, 1) * (_dask_worker_threads() or 1)
    return (share, share)


def configure_tensorflow(tf):
    """Apply :func:`tf_threads` to ``tf`` before its first operation.

    Called once by :mod:`sklstm.models._tf` right after importing TensorFlow.
    If TensorFlow already ran in this process (its pools are fixed), nothing
    changes; that is only worth a warning when ``SKLSTM_TF_THREADS`` asked for
    a size explicitly.
    """
    global _applied
    threads = tf_threads()
    if threads is None:
        _applied = ()
        return None
    intra, inter = threads
    try:
        tf.config.threading.set_intra_op_parallelism_threads(intra)
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    except RuntimeError:  # TensorFlow ran before sklstm imported it
        _applied = ()
        if _parse(os.environ.get(_ENV, "")) not in ("auto", "default"):
            warnings.warn(
                f"{_ENV}={os.environ[_ENV]!r} was not applied: TensorFlow had "
                "already run in this process before sklstm imported it.",
                RuntimeWarning,
                stacklevel=2,
            )
        return None
    _applied = threads
    return threads
