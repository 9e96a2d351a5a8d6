"""Independent checks of the data generators: structure, invariants and error messages."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimlp.datasets import make_classification, make_regression


def _rank(A):
    return np.linalg.matrix_rank(A, tol=1e-8 * max(1.0, np.abs(A).max()))


def test_classification_shapes_and_dtypes():
    X, y = make_classification(n_samples=37, n_features=9, random_state=0)
    assert X.shape == (37, 9) and X.dtype == np.float64
    assert y.shape == (37,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}


def test_classification_same_seed_same_data_other_seed_other_data():
    a = make_classification(random_state=7)
    b = make_classification(random_state=7)
    c = make_classification(random_state=8)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_classification_column_blocks_without_shuffle():
    # informative (3) | redundant (2) = combinations of informative | repeated (2) | noise (3)
    X, _ = make_classification(n_samples=200, n_features=10, n_informative=3, n_redundant=2,
                               n_repeated=2, shuffle=False, random_state=1)
    assert _rank(X[:, :3]) == 3
    assert _rank(X[:, :5]) == 3  # the redundant columns add no direction
    for j in (5, 6):  # each repeated column is a copy of one of the first five
        assert any(np.array_equal(X[:, j], X[:, k]) for k in range(5))
    assert _rank(X) == 6  # 3 informative + 3 noise directions


def test_classification_class_counts_follow_weights_without_flips():
    # int(100 * w / 2) rows per cluster, 2 clusters per class, no remainder to deal out.
    _, y = make_classification(n_samples=100, weights=[0.1, 0.9], flip_y=0, random_state=0)
    assert np.bincount(y).tolist() == [10, 90]
    # n_classes - 1 weights: the last one is 1 - sum; remainder rows go to clusters 0, 1, ...
    _, y = make_classification(n_samples=10, n_classes=3, n_informative=3, weights=[0.5, 0.2],
                               flip_y=0, n_clusters_per_class=1, random_state=0)
    assert np.bincount(y).tolist() == [5, 2, 3]


def test_classification_balanced_remainder_goes_to_first_clusters():
    # 7 rows over 3 single-cluster classes: 2 each, the spare row to cluster 0.
    _, y = make_classification(n_samples=7, n_classes=3, n_clusters_per_class=1, flip_y=0,
                               random_state=0)
    assert np.bincount(y).tolist() == [3, 2, 2]


def test_classification_centroids_on_hypercube_vertices():
    # Huge class_sep: each informative coordinate's sign is the vertex, so the classes split
    # exactly along the 4 quadrants (2 clusters per class).
    X, y = make_classification(n_samples=400, n_features=2, n_redundant=0, class_sep=1e6,
                               flip_y=0, shuffle=False, random_state=3)
    quadrant = (X[:, 0] > 0) * 2 + (X[:, 1] > 0)
    assert len(np.unique(quadrant)) == 4
    for q in range(4):
        assert len(np.unique(y[quadrant == q])) == 1


def test_classification_shift_and_scale_are_applied_in_that_order():
    base, _ = make_classification(n_features=4, n_redundant=0, random_state=5)
    moved, _ = make_classification(n_features=4, n_redundant=0, shift=2.0, scale=3.0,
                                   random_state=5)
    np.testing.assert_allclose(moved, (base + 2.0) * 3.0, rtol=1e-14)


def test_classification_random_scale_range():
    X, _ = make_classification(n_samples=500, n_features=6, n_redundant=0, scale=None,
                               shuffle=False, random_state=0)
    ref, _ = make_classification(n_samples=500, n_features=6, n_redundant=0, shuffle=False,
                                 random_state=0)
    ratios = X[0] / ref[0]
    assert np.all((ratios >= 1) & (ratios < 101))


def test_classification_flip_y_one_redraws_labels():
    _, y0 = make_classification(n_samples=300, flip_y=0.0, random_state=2)
    _, y1 = make_classification(n_samples=300, flip_y=1.0, random_state=2)
    changed = np.mean(y0 != y1)
    assert 0.35 < changed < 0.65  # a redraw keeps the label half of the time


def test_classification_bunch():
    b = make_classification(n_features=6, n_redundant=1, n_repeated=1, shuffle=False,
                            random_state=0, return_X_y=False)
    assert b.feature_info == ["informative"] * 2 + ["redundant", "repeated", "random", "random"]
    assert b["X"] is b.X and b.y.shape == (100,)
    assert b.parameters["n_repeated"] == 1


@settings(deadline=None, max_examples=30)
@given(n_samples=st.integers(1, 60), n_informative=st.integers(1, 6),
       n_classes=st.integers(1, 4), extra=st.integers(0, 4), seed=st.integers(0, 2**31 - 1))
def test_classification_invariants(n_samples, n_informative, n_classes, extra, seed):
    if n_classes * 2 > 2**n_informative:
        return
    X, y = make_classification(n_samples=n_samples, n_features=n_informative + extra,
                               n_informative=n_informative, n_redundant=0, n_classes=n_classes,
                               random_state=seed)
    assert X.shape == (n_samples, n_informative + extra)
    assert np.isfinite(X).all()
    assert y.min() >= 0 and y.max() < n_classes


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_informative=3, n_redundant=10, n_repeated=8),
     "Number of informative, redundant and repeated features must sum to less than"),
    (dict(n_informative=1, n_redundant=0, n_classes=3, n_clusters_per_class=1),
     r"n_classes\(3\) \* n_clusters_per_class\(1\) must be smaller or equal "
     r"2\*\*n_informative\(1\)=2"),
    (dict(weights=[0.2, 0.3, 0.5, 0.1]), "Weights specified but incompatible with number"),
    (dict(n_samples=0), "'n_samples' parameter must be an int in the range \\[1, inf\\)"),
    (dict(n_samples=1.5), "'n_samples' parameter must be an int"),
    (dict(n_features=True), "'n_features' parameter must be an int"),
    (dict(n_informative=0), "'n_informative' parameter must be an int"),
    (dict(n_redundant=-1), "'n_redundant' parameter must be an int in the range \\[0, inf\\)"),
    (dict(n_clusters_per_class=0), "'n_clusters_per_class' parameter"),
    (dict(flip_y=1.5), "'flip_y' parameter must be a float in the range \\[0.0, 1.0\\]"),
    (dict(class_sep=0.0), "'class_sep' parameter must be a float in the range \\(0.0, inf\\)"),
    (dict(random_state="x"), "random_state='x' cannot be used to seed"),
])
def test_classification_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_classification(**kwargs)


def test_regression_targets_are_linear_in_the_features():
    X, y, coef = make_regression(n_samples=50, n_features=8, n_informative=3, bias=4.0,
                                 coef=True, random_state=0)
    assert X.shape == (50, 8) and y.shape == (50,) and coef.shape == (8,)
    assert np.count_nonzero(coef) == 3
    assert np.all((coef >= 0) & (coef < 100))
    np.testing.assert_allclose(y, X @ coef + 4.0, rtol=1e-12, atol=1e-10)


def test_regression_noise_is_gaussian_with_the_given_scale():
    X, y, coef = make_regression(n_samples=4000, n_features=3, noise=2.0, coef=True,
                                 random_state=1)
    residual = y - X @ coef
    assert abs(residual.mean()) < 0.15
    assert abs(residual.std() - 2.0) < 0.1


def test_regression_multi_target_shapes():
    X, y, coef = make_regression(n_samples=10, n_features=5, n_informative=2, n_targets=3,
                                 coef=True, random_state=0)
    assert y.shape == (10, 3) and coef.shape == (5, 3)
    assert (np.count_nonzero(coef, axis=0) == 2).all()
    np.testing.assert_allclose(y, X @ coef, rtol=1e-12, atol=1e-10)


def test_regression_shuffle_permutes_rows_and_features():
    X0, y0, c0 = make_regression(n_samples=30, n_features=6, n_informative=2, shuffle=False,
                                 coef=True, random_state=4)
    X1, y1, c1 = make_regression(n_samples=30, n_features=6, n_informative=2, coef=True,
                                 random_state=4)
    assert np.all(c0[2:] == 0) and np.all(c0[:2] > 0)
    np.testing.assert_array_equal(np.sort(X0.ravel()), np.sort(X1.ravel()))
    np.testing.assert_array_equal(np.sort(y0), np.sort(y1))
    np.testing.assert_array_equal(np.sort(c0), np.sort(c1))


def test_regression_effective_rank_singular_value_profile():
    n, rank, tail = 40, 4, 0.3
    X, _ = make_regression(n_samples=n, n_features=60, effective_rank=rank, tail_strength=tail,
                           random_state=0)
    i = np.arange(n)
    expected = (1 - tail) * np.exp(-((i / rank) ** 2)) + tail * np.exp(-0.1 * i / rank)
    np.testing.assert_allclose(np.linalg.svd(X, compute_uv=False), np.sort(expected)[::-1],
                               rtol=1e-10)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_samples=0), "'n_samples' parameter must be an int"),
    (dict(n_features=0), "'n_features' parameter must be an int"),
    (dict(n_informative=-1), "'n_informative' parameter must be an int in the range \\[0"),
    (dict(n_targets=0), "'n_targets' parameter must be an int"),
    (dict(effective_rank=0), "'effective_rank' parameter must be an int"),
    (dict(tail_strength=2.0), "'tail_strength' parameter must be a float in the range"),
    (dict(noise=-1.0), "'noise' parameter must be a float in the range \\[0.0, inf\\)"),
    (dict(bias="a"), "'bias' parameter must be a float"),
])
def test_regression_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_regression(**kwargs)
