"""Parallel searches: TensorFlow threads in workers, Dask, progress lines."""

import numpy as np
import pytest
from joblib import Parallel, delayed
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMRegressor, Windower
from sklstm.utils import ProgressScorer, _threads, search_threads, tf_threads

# the searches' test folds are NumPy arrays: their first rows are padded
pytestmark = pytest.mark.filterwarnings("ignore::sklstm.exceptions.PaddingWarning")


FAST = dict(epochs=3, batch_size=16, early_stopping=False, random_state=0)


def _series(n=90, seed=0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    X = np.column_stack([np.sin(t / 4.0), np.cos(t / 7.0)])
    X = X + 0.05 * rng.normal(size=X.shape)
    return X, X[:, 0] * 2.0 + 1.0


def _pipeline():
    return Pipeline(
        [
            ("scale", StandardScaler()),
            ("window", Windower(window=4)),
            ("lstm", LSTMRegressor(units=2, **FAST)),
        ]
    )


def _scores(search):
    return {k: v.tolist() for k, v in search.cv_results_.items() if "test_score" in k}


# --------------------------------------------------------------------------- #
# SKLSTM_TF_THREADS and the worker's share
# --------------------------------------------------------------------------- #
class _Process:
    def __init__(self, name):
        self.name = name


@pytest.fixture
def fresh(monkeypatch):
    """tf_threads as in a process where TensorFlow was not imported yet."""
    monkeypatch.setattr(_threads, "_applied", None)
    monkeypatch.delenv("SKLSTM_TF_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "value, expected",
    [("3", (3, 3)), ("2,1", (2, 1)), (" 4 , 2 ", (4, 2)), ("default", None)],
)
def test_env_variable_sets_the_threads_in_any_process(fresh, value, expected):
    fresh.setenv("SKLSTM_TF_THREADS", value)
    assert tf_threads() == expected


@pytest.mark.parametrize("value", ["x", "-1", "1,2,3", "1.5"])
def test_env_variable_rejects_what_it_cannot_read(fresh, value):
    fresh.setenv("SKLSTM_TF_THREADS", value)
    with pytest.raises(ValueError, match="SKLSTM_TF_THREADS"):
        tf_threads()


def test_main_process_keeps_tensorflow_defaults(fresh):
    fresh.setenv("OMP_NUM_THREADS", "1")  # set by the user for BLAS: not a worker
    assert tf_threads() is None


@pytest.mark.parametrize(
    "name, omp, expected",
    [
        ("LokyProcess-1", "1", (1, 1)),
        ("LokyProcess-3", "4", (4, 4)),  # n_jobs=4 on 16 cores
        ("LokyProcess-1", None, None),  # a child no pool sized: defaults
        ("Dask Worker process (from Nanny)", "1", (1, 1)),
    ],
)
def test_worker_share_comes_from_omp_num_threads(fresh, name, omp, expected):
    fresh.setattr(_threads.multiprocessing, "current_process", lambda: _Process(name))
    if omp is not None:
        fresh.setenv("OMP_NUM_THREADS", omp)
    assert tf_threads() == expected
    fresh.setenv("SKLSTM_TF_THREADS", "default")
    assert tf_threads() is None


def _tensorflow_threads_in_worker():
    from sklstm.models._tf import tf

    threading = tf.config.threading
    return (
        threading.get_intra_op_parallelism_threads(),
        threading.get_inter_op_parallelism_threads(),
        tf_threads(),
    )


def test_loky_workers_size_tensorflow_to_their_share_and_match_n_jobs_1():
    # joblib gives each of 2 loky workers cpu_count() // 2 cores (at least 1)
    import os

    share = max((os.cpu_count() or 1) // 2, 1)
    threads = Parallel(n_jobs=2)(
        delayed(_tensorflow_threads_in_worker)() for _ in range(2)
    )
    assert threads == [(share, share, (share, share))] * 2

    X, y = _series()
    grid = {"lstm__units": [2, 3], "lstm__dropout": [0.0, 0.2]}
    searches = [
        GridSearchCV(
            _pipeline(), grid, cv=TimeSeriesSplit(2), n_jobs=n_jobs, refit=False
        ).fit(X, y)
        for n_jobs in (1, 2)
    ]
    assert _scores(searches[0]) == _scores(searches[1])


# --------------------------------------------------------------------------- #
# threads in one process
# --------------------------------------------------------------------------- #
def _in_two_threads(fn, args):
    """``fn(*a)`` for each ``a`` of ``args`` (two of them), in two threads."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        return [f.result(timeout=300) for f in [pool.submit(fn, *a) for a in args]]


def _meeting(monkeypatch, module, name, parties=2):
    """Make ``module.name`` wait until ``parties`` threads have called it."""
    import threading

    barrier = threading.Barrier(parties, timeout=60)
    original = getattr(module, name)

    def met(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, met)


_SAME_ARCH = dict(units=3, epochs=2, batch_size=16, dropout=0.2, early_stopping=False)


def _fit_predict(seed, X, y):
    est = LSTMRegressor(**_SAME_ARCH, random_state=seed).fit(X, y)
    return est.predict(X), est.history_["loss"]


@pytest.mark.parametrize("threads", ["joblib", "sklstm"])
def test_threaded_search_gives_the_results_of_n_jobs_1(threads):
    import joblib

    X, y = _series()
    grid = {"lstm__units": [2, 3], "lstm__dropout": [0.0, 0.2]}
    serial = GridSearchCV(_pipeline(), grid, cv=TimeSeriesSplit(2)).fit(X, y)
    backend = (
        search_threads()
        if threads == "sklstm"
        else joblib.parallel_config(backend="threading")
    )
    with backend:
        threaded = GridSearchCV(_pipeline(), grid, cv=TimeSeriesSplit(2), n_jobs=2)
        threaded.fit(X, y)
    assert _scores(threaded) == _scores(serial)
    np.testing.assert_array_equal(threaded.predict(X), serial.predict(X))


def test_search_threads_start_the_next_candidate_before_the_next_fold():
    import threading
    import time

    from sklstm.utils._search_threads import _InterleavingPool

    pool = _InterleavingPool(2)
    started, results, gate = [], [], threading.Event()

    def task(i):
        started.append(i)
        if i == 0:  # the first fold of the first candidate is still running
            assert gate.wait(timeout=60)
        return i

    def wait_for(n):
        deadline = time.monotonic() + 60
        while len(results) < n and time.monotonic() < deadline:
            time.sleep(0.01)

    pool.apply_async(task, (0,), callback=results.append)
    while not started:
        time.sleep(0.01)
    with pool._cond:  # (candidate, fold): (0, 1), (1, 0), (1, 1), queued at once
        for i in (1, 2, 3):
            pool.apply_async(task, (i,), callback=results.append)
    wait_for(3)
    # 1 follows the running 0: 2, then 3 (2 is done), go first; 1 runs when
    # nothing else is left
    assert started == [0, 2, 3, 1]
    gate.set()
    wait_for(4)
    pool.close()
    pool.terminate()
    assert sorted(results) == [0, 1, 2, 3]


def test_search_threads_pass_a_fit_error_on():
    X, y = _series()
    search = GridSearchCV(
        _pipeline(),
        {"lstm__units": [2, -1]},
        cv=TimeSeriesSplit(2),
        n_jobs=2,
        error_score="raise",
    )
    with search_threads(), pytest.raises(ValueError, match="units"):
        search.fit(X, y)


def test_a_backend_chosen_around_the_recipe_search_wins():
    import contextlib

    import joblib

    from sklstm.utils._search_threads import threads_unless_chosen

    assert not isinstance(threads_unless_chosen(), contextlib.nullcontext)
    with joblib.parallel_config(backend="threading"):  # threads: sklstm's
        assert not isinstance(threads_unless_chosen(), contextlib.nullcontext)
    with joblib.parallel_config(backend="loky"):
        assert isinstance(threads_unless_chosen(), contextlib.nullcontext)


@pytest.mark.parametrize("n_jobs", [0, 1.5, "2", True])
def test_search_threads_reject_an_n_jobs_that_is_not_a_nonzero_int(n_jobs):
    with pytest.raises(ValueError, match=f"n_jobs={n_jobs!r} must be None or"):
        search_threads(n_jobs=n_jobs)


def test_search_threads_keep_an_enclosing_n_jobs_unless_given_one():
    import joblib
    from joblib.parallel import get_active_backend

    with joblib.parallel_config(n_jobs=3):
        with search_threads():
            assert get_active_backend()[1] == 3
        with search_threads(n_jobs=2):
            backend, n_jobs = get_active_backend()
    assert n_jobs == 2 and type(backend).__name__ == "_SearchThreadingBackend"


def test_threads_trace_their_networks_one_at_a_time(monkeypatch):
    # tracing is Python: two threads tracing at once only slow each other
    import threading
    import time

    from sklstm.models import _engine

    X, y = _series(60)
    inside, most, lock = [0], [0], threading.Lock()
    original = _engine.Trainer._train_epoch

    def traced(self, *args):  # runs only while TensorFlow traces the graph
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.2)  # without the trace lock the other thread comes in
        with lock:
            inside[0] -= 1
        return original(self, *args)

    monkeypatch.setattr(_engine.Trainer, "_train_epoch", traced)
    _engine._POOL.clear()
    _meeting(monkeypatch, _engine, "run_epochs")

    def fit(units):  # two architectures: two traces
        return LSTMRegressor(**{**_SAME_ARCH, "units": units}, random_state=0).fit(X, y)

    _in_two_threads(fit, [(3,), (4,)])
    assert most[0] == 1


def test_fits_built_at_the_same_time_in_threads_draw_their_own_seeds(monkeypatch):
    # both threads are inside their seeded block when they build their
    # networks: each must draw its initial weights and dropout seeds from its
    # own random_state, not from whichever thread seeded last
    from sklstm.models import _base

    X, y = _series(60)
    expected = [_fit_predict(seed, X, y) for seed in (1, 2)]
    _meeting(monkeypatch, _base, "build_network")
    got = _in_two_threads(_fit_predict, [(1, X, y), (2, X, y)])
    for (pred, loss), (pred_1, loss_1) in zip(got, expected, strict=True):
        assert loss == loss_1
        np.testing.assert_array_equal(pred, pred_1)


def test_concurrent_fits_of_one_architecture_get_their_own_trainers(monkeypatch):
    from sklstm.models import _engine

    X, y = _series(60)
    X2, y2 = _series(60, seed=1)
    traces = []

    def tracing(name):
        original = getattr(_engine.Trainer, name)

        def traced(self, *args):  # runs only while TensorFlow traces the graph
            traces.append((name, self))
            return original(self, *args)

        monkeypatch.setattr(_engine.Trainer, name, traced)

    for name in ("_train_epoch", "_loss", "_predict"):
        tracing(name)
    _engine._POOL.clear()  # a first trainer of this architecture, made here
    expected = [_fit_predict(1, X, y), _fit_predict(2, X2, y2)]
    key = LSTMRegressor(**_SAME_ARCH, random_state=1).fit(X, y)._architecture_key()
    assert sorted(name for name, _ in traces) == ["_predict", "_train_epoch"]
    traces.clear()
    # both fits hold a trainer of the same architecture while they train
    _meeting(monkeypatch, _engine, "run_epochs")
    got = _in_two_threads(_fit_predict, [(1, X, y), (2, X2, y2)])
    for (pred, loss), (pred_1, loss_1) in zip(got, expected, strict=True):
        assert loss == loss_1
        np.testing.assert_array_equal(pred, pred_1)
    # the second trainer ran the first one's graphs: nothing was traced again,
    # and the validation loss, which no fit without early stopping runs, was
    # not traced for sharing either
    assert traces == []
    # and it stays pooled: both are free again
    assert len(_engine._POOL._free[key]) >= 2


def test_quiet_blocks_overlapping_in_threads_restore_the_loggers():
    import logging
    import threading
    import warnings

    from sklstm.models._tf import quiet

    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.INFO)
    filters = list(warnings.filters)
    first_in, second_in, first_out = (threading.Event() for _ in range(3))

    def first():
        with quiet(0):
            first_in.set()
            second_in.wait(60)
        first_out.set()

    def second():
        first_in.wait(60)
        with quiet(0):
            second_in.set()
            first_out.wait(60)
            assert logger.level == logging.ERROR  # still quiet: one block left

    try:
        _in_two_threads(lambda f: f(), [(first,), (second,)])
        assert logger.level == logging.INFO
        assert warnings.filters == filters
    finally:
        logger.setLevel(level)


# --------------------------------------------------------------------------- #
# Dask
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def dask_searches():
    """The same searches with n_jobs=1 and on a 2-worker LocalCluster."""
    pytest.importorskip("distributed")
    import joblib
    from distributed import Client, LocalCluster

    X, y = _series()
    searches = {
        "grid": lambda n_jobs: GridSearchCV(
            _pipeline(),
            {"lstm__units": [2, 3], "lstm__dropout": [0.0, 0.2]},
            cv=TimeSeriesSplit(2),
            n_jobs=n_jobs,
        ),
        "random": lambda n_jobs: RandomizedSearchCV(
            _pipeline(),
            {"lstm__units": [2, 3, 4], "window__window": [3, 4]},
            n_iter=3,
            cv=TimeSeriesSplit(2),
            random_state=0,
            n_jobs=n_jobs,
        ),
    }
    expected = {name: make(1).fit(X, y) for name, make in searches.items()}
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        with joblib.parallel_backend("dask", scatter=[X, y]):
            got = {name: make(-1).fit(X, y) for name, make in searches.items()}
        threads = client.run(tf_threads)
    return X, expected, got, threads


def test_dask_cluster_runs_the_searches_with_one_thread_per_worker(dask_searches):
    X, expected, got, threads = dask_searches
    for name, search in got.items():
        assert search.cv_results_["params"] == expected[name].cv_results_["params"]
        assert np.isfinite(search.cv_results_["mean_test_score"]).all(), name
        assert search.predict(X).shape == (len(X),)
    # each worker ran TensorFlow with one thread per pool
    assert sorted(threads.values()) == [(1, 1), (1, 1)]


def test_dask_cluster_gives_the_results_of_n_jobs_1(dask_searches):
    X, expected, got, _ = dask_searches
    for name, search in got.items():
        assert search.best_params_ == expected[name].best_params_, name
        assert _scores(search) == _scores(expected[name]), name
        np.testing.assert_array_equal(
            search.predict(X), expected[name].predict(X), err_msg=name
        )


# --------------------------------------------------------------------------- #
# progress lines
# --------------------------------------------------------------------------- #
def test_progress_scorer_prints_one_line_per_fit_and_scores_the_same(capsys):
    X, y = _series()
    grid = {"lstm__units": [2, 3]}
    plain = GridSearchCV(
        _pipeline(), grid, cv=TimeSeriesSplit(2), scoring="neg_mean_absolute_error"
    ).fit(X, y)
    assert capsys.readouterr().out == ""
    scorer = ProgressScorer(total=4, params=["lstm__units"])
    loud = GridSearchCV(_pipeline(), grid, cv=TimeSeriesSplit(2), scoring=scorer)
    loud.fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == [
        "fit 1/4",
        "fit 2/4",
        "fit 3/4",
        "fit 4/4",
    ]
    assert all(" MAE " in line and line.endswith(" s)") for line in lines)
    assert "units=2" in lines[0] and "units=3" in lines[3]
    assert _scores(plain) == _scores(loud)


def _tune(**kwargs):
    from sklstm.datasets import load_airpassengers
    from sklstm.forecasting import train_test_split_series
    from sklstm.recipe import tune_lstm_forecaster

    X, _, y, _ = train_test_split_series(load_airpassengers(), "passengers", n_test=36)
    params = dict(
        target="passengers",
        m=12,
        log=True,
        baseline="naive",
        param_grid={"regressor__lstm__estimator__units": [2, 3]},
        n_splits=2,
        epochs=2,
        n_jobs=1,
        dropout=0.2,
    )
    return tune_lstm_forecaster(X, y, **{**params, **kwargs})


@pytest.fixture(scope="module")
def tuned_n_jobs_1():
    return _tune()


def test_tune_lstm_forecaster_prints_progress_only_when_verbose(capsys, tuned_n_jobs_1):
    quiet = tuned_n_jobs_1
    assert capsys.readouterr().out == ""
    loud = _tune(verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[0].startswith("fit 1/4  units=2  MAE ")
    assert loud.n_jobs == 1
    assert _scores(quiet) == _scores(loud)


def test_tune_lstm_forecaster_n_jobs_runs_threads_with_the_results_of_1(
    capsys, tuned_n_jobs_1
):
    capsys.readouterr()
    threaded = _tune(n_jobs=2, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    # every fit ran in this process (a worker process marks its lines)
    assert sorted(line.split("  ")[0] for line in lines) == [
        f"fit {i}/4" for i in range(1, 5)
    ]
    assert not any("worker" in line for line in lines)
    assert _scores(threaded) == _scores(tuned_n_jobs_1)
    assert threaded.best_params_ == tuned_n_jobs_1.best_params_
