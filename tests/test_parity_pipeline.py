"""Pipelines against scikit-learn's: step names, parameter names, and a breast-cancer search."""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.model_selection import GridSearchCV as SkGridSearchCV  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline as sk_make_pipeline  # noqa: E402
from sklearn.preprocessing import MinMaxScaler as SkMinMaxScaler  # noqa: E402
from sklearn.preprocessing import StandardScaler as SkStandardScaler  # noqa: E402

from minimlp.model_selection import GridSearchCV  # noqa: E402
from minimlp.neural_network import MLPClassifier  # noqa: E402
from minimlp.pipeline import make_pipeline  # noqa: E402
from minimlp.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402

X, y = load_breast_cancer(return_X_y=True)  # 569 raw measurements x 30, 2 classes
MLP = dict(hidden_layer_sizes=(50,), solver="sgd", max_iter=200, random_state=0)


def pair(*classes):
    """The same pipeline built from minimlp's classes and from scikit-learn's."""
    ours = {"StandardScaler": StandardScaler, "MinMaxScaler": MinMaxScaler,
            "MLPClassifier": MLPClassifier}
    theirs = {"StandardScaler": SkStandardScaler, "MinMaxScaler": SkMinMaxScaler,
              "MLPClassifier": SkMLPClassifier}
    kwargs = [MLP if name == "MLPClassifier" else {} for name in classes]
    return (make_pipeline(*(ours[c](**k) for c, k in zip(classes, kwargs))),
            sk_make_pipeline(*(theirs[c](**k) for c, k in zip(classes, kwargs))))


@pytest.mark.parametrize("classes", [("StandardScaler", "MLPClassifier"),
                                     ("StandardScaler", "MinMaxScaler", "StandardScaler",
                                      "MLPClassifier")])
def test_step_and_parameter_names_match(classes):
    ours, theirs = pair(*classes)
    assert [n for n, _ in ours.steps] == [n for n, _ in theirs.steps]
    # scikit-learn has transform_input (metadata routing); minimlp's MLPs have backend.
    their_keys = set(theirs.get_params(deep=True)) - {"transform_input"}
    our_keys = {k for k in ours.get_params(deep=True) if not k.endswith("__backend")}
    assert our_keys == their_keys


def search_both(classes, grid):
    ours, theirs = pair(*classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter, in both libraries
        sk = SkGridSearchCV(theirs, grid, cv=5).fit(X, y)
        mm = GridSearchCV(ours, grid, cv=5, n_jobs=2).fit(X, y)
    return sk.cv_results_, mm


def test_breast_cancer_pipeline_search_equals_scikit_learn():
    grid = {"mlpclassifier__alpha": [1e-4, 1e-2],
            "mlpclassifier__learning_rate_init": [0.001, 0.01, 0.1],
            "standardscaler__with_mean": [True, False]}
    expected, search = search_both(("StandardScaler", "MLPClassifier"), grid)
    assert search.cv_results_["params"] == expected["params"]
    for k in range(5):
        key = f"split{k}_test_score"
        np.testing.assert_array_equal(search.cv_results_[key], expected[key], err_msg=key)
    np.testing.assert_array_equal(search.cv_results_["rank_test_score"],
                                  expected["rank_test_score"])


def test_minmax_pipeline_search_equals_scikit_learn():
    grid = {"minmaxscaler__feature_range": [(0, 1), (-1, 1)],
            "mlpclassifier__learning_rate_init": [0.01, 0.1]}
    expected, search = search_both(("MinMaxScaler", "MLPClassifier"), grid)
    for k in range(5):
        key = f"split{k}_test_score"
        np.testing.assert_array_equal(search.cv_results_[key], expected[key], err_msg=key)


def test_scaling_is_what_makes_the_raw_data_learnable():
    """The README's example: raw features against standardized ones, same MLP, same folds."""
    grid = {"mlpclassifier__learning_rate_init": [0.001, 0.01, 0.1]}
    scaled, _ = search_both(("StandardScaler", "MLPClassifier"), grid)
    raw_grid = {"learning_rate_init": grid["mlpclassifier__learning_rate_init"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = GridSearchCV(MLPClassifier(**MLP), raw_grid, cv=5).fit(X, y).cv_results_
        sk_raw = SkGridSearchCV(SkMLPClassifier(**MLP), raw_grid, cv=5).fit(X, y).cv_results_
    np.testing.assert_array_equal(raw["mean_test_score"], sk_raw["mean_test_score"])
    # Unscaled, the larger learning rates collapse to the majority class (357 / 569 = 0.627).
    assert raw["mean_test_score"].max() < 0.9 < scaled["mean_test_score"].min()
    np.testing.assert_allclose(raw["mean_test_score"][1:], 357 / 569, atol=0.01)
