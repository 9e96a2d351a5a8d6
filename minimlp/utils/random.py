"""Sampling without replacement, with scikit-learn's draw order (spec §2)."""

from __future__ import annotations

import numpy as np


def sample_without_replacement(
    n_population: int, n_samples: int, random_state: np.random.RandomState
) -> np.ndarray:
    """Draw ``n_samples`` distinct integers from ``[0, n_population)``.

    The method depends on the ratio ``n_samples / n_population`` exactly as scikit-learn's
    'auto' method, so the same ``RandomState`` gives the same integers in the same order:

    - ``0.01 < ratio < 0.99``: the first ``n_samples`` of ``rng.permutation(n_population)``;
    - ``ratio < 0.2`` otherwise ("tracking selection"): scalar ``randint`` draws, redrawing
      repeats, in order of acceptance;
    - otherwise ("reservoir"): start from ``0 .. n_samples-1`` and replace position ``j`` by
      ``i`` when ``j = randint(0, i + 1) < n_samples``; no draws when the ratio is 1.

    Returns
    -------
    ndarray of shape (n_samples,), dtype int64
    """
    if n_samples > n_population or n_samples < 0:
        raise ValueError(f"n_population should be greater or equal than n_samples, got "
                         f"n_samples > n_population ({n_samples} > {n_population})")
    rng = random_state
    ratio = n_samples / n_population if n_population else 1.0
    if 0.01 < ratio < 0.99:
        return rng.permutation(n_population)[:n_samples].astype(np.int64)
    if ratio < 0.2:
        chosen: set[int] = set()
        out = np.empty(n_samples, dtype=np.int64)
        for i in range(n_samples):
            j = rng.randint(n_population)
            while j in chosen:
                j = rng.randint(n_population)
            chosen.add(j)
            out[i] = j
        return out
    out = np.arange(n_samples, dtype=np.int64)
    for i in range(n_samples, n_population):
        j = rng.randint(0, i + 1)
        if j < n_samples:
            out[j] = i
    return out
