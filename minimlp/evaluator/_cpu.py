"""How many cores this process may use, and how many workers an ``n_jobs`` asks for."""

from __future__ import annotations

import math
import numbers
import os

# Module-level so tests can point them at fake files.
_CGROUP_V2_CPU_MAX = "/sys/fs/cgroup/cpu.max"
_CGROUP_V1_QUOTA = "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"
_CGROUP_V1_PERIOD = "/sys/fs/cgroup/cpu/cpu.cfs_period_us"


def _read(path: str) -> str | None:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _cgroup_cpu_limit() -> int | None:
    """Cores allowed by a CFS quota (cgroup v2, else v1), rounded up; None when unlimited."""
    quota = period = None
    v2 = _read(_CGROUP_V2_CPU_MAX)
    if v2 is not None:
        fields = v2.split()
        if len(fields) == 2 and fields[0] != "max":
            quota, period = fields
    else:
        quota, period = _read(_CGROUP_V1_QUOTA), _read(_CGROUP_V1_PERIOD)
    try:
        quota_f, period_f = float(quota), float(period)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if quota_f <= 0 or period_f <= 0:  # v1 writes -1 for "no quota"
        return None
    return max(1, math.ceil(quota_f / period_f))


def cpu_count() -> int:
    """Cores this process may use: the CPU affinity mask, capped by a cgroup quota, at least 1."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        n = os.cpu_count() or 1
    limit = _cgroup_cpu_limit()
    if limit is not None:
        n = min(n, limit)
    return max(1, n)


def _check_n_jobs(n_jobs: object) -> None:
    if n_jobs is None:
        return
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
        raise ValueError(
            f"n_jobs must be None or a non-zero integer (-1 means every core), got {n_jobs!r}."
        )


def effective_n_jobs(n_jobs: int | None = -1) -> int:
    """Number of workers that ``n_jobs`` stands for.

    Parameters
    ----------
    n_jobs : int or None, default=-1
        None and 1 mean one (in-process); -1 means every core this process may use (see
        :func:`cpu_count`); any other negative k means ``cores + 1 + k``, at least 1; k > 0
        means k.

    Returns
    -------
    n : int
        The number of workers, at least 1.

    Raises
    ------
    ValueError
        If n_jobs is 0 or not an integer.
    """
    _check_n_jobs(n_jobs)
    if n_jobs is None:
        return 1
    n_jobs = int(n_jobs)
    if n_jobs < 0:
        return max(1, cpu_count() + 1 + n_jobs)
    return n_jobs
