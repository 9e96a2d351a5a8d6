"""ParameterGrid / ParameterSampler / distributions give scikit-learn's and scipy's sequences."""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from scipy import stats  # noqa: E402
from sklearn import model_selection as sk  # noqa: E402

from minimlp.model_selection import _distributions as dist  # noqa: E402
from minimlp.model_selection._params import ParameterGrid, ParameterSampler  # noqa: E402

SEED_GRID = {"hidden_layer_sizes": [(100,), (100, 100), (100, 100, 100)],
             "alpha": [1e-4, 1e-3, 1e-2], "learning_rate_init": [1e-3, 1e-2, 1e-1]}
GRIDS = [
    SEED_GRID,
    [{"kernel": ["rbf"], "gamma": [1, 10]}, {}, {"kernel": ["poly"], "degree": [2, 3]}],
    [{"b": np.array([1.5, 2.5]), "a": range(3)}, {"c": ("x", "y", "z"), "a": [None]}],
    {},
]


@pytest.mark.parametrize("grid", GRIDS)
def test_parameter_grid_sequence(grid):
    ours, theirs = ParameterGrid(grid), sk.ParameterGrid(grid)
    assert len(ours) == len(theirs)
    assert list(ours) == list(theirs)
    assert [list(p) for p in ours] == [list(p) for p in theirs]  # key order too
    assert [ours[i] for i in range(len(ours))] == [theirs[i] for i in range(len(theirs))]


@pytest.mark.parametrize("n_iter", [1, 2, 5, 13, 26, 27, 40])
@pytest.mark.parametrize("seed", [0, 1, 42, 12345])
def test_sampler_lists_only(n_iter, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours = list(ParameterSampler(SEED_GRID, n_iter, random_state=seed))
        theirs = list(sk.ParameterSampler(SEED_GRID, n_iter, random_state=seed))
    assert ours == theirs


def test_sampler_lists_only_large_grid_tracking_path():
    """A ratio below 0.01 takes the scalar-draw path of sample_without_replacement."""
    grid = {"a": list(range(40)), "b": list(range(30))}
    rng_ours, rng_theirs = np.random.RandomState(3), np.random.RandomState(3)
    assert (list(ParameterSampler(grid, 5, random_state=rng_ours))
            == list(sk.ParameterSampler(grid, 5, random_state=rng_theirs)))
    assert rng_ours.randint(2**31) == rng_theirs.randint(2**31)


def _pair(module):
    return {"lr": module.loguniform(1e-4, 1e-1), "alpha": module.uniform(1e-5, 1e-2),
            "batch": module.randint(16, 256), "act": ["relu", "tanh", "logistic"],
            "solver": ["sgd"]}


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("shape", ["dict", "one-element list", "list"])
def test_sampler_with_distributions(seed, shape):
    ours_d, scipy_d = _pair(dist), _pair(stats)
    if shape == "one-element list":
        ours_d, scipy_d = [ours_d], [scipy_d]
    elif shape == "list":
        ours_d = [ours_d, {"momentum": dist.uniform(0.5, 0.5), "act": ["identity"]}]
        scipy_d = [scipy_d, {"momentum": stats.uniform(0.5, 0.5), "act": ["identity"]}]
    rngs = [np.random.RandomState(seed) for _ in range(3)]
    theirs = list(sk.ParameterSampler(scipy_d, 20, random_state=rngs[0]))
    ours = list(ParameterSampler(ours_d, 20, random_state=rngs[1]))
    ours_scipy = list(ParameterSampler(scipy_d, 20, random_state=rngs[2]))
    assert ours == theirs == ours_scipy
    ends = [r.randint(2**31) for r in rngs]
    assert ends[0] == ends[1] == ends[2]


def test_one_element_dict_list_draws_nothing_extra():
    """A one-element list of dicts gives the same sequence as the bare dict (no choice draw)."""
    d = _pair(stats)
    assert (list(sk.ParameterSampler([d], 10, random_state=5))
            == list(sk.ParameterSampler(d, 10, random_state=5))
            == list(ParameterSampler([_pair(dist)], 10, random_state=5)))


@pytest.mark.parametrize("size", [None, 1, 7, (2, 3)])
@pytest.mark.parametrize("seed", range(20))
def test_distributions_match_scipy(size, seed):
    pairs = [(dist.uniform(-2.0, 5.0), stats.uniform(-2.0, 5.0)),
             (dist.uniform(), stats.uniform()),
             (dist.loguniform(1e-5, 3.0), stats.loguniform(1e-5, 3.0)),
             (dist.randint(-3, 1000), stats.randint(-3, 1000))]
    ours_rng, scipy_rng = np.random.RandomState(seed), np.random.RandomState(seed)
    for ours, theirs in pairs:
        a = ours.rvs(size=size, random_state=ours_rng)
        b = theirs.rvs(size=size, random_state=scipy_rng)
        assert np.array_equal(a, b)
        assert np.shape(a) == np.shape(b) and np.asarray(a).dtype == np.asarray(b).dtype
    assert ours_rng.randint(2**31) == scipy_rng.randint(2**31)


def test_key_order_of_indexed_and_sampled_candidates_matches():
    """Indexing (and so list-only sampling) gives keys in scikit-learn's order."""
    grid = {"b": [1, 2], "a": [3, 4], "c": [5, 6]}
    for i in range(len(sk.ParameterGrid(grid))):
        assert list(ParameterGrid(grid)[i].items()) == list(sk.ParameterGrid(grid)[i].items())
    ours = [list(c.items()) for c in ParameterSampler(grid, 5, random_state=0)]
    theirs = [list(c.items()) for c in sk.ParameterSampler(grid, 5, random_state=0)]
    assert ours == theirs
