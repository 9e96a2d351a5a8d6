"""The estimator contract of MLPClassifier and MLPRegressor (parameters, clone, fit, predict,
dtypes, targets, partial_fit, warm_start, continue_fit, pickling)."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from minimlp.base import clone
from minimlp.exceptions import ConvergenceWarning
from minimlp.neural_network import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")

N, P = 40, 4


@pytest.fixture(params=[MLPClassifier, MLPRegressor], ids=["clf", "reg"])
def Est(request):
    return request.param


def _X(seed=0):
    return np.random.RandomState(seed).normal(size=(N, P))


def _y(Est, X):
    if Est is MLPClassifier:
        return (X[:, 0] + X[:, 1] > 0).astype(int)
    return X[:, 0] - 2 * X[:, 1] + 0.1


def _make(Est, **params):
    params = {"hidden_layer_sizes": (5,), "max_iter": 5, "random_state": 0, **params}
    return Est(**params)


def _fitted(Est, X=None, **params):
    X = _X() if X is None else X
    return _make(Est, **params).fit(X, _y(Est, X))


def _assert_same_model(a, b, exact=True):
    check = assert_array_equal if exact else (lambda x, y: assert_allclose(x, y, rtol=1e-9))
    for x, y in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        check(x, y)
    check(a.loss_curve_, b.loss_curve_)


def _fitted_attributes(est):
    return [k for k in vars(est) if k.endswith("_") and not k.startswith("_")]


# --------------------------------------------------------------------------- parameters
def test_get_set_params_round_trip(Est):
    est = _make(Est)
    params = est.get_params()
    assert params["hidden_layer_sizes"] == (5,) and params["max_iter"] == 5
    assert ("loss" in params) == (Est is MLPRegressor)
    twin = Est().set_params(**params)
    assert twin.get_params() == params
    assert est.set_params(alpha=0.5, solver="sgd") is est
    assert est.get_params()["alpha"] == 0.5 and est.solver == "sgd"


def test_set_params_unknown_name_raises(Est):
    with pytest.raises(ValueError, match="Invalid parameter 'not_a_param'"):
        _make(Est).set_params(not_a_param=1)


def test_clone_is_unfitted_with_equal_params(Est):
    est = _fitted(Est, alpha=0.01)
    copy = clone(est)
    assert copy is not est and copy.get_params() == est.get_params()
    assert not hasattr(copy, "coefs_")
    assert _fitted_attributes(copy) == []


def test_no_fitted_attribute_before_fit_and_fit_returns_self(Est):
    est = _make(Est)
    assert _fitted_attributes(est) == []
    X = _X()
    assert est.fit(X, _y(Est, X)) is est
    for name in ("coefs_", "intercepts_", "loss_", "loss_curve_", "n_iter_", "t_",
                 "n_features_in_", "n_layers_", "n_outputs_", "out_activation_"):
        assert hasattr(est, name), name
    assert est.n_iter_ == 5 and est.t_ == 5 * N and len(est.loss_curve_) == 5
    assert [W.shape for W in est.coefs_] == [(P, 5), (5, 1)]


# --------------------------------------------------------------------------- randomness
def test_same_int_random_state_gives_identical_models(Est):
    _assert_same_model(_fitted(Est, random_state=3), _fitted(Est, random_state=3))
    a, b = _fitted(Est, random_state=3), _fitted(Est, random_state=4)
    assert not np.array_equal(a.coefs_[0], b.coefs_[0])


def test_random_state_instance_and_none(Est):
    rs = np.random.RandomState(7)
    a = _fitted(Est, random_state=rs)
    assert rs.get_state()[2] != np.random.RandomState(7).get_state()[2]  # the instance advanced
    b = _fitted(Est, random_state=np.random.RandomState(7))
    _assert_same_model(a, b)
    c = _fitted(Est, random_state=None)
    assert np.isfinite(c.predict(_X())).all()


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_numpy_and_numba_backends_agree(Est, solver):
    X = _X()
    a = _fitted(Est, solver=solver, backend="numpy", hidden_layer_sizes=(6, 3), batch_size=7)
    b = _fitted(Est, solver=solver, backend="numba", hidden_layer_sizes=(6, 3), batch_size=7)
    _assert_same_model(a, b, exact=False)
    assert_allclose(a.predict(X), b.predict(X), rtol=1e-9)


# --------------------------------------------------------------------------- dtypes and layouts
def test_float32_X_keeps_float32(Est):
    X = _X().astype(np.float32)
    est = _make(Est).fit(X, _y(Est, X))
    assert all(W.dtype == np.float32 for W in est.coefs_ + est.intercepts_)
    out = est.predict_proba(X) if Est is MLPClassifier else est.predict(X)
    assert out.dtype == np.float32


@pytest.mark.parametrize("kind", ["int", "bool", "non_contiguous", "fortran"])
def test_other_X_layouts_equal_float64_C(Est, kind):
    rng = np.random.RandomState(1)
    if kind == "int":
        X = rng.randint(-3, 4, size=(N, P))
    elif kind == "bool":
        X = rng.randint(0, 2, size=(N, P)).astype(bool)
    elif kind == "non_contiguous":
        X = rng.normal(size=(N, 2 * P))[:, ::2]
        assert not X.flags.c_contiguous
    else:
        X = np.asfortranarray(rng.normal(size=(N, P)))
    X_ref = np.ascontiguousarray(X, dtype=np.float64)
    y = _y(Est, X_ref)
    a, b = _make(Est).fit(X, y), _make(Est).fit(X_ref, y)
    _assert_same_model(a, b)
    assert a.coefs_[0].dtype == np.float64
    assert_array_equal(a.predict(X), b.predict(X_ref))


# --------------------------------------------------------------------------- targets
def test_string_labels():
    X = _X()
    y = _y(MLPClassifier, X)
    labels = np.array(["cat", "dog"])[y]
    a, b = _make(MLPClassifier).fit(X, labels), _make(MLPClassifier).fit(X, y)
    assert_array_equal(a.classes_, ["cat", "dog"])
    _assert_same_model(a, b)
    assert_array_equal(a.predict(X), np.array(["cat", "dog"])[b.predict(X)])


def test_multiclass():
    X = _X()
    y = np.digitize(X[:, 0], [-0.5, 0.5]) + 10  # classes 10, 11, 12
    est = _make(MLPClassifier, max_iter=30).fit(X, y)
    assert_array_equal(est.classes_, [10, 11, 12])
    assert est.out_activation_ == "softmax" and est.n_outputs_ == 3
    proba = est.predict_proba(X)
    assert proba.shape == (N, 3)
    assert_array_equal(est.predict(X), est.classes_[proba.argmax(axis=1)])


def test_multilabel_indicator():
    X = _X()
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 0] + X[:, 2] > 0]).astype(int)
    est = _make(MLPClassifier).fit(X, Y)
    assert est.out_activation_ == "logistic" and est.n_outputs_ == 3
    assert_array_equal(est.classes_, [0, 1, 2])
    proba = est.predict_proba(X)
    assert proba.shape == (N, 3)
    assert_array_equal(est.predict(X), (proba > 0.5).astype(int))


def test_single_class():
    X = _X()
    est = _make(MLPClassifier).fit(X, np.full(N, 4))
    assert_array_equal(est.predict(X), np.full(N, 4))
    proba = est.predict_proba(X)
    assert proba.shape == (N, 2)
    assert_allclose(proba.sum(axis=1), 1)


def test_multi_output_regression():
    X = _X()
    Y = np.column_stack([X[:, 0], X[:, 1] - X[:, 2]])
    est = _make(MLPRegressor).fit(X, Y)
    assert est.n_outputs_ == 2 and est.predict(X).shape == (N, 2)
    assert _make(MLPRegressor).fit(X, Y[:, 0]).predict(X).shape == (N,)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_predict_proba_and_log_proba(n_classes):
    X = _X()
    y = np.arange(N) % n_classes
    est = _make(MLPClassifier).fit(X, y)
    proba = est.predict_proba(X)
    assert proba.shape == (N, n_classes) and (proba >= 0).all()
    assert_allclose(proba.sum(axis=1), 1, rtol=1e-12)
    assert_allclose(est.predict_log_proba(X), np.log(proba), rtol=1e-14)


def test_score(Est):
    X = _X()
    y = _y(Est, X)
    est = _make(Est, max_iter=20).fit(X, y)
    pred = est.predict(X)
    if Est is MLPClassifier:
        expected = np.mean(pred == y)
    else:
        expected = 1 - ((y - pred) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert est.score(X, y) == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- incremental
def _partial_fit(est, X, y):
    if isinstance(est, MLPClassifier):
        return est.partial_fit(X, y, classes=[0, 1])
    return est.partial_fit(X, y)


def test_partial_fit(Est):
    X = _X()
    y = _y(Est, X)
    params = dict(solver="sgd", shuffle=False, learning_rate_init=0.05, momentum=0.9)
    est = _make(Est, **params)
    assert _partial_fit(est, X, y) is est
    assert est.n_iter_ == 1 and est.t_ == N and len(est.loss_curve_) == 1
    # The first call is one epoch of fit from the same initial weights.
    _assert_same_model(est, _make(Est, max_iter=1, **params).fit(X, y))
    _partial_fit(est, X, y)
    assert est.n_iter_ == 1 and est.t_ == 2 * N and len(est.loss_curve_) == 2
    # A warm-started fit recreates the optimizer, partial_fit keeps the velocities: the
    # second epochs differ.
    warm = _make(Est, max_iter=1, warm_start=True, **params)
    warm.fit(X, y).fit(X, y)
    assert warm.t_ == est.t_
    assert not np.allclose(warm.coefs_[0], est.coefs_[0], rtol=1e-6)


def test_partial_fit_classifier_needs_classes_only_first():
    X = _X()
    y = _y(MLPClassifier, X)
    est = _make(MLPClassifier)
    with pytest.raises(ValueError, match="classes must be passed"):
        est.partial_fit(X, y)
    est.partial_fit(X, y, classes=[0, 1, 2])
    assert_array_equal(est.classes_, [0, 1, 2])
    est.partial_fit(X, y)
    assert est.t_ == 2 * N


def test_warm_start(Est):
    X = _X()
    y = _y(Est, X)
    est = _make(Est, warm_start=True, max_iter=3)
    est.fit(X, y)
    first = est.coefs_[0].copy()
    curve = list(est.loss_curve_)
    est.fit(X, y)
    assert est.n_iter_ == 3 and est.t_ == 6 * N
    assert est.loss_curve_[:3] == curve and len(est.loss_curve_) == 6
    assert not np.array_equal(est.coefs_[0], first)
    cold = _make(Est, max_iter=3).fit(X, y).fit(X, y)
    assert cold.t_ == 3 * N and len(cold.loss_curve_) == 3


def test_warm_start_switching_early_stopping_restarts_the_stopping_rule(Est):
    """Turning early_stopping on or off between warm-started fits keeps the weights and
    starts the new rule's bookkeeping (it used to fail on the other rule's leftovers)."""
    X = _X()
    y = _y(Est, X)
    est = _make(Est, warm_start=True, max_iter=4).fit(X, y)
    plain = [c.copy() for c in est.coefs_]
    est.set_params(early_stopping=True, validation_fraction=0.25).fit(X, y)
    assert len(est.validation_scores_) == est.n_iter_ == 4 and est.best_loss_ is None
    assert est.best_validation_score_ == max(est.validation_scores_)
    assert not np.array_equal(est.coefs_[0], plain[0])  # trained on from the plain fit
    est.set_params(early_stopping=False).fit(X, y)
    assert est.validation_scores_ is None and est.best_validation_score_ is None
    assert est.best_loss_ == min(est.loss_curve_[-4:])  # only this fit's losses count


def test_warm_start_with_different_classes_raises():
    X = _X()
    est = _make(MLPClassifier, warm_start=True).fit(X, np.arange(N) % 2)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same"):
        est.fit(X, np.arange(N) % 3)


# --------------------------------------------------------------------------- reporting
def test_verbose_prints_each_iteration(Est, capsys):
    _fitted(Est, verbose=True, max_iter=3)
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith("Iteration ")]
    assert [line.split(",")[0] for line in lines] == ["Iteration 1", "Iteration 2",
                                                      "Iteration 3"]
    assert all(", loss = " in line for line in lines)


@pytest.mark.filterwarnings("default::minimlp.exceptions.ConvergenceWarning")
def test_convergence_warning_at_max_iter(Est):
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
        _fitted(Est, max_iter=3)


@pytest.mark.filterwarnings("error::minimlp.exceptions.ConvergenceWarning")
def test_no_convergence_warning_when_stopping_rule_fires(Est):
    est = _fitted(Est, max_iter=50, tol=1e9, n_iter_no_change=3)
    assert est.n_iter_ == 5  # the first epoch improves on inf, then 4 epochs without


def test_early_stopping(Est):
    est = _fitted(Est, early_stopping=True, max_iter=8, validation_fraction=0.25)
    assert len(est.validation_scores_) == est.n_iter_ == 8
    assert est.best_validation_score_ == max(est.validation_scores_)
    assert est.best_loss_ is None
    assert est.t_ == 8 * (N - 10)  # ceil(0.25 * 40) = 10 rows held out
    plain = _fitted(Est)
    assert plain.validation_scores_ is None and plain.best_validation_score_ is None


# --------------------------------------------------------------------------- continue_fit
CONTINUE_CASES = {
    "sgd": dict(solver="sgd", learning_rate_init=0.05),
    "sgd_invscaling": dict(solver="sgd", learning_rate="invscaling", learning_rate_init=0.05),
    "adam": dict(solver="adam", learning_rate_init=0.01),
    "sgd_early_stopping": dict(solver="sgd", early_stopping=True),
    "adam_early_stopping": dict(solver="adam", early_stopping=True),
    "adam_stop_fires": dict(solver="adam", tol=1e9, n_iter_no_change=2),
    "sgd_early_stop_fires": dict(solver="sgd", early_stopping=True, tol=1e9,
                                 n_iter_no_change=2),
}


@pytest.mark.parametrize("case", list(CONTINUE_CASES))
def test_continue_fit_equals_one_fit(Est, case):
    params = dict(CONTINUE_CASES[case], shuffle=True, batch_size=9)
    X = _X()
    y = _y(Est, X)
    once = _make(Est, max_iter=9, **params).fit(X, y)
    est = _make(Est, max_iter=2, **params).fit(X, y)
    assert est.continue_fit(X, y, 9) is est
    _assert_same_model(est, once)
    assert est.n_iter_ == once.n_iter_ and est.t_ == once.t_
    if case.endswith("fires"):
        assert once.n_iter_ == 4
    else:
        assert once.n_iter_ == 9
    if params.get("early_stopping"):
        assert est.validation_scores_ == once.validation_scores_
        assert est.best_validation_score_ == once.best_validation_score_
    X_new = _X(seed=9)
    assert_array_equal(est.predict(X_new), once.predict(X_new))


def test_continue_fit_after_pickling(Est):
    """The training state pickles with the model: a worker can continue another's fit."""
    X = _X()
    y = _y(Est, X)
    once = _make(Est, max_iter=7, solver="sgd", early_stopping=True).fit(X, y)
    est = _make(Est, max_iter=3, solver="sgd", early_stopping=True).fit(X, y)
    est = pickle.loads(pickle.dumps(est)).continue_fit(X, y, 7)
    _assert_same_model(est, once)
    assert est.validation_scores_ == once.validation_scores_


# --------------------------------------------------------------------------- pickling
def test_pickle_round_trip(Est):
    X = _X()
    est = _fitted(Est)
    restored = pickle.loads(pickle.dumps(est))
    assert_array_equal(restored.predict(X), est.predict(X))
    assert restored.get_params() == est.get_params()
    if Est is MLPClassifier:
        assert_array_equal(restored.predict_proba(X), est.predict_proba(X))
