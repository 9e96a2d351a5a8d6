"""Synthetic data generators with scikit-learn's random-number order."""

from ._base import load_breast_cancer
from ._samples_generator import Bunch, make_classification, make_regression

__all__ = ["Bunch", "load_breast_cancer", "make_classification", "make_regression"]
