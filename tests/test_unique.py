"""utils.validation.unique: np.unique's answer, numbers by one sort."""

import numpy as np
import pytest

from minimlp.utils.validation import unique

CASES = {
    "ints": np.array([3, 1, 2, 3, 1, 1, 7]),
    "one class": np.zeros(50, int),
    "bools": np.array([True, False, True]),
    "uint8": np.array([255, 0, 255], np.uint8),
    "floats": np.array([0.5, -1.0, 0.5, 2.0]),
    "signed zeros": np.array([0.0, -0.0, 1.0]),
    "nans": np.array([np.nan, 1.0, np.nan, 0.0]),
    "float32": np.array([1, 0, 1], np.float32),
    "strings": np.array(["b", "a", "b"]),
    "objects": np.array(["b", "a", "b"], dtype=object),
    "2-D": np.array([[1, 0], [0, 1]]),
    "empty": np.array([], float),
    "big random": np.random.RandomState(0).randint(-50, 50, 10_000),
}


@pytest.mark.parametrize("values", list(CASES.values()), ids=list(CASES))
def test_unique_is_numpys(values):
    ours, numpys = unique(values), np.unique(values)
    assert ours.dtype == numpys.dtype
    np.testing.assert_array_equal(ours, numpys)  # NaNs compare equal here


def test_unique_of_a_list():
    np.testing.assert_array_equal(unique([2, 1, 2]), [1, 2])
