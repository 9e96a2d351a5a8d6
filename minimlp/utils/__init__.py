"""Input validation and random-state helpers shared by every minimlp module."""

from .validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_random_state,
    check_X_y,
    column_or_1d,
    type_of_target,
)

__all__ = [
    "check_array",
    "check_consistent_length",
    "check_is_fitted",
    "check_random_state",
    "check_X_y",
    "column_or_1d",
    "type_of_target",
]
