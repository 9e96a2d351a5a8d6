"""Every numba kernel equals its NumPy reference twin.

Across depths (1-3 hidden layers), widths (including 1), batch sizes that do and do not divide
n (and m = 1), every hidden activation and every output/loss pair, in float64 and float32. The
whole module runs a second time in a subprocess with ``NUMBA_DISABLE_JIT=1``, so the kernels'
plain-Python bodies are checked too.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from minimlp.neural_network import _kernels as K
from minimlp.neural_network import _reference as R

HIDDEN = {"identity": R.IDENTITY, "logistic": R.LOGISTIC, "tanh": R.TANH, "relu": R.RELU}
# (output activation, loss, n_outputs)
PAIRS = {
    "binary_log_loss": (R.LOGISTIC, R.BINARY_LOG_LOSS, 2),
    "log_loss": (R.SOFTMAX, R.LOG_LOSS, 3),
    "squared_error": (R.IDENTITY, R.SQUARED_ERROR, 2),
    "poisson": (R.EXP, R.POISSON, 1),
}
ARCHS = [(1,), (5,), (3, 1), (4, 1, 2)]
# float32: the kernels accumulate some sums in float64, NumPy in float32.
TOL = {np.float64: dict(rtol=1e-12, atol=1e-14), np.float32: dict(rtol=1e-5, atol=1e-6)}
DTYPES = pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
JIT_DISABLED = os.environ.get("NUMBA_DISABLE_JIT", "0") == "1"


def close(actual, desired, dtype):
    assert_allclose(actual, desired, **TOL[dtype])


def _targets(loss, n, k, rng, dtype):
    if loss == R.LOG_LOSS:
        Y = np.eye(k)[rng.randint(k, size=n)]
    elif loss == R.BINARY_LOG_LOSS:
        Y = rng.randint(2, size=(n, k))
    elif loss == R.POISSON:
        Y = rng.poisson(1.0, size=(n, k))
    else:
        Y = rng.normal(size=(n, k))
    return Y.astype(dtype)


class Problem:
    """A random network, data and caller-allocated buffers, copied for each backend."""

    def __init__(self, hidden_sizes, pair, dtype, n=7, batch_size=3, seed=0):
        rng = np.random.RandomState(seed)
        self.out, self.loss, k = PAIRS[pair]
        units = [3, *hidden_sizes, k]
        self.Ws = tuple(rng.uniform(-0.7, 0.7, (a, b)).astype(dtype)
                        for a, b in zip(units[:-1], units[1:]))
        self.bs = tuple(rng.uniform(-0.7, 0.7, b).astype(dtype) for b in units[1:])
        self.X = rng.normal(size=(n, units[0])).astype(dtype)
        self.Y = _targets(self.loss, n, k, rng, dtype)
        self.As = tuple(np.zeros((batch_size, u), dtype) for u in units)
        self.Ds = tuple(np.zeros((batch_size, u), dtype) for u in units[1:])
        self.gWs = tuple(np.zeros_like(W) for W in self.Ws)
        self.gbs = tuple(np.zeros_like(b) for b in self.bs)
        self.Yb = np.zeros((batch_size, k), dtype)
        # Non-zero optimizer state, so that momentum and the moments matter from the start.
        self.state = [tuple(rng.uniform(0, 0.1, p.shape).astype(dtype) for p in group)
                      for group in (self.Ws, self.bs, self.Ws, self.bs)]

    def copy(self):
        twin = object.__new__(Problem)
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                value = value.copy()
            elif isinstance(value, tuple):
                value = tuple(a.copy() for a in value)
            elif isinstance(value, list):
                value = [tuple(a.copy() for a in group) for group in value]
            setattr(twin, name, value)
        return twin

    def load_batch(self, m):
        self.As[0][:m] = self.X[:m]
        self.Yb[:m] = self.Y[:m]


def _both(hidden_sizes, pair, dtype, **kwargs):
    p = Problem(hidden_sizes, pair, dtype, **kwargs)
    return p, p.copy()


@pytest.mark.parametrize("activation", list(R.ACTIVATIONS))
@pytest.mark.parametrize("shape", [(1, 1), (1, 4), (6, 1), (5, 3)])
@DTYPES
def test_activate(activation, shape, dtype):
    rng = np.random.RandomState(1)
    Z = rng.normal(scale=3, size=shape).astype(dtype)
    Z.flat[-1] = 0  # relu's kink
    ours, theirs = Z.copy(), Z.copy()
    K.activate(ours, R.ACTIVATIONS[activation])
    R.activate(theirs, R.ACTIVATIONS[activation])
    assert ours.dtype == dtype
    close(ours, theirs, dtype)


@pytest.mark.parametrize("activation", list(HIDDEN))
@DTYPES
def test_activation_derivative(activation, dtype):
    rng = np.random.RandomState(2)
    A = rng.normal(size=(5, 4)).astype(dtype)
    R.activate(A, HIDDEN[activation])
    if activation == "relu":
        assert (A == 0).any()
    D = rng.normal(size=(5, 4)).astype(dtype)
    ours, theirs = D.copy(), D.copy()
    K.activation_derivative(A, ours, HIDDEN[activation])
    R.activation_derivative(A, theirs, HIDDEN[activation])
    close(ours, theirs, dtype)


@pytest.mark.parametrize("m", [1, 2, 3])
@pytest.mark.parametrize("pair", list(PAIRS))
@pytest.mark.parametrize("hidden", list(HIDDEN))
@DTYPES
def test_forward_backward_batch_loss(hidden, pair, m, dtype):
    """m < batch_size leaves rows of the buffers unused; m = 1 is a one-row batch."""
    for arch in ARCHS:
        ours, theirs = _both(arch, pair, dtype)
        for p, mod in ((ours, K), (theirs, R)):
            p.load_batch(m)
            mod.forward(p.Ws, p.bs, p.As, m, HIDDEN[hidden], p.out)
        for a, b in zip(ours.As, theirs.As):
            close(a[:m], b[:m], dtype)
        loss_ours = K.batch_loss(ours.As[-1][:m], ours.Yb[:m], ours.loss)
        loss_theirs = R.batch_loss(theirs.As[-1][:m], theirs.Yb[:m], theirs.loss)
        close(loss_ours, loss_theirs, dtype)
        values = [mod.backward(p.Ws, p.As, p.Ds, p.gWs, p.gbs, p.Yb, m, 0.3, HIDDEN[hidden],
                               p.loss) for p, mod in ((ours, K), (theirs, R))]
        close(values[0], values[1], dtype)
        for a, b in zip(ours.Ds, theirs.Ds):
            close(a[:m], b[:m], dtype)
        for a, b in zip(ours.gWs + ours.gbs, theirs.gWs + theirs.gbs):
            assert a.dtype == dtype
            close(a, b, dtype)
        assert any(np.abs(g).max() > 0 for g in ours.gWs)


@pytest.mark.parametrize("loss", [R.BINARY_LOG_LOSS, R.LOG_LOSS])
@DTYPES
def test_batch_loss_clips_saturated_probabilities(loss, dtype):
    P = np.array([[0.0, 1.0], [1.0, 0.0]], dtype)
    Y = np.array([[1.0, 0.0], [1.0, 0.0]], dtype)
    ours, theirs = K.batch_loss(P, Y, loss), R.batch_loss(P, Y, loss)
    assert np.isfinite(ours)
    close(ours, theirs, dtype)


@pytest.mark.parametrize("labels", ["hard", "soft", "mixed"])
@pytest.mark.parametrize("m", [15, 16, 17, 200])
@pytest.mark.parametrize("loss", [R.BINARY_LOG_LOSS, R.LOG_LOSS, R.SQUARED_ERROR, R.POISSON])
@DTYPES
def test_batch_loss_many_rows(loss, m, labels, dtype):
    """Rows past the kernel's 16-row products of probabilities, saturated ones included."""
    rng = np.random.RandomState(m)
    P = rng.uniform(size=(m, 3))
    P[::5, 0], P[1::7, 1] = 0.0, 1.0  # clipped to eps and 1 - eps
    if loss == R.LOG_LOSS:
        P /= P.sum(axis=1, keepdims=True)
    if loss == R.POISSON:
        P += 0.1
    Y = (rng.uniform(size=(m, 3)) < 0.5).astype(float)
    if labels != "hard":
        soft = rng.uniform(size=(m, 3))
        Y = soft if labels == "soft" else np.where(rng.uniform(size=(m, 3)) < 0.3, soft, Y)
    P, Y = P.astype(dtype), Y.astype(dtype)
    close(K.batch_loss(P, Y, loss), R.batch_loss(P, Y, loss), dtype)


@pytest.mark.parametrize("loss", [R.BINARY_LOG_LOSS, R.LOG_LOSS])
@DTYPES
def test_batch_loss_of_a_batch_all_wrong_does_not_underflow(loss, dtype):
    """200 rows at probability eps for the observed class: each costs −log eps exactly."""
    P = np.zeros((200, 2), dtype)
    P[:, 1] = 1.0
    Y = np.zeros((200, 2), dtype)
    Y[:, 0] = 1.0
    eps = float(np.finfo(dtype).eps)
    per_column = 1 if loss == R.LOG_LOSS else 2  # the binary loss counts both columns
    np.testing.assert_allclose(K.batch_loss(P, Y, loss), -per_column * np.log(eps),
                               rtol=1e-12 if dtype == np.float64 else 1e-6)


@pytest.mark.parametrize("nesterov", [False, True])
@DTYPES
def test_sgd_update(nesterov, dtype):
    for arch in ARCHS:
        ours, theirs = _both(arch, "log_loss", dtype, seed=3)
        for p, mod in ((ours, K), (theirs, R)):
            grads = tuple(np.full_like(w, 0.5) - w for w in p.Ws)
            mod.sgd_update(p.Ws, p.state[0], grads, 0.1, 0.9, nesterov)
        for a, b in zip(ours.Ws + ours.state[0], theirs.Ws + theirs.state[0]):
            close(a, b, dtype)


@DTYPES
def test_adam_update(dtype):
    for arch in ARCHS:
        ours, theirs = _both(arch, "log_loss", dtype, seed=4)
        for p, mod in ((ours, K), (theirs, R)):
            grads = tuple(np.full_like(w, 0.5) - w for w in p.Ws)
            mod.adam_update(p.Ws, p.state[0], p.state[2], grads, 3, 0.01, 0.9, 0.999, 1e-8)
        for a, b in zip(ours.Ws + ours.state[0] + ours.state[2],
                        theirs.Ws + theirs.state[0] + theirs.state[2]):
            close(a, b, dtype)


# batch sizes for n = 7: 1 (every row alone), 3 (7 = 3 + 3 + 1), 7 (one full batch)
EPOCH = pytest.mark.parametrize("batch_size", [1, 3, 7])


def _order(n):
    return np.random.RandomState(5).permutation(n)


@EPOCH
@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("pair", list(PAIRS))
@pytest.mark.parametrize("hidden", list(HIDDEN))
@DTYPES
def test_sgd_epoch(hidden, pair, nesterov, batch_size, dtype):
    for arch in ARCHS:
        ours, theirs = _both(arch, pair, dtype, batch_size=batch_size)
        totals = [mod.sgd_epoch(p.X, p.Y, _order(7), batch_size, p.Ws, p.bs, *p.state[:2],
                                p.As, p.Ds, p.gWs, p.gbs, p.Yb, HIDDEN[hidden], p.out, p.loss,
                                0.01, 0.05, 0.9, nesterov)
                  for p, mod in ((ours, K), (theirs, R))]
        close(totals[0], totals[1], dtype)
        for a, b in zip(ours.Ws + ours.bs + ours.state[0] + ours.state[1],
                        theirs.Ws + theirs.bs + theirs.state[0] + theirs.state[1]):
            close(a, b, dtype)


@EPOCH
@pytest.mark.parametrize("pair", list(PAIRS))
@pytest.mark.parametrize("hidden", list(HIDDEN))
@DTYPES
def test_adam_epoch(hidden, pair, batch_size, dtype):
    for arch in ARCHS:
        ours, theirs = _both(arch, pair, dtype, batch_size=batch_size)
        totals = [mod.adam_epoch(p.X, p.Y, _order(7), batch_size, p.Ws, p.bs, *p.state,
                                 p.As, p.Ds, p.gWs, p.gbs, p.Yb, HIDDEN[hidden], p.out, p.loss,
                                 0.01, 2, 0.01, 0.9, 0.999, 1e-8)
                  for p, mod in ((ours, K), (theirs, R))]
        close(totals[0], totals[1], dtype)
        for a, b in zip(ours.Ws + ours.bs + sum(ours.state, ()),
                        theirs.Ws + theirs.bs + sum(theirs.state, ())):
            close(a, b, dtype)


@pytest.mark.parametrize("pair", list(PAIRS))
@pytest.mark.parametrize("hidden", list(HIDDEN))
@DTYPES
def test_predict(hidden, pair, dtype):
    for arch in ARCHS:
        p = Problem(arch, pair, dtype)
        for X in (p.X, p.X[:1]):
            ours = K.predict(X, p.Ws, p.bs, HIDDEN[hidden], p.out)
            theirs = R.predict(X, p.Ws, p.bs, HIDDEN[hidden], p.out)
            assert ours.dtype == dtype and ours.shape == (X.shape[0], p.Ws[-1].shape[1])
            close(ours, theirs, dtype)


def test_kernels_are_compiled_unless_jit_is_disabled():
    """Proves which code the run above exercised: numba dispatchers, or plain functions."""
    for name in ("forward", "backward", "batch_loss", "activate", "activation_derivative",
                 "sgd_update", "adam_update", "sgd_epoch", "adam_epoch", "predict"):
        f = getattr(K, name)
        assert hasattr(f, "py_func") != JIT_DISABLED
        assert getattr(f, "py_func", f).__name__ == getattr(R, name).__name__


@pytest.mark.skipif(JIT_DISABLED, reason="already the NUMBA_DISABLE_JIT run")
def test_kernels_match_reference_with_disable_jit():
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-q", "-x", "-p", "no:cacheprovider",
         "-k", "not disable_jit"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
