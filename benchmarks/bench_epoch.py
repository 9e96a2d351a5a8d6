"""Per-epoch training time on the seed model's data, minimlp against scikit-learn.

800 rows × 20 features (one training fold of the seed workflow), batch 200, relu, one logistic
output; float64 and float32; one BLAS thread. Four contenders in interleaved rounds: the jitted
``sgd_epoch`` on preallocated buffers (rows reshuffled every epoch), minimlp's estimator (numba
and numpy backends) and scikit-learn's, the estimators as ``fit(max_iter=N) / N``.
"""

import numpy as np
import pytest
from numba import njit
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

from minimlp import MLPClassifier
from minimlp.neural_network import _kernels as K

from . import stages
from ._common import (
    TINY,
    KernelProblem,
    epochs_for,
    estimator_fit,
    median_interleaved,
    seed_data,
    target,
)

NETS = [(100,), (100, 100), (100, 100, 100)]
# The issue's targets: (speed-up over scikit-learn, fraction of the matmul peak).
TARGETS = {("f64", 1): (7.0, 0.5), ("f64", 3): (3.3, 0.7),
           ("f32", 1): (10.0, 0.5), ("f32", 3): (4.5, 0.7), ("f64", 2): (None, 0.7),
           ("f32", 2): (None, 0.7)}


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("hidden", NETS, ids=lambda h: "x".join(map(str, h)))
def test_epoch(benchmark, record, peak, one_thread, hidden, dtype):
    X, y, train = seed_data(dtype)
    X, y = X[train], y[train]
    problem = KernelProblem(X, y, hidden)
    first_call = problem.validate()
    epochs = epochs_for(problem.flops_per_epoch)
    fits = {lib: estimator_fit(cls, X, y, hidden, epochs, **kw) for lib, cls, kw in (
        ("numba", MLPClassifier, {}), ("numpy", MLPClassifier, {"backend": "numpy"}),
        ("sklearn", SkMLPClassifier, {}))}
    t = median_interleaved(benchmark, {"kernel": problem.timed_kernel(epochs), **fits})
    t = {k: v / epochs for k, v in t.items()}

    # A score beside the time: the same seeds give the same training (rtol 1e-9 in f64).
    ours, theirs = fits["numba"](), fits["sklearn"]()
    assert ours.n_iter_ == theirs.n_iter_ == epochs  # both trained every epoch timed
    loss_gap = float(np.max(np.abs(np.subtract(ours.loss_curve_, theirs.loss_curve_))))

    name = "f64" if dtype == np.float64 else "f32"
    gflops = problem.flops_per_epoch / t["kernel"] / 1e9
    fraction = gflops / peak[np.dtype(dtype)]
    record("Per epoch", {
        "net": str(hidden), "dtype": name, "sklearn (ms)": 1e3 * t["sklearn"],
        "numpy backend (ms)": 1e3 * t["numpy"], "minimlp fit (ms)": 1e3 * t["numba"],
        "kernel (ms)": 1e3 * t["kernel"], "floor (ms)": 1e3 * problem.flops_per_epoch
        / peak[np.dtype(dtype)] / 1e9, "speed-up fit": t["sklearn"] / t["numba"],
        "speed-up kernel": t["sklearn"] / t["kernel"],
        "speed-up at the floor": t["sklearn"] / problem.flops_per_epoch
        * peak[np.dtype(dtype)] * 1e9, "GFLOP/s": gflops,
        "% of peak": 100 * fraction,
        "% of peak (6·W·n)": 100 * problem.issue_flops_per_epoch / t["kernel"] / 1e9
        / peak[np.dtype(dtype)],
        "first call (s)": first_call, "Δloss": loss_gap})
    speedup, efficiency = TARGETS[name, len(hidden)]
    if speedup:
        target(record, f"epoch {hidden} {name}: speed-up over scikit-learn (fit)",
               t["sklearn"] / t["numba"], speedup)
    target(record, f"epoch {hidden} {name}: kernel % of matmul peak", 100 * fraction,
           100 * efficiency, unit=" %")


@njit(cache=True)
def _products_only(Xb, W1, W2, A1, Z2, D1, D2, gW1, gW2, batches):
    """The (100,) epoch's four matrix products per batch, nothing else."""
    for _ in range(batches):
        np.dot(Xb, W1, A1)
        np.dot(A1, W2, Z2)
        np.dot(A1.T, D2, gW2)
        np.dot(Xb.T, D1, gW1)


@njit(cache=True)
def _one_pass(A, B, batches):
    """One read-and-write pass over a batch's hidden activations (a copy), per batch."""
    for _ in range(batches):
        m, u = A.shape
        for i in range(m):
            for j in range(u):
                B[i, j] = A[i, j]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
def test_epoch_breakdown(benchmark, record, one_thread, dtype):
    """Where the (100,) epoch goes: products, elementwise passes, per-fit fixed cost."""
    X, y, train = seed_data(dtype)
    X, y = X[train], y[train]
    problem = KernelProblem(X, y, (100,))
    problem.validate()
    Ws, m = problem.state[0], problem.batch_size
    batches = -(-X.shape[0] // m)
    Xb = np.ascontiguousarray(X[:m])
    A1, D1 = np.empty((m, 100), dtype), np.empty((m, 100), dtype)
    Z2, D2 = np.empty((m, 1), dtype), np.empty((m, 1), dtype)
    gW1, gW2 = np.empty_like(Ws[0]), np.empty_like(Ws[1])
    short, long = (1, 2) if TINY else (1, 21)
    fits = {f"{lib} {n}": estimator_fit(cls, X, y, (100,), n)
            for lib, cls in (("minimlp", MLPClassifier), ("sklearn", SkMLPClassifier))
            for n in (short, long)}
    epochs = epochs_for(problem.flops_per_epoch)
    t = median_interleaved(benchmark, {
        "kernel": problem.timed_kernel(epochs),
        "products": lambda: _products_only(Xb, *Ws, A1, Z2, D1, D2, gW1, gW2, epochs * batches),
        "pass": lambda: _one_pass(A1, D1, epochs * batches), **fits})
    for name in ("kernel", "products", "pass"):
        t[name] /= epochs
    elementwise = t["kernel"] - t["products"]
    row = {"dtype": "f64" if dtype == np.float64 else "f32",
           "kernel (ms)": 1e3 * t["kernel"], "products alone (ms)": 1e3 * t["products"],
           "elementwise (ms)": 1e3 * elementwise,
           "one pass over the activations (ms)": 1e3 * t["pass"],
           "elementwise / pass": elementwise / t["pass"]}
    for lib in ("minimlp", "sklearn"):
        epoch = (t[f"{lib} {long}"] - t[f"{lib} {short}"]) / (long - short)
        row[f"{lib} fit: per epoch (ms)"] = 1e3 * epoch
        row[f"{lib} fit: fixed per fit (ms)"] = 1e3 * (t[f"{lib} {short}"] - short * epoch)
    row["speed-up per epoch, fixed costs apart"] = (row["sklearn fit: per epoch (ms)"]
                                                    / row["minimlp fit: per epoch (ms)"])
    record("Epoch breakdown (100,)", row)


def test_epoch_stages(record, one_thread):
    """The stage timer runs sgd_epoch's epoch (same weights after it), then its table."""
    X, y, train = seed_data()
    timed, kernel = (KernelProblem(X[train], y[train], (100,)) for _ in range(2))
    stages._staged_epoch(timed.X, timed.Y, timed.orders[1], timed.batch_size, *timed.state,
                         np.zeros(len(stages.STAGES), np.uint64))
    kernel.epoch(K, kernel.state, kernel.orders[1])
    for got, want in zip(timed.state[:4], kernel.state[:4]):  # weights, biases, velocities
        for a, b in zip(got, want):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    rounds, epochs = (1, 1) if TINY else (40, 50)
    results = {name: stages.measure(dtype, rounds, epochs)
               for name, dtype in (("f64", np.float64), ("f32", np.float32))}
    for i, stage in enumerate(stages.STAGES + ("total",)):
        row = {"stage": stage}
        for name, result in results.items():
            for kind, values in result.items():
                row[f"{name} {kind} (µs)"] = float(values.sum() if stage == "total" else values[i])
        record("Epoch stages (100,)", row)
