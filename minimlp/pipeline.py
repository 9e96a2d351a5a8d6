"""Chain transformers and a final estimator so they are fitted and searched as one estimator.

``make_pipeline(StandardScaler(), MLPClassifier())`` is an estimator like any other: ``fit``
fits each transformer on the rows it is given and passes their transform on, so inside
cross-validation every fold's scaler sees that fold's training rows only. Its parameters are
its steps' parameters as ``step__param`` (``mlpclassifier__alpha``), which is how a grid
searches them; a whole step can be replaced too (``{'standardscaler': [MinMaxScaler(),
'passthrough']}``). Names and behaviour follow scikit-learn's ``Pipeline``.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from .base import BaseEstimator
from .utils._bunch import Bunch

__all__ = ["Pipeline", "make_pipeline"]

_SKIP = (None, "passthrough")  # a step that passes its input on unchanged


class _Delegated:
    """A pipeline method that exists only when its steps can do it (``hasattr`` says so).

    ``hasattr(pipe, 'predict_proba')`` is False when the final step has no ``predict_proba``,
    as scorers and users expect; ``check(pipe)`` decides.
    """

    def __init__(self, function: Any, check: Any):
        self.function, self.check = function, check
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, pipe: Any, owner: type | None = None) -> Any:
        if pipe is None:
            return self
        if not self.check(pipe):
            raise AttributeError(f"This {type(pipe).__name__}'s steps have no {self.name!r} "
                                 f"(final step: {type(pipe._final_estimator).__name__}).")
        return self.function.__get__(pipe, owner)


def _final_has(method: str) -> Any:
    """Decorator: the pipeline offers ``method`` when its final step does."""
    return lambda f: _Delegated(f, lambda pipe: hasattr(pipe._final_estimator, method))


def _transforms(pipe: Pipeline) -> bool:
    return pipe._final_estimator in _SKIP or hasattr(pipe._final_estimator, "transform")


class Pipeline(BaseEstimator):
    """A sequence of transformers ending in an estimator, fitted and used as one estimator.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Every step but the last must have ``fit`` (or ``fit_transform``) and ``transform``; the
        last must have ``fit``. Any step may be ``'passthrough'`` (or None) to skip it. Names
        must be unique, must not contain ``__`` and must not be a parameter name
        (``steps``, ``memory``, ``verbose``).
    memory : None, default=None
        Accepted for scikit-learn compatibility; minimlp does not cache fitted transformers, so
        only None is valid.
    verbose : bool, default=False
        Print the time each step took to fit.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name (``pipe.named_steps.standardscaler``).
    classes_ : ndarray of shape (n_classes,)
        The final step's classes.
    n_features_in_ : int
        The first step's.
    """

    def __init__(self, steps: list[tuple[str, Any]], *, memory: None = None,
                 verbose: bool = False):
        self.steps = steps
        self.memory = memory
        self.verbose = verbose

    # -------------------------------------------------------------------------- validation
    def _validate_steps(self) -> None:
        steps = self.steps
        if not isinstance(steps, list) or not steps or not all(
                isinstance(s, tuple) and len(s) == 2 for s in steps):
            raise TypeError("steps must be a non-empty list of (name, estimator) tuples, got "
                            f"steps={steps!r}.")
        names = [name for name, _ in steps]
        if not all(isinstance(n, str) for n in names):
            raise TypeError(f"Step names must be strings, got {names!r}.")
        twice = sorted(n for n, c in Counter(names).items() if c > 1)
        if twice:
            raise ValueError(f"Names provided are not unique: {names!r} (repeated: {twice!r}).")
        clash = sorted(set(names) & set(self._get_param_names()))
        if clash:
            raise ValueError(f"Estimator names conflict with constructor arguments: {clash!r}.")
        bad = [n for n in names if "__" in n]
        if bad:
            raise ValueError(f"Estimator names must not contain __: got {bad!r}.")
        for name, step in steps[:-1]:
            if step in _SKIP:
                continue
            if not (hasattr(step, "fit") or hasattr(step, "fit_transform")) or not hasattr(
                    step, "transform"):
                raise TypeError("All intermediate steps should be transformers and implement fit "
                                f"and transform or be the string 'passthrough'. Step {name!r}: "
                                f"{step!r} (type {type(step).__name__}) doesn't.")
        name, last = steps[-1]
        if last not in _SKIP and not hasattr(last, "fit"):
            raise TypeError("Last step of Pipeline should implement fit or be the string "
                            f"'passthrough'. Step {name!r}: {last!r} (type "
                            f"{type(last).__name__}) doesn't.")
        if self.memory is not None:
            raise ValueError(f"memory={self.memory!r}: minimlp's Pipeline does not cache "
                             "fitted transformers; use memory=None.")

    # -------------------------------------------------------------------------- parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters; if ``deep``, also each step by name and its ``step__param``."""
        out = super().get_params(deep=False)
        if not deep:
            return out
        self._validate_steps()
        out.update(self.steps)
        for name, step in self.steps:
            if hasattr(step, "get_params") and not isinstance(step, type):
                out.update((f"{name}__{k}", v) for k, v in step.get_params(deep=True).items())
        return out

    def set_params(self, **params: Any) -> Pipeline:
        """Set ``steps``, replace a step by name, or set ``step__param``."""
        if "steps" in params:
            self.steps = params.pop("steps")
        names = [name for name, _ in self.steps]
        for key in [k for k in params if k in names]:
            i = names.index(key)
            self.steps = [*self.steps[:i], (key, params.pop(key)), *self.steps[i + 1:]]
        super().set_params(**params)
        return self

    # -------------------------------------------------------------------------- access
    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int | str | slice) -> Any:
        """A step by position or name; a slice gives a Pipeline of those steps (not copies)."""
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("Pipeline slicing only supports a step of 1.")
            return type(self)(self.steps[index], memory=self.memory, verbose=self.verbose)
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    @property
    def named_steps(self) -> Bunch:
        """The steps by name."""
        return Bunch(**dict(self.steps))

    @property
    def _final_estimator(self) -> Any:
        return self.steps[-1][1]

    @property
    def _estimator_type(self) -> str | None:
        return getattr(self._final_estimator, "_estimator_type", None)

    @property
    def classes_(self) -> Any:
        """The final step's ``classes_``."""
        return self._final_estimator.classes_

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the first step in ``fit``."""
        return self.steps[0][1].n_features_in_

    @property
    def feature_names_in_(self) -> Any:
        """Names of the features seen by the first step in ``fit`` (string column names)."""
        return self.steps[0][1].feature_names_in_

    # -------------------------------------------------------------------------- fitting
    def _route(self, params: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """``step__key=value`` fit parameters, grouped by step name (steps validated first)."""
        self._validate_steps()
        routed: dict[str, dict[str, Any]] = {name: {} for name, _ in self.steps}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if not sep or name not in routed:
                raise ValueError(f"Pipeline.fit does not accept the parameter {key!r}: pass "
                                 f"fit parameters as step__parameter with a step among "
                                 f"{list(routed)!r}.")
            routed[name][sub] = value
        return routed

    def _log(self, i: int, start: float) -> None:
        if self.verbose:
            print(f"[Pipeline] ({i + 1} of {len(self.steps)}) Processing {self.steps[i][0]}, "
                  f"total={time.perf_counter() - start:6.1f}s", flush=True)

    def _fit_transformers(self, X: Any, y: Any, routed: dict[str, dict[str, Any]]) -> Any:
        """Fit every step but the last, each on the previous one's output; their output."""
        for i, (name, step) in enumerate(self.steps[:-1]):
            if step in _SKIP:
                continue
            start = time.perf_counter()
            if hasattr(step, "fit_transform"):
                X = step.fit_transform(X, y, **routed[name])
            else:
                X = step.fit(X, y, **routed[name]).transform(X)
            self._log(i, start)
        return X

    def fit(self, X: Any, y: Any = None, **params: Any) -> Pipeline:
        """Fit the transformers in turn, each on the previous output, then the final step.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        **params : fit parameters given as ``step__parameter=value``.

        Returns
        -------
        self : Pipeline
        """
        routed = self._route(params)
        Xt = self._fit_transformers(X, y, routed)
        name, last = self.steps[-1]
        if last not in _SKIP:
            start = time.perf_counter()
            last.fit(Xt, y, **routed[name])
            self._log(len(self.steps) - 1, start)
        return self

    def _transform_upto_last(self, X: Any) -> Any:
        for _, step in self.steps[:-1]:
            if step not in _SKIP:
                X = step.transform(X)
        return X

    def _final(self, method: str, X: Any, **kwargs: Any) -> Any:
        return getattr(self._final_estimator, method)(self._transform_upto_last(X), **kwargs)

    @_final_has("predict")
    def predict(self, X: Any) -> Any:
        """Transform ``X`` through the transformers, then the final step's ``predict``."""
        return self._final("predict", X)

    @_final_has("predict_proba")
    def predict_proba(self, X: Any) -> Any:
        """Transform ``X``, then the final step's ``predict_proba``."""
        return self._final("predict_proba", X)

    @_final_has("predict_log_proba")
    def predict_log_proba(self, X: Any) -> Any:
        """Transform ``X``, then the final step's ``predict_log_proba``."""
        return self._final("predict_log_proba", X)

    @_final_has("decision_function")
    def decision_function(self, X: Any) -> Any:
        """Transform ``X``, then the final step's ``decision_function``."""
        return self._final("decision_function", X)

    @_final_has("score")
    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Transform ``X``, then the final step's ``score`` (accuracy or R² for the MLPs)."""
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self._final("score", X, y=y, **kwargs)

    @_final_has("continue_fit")
    def continue_fit(self, X: Any, y: Any, max_iter: int | None = None) -> Pipeline:
        """Train the final step on from where it stopped; the fitted transformers stay as they are.

        ``X``, ``y`` must be the data of the last ``fit`` (see the MLPs' ``continue_fit``).
        """
        self._final("continue_fit", X, y=y, max_iter=max_iter)
        return self

    def _transform(self, X: Any) -> Any:
        X = self._transform_upto_last(X)
        return X if self._final_estimator in _SKIP else self._final_estimator.transform(X)

    transform = _Delegated(_transform, _transforms)
    transform.__doc__ = "Apply every step's ``transform`` in turn (the final step's too)."

    def _fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        routed = self._route(params)
        Xt = self._fit_transformers(X, y, routed)
        name, last = self.steps[-1]
        if last in _SKIP:
            return Xt
        if hasattr(last, "fit_transform"):
            return last.fit_transform(Xt, y, **routed[name])
        return last.fit(Xt, y, **routed[name]).transform(Xt)

    fit_transform = _Delegated(_fit_transform, _transforms)
    fit_transform.__doc__ = "Fit every step and return the last one's transform of ``X``."

    def _inverse_transform(self, X: Any) -> Any:
        for _, step in reversed(self.steps):
            if step not in _SKIP:
                X = step.inverse_transform(X)
        return X

    inverse_transform = _Delegated(_inverse_transform, lambda pipe: all(
        step in _SKIP or hasattr(step, "inverse_transform") for _, step in pipe.steps))
    inverse_transform.__doc__ = "Apply every step's ``inverse_transform``, last step first."


def _step_names(estimators: tuple[Any, ...]) -> list[str]:
    """Lower-cased class names; a name used twice or more is numbered ``-1``, ``-2``, ..."""
    names = [e if isinstance(e, str) else type(e).__name__.lower() for e in estimators]
    counts = Counter(names)
    seen: Counter[str] = Counter()
    for i, name in enumerate(names):
        if counts[name] > 1:
            seen[name] += 1
            names[i] = f"{name}-{seen[name]}"
    return names


def make_pipeline(*steps: Any, memory: None = None, verbose: bool = False) -> Pipeline:
    """A :class:`Pipeline` whose step names are the lower-cased class names.

    ``make_pipeline(StandardScaler(), MLPClassifier())`` names its steps ``standardscaler`` and
    ``mlpclassifier``; a class used twice gives ``standardscaler-1``, ``standardscaler-2``.
    """
    return Pipeline(list(zip(_step_names(steps), steps)), memory=memory, verbose=verbose)
