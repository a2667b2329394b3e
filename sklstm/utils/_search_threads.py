"""Threads for a parallel search whose fits do not queue behind each other.

A search's first fits of a network are mostly tracing: about 0.8 s of Python
per architecture, then about 0.8 s of C++ when the traced graph first runs,
against 0.1-0.3 s of training. In threads of one process the traced graphs are
shared, but ``GridSearchCV`` hands out the folds of one candidate one after the
other, so two threads start the same architecture together: one traces, the
other waits for it, and nothing overlaps. The pool here gives a free thread the
oldest task whose predecessor is not running (the next candidate, on the first
pass), so one thread traces while the other runs a graph or trains. Results are
those of joblib's threads: joblib puts them back in order.
"""

import contextlib
import threading
from numbers import Integral

import joblib
from joblib.parallel import get_active_backend

from sklstm.utils._compat import ThreadingBackend

__all__ = ["search_threads"]


class _InterleavingPool:
    """``n_threads`` worker threads, each taking the oldest queued task whose
    predecessor (in submission order) is not running, or else the oldest.

    It implements what joblib's :class:`ThreadingBackend` uses of
    :class:`multiprocessing.pool.ThreadPool`: ``apply_async`` with callbacks,
    ``close`` and ``terminate``.
    """

    def __init__(self, n_threads):
        self._cond = threading.Condition()
        self._queue = []  # (number, func, args, kwds, callback, error_callback)
        self._running = set()  # numbers of the tasks running now
        self._submitted = 0
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"sklstm-search-{i}", daemon=True)
            for i in range(n_threads)
        ]
        for thread in self._threads:
            thread.start()

    def apply_async(self, func, args=(), kwds=None, callback=None, error_callback=None):
        with self._cond:
            if self._closed:
                raise ValueError("Pool not running")
            task = (self._submitted, func, args, kwds or {}, callback, error_callback)
            self._queue.append(task)
            self._submitted += 1
            self._cond.notify()

    def _take(self):
        """The next task for a free thread (called holding the lock)."""
        waiting = enumerate(self._queue)
        index = next((i for i, t in waiting if t[0] - 1 not in self._running), 0)
        task = self._queue.pop(index)
        self._running.add(task[0])
        return task

    def _work(self):
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                number, func, args, kwds, callback, error_callback = self._take()
            try:
                result, done = func(*args, **kwds), callback
            except BaseException as exc:  # handed to joblib, as ThreadPool does
                result, done = exc, error_callback
            with self._cond:
                self._running.discard(number)
            if done is not None:
                done(result)

    def close(self):
        """Take no more tasks; the threads end once the queue is empty."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def terminate(self):
        """Drop the queued tasks and wait for the running ones to end."""
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()
        current = threading.current_thread()
        for thread in self._threads:
            if thread is not current:
                thread.join()


class _SearchThreadingBackend(ThreadingBackend):
    """joblib's threading backend, on an :class:`_InterleavingPool`."""

    def _get_pool(self):
        if self._pool is None:
            self._pool = _InterleavingPool(self._n_jobs)
        return self._pool


def search_threads(n_jobs=None):
    """Run the fits of a search side by side in threads of this process.

    A context manager (``joblib.parallel_config`` with sklstm's threading
    backend) for ``GridSearchCV``, ``cross_validate`` or any joblib-parallel
    scikit-learn search over sklstm's networks. Threads share the process's
    TensorFlow and its traced graphs, which worker processes would import and
    trace again. Unlike joblib's own threads, a free thread starts the next
    candidate rather than the next fold of the candidate another thread is
    starting, so that one thread traces a network while the other trains one.
    :func:`sklstm.recipe.tune_lstm_forecaster` uses it for ``n_jobs``.

    Parameters
    ----------
    n_jobs : int, default=None
        Threads for a search that does not set its own ``n_jobs`` (or sets
        None); -1: one per core; None keeps the ``n_jobs`` of an enclosing
        ``joblib.parallel_config`` (1 without one). A search's ``n_jobs``
        wins.

    Returns
    -------
    context : joblib.parallel_config
        Use it in a ``with`` block around the search's ``fit``.

    See Also
    --------
    sklstm.recipe.tune_lstm_forecaster : Tunes the recipe with it.

    Notes
    -----
    Results equal those of ``n_jobs=1`` for the same seeds: every fit depends
    on its own seed only, and joblib returns results in their order. Sharing
    the traced graphs is what makes threads pay off from the first search of
    a process, not only once every network is traced
    (``benchmarks/parallel.py``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    >>> from sklstm.utils import search_threads
    >>> X = np.arange(40.0).reshape(20, 2)
    >>> y = X.sum(axis=1)
    >>> search = GridSearchCV(
    ...     Ridge(), {"alpha": [0.1, 1.0]}, cv=TimeSeriesSplit(3), n_jobs=2
    ... )
    >>> with search_threads():
    ...     search = search.fit(X, y)
    >>> search.best_params_
    {'alpha': 0.1}
    """
    if n_jobs is not None and (
        not isinstance(n_jobs, Integral) or isinstance(n_jobs, bool) or n_jobs == 0
    ):
        raise ValueError(
            f"n_jobs={n_jobs!r} must be None or a nonzero int (-1: one thread "
            "per core)."
        )
    config = {} if n_jobs is None else {"n_jobs": n_jobs}  # None: keep the outer
    return joblib.parallel_config(backend=_SearchThreadingBackend(), **config)


def threads_unless_chosen():
    """:func:`search_threads`, unless a backend other than threads was chosen
    around the call (loky, Dask, ...), which then wins."""
    backend, _ = get_active_backend(prefer="threads")
    if type(backend) is ThreadingBackend:  # nothing chosen, or joblib's threads
        return search_threads()
    return contextlib.nullcontext()
