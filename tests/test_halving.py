"""Successive halving: schedule, results layout, continuation of training, journal, errors."""

import math
import warnings

import numpy as np
import pytest
from _search_estimators import CentroidClassifier
from hypothesis import given, settings
from hypothesis import strategies as st

from minimlp.base import BaseEstimator, ClassifierMixin
from minimlp.datasets import make_classification
from minimlp.model_selection import (
    HalvingGridSearchCV,
    HalvingRandomSearchCV,
    KFold,
    cross_validate,
)
from minimlp.model_selection._validation import _fit_and_score, _Shared
from minimlp.neural_network import MLPClassifier
from minimlp.utils.validation import check_X_y

X1000, Y1000 = make_classification(n_samples=1000, n_features=4, random_state=0)
XS, YS = make_classification(n_samples=120, n_features=5, random_state=3)
MLP_GRID = {"alpha": [1e-4, 1e-1, 1.0], "learning_rate_init": [0.003, 0.03, 0.3]}


class EpochCentroid(ClassifierMixin, BaseEstimator):
    """A centroid classifier with a ``max_iter`` parameter (``n_iter_ = max_iter``), no
    ``continue_fit``: a resource that is not rows, and an estimator that cannot continue."""

    def __init__(self, shrink=0.0, max_iter=1):
        self.shrink = shrink
        self.max_iter = max_iter

    def fit(self, X, y):
        X, y = check_X_y(X, y)
        self.classes_ = np.unique(y)
        centre = X.mean(axis=0)
        means = np.array([X[y == c].mean(axis=0) for c in self.classes_])
        # More "epochs" move the centroids further from the centre: scores depend on the budget.
        self.centroids_ = centre + (1 - self.shrink / self.max_iter) * (means - centre)
        self.n_iter_ = self.max_iter
        return self

    def predict(self, X):
        d = ((np.asarray(X)[:, None, :] - self.centroids_[None]) ** 2).sum(axis=2)
        return self.classes_[d.argmin(axis=1)]


def shrinks(n):
    return {"shrink": list(np.linspace(0, 0.99, n))}


def mlp(**kw):
    return MLPClassifier(hidden_layer_sizes=(5,), solver="sgd", random_state=0, tol=1e-4, **kw)


def halving_mlp(**kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning of the capped rungs
        return HalvingGridSearchCV(mlp(), MLP_GRID, resource="max_iter", max_resources=27,
                                   cv=3, **kw).fit(XS, YS)


# ------------------------------------------------------------------------------ schedule
@pytest.mark.parametrize("n, kw, X, y, expected", [
    # The spec's example: 27 candidates, 1000 binary rows, cv=5, 'exhaust' (min 20 -> 37).
    (27, {}, X1000, Y1000, dict(n_resources_=[37, 111, 333, 999], n_candidates_=[27, 9, 3, 1],
                                min_resources_=37, max_resources_=1000, n_required=4,
                                n_possible=4, n_remaining_candidates_=1)),
    # The float-log quirk: log(243, 3) = 4.999... gives 5 rungs and 3 final candidates.
    (243, {"min_resources": 10, "max_resources": 1000, "cv": 2}, X1000, Y1000,
     dict(n_resources_=[10, 30, 90, 270, 810], n_candidates_=[243, 81, 27, 9, 3],
          min_resources_=10, max_resources_=1000, n_required=5, n_possible=5,
          n_remaining_candidates_=1)),
    # 'smallest' with factor 2: 2 * 5 folds * 2 classes = 20 rows; min(6 possible, 5 required).
    (27, {"factor": 2, "min_resources": "smallest"}, X1000, Y1000,
     dict(n_resources_=[20, 40, 80, 160, 320], n_candidates_=[27, 14, 7, 4, 2],
          min_resources_=20, max_resources_=1000, n_required=5, n_possible=6,
          n_remaining_candidates_=1)),
    # Too few resources for 4 rungs: stop after 3 possible ones ...
    (27, {"min_resources": 100}, X1000, Y1000,
     dict(n_resources_=[100, 300, 900], n_candidates_=[27, 9, 3], min_resources_=100,
          max_resources_=1000, n_required=4, n_possible=3, n_remaining_candidates_=1)),
    # ... or, aggressively, repeat the first rung's resources until few enough remain.
    (27, {"min_resources": 100, "aggressive_elimination": True}, X1000, Y1000,
     dict(n_resources_=[100, 100, 300, 900], n_candidates_=[27, 9, 3, 1], min_resources_=100,
          max_resources_=1000, n_required=4, n_possible=3, n_remaining_candidates_=1)),
    # A parameter resource starts at 1; 'exhaust' lifts it to 100 // 3**2 = 11.
    (9, {"resource": "max_iter", "max_resources": 100}, XS, YS,
     dict(n_resources_=[11, 33, 99], n_candidates_=[9, 3, 1], min_resources_=11,
          max_resources_=100, n_required=3, n_possible=3, n_remaining_candidates_=1)),
])
def test_schedule(n, kw, X, y, expected):
    estimator = EpochCentroid() if kw.get("resource") == "max_iter" else CentroidClassifier()
    search = HalvingGridSearchCV(estimator, shrinks(n), **kw).fit(X, y)
    for attr, value in expected.items():
        name = {"n_required": "n_required_iterations_",
                "n_possible": "n_possible_iterations_"}.get(attr, attr)
        assert getattr(search, name) == value, attr
    assert search.n_iterations_ == len(expected["n_resources_"])


def test_float_log_quirk_is_real():
    assert math.log(243, 3) < 5  # the reason for the case above


def test_random_search_exhaust_candidates():
    search = HalvingRandomSearchCV(CentroidClassifier(), {"shrink": np.linspace(0, 0.99, 200)},
                                   random_state=0).fit(X1000, Y1000)
    assert search.min_resources_ == 20  # 'smallest' for the random search
    assert search.n_candidates_[0] == 1000 // 20
    assert search.n_resources_[0] == 20


# ------------------------------------------------------------------------------ results
def test_cv_results_layout_and_survivors():
    search = HalvingGridSearchCV(CentroidClassifier(), shrinks(12), factor=2,
                                 random_state=0).fit(X1000, Y1000)
    results = search.cv_results_
    assert list(results)[:3] == ["iter", "n_resources", "mean_fit_time"]
    assert "mean_train_score" in results  # return_train_score=True by default
    iters, means = results["iter"], results["mean_test_score"]
    assert list(np.bincount(iters)) == search.n_candidates_
    assert list(results["n_resources"]) == [search.n_resources_[i] for i in iters]
    for i in range(search.n_iterations_ - 1):
        now = [j for j in range(len(iters)) if iters[j] == i]
        kept = [p for p, it in zip(results["params"], iters) if it == i + 1]
        assert len(kept) == math.ceil(len(now) / 2)
        kept_scores = [means[j] for j in now if results["params"][j] in kept]
        dropped = [means[j] for j in now if results["params"][j] not in kept]
        assert min(kept_scores) >= max(dropped)
    last = np.flatnonzero(iters == iters.max())
    assert search.best_index_ in last
    assert search.best_score_ == means[last].max() == means[search.best_index_]
    # The subsampled folds: int(n_resources / 1000 * fold size) rows for training.
    assert search.best_estimator_.centroids_.shape == (2, 4)


def test_parameter_resource_is_in_params_and_refit():
    search = halving_mlp()
    assert all(p["max_iter"] == r for p, r in zip(search.cv_results_["params"],
                                                  search.cv_results_["n_resources"]))
    assert search.best_params_["max_iter"] == search.n_resources_[-1]
    assert search.best_estimator_.max_iter == search.n_resources_[-1]


# ------------------------------------------------------------------------- continuation
def scores_of(search):
    return {k: v for k, v in search.cv_results_.items() if "score" in k and "time" not in k}


def test_continuing_equals_restarting_with_fewer_epochs():
    cont, restart = halving_mlp(), halving_mlp(continue_training=False)
    assert cont.cv_results_["params"] == restart.cv_results_["params"]  # same rung decisions
    for key, value in scores_of(restart).items():
        np.testing.assert_array_equal(scores_of(cont)[key], value, err_msg=key)
    assert restart.n_epochs_trained_ == restart.n_epochs_restart_
    assert cont.n_epochs_restart_ == restart.n_epochs_restart_
    assert cont.n_epochs_trained_ < cont.n_epochs_restart_


def test_epoch_counts_match_independent_fits():
    search = halving_mlp()
    results = search.cv_results_
    n_iter = []  # each row's fold models fitted from scratch: their n_iter_ summed
    for params in results["params"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = cross_validate(mlp(**params), XS, YS, cv=3, return_estimator=True)
        n_iter.append([e.n_iter_ for e in out["estimator"]])
    n_iter = np.array(n_iter)
    assert search.n_epochs_restart_ == n_iter.sum()
    # Continuing, a surviving candidate trains only its epochs beyond its previous rung.
    trained = 0
    for row, params in enumerate(results["params"]):
        before = [r for r, p in enumerate(results["params"]) if r < row and
                  {**p, "max_iter": 0} == {**params, "max_iter": 0}]
        trained += (n_iter[row] - (n_iter[before[-1]] if before else 0)).sum()
    assert search.n_epochs_trained_ == trained


def test_estimator_without_continue_fit_restarts():
    search = HalvingGridSearchCV(EpochCentroid(), shrinks(9), resource="max_iter",
                                 max_resources=30).fit(XS, YS)
    assert search.n_epochs_trained_ == search.n_epochs_restart_ == sum(
        search.cv_results_["n_resources"]) * 5


@settings(deadline=None, max_examples=12)
@given(k=st.integers(1, 12), extra=st.integers(0, 15),
       kw=st.sampled_from([{}, {"solver": "adam"}, {"early_stopping": True, "n_iter_no_change": 3},
                           {"learning_rate": "adaptive", "n_iter_no_change": 2, "tol": 1e-2}]))
def test_warm_task_is_bit_exact(k, extra, kw):
    # Through the task function: continue a fold model fitted with max_iter=k to k + extra.
    estimator = MLPClassifier(hidden_layer_sizes=(4,), random_state=0, batch_size=32,
                              **{"solver": "sgd", **kw})
    splits = list(KFold(3).split(XS))
    shared = _Shared(XS, YS, estimator, [{"max_iter": k}, {"max_iter": k + extra}], splits,
                     {"score": lambda est, X, y: est.score(X, y)}, True, True, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = _fit_and_score(shared, (0, 1))
        warm = first.pop("estimator")
        n_before = warm.n_iter_
        continued = _fit_and_score(shared, (1, 1, warm))
        fresh = _fit_and_score(shared, (1, 1))
    a, b = continued["estimator"], fresh["estimator"]
    assert a is warm and a.max_iter == k + extra
    for wa, wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(wa, wb)
    assert a.loss_curve_ == b.loss_curve_ and a.n_iter_ == b.n_iter_
    assert continued["test_scores"] == fresh["test_scores"]
    assert continued["train_scores"] == fresh["train_scores"]
    assert continued["n_iter"] == fresh["n_iter"] == b.n_iter_
    assert continued["n_epochs"] == b.n_iter_ - n_before


def test_n_jobs_2_equals_n_jobs_1():
    one, two = halving_mlp(), halving_mlp(n_jobs=2)
    assert one.cv_results_["params"] == two.cv_results_["params"]
    for key, value in scores_of(one).items():
        np.testing.assert_array_equal(scores_of(two)[key], value, err_msg=key)
    assert (one.n_epochs_trained_, one.n_epochs_restart_) == (two.n_epochs_trained_,
                                                              two.n_epochs_restart_)


# ------------------------------------------------------------------------------ journal
def test_journal_resume(tmp_path):
    journal = tmp_path / "halving.jsonl"
    full = halving_mlp(journal=str(journal))
    n_tasks = len(full.cv_results_["params"]) * 3
    assert len(journal.read_text().splitlines()) == n_tasks

    again = halving_mlp(journal=str(journal))
    assert (again.n_tasks_resumed_, again.n_tasks_run_) == (n_tasks, 0)
    assert again.n_epochs_trained_ == 0 and again.n_epochs_restart_ == full.n_epochs_restart_

    # Interrupted after the first rung and one task of the second: the second rung's other
    # tasks have no fold model to continue from, so they are fitted from scratch (the same
    # result, since continuation is exact).
    first_rung = full.n_candidates_[0] * 3
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:first_rung + 1]))
    resumed = halving_mlp(journal=str(journal))
    assert resumed.n_tasks_resumed_ == first_rung + 1
    assert resumed.cv_results_["params"] == full.cv_results_["params"]
    for key, value in scores_of(full).items():
        np.testing.assert_array_equal(scores_of(resumed)[key], value, err_msg=key)
    # Rungs of 3, 9, 27 epochs; none stops before 11 epochs (n_iter_no_change=10), so: the
    # first rung's 9 x 3 tasks (3 epochs each) are not trained again, nor are the resumed task's
    # 6 continued epochs, and the other 8 of the second rung train 9 epochs from scratch instead
    # of continuing for 6.
    assert full.n_resources_ == [3, 9, 27]
    assert resumed.n_epochs_trained_ == full.n_epochs_trained_ - 27 * 3 - 6 + 8 * 3

    # A restarting search shares the first rung (not continued) but not the later ones.
    restart = halving_mlp(journal=str(journal), continue_training=False)
    assert restart.n_tasks_resumed_ == first_rung


# ------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("kw, error, match", [
    ({"factor": 1}, ValueError, "factor must be a number greater than 1"),
    ({"factor": "3"}, ValueError, "factor"),
    ({"min_resources": 0}, ValueError, "min_resources must be"),
    ({"min_resources": "most"}, ValueError, "min_resources must be"),
    ({"max_resources": -5}, ValueError, "max_resources must be"),
    ({"resource": "epochs"}, ValueError, "Cannot use resource=epochs which is not supported"),
    ({"resource": "shrink", "max_resources": 10}, ValueError,
     "Cannot use parameter shrink as the resource"),
    ({"resource": "delay"}, ValueError, "resource can only be 'n_samples'"),
    ({"min_resources": 500, "max_resources": 100}, ValueError, "min_resources_=500 is greater"),
    ({"max_resources": 5000}, ValueError, "greater than the number of samples"),
    ({"cv": KFold(3, shuffle=True)}, ValueError, "consistent folds"),
    ({"scoring": ["accuracy", "f1"]}, ValueError, "single metric"),
    ({"refit": "score"}, TypeError, "refit must be True or False"),
    ({"continue_training": "yes"}, TypeError, "continue_training must be a bool"),
])
def test_bad_parameters(kw, error, match, tmp_path):
    log = tmp_path / "fits.log"
    with pytest.raises(error, match=match):
        HalvingGridSearchCV(CentroidClassifier(log=str(log)), shrinks(4), **kw).fit(XS, YS)
    assert not log.exists()  # raised before any fit


def test_random_search_both_exhaust():
    with pytest.raises(ValueError, match="cannot be both set to 'exhaust'"):
        HalvingRandomSearchCV(CentroidClassifier(), shrinks(4),
                              min_resources="exhaust").fit(XS, YS)
    with pytest.raises(ValueError, match="n_candidates must be"):
        HalvingRandomSearchCV(CentroidClassifier(), shrinks(4), n_candidates=0).fit(XS, YS)
