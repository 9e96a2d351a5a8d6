"""The evaluator on a Dask cluster and on generic concurrent.futures executors."""

import concurrent.futures as cf
import os

import pytest

distributed = pytest.importorskip("distributed")

import _evaluator_tasks as T  # noqa: E402
import numpy as np  # noqa: E402

from minimlp.evaluator import Evaluator, TaskFailure  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def shared():
    return T.Shared(np.linspace(0.0, 1.0, 8))


def test_dask_results_equal_sequential(client, shared):
    expected = Evaluator(1).map(T.solve, list(range(10)), shared)
    seen = []
    results = Evaluator(executor=client).map(
        T.solve, list(range(10)), shared, on_result=lambda i, r: seen.append(i)
    )
    for got, want in zip(results, expected):
        np.testing.assert_array_equal(got, want)
    assert sorted(seen) == list(range(10))


def test_dask_shared_is_scattered_once(client, shared):
    results = Evaluator(executor=client).map(T.whoami, list(range(12)), shared)
    # The unpickle counter is per worker process and grows with every map (earlier tests
    # scattered too): within one map it must stay put, with one object per worker.
    seen_by_pid = {}
    for r in results:
        seen_by_pid.setdefault(r["pid"], set()).add((r["shared_id"], r["n_unpickles"]))
        assert r["blas_threads"] and all(n == 1 for n in r["blas_threads"])
    assert os.getpid() not in seen_by_pid
    assert all(len(seen) == 1 for seen in seen_by_pid.values())


def test_dask_task_error(client):
    results = Evaluator(executor=client).map(T.fail_on, ["a", "bad"])
    assert results[0] == "a"
    assert results[1].kind == "error" and results[1].message == "ValueError: bad alpha"
    assert isinstance(results[1].exception, ValueError)


def test_dask_worker_killed_once_is_survived(client, tmp_path):
    results = Evaluator(executor=client).map(T.exit_once, [0, 1, 2, 3], str(tmp_path))
    assert results == [0, 10, 20, 30]
    assert (tmp_path / "exited-0").exists()


def test_thread_pool_executor(shared):
    expected = Evaluator(1).map(T.solve, list(range(6)), shared)
    with cf.ThreadPoolExecutor(2) as pool:
        results = Evaluator(executor=pool).map(T.solve, list(range(6)), shared)
        failures = Evaluator(executor=pool).map(T.fail_on, ["bad", "b"])
    for got, want in zip(results, expected):
        np.testing.assert_array_equal(got, want)
    assert failures[0].kind == "error" and failures[1] == "b"


class _FlakyExecutor:
    """Runs tasks inline; the first `n_lost` submissions come back as lost connections."""

    def __init__(self, n_lost):
        self.n_lost = n_lost
        self.n_submitted = 0

    def submit(self, fn, *args):
        self.n_submitted += 1
        future = cf.Future()
        if self.n_submitted <= self.n_lost:
            future.set_exception(ConnectionResetError("worker connection lost"))
        else:
            future.set_result(fn(*args))
        return future


def test_lost_tasks_are_resubmitted_then_died():
    executor = _FlakyExecutor(n_lost=1)
    assert Evaluator(executor=executor).map(T.fail_on, ["a", "b"]) == ["a", "b"]
    assert executor.n_submitted == 3
    results = Evaluator(executor=_FlakyExecutor(n_lost=4), retries=1).map(T.fail_on, ["a", "b"])
    assert all(isinstance(r, TaskFailure) and r.kind == "died" for r in results)
    assert results[0].attempts == 2 and "ConnectionResetError" in results[0].message


def test_fit_timeout_rejected_with_executor():
    with pytest.raises(ValueError, match="fit_timeout"):
        Evaluator(executor=_FlakyExecutor(0), fit_timeout=1.0)


def test_dask_killed_worker_follows_retries(tmp_path):
    # With allowed-failures=0 the scheduler gives up on a task at its first lost worker and
    # raises KilledWorker: our own retry policy takes over.
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=":0",  # the module's cluster may hold the default port
        )
    with cluster, distributed.Client(cluster) as client:
        results = Evaluator(executor=client).map(T.exit_once, [0, 1, 2], str(tmp_path))
        assert results == [0, 10, 20]
        results = Evaluator(executor=client, retries=0).map(T.exit_always, [1])
    assert results[0].kind == "died" and results[0].attempts == 1
    assert results[0].message.startswith("worker lost while running this task (")
