"""Metrics (classification, ranking, regression) and scorers with scikit-learn's conventions."""

from ._classification import UndefinedMetricWarning, accuracy_score, f1_score, log_loss
from ._ranking import roc_auc_score
from ._regression import mean_squared_error, r2_score
from ._scorer import (
    check_multimetric_scoring,
    check_scoring,
    get_scorer,
    get_scorer_names,
    make_scorer,
)

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score",
    "check_multimetric_scoring",
    "check_scoring",
    "f1_score",
    "get_scorer",
    "get_scorer_names",
    "log_loss",
    "make_scorer",
    "mean_squared_error",
    "r2_score",
    "roc_auc_score",
]
