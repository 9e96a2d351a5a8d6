"""Shared pieces of the benchmarks: sizes per mode, interleaved timing, kernel problems.

Modes (environment variables, set by ``python -m benchmarks.run``):
MINIMLP_BENCH_TINY=1 runs every benchmark once on tiny data (CI: it proves the suite runs);
MINIMLP_BENCH_FULL=1 adds the unreduced seed workflow (minutes per library).
"""

from __future__ import annotations

import itertools
import os
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
from numpy.testing import assert_allclose

from minimlp.datasets import make_classification
from minimlp.model_selection import StratifiedKFold
from minimlp.neural_network import _kernels as K
from minimlp.neural_network import _reference as R

TINY = os.environ.get("MINIMLP_BENCH_TINY") == "1"
FULL = os.environ.get("MINIMLP_BENCH_FULL") == "1"
ROUNDS = 1 if TINY else 15
WARMUP = 0 if TINY else 1
# SGD settings of the timed kernels: the seed model's (momentum 0.9, Nesterov, alpha 1e-4) with
# a small step so hundreds of timing epochs leave the weights finite.
ALPHA, LEARNING_RATE, MOMENTUM, NESTEROV = 1e-4, 1e-3, 0.9, True
TOLERANCE = {np.dtype(np.float64): dict(rtol=1e-9, atol=1e-12),
             np.dtype(np.float32): dict(rtol=1e-4, atol=1e-5)}


def seed_data(dtype=np.float64, n_samples: int = 1000):
    """The seed workflow's data (``make_classification``, seed 42) and its first CV fold.

    Returns
    -------
    X : ndarray of shape (n_samples, 20)
    y : ndarray of shape (n_samples,)
    train : ndarray of shape (0.8 n_samples,)
        Rows of the first training fold of ``cv=5``: what each fit of the search sees.
    """
    X, y = make_classification(n_samples=n_samples, n_features=20, n_informative=2,
                               n_redundant=10, random_state=42, shuffle=False)
    train, _ = next(StratifiedKFold(5).split(X, y))
    return X.astype(dtype), y, train


def median_interleaved(benchmark, contenders: dict[str, Callable[[], object]],
                       rounds: int = ROUNDS, warmup: int = WARMUP) -> dict[str, float]:
    """Median seconds per call of each contender, timed in alternating rounds.

    pytest-benchmark times the first contender (its statistics go to the JSON); the others run
    in its untimed ``setup``, so every round runs each contender once and drift hits them all.
    """
    times: dict[str, list[float]] = {name: [] for name in contenders}

    def timed(name):
        start = time.perf_counter()
        contenders[name]()
        times[name].append(time.perf_counter() - start)

    def peers():
        for name in list(contenders)[1:]:
            timed(name)

    for _ in range(warmup):
        for fn in contenders.values():
            fn()
    benchmark.pedantic(timed, args=(next(iter(contenders)),), setup=peers, rounds=rounds)
    return {name: statistics.median(t) for name, t in times.items()}


def target(record, what: str, value: float, goal: float, unit: str = "×",
           at_most: bool = False) -> None:
    """Record a target of the issue beside its measurement (never asserted: no test on time)."""
    met = value <= goal if at_most else value >= goal
    record("Targets", {"target": what, "measured": f"{value:.2f}{unit}",
                       "goal": f"{'≤' if at_most else '≥'} {goal:g}{unit}",
                       "met": "yes" if met else "no"})


def seconds(fn: Callable[[], object]) -> float:
    """Wall time of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def quiet(fn: Callable) -> Callable:
    """``fn`` with convergence warnings (expected: fits stop at max_iter) silenced.

    Filtered by message, not by class: worker processes receive the parent's warning filters,
    and a filter naming scikit-learn's class would make minimlp's workers import scikit-learn.
    """

    def call(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Stochastic Optimizer: Maximum iterations")
            return fn(*args, **kwargs)

    return call


def epochs_for(flops_per_epoch: float) -> int:
    """Epochs per timed call: about 0.5 GFLOP, between 1 and 20."""
    return 1 if TINY else max(1, min(20, int(5e8 // flops_per_epoch)))


class KernelProblem:
    """A network, its data and caller-allocated buffers, laid out as the estimator lays them.

    Parameters
    ----------
    X : ndarray of shape (n, n_features)
    y : ndarray of shape (n,) of ints in [0, n_classes)
    hidden : tuple of int
    batch_size : int
    """

    def __init__(self, X, y, hidden, batch_size=200, seed=0):
        rng = np.random.RandomState(seed)
        dtype = X.dtype
        n_classes = int(y.max()) + 1
        if n_classes == 2:
            self.Y = y[:, None].astype(dtype)
            self.out, self.loss = R.LOGISTIC, R.BINARY_LOG_LOSS
        else:
            self.Y = np.eye(n_classes, dtype=dtype)[y]
            self.out, self.loss = R.SOFTMAX, R.LOG_LOSS
        units = [X.shape[1], *hidden, self.Y.shape[1]]
        self.X, self.batch_size = np.ascontiguousarray(X), min(batch_size, X.shape[0])
        # A new row order every epoch, as a fit shuffles: replaying one order lets the branch
        # predictor learn the data (it hid a mispredicted relu mask, ~8 % of the (100,) epoch).
        self.orders = [rng.permutation(X.shape[0]) for _ in range(8)]
        bounds = [np.sqrt(6.0 / (a + b)) for a, b in zip(units[:-1], units[1:])]
        Ws = tuple(rng.uniform(-c, c, (a, b)).astype(dtype)
                   for c, a, b in zip(bounds, units[:-1], units[1:]))
        bs = tuple(rng.uniform(-c, c, b).astype(dtype) for c, b in zip(bounds, units[1:]))
        m = self.batch_size
        self.state = [Ws, bs, tuple(np.zeros_like(W) for W in Ws),
                      tuple(np.zeros_like(b) for b in bs),
                      tuple(np.empty((m, u), dtype) for u in units),
                      tuple(np.empty((m, u), dtype) for u in units[1:]),
                      tuple(np.empty_like(W) for W in Ws), tuple(np.empty_like(b) for b in bs),
                      np.empty((m, units[-1]), dtype)]
        # The products done, 2 FLOPs per weight and row each: forward, weight gradient and
        # delta, except the first layer's delta, which is never needed. (The issue's
        # 6 × weights × rows counts that one too and gives wide inputs over 100 % of peak.)
        self.flops_per_epoch = 2.0 * (3 * sum(W.size for W in Ws) - Ws[0].size) * X.shape[0]
        self.issue_flops_per_epoch = 6.0 * sum(W.size for W in Ws) * X.shape[0]

    def copy_state(self):
        return [tuple(a.copy() for a in s) if isinstance(s, tuple) else s.copy()
                for s in self.state]

    def epoch(self, module, state, order=None) -> float:
        """One ``sgd_epoch`` of ``module`` (kernels or reference) on ``state``, in place."""
        order = self.orders[0] if order is None else order
        return module.sgd_epoch(self.X, self.Y, order, self.batch_size, *state, R.RELU,
                                self.out, self.loss, ALPHA, LEARNING_RATE, MOMENTUM, NESTEROV)

    def validate(self) -> float:
        """Check one kernel epoch against the NumPy reference; return its wall time.

        The kernel call is this signature's first in the process, so the time includes its
        compilation (or loading from numba's cache).
        """
        ours, reference = self.copy_state(), self.copy_state()
        start = time.perf_counter()
        loss = self.epoch(K, ours)
        first_call = time.perf_counter() - start
        tol = TOLERANCE[self.X.dtype]
        assert_allclose(loss, self.epoch(R, reference), **tol)
        for got, want in zip(ours[:4], reference[:4]):  # weights, biases, velocities
            for a, b in zip(got, want):
                assert_allclose(a, b, **tol)
        return first_call

    def timed_kernel(self, epochs: int) -> Callable[[], None]:
        """``epochs`` kernel epochs on this problem's own (evolving) state, rows reshuffled."""
        state, orders = self.state, itertools.cycle(self.orders)

        def run():
            for _ in range(epochs):
                self.epoch(K, state, next(orders))

        return run


def estimator_fit(cls, X, y, hidden, epochs: int, **params) -> Callable[[], object]:
    """A fit of exactly ``epochs`` SGD epochs (no early stop), warnings silenced."""
    model = cls(hidden_layer_sizes=hidden, solver="sgd", max_iter=epochs, tol=0.0,
                n_iter_no_change=epochs + 1, learning_rate_init=LEARNING_RATE,
                random_state=1, **params)
    return quiet(lambda: model.fit(X, y))
