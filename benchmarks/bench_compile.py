"""Compile and start-up cost, each measured in fresh processes.

(a) first fit with an empty numba cache (NUMBA_CACHE_DIR pointed at a new temporary directory);
(b) first fit in a new process with that cache warm; (c) ``import minimlp``, which must not
import numba (so it compiles nothing). The child validates its fit against the NumPy backend.
"""

import json
import os
import statistics
import subprocess
import sys
import time

from ._common import TINY, target

# The child: import, first fit of each of the seed workflow's depths, then the same fit again
# (the pure training time), and the NumPy backend's fit for validation.
CHILD = """
import json, sys, time, warnings
start = time.perf_counter()
import minimlp
import_s = time.perf_counter() - start
numba_at_import = "numba" in sys.modules
from minimlp.datasets import make_classification
warnings.simplefilter("ignore")
X, y = make_classification(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                           random_state=42, shuffle=False)
X, y = X[:800], y[:800]
out = {"import_s": import_s, "numba_at_import": numba_at_import}
for depth in DEPTHS:
    model = minimlp.MLPClassifier((HIDDEN,) * depth, solver="sgd", max_iter=1, random_state=1)
    start = time.perf_counter()
    model.fit(X, y)
    out[f"first_fit_{depth}_s"] = time.perf_counter() - start
    start = time.perf_counter()
    model.fit(X, y)
    out[f"second_fit_{depth}_s"] = time.perf_counter() - start
    reference = minimlp.MLPClassifier((HIDDEN,) * depth, solver="sgd", max_iter=1,
                                      random_state=1, backend="numpy").fit(X, y)
    out[f"max_diff_{depth}"] = max(float(abs(a - b).max())
                                   for a, b in zip(model.coefs_, reference.coefs_))
print(json.dumps(out))
"""
DEPTHS = (1,) if TINY else (1, 2, 3)  # one cold compile per depth: 5-10 s each
CHILD = CHILD.replace("HIDDEN", "10" if TINY else "100").replace("DEPTHS", str(DEPTHS))


def _child(code: str, cache_dir) -> tuple[dict, float]:
    """Run ``code`` in a new interpreter; its JSON output and the process's wall time."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True)
    wall = time.perf_counter() - start
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def _validated(result: dict) -> dict:
    assert not result["numba_at_import"], "import minimlp imported numba"
    for depth in DEPTHS:
        assert result[f"max_diff_{depth}"] < 1e-9, result
    return result


def test_compile(benchmark, record, tmp_path):
    cold, cold_wall = _child(CHILD, tmp_path)  # the first call, timed apart
    warm_runs = []
    benchmark.pedantic(lambda: warm_runs.append(_child(CHILD, tmp_path)), rounds=1 if TINY else 3)
    warm, warm_wall = min(warm_runs, key=lambda run: run[1])
    for name, result, wall in (("empty cache", cold, cold_wall), ("warm cache", warm, warm_wall)):
        _validated(result)
        # What a process pays before training: the first fit minus the same fit run again.
        overhead = [result[f"first_fit_{d}_s"] - result[f"second_fit_{d}_s"] for d in DEPTHS]
        record("Compile", {
            "numba cache": name, "import minimlp (s)": result["import_s"],
            "first fit (100,) (s)": result["first_fit_1_s"],
            "of which start-up (s)": overhead[0],
            f"start-up of depths {DEPTHS[0]}-{DEPTHS[-1]} (s)": sum(overhead),
            "process wall time (s)": wall})
    target(record, "warm cache: start-up before the first fit (100,)",
           warm["first_fit_1_s"] - warm["second_fit_1_s"], 0.5, unit=" s", at_most=True)


def test_import(benchmark, record, tmp_path):
    code = ("import sys, time, json\nstart = time.perf_counter()\nimport minimlp\n"
            "print(json.dumps({'import_s': time.perf_counter() - start,"
            " 'numba_at_import': 'numba' in sys.modules}))")
    runs = []
    benchmark.pedantic(lambda: runs.append(_child(code, tmp_path)), rounds=1 if TINY else 5)
    for result, _ in runs:
        assert not result["numba_at_import"], "import minimlp imported numba"
    seconds = statistics.median(r["import_s"] for r, _ in runs)
    record("Compile", {"numba cache": "(import only)", "import minimlp (s)": seconds,
                       "process wall time (s)": statistics.median(w for _, w in runs)})
    target(record, "import minimlp (numba not imported)", seconds, 0.5, unit=" s", at_most=True)
