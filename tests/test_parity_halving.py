"""Halving searches against scikit-learn's (resource='n_samples' and resource='max_iter')."""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from scipy.stats import loguniform  # noqa: E402
from sklearn.experimental import enable_halving_search_cv  # noqa: E402, F401
from sklearn.model_selection import HalvingGridSearchCV as SkHalvingGrid  # noqa: E402
from sklearn.model_selection import HalvingRandomSearchCV as SkHalvingRandom  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLP  # noqa: E402

from minimlp.datasets import make_classification  # noqa: E402
from minimlp.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV  # noqa: E402
from minimlp.neural_network import MLPClassifier  # noqa: E402

GRID = {"alpha": [1e-4, 1e-2], "hidden_layer_sizes": [(8,), (16,)],
        "learning_rate_init": [0.01, 0.1, 0.3]}
MLP = {"solver": "sgd", "random_state": 1, "tol": 1e-4}


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=300, n_features=8, random_state=0)


def assert_same(ours, theirs):
    for attr in ("n_resources_", "n_candidates_", "n_iterations_", "n_required_iterations_",
                 "n_possible_iterations_", "min_resources_", "max_resources_",
                 "n_remaining_candidates_", "best_index_", "best_params_"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    ours_r, theirs_r = ours.cv_results_, theirs.cv_results_
    assert list(ours_r) == list(theirs_r)
    assert ours_r["params"] == theirs_r["params"]
    for key in ours_r:
        if "score" in key and "time" not in key:
            np.testing.assert_array_equal(ours_r[key], theirs_r[key], err_msg=key)
    np.testing.assert_array_equal(ours_r["iter"], theirs_r["iter"])
    np.testing.assert_array_equal(ours_r["n_resources"], theirs_r["n_resources"])
    assert ours.best_score_ == theirs.best_score_


def run(ours_cls, theirs_cls, X, y, space, ours_kw=(), **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = ours_cls(MLPClassifier(max_iter=30, **MLP), space, **dict(ours_kw), **kw).fit(X, y)
        theirs = theirs_cls(SkMLP(max_iter=30, **MLP), space, **kw).fit(X, y)
    return ours, theirs


@pytest.mark.parametrize("kw", [{"random_state": 0}, {"random_state": 3, "factor": 2},
                                {"random_state": 0, "min_resources": 40, "max_resources": 250,
                                 "aggressive_elimination": True}])
def test_n_samples_matches_sklearn(data, kw):
    ours, theirs = run(HalvingGridSearchCV, SkHalvingGrid, *data, GRID, **kw)
    assert_same(ours, theirs)


def test_n_samples_random_state_instance_matches_sklearn(data):
    # One RandomState shared by every subsampling, in scikit-learn's draw order.
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = HalvingGridSearchCV(MLPClassifier(max_iter=30, **MLP), GRID, factor=2,
                                   random_state=np.random.RandomState(5)).fit(X, y)
        theirs = SkHalvingGrid(SkMLP(max_iter=30, **MLP), GRID, factor=2,
                               random_state=np.random.RandomState(5)).fit(X, y)
    assert_same(ours, theirs)


@pytest.mark.parametrize("continue_training", [True, False])
def test_max_iter_matches_sklearn_restarting(data, continue_training):
    # scikit-learn refits every rung from scratch; exact continuation gives the same scores.
    ours, theirs = run(HalvingGridSearchCV, SkHalvingGrid, *data, GRID, resource="max_iter",
                       max_resources=60, ours_kw={"continue_training": continue_training})
    assert_same(ours, theirs)
    assert (ours.n_epochs_trained_ < ours.n_epochs_restart_) == continue_training


def test_random_search_matches_sklearn(data):
    space = {"alpha": loguniform(1e-5, 1e-1), "learning_rate_init": [0.01, 0.03, 0.1, 0.3],
             "hidden_layer_sizes": [(8,), (16,)]}
    ours, theirs = run(HalvingRandomSearchCV, SkHalvingRandom, *data, space,
                       resource="max_iter", max_resources=40, random_state=2, n_candidates=10)
    assert_same(ours, theirs)
