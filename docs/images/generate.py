"""Regenerate the README's pictures: python docs/images/generate.py (needs minimlp[plot]).

The seed workflow's grid (27 candidates x 5 folds on make_classification data) with max_iter=200
instead of 1000, so it runs in about a minute; the heatmap shows alpha against
learning_rate_init with hidden_layer_sizes at the best candidate's value.
"""

import warnings
from pathlib import Path

from minimlp import MLPClassifier
from minimlp.cli import SEED_GRID
from minimlp.datasets import make_classification
from minimlp.exceptions import ConvergenceWarning
from minimlp.model_selection import GridSearchCV
from minimlp.plotting import plot_loss_curves, plot_search_scores


def main() -> None:
    here = Path(__file__).parent
    X, y = make_classification(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                               random_state=42, shuffle=False)
    model = MLPClassifier(solver="sgd", max_iter=200, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = GridSearchCV(model, SEED_GRID, cv=5, n_jobs=-1, verbose=1).fit(X, y)
        plot_search_scores(search, x="learning_rate_init", y="alpha",
                           path=here / "seed_scores.png")
        plot_loss_curves(search, top=3, X=X, y=y, path=here / "seed_loss_curves.png")
    print(search.best_params_, search.best_score_)


if __name__ == "__main__":  # the search's worker processes import this file
    main()
