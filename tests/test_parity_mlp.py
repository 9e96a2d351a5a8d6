"""MLPClassifier / MLPRegressor against scikit-learn 1.9, the parity oracle.

backend="numpy" must reproduce scikit-learn bit for bit (array_equal); backend="numba" to
rtol 1e-9 over at least 50 epochs; float32 runs to about 1e-5.
"""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import datasets as skd  # noqa: E402
from sklearn import neural_network as sknn  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

import minimlp  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning",
                                        "ignore::minimlp.exceptions.ConvergenceWarning")


def _binary():
    return skd.make_classification(n_samples=230, n_features=7, random_state=1)


def _multiclass():
    return skd.make_classification(n_samples=260, n_features=8, n_informative=4, n_classes=3,
                                   random_state=0)


def _regression():
    X, y = skd.make_regression(n_samples=210, n_features=5, noise=1.0, random_state=0)
    return X, y / 100


def _regression_2d():
    X, y = skd.make_regression(n_samples=150, n_features=4, n_targets=2, random_state=3)
    return X, y / 100


# (id, task, data, parameters); 50+ epochs each, batch sizes that do not divide n.
CASES = [
    ("sgd-nesterov-relu-binary", "clf", _binary, dict(solver="sgd", hidden_layer_sizes=(9, 6))),
    ("sgd-classic-tanh-binary", "clf", _binary,
     dict(solver="sgd", nesterovs_momentum=False, activation="tanh", batch_size=64)),
    ("sgd-invscaling-logistic-multiclass", "clf", _multiclass,
     dict(solver="sgd", learning_rate="invscaling", activation="logistic",
          learning_rate_init=0.2)),
    ("sgd-adaptive-identity-multiclass", "clf", _multiclass,
     dict(solver="sgd", learning_rate="adaptive", activation="identity", n_iter_no_change=5,
          tol=1e-3, learning_rate_init=0.05, max_iter=80)),  # divides eta 8 times, stops at 56
    ("adam-relu-multiclass", "clf", _multiclass, dict(solver="adam", batch_size=70)),
    ("adam-tanh-binary-early-stopping", "clf", _binary,
     dict(solver="adam", activation="tanh", early_stopping=True, n_iter_no_change=60)),
    ("sgd-relu-multiclass-early-stopping", "clf", _multiclass,
     dict(solver="sgd", early_stopping=True, validation_fraction=0.2, n_iter_no_change=60,
          learning_rate_init=0.01)),
    ("sgd-relu-regression", "reg", _regression, dict(solver="sgd", learning_rate_init=0.001)),
    ("adam-logistic-regression-noshuffle", "reg", _regression,
     dict(solver="adam", activation="logistic", shuffle=False, batch_size=47)),
    ("adam-relu-regression-2-outputs-early-stopping", "reg", _regression_2d,
     dict(solver="adam", early_stopping=True, n_iter_no_change=60, learning_rate_init=0.01)),
    ("adam-poisson-regression", "reg", lambda: (_regression()[0], np.abs(_regression()[1])),
     dict(solver="adam", loss="poisson")),
]


def _fit_pair(task, data, params, backend, dtype=np.float64):
    X, y = data()
    X = X.astype(dtype)
    params = {"max_iter": 60, "random_state": 0, **params}
    ours = (minimlp.MLPClassifier if task == "clf" else minimlp.MLPRegressor)
    theirs = (sknn.MLPClassifier if task == "clf" else sknn.MLPRegressor)
    return ours(backend=backend, **params).fit(X, y), theirs(**params).fit(X, y)


def _weights(model):
    return model.coefs_ + model.intercepts_


@pytest.mark.parametrize("name, task, data, params", CASES, ids=[c[0] for c in CASES])
def test_numpy_backend_is_bit_identical(name, task, data, params):
    ours, theirs = _fit_pair(task, data, params, "numpy")
    assert ours.n_iter_ == theirs.n_iter_ and ours.t_ == theirs.t_
    for a, b in zip(_weights(ours), _weights(theirs), strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert np.array_equal(ours.loss_curve_, theirs.loss_curve_)
    if params.get("early_stopping"):
        assert np.array_equal(ours.validation_scores_, theirs.validation_scores_)
        assert ours.best_validation_score_ == theirs.best_validation_score_
    else:
        assert ours.validation_scores_ is None and theirs.validation_scores_ is None
        assert ours.best_loss_ == theirs.best_loss_


@pytest.mark.parametrize("name, task, data, params", CASES, ids=[c[0] for c in CASES])
def test_numba_backend_matches_to_1e_9(name, task, data, params):
    ours, theirs = _fit_pair(task, data, params, "numba")
    assert ours.n_iter_ == theirs.n_iter_ and ours.t_ == theirs.t_
    for a, b in zip(_weights(ours), _weights(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    if params.get("early_stopping"):
        np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_,
                                   rtol=1e-9)


def test_at_least_50_epochs_are_compared():
    lengths = [_fit_pair(t, d, p, "numpy")[1].n_iter_ for _, t, d, p in CASES]
    assert min(lengths) >= 50, lengths


@pytest.mark.parametrize("name, task, data, params", CASES[:1] + CASES[4:5] + CASES[7:8],
                         ids=[CASES[0][0], CASES[4][0], CASES[7][0]])
@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_float32_matches_sklearn_float32(name, task, data, params, backend):
    ours, theirs = _fit_pair(task, data, params, backend, dtype=np.float32)
    assert ours.coefs_[0].dtype == np.float32 and theirs.coefs_[0].dtype == np.float32
    for a, b in zip(_weights(ours), _weights(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-5)


@pytest.mark.parametrize("task", ["clf", "reg"])
def test_predictions_match(task):
    data = _multiclass if task == "clf" else _regression
    ours, theirs = _fit_pair(task, data, dict(solver="sgd", max_iter=20), "numpy")
    X, _ = data()
    if task == "clf":
        assert np.array_equal(ours.predict_proba(X), theirs.predict_proba(X))
        assert np.array_equal(ours.predict(X), theirs.predict(X))
    else:
        assert np.array_equal(ours.predict(X), theirs.predict(X))
    assert ours.score(X, data()[1]) == theirs.score(X, data()[1])


def test_string_labels_and_warm_start_and_partial_fit_match():
    X, y = _multiclass()
    labels = np.array(["cat", "dog", "emu"])[y]
    params = dict(solver="sgd", max_iter=5, random_state=0, warm_start=True)
    ours = minimlp.MLPClassifier(backend="numpy", **params)
    theirs = sknn.MLPClassifier(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(2):
            ours.fit(X, labels)
            theirs.fit(X, labels)
    assert list(ours.classes_) == list(theirs.classes_)
    assert ours.t_ == theirs.t_ and len(ours.loss_curve_) == len(theirs.loss_curve_) == 10
    assert all(np.array_equal(a, b) for a, b in zip(_weights(ours), _weights(theirs)))

    ours = minimlp.MLPClassifier(backend="numpy", solver="adam", random_state=0)
    theirs = sknn.MLPClassifier(solver="adam", random_state=0)
    for start in (0, 100, 200):
        rows = slice(start, start + 100)
        ours.partial_fit(X[rows], labels[rows], classes=["cat", "dog", "emu"])
        theirs.partial_fit(X[rows], labels[rows], classes=["cat", "dog", "emu"])
    assert ours.n_iter_ == theirs.n_iter_ == 1 and ours.t_ == theirs.t_
    assert all(np.array_equal(a, b) for a, b in zip(_weights(ours), _weights(theirs)))


def test_seed_workflow_model_stops_at_sklearns_epoch():
    """The seed workflow's model on its data (one CV fold): same n_iter_, weights to 1e-9."""
    X, y = skd.make_classification(n_samples=1000, n_features=20, n_informative=2,
                                   n_redundant=10, random_state=42, shuffle=False)
    train, _ = next(StratifiedKFold(5).split(X, y))
    params = dict(hidden_layer_sizes=(100,), max_iter=1000, alpha=0.01, solver="sgd",
                  tol=1e-4, random_state=1, learning_rate_init=0.1)
    ours = minimlp.MLPClassifier(**params).fit(X[train], y[train])
    theirs = sknn.MLPClassifier(**params).fit(X[train], y[train])
    assert ours.n_iter_ == theirs.n_iter_ == 441  # spec table: 441 for fold 0
    for a, b in zip(_weights(ours), _weights(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
