"""ParameterGrid, ParameterSampler and the scipy-free distributions (parity: test_parity_params)."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimlp.model_selection._distributions import loguniform, randint, uniform
from minimlp.model_selection._params import ParameterGrid, ParameterSampler


def test_grid_order_sorted_keys_last_fastest():
    grid = ParameterGrid({"b": [1, 2], "a": ["x", "y"], "c": [True]})
    assert list(grid) == [
        {"a": "x", "b": 1, "c": True},
        {"a": "x", "b": 2, "c": True},
        {"a": "y", "b": 1, "c": True},
        {"a": "y", "b": 2, "c": True},
    ]
    assert [list(p) for p in grid] == [["a", "b", "c"]] * 4  # keys in sorted order
    assert len(grid) == 4


def test_grid_list_of_dicts_and_empty_dict():
    grid = ParameterGrid([{"kernel": ["rbf"], "gamma": [1, 10]}, {},
                          {"kernel": ["poly"], "degree": np.array([2, 3])}])
    assert list(grid) == [{"gamma": 1, "kernel": "rbf"}, {"gamma": 10, "kernel": "rbf"}, {},
                          {"degree": 2, "kernel": "poly"}, {"degree": 3, "kernel": "poly"}]
    assert len(grid) == 5
    assert list(ParameterGrid({})) == [{}]
    assert list(ParameterGrid([])) == [] and len(ParameterGrid([])) == 0


def test_seed_grid_first_rows():
    grid = ParameterGrid({"hidden_layer_sizes": [(100,), (100, 100), (100, 100, 100)],
                          "alpha": [1e-4, 1e-3, 1e-2], "learning_rate_init": [1e-3, 1e-2, 1e-1]})
    assert len(grid) == 27
    assert grid[0] == {"alpha": 1e-4, "hidden_layer_sizes": (100,), "learning_rate_init": 1e-3}
    assert grid[5] == {"alpha": 1e-4, "hidden_layer_sizes": (100, 100), "learning_rate_init": 1e-1}
    assert grid[26] == {"alpha": 1e-2, "hidden_layer_sizes": (100, 100, 100),
                        "learning_rate_init": 1e-1}


@settings(deadline=None, max_examples=50)
@given(st.lists(st.dictionaries(st.sampled_from("abcd"), st.lists(st.integers(), min_size=1,
                                                                   max_size=3), max_size=4),
                max_size=3))
def test_getitem_matches_iteration(grids):
    grid = ParameterGrid(grids)
    items = list(grid)
    assert len(items) == len(grid)
    assert [grid[i] for i in range(len(grid))] == items
    assert [grid[-i - 1] for i in range(len(grid))] == items[::-1]
    with pytest.raises(IndexError, match="ParameterGrid index out of range"):
        grid[len(grid)]


def test_grid_errors():
    with pytest.raises(TypeError, match=re.escape(
            "Parameter grid for parameter 'a' needs to be a list or a numpy array, but got 1 (of "
            "type int) instead. Single values need to be wrapped in a list with one element.")):
        ParameterGrid({"a": 1})
    for bad in ["abc", {1, 2}, None]:
        with pytest.raises(TypeError, match="parameter 'a' needs to be a list or a numpy array"):
            ParameterGrid({"a": bad})
    with pytest.raises(ValueError, match=r"'a' need to be a non-empty sequence, got: \[\]"):
        ParameterGrid([{"b": [1]}, {"a": []}])
    with pytest.raises(ValueError, match="Parameter array for 'a' should be one-dimensional"):
        ParameterGrid({"a": np.zeros((2, 2))})
    with pytest.raises(TypeError, match="Parameter grid is not a dict"):
        ParameterGrid([{"a": [1]}, 3])
    for bad in [3, "ab"]:
        with pytest.raises(TypeError, match="Parameter grid should be a dict or a list"):
            ParameterGrid(bad)
    with pytest.raises(TypeError, match="ParameterGrid indices must be integers"):
        ParameterGrid({"a": [1, 2]})[1.0]
    # Tuples and ranges are sequences too.
    assert list(ParameterGrid({"a": (1, 2), "b": range(2)}))[-1] == {"a": 2, "b": 1}


def test_sampler_without_replacement():
    grid = {"a": [1, 2, 3], "b": ["x", "y"]}
    first = list(ParameterSampler(grid, 4, random_state=0))
    assert len(first) == 4
    assert len({tuple(sorted(p.items())) for p in first}) == 4  # no repeats
    assert all(p in list(ParameterGrid(grid)) for p in first)
    assert first == list(ParameterSampler(grid, 4, random_state=0))  # int seed: same each time
    sampler = ParameterSampler(grid, 6, random_state=0)
    assert len(sampler) == 6
    # n_iter == grid size: the whole grid, in grid order, without drawing.
    rng = np.random.RandomState(5)
    before = rng.get_state()[2]
    assert list(ParameterSampler(grid, 6, random_state=rng)) == list(ParameterGrid(grid))
    assert rng.get_state()[2] == before


def test_sampler_warns_when_grid_is_small():
    sampler = ParameterSampler({"a": [1, 2]}, 3, random_state=0)
    assert len(sampler) == 2
    with pytest.warns(UserWarning, match="The total space of parameters 2 is smaller than "
                                         "n_iter=3. Running 2 iterations. For exhaustive "
                                         "searches, use GridSearchCV."):
        assert sorted(p["a"] for p in sampler) == [1, 2]


def test_sampler_with_replacement():
    dists = [{"a": uniform(2, 3), "b": [1, 2, 3]}, {"c": randint(0, 4), "d": ["only"]}]
    sampler = ParameterSampler(dists, 50, random_state=1)
    samples = list(sampler)
    assert len(samples) == len(sampler) == 50
    assert samples == list(sampler)
    with_a = [p for p in samples if "a" in p]
    with_c = [p for p in samples if "c" in p]
    assert with_a and with_c and len(with_a) + len(with_c) == 50
    assert all(2 <= p["a"] < 5 and p["b"] in (1, 2, 3) for p in with_a)
    assert all(0 <= p["c"] < 4 and p["d"] == "only" for p in with_c)
    assert len({p["b"] for p in with_a}) > 1


def test_sampler_draw_order_by_hand():
    """One dict: nothing drawn to choose it; sorted keys; a 1-element list draws nothing."""
    sampler = ParameterSampler({"z": [10, 20, 30], "a": uniform(), "m": ["k"]}, 2,
                               random_state=7)
    rng = np.random.RandomState(7)
    expected = []
    for _ in range(2):
        a = rng.random_sample()
        expected.append({"a": a, "m": "k", "z": [10, 20, 30][rng.randint(3)]})
    assert list(sampler) == expected


def test_sampler_errors():
    with pytest.raises(TypeError, match=re.escape(
            "Parameter grid for parameter 'a' is not iterable or a distribution (value=1)")):
        ParameterSampler({"a": 1}, 3)
    with pytest.raises(TypeError, match="parameter 'a' is not iterable or a distribution"):
        ParameterSampler({"a": "ab", "b": uniform()}, 3)
    with pytest.raises(ValueError, match="parameter 'a' need to be a non-empty sequence"):
        ParameterSampler({"a": [], "b": uniform()}, 3)
    with pytest.raises(TypeError, match="Parameter distribution should be a dict or a list"):
        ParameterSampler(3, 3)
    with pytest.raises(TypeError, match="Parameter distribution is not a dict"):
        ParameterSampler([{"a": [1]}, 3], 3)
    for bad in [-1, 1.5, None]:
        with pytest.raises(ValueError, match=re.escape(f"n_iter={bad!r}")):
            ParameterSampler({"a": [1]}, bad)


@pytest.mark.parametrize("size", [None, 3, (2, 2)])
def test_distributions_draw_formulas(size):
    seed = 11
    u = np.random.RandomState(seed).random_sample(size)
    assert np.array_equal(uniform(1.5, 2.0).rvs(size, random_state=seed), 1.5 + 2.0 * u)
    got = loguniform(1e-3, 10.0).rvs(size=size, random_state=np.random.RandomState(seed))
    assert np.allclose(got, 1e-3 * (1e4 ** u), rtol=1e-12)
    ints = randint(-2, 5).rvs(size=size, random_state=seed)
    assert np.array_equal(ints, np.random.RandomState(seed).randint(-2, 5, size=size))
    assert np.shape(ints) == (() if size is None else np.empty(size).shape)


def test_distribution_ranges_and_reprs():
    rng = np.random.RandomState(0)
    assert np.all((uniform(-1, 2).rvs(1000, rng) >= -1) & (uniform(-1, 2).rvs(1000, rng) < 1))
    draws = loguniform(1e-4, 1e-1).rvs(1000, rng)
    assert draws.min() >= 1e-4 and draws.max() < 1e-1
    # log-uniform: about a third of the draws in each decade
    assert abs(np.mean(draws < 1e-3) - 1 / 3) < 0.06
    assert set(randint(3, 6).rvs(200, rng)) == {3, 4, 5}
    assert repr(uniform()) == "uniform(loc=0.0, scale=1.0)"
    assert repr(loguniform(1e-4, 1)) == "loguniform(a=0.0001, b=1.0)"
    assert repr(randint(1, 5)) == "randint(low=1, high=5)"


@pytest.mark.parametrize("make, message", [
    (lambda: uniform(0, 0), "scale=0"),
    (lambda: uniform(0, -1), "scale=-1"),
    (lambda: uniform(np.inf), "loc=inf"),
    (lambda: uniform("a"), "loc='a'"),
    (lambda: loguniform(0, 1), "a=0"),
    (lambda: loguniform(-1, 1), "a=-1"),
    (lambda: loguniform(2, 1), "a=2, b=1"),
    (lambda: loguniform(1, 1), "a=1, b=1"),
    (lambda: randint(5, 5), "low=5, high=5"),
    (lambda: randint(1.5, 5), "low=1.5"),
    (lambda: randint(0, "9"), "high='9'"),
])
def test_distribution_validation(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()
