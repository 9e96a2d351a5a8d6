"""The search journal: resume, mismatch, torn lines, locking and a real SIGKILL mid-search."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from _search_estimators import CentroidClassifier

from minimlp.exceptions import FitFailedWarning
from minimlp.model_selection import GridSearchCV, KFold
from minimlp.model_selection._journal import Journal

rng = np.random.RandomState(0)
X = rng.randn(60, 3)
y = (X[:, 0] + 0.7 * rng.randn(60) > 0).astype(int)
GRID = {"shrink": [0.0, 0.3, 0.6, 0.9]}
N_TASKS = 4 * 3


def search(journal, log=None, grid=GRID, cv=3, **kwargs):
    return GridSearchCV(CentroidClassifier(log=log and str(log)), grid, cv=cv,
                        journal=journal and str(journal), return_train_score=True, **kwargs)


def n_lines(path):
    return len(path.read_text().splitlines()) if path.exists() else 0


def assert_same_scores(a, b):
    for key in a.cv_results_:
        if "time" not in key and not key.startswith("param"):
            np.testing.assert_array_equal(a.cv_results_[key], b.cv_results_[key], err_msg=key)


def test_rerun_resumes_every_finished_task(tmp_path):
    journal, log = tmp_path / "s.jsonl", tmp_path / "fits.log"
    first = search(journal, log).fit(X, y)
    assert (first.n_tasks_resumed_, first.n_tasks_run_) == (0, N_TASKS)
    assert n_lines(journal) == N_TASKS and n_lines(log) == N_TASKS + 1  # + the refit
    again = search(journal, log).fit(X, y)
    assert (again.n_tasks_resumed_, again.n_tasks_run_) == (N_TASKS, 0)
    assert n_lines(log) == N_TASKS + 2 and n_lines(journal) == N_TASKS  # only the refit ran
    assert_same_scores(first, again)
    np.testing.assert_array_equal(first.cv_results_["mean_fit_time"],
                                  again.cv_results_["mean_fit_time"])


def test_partial_journal_runs_only_the_rest(tmp_path):
    journal, log = tmp_path / "s.jsonl", tmp_path / "fits.log"
    full = search(journal, log).fit(X, y)
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:5]))
    log.unlink()
    resumed = search(journal, log).fit(X, y)
    assert (resumed.n_tasks_resumed_, resumed.n_tasks_run_) == (5, N_TASKS - 5)
    assert n_lines(log) == N_TASKS - 5 + 1
    assert n_lines(journal) == N_TASKS
    assert_same_scores(full, resumed)
    # The first candidate's three folds were all resumed: its times come from the journal.
    times = [json.loads(line)["fit_time"] for line in lines[:3]]
    assert resumed.cv_results_["mean_fit_time"][0] == np.average(times)


@pytest.mark.parametrize("change", ["X", "grid", "cv"])
def test_mismatched_journal_is_ignored_with_one_warning(tmp_path, change):
    journal = tmp_path / "s.jsonl"
    search(journal).fit(X, y)
    Xb, grid, cv = X, GRID, 3
    if change == "X":
        Xb = X + 1e-9
    elif change == "grid":
        grid = {"shrink": [0.6, 0.9, 1.2]}  # two candidates in common
    else:
        cv = KFold(3, shuffle=True, random_state=0)
    with pytest.warns(UserWarning, match="Ignored (12|6) entries of the search journal") as rec:
        result = search(journal, grid=grid, cv=cv).fit(Xb, y)
    assert len([w for w in rec if "journal" in str(w.message)]) == 1
    expected = 6 if change == "grid" else 0
    assert result.n_tasks_resumed_ == expected


def test_torn_last_line_is_dropped(tmp_path):
    journal = tmp_path / "s.jsonl"
    full = search(journal).fit(X, y)
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:7]) + lines[7][: len(lines[7]) // 2])
    resumed = search(journal).fit(X, y)
    assert resumed.n_tasks_resumed_ == 7
    assert_same_scores(full, resumed)
    keys = [json.loads(line)["key"] for line in journal.read_text().splitlines()]
    assert len(keys) == N_TASKS == len(set(keys))


@pytest.mark.filterwarnings("ignore:One or more of the test scores")
def test_failed_tasks_are_not_journaled(tmp_path):
    journal = tmp_path / "s.jsonl"
    failing = GridSearchCV(CentroidClassifier(fail_on=0.3), GRID, cv=3, journal=str(journal))
    with pytest.warns(FitFailedWarning):
        failing.fit(X, y)
    assert n_lines(journal) == N_TASKS - 3
    with pytest.warns(FitFailedWarning):
        failing.fit(X, y)
    assert (failing.n_tasks_resumed_, failing.n_tasks_run_) == (N_TASKS - 3, 3)


def test_concurrent_search_on_one_journal_is_refused(tmp_path):
    journal = tmp_path / "s.jsonl"
    with Journal(journal):
        with pytest.raises(RuntimeError, match=str(journal)):
            search(journal).fit(X, y)
    assert search(journal).fit(X, y).n_tasks_run_ == N_TASKS  # the lock was released


def test_journal_lock_is_per_process(tmp_path):
    journal = tmp_path / "s.jsonl"
    code = ("import sys, time; from minimlp.model_selection._journal import Journal\n"
            f"with Journal({str(journal)!r}):\n print('locked', flush=True); time.sleep(30)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(RuntimeError, match="in use by another running search"):
            search(journal).fit(X, y)
    finally:
        proc.kill()
        proc.wait()
    assert search(journal).fit(X, y).n_tasks_run_ == N_TASKS  # a dead holder frees the lock


CRASH_SCRIPT = """
import numpy as np
from _search_estimators import CentroidClassifier
from minimlp.model_selection import GridSearchCV
data = np.load({data!r})
GridSearchCV(CentroidClassifier(delay=0.15, log={log!r}), {grid!r}, cv=3, n_jobs=1,
             journal={journal!r}, return_train_score=True).fit(data["X"], data["y"])
"""


def test_sigkill_mid_search_then_resume(tmp_path):
    journal, log, data = tmp_path / "s.jsonl", tmp_path / "fits.log", tmp_path / "data.npz"
    np.savez(data, X=X, y=y)
    script = CRASH_SCRIPT.format(data=str(data), log=str(log), grid=GRID, journal=str(journal))
    env = {**os.environ, "PYTHONPATH": os.path.dirname(__file__)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)
    deadline = time.time() + 120
    try:
        while n_lines(journal) < 4:
            assert proc.poll() is None, "the search ended before it could be killed"
            assert time.time() < deadline, "the search wrote no journal lines"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    complete = 0
    for line in journal.read_text().splitlines(keepends=True):
        complete += line.endswith("\n")
    assert 4 <= complete < N_TASKS
    fits_before = n_lines(log)

    resumed = GridSearchCV(CentroidClassifier(delay=0.15, log=str(log)), GRID, cv=3,
                           journal=str(journal), return_train_score=True).fit(X, y)
    assert resumed.n_tasks_resumed_ == complete
    assert resumed.n_tasks_run_ == N_TASKS - complete
    assert n_lines(log) - fits_before == N_TASKS - complete + 1  # + the refit
    print(f"SIGKILL after {complete}/{N_TASKS} journaled tasks; resumed {complete}, ran "
          f"{resumed.n_tasks_run_}, fits recomputed: 0")
    assert_same_scores(search(None).fit(X, y), resumed)


def test_journal_with_worker_processes(tmp_path):
    journal = tmp_path / "s.jsonl"
    full = search(journal, n_jobs=2).fit(X, y)
    lines = journal.read_text().splitlines(keepends=True)
    assert len(lines) == N_TASKS
    journal.write_text("".join(lines[::2]))  # completion order: any subset must resume
    resumed = search(journal, n_jobs=2).fit(X, y)
    assert (resumed.n_tasks_resumed_, resumed.n_tasks_run_) == (N_TASKS // 2, N_TASKS // 2)
    assert_same_scores(full, resumed)


def test_verbose_reports_resumed_tasks(tmp_path, capsys):
    journal = tmp_path / "s.jsonl"
    search(journal).fit(X, y)
    search(journal, verbose=1).fit(X, y)
    assert f"{N_TASKS}/{N_TASKS} fits done ({N_TASKS} resumed)" in capsys.readouterr().err
