"""Fault isolation of a search, on real worker processes: dying workers, timeouts, Ctrl-C."""

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from _fault_estimators import FaultyClassifier, fit_attempts
from test_evaluator import _wait_dead

from minimlp.exceptions import FitFailedWarning
from minimlp.model_selection import GridSearchCV

pytestmark = pytest.mark.filterwarnings("ignore:One or more of the (test|train) scores")

TESTS_DIR = Path(__file__).parent
rng = np.random.RandomState(0)
X = rng.randn(60, 3)
y = (X[:, 0] + 0.7 * rng.randn(60) > 0).astype(int)
GOOD = [{"shrink": [0.0, 0.3]}, {"shrink": [0.6]}]
CV = 3


def grid_with(bad):
    """GOOD with the misbehaving candidate ``bad`` inserted as the third of four."""
    return [GOOD[0], {k: [v] for k, v in bad.items()}, GOOD[1]]


def fit(grid, n_jobs=2, estimator=None, **kwargs):
    return GridSearchCV(estimator or FaultyClassifier(), grid, cv=CV, n_jobs=n_jobs,
                        return_train_score=True, **kwargs).fit(X, y)


def score_keys(results):
    """Per-candidate score columns (ranks depend on which other candidates there are)."""
    return [k for k in results if ("_test_" in k or "_train_" in k) and not k.startswith("rank")]


@pytest.fixture(scope="module")
def reference():
    """The good candidates' results, in process, without the bad one."""
    return fit(GOOD, n_jobs=1).cv_results_


def assert_good_rows_equal(results, reference, rows=(0, 1, 3)):
    for key in score_keys(reference):
        np.testing.assert_array_equal(results[key][list(rows)], reference[key], err_msg=key)


def our_workers():
    return [p for p in mp.active_children() if p.name == "minimlp-worker"]


@pytest.mark.parametrize("mode, retries", [("exit", None), ("exit", 2), ("sigkill", 0)])
def test_candidate_whose_worker_always_dies(tmp_path, reference, mode, retries):
    bad = {"mode": mode, "shrink": 0.9, "marker_dir": str(tmp_path)}
    kwargs = {} if retries is None else {"retries": retries}
    with pytest.warns(FitFailedWarning) as record:
        search = fit(grid_with(bad), **kwargs)
    text = "\n".join(str(w.message) for w in record if w.category is FitFailedWarning)
    attempts = 1 + (1 if retries is None else retries)  # the default is one retry
    assert f"{CV} fits failed out of a total of {4 * CV}" in text
    assert f"{{marker_dir={str(tmp_path)!r}, mode={mode!r}, shrink=0.9}}: splits [0, 1, 2]" in text
    assert "the worker process died" in text and f"after {attempts} attempt(s)" in text
    results = search.cv_results_
    for i in range(CV):
        assert np.isnan(results[f"split{i}_test_score"][2])
        assert np.isnan(results[f"split{i}_train_score"][2])
    assert_good_rows_equal(results, reference)
    assert len(fit_attempts(tmp_path, mode)) == CV * attempts
    assert search.best_params_ == reference["params"][reference["rank_test_score"].argmin()]
    assert our_workers() == []


def test_worker_dying_once_is_retried_on_a_fresh_worker(tmp_path, reference):
    bad = {"mode": "exit_once", "shrink": 0.9, "marker_dir": str(tmp_path)}
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitFailedWarning)  # no fold may end up failed
        search = fit(grid_with(bad), refit=False)  # a refit in here would exit pytest
    normal = fit([{"shrink": [0.9]}], n_jobs=1).cv_results_
    for key in score_keys(normal):
        np.testing.assert_array_equal(search.cv_results_[key][[2]], normal[key], err_msg=key)
    assert_good_rows_equal(search.cv_results_, reference)
    attempts = fit_attempts(tmp_path, "exit_once")
    assert len(attempts) == 2 * CV and len(list(tmp_path.glob("exited-*"))) == CV
    # Each fold killed its worker once (three processes died) and succeeded on a replacement.
    assert len({pid for _, pid in attempts}) > CV


@pytest.mark.parametrize("n_jobs, rounds", [(2, 2), (1, 3)])
def test_fit_past_fit_timeout_is_stopped(tmp_path, reference, n_jobs, rounds):
    timeout, sleep = 1.0, 60.0
    bad = {"mode": "sleep", "seconds": sleep, "shrink": 0.9, "marker_dir": str(tmp_path)}
    start = time.monotonic()
    with pytest.warns(FitFailedWarning) as record:
        search = fit(grid_with(bad), n_jobs=n_jobs, fit_timeout=timeout)
    elapsed = time.monotonic() - start
    # The three stalled folds take `rounds` rounds of `timeout` (n_jobs=1 runs in one worker
    # process, so that it can be stopped); everything else is quick.
    assert rounds * timeout <= elapsed < 15
    text = "\n".join(str(w.message) for w in record if w.category is FitFailedWarning)
    assert "mode='sleep', seconds=60.0, shrink=0.9}: splits [0, 1, 2]" in text
    assert f"the fit timed out (fit exceeded fit_timeout={timeout} s) after 1 attempt(s)" in text
    assert np.isnan(search.cv_results_["mean_test_score"][2])
    assert_good_rows_equal(search.cv_results_, reference)
    pids = {pid for _, pid in fit_attempts(tmp_path, "sleep")}
    assert len(fit_attempts(tmp_path, "sleep")) == CV  # a timeout is not retried
    assert _wait_dead(pids) == [] and our_workers() == []


@pytest.mark.parametrize("bad, what", [
    ({"mode": "exit"}, "the worker process died"),
    ({"mode": "sleep", "seconds": 60.0}, "the fit timed out"),
])
def test_error_score_raise_names_the_candidate(tmp_path, bad, what):
    bad = {**bad, "shrink": 0.9, "marker_dir": str(tmp_path)}
    start = time.monotonic()
    match = rf"Fitting candidate \{{.*shrink=0\.9\}} failed: {what}"
    with pytest.raises(RuntimeError, match=match):
        fit(grid_with(bad), error_score="raise", fit_timeout=1.0)
    assert time.monotonic() - start < 15
    # The first failure stops the search: every worker, including the ones still busy, is gone.
    assert our_workers() == []
    assert _wait_dead({pid for _, pid in fit_attempts(tmp_path)}) == []


SIGINT_SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    import numpy as np
    from _fault_estimators import FaultyClassifier
    from minimlp.model_selection import GridSearchCV

    if __name__ == "__main__":
        data = np.load({data!r})
        GridSearchCV(FaultyClassifier(mode="sleep", seconds=0.25, marker_dir={markers!r}),
                     {grid!r}, cv={cv}, n_jobs=2, journal={journal!r},
                     return_train_score=True).fit(data["X"], data["y"])
        print("finished")
""")
SIGINT_GRID = {"shrink": [0.0, 0.3, 0.6, 0.9]}


def _session_members(sid):
    """Live processes of session ``sid`` (zombies excluded)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[3]) == sid and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return members


def test_sigint_mid_search_stops_everything_and_journal_resumes(tmp_path):
    journal, data, markers = tmp_path / "s.jsonl", tmp_path / "data.npz", tmp_path / "m"
    markers.mkdir()
    np.savez(data, X=X, y=y)
    script = tmp_path / "search.py"
    script.write_text(SIGINT_SCRIPT.format(tests=str(TESTS_DIR), data=str(data),
                                           markers=str(markers), grid=SIGINT_GRID, cv=CV,
                                           journal=str(journal)))
    # Its own session, so that Ctrl-C can go to the whole process group as a terminal sends it,
    # and so that anything it started (fork server, workers) can be found afterwards.
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while not journal.exists() or len(journal.read_bytes().splitlines()) < 3:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the search wrote no journal lines"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGINT)
        start = time.monotonic()
        out, err = proc.communicate(timeout=20)
        stopped_in = time.monotonic() - start
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGINT and "KeyboardInterrupt" in err, err
    assert out == "" and stopped_in < 5
    workers = {pid for _, pid in fit_attempts(markers)} - {proc.pid}
    assert len(workers) == 2
    assert _wait_dead(workers) == []
    grace = time.monotonic() + 3
    while _session_members(proc.pid) and time.monotonic() < grace:
        time.sleep(0.05)
    assert _session_members(proc.pid) == []

    lines = journal.read_text().splitlines(keepends=True)
    complete = [line for line in lines if line.endswith("\n")]
    assert all(line.endswith("\n") for line in lines[:-1])  # only the last may be torn
    keys = [json.loads(line)["key"] for line in complete]  # every complete line parses
    n_tasks = len(SIGINT_GRID["shrink"]) * CV
    assert 3 <= len(set(keys)) == len(keys) < n_tasks

    estimator = FaultyClassifier(mode="sleep", seconds=0.25, marker_dir=str(markers))
    resumed = fit(SIGINT_GRID, estimator=estimator, journal=str(journal))
    assert (resumed.n_tasks_resumed_, resumed.n_tasks_run_) == (len(keys), n_tasks - len(keys))
    full = fit(SIGINT_GRID, n_jobs=1).cv_results_
    for key in score_keys(full):
        np.testing.assert_array_equal(resumed.cv_results_[key], full[key], err_msg=key)
