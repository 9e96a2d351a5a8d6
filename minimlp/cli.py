"""The ``minimlp`` command line.

``minimlp demo`` runs the seed workflow (a 27-candidate × 5-fold grid search of an SGD MLP on
``make_classification`` data) with a progress display, then prints the best parameters and the
candidates' mean scores.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

SEED_GRID = {
    "hidden_layer_sizes": [(100,), (100, 100), (100, 100, 100)],
    "alpha": [0.0001, 0.001, 0.01],
    "learning_rate_init": [0.001, 0.01, 0.1],
}


def _candidates_table(search) -> str:
    """The candidates ranked by mean test score, as aligned text."""
    results = search.cv_results_
    names = sorted({k for p in results["params"] for k in p})
    header = ["rank", "mean", "std", *names]
    rows = [
        [str(results["rank_test_score"][i]), f"{results['mean_test_score'][i]:.4f}",
         f"{results['std_test_score'][i]:.4f}", *(str(p.get(k, "")) for k in names)]
        for i, p in sorted(enumerate(results["params"]),
                           key=lambda ip: results["rank_test_score"][ip[0]])
    ]
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [header, *rows])


def demo(args: argparse.Namespace) -> int:
    """Run the seed workflow on its built-in data and report the search."""
    from .datasets import make_classification
    from .exceptions import ConvergenceWarning
    from .model_selection import GridSearchCV
    from .neural_network import MLPClassifier

    X, y = make_classification(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                               random_state=42, shuffle=False)
    if args.float32:
        X = X.astype("float32")
    model = MLPClassifier(hidden_layer_sizes=(100,), max_iter=args.max_iter, alpha=0.0001,
                          solver="sgd", tol=0.0001, random_state=1)
    search = GridSearchCV(model, SEED_GRID, n_jobs=args.n_jobs, cv=5, verbose=1)
    print(f"minimlp demo: 27 candidates x 5 folds, max_iter={args.max_iter}, "
          f"n_jobs={args.n_jobs}", flush=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Fits that reach max_iter are expected in this grid (scikit-learn's too).
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    print(f"\nfit time: {time.perf_counter() - start:.1f} s")
    print(f"best parameters: {search.best_params_}  (mean accuracy {search.best_score_:.4f})\n")
    print(_candidates_table(search))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minimlp", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("demo", help="run the seed grid-search workflow on built-in data")
    p.add_argument("--n-jobs", type=int, default=-1, help="worker processes (-1: every core)")
    p.add_argument("--max-iter", type=int, default=1000, help="epochs per fit (default 1000)")
    p.add_argument("--float32", action="store_true", help="train in float32")
    p.set_defaults(func=demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``minimlp`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
