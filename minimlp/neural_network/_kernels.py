"""Pure numba kernels of the multilayer perceptron: forward, backward, SGD / Adam, one epoch.

Twin of :mod:`minimlp.neural_network._reference` (same names, signatures and buffers; read
that module for the plain NumPy statement of each formula). Arrays and scalars in,
caller-allocated buffers out: no classes, no validation, no random numbers. The layer products
call BLAS (``np.dot`` compiles to SciPy's BLAS); the elementwise work is fused into single loops
over each layer's output. Parameters arrive as tuples of arrays (one compiled signature per
depth and dtype; numba typed lists would cost seconds per process).

Shape legend: m = rows in the batch, L = number of weight matrices, u_l = units of layer l.
    Ws[l] : (u_l, u_{l+1})   bs[l] : (u_{l+1},)   As[l] : (batch_size, u_l)
    Ds[l] : (batch_size, u_{l+1})   Y : (n, u_L)   Yb : (batch_size, u_L)
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._codes import (  # noqa: F401  (the registries are shared with the twin)
    ACTIVATIONS,
    BINARY_LOG_LOSS,
    EXP,
    IDENTITY,
    LOG_LOSS,
    LOGISTIC,
    POISSON,
    RELU,
    SOFTMAX,
    SQUARED_ERROR,
    TANH,
)

# One place for numba options: cached to disk, no fastmath (it would change the rounding and
# break the rtol 1e-9 agreement with the reference).
jit = njit(cache=True, nogil=True, fastmath=False)


@jit
def _bias_activate(Z, b, activation):
    """Z ← f(Z + b) in one pass over Z, shape (m, u).

    One loop per activation (the branch is outside the loops), so LLVM vectorizes them.
    """
    m, u = Z.shape
    zero = Z.dtype.type(0)  # typed literals keep a float32 loop in float32
    if activation == SOFTMAX:
        for i in range(m):
            z = Z[i]
            row_max = -np.inf
            for j in range(u):
                z[j] += b[j]
                row_max = max(row_max, z[j])
            total = 0.0
            for j in range(u):
                z[j] = math.exp(z[j] - row_max)
                total += z[j]
            for j in range(u):
                z[j] /= total
    elif activation == RELU:
        for i in range(m):
            z = Z[i]
            for j in range(u):
                v = z[j] + b[j]
                z[j] = v if v > zero else zero
    elif activation == TANH:
        for i in range(m):
            z = Z[i]
            for j in range(u):
                z[j] = math.tanh(z[j] + b[j])
    elif activation == LOGISTIC:
        for i in range(m):
            z = Z[i]
            for j in range(u):
                z[j] = 1.0 / (1.0 + math.exp(-(z[j] + b[j])))
    elif activation == EXP:
        for i in range(m):
            z = Z[i]
            for j in range(u):
                z[j] = math.exp(z[j] + b[j])
    else:
        for i in range(m):
            z = Z[i]
            for j in range(u):
                z[j] += b[j]


@jit
def activate(Z, activation):
    """Apply ``activation`` to ``Z`` in place (see the reference for the formulas)."""
    _bias_activate(Z, np.zeros(Z.shape[1], Z.dtype), activation)


@jit
def activation_derivative(A, D, activation):
    """D ← D ⊙ f'(Z), with f' written in terms of A = f(Z); one pass over D."""
    # The training path fuses this with the bias-gradient sums; here they are thrown away.
    _derivative_column_sums(A, D, np.empty(D.shape[1], D.dtype), activation)


@jit
def forward(Ws, bs, As, m, hidden_activation, output_activation):
    """A_{l+1} = f_l(A_l W_l + b_l) for the first ``m`` rows of ``As[0]``."""
    L = len(Ws)
    for l in range(L):
        Z = As[l + 1][:m]
        np.dot(As[l][:m], Ws[l], Z)
        _bias_activate(Z, bs[l], hidden_activation if l < L - 1 else output_activation)


@jit
def batch_loss(P, Yb, loss):
    """Data loss of one batch, before the L2 term (formulas in the reference).

    Log losses: a row whose label is 0 or 1 contributes −log q, q the clipped probability of
    the observed outcome (y p + (1−y)(1−p) for the binary loss, y p + 1−y for the log loss,
    exact for y ∈ {0, 1}); other labels take the y log p terms. The q of 16 rows are
    multiplied (≥ eps¹⁶: no underflow) and logged once, so the loss has no branch on the data
    and a sixteenth of the logs: on shuffled rows, the (100,) epoch's loss took 30k cycles
    with a log per row (mispredicted branches inside ``log``) and takes 5k.
    """
    m, k = P.shape
    eps = np.finfo(P.dtype).eps
    total = 0.0
    for j in range(k):
        column = 0.0
        if loss == SQUARED_ERROR:
            for i in range(m):
                column += (Yb[i, j] - P[i, j]) ** 2
        elif loss == POISSON:
            for i in range(m):
                p, y = P[i, j], Yb[i, j]
                column += (y * math.log(y / p) if y != 0.0 else 0.0) - y + p
        else:
            binary = loss == BINARY_LOG_LOSS
            product = 1.0
            for i in range(m):
                # float64 whatever the data (also without the JIT, where NumPy would keep
                # float32 and a product of 16 could underflow)
                p, y = float(min(max(P[i, j], eps), 1.0 - eps)), float(Yb[i, j])
                if y * (1.0 - y) == 0.0:  # y ∈ {0, 1} in one test: predictable, unlike y == 0
                    product *= y * p + (1.0 - y) * ((1.0 - p) if binary else 1.0)
                    if i % 16 == 15:
                        column -= math.log(product)
                        product = 1.0
                else:
                    column -= y * math.log(p) + ((1.0 - y) * math.log(1.0 - p) if binary
                                                 else 0.0)
            column -= math.log(product)
        total += column / m
    if loss == SQUARED_ERROR:
        return 0.5 * (total / k)
    return total


@jit
def _squared_norm(Ws):
    total = 0.0
    for l in range(len(Ws)):
        w = Ws[l].ravel()
        total += np.dot(w, w)
    return total


@jit
def _derivative_row(a, d, activation):
    """One row: d ← d ⊙ f'(a); relu's f' is the indicator 1[a ≠ 0]."""
    cast = d.dtype.type  # typed literals keep float32 in float32
    zero, one = cast(0), cast(1)
    if activation == RELU:
        # A product with the indicator, not a select: LLVM turns a select on a loaded value
        # into a branch in the loop's scalar tail (100 = 96 + 4 lanes), and the relu mask is
        # random once rows are shuffled; measured 2× the cost of the (100,) delta pass.
        for j in range(d.shape[0]):
            d[j] *= cast(a[j] != zero)
    elif activation == TANH:
        for j in range(d.shape[0]):
            d[j] *= one - a[j] * a[j]
    elif activation == LOGISTIC:
        for j in range(d.shape[0]):
            d[j] = d[j] * a[j] * (one - a[j])


@jit
def _column_sums(D, gb):
    """gb ← Σ_rows D as 1ᵀD through BLAS: a loop accumulating into gb row after row does not
    vectorize (gb may alias D) and was measured 3× slower than the derivative pass itself."""
    np.dot(np.ones(D.shape[0], D.dtype), D, gb)


@jit
def _derivative_column_sums(A, D, gb, activation):
    """D ← D ⊙ f'(A), then gb ← Σ_rows D."""
    for i in range(D.shape[0]):
        _derivative_row(A[i], D[i], activation)
    _column_sums(D, gb)


@jit
def _backward_raw(Ws, As, Ds, gWs, gbs, Yb, m, hidden_activation):
    """Deltas and the unscaled gradients A_lᵀ D_l and Σ_rows D_l (no L2 term, no 1/m).

    The optimizer steps finish them element by element (``_finish_*``), so the gradient
    scaling, the L2 term and the update are one pass over each parameter instead of three;
    the bias sums ride along with the output delta and with each activation derivative.
    """
    L = len(Ws)
    D, P = Ds[L - 1][:m], As[L][:m]
    for i in range(m):
        for j in range(D.shape[1]):
            D[i, j] = P[i, j] - Yb[i, j]
    _derivative_column_sums(P, D, gbs[L - 1], IDENTITY)
    for l in range(L - 1, -1, -1):
        D, W = Ds[l][:m], Ws[l]
        np.dot(As[l][:m].T, D, gWs[l])
        if l > 0:
            D_prev, A, gb = Ds[l - 1][:m], As[l][:m], gbs[l - 1]
            if D.shape[1] == 1:
                _thin_delta(D[:, 0], W.ravel(), A, D_prev, hidden_activation)
                _column_sums(D_prev, gb)
            else:
                np.dot(D, W.T, D_prev)
                _derivative_column_sums(A, D_prev, gb, hidden_activation)


@jit
def _thin_delta(d, w, A, D_prev, activation):
    """D_prev ← (d wᵀ) ⊙ f'(A) for a one-unit layer, one pass: shapes (m,), (u,), (m, u).

    A thin layer's d wᵀ is an outer product: a BLAS call costs more than the arithmetic, so each
    row is written out times f'(A) at once. One loop nest per activation (a branch or a helper
    inside the row loop measured slower than the two passes this replaces).
    """
    cast = D_prev.dtype.type
    zero, one = cast(0), cast(1)
    m, u = D_prev.shape
    if activation == RELU:  # the indicator, as in _derivative_row
        for i in range(m):
            di, dp, a = d[i], D_prev[i], A[i]
            for j in range(u):
                dp[j] = di * w[j] * cast(a[j] != zero)
    elif activation == TANH:
        for i in range(m):
            di, dp, a = d[i], D_prev[i], A[i]
            for j in range(u):
                dp[j] = di * w[j] * (one - a[j] * a[j])
    elif activation == LOGISTIC:
        for i in range(m):
            di, dp, a = d[i], D_prev[i], A[i]
            for j in range(u):
                dp[j] = di * w[j] * a[j] * (one - a[j])
    else:
        for i in range(m):
            di, dp = d[i], D_prev[i]
            for j in range(u):
                dp[j] = di * w[j]


@jit
def backward(Ws, As, Ds, gWs, gbs, Yb, m, alpha, hidden_activation, loss):
    """Batch loss (with the L2 term) and gradients; fills ``Ds``, ``gWs``, ``gbs``."""
    L = len(Ws)
    value = batch_loss(As[L][:m], Yb[:m], loss) + (0.5 * alpha) * _squared_norm(Ws) / m
    _backward_raw(Ws, As, Ds, gWs, gbs, Yb, m, hidden_activation)
    for l in range(L):
        gW, W, gb = gWs[l].reshape(-1), Ws[l].reshape(-1), gbs[l]
        for i in range(gW.shape[0]):
            gW[i] = (gW[i] + alpha * W[i]) / m
        for j in range(gb.shape[0]):
            gb[j] /= m
    return value


@jit
def _finish_sgd_step(theta, v, g_raw, alpha, m, learning_rate, momentum, nesterov):
    """g = (g_raw + αθ)/m; v ← μv − ηg; θ ← θ + (μv − ηg or v), one pass, in place.

    The scalars take the parameters' dtype (as Python floats do in NumPy), so a float32 loop
    stays float32 and vectorizes.
    """
    t, vf, gf = theta.reshape(-1), v.reshape(-1), g_raw.reshape(-1)
    cast = t.dtype.type
    alpha, m, learning_rate, momentum = cast(alpha), cast(m), cast(learning_rate), cast(momentum)
    for i in range(t.shape[0]):
        g = (gf[i] + alpha * t[i]) / m
        vi = momentum * vf[i] - learning_rate * g
        vf[i] = vi
        t[i] += momentum * vi - learning_rate * g if nesterov else vi


@jit
def sgd_update(params, velocities, grads, learning_rate, momentum, nesterov):
    """v ← μv − ηg; θ ← θ + (μv − ηg if Nesterov else v), for every parameter in place."""
    for k in range(len(params)):
        _finish_sgd_step(params[k], velocities[k], grads[k], 0.0, 1.0, learning_rate, momentum,
                         nesterov)


@jit
def _finish_adam_step(theta, mom1, mom2, g_raw, alpha, m, learning_rate, beta_1, beta_2,
                      epsilon):
    """g = (g_raw + αθ)/m, then Adam's moment and parameter updates, one pass, in place.

    η_t stays float64, as NumPy promotes scikit-learn's float64 η_t; the rest takes θ's dtype.
    """
    t, m1, m2, gf = theta.reshape(-1), mom1.reshape(-1), mom2.reshape(-1), g_raw.reshape(-1)
    cast = t.dtype.type
    alpha, m, epsilon = cast(alpha), cast(m), cast(epsilon)
    beta_1, one_minus_beta_1 = cast(beta_1), cast(1.0 - beta_1)
    beta_2, one_minus_beta_2 = cast(beta_2), cast(1.0 - beta_2)
    for i in range(t.shape[0]):
        g = (gf[i] + alpha * t[i]) / m
        m1[i] = beta_1 * m1[i] + one_minus_beta_1 * g
        m2[i] = beta_2 * m2[i] + one_minus_beta_2 * (g * g)
        t[i] += -learning_rate * m1[i] / (math.sqrt(m2[i]) + epsilon)


@jit
def _adam_learning_rate(t, learning_rate_init, beta_1, beta_2):
    return learning_rate_init * math.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)


@jit
def adam_update(params, first_moments, second_moments, grads, t, learning_rate_init,
                beta_1, beta_2, epsilon):
    """m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − η_t m / (√v + ε)."""
    learning_rate = _adam_learning_rate(t, learning_rate_init, beta_1, beta_2)
    for k in range(len(params)):
        _finish_adam_step(params[k], first_moments[k], second_moments[k], grads[k], 0.0, 1.0,
                          learning_rate, beta_1, beta_2, epsilon)


@jit
def _gather(X, Y, rows, Xb, Yb):
    for i in range(rows.shape[0]):
        r = rows[i]
        for j in range(X.shape[1]):
            Xb[i, j] = X[r, j]
        for j in range(Y.shape[1]):
            Yb[i, j] = Y[r, j]


@jit
def _forward_batch(X, Y, rows, Ws, bs, As, Yb, squared_norm, hidden_activation,
                   output_activation, loss, alpha):
    """Gather the batch, run the forward pass and return its loss with the L2 term."""
    m = rows.shape[0]
    _gather(X, Y, rows, As[0], Yb)
    forward(Ws, bs, As, m, hidden_activation, output_activation)
    return batch_loss(As[len(Ws)][:m], Yb[:m], loss) + (0.5 * alpha) * squared_norm / m


@jit
def sgd_epoch(X, Y, order, batch_size, Ws, bs, vWs, vbs, As, Ds, gWs, gbs, Yb,
              hidden_activation, output_activation, loss, alpha, learning_rate, momentum,
              nesterov):
    """One epoch of mini-batch SGD over ``X[order]``; returns Σ batch loss × m.

    Each batch: forward, backward, then one fused pass per parameter that scales the
    gradient, adds the L2 term and steps.
    """
    n = order.shape[0]
    accumulated = 0.0
    squared_norm = _squared_norm(Ws)
    for start in range(0, n, batch_size):
        m = min(batch_size, n - start)
        accumulated += m * _forward_batch(X, Y, order[start:start + m], Ws, bs, As, Yb,
                                          squared_norm, hidden_activation, output_activation,
                                          loss, alpha)
        _backward_raw(Ws, As, Ds, gWs, gbs, Yb, m, hidden_activation)
        for l in range(len(Ws)):
            _finish_sgd_step(Ws[l], vWs[l], gWs[l], alpha, m, learning_rate, momentum, nesterov)
            _finish_sgd_step(bs[l], vbs[l], gbs[l], 0.0, m, learning_rate, momentum, nesterov)
        squared_norm = _squared_norm(Ws)
    return accumulated


@jit
def adam_epoch(X, Y, order, batch_size, Ws, bs, mWs, mbs, vWs, vbs, As, Ds, gWs, gbs, Yb,
               hidden_activation, output_activation, loss, alpha, t, learning_rate_init,
               beta_1, beta_2, epsilon):
    """One epoch of mini-batch Adam from step count ``t``; returns Σ batch loss × m."""
    n = order.shape[0]
    accumulated = 0.0
    squared_norm = _squared_norm(Ws)
    for start in range(0, n, batch_size):
        m = min(batch_size, n - start)
        accumulated += m * _forward_batch(X, Y, order[start:start + m], Ws, bs, As, Yb,
                                          squared_norm, hidden_activation, output_activation,
                                          loss, alpha)
        _backward_raw(Ws, As, Ds, gWs, gbs, Yb, m, hidden_activation)
        t += 1
        learning_rate = _adam_learning_rate(t, learning_rate_init, beta_1, beta_2)
        for l in range(len(Ws)):
            _finish_adam_step(Ws[l], mWs[l], vWs[l], gWs[l], alpha, m, learning_rate, beta_1,
                              beta_2, epsilon)
            _finish_adam_step(bs[l], mbs[l], vbs[l], gbs[l], 0.0, m, learning_rate, beta_1,
                              beta_2, epsilon)
        squared_norm = _squared_norm(Ws)
    return accumulated


@jit
def predict(X, Ws, bs, hidden_activation, output_activation):
    """Network output for every row of ``X``: ndarray of shape (n, u_L)."""
    L = len(Ws)
    A = X
    for l in range(L):
        Z = np.dot(A, Ws[l])
        _bias_activate(Z, bs[l], hidden_activation if l < L - 1 else output_activation)
        A = Z
    return A
