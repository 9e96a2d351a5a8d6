"""Running the tasks on a Dask ``Client`` or on any ``concurrent.futures``-like executor.

dask is imported here lazily, and only when the executor is a Dask Client, so that minimlp
does not depend on it.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
from collections.abc import Callable, Sequence
from typing import Any

from threadpoolctl import threadpool_limits

from ._pool import TaskFailure, _one_line, outcome_to_result, run_task

# BLAS limits are process-wide, so the tasks running in the threads of one worker (a Dask worker
# with several threads) share one limit: the first task to start sets it, the last to finish
# restores the previous setting. A limit per task would not do: a task finishing first would
# lift it under another one still running.
_limit_lock = threading.Lock()
_limit: list = []  # [threadpool_limits object, number of running tasks] while any task runs


def _task_wrapper(fn: Callable, shared: Any, task: Any) -> tuple:
    """Run one task with BLAS capped at one thread (one thread per task slot)."""
    with _limit_lock:
        if not _limit:
            _limit[:] = [threadpool_limits(1), 0]
        _limit[1] += 1
    try:
        return run_task(fn, shared, task)
    finally:
        with _limit_lock:
            _limit[1] -= 1
            if not _limit[1]:
                _limit[0].restore_original_limits()
                _limit.clear()


class _FuturesAsCompleted:
    """concurrent.futures futures in completion order, accepting new ones on the way
    (the part of ``distributed.as_completed`` used below)."""

    def __init__(self, futures):
        self._pending = set(futures)

    def add(self, future) -> None:
        self._pending.add(future)

    def __iter__(self):
        while self._pending:
            done, self._pending = cf.wait(self._pending, return_when=cf.FIRST_COMPLETED)
            yield from done


def run_on_executor(
    executor: Any,
    fn: Callable,
    tasks: Sequence,
    shared: Any,
    on_result: Callable[[int, Any], Any] | None,
    retries: int,
) -> list:
    """Run ``fn(shared, task)`` for every task on ``executor`` (see Evaluator).

    With a Dask Client (anything with ``scatter``), ``shared`` is broadcast once to every worker
    and each task receives a reference to it; tasks are submitted with ``pure=False``. A generic
    executor gets ``submit(wrapper, fn, shared, task)`` per task, so ``shared`` travels with
    every task (a thread pool shares it for free; a process pool pickles it each time).

    Exceptions raised by fn come back as data (TaskFailure kind "error"); any exception raised by
    the future itself means the infrastructure lost the task (KilledWorker, a CommError, a
    BrokenProcessPool...): the task is resubmitted up to ``retries`` times, then reported as kind
    "died". Dask itself first reschedules a task whose worker died, up to its
    ``distributed.scheduler.allowed-failures`` (default 3), before raising KilledWorker, which
    counts here as one attempt. Once every worker holding the scattered ``shared`` has died,
    Dask cancels the tasks that need it: each of those counts one attempt too, and ``shared`` is
    scattered again for the resubmissions.
    """
    is_dask = hasattr(executor, "scatter")
    if is_dask:
        from distributed import as_completed

        scattered = []  # every copy of `shared`, all released at the end

        def submit(index):
            if not scattered or scattered[-1].status != "finished":  # first time, or lost
                scattered.append(executor.scatter([shared], broadcast=True, hash=False)[0])
            return executor.submit(_task_wrapper, fn, scattered[-1], tasks[index], pure=False)
    else:
        as_completed = _FuturesAsCompleted

        def submit(index):
            return executor.submit(_task_wrapper, fn, shared, tasks[index])

    n_tasks = len(tasks)
    results: list = [None] * n_tasks
    attempts = [1] * n_tasks
    futures: dict = {}
    # Tasks may run in threads of this process (a thread pool, a Dask client with
    # processes=False), and OpenBLAS may ignore a pool thread's restore to more threads (seen
    # with 0.3.31), which would leave the caller at one. Holding a limit here as well restores
    # the caller's setting from this thread.
    caller_limit = threadpool_limits(1)
    try:
        for i in range(n_tasks):
            futures[submit(i)] = i
        completed = as_completed(list(futures))
        for future in completed:
            index = futures.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:
                lost = exc
                if attempts[index] <= retries:
                    attempts[index] += 1
                    try:
                        new = submit(index)
                    except Exception as submit_exc:  # the executor itself is broken
                        lost = submit_exc
                    else:
                        futures[new] = index
                        completed.add(new)
                        continue
                message = f"worker lost while running this task ({_one_line(lost)})"
                result = TaskFailure("died", message, attempts=attempts[index])
            else:
                result = outcome_to_result(outcome, attempts[index])
            results[index] = result
            if on_result is not None:
                on_result(index, result)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    finally:
        caller_limit.restore_original_limits()
        if is_dask:
            for ref in scattered:
                ref.release()
    return results
