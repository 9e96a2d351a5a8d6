"""The seed workflow end to end against scikit-learn's GridSearchCV, and its parallel scaling.

The seed workflow (/work/shared/reference/seed_workflow.py): ``GridSearchCV(MLPClassifier(
solver='sgd', max_iter=1000, random_state=1, ...), 27 candidates, cv=5, n_jobs=-1)`` on
``make_classification(1000, 20, ...)``. Its full run takes minutes per library, so it runs only
with MINIMLP_BENCH_FULL=1 (``python -m benchmarks.run --full``); the default run keeps all 27
candidates and caps every fit at 40 epochs, which keeps the full run's mix of depths (its time
is spread over the three depths about as in the full run) at a tenth of its cost.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.model_selection import GridSearchCV as SkGridSearchCV
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from threadpoolctl import threadpool_limits

from minimlp import MLPClassifier
from minimlp.model_selection import GridSearchCV

from ._common import FULL, TINY, median_interleaved, quiet, seconds, seed_data, target

SEED_GRID = {"hidden_layer_sizes": [(100,), (100, 100), (100, 100, 100)],
             "alpha": [0.0001, 0.001, 0.01], "learning_rate_init": [0.001, 0.01, 0.1]}
TINY_GRID = {"hidden_layer_sizes": [(10,), (10, 10)], "learning_rate_init": [0.01, 0.1]}
# (name, grid, max_iter)
VARIANTS = [("tiny", TINY_GRID, 3)] if TINY else [("max_iter=40", SEED_GRID, 40)] + (
    [("full (max_iter=1000)", SEED_GRID, 1000)] if FULL else [])
# grid, max_iter, max_iter with default BLAS threads
PARALLEL = (TINY_GRID, 2, 1) if TINY else (SEED_GRID, 100, 5)


def _search(search_cls, model_cls, X, y, grid, max_iter, n_jobs):
    """A search of the seed model (only its max_iter changed) as a zero-argument callable."""
    model = model_cls(hidden_layer_sizes=(100,), max_iter=max_iter, alpha=0.0001, solver="sgd",
                      tol=0.0001, random_state=1)
    return quiet(lambda: search_cls(model, grid, n_jobs=n_jobs, cv=5).fit(X, y))


def _validate_fit(X, y, train, hidden, max_iter):
    """One fit of the search, numba kernels against the NumPy reference backend."""
    fits = [quiet(MLPClassifier(hidden_layer_sizes=hidden, solver="sgd", max_iter=max_iter,
                                random_state=1, backend=backend).fit)(X[train], y[train])
            for backend in ("numba", "numpy")]
    tol = dict(rtol=1e-9, atol=1e-12) if X.dtype == np.float64 else dict(rtol=1e-3, atol=1e-4)
    for ours, reference in zip(fits[0].coefs_, fits[1].coefs_):
        assert_allclose(ours, reference, **tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v[0])
def test_seed_workflow(benchmark, record, variant, dtype):
    name, grid, max_iter = variant
    X, y, train = seed_data(dtype)
    for hidden in grid["hidden_layer_sizes"]:  # also loads each depth's kernels from the cache
        _validate_fit(X, y, train, hidden, min(max_iter, 20))
    # Start-up apart: a one-candidate, one-epoch search starts each library's worker pool (and
    # loads minimlp's kernels in the workers); the timed searches then run on warm pools.
    one = {"hidden_layer_sizes": [(100,)]}
    startup = {lib: seconds(_search(s, m, X, y, one, 1, -1)) for lib, s, m in (
        ("minimlp", GridSearchCV, MLPClassifier), ("sklearn", SkGridSearchCV, SkMLPClassifier))}
    results = {}

    def run(lib, search_cls, model_cls):
        search = _search(search_cls, model_cls, X, y, grid, max_iter, -1)
        return lambda: results.__setitem__(lib, search())

    t = median_interleaved(benchmark, {
        "minimlp": run("minimlp", GridSearchCV, MLPClassifier),
        "sklearn": run("sklearn", SkGridSearchCV, SkMLPClassifier)}, rounds=1, warmup=0)
    ours, theirs = results["minimlp"], results["sklearn"]
    gap = np.max(np.abs(ours.cv_results_["mean_test_score"]
                        - theirs.cv_results_["mean_test_score"]))
    dtype_name = "f64" if dtype == np.float64 else "f32"
    record("Seed workflow", {
        "variant": name, "dtype": dtype_name,
        "fits": len(ours.cv_results_["params"]) * 5, "sklearn (s)": t["sklearn"],
        "minimlp (s)": t["minimlp"], "speed-up": t["sklearn"] / t["minimlp"],
        "start-up sklearn / minimlp (s)": f"{startup['sklearn']:.2f} / {startup['minimlp']:.2f}",
        "same best_params_": "yes" if ours.best_params_ == theirs.best_params_ else "no",
        "best_params_ (minimlp)": str(ours.best_params_),
        "max Δ mean_test_score": float(gap)})
    if not TINY:
        target(record, f"seed workflow ({name}) {dtype_name}: speed-up over scikit-learn",
               t["sklearn"] / t["minimlp"], 4.0 if dtype == np.float64 else 6.0)


def test_parallel(benchmark, record):
    """minimlp's search with n_jobs=2 against n_jobs=1 (float64), on the default variant's work.

    A second row shows what n_jobs=1 costs with OpenBLAS's default threads (2 on 2 cores,
    fighting over batches of 200 rows), on fewer epochs since it is far slower.
    """
    grid, max_iter, trap_iter = PARALLEL
    X, y, _ = seed_data()
    fits = 5 * int(np.prod([len(v) for v in grid.values()]))
    # Start-up: a one-fit search. The first also starts multiprocessing's fork server (once per
    # process); the second shows what each later search pays (worker start, kernel loading).
    first_startup = seconds(_search(GridSearchCV, MLPClassifier, X, y, {"max_iter": [1]}, 1, 2))
    startup = seconds(_search(GridSearchCV, MLPClassifier, X, y, {"max_iter": [1]}, 1, 2))

    def one_thread(search):
        def run():
            with threadpool_limits(1):
                search()
        return run

    def search(epochs, n_jobs):
        return _search(GridSearchCV, MLPClassifier, X, y, grid, epochs, n_jobs)

    parallel = median_interleaved(benchmark, {"n_jobs=2": search(max_iter, 2),
                                              "n_jobs=1": one_thread(search(max_iter, 1))},
                                  rounds=1, warmup=0)
    trap = {"n_jobs=1": seconds(one_thread(search(trap_iter, 1))),
            "n_jobs=1, default BLAS threads": seconds(search(trap_iter, 1))}
    rows = []
    for epochs, t in ((max_iter, parallel), (trap_iter, trap)):
        first, second = t
        rows.append({"grid": f"{fits // 5} candidates × 5 folds, max_iter={epochs}",
                     "A / B": f"{first} / {second}", "seconds A / B": f"{t[first]:.2f} / "
                     f"{t[second]:.2f}", "B / A": t[second] / t[first]})
    rows[0]["start-up n_jobs=2, first / later search (s)"] = f"{first_startup:.2f} / {startup:.2f}"
    # Fits per second once the two workers run: the start-up a later search pays (worker start,
    # kernel loading from the cache; the timed searches are later ones) is shown apart.
    steady = parallel["n_jobs=1"] / max(parallel["n_jobs=2"] - startup, 1e-9)
    rows[0]["B / A after start-up"] = steady
    for row in rows:
        record("Parallel", row)
    if not TINY:
        target(record, "search: n_jobs=2 throughput over n_jobs=1 (one BLAS thread)",
               rows[0]["B / A"], 1.8)
        target(record, "search: the same, start-up excluded", steady, 1.8)
