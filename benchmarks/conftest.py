"""pytest wiring of the benchmarks: collect bench_*.py, shared fixtures, the markdown report.

Only loaded when pytest is given this directory (the default testpaths is tests/), so a plain
``python -m pytest`` never runs a benchmark.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np
import pytest

# Loaded now so that threadpool_limits (which only sees libraries already loaded) covers
# SciPy's OpenBLAS, the one numba's np.dot calls.
import scipy.linalg  # noqa: F401
from numba import njit
from threadpoolctl import threadpool_limits

from . import _report
from ._common import TINY

_ROWS: list[dict] = []


def pytest_addoption(parser):
    parser.addoption("--bench-report", default=None, metavar="PATH",
                     help="write the benchmarks' markdown tables there")


def pytest_collect_file(file_path, parent):
    # A file named on the command line is collected by pytest itself, whatever its name.
    if (file_path.suffix == ".py" and file_path.name.startswith("bench_")
            and not parent.session.isinitpath(file_path)):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_sessionfinish(session):
    path = session.config.getoption("--bench-report")
    if path and _ROWS:
        Path(path).write_text(_report.render(_ROWS))


@pytest.fixture
def record(request):
    """``record(section, row)``: a row of the report (also the test's benchmark extra_info)."""
    benchmark = request.getfixturevalue("benchmark") if "benchmark" in request.fixturenames \
        else None

    def add(section: str, row: dict) -> None:
        _ROWS.append({"section": section, **row})
        if benchmark is not None:
            benchmark.extra_info.setdefault("rows", []).append(row)

    return add


@pytest.fixture
def one_thread():
    """One BLAS thread (numpy's and SciPy's OpenBLAS) for the duration of the test."""
    with threadpool_limits(1):
        yield


@njit(cache=True)
def _matmul_loop(A, B, C, reps):
    for _ in range(reps):
        np.dot(A, B, C)


def _gflops(shape, dtype, jitted: bool) -> float:
    m, k, n = shape
    rng = np.random.RandomState(0)
    A, B = rng.rand(m, k).astype(dtype), rng.rand(k, n).astype(dtype)
    C = np.empty((m, n), dtype)
    reps = 1 if TINY else max(1, int(2e8 / (2 * m * k * n)))
    if jitted:
        def run():
            _matmul_loop(A, B, C, reps)
    else:
        def run():
            for _ in range(reps):
                np.matmul(A, B, out=C)
    run()
    samples = []
    for _ in range(1 if TINY else 9):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return 2.0 * m * k * n * reps / statistics.median(samples) / 1e9


# Square shapes, the seed MLP's own products (forward, weight gradient, first layer) and the
# wide problem's first layer (a batch of 200 rows × 784 features into 256 units).
PEAK_SHAPES = [(512, 512, 512), (1024, 1024, 1024), (200, 100, 100), (100, 200, 100),
               (200, 20, 100), (200, 784, 256)]


@pytest.fixture(scope="session")
def peak(request):
    """This machine's single-thread matmul peak in GFLOP/s, per dtype, measured in this run.

    The median of repeated products through numpy and through numba's np.dot (SciPy's BLAS,
    the kernels' path), for a square shape and the MLP's shapes; the peak is the best of them.
    """
    best = {np.float64: 0.0, np.float32: 0.0}
    with threadpool_limits(1):
        for shape in PEAK_SHAPES:
            row = {"shape": f"{shape[0]}×{shape[1]} @ {shape[1]}×{shape[2]}"}
            for dtype, name in ((np.float64, "f64"), (np.float32, "f32")):
                for jitted, lib in ((False, "numpy"), (True, "numba")):
                    value = _gflops(shape, dtype, jitted)
                    row[f"{name} {lib}"] = value
                    best[dtype] = max(best[dtype], value)
            _ROWS.append({"section": "Matmul peak", **row})
    return {np.dtype(k): v for k, v in best.items()}
