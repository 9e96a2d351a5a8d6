"""minimlp: a from-scratch multilayer perceptron and hyperparameter search, without scikit-learn.

Importing minimlp is cheap: numba and the kernels load on the first fit, not here.
"""

from .base import clone
from .neural_network import MLPClassifier, MLPRegressor

__version__ = "0.1.0"
__all__ = ["MLPClassifier", "MLPRegressor", "clone", "__version__"]
