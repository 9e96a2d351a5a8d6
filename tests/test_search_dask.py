"""Searches on a Dask cluster (two worker processes on loopback) and on a thread pool."""

import concurrent.futures as cf
import contextlib
import os
import subprocess
import sys

import numpy as np
import pytest
from _fault_estimators import FaultyClassifier, WhereScorer
from threadpoolctl import threadpool_info

from minimlp import MLPClassifier
from minimlp.datasets import make_classification
from minimlp.evaluator import cpu_count
from minimlp.model_selection import GridSearchCV

rng = np.random.RandomState(0)
X = rng.randn(60, 3)
y = (X[:, 0] + 0.7 * rng.randn(60) > 0).astype(int)
GRID = {"shrink": [0.0, 0.3, 0.6, 0.9]}


def no_blas_env_cluster(**kwargs):
    """A LocalCluster whose workers get no BLAS thread variables from Dask's nanny (Dask sets
    them to 1 by default): one BLAS thread inside a fit is then minimlp's doing."""
    distributed = pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.nanny.pre-spawn-environ": {}}):
        return distributed.LocalCluster(processes=True, host="127.0.0.1", dashboard_address=":0",
                                        **kwargs)


@pytest.fixture(scope="module")
def client():
    # Here, not at module level: the thread-pool and import tests need no dask.
    distributed = pytest.importorskip("distributed")
    cluster = no_blas_env_cluster(n_workers=2, threads_per_worker=1)
    with cluster, distributed.Client(cluster) as client:
        yield client


def score_columns(results):
    return [k for k in results if k.startswith(("split", "mean_t", "std_t", "rank"))
            and "time" not in k]


def assert_same_scores(a, b):
    keys = score_columns(a)
    assert keys == score_columns(b) and keys
    for key in keys:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def blas_threads():
    return max(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")


@pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")
def test_mlp_search_scores_equal_n_jobs_1(client):
    Xm, ym = make_classification(n_samples=90, n_features=5, random_state=0)
    mlp = MLPClassifier(hidden_layer_sizes=(6,), solver="sgd", learning_rate_init=0.05,
                        max_iter=15, random_state=0)
    grid = {"alpha": [1e-4, 1e-1], "momentum": [0.0, 0.9]}
    one = GridSearchCV(mlp, grid, cv=3, n_jobs=1, return_train_score=True).fit(Xm, ym)
    dask = GridSearchCV(mlp, grid, cv=3, executor=client, return_train_score=True).fit(Xm, ym)
    assert_same_scores(one.cv_results_, dask.cv_results_)
    assert dask.best_params_ == one.best_params_
    np.testing.assert_array_equal(dask.predict(Xm), one.predict(Xm))


def test_data_reach_each_worker_once_and_blas_is_one_thread(client):
    search = GridSearchCV(FaultyClassifier(), {"shrink": np.linspace(0, 0.9, 6).tolist()}, cv=3,
                          scoring=WhereScorer(), refit=False, executor=client).fit(X, y)
    results = search.cv_results_
    pids = np.concatenate([results[f"split{i}_test_pid"] for i in range(3)]).astype(int)
    unpickled = np.concatenate([results[f"split{i}_test_unpickled"] for i in range(3)])
    assert os.getpid() not in pids and len(set(pids)) <= 2 < len(pids)
    # The shared data (X, y, estimator, folds, scorer) were deserialized at most once per worker
    # before its first task and never again: each worker saw one count in all its tasks.
    for pid in set(pids):
        assert len(set(unpickled[pids == pid])) == 1
    inside = {results[f"split{i}_test_blas"][c] for i in range(3) for c in range(6)}
    assert inside == {1.0}
    outside = client.run(blas_threads)  # the same workers, outside any task
    if cpu_count() > 1 and not any(k in os.environ for k in ("OMP_NUM_THREADS",
                                                              "OPENBLAS_NUM_THREADS")):
        assert min(outside.values()) > 1, outside


def test_worker_killed_mid_fit_is_survived(client, tmp_path):
    grid = [{"shrink": [0.0, 0.3]}, {"shrink": [0.6], "mode": ["exit_once"],
                                     "marker_dir": [str(tmp_path)]}]
    # refit=False: refitting the exit_once candidate here would end pytest's own process.
    search = GridSearchCV(FaultyClassifier(), grid, cv=2, refit=False, executor=client)
    search.fit(X, y)
    assert len(list(tmp_path.glob("exited-*"))) == 2  # both folds of candidate 2 killed a worker
    expected = GridSearchCV(FaultyClassifier(), {"shrink": [0.0, 0.3, 0.6]}, cv=2,
                            refit=False).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert_same_scores(search.cv_results_, expected.cv_results_)


def test_journal_with_dask(client, tmp_path):
    journal = tmp_path / "s.jsonl"

    def search():
        return GridSearchCV(FaultyClassifier(), GRID, cv=3, executor=client,
                            journal=str(journal), return_train_score=True).fit(X, y)

    first = search()
    assert (first.n_tasks_resumed_, first.n_tasks_run_) == (0, 12)
    again = search()
    assert (again.n_tasks_resumed_, again.n_tasks_run_) == (12, 0)
    assert_same_scores(first.cv_results_, again.cv_results_)
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[1::2]))  # completion order: any subset resumes
    part = search()
    assert (part.n_tasks_resumed_, part.n_tasks_run_) == (6, 6)
    assert_same_scores(first.cv_results_, part.cv_results_)


@contextlib.contextmanager
def two_slot_executor(kind):
    if kind == "threads":
        with cf.ThreadPoolExecutor(2) as pool:
            yield pool
    else:  # one Dask worker process running two tasks at a time
        import distributed

        with no_blas_env_cluster(n_workers=1, threads_per_worker=2) as cluster, \
                distributed.Client(cluster) as client:
            yield client


@pytest.mark.parametrize("kind", ["threads", "dask"])
def test_overlapping_tasks_in_one_process_each_see_one_blas_thread(kind):
    # BLAS limits are process-wide. Here a 0.05 s fit starts first and ends while a 0.3 s fit
    # in the other thread still runs: the short task's exit must not lift the long one's limit,
    # and the caller's own setting must be back afterwards.
    before = blas_threads()
    split = [(np.arange(30, 60), np.arange(30))]
    grid = {"seconds": [0.05, 0.3], "mode": ["sleep"]}
    with two_slot_executor(kind) as executor:
        search = GridSearchCV(FaultyClassifier(), grid, cv=split, scoring=WhereScorer(),
                              refit="accuracy", executor=executor).fit(X, y)
    assert search.cv_results_["split0_test_blas"].tolist() == [1.0, 1.0]
    assert blas_threads() == before


def test_import_does_not_load_dask():
    code = ("import sys, minimlp, minimlp.model_selection, minimlp.evaluator\n"
            "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
