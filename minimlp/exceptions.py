"""Warnings and errors raised by minimlp, under scikit-learn's names."""


class NotFittedError(ValueError, AttributeError):
    """Raised when a method that needs a fitted estimator is called before ``fit``."""


class ConvergenceWarning(UserWarning):
    """The optimizer stopped at ``max_iter`` before its stopping rule fired."""


class FitFailedWarning(RuntimeWarning):
    """One or more fits of a search failed and were given ``error_score``."""


class DataConversionWarning(UserWarning):
    """Input data were converted (for example a column-vector ``y`` flattened)."""
