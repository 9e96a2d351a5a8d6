"""The estimator contract: parameters from the constructor, ``clone``, and the ``score`` mixins.

Every estimator stores its keyword arguments unchanged in ``__init__``; validation happens in
``fit``; fitted attributes end in ``_``. ``get_params`` reads the constructor signature, so
``clone(est)`` rebuilds an unfitted copy with the same parameters.
"""

from __future__ import annotations

import copy
import functools
import inspect
from typing import Any


class BaseEstimator:
    """Base class giving ``get_params`` / ``set_params`` / ``repr`` from the constructor."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        return list(_param_names(cls.__init__))

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of this estimator (and, if ``deep``, of nested estimators as ``a__b``)."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> BaseEstimator:
        """Set parameters; unknown names raise ``ValueError`` listing the valid ones."""
        valid = self.get_params(deep=True)
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(k for k in valid if '__' not in k)!r}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            # From get_params, not getattr: a Pipeline's steps are parameters by their names.
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default
            for p in inspect.signature(type(self).__init__).parameters.values()
            if p.default is not p.empty
        }
        changed = []
        for k, v in self.get_params(deep=False).items():
            d = defaults.get(k, inspect.Parameter.empty)
            same = v is d or (type(v) is type(d) and _safe_equal(v, d))
            if not same:
                changed.append(f"{k}={v!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __getstate__(self):
        return self.__dict__.copy()


@functools.cache
def _param_names(init: Any) -> tuple[str, ...]:
    """The constructor's parameter names, sorted (cached: fit reads them every call)."""
    if init is object.__init__:
        return ()
    params = inspect.signature(init).parameters.values()
    return tuple(sorted(p.name for p in params if p.name != "self" and p.kind != p.VAR_KEYWORD))


def _safe_equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def clone(estimator: Any, *, safe: bool = True) -> Any:
    """An unfitted copy of ``estimator`` with deep copies of its parameters.

    Lists, tuples and sets of estimators are cloned element by element. A ``RandomState``
    passed as ``random_state`` is deep-copied, as in scikit-learn, so every clone starts from the
    same state.
    """
    if isinstance(estimator, (list, tuple, set, frozenset)):
        return type(estimator)(clone(e, safe=safe) for e in estimator)
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        if not safe:
            return copy.deepcopy(estimator)
        raise TypeError(
            f"Cannot clone object {estimator!r} (type {type(estimator).__name__}): it does not "
            "implement a 'get_params' method."
        )
    params = estimator.get_params(deep=False)
    new_params = {k: clone(v, safe=False) for k, v in params.items()}
    return type(estimator)(**new_params)


def is_classifier(estimator: Any) -> bool:
    """True when ``estimator`` is a classifier (``_estimator_type == 'classifier'``)."""
    return getattr(estimator, "_estimator_type", None) == "classifier"


def is_regressor(estimator: Any) -> bool:
    """True when ``estimator`` is a regressor (``_estimator_type == 'regressor'``)."""
    return getattr(estimator, "_estimator_type", None) == "regressor"


class ClassifierMixin:
    """``score`` = accuracy (subset accuracy for multilabel targets)."""

    _estimator_type = "classifier"

    def score(self, X, y) -> float:
        """Fraction of rows whose predicted label equals ``y`` (all labels, for multilabel)."""
        from .metrics import accuracy_score

        return accuracy_score(y, self.predict(X))


class RegressorMixin:
    """``score`` = coefficient of determination R² (uniform average over outputs)."""

    _estimator_type = "regressor"

    def score(self, X, y) -> float:
        """R² of the prediction: ``1 - SS_res / SS_tot``, averaged uniformly over outputs."""
        from .metrics import r2_score

        return r2_score(y, self.predict(X))

