"""Synthetic data sets drawn with scikit-learn's random-number order (spec §2).

Both generators use one legacy ``RandomState`` for every draw, and the draws (kind, shape and
order) and the float operations on them follow scikit-learn 1.9, so an int ``random_state``
gives arrays equal bit for bit to scikit-learn's.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.linalg

from ..utils._bunch import Bunch  # noqa: F401  (re-exported: the datasets return it)
from ..utils.random import sample_without_replacement
from ..utils.validation import check_random_state


def _check_int(value: Any, name: str, low: int) -> None:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
        raise ValueError(f"The {name!r} parameter must be an int in the range [{low}, inf). "
                         f"Got {value!r} instead.")


def _check_real(value: Any, name: str, low: float, high: float = np.inf, *,
                closed_low: bool = True) -> None:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok:
        ok = (value >= low if closed_low else value > low) and value <= high
    if not ok:
        bracket = "[" if closed_low else "("
        end = "inf)" if high == np.inf else f"{float(high)}]"
        raise ValueError(f"The {name!r} parameter must be a float in the range "
                         f"{bracket}{float(low)}, {end}. Got {value!r} instead.")


def _hypercube_vertices(n_vertices: int, dim: int, rng: np.random.RandomState) -> np.ndarray:
    """``n_vertices`` distinct rows of ``dim`` bits (int64).

    For ``dim > 30`` the leftmost ``dim - 30`` columns are plain random bits drawn first; the
    right-hand 30 columns are distinct codes drawn without replacement, most significant bit first.
    """
    if dim > 30:
        left = rng.randint(2, size=(n_vertices, dim - 30))
        return np.hstack([left, _hypercube_vertices(n_vertices, 30, rng)])
    codes = sample_without_replacement(2**dim, n_vertices, rng)
    return (codes[:, None] >> np.arange(dim - 1, -1, -1)) & 1


def make_classification(
    n_samples: int = 100,
    n_features: int = 20,
    *,
    n_informative: int = 2,
    n_redundant: int = 2,
    n_repeated: int = 0,
    n_classes: int = 2,
    n_clusters_per_class: int = 2,
    weights: Any = None,
    flip_y: float = 0.01,
    class_sep: float = 1.0,
    hypercube: bool = True,
    shift: float | np.ndarray | None = 0.0,
    scale: float | np.ndarray | None = 1.0,
    shuffle: bool = True,
    random_state: Any = None,
    return_X_y: bool = True,
) -> tuple[np.ndarray, np.ndarray] | Bunch:
    """Generate a random n-class classification problem (scikit-learn's recipe and draws).

    Gaussian clusters (std 1, each one linearly transformed by a random matrix) sit on the
    vertices of an ``n_informative``-dimensional hypercube with sides ``2 * class_sep``; each
    class gets ``n_clusters_per_class`` clusters. Then come ``n_redundant`` random linear
    combinations of the informative features, ``n_repeated`` copies of informative or redundant
    ones, and Gaussian noise features. A fraction ``flip_y`` of the labels is redrawn at random.

    Parameters
    ----------
    n_samples : int, default=100
        Number of rows.
    n_features : int, default=20
        Total number of features (informative + redundant + repeated + random).
    n_informative : int, default=2
        Number of informative features.
    n_redundant : int, default=2
        Number of random linear combinations of the informative features.
    n_repeated : int, default=0
        Number of features copied from the informative and redundant ones.
    n_classes : int, default=2
        Number of classes.
    n_clusters_per_class : int, default=2
        Number of Gaussian clusters per class.
    weights : array-like of shape (n_classes,) or (n_classes - 1,), default=None
        Fraction of rows per class (the last one inferred when ``n_classes - 1`` are given).
        None means balanced classes.
    flip_y : float in [0, 1], default=0.01
        Fraction of rows whose label is redrawn uniformly (it may draw the same label).
    class_sep : float > 0, default=1.0
        Half the side of the hypercube.
    hypercube : bool, default=True
        If False, the cluster centres are scaled by random factors (a random polytope).
    shift : float, ndarray of shape (n_features,) or None, default=0.0
        Added to the features; None draws one shift per feature in ``[-class_sep, class_sep)``.
    scale : float, ndarray of shape (n_features,) or None, default=1.0
        Multiplies the features after the shift; None draws one factor per feature in
        ``[1, 101)``.
    shuffle : bool, default=True
        Shuffle the rows, then the columns.
    random_state : int, RandomState or None, default=None
        Seed of the single generator used for all draws.
    return_X_y : bool, default=True
        If False, return a :class:`Bunch` with ``X``, ``y``, ``feature_info``, ``parameters``
        and ``DESCR``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), int64
    """
    parameters = {k: v for k, v in locals().items()}
    for name, low in [("n_samples", 1), ("n_features", 1), ("n_informative", 1),
                      ("n_redundant", 0), ("n_repeated", 0), ("n_classes", 1),
                      ("n_clusters_per_class", 1)]:
        _check_int(parameters[name], name, low)
    _check_real(flip_y, "flip_y", 0.0, 1.0)
    _check_real(class_sep, "class_sep", 0.0, closed_low=False)
    rng = check_random_state(random_state)

    if n_informative + n_redundant + n_repeated > n_features:
        raise ValueError("Number of informative, redundant and repeated features must sum to "
                         "less than the number of total features")
    if n_informative < np.log2(n_classes * n_clusters_per_class):
        raise ValueError(f"n_classes({n_classes}) * n_clusters_per_class({n_clusters_per_class})"
                         f" must be smaller or equal 2**n_informative({n_informative})"
                         f"={2**n_informative}")
    if weights is not None:
        weights = list(weights)
        if len(weights) not in (n_classes, n_classes - 1):
            raise ValueError("Weights specified but incompatible with number of classes.")
        if len(weights) == n_classes - 1:
            weights.append(1.0 - sum(weights))
    else:
        weights = [1.0 / n_classes] * n_classes

    n_useless = n_features - n_informative - n_redundant - n_repeated
    n_clusters = n_classes * n_clusters_per_class

    # Rows per cluster: truncated shares, then the remainder dealt out one by one.
    counts = [int(n_samples * weights[k % n_classes] / n_clusters_per_class)
              for k in range(n_clusters)]
    for i in range(n_samples - sum(counts)):
        counts[i % n_clusters] += 1

    X = np.zeros((n_samples, n_features))
    y = np.zeros(n_samples, dtype=np.int64)

    centroids = _hypercube_vertices(n_clusters, n_informative, rng).astype(float)
    centroids *= 2 * class_sep
    centroids -= class_sep
    if not hypercube:
        centroids *= rng.uniform(size=(n_clusters, 1))
        centroids *= rng.uniform(size=(1, n_informative))

    X[:, :n_informative] = rng.standard_normal(size=(n_samples, n_informative))

    stop = 0
    for k, centroid in enumerate(centroids):
        start, stop = stop, stop + counts[k]
        y[start:stop] = k % n_classes
        block = X[start:stop, :n_informative]  # a view: edits land in X
        # The covariance factor is drawn for every cluster, empty ones included.
        A = 2 * rng.uniform(size=(n_informative, n_informative)) - 1
        block[...] = np.dot(block, A)
        block += centroid

    if n_redundant > 0:
        B = 2 * rng.uniform(size=(n_informative, n_redundant)) - 1
        X[:, n_informative:n_informative + n_redundant] = np.dot(X[:, :n_informative], B)
    if n_repeated > 0:
        n = n_informative + n_redundant
        sources = ((n - 1) * rng.uniform(size=n_repeated) + 0.5).astype(np.intp)
        X[:, n:n + n_repeated] = X[:, sources]
    if n_useless > 0:
        X[:, -n_useless:] = rng.standard_normal(size=(n_samples, n_useless))

    # Label noise: the draws happen even when flip_y == 0.
    flip = rng.uniform(size=n_samples) < flip_y
    y[flip] = rng.randint(n_classes, size=flip.sum())

    if shift is None:
        shift = (2 * rng.uniform(size=n_features) - 1) * class_sep
    X += shift
    if scale is None:
        scale = 1 + 100 * rng.uniform(size=n_features)
    X *= scale

    info = (["informative"] * n_informative + ["redundant"] * n_redundant
            + ["repeated"] * n_repeated + ["random"] * n_useless)
    if shuffle:
        rows = np.arange(n_samples)
        rng.shuffle(rows)
        X, y = X[rows], y[rows]
        cols = np.arange(n_features)
        rng.shuffle(cols)
        X = X[:, cols]
        info = [info[j] for j in cols]

    if return_X_y:
        return X, y
    return Bunch(X=X, y=y, feature_info=info, parameters=parameters,
                 DESCR=make_classification.__doc__)


def _low_rank_matrix(n_samples: int, n_features: int, effective_rank: int,
                     tail_strength: float, rng: np.random.RandomState) -> np.ndarray:
    """``U diag(s) V^T`` with random orthonormal ``U``, ``V`` (QR of Gaussian matrices) and the
    singular-value profile: a Gaussian bell of width ``effective_rank`` plus an exponential tail.
    """
    n = min(n_samples, n_features)
    u, _ = scipy.linalg.qr(rng.standard_normal(size=(n_samples, n)), mode="economic",
                           check_finite=False)
    v, _ = scipy.linalg.qr(rng.standard_normal(size=(n_features, n)), mode="economic",
                           check_finite=False)
    ranks = np.arange(n, dtype=np.float64)
    bell = (1 - tail_strength) * np.exp(-1.0 * (ranks / effective_rank) ** 2)
    tail = tail_strength * np.exp(-0.1 * ranks / effective_rank)
    return np.dot(np.dot(u, np.identity(n) * (bell + tail)), v.T)


def make_regression(
    n_samples: int = 100,
    n_features: int = 100,
    *,
    n_informative: int = 10,
    n_targets: int = 1,
    bias: float = 0.0,
    effective_rank: int | None = None,
    tail_strength: float = 0.5,
    noise: float = 0.0,
    shuffle: bool = True,
    coef: bool = False,
    random_state: Any = None,
) -> tuple[np.ndarray, ...]:
    """Generate a random linear regression problem (scikit-learn's recipe and draws).

    ``X`` is standard Gaussian (or low rank with a fat tail when ``effective_rank`` is set);
    ``y = X @ w + bias + noise`` where ``w`` is ``100 * uniform`` on the first ``n_informative``
    features and 0 elsewhere, before the rows and then the features are shuffled.

    Parameters
    ----------
    n_samples : int, default=100
        Number of rows.
    n_features : int, default=100
        Number of features.
    n_informative : int, default=10
        Number of features with a non-zero coefficient (capped at ``n_features``).
    n_targets : int, default=1
        Number of outputs; ``y`` is 1-D when it is 1.
    bias : float, default=0.0
        Intercept added to every target.
    effective_rank : int or None, default=None
        None gives independent Gaussian features; an int gives a matrix whose singular values
        fall off over about ``effective_rank`` directions.
    tail_strength : float in [0, 1], default=0.5
        Weight of the slowly decaying tail of singular values (with ``effective_rank``).
    noise : float >= 0, default=0.0
        Standard deviation of the Gaussian noise added to ``y``.
    shuffle : bool, default=True
        Shuffle the rows, then the features.
    coef : bool, default=False
        Also return the coefficients.
    random_state : int, RandomState or None, default=None
        Seed of the single generator used for all draws.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,) or (n_samples, n_targets)
    coef : ndarray of shape (n_features,) or (n_features, n_targets)
        Only when ``coef=True``.
    """
    for name, value, low in [("n_samples", n_samples, 1), ("n_features", n_features, 1),
                             ("n_informative", n_informative, 0), ("n_targets", n_targets, 1)]:
        _check_int(value, name, low)
    if effective_rank is not None:
        _check_int(effective_rank, "effective_rank", 1)
    _check_real(bias, "bias", -np.inf)
    _check_real(tail_strength, "tail_strength", 0.0, 1.0)
    _check_real(noise, "noise", 0.0)
    n_informative = min(n_features, n_informative)
    rng = check_random_state(random_state)

    if effective_rank is None:
        X = rng.standard_normal(size=(n_samples, n_features))
    else:
        X = _low_rank_matrix(n_samples, n_features, effective_rank, tail_strength, rng)

    w = np.zeros((n_features, n_targets))
    w[:n_informative, :] = 100 * rng.uniform(size=(n_informative, n_targets))
    y = np.dot(X, w) + bias
    if noise > 0.0:
        y += rng.normal(scale=noise, size=y.shape)

    if shuffle:
        rows = np.arange(n_samples)
        rng.shuffle(rows)
        X, y = X[rows], y[rows]
        cols = np.arange(n_features)
        rng.shuffle(cols)
        X = X[:, cols]
        w = w[cols]

    y = np.squeeze(y)
    if coef:
        return X, y, np.squeeze(w)
    return X, y
