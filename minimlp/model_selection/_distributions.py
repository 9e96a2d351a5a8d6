"""SciPy-free distributions for :class:`ParameterSampler` (spec §4.2).

Each ``rvs`` consumes the same ``RandomState`` draws and returns the same numbers as the
scipy.stats distribution of the same name, so a search with either gives the same candidates.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..utils.validation import check_random_state

__all__ = ["uniform", "loguniform", "randint"]

Size = int | tuple[int, ...] | None


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite real number; got {name}={value!r}.")
    return float(value)


class uniform:  # noqa: N801 -- scipy.stats' name, so imports can be swapped
    """Uniform distribution on ``[loc, loc + scale)``, drawn like ``scipy.stats.uniform``.

    Parameters
    ----------
    loc : float, default=0
        Lower bound.
    scale : float, default=1
        Width of the interval, > 0.
    """

    def __init__(self, loc: float = 0.0, scale: float = 1.0) -> None:
        self.loc = _real("loc", loc)
        self.scale = _real("scale", scale)
        if self.scale <= 0:
            raise ValueError(f"scale must be > 0; got scale={scale!r}.")

    def rvs(self, size: Size = None, random_state: Any = None) -> np.float64 | np.ndarray:
        """Draw ``loc + scale * u`` with ``u = rng.random_sample(size)``.

        Returns
        -------
        float or ndarray of shape ``size``
        """
        u = check_random_state(random_state).random_sample(size)
        return np.float64(self.loc) + self.scale * u

    def __repr__(self) -> str:
        return f"uniform(loc={self.loc!r}, scale={self.scale!r})"


class loguniform:  # noqa: N801
    """Log-uniform distribution on ``[a, b)``, drawn like ``scipy.stats.loguniform``.

    Parameters
    ----------
    a, b : float
        Bounds with ``0 < a < b``.
    """

    def __init__(self, a: float, b: float) -> None:
        self.a = _real("a", a)
        self.b = _real("b", b)
        if self.a <= 0:
            raise ValueError(f"a must be > 0; got a={a!r}.")
        if self.a >= self.b:
            raise ValueError(f"a must be < b; got a={a!r}, b={b!r}.")

    def rvs(self, size: Size = None, random_state: Any = None) -> np.float64 | np.ndarray:
        """Draw ``exp(log a + u * (log b - log a))`` with ``u = rng.random_sample(size)``.

        Returns
        -------
        float or ndarray of shape ``size``
        """
        u = check_random_state(random_state).random_sample(size)
        log_a, log_b = np.log(self.a), np.log(self.b)
        return np.exp(log_a + u * (log_b - log_a))

    def __repr__(self) -> str:
        return f"loguniform(a={self.a!r}, b={self.b!r})"


class randint:  # noqa: N801
    """Uniform integers in ``[low, high)``, drawn like ``scipy.stats.randint``.

    Parameters
    ----------
    low, high : int
        Bounds with ``low < high`` (``high`` excluded).
    """

    def __init__(self, low: int, high: int) -> None:
        for name, value in (("low", low), ("high", high)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise ValueError(f"{name} must be an int; got {name}={value!r}.")
        if low >= high:
            raise ValueError(f"low must be < high; got low={low!r}, high={high!r}.")
        self.low = int(low)
        self.high = int(high)

    def rvs(self, size: Size = None, random_state: Any = None) -> int | np.ndarray:
        """Draw ``rng.randint(low, high, size)``.

        Returns
        -------
        int or ndarray of shape ``size``, dtype int64
        """
        return check_random_state(random_state).randint(self.low, self.high, size=size)

    def __repr__(self) -> str:
        return f"randint(low={self.low!r}, high={self.high!r})"
