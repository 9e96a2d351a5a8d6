"""Pipeline: naming, parameters, delegation, errors, and pipelines inside every search."""

import pickle
import warnings

import numpy as np
import pytest
from _search_estimators import CentroidClassifier

from minimlp.base import BaseEstimator, clone
from minimlp.datasets import make_classification, make_regression
from minimlp.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    KFold,
    RandomizedSearchCV,
    cross_validate,
)
from minimlp.neural_network import MLPClassifier, MLPRegressor
from minimlp.pipeline import Pipeline, make_pipeline
from minimlp.preprocessing import MinMaxScaler, StandardScaler

X, y = make_classification(n_samples=150, n_features=5, random_state=0)
X = X * [1.0, 1e3, 1e-3, 10.0, 1.0] + [0.0, 5e3, 0.0, -40.0, 2.0]  # raw, badly scaled features


def mlp(**kw):
    return MLPClassifier(hidden_layer_sizes=(8,), max_iter=30, random_state=0, **kw)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning of the short fits
        yield


class NoTransform(BaseEstimator):
    def fit(self, X, y=None):
        return self


# ------------------------------------------------------------------------------ naming
def test_make_pipeline_names_steps_by_lowercased_class():
    pipe = make_pipeline(StandardScaler(), MinMaxScaler(), mlp())
    assert [n for n, _ in pipe.steps] == ["standardscaler", "minmaxscaler", "mlpclassifier"]
    twice = make_pipeline(StandardScaler(), "passthrough", StandardScaler(), mlp())
    assert [n for n, _ in twice.steps] == ["standardscaler-1", "passthrough", "standardscaler-2",
                                           "mlpclassifier"]


def test_access_by_position_name_and_slice():
    scaler, model = StandardScaler(), mlp()
    pipe = make_pipeline(scaler, model)
    assert len(pipe) == 2 and pipe[0] is scaler and pipe[-1] is model
    assert pipe["standardscaler"] is scaler and pipe.named_steps.mlpclassifier is model
    head = pipe[:1]
    assert isinstance(head, Pipeline) and head.steps == [("standardscaler", scaler)]
    with pytest.raises(ValueError, match="step of 1"):
        pipe[::2]


# -------------------------------------------------------------------------- parameters
def test_deep_params_name_steps_and_their_parameters():
    pipe = make_pipeline(StandardScaler(with_mean=False), mlp(alpha=0.5))
    params = pipe.get_params(deep=True)
    assert params["standardscaler"] is pipe[0] and params["mlpclassifier"] is pipe[1]
    assert params["standardscaler__with_mean"] is False
    assert params["mlpclassifier__alpha"] == 0.5
    assert set(pipe.get_params(deep=False)) == {"steps", "memory", "verbose"}


def test_set_params_nested_replace_and_steps():
    pipe = make_pipeline(StandardScaler(), mlp())
    pipe.set_params(mlpclassifier__alpha=0.25, standardscaler__with_std=False)
    assert pipe[1].alpha == 0.25 and pipe[0].with_std is False
    minmax = MinMaxScaler()
    pipe.set_params(standardscaler=minmax)
    assert pipe.steps[0] == ("standardscaler", minmax)
    pipe.set_params(steps=[("a", "passthrough"), ("b", mlp())])
    assert [n for n, _ in pipe.steps] == ["a", "b"]
    with pytest.raises(ValueError, match="Invalid parameter 'nope'.*'a', 'b'"):
        pipe.set_params(nope=1)
    with pytest.raises(ValueError, match="Invalid parameter 'alhpa' for estimator MLPClassifier"):
        pipe.set_params(b__alhpa=1)


def test_clone_copies_every_step_unfitted():
    pipe = make_pipeline(StandardScaler(), mlp(alpha=0.5)).fit(X, y)
    copy = clone(pipe)
    assert copy[0] is not pipe[0] and copy[1] is not pipe[1]
    assert copy[1].alpha == 0.5 and not hasattr(copy[0], "mean_")
    assert not hasattr(copy[1], "coefs_")
    assert repr(copy) == repr(pipe)


# ----------------------------------------------------------------------------- fitting
def test_fit_and_predict_chain_the_steps():
    pipe = make_pipeline(StandardScaler(), MinMaxScaler(feature_range=(-1, 1)), mlp()).fit(X, y)
    np.testing.assert_allclose(pipe[0].mean_, X.mean(axis=0))
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    np.testing.assert_allclose(pipe[1].data_min_, Z.min(axis=0))
    Zt = pipe[1].transform(pipe[0].transform(X))
    # The final model was fitted on the transformed rows: refitting it there gives it again.
    alone = mlp().fit(Zt, y)
    np.testing.assert_array_equal(alone.coefs_[0], pipe[-1].coefs_[0])
    np.testing.assert_array_equal(pipe.predict(X), alone.predict(Zt))
    np.testing.assert_array_equal(pipe.predict_proba(X), alone.predict_proba(Zt))
    assert pipe.score(X, y) == alone.score(Zt, y)
    np.testing.assert_array_equal(pipe.classes_, alone.classes_)
    assert pipe.n_features_in_ == 5


def test_passthrough_steps_and_transformer_only_pipelines():
    pipe = Pipeline([("skip", "passthrough"), ("scale", StandardScaler()), ("none", None)])
    Z = pipe.fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(pipe.transform(X), Z)
    np.testing.assert_allclose(pipe.inverse_transform(Z), X, rtol=1e-12)


def test_methods_exist_only_when_the_steps_have_them():
    classifier = make_pipeline(StandardScaler(), mlp())
    regressor = make_pipeline(StandardScaler(), MLPRegressor())
    assert hasattr(classifier, "predict_proba") and not hasattr(regressor, "predict_proba")
    assert not hasattr(classifier, "transform") and not hasattr(classifier, "inverse_transform")
    assert hasattr(make_pipeline(StandardScaler(), MinMaxScaler()), "inverse_transform")
    with pytest.raises(AttributeError, match="predict_proba"):
        regressor.predict_proba(X)
    assert classifier._estimator_type == "classifier"
    assert regressor._estimator_type == "regressor"


def test_regression_pipeline_scores_r2():
    Xr, yr = make_regression(n_samples=100, n_features=4, random_state=0)
    pipe = make_pipeline(StandardScaler(), MLPRegressor(max_iter=50, random_state=0))
    pipe.fit(Xr, yr)
    Z = pipe[0].transform(Xr)
    assert pipe.score(Xr, yr) == pipe[-1].score(Z, yr)


def test_fit_params_are_routed_by_step_name():
    class Recorder(NoTransform):  # fit and transform, no fit_transform
        def fit(self, X, y=None, note=None):
            self.note_ = note
            return self

        def transform(self, X):
            return X

    pipe = Pipeline([("rec", Recorder()), ("m", mlp())]).fit(X, y, rec__note="hello")
    assert pipe[0].note_ == "hello"
    with pytest.raises(ValueError, match="step__parameter"):
        pipe.fit(X, y, note="hello")


def test_fitted_pipeline_pickles():
    pipe = make_pipeline(StandardScaler(), mlp()).fit(X, y)
    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(again.predict_proba(X), pipe.predict_proba(X))


def test_verbose_reports_each_step(capsys):
    make_pipeline(StandardScaler(), mlp(), verbose=True).fit(X, y)
    out = capsys.readouterr().out
    assert "(1 of 2) Processing standardscaler" in out
    assert "(2 of 2) Processing mlpclassifier" in out


# ------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("steps, error, match", [
    ([("a", StandardScaler()), ("a", mlp())], ValueError, "not unique.*'a'"),
    ([("a__b", StandardScaler()), ("m", mlp())], ValueError, "must not contain __"),
    ([("steps", StandardScaler()), ("m", mlp())], ValueError, "conflict.*'steps'"),
    ([("a", NoTransform()), ("m", mlp())], TypeError, "intermediate steps.*'a'.*NoTransform"),
    ([("a", StandardScaler()), ("m", 3)], TypeError, "Last step.*'m'.*int"),
    ((("a", mlp()),), TypeError, "list of \\(name, estimator\\) tuples"),
    ([], TypeError, "non-empty list"),
    ([("a", StandardScaler(), 1), ("m", mlp())], TypeError, "list of"),
    ([(1, mlp())], TypeError, "names must be strings"),
])
def test_bad_steps_are_named(steps, error, match):
    with pytest.raises(error, match=match):
        Pipeline(steps).fit(X, y)


def test_memory_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="memory='cache'.*memory=None"):
        make_pipeline(StandardScaler(), mlp(), memory="cache").fit(X, y)


@pytest.mark.parametrize("grid, match", [
    ({"mlpclasifier__alpha": [0.1]}, r"'mlpclasifier__alpha'.*\['memory', 'mlpclassifier', "
                                     r"'standardscaler', 'steps', 'verbose'\]"),
    ({"mlpclassifier__shrnk": [0.1]}, r"step or parameter 'mlpclassifier'.*"
                                      r"'mlpclassifier__shrink'"),
    ({"standardscaler__with_meen": [True]}, r"\['standardscaler__copy', "
                                            r"'standardscaler__with_mean', "
                                            r"'standardscaler__with_std'\]"),
])
def test_bad_grid_keys_fail_before_any_fit(tmp_path, grid, match):
    log = tmp_path / "fits.log"
    pipe = make_pipeline(StandardScaler(), CentroidClassifier(log=str(log)))
    pipe.steps[1] = ("mlpclassifier", pipe.steps[1][1])
    with pytest.raises(ValueError, match=match):
        GridSearchCV(pipe, grid, cv=2, n_jobs=2).fit(X, y)
    assert not log.exists()


# ----------------------------------------------------------------------- inside searches
def test_each_fold_scales_with_its_training_rows_only():
    # Wreck the rows that are only ever test rows of fold 0: fold 0's scaler must not see them.
    cv = KFold(3)
    train0, test0 = next(cv.split(X))
    X_bad = X.copy()
    X_bad[test0] = 1e9
    pipe = make_pipeline(StandardScaler(), MinMaxScaler(), mlp())
    out = cross_validate(pipe, X_bad, y, cv=cv, return_estimator=True)
    for (train, _), fitted in zip(cv.split(X), out["estimator"]):
        np.testing.assert_allclose(fitted[0].mean_, X_bad[train].mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(fitted[0].scale_, X_bad[train].std(axis=0), rtol=1e-12)
    clean = cross_validate(pipe, X, y, cv=cv, return_estimator=True)
    # Fold 0 trained on the same rows either way: the same scaler and the same model.
    np.testing.assert_array_equal(out["estimator"][0][0].mean_, clean["estimator"][0][0].mean_)
    np.testing.assert_array_equal(out["estimator"][0][-1].coefs_[0],
                                  clean["estimator"][0][-1].coefs_[0])


def test_grid_search_over_steps_and_parameters():
    pipe = make_pipeline(StandardScaler(), mlp())
    grid = {"standardscaler": [StandardScaler(), MinMaxScaler(), "passthrough"],
            "mlpclassifier__alpha": [1e-4, 1e-1]}
    one = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    two = GridSearchCV(pipe, grid, cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(one.cv_results_["mean_test_score"],
                                  two.cv_results_["mean_test_score"])
    # Each candidate's score is that of the pipeline built by hand, cross-validated alone.
    for params, score in zip(one.cv_results_["params"], one.cv_results_["mean_test_score"]):
        by_hand = clone(pipe).set_params(**params)
        assert cross_validate(by_hand, X, y, cv=3)["test_score"].mean() == score
    scaled = one.cv_results_["mean_test_score"][:2]
    raw = one.cv_results_["mean_test_score"][4:]
    assert scaled.max() > raw.max()  # the raw features train badly: scaling is the point
    assert isinstance(one.best_estimator_, Pipeline)
    assert one.best_estimator_.predict(X).shape == y.shape


def test_random_search_on_a_pipeline():
    pipe = make_pipeline(StandardScaler(), mlp())
    search = RandomizedSearchCV(pipe, {"mlpclassifier__alpha": [1e-4, 1e-2, 1.0],
                                       "standardscaler__with_mean": [True, False]},
                                n_iter=3, cv=3, random_state=0).fit(X, y)
    assert len(search.cv_results_["params"]) == 3
    assert set(search.best_params_) == {"mlpclassifier__alpha", "standardscaler__with_mean"}


def test_journal_resumes_a_pipeline_search(tmp_path):
    pipe = make_pipeline(StandardScaler(), mlp())
    grid = {"mlpclassifier__alpha": [1e-4, 1e-1], "standardscaler__with_std": [True, False]}
    journal = tmp_path / "search.jsonl"
    first = GridSearchCV(pipe, grid, cv=3, journal=journal).fit(X, y)
    again = GridSearchCV(pipe, grid, cv=3, journal=journal).fit(X, y)
    assert (first.n_tasks_run_, again.n_tasks_resumed_, again.n_tasks_run_) == (12, 12, 0)
    np.testing.assert_array_equal(first.cv_results_["split0_test_score"],
                                  again.cv_results_["split0_test_score"])
    # Another scaler setting is another search: nothing is resumed from the journal.
    other = clone(pipe).set_params(standardscaler__copy=False)
    with pytest.warns(UserWarning):
        third = GridSearchCV(other, grid, cv=3, journal=journal).fit(X, y)
    assert third.n_tasks_resumed_ == 0


def test_halving_on_the_final_steps_max_iter_continues_training():
    pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(5,), solver="sgd",
                                                         random_state=0))
    grid = {"mlpclassifier__alpha": [1e-4, 1e-1, 1.0],
            "mlpclassifier__learning_rate_init": [0.003, 0.03, 0.3]}
    kw = dict(resource="mlpclassifier__max_iter", max_resources=27, cv=3)
    cont = HalvingGridSearchCV(pipe, grid, **kw).fit(X, y)
    restart = HalvingGridSearchCV(pipe, grid, continue_training=False, **kw).fit(X, y)
    assert cont.cv_results_["params"] == restart.cv_results_["params"]
    np.testing.assert_array_equal(cont.cv_results_["mean_test_score"],
                                  restart.cv_results_["mean_test_score"])
    assert restart.n_epochs_trained_ == restart.n_epochs_restart_ > 0
    assert cont.n_epochs_trained_ < cont.n_epochs_restart_
    assert cont.best_estimator_[-1].max_iter == cont.n_resources_[-1]


def test_halving_continues_candidates_that_replace_a_step():
    """A continued fold model keeps its fitted scaler: only the resource is set again."""
    pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(5,), solver="sgd",
                                                         random_state=0))
    grid = {"standardscaler": [StandardScaler(), MinMaxScaler()],
            "mlpclassifier__learning_rate_init": [0.003, 0.03, 0.3]}
    kw = dict(resource="mlpclassifier__max_iter", max_resources=27, cv=3)
    cont = HalvingGridSearchCV(pipe, grid, **kw).fit(X, y)
    restart = HalvingGridSearchCV(pipe, grid, continue_training=False, **kw).fit(X, y)
    assert not np.isnan(cont.cv_results_["mean_test_score"]).any()
    np.testing.assert_array_equal(cont.cv_results_["mean_test_score"],
                                  restart.cv_results_["mean_test_score"])
    assert cont.n_epochs_trained_ < cont.n_epochs_restart_
