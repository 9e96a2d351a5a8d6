"""check_random_state: an int gives exactly ``numpy.random.RandomState(seed)``, built faster."""

import pickle

import numpy as np
import pytest

from minimlp.utils.validation import check_random_state

SEEDS = [0, 1, 42, 12345, 2**31, 2**32 - 1, np.int64(7), np.uint32(9)]


def _assert_same_state(a, b):
    for got, want in zip(a.get_state(), b.get_state()):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed", SEEDS, ids=str)
def test_int_seed_is_numpys_random_state(seed):
    ours, numpys = check_random_state(seed), np.random.RandomState(int(seed))
    assert isinstance(ours, np.random.RandomState)
    _assert_same_state(ours, numpys)
    # The draws the library makes, in turn (the Gaussian cache is part of the state too).
    np.testing.assert_array_equal(ours.permutation(1000), numpys.permutation(1000))
    np.testing.assert_array_equal(ours.uniform(-1, 1, (20, 30)), numpys.uniform(-1, 1, (20, 30)))
    np.testing.assert_array_equal(ours.randint(0, 2**40, 50), numpys.randint(0, 2**40, 50))
    assert ours.normal() == numpys.normal()
    _assert_same_state(ours, numpys)


def test_each_call_is_a_new_independent_generator():
    a, b = check_random_state(3), check_random_state(3)
    assert a is not b and a._bit_generator is not b._bit_generator
    first = a.uniform(size=5)
    np.testing.assert_array_equal(b.uniform(size=5), first)  # a's draws did not advance b


def test_pickles_and_copies_like_numpys():
    ours = check_random_state(5)
    ours.uniform(size=3)
    restored = pickle.loads(pickle.dumps(ours))
    np.testing.assert_array_equal(restored.uniform(size=10), ours.uniform(size=10))


def test_none_and_instances_pass_through():
    assert check_random_state(None) is np.random.mtrand._rand
    rs = np.random.RandomState(0)
    assert check_random_state(rs) is rs


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "0", True])
def test_bad_seeds_are_refused_naming_the_value(seed):
    with pytest.raises(ValueError, match="random_state"):
        check_random_state(seed)
