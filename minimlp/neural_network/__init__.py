"""The multilayer perceptron: estimators, numba kernels and their NumPy reference twin."""

from ._multilayer_perceptron import MLPClassifier, MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]
