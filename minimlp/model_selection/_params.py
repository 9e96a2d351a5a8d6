"""Parameter grids and random parameter samplers with scikit-learn's order and draws (spec §4)."""

from __future__ import annotations

import itertools
import math
import numbers
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ..utils.random import sample_without_replacement
from ..utils.validation import check_random_state

__all__ = ["ParameterGrid", "ParameterSampler"]


def _check_values(key: Any, value: Any, *, message: str) -> None:
    """Reject anything but a non-empty, non-string sequence or 1-D ndarray of candidate values."""
    if isinstance(value, np.ndarray) and value.ndim > 1:
        raise ValueError(f"Parameter array for {key!r} should be one-dimensional, got: {value!r} "
                         f"with shape {value.shape}")
    if isinstance(value, str) or not isinstance(value, (np.ndarray, Sequence)):
        raise TypeError(message)
    if len(value) == 0:
        raise ValueError(f"Parameter grid for parameter {key!r} need to be a non-empty sequence, "
                         f"got: {value!r}")


def _as_list_of_dicts(grid: Any, what: str) -> list[dict]:
    if isinstance(grid, Mapping):
        return [grid]
    if isinstance(grid, str) or not isinstance(grid, Iterable):
        raise TypeError(f"{what} should be a dict or a list, got: {grid!r} of type "
                        f"{type(grid).__name__}")
    grids = list(grid)
    for sub in grids:
        if not isinstance(sub, Mapping):
            raise TypeError(f"{what} is not a dict ({sub!r})")
    return grids


class ParameterGrid:
    """The candidates of a grid of parameter values, in scikit-learn's order.

    Sub-grids come in list order; within one, keys are sorted and the last key varies fastest.

    Parameters
    ----------
    param_grid : dict or list of dicts
        Maps each parameter name to a non-empty list (or 1-D array) of values. An empty dict
        gives one candidate ``{}``.

    Examples
    --------
    >>> list(ParameterGrid({"b": [1, 2], "a": [True, False]}))
    [{'a': True, 'b': 1}, {'a': True, 'b': 2}, {'a': False, 'b': 1}, {'a': False, 'b': 2}]
    """

    def __init__(self, param_grid: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> None:
        grids = _as_list_of_dicts(param_grid, "Parameter grid")
        for sub in grids:
            for key, value in sub.items():
                _check_values(key, value, message=(
                    f"Parameter grid for parameter {key!r} needs to be a list or a numpy array, "
                    f"but got {value!r} (of type {type(value).__name__}) instead. Single values "
                    "need to be wrapped in a list with one element."))
        self.param_grid = grids

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for sub in self.param_grid:
            items = sorted(sub.items())
            keys = [k for k, _ in items]
            for values in itertools.product(*(v for _, v in items)):
                yield dict(zip(keys, values, strict=True))

    def __len__(self) -> int:
        return sum(math.prod(len(v) for v in sub.values()) for sub in self.param_grid)

    def __getitem__(self, ind: int) -> dict[str, Any]:
        """The ``ind``-th candidate of the iteration order, computed without iterating."""
        if not isinstance(ind, numbers.Integral):
            raise TypeError(f"ParameterGrid indices must be integers, got {ind!r}")
        n = len(self)
        if ind < 0:
            ind += n
        if not 0 <= ind < n:
            raise IndexError("ParameterGrid index out of range")
        for sub in self.param_grid:
            size = math.prod(len(v) for v in sub.values())
            if ind >= size:
                ind -= size
                continue
            out = {}
            for key, values in reversed(sorted(sub.items())):  # last key is the fastest digit
                ind, pos = divmod(ind, len(values))
                out[key] = values[pos]
            # Keys in reverse-sorted order, as scikit-learn's indexing gives them: it decides
            # the param_<name> column order of a random search over lists.
            return out
        raise AssertionError("unreachable")  # pragma: no cover

    def __repr__(self) -> str:
        return f"ParameterGrid({self.param_grid!r})"


class ParameterSampler:
    """``n_iter`` random candidates from lists and distributions, with scikit-learn's draws.

    If every value is a list, candidates are drawn **without** replacement from the
    :class:`ParameterGrid` (a ``UserWarning`` and fewer candidates when ``n_iter`` exceeds the grid
    size). Otherwise each candidate picks a dict (one ``randint`` draw when there are several),
    then, for each key in sorted order, ``value.rvs(random_state=rng)`` for a distribution or
    ``value[rng.randint(len(value))]`` for a list.

    Parameters
    ----------
    param_distributions : dict or list of dicts
        Maps parameter names to lists of values or to objects with an ``rvs`` method (minimlp's
        or scipy.stats' distributions).
    n_iter : int
        Number of candidates.
    random_state : None, int or RandomState, default=None
        Turned into a RandomState at every iteration: an int gives the same sequence each time.
    """

    def __init__(self, param_distributions: Mapping[str, Any] | Sequence[Mapping[str, Any]],
                 n_iter: int, *, random_state: Any = None) -> None:
        dists = _as_list_of_dicts(param_distributions, "Parameter distribution")
        for sub in dists:
            for key, value in sub.items():
                if not hasattr(value, "rvs"):
                    _check_values(key, value, message=(
                        f"Parameter grid for parameter {key!r} is not iterable or a distribution "
                        f"(value={value!r})"))
        if not isinstance(n_iter, numbers.Integral) or isinstance(n_iter, bool) or n_iter < 0:
            raise ValueError(f"n_iter must be a non-negative int; got n_iter={n_iter!r}.")
        self.param_distributions = dists
        self.n_iter = int(n_iter)
        self.random_state = random_state

    def _all_lists(self) -> bool:
        return not any(hasattr(v, "rvs") for sub in self.param_distributions for v in sub.values())

    def __iter__(self) -> Iterator[dict[str, Any]]:
        rng = check_random_state(self.random_state)
        if self._all_lists():
            grid = ParameterGrid(self.param_distributions)
            n_grid = len(grid)
            n_iter = self.n_iter
            if n_iter > n_grid:
                warnings.warn(f"The total space of parameters {n_grid} is smaller than "
                              f"n_iter={n_iter}. Running {n_grid} iterations. For exhaustive "
                              "searches, use GridSearchCV.", UserWarning, stacklevel=2)
                n_iter = n_grid
            for i in sample_without_replacement(n_grid, n_iter, rng):
                yield grid[int(i)]
            return
        for _ in range(self.n_iter):
            # randint(0, 1) draws nothing, like numpy's choice over a single dict.
            sub = self.param_distributions[rng.randint(0, len(self.param_distributions))]
            params = {}
            for key, value in sorted(sub.items()):
                if hasattr(value, "rvs"):
                    params[key] = value.rvs(random_state=rng)
                else:
                    params[key] = value[rng.randint(len(value))]
            yield params

    def __len__(self) -> int:
        if self._all_lists():
            return min(self.n_iter, len(ParameterGrid(self.param_distributions)))
        return self.n_iter

    def __repr__(self) -> str:
        return (f"ParameterSampler({self.param_distributions!r}, n_iter={self.n_iter}, "
                f"random_state={self.random_state!r})")
