"""Regression metrics: mean squared error and R², with scikit-learn's conventions."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..utils.validation import check_array, check_consistent_length, column_or_1d
from ._classification import UndefinedMetricWarning

_MULTIOUTPUT = ("raw_values", "uniform_average", "variance_weighted")


def _check_reg_targets(y_true: Any, y_pred: Any, sample_weight: Any, multioutput: Any,
                       allowed: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, Any, Any]:
    """Both targets as finite float 2-D arrays ``(n_samples, n_outputs)``, plus checked weights
    and ``multioutput`` (a name or an array of output weights)."""
    check_consistent_length(y_true, y_pred, sample_weight)
    y_true = check_array(y_true, name="y_true", ensure_2d=False)
    y_pred = check_array(y_pred, name="y_pred", ensure_2d=False)
    y_true = y_true.reshape(-1, 1) if y_true.ndim == 1 else y_true
    y_pred = y_pred.reshape(-1, 1) if y_pred.ndim == 1 else y_pred
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(f"y_true and y_pred have different number of output "
                         f"({y_true.shape[1]}!={y_pred.shape[1]})")
    if sample_weight is not None:
        sample_weight = column_or_1d(sample_weight, name="sample_weight").astype(np.float64)
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(f"multioutput must be one of {allowed} or an array of output "
                             f"weights; got {multioutput!r}.")
    else:
        multioutput = check_array(multioutput, name="multioutput", ensure_2d=False)
        if y_true.shape[1] == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape != (y_true.shape[1],):
            raise ValueError(f"There must be equally many custom weights ({multioutput.shape[0]})"
                             f" as outputs ({y_true.shape[1]}).")
    return y_true, y_pred, sample_weight, multioutput


def _aggregate(scores: np.ndarray, multioutput: Any) -> float | np.ndarray:
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return scores
        multioutput = None  # uniform average
    return float(np.average(scores, weights=multioutput))


def mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                       multioutput: str | Any = "uniform_average") -> float | np.ndarray:
    """Mean (optionally weighted) of the squared errors, per output then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True targets.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Predicted targets.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    multioutput : {'raw_values', 'uniform_average'} or array-like of shape (n_outputs,)
        'raw_values' returns one error per output; otherwise their (weighted) mean.

    Returns
    -------
    loss : float, or ndarray of shape (n_outputs,) for 'raw_values'
    """
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _MULTIOUTPUT[:2])
    errors = np.average((y_true - y_pred) ** 2, axis=0, weights=sample_weight)
    return _aggregate(errors, multioutput)


def r2_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
             multioutput: str | Any = "uniform_average") -> float | np.ndarray:
    """Coefficient of determination ``1 - SS_res / SS_tot``, per output then averaged.

    A constant ``y_true`` (``SS_tot == 0``) gives 1.0 for a perfect prediction and 0.0 otherwise
    (scikit-learn's ``force_finite=True``). Fewer than two rows give NaN with an
    :class:`UndefinedMetricWarning`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True targets.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Predicted targets.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    multioutput : {'raw_values', 'uniform_average', 'variance_weighted'} or array-like of \
shape (n_outputs,), default='uniform_average'
        'raw_values' returns one score per output; 'variance_weighted' weights each output by
        the variance of its ``y_true``; otherwise the (weighted) mean.

    Returns
    -------
    score : float, or ndarray of shape (n_outputs,) for 'raw_values'
    """
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _MULTIOUTPUT)
    if y_true.shape[0] < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.",
                      UndefinedMetricWarning, stacklevel=2)
        return np.nan
    w = np.ones((y_true.shape[0], 1)) if sample_weight is None else sample_weight[:, None]
    ss_res = (w * (y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = (w * (y_true - np.average(y_true, axis=0, weights=w[:, 0])) ** 2).sum(axis=0)
    defined = ss_tot != 0
    scores = np.where(ss_res == 0, 1.0, 0.0)  # the force_finite values for SS_tot == 0
    scores[defined] = 1 - ss_res[defined] / ss_tot[defined]
    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        # All outputs constant: no variance to weight by, fall back to a uniform mean.
        multioutput = ss_tot if defined.any() else "uniform_average"
    return _aggregate(scores, multioutput)
