"""GridSearchCV / RandomizedSearchCV / cross_validate on small deterministic estimators."""

import io
import re

import numpy as np
import pytest
from _search_estimators import CentroidClassifier, PriorClassifier, RidgeRegressor

from minimlp.exceptions import FitFailedWarning, NotFittedError
from minimlp.model_selection import (
    GridSearchCV,
    KFold,
    ParameterSampler,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_val_score,
    cross_validate,
)
from minimlp.model_selection._progress import Progress

rng = np.random.RandomState(0)
X = rng.randn(60, 3)
y = (X[:, 0] + 0.7 * rng.randn(60) > 0).astype(int)


def shrink_score(estimator, X, y):
    """A scorer whose value is the candidate's ``shrink``: means are known exactly."""
    return estimator.shrink


def n_test_rows(estimator, X, y):
    return len(X)


def two_metrics(estimator, X, y):
    return {"acc": estimator.score(X, y), "shrink": estimator.shrink}


def test_key_order_single_metric_with_train_scores():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5]}, cv=3,
                          return_train_score=True).fit(X, y)
    assert list(search.cv_results_) == [
        "mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time", "param_shrink",
        "params", "split0_test_score", "split1_test_score", "split2_test_score",
        "mean_test_score", "std_test_score", "rank_test_score", "split0_train_score",
        "split1_train_score", "split2_train_score", "mean_train_score", "std_train_score"]
    assert search.cv_results_["rank_test_score"].dtype == np.int32
    assert search.n_splits_ == 3 and search.multimetric_ is False


def test_key_order_multimetric():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5]}, cv=2,
                          scoring=["accuracy", "f1"], refit="f1").fit(X, y)
    assert list(search.cv_results_)[6:] == [
        "split0_test_accuracy", "split1_test_accuracy", "mean_test_accuracy",
        "std_test_accuracy", "rank_test_accuracy", "split0_test_f1", "split1_test_f1",
        "mean_test_f1", "std_test_f1", "rank_test_f1"]
    assert search.best_score_ == search.cv_results_["mean_test_f1"][search.best_index_]
    assert set(search.scorer_) == {"accuracy", "f1"}


def test_split_scores_are_the_folds_scores():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.8]}, cv=4).fit(X, y)
    folds = list(StratifiedKFold(4).split(X, y))
    for c, shrink in enumerate([0.0, 0.8]):
        for i, (train, test) in enumerate(folds):
            est = CentroidClassifier(shrink=shrink).fit(X[train], y[train])
            assert search.cv_results_[f"split{i}_test_score"][c] == est.score(X[test], y[test])


def test_ranks_min_method_with_ties_and_first_index_wins():
    values = [5.0, 1.0, 7.0, 3.0, 5.0, 1.0, 7.0, 3.0]
    search = GridSearchCV(CentroidClassifier(), [{"shrink": [v]} for v in values],
                          scoring=shrink_score, cv=2).fit(X, y)
    assert search.cv_results_["rank_test_score"].tolist() == [3, 7, 1, 5, 3, 7, 1, 5]
    assert search.best_index_ == 2 and search.best_score_ == 7.0
    assert search.best_params_ == {"shrink": 7.0}


def test_nan_means_rank_last_and_warn():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.5, np.nan, 0.25]},
                          scoring=shrink_score, cv=2)
    with pytest.warns(UserWarning, match="test scores are non-finite"):
        search.fit(X, y)
    assert search.cv_results_["rank_test_score"].tolist() == [1, 3, 2]
    with pytest.warns(UserWarning, match="non-finite"):
        search.set_params(param_grid={"shrink": [np.nan, np.nan]}).fit(X, y)
    assert search.cv_results_["rank_test_score"].tolist() == [1, 1]
    assert search.best_index_ == 0


def test_std_is_population_std():
    # KFold(3) on 10 rows: test folds of 4, 3, 3 rows -> scores 4, 3, 3, mean 10/3,
    # population std sqrt(((2/3)^2 + 2 (1/3)^2) / 3) = sqrt(2) / 3 (sample std would be 0.577).
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0]}, scoring=n_test_rows,
                          cv=KFold(3)).fit(X[:10], y[:10])
    assert search.cv_results_["mean_test_score"][0] == pytest.approx(10 / 3)
    assert search.cv_results_["std_test_score"][0] == pytest.approx(np.sqrt(2) / 3)


def test_param_columns_dtypes_and_masks_with_list_of_dicts():
    grid = [{"shrink": [0, 0.5]}, {"fail_on": [7, 8], "die_on": [(1,), (2, 3)]}, {"delay": [0]}]
    res = GridSearchCV(CentroidClassifier(), grid, cv=2).fit(X, y).cv_results_
    assert [k for k in res if k.startswith("param_")] == [
        "param_shrink", "param_die_on", "param_fail_on", "param_delay"]
    expect = {"param_shrink": (np.float64, [0, 0, 1, 1, 1, 1, 1]),
              "param_die_on": (object, [1, 1, 0, 0, 0, 0, 1]),
              "param_fail_on": (np.int64, [1, 1, 0, 0, 0, 0, 1]),
              "param_delay": (np.int64, [1, 1, 1, 1, 1, 1, 0])}
    for key, (dtype, mask) in expect.items():
        assert isinstance(res[key], np.ma.MaskedArray)
        assert res[key].dtype == dtype, key
        assert res[key].mask.tolist() == [bool(m) for m in mask], key
    assert res["param_die_on"][2] == (1,) and res["param_die_on"][4] == (2, 3)
    assert res["params"][2] == {"die_on": (1,), "fail_on": 7}
    strings = GridSearchCV(PriorClassifier(), {"strategy": ["prior", "first"]}, cv=2).fit(X, y)
    assert strings.cv_results_["param_strategy"].dtype == object


def test_refit_true_fits_best_on_all_data_and_delegates():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.9, 3.0]}, cv=3).fit(X, y)
    best = CentroidClassifier(**search.best_params_).fit(X, y)
    np.testing.assert_array_equal(search.best_estimator_.centroids_, best.centroids_)
    np.testing.assert_array_equal(search.predict(X), best.predict(X))
    np.testing.assert_array_equal(search.predict_proba(X), best.predict_proba(X))
    np.testing.assert_array_equal(search.predict_log_proba(X), best.predict_log_proba(X))
    np.testing.assert_array_equal(search.decision_function(X), best.decision_function(X))
    np.testing.assert_array_equal(search.classes_, [0, 1])
    assert search.score(X, y) == best.score(X, y)
    assert search.refit_time_ >= 0
    assert not hasattr(GridSearchCV(RidgeRegressor(), {"alpha": [1.0]}), "predict_proba")


def test_not_fitted_error_before_fit():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0]})
    with pytest.raises(NotFittedError, match="not fitted yet"):
        search.predict(X)


def test_refit_false_single_metric_keeps_best_but_no_estimator():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.9]}, cv=3,
                          refit=False).fit(X, y)
    assert search.best_index_ in (0, 1) and search.best_params_ and search.best_score_ > 0
    assert not hasattr(search, "best_estimator_")
    msg = ("This GridSearchCV instance was initialized with `refit=False`. predict is available "
           "only after refitting on the best parameters.")
    with pytest.raises(AttributeError, match=re.escape(msg)):
        search.predict(X)
    with pytest.raises(AttributeError, match="score is available only after refitting"):
        search.score(X, y)


def test_refit_false_multimetric_sets_no_best():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.9]}, cv=3, refit=False,
                          scoring={"a": "accuracy", "f": "f1"}).fit(X, y)
    for attr in ("best_index_", "best_score_", "best_params_", "best_estimator_"):
        assert not hasattr(search, attr)


def test_refit_callable():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5, 0.9]}, cv=3,
                          refit=lambda results: 1).fit(X, y)
    assert search.best_index_ == 1 and search.best_params_ == {"shrink": 0.5}
    assert not hasattr(search, "best_score_") and hasattr(search, "best_estimator_")
    with pytest.raises(TypeError, match="best_index_ returned is not an integer"):
        search.set_params(refit=lambda results: "1").fit(X, y)
    with pytest.raises(IndexError, match="best_index_ index out of range"):
        search.set_params(refit=lambda results: 3).fit(X, y)


def test_callable_scoring_returning_a_dict_is_multimetric():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5]}, cv=2,
                          scoring=two_metrics, refit="shrink").fit(X, y)
    assert search.multimetric_ and search.best_params_ == {"shrink": 0.5}
    assert "rank_test_acc" in search.cv_results_ and "mean_test_shrink" in search.cv_results_


def test_error_score_numeric_warns_naming_the_candidate():
    search = GridSearchCV(CentroidClassifier(fail_on=0.5), {"shrink": [0.0, 0.5]}, cv=3,
                          error_score=-1.0, return_train_score=True)
    with pytest.warns(FitFailedWarning) as record:
        search.fit(X, y)
    text = str(record[0].message)
    assert "3 fits failed out of a total of 6" in text
    assert "shrink=0.5" in text and "ValueError: shrink=0.5 is not allowed" in text
    res = search.cv_results_
    assert [res[f"split{i}_test_score"][1] for i in range(3)] == [-1.0] * 3
    assert [res[f"split{i}_train_score"][1] for i in range(3)] == [-1.0] * 3
    assert search.best_index_ == 0


@pytest.mark.filterwarnings("ignore:One or more of the test scores")
def test_error_score_nan_is_the_default():
    with pytest.warns(FitFailedWarning):
        search = GridSearchCV(CentroidClassifier(fail_on=0.5), {"shrink": [0.0, 0.5]},
                              cv=2).fit(X, y)
    assert np.isnan(search.cv_results_["mean_test_score"][1])


def test_error_score_raise_reraises_the_original_exception():
    search = GridSearchCV(CentroidClassifier(fail_on=0.5), {"shrink": [0.0, 0.5]}, cv=2,
                          error_score="raise")
    with pytest.raises(ValueError, match="shrink=0.5 is not allowed"):
        search.fit(X, y)


def test_all_fits_failed_raises_with_the_traceback():
    search = GridSearchCV(RidgeRegressor(), {"alpha": [-1.0, -2.0]}, cv=3)
    with pytest.raises(ValueError, match="All the 6 fits failed") as info:
        search.fit(X, X[:, 1])
    assert "Traceback" in str(info.value) and "alpha=-1.0 must be >= 0" in str(info.value)


def test_scorer_returning_non_number_raises():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0]}, cv=2,
                          scoring=lambda est, X, y: "high")
    with pytest.raises(ValueError, match="scoring must return a number"):
        search.fit(X, y)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"param_grid": {"shrinkage": [0.1]}}, ValueError, r"Invalid parameter 'shrinkage'.*'shrink'"),
    ({"param_grid": {"shrink": []}}, ValueError, "shrink"),
    ({"param_grid": {"shrink": 0.1}}, TypeError, "needs to be a list"),
    ({"param_grid": []}, ValueError, "No candidates"),
    ({"scoring": "accuracyy"}, ValueError, "accuracyy"),
    ({"scoring": ["accuracy", "f1"], "refit": "roc_auc"}, ValueError, "'roc_auc' was passed"),
    ({"scoring": ["accuracy", "f1"]}, ValueError, "For multi-metric scoring, the parameter refit"),
    ({"n_jobs": 0}, ValueError, "n_jobs"),
    ({"cv": "five"}, (ValueError, TypeError), "five"),
    ({"error_score": "ignore"}, ValueError, "error_score"),
    ({"refit": 1.5}, TypeError, "refit"),
])
def test_bad_input_fails_before_any_fit(tmp_path, kwargs, error, match):
    log = tmp_path / "fits.log"
    params = {"param_grid": {"shrink": [0.0]}, "cv": 2, **kwargs}
    with pytest.raises(error, match=match):
        GridSearchCV(CentroidClassifier(log=str(log)), **params).fit(X, y)
    assert not log.exists()


def test_randomized_search_uses_parameter_sampler():
    dists = {"shrink": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], "delay": [0, 0.0]}
    search = RandomizedSearchCV(CentroidClassifier(), dists, n_iter=4, random_state=3, cv=2)
    search.fit(X, y)
    assert search.cv_results_["params"] == list(ParameterSampler(dists, 4, random_state=3))
    with pytest.raises(ValueError, match="Invalid parameter 'foo'"):
        RandomizedSearchCV(CentroidClassifier(), {"foo": [1]}, n_iter=1).fit(X, y)


def test_n_jobs_two_gives_identical_scores():
    grid = {"shrink": [0.0, 0.3, 0.6, 0.9]}
    one = GridSearchCV(CentroidClassifier(), grid, cv=3, n_jobs=1,
                       return_train_score=True).fit(X, y)
    two = GridSearchCV(CentroidClassifier(), grid, cv=3, n_jobs=2,
                       return_train_score=True).fit(X, y)
    for key in one.cv_results_:
        if "time" not in key and not key.startswith("param"):
            np.testing.assert_array_equal(one.cv_results_[key], two.cv_results_[key], err_msg=key)


@pytest.mark.filterwarnings("ignore:One or more of the test scores")
def test_dead_worker_scored_error_score_or_raised():
    search = GridSearchCV(CentroidClassifier(die_on=0.5), {"shrink": [0.0, 0.5]}, cv=2,
                          n_jobs=2, retries=0)
    with pytest.warns(FitFailedWarning, match="worker process died") as record:
        search.fit(X, y)
    assert "shrink=0.5" in str(record[0].message)
    assert np.isnan(search.cv_results_["mean_test_score"][1])
    with pytest.raises(RuntimeError, match=r"shrink=0.5.*worker process died"):
        search.set_params(error_score="raise").fit(X, y)


def test_verbose_1_reports_progress_on_stderr(capsys):
    GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5]}, cv=5, verbose=1).fit(X, y)
    err = capsys.readouterr().err
    assert "10/10 fits done" in err and "ETA" in err and "best mean test score" in err
    assert err.count("\n") <= 11  # one line per ~5 %, not more
    GridSearchCV(CentroidClassifier(), {"shrink": [0.0]}, cv=2, verbose=0).fit(X, y)
    assert capsys.readouterr().err == ""


def test_verbose_2_one_line_per_fit(capsys):
    GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5]}, cv=3, verbose=2).fit(X, y)
    err = capsys.readouterr().err
    assert len(re.findall(r"\[CV \d/3\] END shrink=\d\.\d; score=", err)) == 6


def test_progress_on_a_terminal_rewrites_one_line():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    progress = Progress(4, 2, verbose=1, stream=stream)
    for c, s, score in [(0, 0, 0.5), (0, 1, 0.7), (1, 0, 0.9), (1, 1, 0.9)]:
        progress.update(c, {"shrink": c}, s, score)
    out = stream.getvalue()
    assert out.count("\r") == 4 and out.count("\n") == 1
    assert "4/4 fits done" in out and "best mean test score 0.9000" in out


def test_cross_validate_keys_and_scores():
    out = cross_validate(CentroidClassifier(), X, y, cv=3, scoring=["accuracy", "f1"],
                         return_train_score=True, return_estimator=True)
    assert list(out) == ["fit_time", "score_time", "estimator", "test_accuracy",
                         "train_accuracy", "test_f1", "train_f1"]
    for i, (train, test) in enumerate(StratifiedKFold(3).split(X, y)):
        est = CentroidClassifier().fit(X[train], y[train])
        assert out["test_accuracy"][i] == est.score(X[test], y[test])
        assert out["train_accuracy"][i] == est.score(X[train], y[train])
        np.testing.assert_array_equal(out["estimator"][i].centroids_, est.centroids_)


def test_cross_val_score_regressor_uses_kfold_and_r2():
    target = X @ [1.0, 2.0, 0.0] + 0.1 * rng.randn(60)
    scores = cross_val_score(RidgeRegressor(alpha=0.5), X, target, cv=4)
    for i, (train, test) in enumerate(KFold(4).split(X)):
        est = RidgeRegressor(alpha=0.5).fit(X[train], target[train])
        assert scores[i] == est.score(X[test], target[test])
    with pytest.raises(ValueError, match="All the 2 fits failed"):
        cross_val_score(RidgeRegressor(alpha=-1), X, target, cv=2)


def test_cross_validate_error_score_and_raise():
    clf = CentroidClassifier(fail_on=0.5, shrink=0.5)
    with pytest.raises(ValueError, match="All the 2 fits failed"):
        cross_validate(clf, X, y, cv=2)
    with pytest.raises(ValueError, match="shrink=0.5 is not allowed"):
        cross_validate(clf, X, y, cv=2, error_score="raise")


def test_search_does_not_touch_the_given_estimator():
    est = CentroidClassifier(shrink=0.1)
    GridSearchCV(est, {"shrink": [0.0, 0.5]}, cv=2).fit(X, y)
    assert est.shrink == 0.1 and not hasattr(est, "centroids_")


def fragile_score(estimator, X, y):
    if estimator.shrink == 0.5:
        raise RuntimeError("cannot score")
    return estimator.score(X, y)


def test_scorer_failure_warns_and_scores_error_score():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5]}, cv=2,
                          scoring=fragile_score, error_score=-5.0)
    with pytest.warns(UserWarning, match="Scoring failed"):
        search.fit(X, y)
    assert search.cv_results_["mean_test_score"][1] == -5.0
    with pytest.raises(RuntimeError, match="cannot score"):
        search.set_params(error_score="raise").fit(X, y)


def test_refit_changes_do_not_leave_stale_attributes():
    search = GridSearchCV(CentroidClassifier(), {"shrink": [0.0, 0.5]}, cv=2).fit(X, y)
    search.set_params(refit=lambda results: 0).fit(X, y)
    assert not hasattr(search, "best_score_") and search.best_index_ == 0
