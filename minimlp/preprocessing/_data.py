"""StandardScaler and MinMaxScaler with scikit-learn 1.9's arithmetic.

Both scalers compute their statistics with the same NumPy operations, in the same order and at
the same precision as scikit-learn, so their fitted attributes and outputs agree with it to the
last bit or two. They differ from it only in being stricter about input: NaN, infinity, sparse
matrices and complex numbers are rejected with an error instead of being passed through.
"""

from __future__ import annotations

import numbers
import sys
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..base import BaseEstimator
from ..utils._param_validation import BOOLEAN, InvalidParameterError, Kind, validate_params
from ..utils.validation import check_array, check_is_fitted

_COPY_ARGUMENT = {"copy": [Kind((type(None), bool, np.bool_), "None or an instance of 'bool'")]}


# ------------------------------------------------------------------------------ input checks
def _feature_names(X: Any) -> np.ndarray | None:
    """The column names of a data frame when they are all strings, else None.

    Mixed string and non-string names are an error (scikit-learn's rule): they could not be
    checked reliably at ``transform`` time.
    """
    columns = getattr(X, "columns", None)
    if columns is None or isinstance(X, np.ndarray):
        return None
    names = np.asarray(columns, dtype=object)
    kinds = sorted({type(n).__name__ for n in names})
    is_str = [isinstance(n, str) for n in names]
    if names.size and all(is_str):
        return names
    if any(is_str):
        raise TypeError(
            "Feature names are only supported if all input features have string names, but "
            f"your input has {kinds} as feature name / column name types. Convert them all to "
            "strings (X.columns = X.columns.astype(str)) or to a non-string type."
        )
    return None


def _as_float_array(est: Any, X: Any, *, copy: bool, method: str) -> np.ndarray:
    """``X`` as a finite, non-empty 2-D float64 or float32 array.

    float32 stays float32; every other numeric dtype becomes float64. Except for ``fit``, which
    only reads it, the result may be written to: with ``copy=False`` it is ``X`` itself when
    ``X`` is already a writeable float array, so the caller's in-place arithmetic lands in the
    caller's array; otherwise it is a new array.
    """
    owner = type(est).__name__
    sparse = sys.modules.get("scipy.sparse")  # a sparse matrix cannot exist without it
    if sparse is not None and sparse.issparse(X):
        raise TypeError(f"{owner}.{method} does not support sparse input (got "
                        f"{type(X).__name__}); pass a dense array, for example X.toarray().")
    try:
        arr = np.asarray(X)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"X could not be converted to an array: {exc}") from None
    if arr.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: X has dtype {arr.dtype}; {owner} needs "
                         "real numbers.")
    from_caller = arr is X or arr.base is not None  # else np.asarray built a new array
    out = check_array(arr, estimator=owner)
    if copy and from_caller and np.may_share_memory(out, arr):
        out = out.copy(order="K")
    if method != "fit" and not out.flags.writeable:
        out = out.copy(order="K")
    return out


class _OneToOneScaler(BaseEstimator):
    """Shared bookkeeping of the scalers: input checks, feature counts and names."""

    _fitted_attribute = "n_samples_seen_"

    def _check_input(self, X: Any, *, copy: bool, method: str) -> np.ndarray:
        """Validate ``X`` for ``method`` and check it against what ``fit`` recorded.

        ``fit`` records ``n_features_in_`` (and ``feature_names_in_`` for a data frame with
        string column names); ``transform`` and ``inverse_transform`` check the width, and
        ``transform`` also the names, as scikit-learn does.
        """
        reset = method == "fit"
        names = _feature_names(X) if method != "inverse_transform" else None
        X = _as_float_array(self, X, copy=copy, method=method)
        owner = type(self).__name__
        if reset:
            self.n_features_in_ = X.shape[1]
            if names is not None:
                self.feature_names_in_ = names
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
            return X
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {owner} is expecting "
                             f"{self.n_features_in_} features as input.")
        if method == "transform":
            fitted = getattr(self, "feature_names_in_", None)
            if names is not None and fitted is None:
                warnings.warn(f"X has feature names, but {owner} was fitted without feature "
                              "names", UserWarning, stacklevel=3)
            elif names is None and fitted is not None:
                warnings.warn(f"X does not have valid feature names, but {owner} was fitted "
                              "with feature names", UserWarning, stacklevel=3)
            elif names is not None and not np.array_equal(names, fitted):
                raise ValueError(
                    "The feature names should match those that were passed during fit: "
                    f"fit saw {list(fitted)}, this X has {list(names)}."
                )
        return X

    def _fitted_input(self, X: Any, copy: bool | None, method: str) -> np.ndarray:
        """``X`` checked for ``transform`` / ``inverse_transform`` of a fitted scaler, copied
        unless ``copy`` (or, when None, the ``copy`` parameter) is False."""
        check_is_fitted(self, self._fitted_attribute)
        validate_params(f"{type(self).__name__}.{method}", {"copy": copy}, _COPY_ARGUMENT)
        copy = bool(self.copy if copy is None else copy)
        return self._check_input(X, copy=copy, method=method)

    def fit_transform(self, X: ArrayLike, y: Any = None) -> np.ndarray:
        """Fit to ``X``, then transform it (``fit(X).transform(X)``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
        """
        return self.fit(X, y).transform(X)

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> np.ndarray:
        """Names of the output features: the input names, since each column maps to one.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            None gives ``feature_names_in_`` when ``fit`` saw column names, else
            ``["x0", "x1", ...]``. Given names must match ``feature_names_in_`` (when set) and
            number ``n_features_in_``.

        Returns
        -------
        feature_names_out : ndarray of str objects, shape (n_features_in_,)
        """
        check_is_fitted(self, "n_features_in_")
        fitted = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if fitted is not None:
                return fitted.copy()
            return np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        names = np.asarray(input_features, dtype=object)
        if fitted is not None and not np.array_equal(fitted, names):
            raise ValueError("input_features is not equal to feature_names_in_")
        if len(names) != self.n_features_in_:
            raise ValueError("input_features should have length equal to number of features "
                             f"({self.n_features_in_}), got {len(names)}")
        return names


# ------------------------------------------------------------------------------ StandardScaler
class StandardScaler(_OneToOneScaler):
    """Standardize features: remove the mean and divide by the standard deviation.

    Each column ``x`` becomes

    .. math:: z = (x - \\bar{x}) / s, \\qquad s = \\sqrt{\\tfrac{1}{n}\\sum_i (x_i - \\bar{x})^2}

    (the population standard deviation, ``ddof=0``). Drop-in for
    ``sklearn.preprocessing.StandardScaler`` on dense data, with the same attributes and
    numbers.

    The variance uses the corrected two-pass algorithm (Chan, Golub and LeVeque, 1983), with
    float64 accumulators even for float32 input:

    .. math:: \\sigma^2 = \\frac{1}{n}\\Big(\\sum_i d_i^2 - \\frac{1}{n}\\big(\\sum_i d_i\\big)^2
              \\Big), \\qquad d_i = x_i - \\bar{x},

    where the second term cancels most of the rounding error of the first. A column whose
    variance is within the error bound of that algorithm,
    ``var <= n * eps * var + (n * mean * eps)**2`` (``eps`` of float64), is taken to be constant
    and gets ``scale_ = 1``, so it is centred but never divided by (near) zero.

    Parameters
    ----------
    copy : bool, default=True
        If False, ``transform`` and ``inverse_transform`` work in place when ``X`` is already a
        writeable float64 or float32 array (other input is converted, hence copied).
    with_mean : bool, default=True
        Subtract the mean.
    with_std : bool, default=True
        Divide by the standard deviation.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,), float64, or None
        Column means; None only when ``with_mean=False`` and ``with_std=False``.
    var_ : ndarray of shape (n_features,), float64, or None
        Column variances (``ddof=0``); None when ``with_std=False``.
    scale_ : ndarray of shape (n_features,), float64, or None
        ``sqrt(var_)`` with near-constant columns set to 1; None when ``with_std=False``.
    n_samples_seen_ : numpy.float64 or numpy.int64
        Number of rows seen by ``fit``. Like scikit-learn it is a float64 scalar when a mean or
        variance is computed and an int64 scalar when neither is.
    n_features_in_ : int
        Number of columns seen by ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,), dtype object
        Column names, set only when ``fit`` received a data frame whose names are all strings.

    Examples
    --------
    >>> from minimlp.preprocessing import StandardScaler
    >>> scaler = StandardScaler().fit([[0.0], [2.0], [4.0]])
    >>> scaler.mean_, scaler.var_
    (array([2.]), array([2.66666667]))
    >>> scaler.transform([[2.0], [5.0]]).ravel()
    array([0.        , 1.83711731])
    """

    _parameter_constraints = {"copy": [BOOLEAN], "with_mean": [BOOLEAN], "with_std": [BOOLEAN]}

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: ArrayLike, y: Any = None) -> StandardScaler:
        """Compute the column means and standard deviations of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Finite real numbers; float32 stays float32 in ``transform``, other dtypes become
            float64. The statistics are always float64.
        y : None
            Ignored.

        Returns
        -------
        self : StandardScaler
        """
        validate_params(type(self).__name__, self.get_params(deep=False),
                        self._parameter_constraints)
        X = self._check_input(X, copy=False, method="fit")  # read only: no copy needed
        n_samples = X.shape[0]
        if not self.with_mean and not self.with_std:
            self.mean_ = self.var_ = self.scale_ = None
            self.n_samples_seen_ = np.int64(n_samples)
            return self

        n = np.float64(n_samples)
        column_sum = X.sum(axis=0, dtype=np.float64)  # float64 accumulator for float32 X
        self.mean_ = column_sum / n
        self.n_samples_seen_ = n
        if not self.with_std:
            self.var_ = self.scale_ = None
            return self

        deviation = X - self.mean_  # float64, shape (n_samples, n_features)
        correction = deviation.sum(axis=0)  # sum(d_i): zero in exact arithmetic
        deviation **= 2
        self.var_ = (deviation.sum(axis=0) - correction**2 / n) / n
        eps = np.finfo(np.float64).eps
        constant = self.var_ <= n * eps * self.var_ + (n * self.mean_ * eps) ** 2
        scale = np.sqrt(self.var_)
        scale[constant] = 1.0
        self.scale_ = scale
        return self

    def transform(self, X: ArrayLike, copy: bool | None = None) -> np.ndarray:
        """Standardize ``X``: ``z = (x - mean_) / scale_`` column by column.

        The fitted statistics are cast to ``X``'s dtype first, so float32 in gives float32 out.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
        copy : bool or None, default=None
            None uses the ``copy`` parameter; False works in place when it can.

        Returns
        -------
        X_tr : ndarray of shape (n_samples, n_features_in_)
        """
        X = self._fitted_input(X, copy, "transform")
        if self.with_mean:
            X -= self.mean_.astype(X.dtype)
        if self.with_std:
            X /= self.scale_.astype(X.dtype)
        return X

    def inverse_transform(self, X: ArrayLike, copy: bool | None = None) -> np.ndarray:
        """Undo the standardization: ``x = z * scale_ + mean_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
        copy : bool or None, default=None
            None uses the ``copy`` parameter; False works in place when it can.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features_in_)
        """
        X = self._fitted_input(X, copy, "inverse_transform")
        if self.with_std:
            X *= self.scale_.astype(X.dtype)
        if self.with_mean:
            X += self.mean_.astype(X.dtype)
        return X


# ------------------------------------------------------------------------------ MinMaxScaler
def _check_feature_range(feature_range: Any) -> tuple[float, float]:
    ok = isinstance(feature_range, tuple) and len(feature_range) == 2 and all(
        isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) and np.isfinite(v)
        for v in feature_range)
    if not ok:
        raise InvalidParameterError(
            "The 'feature_range' parameter of MinMaxScaler must be a tuple of two finite "
            f"numbers (min, max). Got {feature_range!r} instead.")
    if feature_range[0] >= feature_range[1]:
        raise ValueError("Minimum of desired feature range must be smaller than maximum. "
                         f"Got {feature_range}.")
    return feature_range


class MinMaxScaler(_OneToOneScaler):
    """Scale each feature linearly so that its training range maps onto ``feature_range``.

    With ``(lo, hi) = feature_range``, each column ``x`` becomes

    .. math:: x' = x \\cdot \\mathrm{scale} + \\mathrm{min}, \\qquad
              \\mathrm{scale} = \\frac{hi - lo}{\\max(x) - \\min(x)}, \\qquad
              \\mathrm{min} = lo - \\min(x) \\cdot \\mathrm{scale},

    that is ``(x - min(x)) / (max(x) - min(x)) * (hi - lo) + lo``. A column whose range is
    below ``10 * eps`` of the data's dtype (a constant column) is scaled as if its range were 1,
    so it maps to ``lo`` instead of dividing by zero. Drop-in for
    ``sklearn.preprocessing.MinMaxScaler``, with the same attributes and numbers.

    Parameters
    ----------
    feature_range : tuple (min, max), default=(0, 1)
        Desired range of the transformed training data; ``min < max``, both finite.
    copy : bool, default=True
        If False, ``transform`` and ``inverse_transform`` work in place when ``X`` is already a
        writeable float64 or float32 array.
    clip : bool, default=False
        Clip the transformed values to ``feature_range`` (for data outside the training range).

    Attributes
    ----------
    min_ : ndarray of shape (n_features,)
        Per-column offset, ``lo - data_min_ * scale_``.
    scale_ : ndarray of shape (n_features,)
        Per-column factor, ``(hi - lo) / data_range_`` (range 1 for constant columns).
    data_min_, data_max_, data_range_ : ndarray of shape (n_features,)
        Column minimum, maximum and ``data_max_ - data_min_`` seen by ``fit``.
    n_samples_seen_ : int
        Number of rows seen by ``fit``.
    n_features_in_ : int
        Number of columns seen by ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,), dtype object
        Column names, set only when ``fit`` received a data frame whose names are all strings.

    The array attributes have ``X``'s dtype at ``fit`` (float32 for float32 input, as in
    scikit-learn; ``feature_range`` is converted to that dtype before the arithmetic).

    Examples
    --------
    >>> from minimlp.preprocessing import MinMaxScaler
    >>> scaler = MinMaxScaler(feature_range=(-1, 1)).fit([[0.0], [2.0], [4.0]])
    >>> scaler.scale_, scaler.min_
    (array([0.5]), array([-1.]))
    >>> scaler.transform([[1.0], [6.0]]).ravel()
    array([-0.5,  2. ])
    """

    _parameter_constraints = {"copy": [BOOLEAN], "clip": [BOOLEAN]}

    def __init__(self, feature_range: tuple[float, float] = (0, 1), *, copy: bool = True,
                 clip: bool = False):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def fit(self, X: ArrayLike, y: Any = None) -> MinMaxScaler:
        """Compute the column minimum and maximum of ``X`` and the affine map to the range.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Finite real numbers; the fitted arrays take ``X``'s float dtype (float32 or
            float64).
        y : None
            Ignored.

        Returns
        -------
        self : MinMaxScaler
        """
        lo, hi = _check_feature_range(self.feature_range)
        validate_params(type(self).__name__, self.get_params(deep=False),
                        self._parameter_constraints)
        X = self._check_input(X, copy=False, method="fit")
        lo, hi = np.asarray(lo, dtype=X.dtype), np.asarray(hi, dtype=X.dtype)
        data_min = X.min(axis=0)
        data_max = X.max(axis=0)
        data_range = data_max - data_min
        # A (near) zero range would blow the column up: treat it as a range of 1.
        safe_range = data_range.copy()
        safe_range[safe_range < 10 * np.finfo(X.dtype).eps] = 1.0
        self.scale_ = (hi - lo) / safe_range
        self.min_ = lo - data_min * self.scale_
        self.data_min_ = data_min
        self.data_max_ = data_max
        self.data_range_ = data_range
        self.n_samples_seen_ = X.shape[0]
        return self

    def transform(self, X: ArrayLike, copy: bool | None = None) -> np.ndarray:
        """Scale ``X``: ``x' = x * scale_ + min_`` (then clip to ``feature_range`` if ``clip``).

        ``X`` keeps its float dtype (float32 in gives float32 out).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
        copy : bool or None, default=None
            None uses the ``copy`` parameter; False works in place when it can.

        Returns
        -------
        X_tr : ndarray of shape (n_samples, n_features_in_)
        """
        X = self._fitted_input(X, copy, "transform")
        X *= self.scale_
        X += self.min_
        if self.clip:
            lo, hi = self.feature_range
            np.clip(X, np.asarray(lo, dtype=X.dtype), np.asarray(hi, dtype=X.dtype), out=X)
        return X

    def inverse_transform(self, X: ArrayLike, copy: bool | None = None) -> np.ndarray:
        """Undo the scaling: ``x = (x' - min_) / scale_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
        copy : bool or None, default=None
            None uses the ``copy`` parameter; False works in place when it can.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features_in_)
        """
        X = self._fitted_input(X, copy, "inverse_transform")
        X -= self.min_
        X /= self.scale_
        return X
