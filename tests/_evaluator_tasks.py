"""Module-level task functions for the evaluator tests (importable by spawned workers)."""

import os
import signal
import time

import numpy as np

_N_UNPICKLES = 0  # per process: how many Shared objects were unpickled here


class Shared:
    """Payload that counts its own unpicklings in the receiving process."""

    def __init__(self, data):
        self.data = data

    def __getstate__(self):
        return self.data

    def __setstate__(self, state):
        global _N_UNPICKLES
        _N_UNPICKLES += 1
        self.data = state


def solve(shared, seed):
    """Deterministic numpy work: a least-squares fit on data drawn from `seed`."""
    rng = np.random.RandomState(seed)
    A = rng.standard_normal((60, 8)) + shared.data
    b = rng.standard_normal(60)
    return np.linalg.lstsq(A, b, rcond=None)[0]


def whoami(shared, task):
    """Where and how the task ran: pid, unpickle count, identity of shared, BLAS threads, env."""
    from threadpoolctl import threadpool_info

    blas = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    return {
        "pid": os.getpid(),
        "n_unpickles": _N_UNPICKLES,
        "shared_id": id(shared),
        "blas_threads": blas,
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
    }


def fail_on(shared, task):
    """Raise for task "bad", return the task otherwise."""
    if task == "bad":
        raise ValueError("bad alpha")
    return task


def exit_once(marker_dir, task):
    """os._exit(3) the first time task 0 runs (a marker file remembers), succeed after."""
    marker = os.path.join(marker_dir, f"exited-{task}")
    if task == 0 and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(3)
    return task * 10


def exit_always(shared, task):
    """os._exit(3) for task 1, succeed for the others."""
    if task == 1:
        os._exit(3)
    return task


def sigkill_once(marker_dir, task):
    """SIGKILL its own process the first time task 2 runs, succeed after."""
    marker = os.path.join(marker_dir, f"killed-{task}")
    if task == 2 and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return task


def sleep_task(shared, seconds):
    """Sleep, then return the pid (so a caller can see which worker ran it)."""
    time.sleep(seconds)
    return os.getpid()


def pid_then_sleep(marker_dir, seconds):
    """Leave a file named after this process's pid, then sleep."""
    open(os.path.join(marker_dir, str(os.getpid())), "w").close()
    time.sleep(seconds)
    return os.getpid()


def sigint_self(shared, task):
    """Send SIGINT to its own process (a worker must ignore it), then return the task."""
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)
    return task


def identity(shared, task):
    return task
