"""Time per epoch as the rows and the widths grow, and a wide problem, against scikit-learn.

One BLAS thread. Each point validates one kernel epoch against the NumPy reference, then times
the kernel, minimlp's fit and scikit-learn's fit (max_iter=N, divided by N) in interleaved
rounds.
"""

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

from minimlp import MLPClassifier
from minimlp.datasets import make_classification

from ._common import TINY, KernelProblem, epochs_for, estimator_fit, median_interleaved, target

ROWS = [100, 300] if TINY else [1_000, 10_000, 100_000]
WIDTHS = [8, 16] if TINY else [32, 64, 128, 256, 512, 1024]
# 60,000 × 784 and (256, 128): an MNIST-sized problem.
WIDE = (600, 78, (25, 12)) if TINY else (60_000, 784, (256, 128))
WIDE_ROUNDS = 1 if TINY else 3


def _per_epoch(benchmark, peak, X, y, hidden, rounds=None):
    """Kernel, minimlp fit and scikit-learn fit per epoch; GFLOP/s and % of peak."""
    problem = KernelProblem(X, y, hidden)
    problem.validate()
    epochs = epochs_for(problem.flops_per_epoch)
    contenders = {"kernel": problem.timed_kernel(epochs)}
    for lib, cls in (("numba", MLPClassifier), ("sklearn", SkMLPClassifier)):
        contenders[lib] = estimator_fit(cls, X, y, hidden, epochs)
    kw = {} if rounds is None else {"rounds": rounds}
    t = {k: v / epochs for k, v in median_interleaved(benchmark, contenders, **kw).items()}
    gflops = problem.flops_per_epoch / t["kernel"] / 1e9
    return {"sklearn (ms)": 1e3 * t["sklearn"], "minimlp fit (ms)": 1e3 * t["numba"],
            "kernel (ms)": 1e3 * t["kernel"], "speed-up fit": t["sklearn"] / t["numba"],
            "GFLOP/s": gflops, "% of peak": 100 * gflops / peak[X.dtype]}


@pytest.mark.parametrize("n_rows", ROWS)
def test_rows(benchmark, record, peak, one_thread, n_rows):
    X, y = make_classification(n_samples=n_rows, n_features=20, random_state=0)
    record("Scaling", {"rows × features": f"{n_rows} × 20", "hidden": "(100,)",
                       **_per_epoch(benchmark, peak, X, y, (100,))})


@pytest.mark.parametrize("width", WIDTHS)
def test_width(benchmark, record, peak, one_thread, width):
    X, y = make_classification(n_samples=800, n_features=20, random_state=0)
    record("Scaling", {"rows × features": "800 × 20", "hidden": str((width, width)),
                       **_per_epoch(benchmark, peak, X, y, (width, width))})


def test_wide(benchmark, record, peak, one_thread):
    n_rows, n_features, hidden = WIDE
    rng = np.random.RandomState(0)
    # Timing needs the shapes, not a learnable signal: Gaussian features, 10 random labels.
    X, y = rng.normal(size=(n_rows, n_features)), rng.randint(10, size=n_rows)
    row = _per_epoch(benchmark, peak, X, y, hidden, rounds=WIDE_ROUNDS)
    record("Wide problem", {"rows × features": f"{n_rows} × {n_features}", "hidden": str(hidden),
                            **row})
    target(record, "wide problem: speed-up over scikit-learn (fit)", row["speed-up fit"], 1.0)
    target(record, "wide problem: kernel % of matmul peak", row["% of peak"], 70.0, unit=" %")
