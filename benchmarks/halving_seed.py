"""Successive halving over epochs on the seed workflow: continuing against restarting.

Runs HalvingGridSearchCV(resource='max_iter', max_resources=1000, factor=3, cv=5, n_jobs=-1) on
the seed grid twice, continuing the survivors' training (minimlp's default) and restarting every
rung (scikit-learn's way), checks that both take the same rung decisions, and prints a markdown
table: epochs trained, wall time, the chosen candidate and its full-budget (max_iter=1000)
cross-validated score against the full grid's best.

The full grid's numbers (27 candidates x 5 folds at max_iter=1000) are scikit-learn 1.9.1's
(measured on this machine), which minimlp's MLP reproduces bit for bit.

Usage: python benchmarks/halving_seed.py [--min-resources N ...]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from minimlp.datasets import make_classification
from minimlp.model_selection import HalvingGridSearchCV, cross_val_score
from minimlp.neural_network import MLPClassifier

GRID = {"alpha": [0.0001, 0.001, 0.01], "hidden_layer_sizes": [(100,), (100, 100), (100, 100, 100)],
        "learning_rate_init": [0.001, 0.01, 0.1]}
# scikit-learn 1.9.1 on the full grid, ParameterGrid order: mean_test_score and the sum of n_iter_
# over the 5 folds (seed_sklearn_results.md).
FULL_GRID = [(0.853, 1104), (0.864, 5000), (0.861, 2073), (0.849, 1637), (0.848, 3529),
             (0.856, 706), (0.849, 5000), (0.848, 1946), (0.847, 394),
             (0.853, 1104), (0.863, 5000), (0.866, 2067), (0.849, 1637), (0.850, 3512),
             (0.858, 706), (0.849, 5000), (0.853, 1943), (0.850, 394),
             (0.853, 1104), (0.862, 5000), (0.870, 2066), (0.849, 1637), (0.851, 3533),
             (0.850, 706), (0.849, 5000), (0.851, 1946), (0.848, 394)]


def seed_data():
    return make_classification(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                               random_state=42, shuffle=False)


def mlp(max_iter: int = 1000) -> MLPClassifier:
    return MLPClassifier(solver="sgd", tol=1e-4, random_state=1, max_iter=max_iter)


def rungs(search) -> list[list[dict]]:
    """The candidates of each rung, without the resource, in evaluation order."""
    results = search.cv_results_
    return [[{k: v for k, v in p.items() if k != search.resource}
             for p, it in zip(results["params"], results["iter"]) if it == i]
            for i in range(search.n_iterations_)]


def halving(X, y, **kw):
    start = time.perf_counter()
    search = HalvingGridSearchCV(mlp(), GRID, resource="max_iter", max_resources=1000, factor=3,
                                 cv=5, n_jobs=-1, **kw).fit(X, y)
    return search, time.perf_counter() - start


def full_budget_score(X, y, params: dict) -> float:
    return float(np.mean(cross_val_score(mlp().set_params(**params), X, y, cv=5, n_jobs=-1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-resources", type=int, nargs="*", default=[],
                        help="also run plain halving starting at these epochs (hedges)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # ConvergenceWarning of every capped rung
    X, y = seed_data()
    grid_best = max(s for s, _ in FULL_GRID)
    grid_epochs = sum(e for _, e in FULL_GRID)

    # Warm-up (worker start-up, numba compilation), so the timed runs compare like with like.
    HalvingGridSearchCV(mlp(), GRID, resource="max_iter", max_resources=3, n_jobs=-1).fit(X, y)
    cont, cont_wall = halving(X, y, continue_training=True)
    restart, restart_wall = halving(X, y, continue_training=False)
    same = rungs(cont) == rungs(restart)
    same_scores = all(np.array_equal(cont.cv_results_[k], restart.cv_results_[k])
                      for k in cont.cv_results_ if k.startswith(("split", "mean_test", "rank")))

    print("## Rung decisions (continuing; restarting is identical: "
          f"{'yes' if same and same_scores else 'NO'})\n")
    for i, (n_res, cands) in enumerate(zip(cont.n_resources_, rungs(cont))):
        print(f"- rung {i}: max_iter={n_res}, {len(cands)} candidates")
    survivors = [p for p in rungs(cont)[-1]]
    print(f"- survivors of the last rung: {survivors}\n")

    chosen = {k: v for k, v in cont.best_params_.items() if k != "max_iter"}
    chosen_full = full_budget_score(X, y, chosen)
    rows = [("halving, continuing", cont, cont_wall), ("halving, restarting (scikit-learn's way)",
                                                      restart, restart_wall)]
    for m in args.min_resources:
        search, wall = halving(X, y, min_resources=m)
        rows.append((f"halving from max_iter={m}, continuing", search, wall))

    print("| search | epochs trained | vs restarting | vs full grid | wall (s) | fit time, "
          "summed (s) | chosen | its CV score at max_iter=1000 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, search, wall in rows:
        params = {k: v for k, v in search.best_params_.items() if k != "max_iter"}
        score = chosen_full if params == chosen else full_budget_score(X, y, params)
        fit_time = float(np.sum(search.cv_results_["mean_fit_time"]) * search.n_splits_)
        print(f"| {name} | {search.n_epochs_trained_:,} | "
              f"{search.n_epochs_trained_ / search.n_epochs_restart_:.1%} | "
              f"{search.n_epochs_trained_ / grid_epochs:.1%} | {wall:.1f} | {fit_time:.1f} | "
              f"{params} | {score:.3f} |")
    print(f"| full grid (scikit-learn 1.9.1, measured) | {grid_epochs:,} | | 100% | 213 | | "
          f"{GRID_BEST_PARAMS} | {grid_best:.3f} |")


GRID_BEST_PARAMS = {"alpha": 0.01, "hidden_layer_sizes": (100,), "learning_rate_init": 0.1}

if __name__ == "__main__":  # worker processes re-import this script
    main()
