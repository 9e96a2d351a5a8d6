"""Estimators and a scorer that misbehave on purpose, for the fault-isolation and Dask tests.

Module-level so that worker processes (forkserver children, Dask workers) can import them.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time

from _search_estimators import CentroidClassifier
from threadpoolctl import threadpool_info

MODES = ("ok", "exit", "exit_once", "sigkill", "sleep")


class FaultyClassifier(CentroidClassifier):
    """A CentroidClassifier whose fit can kill or stall its own process.

    Parameters
    ----------
    shrink : float, default=0.0
        As in CentroidClassifier: the fitted model depends only on it and the data.
    mode : {"ok", "exit", "exit_once", "sigkill", "sleep"}, default="ok"
        "exit": ``os._exit(3)`` in every fit; "exit_once": ``os._exit(3)`` the first time a given
        training set is fitted (a file in ``marker_dir`` remembers it), fit normally after;
        "sigkill": SIGKILL its own process; "sleep": sleep ``seconds`` then fit normally.
    seconds : float, default=0.0
        Sleep of mode "sleep".
    marker_dir : str or None, default=None
        When set, every fit first appends ``"<mode> <pid>"`` to ``<marker_dir>/fits.log`` (to
        count attempts and find the worker processes); required by "exit_once".

    Attributes
    ----------
    fit_pid_ : int
        Process that ran fit.
    fit_blas_threads_ : int
        Largest BLAS thread count seen from inside fit (threadpoolctl).
    """

    def __init__(self, shrink=0.0, mode="ok", seconds=0.0, marker_dir=None):
        super().__init__(shrink=shrink)
        self.mode = mode
        self.seconds = seconds
        self.marker_dir = marker_dir

    def fit(self, X, y):
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.marker_dir is not None:
            # One short O_APPEND write: lines from concurrent processes do not interleave.
            fd = os.open(os.path.join(self.marker_dir, "fits.log"),
                         os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            os.write(fd, f"{self.mode} {os.getpid()}\n".encode())
            os.close(fd)
        if self.mode == "exit":
            os._exit(3)
        if self.mode == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.mode == "exit_once":
            digest = hashlib.sha256(X.tobytes()).hexdigest()[:16]
            try:  # O_EXCL: exactly one attempt per training set claims the marker and dies
                os.close(os.open(os.path.join(self.marker_dir, f"exited-{digest}"),
                                 os.O_WRONLY | os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                pass
            else:
                os._exit(3)
        if self.mode == "sleep":
            time.sleep(self.seconds)
        self.fit_pid_ = os.getpid()
        self.fit_blas_threads_ = max(
            (p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"), default=0)
        return super().fit(X, y)


def fit_attempts(marker_dir, mode=None):
    """``(mode, pid)`` of every fit started with ``marker_dir``, optionally of one mode."""
    path = os.path.join(marker_dir, "fits.log")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        entries = [(m, int(pid)) for m, pid in (line.split() for line in f)]
    return [e for e in entries if mode is None or e[0] == mode]


_N_UNPICKLED = 0  # per process: how many WhereScorer objects were unpickled here


def _unpickle_where_scorer():
    global _N_UNPICKLED
    _N_UNPICKLED += 1
    return WhereScorer()


class WhereScorer:
    """A multimetric scorer reporting accuracy and where the task ran.

    Returns ``{"accuracy", "pid", "unpickled", "blas"}``: the worker's pid, how many scorers
    were unpickled in that process so far (it travels inside the search's shared data, so this
    counts how often the data reached that process), and ``fit_blas_threads_``.
    """

    def __reduce__(self):
        return _unpickle_where_scorer, ()

    def __call__(self, estimator, X, y):
        return {"accuracy": estimator.score(X, y), "pid": os.getpid(),
                "unpickled": _N_UNPICKLED, "blas": estimator.fit_blas_threads_}
