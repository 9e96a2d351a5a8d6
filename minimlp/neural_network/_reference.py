"""The NumPy reference twin of :mod:`minimlp.neural_network._kernels`.

Same function names, same signatures, same buffers; written to be read beside the math. It is
the teaching path, the test oracle and ``backend="numpy"``. Every operation is the one (and in
the order) scikit-learn 1.9 performs, so with an int ``random_state`` this backend reproduces
scikit-learn's weights bit for bit.

Shape legend, used throughout:
    n = rows of X, m = rows in the current mini-batch, L = number of weight matrices,
    u_l = units of layer l (u_0 = n_features, u_L = n_outputs).
    Ws[l] : (u_l, u_{l+1})   bs[l] : (u_{l+1},)
    As[l] : (batch_size, u_l) activations (As[0] holds the batch of X rows)
    Ds[l] : (batch_size, u_{l+1}) deltas = dLoss/dZ_{l+1}, times m
    Y     : (n, u_L) encoded targets, Yb : (batch_size, u_L) the batch's rows of Y
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, xlogy

from ._codes import (  # noqa: F401  (the whole registry is re-exported: the twins share it)
    ACTIVATIONS,
    BINARY_LOG_LOSS,
    EXP,
    IDENTITY,
    LOG_LOSS,
    LOGISTIC,
    LOSSES,
    POISSON,
    RELU,
    SOFTMAX,
    SQUARED_ERROR,
    TANH,
)


def activate(Z, activation):
    """Apply ``activation`` to ``Z`` in place.

    relu: max(z, 0); tanh; logistic: 1 / (1 + e^{-z}); identity; exp;
    softmax (row-wise): exp(z - max_row z) / sum_row exp(z - max_row z).
    """
    if activation == RELU:
        np.maximum(Z, 0, out=Z)
    elif activation == TANH:
        np.tanh(Z, out=Z)
    elif activation == LOGISTIC:
        expit(Z, out=Z)
    elif activation == EXP:
        np.exp(Z, out=Z)
    elif activation == SOFTMAX:
        shifted = Z - Z.max(axis=1)[:, np.newaxis]
        np.exp(shifted, out=Z)
        Z /= Z.sum(axis=1)[:, np.newaxis]


def activation_derivative(A, D, activation):
    """Multiply the delta ``D`` in place by f'(Z), written in terms of ``A = f(Z)``.

    relu: 0 where A == 0; tanh: 1 - A²; logistic: A (1 - A); identity: 1.
    """
    if activation == RELU:
        D[A == 0] = 0
    elif activation == TANH:
        D *= 1 - A**2
    elif activation == LOGISTIC:
        D *= A
        D *= 1 - A


def forward(Ws, bs, As, m, hidden_activation, output_activation):
    """Forward pass over the first ``m`` rows of ``As[0]``, filling ``As[1..L]``.

    .. math:: A_{l+1} = f_l(A_l W_l + b_l)

    with ``f_l`` the hidden activation for l < L-1 and the output activation for the last layer.
    """
    L = len(Ws)
    for l in range(L):
        Z = As[l + 1][:m]
        np.matmul(As[l][:m], Ws[l], out=Z)
        Z += bs[l]
        activate(Z, hidden_activation if l < L - 1 else output_activation)


def batch_loss(P, Yb, loss):
    """Data loss of one batch (before the L2 term); ``P`` and ``Yb`` are ``(m, u_L)``.

    - squared error: ½ · mean_outputs(mean_rows (y - p)²)
    - binary log loss (logistic outputs): Σ_outputs mean_rows -[y log p + (1-y) log(1-p)]
    - log loss (softmax outputs): -Σ_outputs mean_rows y log p
    - poisson: Σ_outputs mean_rows [y log(y/p) - y + p]

    Probabilities are clipped to [eps, 1 - eps] with eps the dtype's machine epsilon.
    """
    if loss == SQUARED_ERROR:
        return 0.5 * ((Yb - P) ** 2).mean(axis=0).mean()
    if loss == POISSON:
        return (xlogy(Yb, Yb / P) - Yb + P).mean(axis=0).sum()
    eps = np.finfo(P.dtype).eps
    P = np.clip(P, eps, 1 - eps)
    if loss == BINARY_LOG_LOSS:
        return -(xlogy(Yb, P) + xlogy(1 - Yb, 1 - P)).mean(axis=0).sum()
    return -xlogy(Yb, P).mean(axis=0).sum()


def backward(Ws, As, Ds, gWs, gbs, Yb, m, alpha, hidden_activation, loss):
    """Loss and gradients of one batch whose forward pass is in ``As``.

    .. math::

        \\text{loss} = \\ell(A_L, Y) + \\frac{\\alpha}{2m} \\sum_l \\lVert W_l \\rVert_F^2

        D_{L-1} = A_L - Y, \\quad
        D_{l-1} = (D_l W_l^\\top) \\odot f'(A_l)

        \\nabla W_l = (A_l^\\top D_l + \\alpha W_l) / m, \\quad
        \\nabla b_l = \\textstyle\\sum_{rows} D_l / m

    ``A_L - Y`` is the output delta for each canonical pair (logistic + binary log loss,
    softmax + log loss, identity + squared error, exp + poisson). Fills ``Ds``, ``gWs`` and
    ``gbs``; returns the batch loss with the L2 term.
    """
    L = len(Ws)
    value = batch_loss(As[L][:m], Yb[:m], loss)
    squared_norm = 0
    for W in Ws:
        w = W.ravel()
        squared_norm += np.dot(w, w)
    value += (0.5 * alpha) * squared_norm / m

    D = Ds[L - 1][:m]
    np.subtract(As[L][:m], Yb[:m], out=D)
    for l in range(L - 1, -1, -1):
        D, gW, W = Ds[l][:m], gWs[l], Ws[l]
        np.matmul(As[l][:m].T, D, out=gW)
        gW += alpha * W
        gW /= m
        gbs[l][:] = D.mean(axis=0)
        if l > 0:
            D_prev = Ds[l - 1][:m]
            np.matmul(D, W.T, out=D_prev)
            activation_derivative(As[l][:m], D_prev, hidden_activation)
    return value


def sgd_update(params, velocities, grads, learning_rate, momentum, nesterov):
    """One SGD step with momentum, in place, for each parameter θ with gradient g.

    .. math::

        v \\leftarrow \\mu v - \\eta g, \\qquad
        \\theta \\leftarrow \\theta + (\\mu v - \\eta g \\text{ if Nesterov else } v)
    """
    for theta, v, g in zip(params, velocities, grads):
        v[...] = momentum * v - learning_rate * g
        if nesterov:
            theta += momentum * v - learning_rate * g
        else:
            theta += v


def adam_update(params, first_moments, second_moments, grads, t, learning_rate_init,
                beta_1, beta_2, epsilon):
    """One Adam step at step count ``t`` (already incremented), in place.

    .. math::

        m \\leftarrow \\beta_1 m + (1-\\beta_1) g, \\quad
        v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2

        \\eta_t = \\eta_0 \\sqrt{1-\\beta_2^t} / (1-\\beta_1^t), \\quad
        \\theta \\leftarrow \\theta - \\eta_t\\, m / (\\sqrt{v} + \\epsilon)
    """
    learning_rate = learning_rate_init * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    for theta, mom1, mom2, g in zip(params, first_moments, second_moments, grads):
        mom1[...] = beta_1 * mom1 + (1 - beta_1) * g
        mom2[...] = beta_2 * mom2 + (1 - beta_2) * (g**2)
        theta += -learning_rate * mom1 / (np.sqrt(mom2) + epsilon)


def sgd_epoch(X, Y, order, batch_size, Ws, bs, vWs, vbs, As, Ds, gWs, gbs, Yb,
              hidden_activation, output_activation, loss, alpha, learning_rate, momentum,
              nesterov):
    """One epoch of mini-batch SGD over the rows ``X[order]``; returns Σ batch loss × m.

    Batches are consecutive slices of ``order`` of ``batch_size`` rows (the last may be
    shorter); the parameters are updated after every batch.
    """
    n = order.shape[0]
    accumulated = 0.0
    for start in range(0, n, batch_size):
        m = min(batch_size, n - start)
        rows = order[start:start + m]
        As[0][:m] = X[rows]
        Yb[:m] = Y[rows]
        forward(Ws, bs, As, m, hidden_activation, output_activation)
        accumulated += backward(Ws, As, Ds, gWs, gbs, Yb, m, alpha, hidden_activation, loss) * m
        sgd_update(Ws + bs, vWs + vbs, gWs + gbs, learning_rate, momentum, nesterov)
    return accumulated


def adam_epoch(X, Y, order, batch_size, Ws, bs, mWs, mbs, vWs, vbs, As, Ds, gWs, gbs, Yb,
               hidden_activation, output_activation, loss, alpha, t, learning_rate_init,
               beta_1, beta_2, epsilon):
    """One epoch of mini-batch Adam; ``t`` is the step count before the epoch.

    Returns Σ batch loss × m (the step count after the epoch is t + number of batches).
    """
    n = order.shape[0]
    accumulated = 0.0
    for start in range(0, n, batch_size):
        m = min(batch_size, n - start)
        rows = order[start:start + m]
        As[0][:m] = X[rows]
        Yb[:m] = Y[rows]
        forward(Ws, bs, As, m, hidden_activation, output_activation)
        accumulated += backward(Ws, As, Ds, gWs, gbs, Yb, m, alpha, hidden_activation, loss) * m
        t += 1
        adam_update(Ws + bs, mWs + mbs, vWs + vbs, gWs + gbs, t, learning_rate_init,
                    beta_1, beta_2, epsilon)
    return accumulated


def predict(X, Ws, bs, hidden_activation, output_activation):
    """Network output for every row of ``X``: ndarray of shape (n, u_L), in X's dtype."""
    A = X
    L = len(Ws)
    for l in range(L):
        A = A @ Ws[l]
        A += bs[l]
        activate(A, hidden_activation if l < L - 1 else output_activation)
    return A
