"""Invariants and errors of the splitters (scikit-learn parity is in test_parity_split.py)."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimlp.model_selection._split import (
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    check_cv,
    train_test_split,
)


def _check_partition(splits, n_samples, n_splits):
    """Folds: ascending int64 indices, train = complement of test, tests cover everything once."""
    assert len(splits) == n_splits
    seen = np.zeros(n_samples, dtype=int)
    for train, test in splits:
        assert train.dtype == np.int64 and test.dtype == np.int64
        assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)
        assert np.array_equal(np.union1d(train, test), np.arange(n_samples))
        assert len(train) + len(test) == n_samples
        seen[test] += 1
    assert np.all(seen == 1)
    sizes = [len(test) for _, test in splits]
    assert max(sizes) - min(sizes) <= 1


@settings(deadline=None, max_examples=60)
@given(n=st.integers(2, 80), data=st.data(), shuffle=st.booleans(), seed=st.integers(0, 2**31))
def test_kfold_partitions(n, data, shuffle, seed):
    k = data.draw(st.integers(2, n))
    cv = KFold(k, shuffle=shuffle, random_state=seed if shuffle else None)
    splits = list(cv.split(np.zeros((n, 1))))
    _check_partition(splits, n, k)
    # Larger folds first: the first n % k folds have one more row.
    assert [len(t) for _, t in splits] == [n // k + (i < n % k) for i in range(k)]
    if shuffle:  # an int seed gives the same folds on every call
        again = list(cv.split(np.zeros((n, 1))))
        assert all(np.array_equal(a[1], b[1]) for a, b in zip(splits, again, strict=True))
    else:  # consecutive blocks
        assert all(np.array_equal(t, np.arange(t[0], t[0] + len(t))) for _, t in splits)


@settings(deadline=None, max_examples=60)
@given(counts=st.lists(st.integers(5, 30), min_size=2, max_size=4), k=st.integers(2, 5),
       shuffle=st.booleans(), seed=st.integers(0, 2**31))
def test_stratified_kfold_keeps_proportions(counts, k, shuffle, seed):
    y = np.repeat(np.array(["b", "a", "d", "c"][: len(counts)]), counts)
    y = np.random.RandomState(seed).permutation(y)
    cv = StratifiedKFold(k, shuffle=shuffle, random_state=seed if shuffle else None)
    splits = list(cv.split(np.zeros(len(y)), y))
    _check_partition(splits, len(y), k)
    for label in np.unique(y):
        per_fold = [np.sum(y[test] == label) for _, test in splits]
        assert max(per_fold) - min(per_fold) <= 1  # every class spread evenly over the folds


def test_kfold_hand_example():
    splits = list(KFold(3).split(list(range(7))))
    assert [t.tolist() for _, t in splits] == [[0, 1, 2], [3, 4], [5, 6]]
    assert splits[0][0].tolist() == [3, 4, 5, 6]


def test_stratified_kfold_blocks_and_first_appearance():
    y = [0] * 500 + [1] * 500
    _, test = next(StratifiedKFold(5).split(np.zeros(1000), y))
    assert test.tolist() == list(range(100)) + list(range(500, 600))
    # Codes follow first appearance ("z" first): the allocation of the sorted codes hands the
    # extra member of an odd count to fold 0 for "z", then continues round-robin with "a".
    y = ["z", "z", "z", "a", "a", "a"]
    tests = [t.tolist() for _, t in StratifiedKFold(2).split(np.zeros(6), y)]
    assert tests == [[0, 1, 3], [2, 4, 5]]


@pytest.mark.parametrize("n_splits", [1, 0, -3, True])
def test_kfold_rejects_small_n_splits(n_splits):
    with pytest.raises(ValueError, match=r"n_splits=2 or more, got n_splits="):
        KFold(n_splits)


@pytest.mark.parametrize("n_splits", [2.0, "3", None])
def test_kfold_rejects_non_int_n_splits(n_splits):
    with pytest.raises(ValueError, match=re.escape(f"n_splits={n_splits!r}")):
        StratifiedKFold(n_splits)


def test_kfold_errors():
    with pytest.raises(ValueError, match="random_state has no effect since shuffle is False"):
        KFold(3, random_state=0)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        KFold(3, shuffle="yes")
    with pytest.raises(ValueError, match="n_splits=5 greater than the number of samples: "
                                         "n_samples=3"):
        list(KFold(5).split(np.zeros(3)))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        list(KFold(2).split(np.zeros(4), np.zeros(3)))


def test_stratified_kfold_errors_and_warning():
    X = np.zeros(7)
    with pytest.raises(ValueError, match="n_splits=3 cannot be greater than the number of members"):
        list(StratifiedKFold(3).split(np.zeros(4), [0, 0, 1, 1]))
    with pytest.warns(UserWarning, match="least populated class in y has only 2 members, which is "
                                         "less than n_splits=3"):
        list(StratifiedKFold(3).split(X, [0, 0, 0, 0, 0, 1, 1]))
    with pytest.raises(ValueError, match="Got 'continuous' instead"):
        list(StratifiedKFold(2).split(np.zeros(4), [0.5, 0.1, 1.2, 3.0]))
    with pytest.raises(ValueError, match="Got 'multilabel-indicator' instead"):
        list(StratifiedKFold(2).split(np.zeros(4), [[0, 1], [1, 0], [1, 1], [0, 0]]))
    with pytest.raises(ValueError, match="requires the class labels y"):
        list(StratifiedKFold(2).split(np.zeros(4)))


def test_get_n_splits_and_repr():
    assert KFold(4).get_n_splits() == 4
    assert ShuffleSplit(7).get_n_splits(np.zeros(3)) == 7
    assert repr(KFold()) == "KFold(n_splits=5, random_state=None, shuffle=False)"
    assert repr(StratifiedShuffleSplit(3, test_size=0.2)) == (
        "StratifiedShuffleSplit(n_splits=3, random_state=None, test_size=0.2, train_size=None)")


@pytest.mark.parametrize("test_size, train_size, n_test, n_train", [
    (None, None, 3, 7),      # default test fraction 0.25 -> ceil(2.5)
    (0.01, None, 1, 9),      # test fraction rounds up
    (None, 0.55, 5, 5),      # train fraction rounds down, test is the complement
    (0.5, 0.2, 5, 2),
    (3, None, 3, 7),
    (None, 3, 7, 3),
    (0.5, 0.5, 5, 5),        # fractions may add up to exactly 1
])
def test_train_test_split_sizes(test_size, train_size, n_test, n_train):
    X = np.arange(20).reshape(10, 2)
    X_train, X_test = train_test_split(X, test_size=test_size, train_size=train_size,
                                       random_state=0)
    assert (len(X_test), len(X_train)) == (n_test, n_train)
    assert not set(X_train[:, 0]) & set(X_test[:, 0])


@pytest.mark.parametrize("kwargs, message", [
    ({"test_size": 0.0}, "test_size=0.0 should be either positive and smaller than the number of "
                         "samples 10 or a float in the (0, 1) range"),
    ({"test_size": 1.0}, "test_size=1.0 should be"),
    ({"test_size": 10}, "test_size=10 should be"),
    ({"test_size": -1}, "test_size=-1 should be"),
    ({"train_size": 0}, "train_size=0 should be"),
    ({"train_size": 1.5}, "train_size=1.5 should be"),
    ({"test_size": "a"}, "Invalid value for test_size: 'a'"),
    ({"test_size": True}, "Invalid value for test_size: True"),
    ({"test_size": 0.7, "train_size": 0.6}, "The sum of test_size and train_size = "),
    ({"test_size": 6, "train_size": 5}, "The sum of train_size and test_size = 11, should be "
                                        "smaller than the number of samples 10"),
    ({"test_size": 0.96}, "With n_samples=10, test_size=0.96 and train_size=None, the resulting "
                          "train set will be empty"),
    ({"shuffle": False, "stratify": [0, 1] * 5}, "not implemented for shuffle=False"),
])
def test_train_test_split_errors(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        train_test_split(np.arange(10), **kwargs)


def test_train_test_split_misc():
    with pytest.raises(ValueError, match="At least one array required"):
        train_test_split()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        train_test_split(np.arange(10), np.arange(9))
    a_train, a_test, b_train, b_test = train_test_split(list(range(10)), np.arange(10) * 2,
                                                        shuffle=False, test_size=3)
    assert a_train == list(range(7)) and a_test == [7, 8, 9]
    assert b_test.tolist() == [14, 16, 18]
    # The same seed gives the same split; lists and arrays are indexed alike.
    l_train, _, x_train, _ = train_test_split(list(range(10)), np.arange(10), random_state=3)
    assert l_train == x_train.tolist() and isinstance(l_train, list)


@settings(deadline=None, max_examples=40)
@given(n0=st.integers(2, 40), n1=st.integers(2, 40), frac=st.floats(0.1, 0.5),
       seed=st.integers(0, 2**31))
def test_stratified_split_proportions(n0, n1, frac, seed):
    y = np.array([0] * n0 + [1] * n1)
    rng = np.random.RandomState(seed)
    try:
        y_train, y_test = train_test_split(y, test_size=frac, random_state=rng, stratify=y)
    except ValueError as exc:  # too few test or train rows for two classes
        assert "should be greater or equal to the number of classes" in str(exc)
        return
    assert len(y_test) == int(np.ceil(frac * len(y)))
    # Each class gets its proportional share of the test set, up to rounding.
    assert abs(np.sum(y_test == 1) - n1 / len(y) * len(y_test)) < 1 + 1e-9
    assert np.bincount(y_train, minlength=2).tolist() == [n0 - np.sum(y_test == 0),
                                                          n1 - np.sum(y_test == 1)]


def test_shuffle_split_reproducible_and_disjoint():
    X = np.zeros((20, 1))
    a = list(ShuffleSplit(4, test_size=5, random_state=1).split(X))
    b = list(ShuffleSplit(4, test_size=5, random_state=1).split(X))
    for (tr, te), (tr2, te2) in zip(a, b, strict=True):
        assert np.array_equal(tr, tr2) and np.array_equal(te, te2)
        assert len(te) == 5 and len(tr) == 15 and not set(tr) & set(te)
    assert not np.array_equal(a[0][1], a[1][1])


def test_stratified_shuffle_split_errors():
    X = np.zeros(10)
    with pytest.raises(ValueError, match=r"minimum number of groups for any class cannot be less "
                                         r"than 2. Classes with too few members are: \[2\]"):
        next(StratifiedShuffleSplit(test_size=3).split(X, [0] * 5 + [1] * 4 + [2]))
    with pytest.raises(ValueError, match="The test_size = 2 should be greater or equal to the "
                                         "number of classes = 3"):
        next(StratifiedShuffleSplit(test_size=2).split(X, [0] * 4 + [1] * 4 + [2] * 2))
    with pytest.raises(ValueError, match="The train_size = 2 should be greater"):
        next(StratifiedShuffleSplit(train_size=2).split(X, [0] * 4 + [1] * 4 + [2] * 2))


def test_stratify_on_2d_bool_column():
    y = np.array([True] * 6 + [False] * 4).reshape(-1, 1)
    y_train, y_test = train_test_split(y, test_size=0.5, random_state=0, stratify=y)
    assert y_test.sum() == 3 and y_train.sum() == 3


def test_check_cv():
    assert repr(check_cv()) == "KFold(n_splits=5, random_state=None, shuffle=False)"
    assert isinstance(check_cv(3, [0, 1, 0, 1], classifier=True), StratifiedKFold)
    assert isinstance(check_cv(3, ["a", "b", "c"], classifier=True), StratifiedKFold)
    assert type(check_cv(3, [0, 1, 0, 1])) is KFold  # not a classifier
    assert type(check_cv(3, [0.5, 1.5], classifier=True)) is KFold  # continuous y
    assert type(check_cv(3, None, classifier=True)) is KFold
    cv = ShuffleSplit(2)
    assert check_cv(cv) is cv
    pairs = [([0, 1], [2]), ([2], [0, 1])]
    wrapped = check_cv(iter(pairs))
    assert wrapped.get_n_splits() == 2
    assert list(wrapped.split(np.zeros(3))) == pairs
    assert list(wrapped.split(np.zeros(3))) == pairs  # can be iterated again
    for bad in ["a", 3.0, object()]:
        with pytest.raises(ValueError, match=re.escape(f"cv={bad!r}")):
            check_cv(bad)
