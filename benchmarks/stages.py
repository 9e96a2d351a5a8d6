"""Where the (100,) epoch's time goes, stage by stage: ``python -m benchmarks.stages``.

The stages of ``_kernels.sgd_epoch`` for one relu hidden layer and a logistic output run in one
jitted function, on the estimator's buffers, calling the kernels' own pass functions; the CPU's
time-stamp counter (``llvm.readcyclecounter``) is read between stages, so the figures hold no
Python or dispatch cost. Each stage is timed twice: replaying one row order every epoch, and on
rows reshuffled every epoch as a fit does. A stage that costs more on shuffled rows pays for
mispredicted branches (a replayed order lets the branch predictor learn the data): this is how
the relu-derivative and loss fixes described in the README were found.
"""

from __future__ import annotations

import time

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

from minimlp.neural_network import _kernels as K

from ._common import ALPHA, LEARNING_RATE, MOMENTUM, NESTEROV, KernelProblem, seed_data

STAGES = ("gather rows", "X W0", "bias + relu", "A1 W1", "bias + logistic", "loss",
          "output delta, bias sum", "gradient A1ᵀ d", "thin delta", "bias sums of D1",
          "gradient Xᵀ D1", "SGD steps")


@intrinsic
def _ticks(typingctx):
    """The CPU's time-stamp counter (constant rate on x86)."""
    def codegen(context, builder, signature, args):
        counter = builder.module.declare_intrinsic(
            "llvm.readcyclecounter", fnty=ir.FunctionType(ir.IntType(64), []))
        return builder.call(counter, [])
    return types.uint64(), codegen


@njit
def _staged_epoch(X, Y, order, batch_size, Ws, bs, vWs, vbs, As, Ds, gWs, gbs, Yb, ticks):
    """``sgd_epoch`` for a (u,) relu net with a logistic output, ticks added to ``ticks``."""
    n, out = order.shape[0], ticks.shape[0]
    marks = np.empty(out + 1, np.uint64)
    for start in range(0, n, batch_size):
        m = min(batch_size, n - start)
        marks[0] = _ticks()
        K._gather(X, Y, order[start:start + m], As[0], Yb)
        marks[1] = _ticks()
        np.dot(As[0][:m], Ws[0], As[1][:m])
        marks[2] = _ticks()
        K._bias_activate(As[1][:m], bs[0], K.RELU)
        marks[3] = _ticks()
        np.dot(As[1][:m], Ws[1], As[2][:m])
        marks[4] = _ticks()
        K._bias_activate(As[2][:m], bs[1], K.LOGISTIC)
        marks[5] = _ticks()
        K.batch_loss(As[2][:m], Yb[:m], K.BINARY_LOG_LOSS)
        marks[6] = _ticks()
        D, P = Ds[1][:m], As[2][:m]
        for i in range(m):
            D[i, 0] = P[i, 0] - Yb[i, 0]
        K._column_sums(D, gbs[1])
        marks[7] = _ticks()
        np.dot(As[1][:m].T, D, gWs[1])
        marks[8] = _ticks()
        K._thin_delta(D[:, 0], Ws[1].ravel(), As[1][:m], Ds[0][:m], K.RELU)
        marks[9] = _ticks()
        K._column_sums(Ds[0][:m], gbs[0])
        marks[10] = _ticks()
        np.dot(As[0][:m].T, Ds[0][:m], gWs[0])
        marks[11] = _ticks()
        for l in range(2):
            K._finish_sgd_step(Ws[l], vWs[l], gWs[l], ALPHA, m, LEARNING_RATE, MOMENTUM,
                               NESTEROV)
            K._finish_sgd_step(bs[l], vbs[l], gbs[l], 0.0, m, LEARNING_RATE, MOMENTUM,
                               NESTEROV)
        marks[12] = _ticks()
        for s in range(out):
            ticks[s] += marks[s + 1] - marks[s]


@njit
def _now():
    return _ticks()


def _ticks_per_second() -> float:
    start, wall = _now(), time.perf_counter()
    time.sleep(0.2)
    return (_now() - start) / (time.perf_counter() - wall)


def measure(dtype=np.float64, rounds: int = 40, epochs: int = 50) -> dict[str, np.ndarray]:
    """µs per epoch of each stage, {"replayed": ..., "shuffled": ...}, medians of rounds."""
    X, y, train = seed_data(dtype)
    problem = KernelProblem(X[train], y[train], (100,))
    state = problem.state
    ticks = np.zeros(len(STAGES), np.uint64)
    _staged_epoch(problem.X, problem.Y, problem.orders[0], problem.batch_size, *state, ticks)
    per_round = {"replayed": [], "shuffled": []}
    for _ in range(rounds):
        for kind, rows in per_round.items():
            ticks[:] = 0
            for e in range(epochs):
                order = problem.orders[e % len(problem.orders) if kind == "shuffled" else 0]
                _staged_epoch(problem.X, problem.Y, order, problem.batch_size, *state, ticks)
            rows.append(ticks / epochs)
    _now()  # compiled before the clock is read
    scale = 1e6 / _ticks_per_second()
    return {kind: np.median(rows, axis=0) * scale for kind, rows in per_round.items()}


def main() -> None:
    for dtype in (np.float64, np.float32):
        result = measure(dtype)
        print(f"\n(100,) epoch, {np.dtype(dtype).name}: µs per epoch (800 rows, batch 200)")
        print(f"{'stage':26s} {'replayed':>9s} {'shuffled':>9s}")
        for name, a, b in zip(STAGES, result["replayed"], result["shuffled"]):
            print(f"{name:26s} {a:9.2f} {b:9.2f}")
        print(f"{'total':26s} {result['replayed'].sum():9.2f} {result['shuffled'].sum():9.2f}")


if __name__ == "__main__":
    main()
