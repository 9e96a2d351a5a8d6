"""Run a flat list of (candidate, fold) fit tasks on every core, surviving failures.

``Evaluator(n_jobs).map(fn, tasks, shared)`` returns ``[fn(shared, t) for t in tasks]``, with a
:class:`TaskFailure` in place of each task that raised, whose worker died, or that ran past
``fit_timeout``. It runs in-process, on its own worker processes, or on a Dask / concurrent.futures
executor. Importing this module does not import dask.
"""

from __future__ import annotations

import multiprocessing as mp
import numbers
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from ._cpu import _check_n_jobs, cpu_count, effective_n_jobs
from ._pool import TaskFailure, _one_line, run_pool

__all__ = ["Evaluator", "TaskFailure", "cpu_count", "effective_n_jobs"]

# Default start method, measured here (2 vCPU, a child importing numpy, scipy.linalg, numba and
# threadpoolctl, parent with numpy loaded): "spawn" 0.43-0.81 s per worker; "forkserver" with
# those modules preloaded: 0.48-0.51 s for the first worker (the server starts), then 0.008-0.017
# s per worker, including replacements of dead workers and the pools of later searches in the
# same process. The server is a fresh single-threaded interpreter (checked: 1 thread after the
# preload, BLAS capped by the variables it was started with), so forking it is safe, unlike
# forking the parent ("fork"), whose BLAS / numba threads a child would inherit in a broken state.
_DEFAULT_START_METHOD = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


class Evaluator:
    """Maps a function over tasks in parallel, on processes or an executor.

    Parameters
    ----------
    n_jobs : int or None, default=None
        None or 1: run in-process, in order, as whenever only one worker would run (but one
        worker process when ``fit_timeout`` is set, so that a fit can be stopped). -1: one
        worker per core this process may use (CPU affinity and cgroup quota); other negative k:
        ``cores + 1 + k``; k > 0: k workers.
        Never more workers than tasks. Ignored when ``executor`` is given.
    executor : dask.distributed.Client or concurrent.futures.Executor, optional
        Run the tasks there instead. A Client receives ``shared`` once (broadcast scatter); a
        generic executor receives it with every task, since it has no scatter.
    fit_timeout : float or None, default=None
        Seconds a task may run (from when its worker is ready) before its worker is killed and
        replaced; the task becomes ``TaskFailure(kind="timeout")``, without retry. Not
        supported with an executor.
    retries : int, default=1
        How many times a task whose worker died is run again before it becomes
        ``TaskFailure(kind="died")``.
    start_method : {"forkserver", "spawn", "fork"} or None, default=None
        multiprocessing start method of the workers; None means "forkserver" where available.
        "fork" is allowed but unsafe with threaded BLAS or numba in the parent.

    Notes
    -----
    Workers run with one BLAS thread: OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS,
    BLIS_NUM_THREADS, VECLIB_MAXIMUM_THREADS, NUMBA_NUM_THREADS and NUMEXPR_NUM_THREADS are set to
    1 in their environment before they import numpy (unless set in the parent, then passed on),
    plus ``threadpoolctl.threadpool_limits(1)``. With "forkserver", multiprocessing's fork server
    (one per process, shared with any other user) is started with those variables if this is its
    first use, and preloads numpy, scipy.linalg, numba and threadpoolctl. Workers ignore SIGINT,
    exit if the parent dies, and receive the parent's warning filters. They live for one
    :meth:`map` call.
    """

    def __init__(
        self,
        n_jobs: int | None = None,
        *,
        executor: Any = None,
        fit_timeout: float | None = None,
        retries: int = 1,
        start_method: str | None = None,
    ) -> None:
        _check_n_jobs(n_jobs)
        if fit_timeout is not None and (
            isinstance(fit_timeout, bool)
            or not isinstance(fit_timeout, numbers.Real)
            or not fit_timeout > 0
        ):
            raise ValueError(f"fit_timeout must be None or a number > 0, got {fit_timeout!r}.")
        if isinstance(retries, bool) or not isinstance(retries, numbers.Integral) or retries < 0:
            raise ValueError(f"retries must be an integer >= 0, got {retries!r}.")
        if start_method is not None and start_method not in mp.get_all_start_methods():
            raise ValueError(
                f"start_method must be one of {mp.get_all_start_methods()} or None, "
                f"got {start_method!r}."
            )
        if executor is not None and not hasattr(executor, "submit"):
            raise TypeError(f"executor must have a submit method, got {executor!r}.")
        if executor is not None and fit_timeout is not None:
            raise ValueError("fit_timeout is not supported with an executor; use executor=None.")
        self.n_jobs = n_jobs
        self.executor = executor
        self.fit_timeout = fit_timeout
        self.retries = int(retries)
        self.start_method = start_method

    def map(
        self,
        fn: Callable[[Any, Any], Any],
        tasks: Sequence,
        shared: Any = None,
        on_result: Callable[[int, Any], Any] | None = None,
    ) -> list:
        """Return ``[fn(shared, task) for task in tasks]``, failures as TaskFailure.

        Parameters
        ----------
        fn : callable
            ``fn(shared, task) -> result``, a module-level (picklable) function.
        tasks : sequence of length n_tasks
            Small picklable items, dispatched in order, one at a time to each free worker.
        shared : object, default=None
            Picklable data every task needs (e.g. ``(X, y, scorers)``), sent once per worker.
        on_result : callable, optional
            ``on_result(index, result)``, called in this process once per task, in completion
            order, as soon as the task is done. If it raises, every worker is stopped and the
            exception propagates.

        Returns
        -------
        results : list of length n_tasks
            In task order: fn's return value, or a :class:`TaskFailure`.
        """
        tasks = list(tasks)
        if not tasks:
            return []
        if self.executor is not None:
            from ._dask import run_on_executor

            return run_on_executor(self.executor, fn, tasks, shared, on_result, self.retries)
        n_workers = min(effective_n_jobs(self.n_jobs), len(tasks))
        if n_workers == 1 and self.fit_timeout is None:
            results = []
            for index, task in enumerate(tasks):
                try:
                    result = fn(shared, task)
                except Exception as exc:  # the original object, not a pickled copy
                    result = TaskFailure("error", _one_line(exc), traceback.format_exc(), exc)
                results.append(result)
                if on_result is not None:
                    on_result(index, result)
            return results
        return run_pool(
            fn,
            tasks,
            shared,
            on_result,
            n_workers,
            self.fit_timeout,
            self.retries,
            self.start_method or _DEFAULT_START_METHOD,
        )
