"""make_classification / make_regression against scikit-learn: the arrays must be identical."""

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import datasets as sk_datasets  # noqa: E402

from minimlp.datasets import make_classification, make_regression  # noqa: E402

SEEDS = [0, 1, 42, 12345]

CLASSIFICATION_CASES = {
    "defaults (reservoir, no draws)": {},
    "seed workflow": dict(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                          shuffle=False),
    "tracking selection": dict(n_informative=10, n_redundant=0),
    "tracking, odd dim": dict(n_informative=9, n_features=30),
    "permutation path": dict(n_informative=5, n_classes=4),
    "permutation, 3 clusters": dict(n_informative=8, n_clusters_per_class=3, n_classes=5),
    "n_informative > 30": dict(n_informative=35, n_features=40, n_classes=3),
    "random polytope": dict(hypercube=False, shift=None, scale=None, class_sep=2.0),
    "repeated": dict(n_repeated=3),
    "weights n_classes - 1": dict(weights=[0.2, 0.3], n_classes=3, n_informative=3),
    "weights n_classes": dict(weights=[0.1, 0.9]),
    "weights sum > 1": dict(weights=[0.8, 0.8]),
    "no label noise": dict(flip_y=0),
    "much label noise": dict(flip_y=0.5),
    "no shuffle": dict(shuffle=False),
    "empty clusters": dict(n_samples=7, n_clusters_per_class=1, n_classes=3),
    "one class": dict(n_classes=1, n_informative=1, n_clusters_per_class=1),
    "array shift and scale": dict(n_features=5, n_redundant=1, shift=np.arange(5.0),
                                  scale=np.linspace(1, 3, 5)),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kwargs", CLASSIFICATION_CASES.values(), ids=CLASSIFICATION_CASES)
def test_make_classification_is_bit_identical(kwargs, seed):
    X_ref, y_ref = sk_datasets.make_classification(random_state=seed, **kwargs)
    X, y = make_classification(random_state=seed, **kwargs)
    assert X.dtype == X_ref.dtype and y.dtype == y_ref.dtype
    np.testing.assert_array_equal(X, X_ref, strict=True)
    np.testing.assert_array_equal(y, y_ref, strict=True)


def test_make_classification_random_state_instance_advances_like_sklearn():
    ours, theirs = np.random.RandomState(3), np.random.RandomState(3)
    for _ in range(2):
        X, y = make_classification(n_informative=4, random_state=ours)
        X_ref, y_ref = sk_datasets.make_classification(n_informative=4, random_state=theirs)
        np.testing.assert_array_equal(X, X_ref)
        np.testing.assert_array_equal(y, y_ref)


def test_make_classification_bunch_matches_sklearn():
    kwargs = dict(n_repeated=2, random_state=3, return_X_y=False)
    ours, theirs = make_classification(**kwargs), sk_datasets.make_classification(**kwargs)
    assert ours.feature_info == theirs.feature_info
    assert ours.parameters == theirs.parameters
    np.testing.assert_array_equal(ours.X, theirs.X)


REGRESSION_CASES = {
    "defaults": {},
    "multi-target, noise, bias": dict(n_targets=3, noise=1.5, bias=2.0),
    "n_informative > n_features": dict(n_informative=200),
    "no shuffle": dict(shuffle=False, noise=0.3),
    "low rank": dict(effective_rank=5),
    "low rank, wide": dict(effective_rank=3, n_samples=50, n_features=200, tail_strength=0.2,
                           noise=1.0, n_targets=2),
    "no informative": dict(n_informative=0),
    "1 x 1": dict(n_samples=1, n_features=1),
}


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("kwargs", REGRESSION_CASES.values(), ids=REGRESSION_CASES)
def test_make_regression_is_bit_identical(kwargs, seed):
    ref = sk_datasets.make_regression(random_state=seed, coef=True, **kwargs)
    ours = make_regression(random_state=seed, coef=True, **kwargs)
    for a, b in zip(ours, ref, strict=True):
        np.testing.assert_array_equal(a, b, strict=True)


def test_make_regression_without_coef_returns_two_arrays():
    X, y = make_regression(n_samples=20, n_features=4, random_state=0)
    X_ref, y_ref = sk_datasets.make_regression(n_samples=20, n_features=4, random_state=0)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
