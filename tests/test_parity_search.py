"""GridSearchCV / cross_validate against scikit-learn 1.9 run as a black box."""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from _search_estimators import PriorClassifier  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning  # noqa: E402
from sklearn.model_selection import GridSearchCV as SkGridSearchCV  # noqa: E402
from sklearn.model_selection import cross_validate as sk_cross_validate  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLPClassifier  # noqa: E402

from minimlp import MLPClassifier  # noqa: E402
from minimlp.exceptions import ConvergenceWarning  # noqa: E402
from minimlp.model_selection import GridSearchCV, cross_validate  # noqa: E402

# The seed workflow's grid, cut to 2 x 2 x 2 and 50 epochs so the test runs in seconds.
SEED_GRID = {"hidden_layer_sizes": [(100,), (100, 100)], "alpha": [1e-4, 1e-2],
             "learning_rate_init": [1e-3, 1e-1]}


def test_seed_workflow_cv_results_match_sklearn():
    X, y = make_classification(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                               random_state=42, shuffle=False)
    kwargs = dict(solver="sgd", max_iter=50, random_state=1, tol=1e-4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkConvergenceWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = SkGridSearchCV(SkMLPClassifier(**kwargs), SEED_GRID, cv=5).fit(X, y)
        ours = GridSearchCV(MLPClassifier(**kwargs), SEED_GRID, cv=5).fit(X, y)
    assert list(ours.cv_results_) == list(theirs.cv_results_)
    for key, value in theirs.cv_results_.items():
        if key.startswith(("split", "rank_", "mean_test", "std_test")):
            np.testing.assert_array_equal(ours.cv_results_[key], value, err_msg=key)
        elif key.startswith("param_"):
            assert ours.cv_results_[key].dtype == value.dtype, key
            assert ours.cv_results_[key].tolist() == value.tolist(), key
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_index_ == theirs.best_index_ and ours.best_score_ == theirs.best_score_
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


DATA = np.random.RandomState(0).randn(40, 2), np.r_[np.zeros(25, int), np.ones(15, int)]


@pytest.mark.parametrize("scoring, refit", [(None, True), (["accuracy", "f1"], "f1"),
                                            ({"acc": "accuracy", "f": "f1"}, False)])
@pytest.mark.parametrize("return_train_score", [False, True])
def test_cv_results_keys_and_values_match_sklearn(scoring, refit, return_train_score):
    X, y = DATA
    grid = {"strategy": ["most_frequent", "prior"]}
    kwargs = dict(scoring=scoring, refit=refit, cv=4, return_train_score=return_train_score)
    theirs = SkGridSearchCV(DummyClassifier(), grid, **kwargs).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # f1 of a constant predictor is ill-defined
        ours = GridSearchCV(PriorClassifier(), grid, **kwargs).fit(X, y)
    assert list(ours.cv_results_) == list(theirs.cv_results_)
    for key, value in theirs.cv_results_.items():
        if "time" not in key and key != "params":
            np.testing.assert_array_equal(ours.cv_results_[key], value, err_msg=key)
    for attr in ("best_index_", "best_score_", "best_params_", "multimetric_", "n_splits_"):
        assert hasattr(ours, attr) == hasattr(theirs, attr), attr
        if hasattr(theirs, attr):
            assert getattr(ours, attr) == getattr(theirs, attr), attr


def test_cross_validate_keys_match_sklearn():
    X, y = DATA
    kwargs = dict(cv=3, scoring=["accuracy", "f1"], return_train_score=True,
                  return_estimator=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours = cross_validate(PriorClassifier(), X, y, **kwargs)
    theirs = sk_cross_validate(DummyClassifier(), X, y, **kwargs)
    assert list(ours) == list(theirs)
    for key in ("test_accuracy", "train_accuracy", "test_f1", "train_f1"):
        np.testing.assert_array_equal(ours[key], theirs[key], err_msg=key)
