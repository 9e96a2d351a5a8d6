"""The constraint objects behind every estimator's parameter errors."""

import numpy as np
import pytest

from minimlp.utils._param_validation import Interval

REAL = Interval("real", 0, 1, "left")  # [0, 1)
INT = Interval("int", 1, None, "left")  # [1, inf)

CASES = [
    (REAL, 0, True), (REAL, 0.0, True), (REAL, 0.5, True), (REAL, 1.0, False), (REAL, -0.1, False),
    (REAL, np.float32(0.5), True), (REAL, np.int64(0), True), (REAL, float("nan"), False),
    (REAL, np.float64("nan"), False), (REAL, True, False), (REAL, np.bool_(False), False),
    (REAL, "0.5", False), (REAL, None, False), (REAL, 0.5 + 0j, False),
    (INT, 1, True), (INT, 10**30, True), (INT, np.int32(3), True), (INT, 0, False),
    (INT, 2.0, False), (INT, np.float64(2.0), False), (INT, True, False),
    (INT, float("inf"), False), (Interval("real", None, None, "neither"), float("inf"), True),
    (Interval("real", 0, None, "neither"), 0.0, False),
]


@pytest.mark.parametrize(("constraint", "value", "expected"), CASES,
                         ids=[f"{c.kind}-{v!r}" for c, v, _ in CASES])
def test_interval_accepts(constraint, value, expected):
    assert constraint.accepts(value) is expected
