"""The MLP's math, checked against independent computations.

Gradients of :mod:`minimlp.neural_network._reference` against central finite differences of the
loss it returns, one SGD and one Adam step worked out by hand, and the effect of ``alpha``.
"""

import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from minimlp.exceptions import ConvergenceWarning
from minimlp.neural_network import MLPClassifier
from minimlp.neural_network import _reference as ref

HIDDEN = ["identity", "logistic", "tanh", "relu"]
# (output activation, loss, n_outputs): the four canonical pairs, where A_L - Y is the delta.
# Squared error has one output: with several, the code follows scikit-learn's quirk (below).
PAIRS = {
    "binary_log_loss": (ref.LOGISTIC, ref.BINARY_LOG_LOSS, 2),
    "log_loss": (ref.SOFTMAX, ref.LOG_LOSS, 3),
    "squared_error": (ref.IDENTITY, ref.SQUARED_ERROR, 1),
    "poisson": (ref.EXP, ref.POISSON, 2),
}


def _network(units, rng, scale=0.5):
    Ws = [rng.uniform(-scale, scale, (a, b)) for a, b in zip(units[:-1], units[1:])]
    bs = [rng.uniform(-scale, scale, b) for b in units[1:]]
    return Ws, bs


def _targets(loss, m, k, rng):
    if loss == ref.LOG_LOSS:
        return np.eye(k)[rng.randint(k, size=m)]
    if loss == ref.BINARY_LOG_LOSS:
        return rng.randint(2, size=(m, k)).astype(float)
    if loss == ref.POISSON:
        return rng.poisson(1.5, size=(m, k)).astype(float)
    return rng.normal(size=(m, k))


def _loss_and_grads(Ws, bs, X, Y, alpha, hidden, out, loss):
    """Run reference forward + backward on fresh buffers; return (loss, gWs, gbs)."""
    m = X.shape[0]
    units = [X.shape[1]] + [b.shape[0] for b in bs]
    As = [X.copy()] + [np.empty((m, u)) for u in units[1:]]
    Ds = [np.empty((m, u)) for u in units[1:]]
    gWs, gbs = [np.empty_like(W) for W in Ws], [np.empty_like(b) for b in bs]
    ref.forward(Ws, bs, As, m, hidden, out)
    value = ref.backward(Ws, As, Ds, gWs, gbs, Y, m, alpha, hidden, loss)
    return value, gWs, gbs


def _numerical_grads(Ws, bs, X, Y, alpha, hidden, out, loss, eps=1e-5):
    """Central differences of the returned loss w.r.t. every weight and bias."""
    def f():
        return _loss_and_grads(Ws, bs, X, Y, alpha, hidden, out, loss)[0]

    grads = []
    for p in [*Ws, *bs]:
        g = np.empty_like(p)
        for idx in np.ndindex(p.shape):
            saved = p[idx]
            p[idx] = saved + eps
            plus = f()
            p[idx] = saved - eps
            minus = f()
            p[idx] = saved
            g[idx] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads[:len(Ws)], grads[len(Ws):]


def _kink_free_problem(hidden_sizes, hidden, loss, k, m=6, n_features=3):
    """Random net and data; for relu, the first seed whose pre-activations avoid 0 by 1e-4."""
    units = [n_features, *hidden_sizes, k]
    for seed in range(200):
        rng = np.random.RandomState(seed)
        Ws, bs = _network(units, rng)
        X = rng.normal(size=(m, n_features))
        Y = _targets(loss, m, k, rng)
        if hidden != ref.RELU:
            return Ws, bs, X, Y
        A, closest = X, np.inf
        for W, b in zip(Ws[:-1], bs[:-1]):
            Z = A @ W + b
            closest = min(closest, np.abs(Z).min())
            A = np.maximum(Z, 0)
        if closest > 1e-4:
            return Ws, bs, X, Y
    raise AssertionError("no kink-free seed found")


@pytest.mark.parametrize("hidden_sizes", [(4,), (4, 3)], ids=["1hidden", "2hidden"])
@pytest.mark.parametrize("pair", list(PAIRS))
@pytest.mark.parametrize("hidden_name", HIDDEN)
def test_backward_matches_finite_differences(hidden_name, pair, hidden_sizes):
    hidden = ref.ACTIVATIONS[hidden_name]
    out, loss, k = PAIRS[pair]
    alpha = 0.3
    Ws, bs, X, Y = _kink_free_problem(hidden_sizes, hidden, loss, k)
    value, gWs, gbs = _loss_and_grads(Ws, bs, X, Y, alpha, hidden, out, loss)
    nWs, nbs = _numerical_grads(Ws, bs, X, Y, alpha, hidden, out, loss)
    assert np.isfinite(value) and value > 0
    for analytic, numeric in zip(gWs + gbs, nWs + nbs):
        # The gradients must not be trivially zero, or this test would prove nothing.
        assert np.abs(numeric).max() > 1e-3
        assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_multioutput_squared_error_gradient_is_not_divided_by_n_outputs():
    """Spec §1.6 quirk: the reported loss averages over k outputs, the gradient sums."""
    k = 3
    Ws, bs, X, Y = _kink_free_problem((4,), ref.TANH, ref.SQUARED_ERROR, k)
    args = (X, Y, 0.0, ref.TANH, ref.IDENTITY, ref.SQUARED_ERROR)
    _, gWs, gbs = _loss_and_grads(Ws, bs, *args)
    nWs, nbs = _numerical_grads(Ws, bs, *args)
    for analytic, numeric in zip(gWs + gbs, nWs + nbs):
        assert_allclose(analytic, k * numeric, rtol=1e-6, atol=1e-8)


def test_l2_penalty_counts_weights_only():
    """loss = data loss + alpha/(2m) * sum ||W||²; intercepts are not penalised."""
    rng = np.random.RandomState(0)
    Ws, bs = _network([3, 4, 1], rng)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    base = _loss_and_grads(Ws, bs, X, Y, 0.0, ref.TANH, ref.IDENTITY, ref.SQUARED_ERROR)[0]
    with_l2 = _loss_and_grads(Ws, bs, X, Y, 2.0, ref.TANH, ref.IDENTITY, ref.SQUARED_ERROR)[0]
    norm = sum((W**2).sum() for W in Ws)
    assert_allclose(with_l2 - base, 2.0 / (2 * 5) * norm, rtol=1e-12)


# --------------------------------------------------------------------------- hand-worked steps
# A 2-1-1 network, identity everywhere, squared error, alpha = 0.5, one batch of m = 2 rows.
#   W0 = [[0.5], [-1.0]], b0 = [0.1], W1 = [[2.0]], b1 = [-0.5]
#   X = [[1, 2], [3, -1]], Y = [[1], [0]]
# Forward:  Z1 = X W0 + b0 = [0.5 - 2 + 0.1, 1.5 + 1 + 0.1] = [-1.4, 2.6]   (A1 = Z1)
#           P  = A1 W1 + b1 = [-2.8 - 0.5, 5.2 - 0.5]     = [-3.3, 4.7]
# Loss:     ½ mean((Y - P)²) = ½ (4.3² + 4.7²) / 2 = ½ (18.49 + 22.09) / 2 = 10.145
#           + (α/2) ||W||² / m = 0.25 (0.25 + 1 + 4) / 2 = 0.65625   -> 10.80125
# Deltas:   D1 = P - Y = [-4.3, 4.7];  D0 = D1 W1ᵀ = [-8.6, 9.4]
# Grads:    gW1 = (A1ᵀ D1 + α W1) / m = (6.02 + 12.22 + 1) / 2 = 9.62
#           gb1 = mean(D1) = 0.4 / 2 = 0.2
#           gW0 = (Xᵀ D0 + α W0) / m = ([-8.6 + 28.2, -17.2 - 9.4] + [0.25, -0.5]) / 2
#               = [19.85, -27.1] / 2 = [9.925, -13.55]
#           gb0 = mean(D0) = 0.8 / 2 = 0.4
LOSS = 10.80125
GRADS = [np.array([[9.925], [-13.55]]), np.array([[9.62]]), np.array([0.4]), np.array([0.2])]


def _tiny():
    Ws = (np.array([[0.5], [-1.0]]), np.array([[2.0]]))
    bs = (np.array([0.1]), np.array([-0.5]))
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    Y = np.array([[1.0], [0.0]])
    As = (np.empty((2, 2)), np.empty((2, 1)), np.empty((2, 1)))
    Ds = (np.empty((2, 1)), np.empty((2, 1)))
    gWs = tuple(np.empty_like(W) for W in Ws)
    gbs = tuple(np.empty_like(b) for b in bs)
    return Ws, bs, X, Y, As, Ds, gWs, gbs, np.empty((2, 1))


def test_tiny_network_loss_and_gradients_by_hand():
    Ws, bs, X, Y, As, Ds, gWs, gbs, _ = _tiny()
    value, gWs, gbs = _loss_and_grads(list(Ws), list(bs), X, Y, 0.5, ref.IDENTITY,
                                      ref.IDENTITY, ref.SQUARED_ERROR)
    assert_allclose(value, LOSS, rtol=1e-14)
    for got, want in zip([*gWs, *gbs], GRADS):
        assert_allclose(got, want, rtol=1e-14)


# One SGD step from zero velocity, η = 0.1, μ = 0.9:  v = μ·0 - η g = -0.1 g
#   classic:  θ += v             -> θ - 0.1 g
#   Nesterov: θ += μ v - η g     -> θ - 0.09 g - 0.1 g = θ - 0.19 g
# W0: classic [0.5 - 0.9925, -1 + 1.355] = [-0.4925, 0.355]
#     Nesterov [0.5 - 1.88575, -1 + 2.5745] = [-1.38575, 1.5745]
# W1: classic 2 - 0.962 = 1.038;        Nesterov 2 - 1.8278 = 0.1722
# b0: classic 0.1 - 0.04 = 0.06;        Nesterov 0.1 - 0.076 = 0.024
# b1: classic -0.5 - 0.02 = -0.52;      Nesterov -0.5 - 0.038 = -0.538
SGD_AFTER = {
    False: [[[-0.4925], [0.355]], [[1.038]], [0.06], [-0.52]],
    True: [[[-1.38575], [1.5745]], [[0.1722]], [0.024], [-0.538]],
}


@pytest.mark.parametrize("nesterov", [False, True], ids=["classic", "nesterov"])
def test_one_sgd_epoch_by_hand(nesterov):
    Ws, bs, X, Y, As, Ds, gWs, gbs, Yb = _tiny()
    vWs = tuple(np.zeros_like(W) for W in Ws)
    vbs = tuple(np.zeros_like(b) for b in bs)
    accumulated = ref.sgd_epoch(X, Y, np.arange(2), 2, Ws, bs, vWs, vbs, As, Ds, gWs, gbs, Yb,
                                ref.IDENTITY, ref.IDENTITY, ref.SQUARED_ERROR, 0.5, 0.1, 0.9,
                                nesterov)
    assert_allclose(accumulated, LOSS * 2, rtol=1e-14)  # Σ batch loss × m
    for got, want in zip([*Ws, *bs], SGD_AFTER[nesterov]):
        assert_allclose(got, want, rtol=1e-13)
    for v, g in zip([*vWs, *vbs], GRADS):
        assert_allclose(v, -0.1 * g, rtol=1e-14)


@pytest.mark.parametrize("nesterov", [False, True], ids=["classic", "nesterov"])
def test_sgd_update_with_existing_velocity(nesterov):
    # θ = 1, v = 0.5, g = 2, η = 0.1, μ = 0.9:  v ← 0.45 - 0.2 = 0.25
    # classic θ ← 1 + 0.25 = 1.25;  Nesterov θ ← 1 + 0.9·0.25 - 0.2 = 1.025
    theta, v, g = np.array([1.0]), np.array([0.5]), np.array([2.0])
    ref.sgd_update([theta], [v], [g], 0.1, 0.9, nesterov)
    assert_allclose(v, [0.25], rtol=1e-15)
    assert_allclose(theta, [1.025 if nesterov else 1.25], rtol=1e-15)


def test_adam_update_by_hand():
    # θ = 1, g = 2, m = 0.5, v = 1, t = 2, β1 = 0.5, β2 = 0.75, ε = 0.5, η0 = 0.1:
    #   m ← 0.5·0.5 + 0.5·2 = 1.25;   v ← 0.75·1 + 0.25·4 = 1.75
    #   η_t = 0.1 √(1 - 0.75²) / (1 - 0.5²) = 0.1 √0.4375 / 0.75
    #   θ ← 1 - η_t · 1.25 / (√1.75 + 0.5)
    theta, m1, m2, g = np.array([1.0]), np.array([0.5]), np.array([1.0]), np.array([2.0])
    ref.adam_update([theta], [m1], [m2], [g], 2, 0.1, 0.5, 0.75, 0.5)
    eta = 0.1 * math.sqrt(0.4375) / 0.75
    assert_allclose(m1, [1.25], rtol=1e-15)
    assert_allclose(m2, [1.75], rtol=1e-15)
    assert_allclose(theta, [1 - eta * 1.25 / (math.sqrt(1.75) + 0.5)], rtol=1e-15)


def test_one_adam_epoch_by_hand():
    # From zero moments, t: 0 -> 1, η0 = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8:
    #   m = 0.1 g, v = 0.001 g², η_1 = 0.1 √0.001 / 0.1 = √0.001
    #   θ ← θ - √0.001 · 0.1 g / (√0.001 |g| + 1e-8)   (≈ θ - 0.1 sign(g))
    Ws, bs, X, Y, As, Ds, gWs, gbs, Yb = _tiny()
    before = [p.copy() for p in [*Ws, *bs]]
    moments = [tuple(np.zeros_like(p) for p in group) for group in (Ws, bs, Ws, bs)]
    accumulated = ref.adam_epoch(X, Y, np.arange(2), 2, Ws, bs, *moments, As, Ds, gWs, gbs, Yb,
                                 ref.IDENTITY, ref.IDENTITY, ref.SQUARED_ERROR, 0.5, 0, 0.1,
                                 0.9, 0.999, 1e-8)
    assert_allclose(accumulated, LOSS * 2, rtol=1e-14)
    eta = math.sqrt(0.001)
    for got, start, g in zip([*Ws, *bs], before, GRADS):
        want = start - eta * 0.1 * g / (math.sqrt(0.001) * np.abs(g) + 1e-8)
        # b0 lands near 0 (0.1 - 0.1), so the check needs an absolute tolerance too.
        assert_allclose(got, want, rtol=1e-13, atol=1e-15)
        assert_allclose(got, start - 0.1 * np.sign(g), atol=1e-6)


# --------------------------------------------------------------------------- behaviour
def test_larger_alpha_gives_smaller_weights():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 5))
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int)
    norms = []
    for alpha in (1e-4, 1.0, 10.0):
        clf = MLPClassifier((8,), solver="sgd", learning_rate_init=0.1, alpha=alpha,
                            max_iter=60, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)
        norms.append(sum((W**2).sum() for W in clf.coefs_))
    assert norms[0] > norms[1] > norms[2]
    assert norms[2] < 0.5 * norms[0]
