"""Independent checks of the metrics and scorers: hand-computed values, invariants, errors."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimlp.metrics import (
    UndefinedMetricWarning,
    accuracy_score,
    check_multimetric_scoring,
    check_scoring,
    f1_score,
    get_scorer,
    get_scorer_names,
    log_loss,
    make_scorer,
    mean_squared_error,
    r2_score,
    roc_auc_score,
)

# ---------------------------------------------------------------- accuracy


def test_accuracy_hand_computed():
    assert accuracy_score([0, 1, 1, 2], [0, 1, 2, 2]) == 0.75
    assert accuracy_score([0, 1, 1], [0, 1, 0], normalize=False) == 2.0
    assert accuracy_score([0, 1, 1], [0, 1, 0], sample_weight=[1, 2, 3.5]) == 3 / 6.5
    assert accuracy_score([0, 1, 1], [0, 1, 0], normalize=False, sample_weight=[1, 2, 3.5]) == 3
    assert accuracy_score(["a", "b"], ["a", "a"]) == 0.5
    assert accuracy_score([1.0, 2.0], [1, 2]) == 1.0


def test_accuracy_multilabel_is_subset_accuracy():
    assert accuracy_score([[0, 1], [1, 1]], [[0, 1], [1, 0]]) == 0.5


@pytest.mark.parametrize("y_true, y_pred, message", [
    ([0, 1], [0, 1, 1], r"inconsistent numbers of samples: \[2, 3\]"),
    ([0, 1], [0.5, 1], "can't handle a mix of binary and continuous targets"),
    ([0, 1, 2], [[0, 1], [1, 1], [0, 0]], "mix of multiclass and multilabel-indicator"),
    (["a", "b"], [1, 2], r"Mix of label input types \(string and number\)"),
    ([], [], "Found empty input array"),
    ([0.5, 1.5], [0.5, 1.5], "do not support continuous targets"),
])
def test_accuracy_errors(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        accuracy_score(y_true, y_pred)


# ---------------------------------------------------------------- log loss


def test_log_loss_hand_computed():
    expected = -(np.log(0.7) + np.log(0.8)) / 2
    assert log_loss([0, 1], [[0.7, 0.3], [0.2, 0.8]]) == pytest.approx(expected, rel=1e-15)
    # 1-D: probability of the greater label.
    assert log_loss([0, 1], [0.3, 0.8]) == pytest.approx(expected, rel=1e-15)
    # Strings, sorted label order, weights, sum instead of mean.
    value = log_loss(["b", "a", "c"], [[0.2, 0.3, 0.5]] * 3, normalize=False,
                     sample_weight=[1, 2, 3])
    assert value == pytest.approx(-(np.log(0.3) + 2 * np.log(0.2) + 3 * np.log(0.5)))


def test_log_loss_clips_without_renormalising():
    eps = np.finfo(np.float64).eps
    # A certain, wrong prediction costs -log(eps), not infinity.
    assert log_loss([0, 1], [[0.0, 1.0], [1.0, 0.0]]) == pytest.approx(-np.log(eps))
    assert log_loss([0, 1], [[1.0, 0.0], [0.0, 1.0]]) == pytest.approx(-np.log1p(-eps))
    # Rows that do not sum to 1 are used as given (not divided by their sum), with a warning.
    with pytest.warns(UserWarning, match="do not sum to one"):
        value = log_loss([0, 1], [[0.5, 0.6], [0.2, 0.9]])
    assert value == pytest.approx(-(np.log(0.5) + np.log(0.9)) / 2, rel=1e-15)


def test_log_loss_labels_for_missing_classes():
    value = log_loss([0, 1, 1], [[0.2, 0.5, 0.3]] * 3, labels=[0, 1, 2])
    assert value == pytest.approx(-(np.log(0.2) + 2 * np.log(0.5)) / 3)


def test_log_loss_multilabel_indicator():
    with pytest.warns(UserWarning, match="do not sum to one"):  # independent labels
        value = log_loss([[0, 1], [1, 1]], [[0.3, 0.8], [0.6, 0.4]])
    assert value == pytest.approx(-(np.log(0.8) + np.log(0.6) + np.log(0.4)) / 2)


@pytest.mark.parametrize("kwargs, message", [
    (dict(y_true=[1, 1], y_pred=[0.3, 0.8]), r"y_true contains only one label \(1\)"),
    (dict(y_true=[0, 1, 2], y_pred=[[0.5, 0.5]] * 3),
     "y_true and y_prob contain different number of classes: 3 vs 2"),
    (dict(y_true=[0, 1, 2], y_pred=[[0.5, 0.5]] * 3, labels=[0, 1, 2]),
     "number of classes in labels is different from that in y_prob"),
    (dict(y_true=[0, 5, 1], y_pred=[[0.2, 0.8]] * 3, labels=[0, 1]),
     r"y_true contains values \{5\} not belonging to the passed labels \[0, 1\]"),
    (dict(y_true=[0, 1], y_pred=[0.3, 0.8, 0.5]), "inconsistent numbers of samples"),
    (dict(y_true=[0.5, 1.0], y_pred=[0.3, 0.8]), "Unknown label type"),
    (dict(y_true=[0, 1], y_pred=[[np.nan, 1], [1, 0]]), "contains NaN"),
])
def test_log_loss_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        log_loss(**kwargs)


# ---------------------------------------------------------------- F1


def test_f1_binary_hand_computed():
    # TP=2, FP=1, FN=1 -> 2*2 / (4 + 1 + 1)
    y_true, y_pred = [1, 1, 1, 0, 0], [1, 1, 0, 1, 0]
    assert f1_score(y_true, y_pred) == pytest.approx(4 / 6)
    # pos_label=0: TP=1, FP=1, FN=1
    assert f1_score(y_true, y_pred, pos_label=0) == pytest.approx(0.5)
    assert f1_score(["x", "y"], ["x", "y"], pos_label="y") == 1.0


def test_f1_averages_hand_computed():
    y_true, y_pred = [0, 1, 2, 2], [0, 1, 1, 2]
    per_label = [1.0, 2 / 3, 2 / 3]  # class 1: TP=1 FP=1; class 2: TP=1 FN=1
    np.testing.assert_allclose(f1_score(y_true, y_pred, average=None), per_label)
    assert f1_score(y_true, y_pred, average="macro") == pytest.approx(np.mean(per_label))
    assert f1_score(y_true, y_pred, average="weighted") == pytest.approx(
        np.average(per_label, weights=[1, 1, 2]))
    assert f1_score(y_true, y_pred, average="micro") == pytest.approx(0.75)  # = accuracy
    # labels restricts the labels that are averaged
    assert f1_score([1, 2, 3], [1, 2, 4], labels=[1, 2], average="macro") == 1.0


def test_f1_sample_weight_hand_computed():
    # class 0: TP=1, FP=3, FN=2 -> 2/7, support 3; class 1: TP=0 -> 0, support 3
    value = f1_score([0, 0, 1], [0, 1, 0], average="weighted", sample_weight=[1, 2, 3])
    assert value == pytest.approx((2 / 7) * 3 / 6)


def test_f1_zero_division():
    with pytest.warns(UndefinedMetricWarning, match="ill-defined"):
        assert f1_score([0, 0], [0, 0]) == 0.0
    assert f1_score([0, 0], [0, 0], zero_division=1.0) == 1.0
    assert math.isnan(f1_score([0, 0], [0, 0], zero_division=np.nan))
    # NaN labels are left out of a macro mean: label 2 never appears.
    assert f1_score([0, 1], [0, 1], labels=[0, 1, 2], average="macro",
                    zero_division=np.nan) == 1.0
    # No support at all for a weighted mean.
    with pytest.warns(UndefinedMetricWarning):
        assert f1_score([0, 1], [0, 1], labels=[5, 6], average="weighted") == 0.0


def test_f1_multilabel():
    y_true, y_pred = [[0, 1], [1, 1]], [[0, 1], [1, 0]]
    # label 0: TP=1 -> 1; label 1: TP=1, FN=1 -> 2/3
    assert f1_score(y_true, y_pred, average="macro") == pytest.approx((1 + 2 / 3) / 2)


@pytest.mark.parametrize("kwargs, message", [
    (dict(y_true=[0, 1, 2], y_pred=[0, 1, 1]),
     "Target is multiclass but average='binary'. Please choose another average"),
    (dict(y_true=[0, 1], y_pred=[0, 1], pos_label=3), "pos_label=3 is not a valid label"),
    (dict(y_true=[0, 1], y_pred=[0, 1], average="foo"), "'average' parameter of f1_score"),
    (dict(y_true=[0, 1], y_pred=[0, 1], zero_division=2), "'zero_division' parameter"),
    (dict(y_true=[0, 1], y_pred=[0.5, 1]), "mix of binary and continuous"),
])
def test_f1_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        f1_score(**kwargs)


# ---------------------------------------------------------------- ROC AUC


def _mann_whitney_auc(y, s):
    pos, neg = s[y == 1], s[y == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (len(pos) * len(neg))


def test_roc_auc_hand_computed():
    assert roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert roc_auc_score([0, 1], [0.5, 0.5]) == 0.5  # a tie counts one half
    assert roc_auc_score(["a", "b", "a"], [0.1, 0.2, 0.3]) == 0.5  # 'b' is positive
    assert roc_auc_score([-1, 1, 1], [3, 2, 1]) == 0.0
    # Weights: pairs count with the product of their weights.
    value = roc_auc_score([0, 1, 1, 0], [0.5, 0.5, 0.7, 0.1], sample_weight=[1, 2, 3, 4])
    assert value == pytest.approx((2 * 1 * 0.5 + 2 * 4 + 3 * 1 + 3 * 4) / (5 * 5))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(-3, 3)), min_size=2, max_size=40))
def test_roc_auc_equals_mann_whitney_with_ties(pairs):
    y = np.array([p[0] for p in pairs])
    s = np.array([p[1] for p in pairs], dtype=float)
    if len(np.unique(y)) < 2:
        return
    assert roc_auc_score(y, s) == pytest.approx(_mann_whitney_auc(y, s), abs=1e-12)
    # Invariant to a strictly increasing transform, and flips under negation.
    assert roc_auc_score(y, np.exp(s)) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert roc_auc_score(y, -s) == pytest.approx(1 - roc_auc_score(y, s), abs=1e-12)


def test_roc_auc_single_class_is_nan_with_warning():
    with pytest.warns(UndefinedMetricWarning, match="Only one class"):
        assert math.isnan(roc_auc_score([0, 0], [0.1, 0.2]))


@pytest.mark.parametrize("y_true, y_score, message", [
    ([0, 1, 2], [0.1, 0.2, 0.3], "binary y_true only; got a multiclass target"),
    ([0.5, 1, 1], [0.1, 0.3, 0.2], "got a continuous target"),
    ([0, 1, 1], [0.1, 0.2], "inconsistent numbers of samples"),
    ([0, 1, 1], [0.1, np.nan, 0.2], "contains NaN"),
    ([0, 1, 1], [[0.1, 0.2], [0.2, 0.3], [0.3, 0.5]], "y_score should be a 1d array"),
])
def test_roc_auc_errors(y_true, y_score, message):
    with pytest.raises(ValueError, match=message):
        roc_auc_score(y_true, y_score)


# ---------------------------------------------------------------- regression


def test_mse_hand_computed():
    assert mean_squared_error([1, 2, 3], [1, 2, 5]) == pytest.approx(4 / 3)
    assert mean_squared_error([1, 2, 3], [1, 2, 5], sample_weight=[1, 1, 2]) == 2.0
    np.testing.assert_array_equal(
        mean_squared_error([[1, 2], [2, 2]], [[1, 2], [2, 3]], multioutput="raw_values"),
        [0.0, 0.5])
    assert mean_squared_error([[1, 2], [2, 2]], [[1, 2], [2, 3]]) == 0.25
    assert mean_squared_error([[1, 2], [2, 2]], [[1, 2], [2, 3]],
                              multioutput=[0.2, 0.8]) == pytest.approx(0.4)


def test_r2_hand_computed():
    # SS_res = 1, SS_tot = 2 (mean 2)
    assert r2_score([1, 2, 3], [1, 2, 4]) == 0.5
    # weights [1, 0, 2]: weighted mean 7/3, SS_tot = 16/9 + 2 * 4/9 = 8/3, SS_res = 2
    assert r2_score([1, 2, 3], [1, 2, 4], sample_weight=[1, 0, 2]) == pytest.approx(0.25)
    np.testing.assert_array_equal(
        r2_score([[1, 2], [2, 2]], [[1, 2], [2, 3]], multioutput="raw_values"), [1.0, 0.0])
    assert r2_score([[1, 2], [2, 2]], [[1, 2], [2, 3]]) == 0.5
    # variance_weighted: only the first output has variance
    assert r2_score([[1, 2], [2, 2]], [[1, 2], [2, 3]], multioutput="variance_weighted") == 1.0


def test_r2_constant_target_is_forced_finite():
    assert r2_score([1, 1, 1], [1, 1, 1]) == 1.0
    assert r2_score([1, 1, 1], [1, 1, 2]) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="less than two samples"):
        assert math.isnan(r2_score([1], [1]))


@settings(deadline=None, max_examples=40)
@given(st.lists(st.floats(-100, 100), min_size=2, max_size=30), st.floats(-5, 5))
def test_regression_invariants(values, offset):
    y = np.array(values)
    assert mean_squared_error(y, y) == 0.0
    assert mean_squared_error(y, y + offset) == pytest.approx(offset**2, rel=1e-9, abs=1e-9)
    assert r2_score(y, y) == 1.0
    # Predicting the mean gives 0 (when y is not constant).
    if np.ptp(y) > 1e-6:
        assert r2_score(y, np.full_like(y, y.mean())) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("func", [mean_squared_error, r2_score])
@pytest.mark.parametrize("y_true, y_pred, kwargs, message", [
    ([1, 2], [1, 2, 3], {}, "inconsistent numbers of samples"),
    ([1, 2], [[1, 2], [2, 3]], {}, r"different number of output \(1!=2\)"),
    ([1, 2], [1, 2], dict(multioutput="foo"), "multioutput must be one of"),
    ([1, 2], [1, 2], dict(multioutput=[0.5]), "Custom weights are useful only in multi-output"),
    ([[1, 2], [3, 4]], [[1, 2], [3, 4]], dict(multioutput=[1, 2, 3]),
     r"equally many custom weights \(3\) as outputs \(2\)"),
    (["a"], ["b"], {}, "must contain numbers"),
    ([1, np.inf], [1, 2], {}, "contains infinity"),
    ([], [], {}, "0 sample"),
])
def test_regression_errors(func, y_true, y_pred, kwargs, message):
    with pytest.raises(ValueError, match=message):
        func(y_true, y_pred, **kwargs)


# ---------------------------------------------------------------- scorers


class FakeClassifier:
    """Predicts from column 0 of X: proba = sigmoid(x0), label = x0 > 0."""

    classes_ = np.array([0, 1])

    def predict(self, X):
        return (np.asarray(X)[:, 0] > 0).astype(int)

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-np.asarray(X)[:, 0]))
        return np.column_stack([1 - p, p])

    def score(self, X, y):
        return 0.125  # a marker: the pass-through scorer must return this


class FakeMarginClassifier(FakeClassifier):
    def decision_function(self, X):
        return -np.asarray(X)[:, 1]  # deliberately not the order predict_proba gives


class FakeRegressor:
    def predict(self, X):
        return np.asarray(X)[:, 0] * 2.0


X_CLF = np.array([[-2.0, 1.0], [-0.5, 3.0], [0.3, -1.0], [1.5, 0.0], [0.1, 2.0]])
Y_CLF = np.array([0, 1, 1, 1, 0])


def test_scorer_names():
    assert get_scorer_names() == sorted(
        ["accuracy", "neg_log_loss", "f1", "f1_macro", "f1_weighted", "roc_auc",
         "neg_mean_squared_error", "r2"])


def test_named_classification_scorers():
    est = FakeClassifier()
    pred, proba = est.predict(X_CLF), est.predict_proba(X_CLF)
    assert get_scorer("accuracy")(est, X_CLF, Y_CLF) == accuracy_score(Y_CLF, pred)
    assert get_scorer("f1")(est, X_CLF, Y_CLF) == f1_score(Y_CLF, pred)
    assert get_scorer("f1_macro")(est, X_CLF, Y_CLF) == f1_score(Y_CLF, pred, average="macro")
    assert get_scorer("f1_weighted")(est, X_CLF, Y_CLF) == f1_score(Y_CLF, pred,
                                                                    average="weighted")
    assert get_scorer("neg_log_loss")(est, X_CLF, Y_CLF) == -log_loss(Y_CLF, proba[:, 1])
    assert get_scorer("roc_auc")(est, X_CLF, Y_CLF) == roc_auc_score(Y_CLF, proba[:, 1])


def test_roc_auc_scorer_prefers_decision_function():
    est = FakeMarginClassifier()
    expected = roc_auc_score(Y_CLF, est.decision_function(X_CLF))
    assert expected != roc_auc_score(Y_CLF, est.predict_proba(X_CLF)[:, 1])
    assert get_scorer("roc_auc")(est, X_CLF, Y_CLF) == expected


def test_multiclass_proba_is_passed_whole():
    class ThreeClass:
        classes_ = np.array([0, 1, 2])

        def predict_proba(self, X):
            return np.tile([0.2, 0.3, 0.5], (len(X), 1))

    y = np.array([0, 1, 2, 2])
    value = get_scorer("neg_log_loss")(ThreeClass(), np.zeros((4, 1)), y)
    assert value == pytest.approx((np.log(0.2) + np.log(0.3) + 2 * np.log(0.5)) / 4)


def test_named_regression_scorers_are_negated_losses():
    X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0.0, 2.0, 5.0])
    est = FakeRegressor()  # predicts 0, 2, 4
    assert get_scorer("neg_mean_squared_error")(est, X, y) == -1 / 3
    assert get_scorer("r2")(est, X, y) == r2_score(y, [0.0, 2.0, 4.0])


def test_scorer_sample_weight_is_forwarded():
    w = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
    assert get_scorer("accuracy")(FakeClassifier(), X_CLF, Y_CLF, sample_weight=w) == 1.0


def test_make_scorer():
    scorer = make_scorer(f1_score, average="macro")
    est = FakeClassifier()
    assert scorer(est, X_CLF, Y_CLF) == f1_score(Y_CLF, est.predict(X_CLF), average="macro")
    loss = make_scorer(log_loss, greater_is_better=False, response_method="predict_proba")
    assert loss(est, X_CLF, Y_CLF) < 0
    assert "greater_is_better=False" in repr(loss) and "log_loss" in repr(loss)
    with pytest.raises(ValueError, match="response_method must be one of"):
        make_scorer(f1_score, response_method="predict_log_proba")
    with pytest.raises(TypeError, match="score_func must be callable"):
        make_scorer("f1")


def test_missing_response_method():
    with pytest.raises(AttributeError, match="FakeRegressor has none of the following"):
        get_scorer("neg_log_loss")(FakeRegressor(), X_CLF, Y_CLF)


def test_get_scorer():
    def custom(estimator, X, y):
        return 1.0

    assert get_scorer(custom) is custom
    with pytest.raises(ValueError, match=r"'f2' is not a valid scoring value.*\['accuracy', "
                                         r"'f1', 'f1_macro'"):
        get_scorer("f2")
    with pytest.raises(ValueError, match="scoring must be a str or a callable"):
        get_scorer(3)


def test_check_scoring():
    est = FakeClassifier()
    assert check_scoring(est)(est, X_CLF, Y_CLF) == 0.125
    assert check_scoring(est, "accuracy") is get_scorer("accuracy")
    with pytest.raises(TypeError, match="should have a 'score' method"):
        check_scoring(FakeRegressor())
    with pytest.raises(ValueError, match="looks like a metric function"):
        check_scoring(est, accuracy_score)
    with pytest.raises(ValueError, match="Use check_multimetric_scoring"):
        check_scoring(est, ["accuracy"])
    with pytest.raises(ValueError, match="should either be a callable, string or None"):
        check_scoring(est, 3)


def test_check_multimetric_scoring():
    est = FakeClassifier()
    scorers = check_multimetric_scoring(est, ["f1", "accuracy"])
    assert list(scorers) == ["f1", "accuracy"]
    assert scorers["accuracy"] is get_scorer("accuracy")
    scorers = check_multimetric_scoring(est, {"acc": "accuracy", "mine": make_scorer(f1_score)})
    assert list(scorers) == ["acc", "mine"]
    assert scorers["mine"](est, X_CLF, Y_CLF) == f1_score(Y_CLF, est.predict(X_CLF))


@pytest.mark.parametrize("scoring, message", [
    ([], "An empty list was given"),
    ({}, "An empty dict was passed"),
    (["f1", "f1"], "Duplicate elements were found"),
    (["f1", 3], "Non-string types were found in the given list"),
    ([get_scorer("f1")], "One or more of the elements were callables"),
    ({1: "f1"}, "Non-string types were found in the keys of the given dict"),
    ("f1", "scoring is invalid"),
    (["nope"], "'nope' is not a valid scoring value"),
])
def test_check_multimetric_scoring_errors(scoring, message):
    with pytest.raises(ValueError, match=message):
        check_multimetric_scoring(FakeClassifier(), scoring)


@pytest.mark.parametrize("name", get_scorer_names())
def test_scorers_pickle(name):
    scorer = pickle.loads(pickle.dumps(get_scorer(name)))
    est = FakeMarginClassifier() if name not in ("r2", "neg_mean_squared_error") \
        else FakeRegressor()
    y = Y_CLF if name not in ("r2", "neg_mean_squared_error") else X_CLF[:, 0] * 1.5
    assert scorer(est, X_CLF, y) == get_scorer(name)(est, X_CLF, y)
    passthrough = pickle.loads(pickle.dumps(check_scoring(FakeClassifier())))
    assert passthrough(FakeClassifier(), X_CLF, Y_CLF) == 0.125
