"""Classification metrics: accuracy, log loss and F1, with scikit-learn's conventions."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..utils.validation import check_array, check_consistent_length, column_or_1d, type_of_target


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined for the given input (e.g. an F-score with no positives)."""


_LABEL_TYPES = ("binary", "multiclass", "multilabel-indicator")


def _check_targets(y_true: Any, y_pred: Any) -> tuple[str, np.ndarray, np.ndarray]:
    """Common target type of ``y_true`` and ``y_pred`` ('binary', 'multiclass' or
    'multilabel-indicator'), and both as arrays (1-D unless multilabel).
    """
    check_consistent_length(y_true, y_pred)
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape[0] == 0:
        raise ValueError("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of "
                         "1 sample is required.")
    types = {type_of_target(y_true), type_of_target(y_pred)}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        a, b = type_of_target(y_true), type_of_target(y_pred)
        raise ValueError(f"Classification metrics can't handle a mix of {a} and {b} targets")
    y_type = types.pop()
    if y_type not in _LABEL_TYPES:
        raise ValueError(f"Classification metrics do not support {y_type} targets "
                         f"(supported: {', '.join(_LABEL_TYPES)}).")
    if y_type == "multilabel-indicator":
        if y_true.shape != y_pred.shape:
            raise ValueError(f"y_true and y_pred must have the same shape for multilabel targets; "
                             f"got {y_true.shape} and {y_pred.shape}.")
        return y_type, y_true, y_pred
    y_true, y_pred = column_or_1d(y_true, name="y_true"), column_or_1d(y_pred, name="y_pred")
    if (y_true.dtype.kind in "USO") != (y_pred.dtype.kind in "USO"):
        raise ValueError("Mix of label input types (string and number); got "
                         f"y_true={y_true[:5]!r}... and y_pred={y_pred[:5]!r}...")
    return y_type, y_true, y_pred


def _encode(y: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Index of each value of ``y`` in ``labels``, or -1 when it is not there."""
    sorter = np.argsort(labels, kind="mergesort")
    pos = np.minimum(np.searchsorted(labels, y, sorter=sorter), len(labels) - 1)
    idx = sorter[pos]
    return np.where(labels[idx] == y, idx, -1)


def _weighted_mean(values: np.ndarray, sample_weight: Any, normalize: bool) -> float:
    if sample_weight is not None:
        sample_weight = column_or_1d(sample_weight, name="sample_weight")
    if normalize:
        return float(np.average(values, weights=sample_weight))
    if sample_weight is None:
        return float(np.sum(values))
    return float(np.dot(values, sample_weight))


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: bool = True,
                   sample_weight: Any = None) -> float:
    """Fraction (or, with ``normalize=False``, weighted count) of correctly predicted rows.

    For multilabel indicator targets a row counts only if every label matches (subset accuracy).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        True labels.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_labels)
        Predicted labels.
    normalize : bool, default=True
        Return the fraction; otherwise the (weighted) number of correct rows.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    score : float
    """
    y_type, y_true, y_pred = _check_targets(y_true, y_pred)
    check_consistent_length(y_true, y_pred, sample_weight)
    if y_type == "multilabel-indicator":
        correct = np.all(y_true == y_pred, axis=1)
    else:
        correct = y_true == y_pred
    return _weighted_mean(correct, sample_weight, normalize)


def log_loss(y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None,
             labels: Any = None) -> float:
    """Cross-entropy of predicted probabilities: ``-mean(sum_k [y == k] log p_k)``.

    Probabilities are clipped to ``[eps, 1 - eps]`` with ``eps`` the machine epsilon of their
    dtype, and not renormalised afterwards (as scikit-learn 1.9); rows that do not sum to 1 give a
    ``UserWarning``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        True labels (or a multilabel indicator matrix).
    y_pred : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted probabilities, columns in the sorted order of the labels. A 1-D array (or one
        column) is the probability of the greater label of a binary problem.
    normalize : bool, default=True
        Mean loss per row; otherwise the (weighted) sum.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    labels : array-like, default=None
        All the class labels, when ``y_true`` does not contain every class.

    Returns
    -------
    loss : float
    """
    y_pred = check_array(y_pred, name="y_pred", ensure_2d=False)
    check_consistent_length(y_pred, y_true, sample_weight)
    y_true = np.asarray(y_true)
    source = y_true if labels is None else np.asarray(labels)
    kind = type_of_target(source)
    if kind not in _LABEL_TYPES:
        who = "y_true" if labels is None else "labels"
        raise ValueError(f"Unknown label type: log_loss needs class labels; {who} is {kind}.")
    if kind == "multilabel-indicator" or (y_true.ndim == 2 and y_true.shape[1] > 1):
        classes = np.arange(y_true.shape[1])
        onehot = y_true.astype(np.float64)
    else:
        y_true = column_or_1d(y_true, name="y_true")
        classes = np.unique(source)
        if len(classes) == 1:
            raise ValueError(f"y_true contains only one label ({classes[0]}). Please provide the "
                             "list of all expected class labels explicitly through the labels "
                             "argument.")
        unknown = np.setdiff1d(y_true, classes)
        if unknown.size:
            raise ValueError(f"y_true contains values {set(unknown.tolist())} not belonging to the "
                             f"passed labels {classes.tolist()}.")
        onehot = (y_true[:, None] == classes[None, :]).astype(np.float64)
        if len(classes) == 2:
            # Binary labels are binarised to one column t, then expanded to [1 - t, t].
            t = onehot[:, 1:]
            onehot = np.hstack([1 - t, t])
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    if y_pred.shape[1] == 1:
        y_pred = np.hstack([1 - y_pred, y_pred])
    eps = np.finfo(y_pred.dtype).eps
    if not np.allclose(y_pred.sum(axis=1), 1, rtol=np.sqrt(eps)):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.",
                      UserWarning, stacklevel=2)
    y_pred = np.clip(y_pred, eps, 1 - eps)
    if len(classes) != y_pred.shape[1]:
        if labels is None:
            raise ValueError(f"y_true and y_prob contain different number of classes: "
                             f"{len(classes)} vs {y_pred.shape[1]}. Please provide the true labels "
                             f"explicitly through the labels argument. Classes found in y_true: "
                             f"{classes}")
        raise ValueError("The number of classes in labels is different from that in y_prob. "
                         f"Classes found in labels: {classes}")
    # y_pred is clipped, so log is finite and 0 * log(p) = 0; float32 input stays float32.
    loss = -(onehot.astype(y_pred.dtype) * np.log(y_pred)).sum(axis=1)
    return _weighted_mean(loss, sample_weight, normalize)


_ZERO_DIVISION = ("warn", 0.0, 1.0)


def f1_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
             average: str | None = "binary", sample_weight: Any = None,
             zero_division: Any = "warn") -> float | np.ndarray:
    """F1 score ``2 TP / (2 TP + FP + FN)``, per label then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        True labels (or a multilabel indicator matrix).
    y_pred : array-like of shape (n_samples,) or (n_samples, n_labels)
        Predicted labels.
    labels : array-like, default=None
        Labels to score (and their order when ``average=None``); by default every label in
        ``y_true`` or ``y_pred``, sorted. Ignored for ``average='binary'``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted'} or None, default='binary'
        'binary': F1 of ``pos_label`` (binary targets only); 'micro': from the TP/FP/FN summed
        over labels; 'macro': unweighted mean over labels; 'weighted': mean weighted by support;
        None: the per-label scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    zero_division : {'warn', 0.0, 1.0, np.nan}, default='warn'
        The score of a label with no true and no predicted rows ('warn' = 0.0 with an
        :class:`UndefinedMetricWarning`).

    Returns
    -------
    score : float, or ndarray of shape (n_labels,) when ``average=None``
    """
    if average not in ("binary", "micro", "macro", "weighted", None):
        raise ValueError("The 'average' parameter of f1_score must be one of 'binary', 'micro', "
                         f"'macro', 'weighted' or None. Got {average!r} instead.")
    zero_nan = isinstance(zero_division, float) and np.isnan(zero_division)
    if not zero_nan and not any(zero_division == z for z in _ZERO_DIVISION):
        raise ValueError("The 'zero_division' parameter of f1_score must be one of 'warn', 0.0, "
                         f"1.0 or np.nan. Got {zero_division!r} instead.")
    y_type, y_true, y_pred = _check_targets(y_true, y_pred)
    check_consistent_length(y_true, y_pred, sample_weight)
    w = (np.ones(y_true.shape[0]) if sample_weight is None
         else column_or_1d(sample_weight, name="sample_weight").astype(np.float64))
    if y_type == "multilabel-indicator":
        present = np.arange(y_true.shape[1])
    else:
        present = np.union1d(y_true, y_pred)
    if average == "binary":
        if y_type != "binary":
            raise ValueError(f"Target is {y_type} but average='binary'. Please choose another "
                             "average setting, one of [None, 'micro', 'macro', 'weighted'].")
        if pos_label not in present and len(present) >= 2:
            raise ValueError(f"pos_label={pos_label!r} is not a valid label. It should be one of "
                             f"{present}")
        labels = [pos_label]
    elif labels is None:
        labels = present
    labels = np.asarray(labels)

    if y_type == "multilabel-indicator":
        true_hit, pred_hit = y_true[:, labels] == 1, y_pred[:, labels] == 1
        tp = w @ (true_hit & pred_hit)
        true_sum, pred_sum = w @ true_hit, w @ pred_hit
    else:
        # Per-label weighted counts summed row by row (bincount), as scikit-learn does, so the
        # scores agree to the last bit.
        t, p = _encode(y_true, labels), _encode(y_pred, labels)
        hit = (t == p) & (t >= 0)
        tp = np.bincount(t[hit], weights=w[hit], minlength=len(labels))
        true_sum = np.bincount(t[t >= 0], weights=w[t >= 0], minlength=len(labels))
        pred_sum = np.bincount(p[p >= 0], weights=w[p >= 0], minlength=len(labels))
    # Round trip through FP and FN, as scikit-learn's confusion matrices do.
    true_sum, pred_sum = tp + (true_sum - tp), tp + (pred_sum - tp)
    if average == "micro":
        tp, true_sum, pred_sum = (np.array([a.sum()]) for a in (tp, true_sum, pred_sum))

    denom = true_sum + pred_sum  # = 2 TP + FP + FN
    undefined = denom == 0
    fill = np.nan if zero_nan else (0.0 if zero_division == "warn" else float(zero_division))
    scores = np.where(undefined, fill, 2 * tp / np.where(undefined, 1, denom))
    if zero_division == "warn" and undefined.any():
        warnings.warn("F-score is ill-defined and being set to 0.0 due to no true nor predicted "
                      "samples. Use `zero_division` parameter to control this behavior.",
                      UndefinedMetricWarning, stacklevel=2)
    if average is None:
        return scores
    weights = true_sum if average == "weighted" else None
    if average == "weighted" and true_sum.sum() == 0:
        return fill
    if zero_nan:  # NaN labels are left out of the mean; all NaN gives NaN
        keep = ~np.isnan(scores)
        if not keep.any():
            return np.nan
        scores, weights = scores[keep], None if weights is None else weights[keep]
    return float(np.average(scores, weights=weights))
