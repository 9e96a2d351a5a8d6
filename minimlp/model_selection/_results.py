"""``cv_results_`` as rows (one dict per candidate) and as CSV / JSON files.

``cv_results_`` itself is a dict of columns, so ``pandas.DataFrame(search.cv_results_)`` works as
with scikit-learn; these helpers are for users without pandas.
"""

from __future__ import annotations

import csv
import json
import math
import os
from typing import Any

import numpy as np

__all__ = ["results_table", "write_results_csv", "write_results_json"]


def _plain(value: Any) -> Any:
    """A JSON/CSV-ready Python value: masked -> None, NumPy scalars -> int/float/str/bool."""
    if value is np.ma.masked:
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def results_table(cv_results: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per candidate, in candidate order, with every ``cv_results_`` column but
    ``params`` (its values are in the ``param_*`` columns).

    Parameters
    ----------
    cv_results : dict
        A search's ``cv_results_``: column name -> array of length n_candidates.

    Returns
    -------
    rows : list of dict
        Plain Python values: floats, ints, strings, tuples (e.g. ``hidden_layer_sizes``), and
        None where a parameter does not apply to a candidate (masked entries).
    """
    columns = [k for k in cv_results if k != "params"]
    n = len(cv_results["params"])
    return [{k: _plain(cv_results[k][i]) for k in columns} for i in range(n)]


def write_results_csv(cv_results: dict[str, Any], path: str | os.PathLike) -> None:
    """Write :func:`results_table` rows to ``path`` as CSV with a header (None -> empty cell)."""
    rows = results_table(cv_results)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})


def write_results_json(cv_results: dict[str, Any], path: str | os.PathLike) -> None:
    """Write ``cv_results_`` to ``path`` as a JSON object of columns (lists), ``params`` included.

    Masked entries become null and non-finite scores (failed fits) become null, so the file is
    strict JSON.
    """
    def finite(v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, (list, tuple)):
            return [finite(x) for x in v]
        if isinstance(v, dict):
            return {k: finite(x) for k, x in v.items()}
        return v

    n = len(cv_results["params"])
    columns = {k: [finite(_plain(v[i])) for i in range(n)] for k, v in cv_results.items()}
    with open(path, "w") as f:
        json.dump(columns, f, indent=1, allow_nan=False)
        f.write("\n")
