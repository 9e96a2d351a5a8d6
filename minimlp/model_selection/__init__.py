"""Splitters, parameter grids and cross-validated searches (scikit-learn's names and results)."""

from ._distributions import loguniform, randint, uniform
from ._halving import HalvingGridSearchCV, HalvingRandomSearchCV
from ._params import ParameterGrid, ParameterSampler
from ._search import BaseSearchCV, GridSearchCV, RandomizedSearchCV
from ._split import (
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    check_cv,
    train_test_split,
)
from ._validation import cross_val_score, cross_validate

__all__ = [
    "BaseSearchCV",
    "GridSearchCV",
    "HalvingGridSearchCV",
    "HalvingRandomSearchCV",
    "KFold",
    "ParameterGrid",
    "ParameterSampler",
    "RandomizedSearchCV",
    "ShuffleSplit",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "check_cv",
    "cross_val_score",
    "cross_validate",
    "loguniform",
    "randint",
    "train_test_split",
    "uniform",
]
