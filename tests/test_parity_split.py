"""Splitters give scikit-learn's exact indices and consume its exact RandomState draws."""

import re
import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import model_selection as sk  # noqa: E402

from minimlp.model_selection import _split as mm  # noqa: E402

SEEDS = [0, 1, 42, 12345]


def _same_splits(ours, theirs):
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs)
    for (tr, te), (str_, ste) in zip(ours, theirs, strict=True):
        assert np.array_equal(tr, str_) and np.array_equal(te, ste)
        assert tr.dtype == str_.dtype and te.dtype == ste.dtype


def _labels(kind, n, seed):
    rng = np.random.RandomState(seed)
    if kind == "binary":
        return rng.randint(0, 2, n)
    if kind == "imbalanced":  # the rare class is smaller than some fold counts
        return rng.choice([0, 1, 2], size=n, p=[0.8, 0.15, 0.05])
    if kind == "strings":  # first appearance differs from sorted order
        return rng.choice(["zeta", "alpha", "mid"], size=n)
    return rng.randint(0, 5, n)


@pytest.mark.parametrize("n, k", [(10, 2), (103, 5), (1003, 7), (57, 4)])
@pytest.mark.parametrize("seed", SEEDS)
def test_kfold(n, k, seed):
    X = np.zeros((n, 3))
    _same_splits(mm.KFold(k).split(X), sk.KFold(k).split(X))
    _same_splits(mm.KFold(k, shuffle=True, random_state=seed).split(X),
                 sk.KFold(k, shuffle=True, random_state=seed).split(X))


@pytest.mark.parametrize("kind", ["binary", "imbalanced", "strings", "multiclass"])
@pytest.mark.parametrize("n, k", [(1000, 5), (103, 5), (61, 3)])
@pytest.mark.parametrize("seed", SEEDS)
def test_stratified_kfold(kind, n, k, seed):
    y = _labels(kind, n, seed)
    X = np.zeros((n, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _same_splits(mm.StratifiedKFold(k).split(X, y), sk.StratifiedKFold(k).split(X, y))
        _same_splits(mm.StratifiedKFold(k, shuffle=True, random_state=seed).split(X, y),
                     sk.StratifiedKFold(k, shuffle=True, random_state=seed).split(X, y))


def test_stratified_kfold_make_classification_labels():
    from sklearn.datasets import make_classification

    _, y = make_classification(n_samples=1000, random_state=0)
    X = np.zeros((1000, 1))
    _same_splits(mm.StratifiedKFold(5).split(X, y), sk.StratifiedKFold(5).split(X, y))


def test_shuffled_kfold_with_random_state_object_advances_alike():
    X = np.zeros((50, 1))
    y = _labels("multiclass", 50, 3)
    ours, theirs = np.random.RandomState(9), np.random.RandomState(9)
    _same_splits(mm.StratifiedKFold(3, shuffle=True, random_state=ours).split(X, y),
                 sk.StratifiedKFold(3, shuffle=True, random_state=theirs).split(X, y))
    _same_splits(mm.KFold(3, shuffle=True, random_state=ours).split(X),
                 sk.KFold(3, shuffle=True, random_state=theirs).split(X))
    assert ours.randint(2**31) == theirs.randint(2**31)


@pytest.mark.parametrize("test_size, train_size", [
    (None, None), (0.3, None), (None, 0.55), (0.5, 0.2), (7, None), (None, 11), (0.01, None),
])
@pytest.mark.parametrize("seed", SEEDS)
def test_shuffle_split(test_size, train_size, seed):
    X = np.zeros((37, 2))
    kw = {"test_size": test_size, "train_size": train_size, "random_state": seed}
    _same_splits(mm.ShuffleSplit(4, **kw).split(X), sk.ShuffleSplit(4, **kw).split(X))


@pytest.mark.parametrize("kind", ["binary", "imbalanced", "strings", "multiclass"])
@pytest.mark.parametrize("test_size, train_size", [(None, None), (0.2, None), (0.3, 0.5), (25, 40)])
@pytest.mark.parametrize("seed", SEEDS)
def test_stratified_shuffle_split(kind, test_size, train_size, seed):
    y = _labels(kind, 101, seed)
    X = np.zeros((101, 2))
    kw = {"test_size": test_size, "train_size": train_size, "random_state": seed}
    _same_splits(mm.StratifiedShuffleSplit(3, **kw).split(X, y),
                 sk.StratifiedShuffleSplit(3, **kw).split(X, y))


def _tts(module, *arrays, rng_seed, **kw):
    rng = np.random.RandomState(rng_seed)
    return module.train_test_split(*arrays, random_state=rng, **kw), rng


@pytest.mark.parametrize("n", [10, 97, 200, 1000])
@pytest.mark.parametrize("fraction", [0.1, 0.2, 0.33])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("stratify", [False, True])
def test_train_test_split_early_stopping_call(n, fraction, seed, stratify):
    """The MLP's call: a RandomState that must end in scikit-learn's state; (n,1) bool labels."""
    rs = np.random.RandomState(seed + 1)
    X = rs.normal(size=(n, 3))
    y = rs.randint(0, 2, n)
    y_2d = (y.reshape(-1, 1) == 1)  # the binary MLP's label-binarised target
    strat = y_2d if stratify else None
    try:
        (theirs, rng_theirs) = _tts(sk, X, y_2d, test_size=fraction, stratify=strat,
                                    rng_seed=seed)
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            _tts(mm, X, y_2d, test_size=fraction, stratify=strat, rng_seed=seed)
        return
    ours, rng_ours = _tts(mm, X, y_2d, test_size=fraction, stratify=strat, rng_seed=seed)
    assert len(ours) == len(theirs) == 4
    for a, b in zip(ours, theirs, strict=True):
        assert np.array_equal(a, b)
    state_ours, state_theirs = rng_ours.get_state(), rng_theirs.get_state()
    assert np.array_equal(state_ours[1], state_theirs[1]) and state_ours[2] == state_theirs[2]


@pytest.mark.parametrize("seed", SEEDS)
def test_train_test_split_lists_strings_and_many_arrays(seed):
    X = [[i, -i] for i in range(30)]
    y = np.array(["b", "a", "c"] * 10)
    w = np.arange(30.0)
    for kw in [{}, {"stratify": y}, {"test_size": 4, "train_size": 20}, {"shuffle": False}]:
        theirs = sk.train_test_split(X, y, w, random_state=seed, **kw)
        ours = mm.train_test_split(X, y, w, random_state=seed, **kw)
        assert len(ours) == 6
        assert ours[0] == theirs[0] and ours[1] == theirs[1]  # lists stay lists
        for a, b in zip(ours[2:], theirs[2:], strict=True):
            assert np.array_equal(a, b)


@pytest.mark.parametrize("kwargs", [
    {"test_size": 0.0}, {"test_size": 1.0}, {"test_size": 10}, {"train_size": 12},
    {"test_size": 6, "train_size": 5}, {"test_size": 0.96}, {"train_size": 0.05},
    {"test_size": 0.7, "train_size": 0.6},
])
def test_shuffle_split_error_messages(kwargs):
    X = np.zeros(10)
    with pytest.raises(ValueError) as theirs:
        next(sk.ShuffleSplit(**kwargs).split(X))
    with pytest.raises(ValueError) as ours:
        next(mm.ShuffleSplit(**kwargs).split(X))
    assert str(ours.value) == str(theirs.value)


def test_error_messages_match():
    cases = [
        (lambda m: list(m.StratifiedKFold(3).split(np.zeros(4), [0, 0, 1, 1]))),
        (lambda m: list(m.KFold(5).split(np.zeros(3)))),
        (lambda m: m.KFold(3, random_state=0)),
        (lambda m: m.KFold(1)),
        (lambda m: list(m.StratifiedKFold(2).split(np.zeros(4), [0.5, 0.1, 1.2, 3.0]))),
        (lambda m: next(m.StratifiedShuffleSplit(test_size=2).split(
            np.zeros(10), [0] * 4 + [1] * 4 + [2] * 2))),
        (lambda m: next(m.StratifiedShuffleSplit(test_size=3).split(
            np.zeros(10), [0] * 5 + [1] * 4 + [2]))),
    ]
    for case in cases:
        with pytest.raises(ValueError) as theirs:
            case(sk)
        with pytest.raises(ValueError) as ours:
            case(mm)
        assert str(ours.value) == str(theirs.value)
    with pytest.warns(UserWarning) as theirs:
        list(sk.StratifiedKFold(3).split(np.zeros(7), [0, 0, 0, 0, 0, 1, 1]))
    with pytest.warns(UserWarning) as ours:
        list(mm.StratifiedKFold(3).split(np.zeros(7), [0, 0, 0, 0, 0, 1, 1]))
    assert str(ours[0].message) == str(theirs[0].message)


@pytest.mark.parametrize("cv, y, classifier", [
    (None, None, False), (3, [0, 1] * 5, True), (4, [0, 1] * 5, False),
    (5, np.linspace(0, 1, 10), True), (3, np.array([[0, 1], [1, 0]] * 5), True),
    (2, ["a", "b", "c"] * 4, True),
])
def test_check_cv_choice_and_repr(cv, y, classifier):
    ours, theirs = mm.check_cv(cv, y, classifier=classifier), sk.check_cv(cv, y,
                                                                           classifier=classifier)
    assert type(ours).__name__ == type(theirs).__name__
    assert repr(ours) == repr(theirs)
