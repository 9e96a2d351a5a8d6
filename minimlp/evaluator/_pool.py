"""A small process pool: one task in flight per worker, crash and timeout survival.

Protocol (one duplex pipe per worker). Parent -> worker: ``shared_blob`` once, right after the
start, then ``(index, blob)`` per task where ``blob = _dumps((fn, task))``. Worker -> parent:
``(None, b"")`` once when ready, then ``(index, pickle(outcome))`` per task. Outcomes are
``("ok", result)`` or ``("error", message, traceback, pickled exception or None)``. Pickling
happens in ``try`` blocks on both sides so a bad object fails one task, not the pool.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing as mp
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import types
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

# What loky sets in its workers (spec 5.6). NUMEXPR included for free.
BLAS_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMBA_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
# Modules the fork server imports once, so each worker forked from it starts in ~10 ms instead
# of re-importing them (~0.4 s). Not "__main__" (multiprocessing's default): workers never
# import the user's script (see _dumps).
_FORKSERVER_PRELOAD = ["numpy", "scipy.linalg", "numba", "threadpoolctl"]
_JOIN_TIMEOUT = 2.0
_PICKLE = pickle.HIGHEST_PROTOCOL
_environ_lock = threading.Lock()


@dataclass
class TaskFailure:
    """Why a task produced no result.

    Attributes
    ----------
    kind : {"error", "died", "timeout"}
        "error": fn raised; "died": the worker process died while running the task (after
        every retry); "timeout": the task ran longer than ``fit_timeout`` and was stopped.
    message : str
        One line, e.g. ``"ValueError: bad alpha"``.
    traceback : str
        The formatted traceback from the worker (kind "error"), else "".
    exception : BaseException or None
        The original exception when it survived pickling (kind "error"), so it can be re-raised.
    attempts : int
        How many times the task was started.
    """

    kind: str
    message: str
    traceback: str = ""
    exception: BaseException | None = None
    attempts: int = 1


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def run_task(fn: Callable, shared: Any, task: Any) -> tuple:
    """Call ``fn(shared, task)`` and return its outcome tuple (see the module docstring)."""
    try:
        return ("ok", fn(shared, task))
    except Exception as exc:
        return error_outcome(exc)


def error_outcome(exc: BaseException) -> tuple:
    try:
        exc_blob = pickle.dumps(exc, _PICKLE)
    except Exception:
        exc_blob = None
    return ("error", _one_line(exc), traceback.format_exc(), exc_blob)


def outcome_to_result(outcome: tuple, attempts: int) -> Any:
    """The caller-facing value of an outcome: the result itself or a TaskFailure."""
    if outcome[0] == "ok":
        return outcome[1]
    _, message, tb, exc_blob = outcome
    try:
        exc = pickle.loads(exc_blob) if exc_blob is not None else None
    except Exception:  # e.g. an exception class whose __init__ needs extra arguments
        exc = None
    return TaskFailure("error", message, tb, exc, attempts)


def _parent_side_failure(exc: BaseException, attempts: int) -> TaskFailure:
    """A task's failure to pickle its task or unpickle its result, in the parent."""
    return TaskFailure("error", _one_line(exc), traceback.format_exc(), exc, attempts)


def _worker_main(conn, env: dict, user_set_threads: bool, filters: bytes) -> None:
    # The parent decides what Ctrl-C means; a worker must not die of it half-way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Usually inherited already; a forked child inherits the fork server's environment instead,
    # so restate the parent's choice for any library still to be loaded.
    os.environ.update(env)
    parent = mp.parent_process()
    if parent is not None:  # exit at once if the parent dies, even mid-fit

        def _watch_parent() -> None:
            wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=_watch_parent, daemon=True).start()
    warnings.filters[:] = pickle.loads(filters)  # like joblib: the parent's filters apply here
    from threadpoolctl import threadpool_limits

    # Safety net in case BLAS loaded before the variables were set (the limit holds while the
    # object lives), unless the user chose thread counts in the parent's environment.
    limiter = None if user_set_threads else threadpool_limits(1)  # noqa: F841
    try:
        shared_blob = conn.recv_bytes()
    except EOFError:
        return
    try:
        shared, shared_error = pickle.loads(shared_blob), None
    except Exception as exc:
        shared, shared_error = None, error_outcome(exc)
    del shared_blob
    conn.send((None, b""))
    while True:
        try:
            index, blob = conn.recv()
        except EOFError:  # parent closed the pipe: normal shutdown, or the parent is gone
            return
        if shared_error is not None:
            outcome = shared_error
        else:
            try:
                fn, task = pickle.loads(blob)
            except Exception as exc:
                outcome = error_outcome(exc)
            else:
                outcome = run_task(fn, shared, task)
        try:
            out = pickle.dumps(outcome, _PICKLE)
        except Exception as exc:
            out = pickle.dumps(error_outcome(exc), _PICKLE)
        conn.send((index, out))


@contextlib.contextmanager
def _main_hidden():
    """Start children without importing the parent's ``__main__``.

    multiprocessing's spawn / forkserver children import the parent's main script (as
    ``__mp_main__``): a script without an ``if __name__ == "__main__":`` guard -- the seed
    workflow is one -- would start its search again in every worker, and a notebook or
    ``python -`` session has no file to import. What the workers need from ``__main__``
    travels by value in the pickles instead (:func:`_dumps`), so they start from an empty one.
    """
    real = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = real


class _MainFinder(pickle.Pickler):
    """A pickler that notes whether any object it pickles is defined in ``__main__``."""

    found = False

    def reducer_override(self, obj):
        if getattr(obj, "__module__", None) == "__main__":
            self.found = True
        return NotImplemented


def _dumps(obj: Any) -> bytes:
    """Pickle ``obj`` for a worker; classes and functions of ``__main__`` go by value.

    A plain pickle names a class by module and name, which a worker without the user's
    ``__main__`` cannot import; cloudpickle (what joblib and Dask use) carries the code of
    those objects instead, and the worker's ``pickle.loads`` rebuilds them. Objects from
    importable modules are pickled by reference either way, so this costs a second pass only
    when ``__main__`` is involved.
    """
    buffer = io.BytesIO()
    finder = _MainFinder(buffer, _PICKLE)
    finder.dump(obj)
    if not finder.found:
        return buffer.getvalue()
    import cloudpickle

    return cloudpickle.dumps(obj, _PICKLE)


class _Worker:
    __slots__ = ("proc", "conn", "index", "deadline", "ready")

    def __init__(self, proc, conn):
        self.proc, self.conn = proc, conn
        self.index: int | None = None  # task in flight
        self.deadline = float("inf")
        self.ready = False


def _start_worker(ctx, filters: bytes) -> _Worker:
    env = {k: os.environ.get(k, "1") for k in BLAS_ENV_VARS}  # the parent's value passes on
    missing = [k for k in BLAS_ENV_VARS if k not in os.environ]
    user_set_threads = len(missing) < len(BLAS_ENV_VARS)
    parent_conn, child_conn = ctx.Pipe(duplex=True)
    proc = ctx.Process(
        target=_worker_main,
        args=(child_conn, env, user_set_threads, filters),
        daemon=True,
        name="minimlp-worker",
    )
    # A spawned child (and a fork server started now) copies os.environ at start, which is the
    # only way to set these before the child imports numpy via __main__. The lock keeps two
    # threads starting pools from restoring each other's variables.
    with _environ_lock, _main_hidden():
        os.environ.update({k: "1" for k in missing})
        try:
            proc.start()
        finally:
            for key in missing:
                os.environ.pop(key, None)
    child_conn.close()
    return _Worker(proc, parent_conn)


def _picklable_filters() -> list:
    keep = []
    for entry in warnings.filters:
        try:
            pickle.dumps(entry, _PICKLE)
        except Exception:
            continue
        keep.append(entry)
    return keep


def _stop(workers: Sequence[_Worker], kill: bool) -> None:
    """Stop workers: close their pipes (they exit on EOF) or kill them; join; kill stragglers."""
    for w in workers:
        if kill:
            w.proc.kill()
        w.conn.close()
    deadline = time.monotonic() + _JOIN_TIMEOUT
    for w in workers:
        w.proc.join(max(0.0, deadline - time.monotonic()))
        if w.proc.exitcode is None:
            w.proc.kill()
            w.proc.join()


def run_pool(
    fn: Callable,
    tasks: Sequence,
    shared: Any,
    on_result: Callable[[int, Any], Any] | None,
    n_workers: int,
    fit_timeout: float | None,
    retries: int,
    start_method: str,
) -> list:
    """Run ``fn(shared, task)`` for every task on up to ``n_workers`` processes (see Evaluator)."""
    ctx = mp.get_context(start_method)
    if start_method == "forkserver":
        ctx.set_forkserver_preload(_FORKSERVER_PRELOAD)
    n_tasks = len(tasks)
    results: list = [None] * n_tasks
    attempts = [0] * n_tasks
    pending = deque(range(n_tasks))
    n_done = 0
    shared_blob = _dumps(shared)  # once, whatever the number of workers
    filters = _dumps(_picklable_filters())  # may name warning classes of __main__ too
    workers: list[_Worker] = []

    def finish(index: int, result: Any) -> None:
        nonlocal n_done
        results[index] = result
        n_done += 1
        if on_result is not None:
            on_result(index, result)

    def dispatch() -> None:
        idle = [w for w in workers if w.index is None]
        # Start every missing worker before sending `shared` to any: a send blocks until that
        # child has booted and read it, so this way they boot in parallel.
        new = [
            _start_worker(ctx, filters)
            for _ in range(min(len(pending) - len(idle), n_workers - len(workers)))
        ]
        for w in new:
            try:
                w.conn.send_bytes(shared_blob)
            except OSError:  # died already: its sentinel will say so
                pass
        workers.extend(new)
        idle.extend(new)
        while pending and idle:
            w = idle.pop()
            index = pending.popleft()
            try:
                blob = _dumps((fn, tasks[index]))
            except Exception as exc:
                idle.append(w)
                finish(index, _parent_side_failure(exc, attempts=0))  # never started
                continue
            attempts[index] += 1
            w.index = index
            if w.ready and fit_timeout is not None:
                w.deadline = time.monotonic() + fit_timeout
            try:
                w.conn.send((index, blob))
            except OSError:  # died while idle or booting: handled through its sentinel
                pass

    def bury(w: _Worker, killed: bool) -> None:
        workers.remove(w)
        _stop([w], kill=killed)
        index = w.index
        if index is None:
            return
        if killed:
            message = f"fit exceeded fit_timeout={fit_timeout} s"
            finish(index, TaskFailure("timeout", message, attempts=attempts[index]))
        elif attempts[index] <= retries:
            pending.appendleft(index)  # retried first, on a fresh or free worker
        else:
            message = f"worker process died (exit code {w.proc.exitcode}) while running this task"
            finish(index, TaskFailure("died", message, attempts=attempts[index]))

    try:
        while n_done < n_tasks:
            dispatch()
            if n_done == n_tasks:
                break
            timeout = None
            if fit_timeout is not None:
                deadline = min(w.deadline for w in workers)
                if deadline != float("inf"):
                    timeout = max(0.0, deadline - time.monotonic())
            ready = set(
                wait([w.conn for w in workers] + [w.proc.sentinel for w in workers], timeout)
            )
            for w in list(workers):
                if w.conn in ready:
                    try:
                        index, blob = w.conn.recv()
                    except (EOFError, OSError):  # died while writing: the sentinel will follow
                        bury(w, killed=False)
                        continue
                    if index is None:  # booted: the fit clock starts now
                        w.ready = True
                        if w.index is not None and fit_timeout is not None:
                            w.deadline = time.monotonic() + fit_timeout
                        continue
                    w.index, w.deadline = None, float("inf")
                    try:
                        result = outcome_to_result(pickle.loads(blob), attempts[index])
                    except Exception as exc:  # a result that cannot be unpickled here
                        result = _parent_side_failure(exc, attempts[index])
                    finish(index, result)
                elif w.proc.sentinel in ready:
                    bury(w, killed=False)
                elif w.deadline <= time.monotonic():
                    bury(w, killed=True)
    except BaseException:
        _stop(workers, kill=True)  # Ctrl-C, or on_result raised: nothing may outlive us
        raise
    _stop(workers, kill=False)
    return results
