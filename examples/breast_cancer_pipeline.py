"""Raw features against features standardized inside each fold, on the breast-cancer data.

The 30 measurements range from ~1e-3 (fractal dimension) to ~4e3 (worst area). An SGD MLP on
the raw values mostly predicts the majority class; the same MLP behind a StandardScaler, fitted
on each fold's training rows only, scores about 0.97. Run: ``python
examples/breast_cancer_pipeline.py``.
"""

import warnings

from minimlp.datasets import load_breast_cancer
from minimlp.exceptions import ConvergenceWarning
from minimlp.model_selection import GridSearchCV
from minimlp.neural_network import MLPClassifier
from minimlp.pipeline import make_pipeline
from minimlp.preprocessing import StandardScaler

if __name__ == "__main__":
    X, y = load_breast_cancer(return_X_y=True)
    mlp = MLPClassifier(hidden_layer_sizes=(50,), solver="sgd", max_iter=200, random_state=0)
    rates = [0.001, 0.01, 0.1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        raw = GridSearchCV(mlp, {"learning_rate_init": rates}, cv=5, n_jobs=-1).fit(X, y)
        scaled = GridSearchCV(make_pipeline(StandardScaler(), mlp),
                              {"mlpclassifier__learning_rate_init": rates},
                              cv=5, n_jobs=-1).fit(X, y)
    print("| learning_rate_init | raw features | standardized in each fold |")
    print("|---|---|---|")
    for i, rate in enumerate(rates):
        print(f"| {rate} | {raw.cv_results_['mean_test_score'][i]:.3f} "
              f"| {scaled.cv_results_['mean_test_score'][i]:.3f} |")
