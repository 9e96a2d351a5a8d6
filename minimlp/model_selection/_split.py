"""Cross-validation splitters and ``train_test_split`` with scikit-learn's exact indices (spec §3).

Every splitter draws from a legacy ``RandomState`` in the same order as scikit-learn, so the same
seed (or the same ``RandomState`` object in the same state) gives the same indices.
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..utils.validation import check_consistent_length, check_random_state, type_of_target

__all__ = [
    "KFold",
    "StratifiedKFold",
    "ShuffleSplit",
    "StratifiedShuffleSplit",
    "train_test_split",
    "check_cv",
]

Split = tuple[np.ndarray, np.ndarray]


def _num_samples(X: Any) -> int:
    """Number of rows of an array-like (``shape[0]`` when there is a shape, else ``len``)."""
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    if X is None or not hasattr(X, "__len__") or isinstance(X, str):
        raise TypeError(f"Expected an array-like with a number of samples; got {X!r}.")
    return len(X)


class _BaseSplitter:
    """``repr`` from the constructor signature (scikit-learn style, sorted names)."""

    def __repr__(self) -> str:
        names = sorted(p for p in inspect.signature(type(self).__init__).parameters if p != "self")
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({args})"

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of (train, test) pairs that ``split`` yields."""
        return self.n_splits


class _BaseKFold(_BaseSplitter):
    def __init__(self, n_splits: int, *, shuffle: bool, random_state: Any) -> None:
        if not isinstance(n_splits, numbers.Integral):
            raise ValueError(f"The number of folds must be of Integral type. n_splits={n_splits!r}"
                             f" of type {type(n_splits).__name__} was passed.")
        if n_splits <= 1:
            raise ValueError("k-fold cross-validation requires at least one train/test split by "
                             f"setting n_splits=2 or more, got n_splits={n_splits}.")
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}")
        if not shuffle and random_state is not None:
            raise ValueError("Setting a random_state has no effect since shuffle is False. You "
                             "should leave random_state to its default (None), or set "
                             "shuffle=True.")
        self.n_splits = int(n_splits)
        self.shuffle = bool(shuffle)
        self.random_state = random_state

    def _fold_labels(self, n_samples: int, y: Any) -> np.ndarray:
        raise NotImplementedError

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yield ``(train, test)`` index arrays (int64, both ascending), one pair per fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Only its number of rows is used.
        y : array-like of shape (n_samples,), default=None
            Class labels (required by :class:`StratifiedKFold`).
        groups : ignored
            Accepted for API compatibility.
        """
        n_samples = _num_samples(X)
        check_consistent_length(X, y, groups)
        if self.n_splits > n_samples:
            raise ValueError(f"Cannot have number of splits n_splits={self.n_splits} greater than"
                             f" the number of samples: n_samples={n_samples}.")
        # Reading each fold back through a mask returns indices in ascending order, as sklearn does.
        labels = self._fold_labels(n_samples, y)
        indices = np.arange(n_samples, dtype=np.int64)
        for fold in range(self.n_splits):
            mask = labels == fold
            yield indices[~mask], indices[mask]


class KFold(_BaseKFold):
    """K consecutive folds of ``arange(n)`` (shuffled once first if ``shuffle``).

    The first ``n % n_splits`` folds have ``n // n_splits + 1`` rows, the others ``n // n_splits``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle the row order once (per ``split`` call) before cutting it into blocks.
    random_state : None, int or RandomState, default=None
        Seed for the shuffle; must be None when ``shuffle=False``.
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False,
                 random_state: Any = None) -> None:
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _fold_labels(self, n_samples: int, y: Any) -> np.ndarray:
        order = np.arange(n_samples)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(order)
        sizes = np.full(self.n_splits, n_samples // self.n_splits)
        sizes[: n_samples % self.n_splits] += 1
        labels = np.empty(n_samples, dtype=np.int64)
        labels[order] = np.repeat(np.arange(self.n_splits), sizes)
        return labels


class StratifiedKFold(_BaseKFold):
    """K folds that keep each class's share of rows (scikit-learn's allocation, spec §3.3).

    Classes are numbered by first appearance in ``y``; the sorted class codes are dealt round-robin
    to the folds to fix how many rows of each class each fold gets; each class's rows (in index
    order) then take their fold labels in blocks, shuffled once per class if ``shuffle``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle each class's fold labels (one shuffle per class, in class-code order).
    random_state : None, int or RandomState, default=None
        Seed for the shuffles; must be None when ``shuffle=False``.
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False,
                 random_state: Any = None) -> None:
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _fold_labels(self, n_samples: int, y: Any) -> np.ndarray:
        if y is None:
            raise ValueError("StratifiedKFold.split requires the class labels y; got y=None.")
        y = np.asarray(y)
        kind = type_of_target(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError("Supported target types are: ('binary', 'multiclass'). "
                             f"Got {kind!r} instead.")
        y = y.reshape(-1)
        _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
        codes = np.argsort(np.argsort(first))[inverse.reshape(-1)]  # first appearance -> code 0
        n_classes = len(first)
        counts = np.bincount(codes, minlength=n_classes)
        k = self.n_splits
        if np.all(counts < k):
            raise ValueError(f"n_splits={k} cannot be greater than the number of members in each "
                             "class.")
        if counts.min() < k:
            warnings.warn(f"The least populated class in y has only {counts.min()} members, which "
                          f"is less than n_splits={k}.", UserWarning, stacklevel=3)
        ordered = np.sort(codes)
        alloc = np.array([np.bincount(ordered[i::k], minlength=n_classes) for i in range(k)])
        rng = check_random_state(self.random_state) if self.shuffle else None
        labels = np.empty(n_samples, dtype=np.int64)
        for c in range(n_classes):
            class_labels = np.repeat(np.arange(k), alloc[:, c])
            if rng is not None:
                rng.shuffle(class_labels)
            labels[codes == c] = class_labels
        return labels


def _split_sizes(n_samples: int, test_size: Any, train_size: Any,
                 default_test_size: float) -> tuple[int, int]:
    """``(n_train, n_test)`` from float fractions or int counts (scikit-learn's rules).

    A test fraction rounds up, a train fraction down; a missing size is the complement; both
    missing means ``default_test_size``.
    """
    if test_size is None and train_size is None:
        test_size = default_test_size
    kinds = {}
    for name, value in (("test_size", test_size), ("train_size", train_size)):
        if value is None:
            continue
        kind = np.asarray(value).dtype.kind
        if kind not in "iuf":
            raise ValueError(f"Invalid value for {name}: {value!r}")
        if (kind in "iu" and not 0 < value < n_samples) or (kind == "f" and not 0 < value < 1):
            raise ValueError(f"{name}={value} should be either positive and smaller than the "
                             f"number of samples {n_samples} or a float in the (0, 1) range")
        kinds[name] = kind
    if len(kinds) == 2 and set(kinds.values()) == {"f"} and train_size + test_size > 1:
        raise ValueError(f"The sum of test_size and train_size = {train_size + test_size}, should "
                         "be in the (0, 1) range. Reduce test_size and/or train_size.")
    n_test = None if test_size is None else (
        math.ceil(test_size * n_samples) if kinds["test_size"] == "f" else int(test_size))
    n_train = None if train_size is None else (
        math.floor(train_size * n_samples) if kinds["train_size"] == "f" else int(train_size))
    if n_train is None:
        n_train = n_samples - n_test
    elif n_test is None:
        n_test = n_samples - n_train
    if n_train + n_test > n_samples:
        raise ValueError(f"The sum of train_size and test_size = {n_train + n_test}, should be "
                         f"smaller than the number of samples {n_samples}. Reduce test_size "
                         "and/or train_size.")
    if n_train == 0:
        raise ValueError(f"With n_samples={n_samples}, test_size={test_size!r} and "
                         f"train_size={train_size!r}, the resulting train set will be empty. "
                         "Adjust any of the aforementioned parameters.")
    return n_train, n_test


class ShuffleSplit(_BaseSplitter):
    """Random train/test splits: one ``rng.permutation(n)`` per split.

    Test = the first ``n_test`` permuted indices, train = the next ``n_train`` (permuted order).

    Parameters
    ----------
    n_splits : int, default=10
        Number of splits.
    test_size, train_size : float, int or None, default=None
        Fraction in (0, 1) or count in [1, n); a fraction of the test set rounds up, of the train
        set down. One None means the complement; both None means ``test_size=0.1``.
    random_state : None, int or RandomState, default=None
        An int gives the same splits on every ``split`` call; a RandomState is advanced.
    """

    _default_test_size = 0.1

    def __init__(self, n_splits: int = 10, *, test_size: float | int | None = None,
                 train_size: float | int | None = None, random_state: Any = None) -> None:
        if not isinstance(n_splits, numbers.Integral) or n_splits < 1:
            raise ValueError(f"n_splits must be an int >= 1; got n_splits={n_splits!r}.")
        self.n_splits = int(n_splits)
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def _sizes(self, n_samples: int) -> tuple[int, int]:
        return _split_sizes(n_samples, self.test_size, self.train_size, self._default_test_size)

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yield ``n_splits`` pairs ``(train, test)`` of int64 index arrays (permuted order).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Only its number of rows is used.
        y, groups : ignored
            Accepted for API compatibility (lengths are checked).
        """
        n_samples = _num_samples(X)
        check_consistent_length(X, y, groups)
        n_train, n_test = self._sizes(n_samples)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            perm = rng.permutation(n_samples)
            yield perm[n_test:n_test + n_train], perm[:n_test]


def _approx_mode(counts: np.ndarray, n_draws: int, rng: np.random.RandomState) -> np.ndarray:
    """Split ``n_draws`` among classes in proportion to ``counts`` (scikit-learn's rounding).

    Floors the proportional shares, then hands the missing units to the largest remainders,
    breaking ties with ``rng.choice(..., replace=False)`` (which draws a full permutation).
    """
    share = counts / counts.sum() * n_draws
    out = np.floor(share)
    need = int(n_draws - out.sum())
    remainder = share - out
    for value in np.sort(np.unique(remainder))[::-1]:
        if need <= 0:
            break
        (tied,) = np.nonzero(remainder == value)
        add = min(len(tied), need)
        out[rng.choice(tied, size=add, replace=False)] += 1
        need -= add
    return out.astype(np.int64)


class StratifiedShuffleSplit(ShuffleSplit):
    """Random splits that keep class proportions (scikit-learn's draws, spec §3.4).

    A 2-D ``y`` is turned into one string label per row (values joined by spaces), so an
    ``(n, 1)`` bool array becomes "False"/"True". Classes are sorted labels.

    Parameters
    ----------
    n_splits : int, default=10
        Number of splits.
    test_size, train_size : float, int or None, default=None
        As in :class:`ShuffleSplit`.
    random_state : None, int or RandomState, default=None
        An int gives the same splits on every ``split`` call; a RandomState is advanced.
    """

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yield ``n_splits`` pairs ``(train, test)`` of int64 index arrays (permuted order).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Only its number of rows is used.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Labels to stratify on.
        groups : ignored
        """
        if y is None:
            raise ValueError("StratifiedShuffleSplit.split requires the labels y; got y=None.")
        n_samples = _num_samples(X)
        check_consistent_length(X, y, groups)
        y = np.asarray(y)
        if y.ndim == 2:
            y = np.array([" ".join(row.astype(str)) for row in y])
        n_train, n_test = self._sizes(n_samples)
        classes, y_codes = np.unique(y, return_inverse=True)
        y_codes = y_codes.reshape(-1)
        counts = np.bincount(y_codes)
        if counts.min() < 2:
            raise ValueError("The least populated classes in y have only 1 member, which is too "
                             "few. The minimum number of groups for any class cannot be less than "
                             f"2. Classes with too few members are: {classes[counts < 2].tolist()}")
        for name, size in (("train_size", n_train), ("test_size", n_test)):
            if size < len(classes):
                raise ValueError(f"The {name} = {size} should be greater or equal to the number "
                                 f"of classes = {len(classes)}")
        # Each class's row indices, ascending (stable sort), in sorted-class order.
        by_class = np.split(np.argsort(y_codes, kind="stable"), np.cumsum(counts)[:-1])
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            n_i = _approx_mode(counts, n_train, rng)
            t_i = _approx_mode(counts - n_i, n_test, rng)
            train: list[int] = []
            test: list[int] = []
            for rows, a, b in zip(by_class, n_i, t_i, strict=True):
                rows = rows[rng.permutation(len(rows))]
                train.extend(rows[:a])
                test.extend(rows[a:a + b])
            yield rng.permutation(train).astype(np.int64), rng.permutation(test).astype(np.int64)


def _take(a: Any, indices: np.ndarray) -> Any:
    """Rows ``indices`` of an array, a DataFrame (by position) or a list (kept a list)."""
    if hasattr(a, "iloc"):
        return a.iloc[indices]
    if hasattr(a, "shape"):
        return a[indices]
    return [a[i] for i in indices]


def train_test_split(*arrays: Any, test_size: float | int | None = None,
                     train_size: float | int | None = None, random_state: Any = None,
                     shuffle: bool = True, stratify: Any = None) -> list[Any]:
    """Split arrays into random train and test subsets, with scikit-learn's draws.

    Parameters
    ----------
    *arrays : sequence of array-likes, each of length n_samples
        Arrays (numpy arrays, lists, DataFrames) to split the same way.
    test_size, train_size : float, int or None, default=None
        Fraction in (0, 1) or count in [1, n_samples); both None means ``test_size=0.25``.
    random_state : None, int or RandomState, default=None
        A RandomState is used as is and advanced by exactly scikit-learn's draws.
    shuffle : bool, default=True
        If False, train is the first ``n_train`` rows and test the next ``n_test``.
    stratify : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        Labels for a :class:`StratifiedShuffleSplit`.

    Returns
    -------
    list of length 2 * len(arrays)
        ``[a0_train, a0_test, a1_train, a1_test, ...]``.
    """
    if not arrays:
        raise ValueError("At least one array required as input")
    check_consistent_length(*arrays)
    n_samples = _num_samples(arrays[0])
    n_train, n_test = _split_sizes(n_samples, test_size, train_size, 0.25)
    if not shuffle:
        if stratify is not None:
            raise ValueError("Stratified train/test split is not implemented for shuffle=False")
        train = np.arange(n_train)
        test = np.arange(n_train, n_train + n_test)
    else:
        splitter_cls = ShuffleSplit if stratify is None else StratifiedShuffleSplit
        splitter = splitter_cls(test_size=n_test, train_size=n_train, random_state=random_state)
        train, test = next(splitter.split(arrays[0], stratify))
    return [part for a in arrays for part in (_take(a, train), _take(a, test))]


class _CVIterableWrapper(_BaseSplitter):
    """A splitter over a fixed list of ``(train, test)`` pairs, yielded as given."""

    def __init__(self, cv: Iterable[tuple[Any, Any]]) -> None:
        self.cv = list(cv)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of stored pairs."""
        return len(self.cv)

    def split(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yield the stored ``(train, test)`` pairs."""
        yield from self.cv


def check_cv(cv: Any = 5, y: Any = None, *, classifier: bool = False) -> Any:
    """Turn ``cv`` into a splitter object (spec §3.1).

    Parameters
    ----------
    cv : None, int, splitter or iterable of (train, test) pairs, default=5
        None means 5. An int gives :class:`StratifiedKFold` when ``classifier`` and ``y`` is
        binary or multiclass, else :class:`KFold`; neither shuffles. An object with ``split`` is
        returned as is; an iterable of pairs is wrapped.
    y : array-like of shape (n_samples,), default=None
        Targets, used to choose stratification.
    classifier : bool, default=False
        Whether the estimator is a classifier.

    Returns
    -------
    splitter
        An object with ``split(X, y, groups)`` and ``get_n_splits()``.
    """
    if cv is None:
        cv = 5
    if isinstance(cv, numbers.Integral):
        if classifier and y is not None and type_of_target(y) in ("binary", "multiclass"):
            return StratifiedKFold(cv)
        return KFold(cv)
    if hasattr(cv, "split") and not isinstance(cv, str):
        return cv
    if isinstance(cv, Iterable) and not isinstance(cv, str):
        return _CVIterableWrapper(cv)
    raise ValueError("Expected `cv` as an integer, a cross-validation object (with a split method)"
                     f", or an iterable yielding (train, test) splits as arrays of indices. Got "
                     f"cv={cv!r}.")
