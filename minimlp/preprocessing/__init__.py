"""Feature scaling with scikit-learn's arithmetic: StandardScaler and MinMaxScaler."""

from ._data import MinMaxScaler, StandardScaler

__all__ = ["MinMaxScaler", "StandardScaler"]
