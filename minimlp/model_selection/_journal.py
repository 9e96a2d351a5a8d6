"""A resumable search journal: one JSON line per finished (candidate, fold) task.

Each line is ``{"key": <sha256>, ...record}``. The key hashes everything that determines the
task's result (estimator class and parameters, candidate, fold indices, data, scoring names,
``return_train_score``), so a re-run of the same search finds its finished tasks and runs only the
rest, while entries from any other search simply match nothing. Lines are flushed and fsync'd one
by one, so a crash loses at most the line being written; such a torn last line is dropped when
the journal is next opened.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import warnings
from typing import Any

import numpy as np


def _stable(obj: Any) -> Any:
    """A JSON-able, repr-stable form of a parameter value (tuples stay distinct from lists)."""
    if obj is None or isinstance(obj, (bool, str, int)):
        return obj
    if isinstance(obj, float):
        return ["float", repr(obj)]  # repr round-trips exactly and keeps nan / inf
    if isinstance(obj, np.generic):
        return ["np", type(obj).__name__, _stable(obj.item())]
    if isinstance(obj, (list, tuple)):
        return [type(obj).__name__, [_stable(v) for v in obj]]
    if isinstance(obj, dict):
        items = sorted(obj.items(), key=lambda kv: str(kv[0]))
        return ["dict", [[str(k), _stable(v)] for k, v in items]]
    if isinstance(obj, np.ndarray):
        return ["ndarray", fingerprint(obj)]
    if isinstance(obj, np.random.RandomState):
        return ["RandomState", hashlib.sha256(pickle.dumps(obj.get_state())).hexdigest()]
    if hasattr(obj, "get_params") and not isinstance(obj, type):
        return ["estimator", _qualname(type(obj)), _stable(obj.get_params(deep=False))]
    if isinstance(obj, type) or callable(obj):
        return ["callable", _qualname(obj)]
    return ["repr", repr(obj)]


def _qualname(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"


def _digest(*parts: Any) -> str:
    text = json.dumps([_stable(p) for p in parts], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(a: Any) -> str:
    """sha256 of an array's bytes, shape and dtype (``None`` for ``a is None``)."""
    if a is None:
        return "none"
    a = np.asarray(a)
    h = hashlib.sha256(f"{a.shape}|{a.dtype.str}|".encode())
    # Object arrays hold pointers, so hash their pickled values instead of the raw buffer.
    h.update(pickle.dumps(a.tolist()) if a.dtype.hasobject else np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def search_digest(estimator: Any, X: Any, y: Any, scorer_names: list[str],
                  return_train_score: bool, **extra: Any) -> str:
    """The part of every task key shared by all tasks of one search.

    ``extra`` lets a subclass (e.g. a halving search) add what else determines its results.
    """
    return _digest(_qualname(type(estimator)), estimator.get_params(deep=False), fingerprint(X),
                   fingerprint(y), list(scorer_names), bool(return_train_score), extra)


def split_digest(train: np.ndarray, test: np.ndarray) -> str:
    """Digest of one fold's train and test indices."""
    return _digest(fingerprint(np.asarray(train, dtype=np.int64)),
                   fingerprint(np.asarray(test, dtype=np.int64)))


def task_key(search: str, params: dict[str, Any], split: str) -> str:
    """The journal key of one (candidate, fold) task."""
    return _digest(search, params, split)


class Journal:
    """An append-only JSON-lines record of finished tasks, locked against concurrent writers.

    Use as a context manager: entering takes an exclusive, non-blocking ``flock`` on the sidecar
    file ``<path>.lock`` (a second search on the same journal gets a ``RuntimeError``), reads
    the finished entries and drops a torn last line; leaving warns once about entries that matched
    no task, then releases the lock.

    Parameters
    ----------
    path : str or os.PathLike
        The journal file; created if missing.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        self._lock_fd: int | None = None
        self._entries: dict[str, dict] = {}
        self._used: set[str] = set()
        self._n_bad = 0
        self._file = None

    def __enter__(self) -> Journal:
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RuntimeError(
                f"The search journal {self.path!r} is in use by another running search (its lock "
                f"file {self.path + '.lock'!r} is held). Wait for it, or use another journal."
            ) from None
        self._lock_fd = fd
        try:
            self._read()
            self._file = open(self.path, "a", encoding="utf-8")
        except BaseException:
            self._release()
            raise
        return self

    def _read(self) -> None:
        if not os.path.exists(self.path):
            return
        with open(self.path, "rb") as f:
            data = f.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            # A crash mid-write left a torn last line: cut it, so the next append starts clean.
            os.truncate(self.path, end)
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
                self._entries[entry.pop("key")] = entry
            except (ValueError, KeyError, AttributeError):
                self._n_bad += 1

    def load(self, keys: list[str]) -> dict[str, dict]:
        """The finished records among ``keys`` (key -> record)."""
        found = {k: self._entries[k] for k in keys if k in self._entries}
        self._used.update(found)
        return found

    def append(self, key: str, record: dict) -> None:
        """Write one finished task and make it durable (flush + fsync) before returning."""
        self._file.write(json.dumps({"key": key, **record}) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self._entries[key] = record
        self._used.add(key)

    def __exit__(self, exc_type, *exc) -> None:
        try:
            n_ignored = len(self._entries.keys() - self._used) + self._n_bad
            if exc_type is None and n_ignored:
                warnings.warn(
                    f"Ignored {n_ignored} entries of the search journal {self.path!r} that match "
                    "no task of this search (different data, estimator, grid, folds or scoring).",
                    UserWarning, stacklevel=3,
                )
        finally:
            self._release()

    def _release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None
