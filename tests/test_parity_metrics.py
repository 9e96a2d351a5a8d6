"""Metrics and scorers against scikit-learn on random inputs.

The values are compared for exact equality: the implementations add in the same order as
scikit-learn, so grid-search scores (and their ranks and ties) agree to the last bit.
"""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import metrics as sk  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin  # noqa: E402

from minimlp import metrics as mm  # noqa: E402

CASES = range(40)


def _same(a, b):
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert isinstance(a, np.ndarray) == isinstance(b, np.ndarray)


def _random_labels(seed):
    rng = np.random.RandomState(seed)
    n, k = rng.randint(2, 60), rng.randint(2, 5)
    weights = rng.rand(n) if seed % 2 else None
    return rng, rng.randint(k, size=n), rng.randint(k, size=n), k, weights


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("seed", CASES)
def test_accuracy(seed):
    rng, y_true, y_pred, _, w = _random_labels(seed)
    for normalize in (True, False):
        _same(mm.accuracy_score(y_true, y_pred, normalize=normalize, sample_weight=w),
              sk.accuracy_score(y_true, y_pred, normalize=normalize, sample_weight=w))
    Y, Y_pred = rng.randint(2, size=(20, 3)), rng.randint(2, size=(20, 3))
    _same(mm.accuracy_score(Y, Y_pred), sk.accuracy_score(Y, Y_pred))


@pytest.mark.parametrize("seed", CASES)
def test_f1(seed):
    rng, y_true, y_pred, k, w = _random_labels(seed)
    for average in ("macro", "weighted", "micro", None):
        for zero_division in ("warn", 0.0, 1.0, np.nan):
            kw = dict(average=average, sample_weight=w, zero_division=zero_division)
            _same(mm.f1_score(y_true, y_pred, **kw), sk.f1_score(y_true, y_pred, **kw))
    labels = list(range(k + 1))[::-1]  # an absent label, in reverse order
    _same(mm.f1_score(y_true, y_pred, labels=labels, average=None),
          sk.f1_score(y_true, y_pred, labels=labels, average=None))
    yb, yb_pred = rng.randint(2, size=len(y_true)), rng.randint(2, size=len(y_true))
    for pos_label in (0, 1):
        _same(mm.f1_score(yb, yb_pred, pos_label=pos_label, sample_weight=w),
              sk.f1_score(yb, yb_pred, pos_label=pos_label, sample_weight=w))
    names = np.array(["neg", "pos"])
    _same(mm.f1_score(names[yb], names[yb_pred], pos_label="pos"),
          sk.f1_score(names[yb], names[yb_pred], pos_label="pos"))


@pytest.mark.parametrize("average", ["macro", "weighted", "micro"])
def test_f1_multilabel(average):
    rng = np.random.RandomState(0)
    Y, Y_pred = rng.randint(2, size=(30, 4)), rng.randint(2, size=(30, 4))
    np.testing.assert_allclose(mm.f1_score(Y, Y_pred, average=average),
                               sk.f1_score(Y, Y_pred, average=average), rtol=1e-12)


@pytest.mark.parametrize("seed", CASES)
def test_log_loss(seed):
    rng, y_true, _, k, w = _random_labels(seed)
    proba = rng.dirichlet(np.ones(k), size=len(y_true))
    proba[rng.rand(*proba.shape) < 0.05] = 0.0  # exercise the clipping
    labels = np.arange(k)
    for normalize in (True, False):
        kw = dict(labels=labels, normalize=normalize, sample_weight=w)
        _same(mm.log_loss(y_true, proba, **kw), sk.log_loss(y_true, proba, **kw))
    p = rng.rand(len(y_true))
    p[rng.rand(len(p)) < 0.2] = 1.0
    yb = np.r_[0, 1, rng.randint(2, size=len(p) - 2)]
    _same(mm.log_loss(yb, p, sample_weight=w), sk.log_loss(yb, p, sample_weight=w))
    proba32 = proba.astype(np.float32)
    _same(mm.log_loss(y_true, proba32, labels=labels), sk.log_loss(y_true, proba32,
                                                                    labels=labels))


@pytest.mark.parametrize("seed", CASES)
def test_roc_auc(seed):
    rng = np.random.RandomState(seed)
    n = rng.randint(2, 80)
    y = np.r_[0, 1, rng.randint(2, size=n - 2)]
    w = rng.rand(n) if seed % 2 else None
    if w is not None:
        w[rng.rand(n) < 0.1] = 0.0
        w[:2] = 1.0
    score = np.round(rng.randn(n), seed % 3)  # many ties for small decimals
    _same(mm.roc_auc_score(y, score, sample_weight=w), sk.roc_auc_score(y, score, sample_weight=w))
    labels = np.array(["no", "yes"])
    _same(mm.roc_auc_score(labels[y], score), sk.roc_auc_score(labels[y], score))


def test_roc_auc_single_class_is_nan_like_sklearn():
    assert np.isnan(mm.roc_auc_score([1, 1, 1], [0.2, 0.3, 0.1]))
    assert np.isnan(sk.roc_auc_score([1, 1, 1], [0.2, 0.3, 0.1]))


@pytest.mark.parametrize("seed", CASES)
def test_regression_metrics(seed):
    rng = np.random.RandomState(seed)
    n, m = rng.randint(2, 60), rng.randint(1, 4)
    y = rng.randn(n, m)
    y_pred = y + rng.randn(n, m) * rng.rand()
    if seed % 5 == 0:  # a constant output, predicted perfectly or not
        y[:, 0] = 1.0
        if seed % 10 == 0:
            y_pred[:, 0] = 1.0
    w = rng.rand(n) if seed % 2 else None
    modes = ["raw_values", "uniform_average"] + ([rng.rand(m)] if m > 1 else [])
    for mode in modes + ["variance_weighted"]:
        kw = dict(sample_weight=w, multioutput=mode)
        _same(mm.r2_score(y, y_pred, **kw), sk.r2_score(y, y_pred, **kw))
    for mode in modes:
        kw = dict(sample_weight=w, multioutput=mode)
        _same(mm.mean_squared_error(y, y_pred, **kw), sk.mean_squared_error(y, y_pred, **kw))
    _same(mm.r2_score(y[:, 0], y_pred[:, 0]), sk.r2_score(y[:, 0], y_pred[:, 0]))
    _same(mm.mean_squared_error(y[:, 0], y_pred[:, 0]),
          sk.mean_squared_error(y[:, 0], y_pred[:, 0]))


# ---------------------------------------------------------------- scorers


class LinearClassifier(ClassifierMixin, BaseEstimator):
    """A fixed linear model: sklearn's scorers accept it as a classifier."""

    def __init__(self, coef=None, classes=(0, 1)):
        self.coef = coef
        self.classes = classes

    def fit(self, X, y):
        self.classes_ = np.asarray(self.classes)
        return self

    def _logits(self, X):
        z = np.asarray(X) @ np.asarray(self.coef)
        return z if z.ndim == 2 else np.column_stack([np.zeros_like(z), z])

    def predict_proba(self, X):
        z = self._logits(X)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]



class MarginClassifier(LinearClassifier):
    """Has a decision_function, ordered differently from predict_proba."""

    def decision_function(self, X):
        return self._logits(X)[:, 1] * 0.5 + np.asarray(X)[:, 0]


class LinearRegressor(RegressorMixin, BaseEstimator):
    def __init__(self, coef=None):
        self.coef = coef

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.asarray(X) @ np.asarray(self.coef)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("margin", [False, True])
@pytest.mark.parametrize("name", ["accuracy", "neg_log_loss", "f1", "f1_macro", "f1_weighted",
                                  "roc_auc", None])
def test_binary_classification_scorers(name, margin, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(40, 3)
    y = np.r_[0, 1, rng.randint(2, size=38)]
    est = (MarginClassifier if margin else LinearClassifier)(coef=rng.randn(3)).fit(X, y)
    ours = mm.get_scorer(name) if name else mm.check_scoring(est)
    theirs = sk.get_scorer(name) if name else sk.check_scoring(est)
    assert ours(est, X, y) == theirs(est, X, y)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", ["accuracy", "neg_log_loss", "f1_macro", "f1_weighted"])
def test_multiclass_classification_scorers(name, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(50, 3)
    y = np.r_[0, 1, 2, rng.randint(3, size=47)]
    est = LinearClassifier(coef=rng.randn(3, 3), classes=(0, 1, 2)).fit(X, y)
    assert mm.get_scorer(name)(est, X, y) == sk.get_scorer(name)(est, X, y)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", ["neg_mean_squared_error", "r2", None])
def test_regression_scorers(name, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(30, 4)
    y = X @ rng.randn(4) + rng.randn(30)
    est = LinearRegressor(coef=rng.randn(4)).fit(X, y)
    ours = mm.get_scorer(name) if name else mm.check_scoring(est)
    theirs = sk.get_scorer(name) if name else sk.check_scoring(est)
    assert ours(est, X, y) == theirs(est, X, y)


def test_scorer_names_are_sklearn_names():
    assert set(mm.get_scorer_names()) <= set(sk.get_scorer_names())
