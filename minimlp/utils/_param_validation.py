"""Hyper-parameter constraints declared as data; the error messages are derived from them.

Messages follow scikit-learn's template: ``The 'alpha' parameter of MLPClassifier must be a
float in the range [0.0, inf). Got -1 instead.``
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np


class InvalidParameterError(ValueError, TypeError):
    """A hyper-parameter outside its constraints (both ValueError and TypeError)."""


@dataclass(frozen=True)
class Interval:
    """Numbers of ``kind`` ("int" or "real") in [low, high] with the given closed ends."""

    kind: str
    low: float | None
    high: float | None
    closed: str = "both"  # "left", "right", "both" or "neither"

    def accepts(self, value: Any) -> bool:
        kind = type(value)  # int and float first: the ABC checks cost more than the rest
        if kind is not int and (kind is not float or self.kind == "int"):
            if isinstance(value, (bool, np.bool_)):
                return False
            if self.kind == "int" and not isinstance(value, numbers.Integral):
                return False
            if not isinstance(value, numbers.Real):
                return False
        if value != value:  # NaN
            return False
        left_ok = self.low is None or (
            value >= self.low if self.closed in ("left", "both") else value > self.low)
        right_ok = self.high is None or (
            value <= self.high if self.closed in ("right", "both") else value < self.high)
        return bool(left_ok and right_ok)

    def __str__(self) -> str:
        low = "-inf" if self.low is None else (float(self.low) if self.kind == "real" else self.low)
        high = "inf" if self.high is None else (float(self.high) if self.kind == "real"
                                               else self.high)
        left = "[" if self.closed in ("left", "both") and self.low is not None else "("
        right = "]" if self.closed in ("right", "both") and self.high is not None else ")"
        noun = "an int" if self.kind == "int" else "a float"
        return f"{noun} in the range {left}{low}, {high}{right}"


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values."""

    values: tuple

    def accepts(self, value: Any) -> bool:
        try:
            return value in self.values
        except TypeError:
            return False

    def __str__(self) -> str:
        kinds = {str: "a str", float: "a float"}
        kind = next((k for t, k in kinds.items() if all(isinstance(v, t) for v in self.values)),
                    "one")
        return f"{kind} among {{{', '.join(repr(v) for v in self.values)}}}"


@dataclass(frozen=True)
class Kind:
    """An instance of one of ``types`` (described by ``description``)."""

    types: tuple
    description: str

    def accepts(self, value: Any) -> bool:
        return isinstance(value, self.types)

    def __str__(self) -> str:
        return self.description


BOOLEAN = Kind((bool, np.bool_), "an instance of 'bool'")
RANDOM_STATE = Kind((type(None), numbers.Integral, np.random.RandomState),
                    "None, an int or a numpy.random.RandomState")


def validate_params(owner: str, params: dict[str, Any], constraints: dict[str, list]) -> None:
    """Raise :class:`InvalidParameterError` for the first parameter matching none of its
    constraints (a list of alternatives)."""
    for name, alternatives in constraints.items():
        value = params[name]
        for constraint in alternatives:
            if constraint.accepts(value):
                break
        else:
            described = [str(c) for c in alternatives]
            text = described[0] if len(described) == 1 else (
                ", ".join(described[:-1]) + " or " + described[-1])
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be {text}. Got {value!r} instead.")
