"""The markdown report: the machine, then one table per section of recorded rows."""

from __future__ import annotations

import datetime
import os
import platform
from importlib.metadata import PackageNotFoundError, version

from ._common import FULL, TINY

SECTIONS = {  # order of the report, and what each table is
    "Matmul peak": "Single-thread matmul, median GFLOP/s (numpy's BLAS; numba's np.dot = "
                   "SciPy's BLAS, the kernels' path). The peak is the best cell per dtype.",
    "Per epoch": "One SGD epoch on the seed model's data (800 × 20, batch 200, relu, one "
                 "logistic output), one BLAS thread, medians of interleaved rounds. Estimator "
                 "figures are fit(max_iter=N) / N; the kernel is `sgd_epoch` on preallocated "
                 "buffers, the rows in a new order every epoch as in a fit. Speed-ups are "
                 "scikit-learn's time over minimlp's. FLOPs = 2 × weights × rows for each "
                 "product done (forward, weight gradient, and delta but the first layer's); "
                 "floor = FLOPs / peak, so the speed-up at the floor is the most any kernel "
                 "could reach. '% of peak (6·W·n)' uses the issue's count, 6 × weights × "
                 "rows, which includes the first layer's delta product that no "
                 "implementation computes. Δloss = max |loss_curve_ difference| against "
                 "scikit-learn.",
    "Epoch breakdown (100,)": "The (100,) epoch of the table above taken apart, one BLAS "
                              "thread, medians of interleaved rounds: the kernel; its four matrix "
                              "products alone on the same shapes; the rest (elementwise: bias "
                              "and activation, output unit, loss, deltas, bias sums, updates); "
                              "one copy of a batch's 200 × 100 activations per batch, the cost "
                              "of one elementwise pass; and the estimators' fits of 1 and 21 "
                              "epochs, giving each library's cost per epoch with its fixed cost "
                              "per fit (validation, initialisation, seeding) apart.",
    "Epoch stages (100,)": "The same epoch stage by stage (`python -m benchmarks.stages`): "
                           "the kernels' own pass functions in one jitted epoch, the CPU's "
                           "time-stamp counter read between stages, µs per epoch, medians of "
                           "rounds; replaying one row order against rows reshuffled every "
                           "epoch as in a fit. A stage dearer on shuffled rows pays for "
                           "mispredicted branches (a replayed order lets the predictor learn "
                           "the data).",
    "Scaling": "Time per epoch (one BLAS thread) as rows and widths grow; kernel and "
               "scikit-learn's fit / N.",
    "Wide problem": "60,000 × 784, hidden (256, 128), 10 classes, one BLAS thread.",
    "Seed workflow": "GridSearchCV end to end, n_jobs=-1, cv=5, both libraries in this run.",
    "Parallel": "minimlp's search (float64) with n_jobs=1 (in-process, with one BLAS thread "
                "and with OpenBLAS's default threads) against n_jobs=2; start-up = a "
                "one-fit search with n_jobs=2: the first in a process also starts the fork "
                "server; later ones pay worker start and kernel loading only.",
    "Compile": "Fresh processes; NUMBA_CACHE_DIR points at a temporary directory.",
    "Targets": "The issue's targets beside this run's measurements (never asserted).",
}


def _cell(value) -> str:
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:.0f}"
        return f"{value:.3g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.1e}"
    return str(value)


def _table(rows: list[dict]) -> list[str]:
    columns = list(dict.fromkeys(k for row in rows for k in row if k != "section"))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return lines


def machine() -> str:
    """CPU model, cores, SIMD, library versions, BLAS and date, as one paragraph."""
    model, flags = platform.processor() or "unknown CPU", ""
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
        model = info.split("model name")[1].split(":", 1)[1].splitlines()[0].strip()
        flags = info.split("\nflags")[1].splitlines()[0]
    except (OSError, IndexError):
        pass
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    versions = []
    for name in ("numpy", "numba", "scipy", "scikit-learn", "minimlp"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    from threadpoolctl import threadpool_info

    blas = sorted({f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})"
                   for i in threadpool_info() if i["user_api"] == "blas"})
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mode = "tiny (CI)" if TINY else "full" if FULL else "default"
    return (f"Measured {datetime.date.today()} on {model}, {cores} cores, {simd}, "
            f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB; "
            f"Python {platform.python_version()}, {', '.join(versions)}; BLAS: "
            f"{', '.join(blas)}. Mode: {mode}.")


def render(rows: list[dict]) -> str:
    """The whole report as markdown."""
    out = ["# minimlp benchmarks", "", machine(), ""]
    names = list(SECTIONS) + sorted({r["section"] for r in rows} - set(SECTIONS))
    for name in names:
        section = [r for r in rows if r["section"] == name]
        if section:
            out += [f"## {name}", "", SECTIONS.get(name, ""), "", *_table(section), ""]
    return "\n".join(out)
