"""Ranking metrics: area under the ROC curve for binary targets."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..utils.validation import check_array, check_consistent_length, column_or_1d, type_of_target
from ._classification import UndefinedMetricWarning


def roc_auc_score(y_true: Any, y_score: Any, *, sample_weight: Any = None) -> float:
    """Area under the ROC curve of a binary problem (trapezoidal rule).

    Tied scores form one ROC point, so the area equals the Mann-Whitney statistic with average
    ranks: ``P(score_pos > score_neg) + P(score_pos == score_neg) / 2``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels; the greater label (in sorted order) is the positive class.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (a probability, a decision function, ...).
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    auc : float
        NaN, with an :class:`UndefinedMetricWarning`, when ``y_true`` has a single class.
    """
    check_consistent_length(y_true, y_score, sample_weight)
    kind = type_of_target(y_true)
    if kind != "binary":
        raise ValueError(f"roc_auc_score supports binary y_true only; got a {kind} target.")
    y_true = column_or_1d(y_true, name="y_true")
    y_score = check_array(y_score, name="y_score", ensure_2d=False)
    y_score = column_or_1d(y_score, name="y_score")
    classes = np.unique(y_true)
    if len(classes) < 2:
        warnings.warn("Only one class is present in y_true. ROC AUC score is not defined in "
                      "that case.", UndefinedMetricWarning, stacklevel=2)
        return np.nan
    positive = y_true == classes[-1]
    if sample_weight is not None:
        w = column_or_1d(sample_weight, name="sample_weight").astype(np.float64)
        keep = w != 0  # zero-weight rows would add ROC points of their own
        positive, y_score, w = positive[keep], y_score[keep], w[keep]

    # The operations below follow scikit-learn's roc_curve step by step so that the area is
    # equal to the last bit, not just close.
    order = np.argsort(-y_score, kind="stable")  # descending; ties keep their input order
    score, positive = y_score[order], positive[order]
    # Last row of each run of tied scores: one ROC point per distinct threshold.
    ends = np.r_[np.flatnonzero(np.diff(score)), score.size - 1]
    if sample_weight is None:
        tps = np.cumsum(positive, dtype=np.float64)[ends]
        fps = 1 + ends - tps
    else:
        w = w[order]
        tps = np.cumsum(positive * w)[ends]
        fps = np.cumsum((1 - positive) * w)[ends]
    if len(fps) > 2:  # drop collinear points: same area, fewer terms
        corners = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps = fps[corners], tps[corners]
    tpr = np.r_[0.0, tps] / tps[-1]
    fpr = np.r_[0.0, fps] / fps[-1]
    return float((np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0).sum())
