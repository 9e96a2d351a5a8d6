"""Synthetic data generators with scikit-learn's random-number order."""

from ._samples_generator import Bunch, make_classification, make_regression

__all__ = ["Bunch", "make_classification", "make_regression"]
