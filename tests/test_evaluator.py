"""The process-pool evaluator, on real worker processes."""

import multiprocessing as mp
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import _evaluator_tasks as T
import numpy as np
import pytest

from minimlp.evaluator import Evaluator, TaskFailure, _cpu, effective_n_jobs

TESTS_DIR = Path(__file__).parent


def _alive(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie is dead


def _wait_dead(pids, timeout=3.0):
    deadline = time.monotonic() + timeout
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


def _our_children():
    return [p for p in mp.active_children() if p.name == "minimlp-worker"]


@pytest.fixture
def shared():
    return T.Shared(np.linspace(0.0, 1.0, 8))


@pytest.mark.parametrize("n_jobs", [None, 1, 2])
def test_results_in_task_order_and_identical(n_jobs, shared):
    expected = [T.solve(shared, seed) for seed in range(12)]
    results = Evaluator(n_jobs).map(T.solve, list(range(12)), shared)
    assert len(results) == 12
    for got, want in zip(results, expected):
        np.testing.assert_array_equal(got, want)
    assert _our_children() == []


def test_task_order_kept_when_completion_order_differs():
    calls = []
    durations = [0.6, 0.05, 0.05, 0.05]
    results = Evaluator(2).map(
        T.sleep_task, durations, on_result=lambda i, r: calls.append((i, r))
    )
    assert all(isinstance(r, int) for r in results)
    assert [i for i, _ in calls][-1] == 0  # the long first task finished last...
    assert sorted(i for i, _ in calls) == [0, 1, 2, 3]  # ...and each was reported once
    assert all(results[i] == r for i, r in calls)
    assert len({results[0]} & set(results[1:])) == 0  # the others ran on the other worker


def test_shared_is_unpickled_once_per_worker(shared):
    results = Evaluator(2).map(T.whoami, list(range(10)), shared)
    assert all(r["n_unpickles"] == 1 for r in results)
    ids_by_pid = {}
    for r in results:
        ids_by_pid.setdefault(r["pid"], set()).add(r["shared_id"])
    assert all(len(ids) == 1 for ids in ids_by_pid.values())
    assert os.getpid() not in ids_by_pid


def test_workers_use_one_blas_thread(monkeypatch, shared):
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(var, raising=False)
    results = Evaluator(2).map(T.whoami, list(range(4)), shared)
    for r in results:
        assert r["env"] == {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        assert r["blas_threads"] and all(n == 1 for n in r["blas_threads"])
    assert "OPENBLAS_NUM_THREADS" not in os.environ  # the parent's environment is restored


def test_parent_thread_setting_is_passed_on(monkeypatch, shared):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    results = Evaluator(2).map(T.whoami, [0, 1], shared)
    assert all(r["env"]["OPENBLAS_NUM_THREADS"] == "2" for r in results)


def test_spawn_start_method(shared):
    results = Evaluator(2, start_method="spawn").map(T.whoami, [0, 1, 2], shared)
    assert all(r["n_unpickles"] == 1 and r["blas_threads"] == [1] * len(r["blas_threads"])
               for r in results)


def test_effective_n_jobs(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(_cpu, "_CGROUP_V2_CPU_MAX", str(tmp_path / "missing"))
    monkeypatch.setattr(_cpu, "_CGROUP_V1_QUOTA", str(tmp_path / "missing"))
    assert [effective_n_jobs(n) for n in (None, 1, 3, 9, -1, -2, -4, -10)] == [
        1, 1, 3, 9, 4, 3, 1, 1,
    ]
    cpu_max = tmp_path / "cpu.max"
    monkeypatch.setattr(_cpu, "_CGROUP_V2_CPU_MAX", str(cpu_max))
    cpu_max.write_text("150000 100000\n")  # 1.5 cores -> 2
    assert effective_n_jobs(-1) == 2
    cpu_max.write_text("max 100000\n")
    assert effective_n_jobs(-1) == 4
    quota, period = tmp_path / "quota", tmp_path / "period"
    monkeypatch.setattr(_cpu, "_CGROUP_V2_CPU_MAX", str(tmp_path / "missing"))
    monkeypatch.setattr(_cpu, "_CGROUP_V1_QUOTA", str(quota))
    monkeypatch.setattr(_cpu, "_CGROUP_V1_PERIOD", str(period))
    quota.write_text("100000")
    period.write_text("100000")
    assert effective_n_jobs(-1) == 1
    quota.write_text("-1")
    assert effective_n_jobs(-1) == 4


def test_effective_n_jobs_respects_real_affinity():
    code = (
        "import os; from minimlp.evaluator import effective_n_jobs;"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
        "print(effective_n_jobs(-1), effective_n_jobs(-2), effective_n_jobs(5))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1", "5"]


@pytest.mark.parametrize("n_jobs", [0, 1.5, "2", True, np.float64(2.0)])
def test_bad_n_jobs(n_jobs):
    with pytest.raises(ValueError, match="n_jobs.*" + repr(n_jobs)[:3]):
        Evaluator(n_jobs)
    with pytest.raises(ValueError, match="n_jobs"):
        effective_n_jobs(n_jobs)


@pytest.mark.parametrize(
    "kwargs, name",
    [({"fit_timeout": 0}, "fit_timeout"), ({"fit_timeout": "1"}, "fit_timeout"),
     ({"retries": -1}, "retries"), ({"start_method": "threads"}, "start_method")],
)
def test_bad_parameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Evaluator(2, **kwargs)


def test_map_of_no_tasks():
    assert Evaluator(2).map(T.solve, []) == []


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_task_error_becomes_failure(n_jobs):
    results = Evaluator(n_jobs).map(T.fail_on, ["a", "bad", "c"])
    assert results[0] == "a" and results[2] == "c"
    failure = results[1]
    assert isinstance(failure, TaskFailure)
    assert (failure.kind, failure.attempts) == ("error", 1)
    assert failure.message == "ValueError: bad alpha"
    assert "in fail_on" in failure.traceback
    assert 'raise ValueError("bad alpha")' in failure.traceback
    assert isinstance(failure.exception, ValueError) and failure.exception.args == ("bad alpha",)


def test_worker_exit_once_is_retried(tmp_path):
    results = Evaluator(2).map(T.exit_once, [0, 1, 2, 3], str(tmp_path))
    assert results == [0, 10, 20, 30]
    assert (tmp_path / "exited-0").exists()  # the first attempt really died


@pytest.mark.parametrize("retries", [0, 1, 2])
def test_worker_always_dying_is_reported(retries):
    results = Evaluator(2, retries=retries).map(T.exit_always, [0, 1, 2, 3, 4])
    assert results[:1] + results[2:] == [0, 2, 3, 4]
    failure = results[1]
    assert isinstance(failure, TaskFailure)
    assert (failure.kind, failure.attempts) == ("died", retries + 1)
    assert failure.message == "worker process died (exit code 3) while running this task"
    assert _our_children() == []


def test_sigkill_mid_task_is_survived(tmp_path):
    results = Evaluator(2).map(T.sigkill_once, [0, 1, 2, 3, 4], str(tmp_path))
    assert results == [0, 1, 2, 3, 4]
    (tmp_path / "again").mkdir()
    results = Evaluator(2, retries=0).map(T.sigkill_once, [2, 3], str(tmp_path / "again"))
    assert results[1] == 3
    assert results[0].kind == "died" and "exit code -9" in results[0].message


def test_fit_timeout_stops_task_and_replaces_worker():
    # One worker (n_jobs=1 with a timeout runs in a process): the tasks after the stopped one
    # need a replacement worker.
    start = time.monotonic()
    results = Evaluator(1, fit_timeout=1.0).map(T.sleep_task, [0.01, 30, 0.01, 0.01])
    assert time.monotonic() - start < 10
    failure = results[1]
    assert isinstance(failure, TaskFailure) and failure.kind == "timeout"
    assert failure.message == "fit exceeded fit_timeout=1.0 s" and failure.attempts == 1
    assert results[0] != results[2] == results[3]  # a new worker ran the rest
    assert not _alive(results[0])


def test_on_result_once_per_task_and_errors_propagate():
    seen = []
    results = Evaluator(2).map(T.fail_on, list("abcdef"), on_result=lambda i, r: seen.append(i))
    assert sorted(seen) == list(range(6)) and results == list("abcdef")

    def boom(index, result):
        raise RuntimeError("journal full")

    with pytest.raises(RuntimeError, match="journal full"):
        Evaluator(2).map(T.sleep_task, [0.01, 30, 30], on_result=boom)
    assert _our_children() == []


def test_no_worker_left_after_map():
    pids = Evaluator(2).map(T.sleep_task, [0.01] * 4)
    assert _our_children() == []
    assert _wait_dead(set(pids)) == []


_SCRIPT = textwrap.dedent(
    """
    import multiprocessing as mp, sys
    sys.path.insert(0, {tests!r})
    import _evaluator_tasks as T
    from minimlp.evaluator import Evaluator

    if __name__ == "__main__":
        try:
            Evaluator(2).map(T.pid_then_sleep, [60] * 6, sys.argv[1])
        except KeyboardInterrupt:
            print("KeyboardInterrupt", len(mp.active_children()), flush=True)
            sys.exit(0)
        print("finished")
    """
)


def _start_script(tmp_path):
    script = tmp_path / "long_map.py"
    script.write_text(_SCRIPT.format(tests=str(TESTS_DIR)))
    markers = tmp_path / "pids"
    markers.mkdir()
    proc = subprocess.Popen(
        [sys.executable, str(script), str(markers)],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while len(list(markers.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(p.name) for p in markers.iterdir()]
    assert len(pids) == 2, "the workers did not start"
    return proc, pids


@pytest.mark.parametrize("target", ["parent", "group"])
def test_ctrl_c_stops_promptly_and_leaves_no_worker(tmp_path, target):
    proc, pids = _start_script(tmp_path)
    start = time.monotonic()
    if target == "parent":
        os.kill(proc.pid, signal.SIGINT)
    else:
        os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    assert time.monotonic() - start < 3
    assert out.split() == ["KeyboardInterrupt", "0"]
    assert _wait_dead(pids) == []


def test_workers_exit_when_parent_dies(tmp_path):
    proc, pids = _start_script(tmp_path)
    proc.kill()
    proc.wait()
    assert _wait_dead(pids) == []


def test_workers_ignore_sigint():
    assert Evaluator(2).map(T.sigint_self, [0, 1, 2]) == [0, 1, 2]


def test_import_does_not_load_dask():
    code = (
        "import sys, minimlp.evaluator;"
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_in_process_failure_keeps_the_original_exception():
    raised = []

    def fn(shared, task):  # in-process: no pickling, so a local function is fine
        raised.append(KeyError(task))
        raise raised[-1]

    (failure,) = Evaluator(None).map(fn, ["k"])
    assert failure.exception is raised[0] and failure.message == "KeyError: 'k'"


def test_unpicklable_task_fails_alone():
    results = Evaluator(2).map(T.identity, [1, lambda: 0, 3])
    assert results[0] == 1 and results[2] == 3
    assert results[1].kind == "error" and results[1].attempts == 0
    assert isinstance(results[1].exception, (pickle.PicklingError, AttributeError))


def _run_script(tmp_path, body):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(body))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=tmp_path)


def test_unguarded_script_is_not_rerun_by_workers(tmp_path):
    """The seed workflow has no ``if __name__ == "__main__":`` guard: workers must not re-run it."""
    done = _run_script(tmp_path, """
        import _evaluator_tasks as T
        from minimlp.evaluator import Evaluator
        print("script body ran")
        print(Evaluator(n_jobs=2).map(T.identity, list(range(6)), shared=None))
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("script body ran") == 1
    assert "[0, 1, 2, 3, 4, 5]" in done.stdout


def test_guarded_script_with_main_defined_function_still_works(tmp_path):
    """A task function defined in the script needs ``__main__`` in the workers: it is loaded."""
    done = _run_script(tmp_path, """
        from minimlp.evaluator import Evaluator

        def cube(shared, x):
            return x ** 3

        if __name__ == "__main__":
            print(Evaluator(n_jobs=2).map(cube, [1, 2, 3]))
    """)
    assert done.returncode == 0, done.stderr
    assert "[1, 8, 27]" in done.stdout


_MAIN_DEFINED_SEARCH = """
import numpy as np
from minimlp.base import BaseEstimator
from minimlp.datasets import make_classification
from minimlp.model_selection import GridSearchCV
from minimlp.neural_network import MLPClassifier
from minimlp.pipeline import make_pipeline

class Centre(BaseEstimator):  # a user's transformer, defined in __main__
    def __init__(self, shift=0.0):
        self.shift = shift
    def fit(self, X, y=None):
        self.mean_ = X.mean(axis=0)
        return self
    def transform(self, X):
        return X - self.mean_ + self.shift

def balanced_hits(estimator, X, y):  # a user's scorer, defined in __main__
    return float(np.mean(estimator.predict(X) == y))

print("script body ran")
X, y = make_classification(n_samples=120, n_features=4, random_state=0)
pipe = make_pipeline(Centre(), MLPClassifier(hidden_layer_sizes=(4,), max_iter=5,
                                             random_state=0))
grid = {"centre__shift": [0.0, 1.0], "mlpclassifier__alpha": [1e-4, 1e-1]}
scores = [GridSearchCV(pipe, grid, cv=3, scoring=balanced_hits, n_jobs=n).fit(X, y)
          .cv_results_["mean_test_score"].tolist() for n in (1, 2)]
print("equal" if scores[0] == scores[1] else scores)
"""


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("how", ["unguarded script", "stdin"])
def test_objects_defined_in_main_reach_the_workers(tmp_path, how):
    """A notebook or ``python -`` session has no main file to import, and an unguarded script
    must not run again: classes and functions of ``__main__`` travel by value."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    if how == "stdin":
        done = subprocess.run([sys.executable, "-"], input=_MAIN_DEFINED_SEARCH,
                              capture_output=True, text=True, timeout=120, env=env)
    else:
        done = _run_script(tmp_path, _MAIN_DEFINED_SEARCH)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("script body ran") == 1
    assert done.stdout.splitlines()[-1] == "equal"
    assert "Traceback" not in done.stderr
