"""Scorers: ``scorer(estimator, X, y) -> float``, greater is better.

A scorer gets the estimator's response (``predict``, ``predict_proba`` or ``decision_function``)
on ``X`` and compares it with ``y`` through a metric, negated for losses (``neg_*``). Scorers are
instances of module-level classes holding module-level functions, so they pickle and can be sent
to worker processes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._classification import accuracy_score, f1_score, log_loss
from ._ranking import roc_auc_score
from ._regression import mean_squared_error, r2_score

_RESPONSE_METHODS = ("predict", "predict_proba", "decision_function")


class _Scorer:
    """Score ``sign * score_func(y, response(X), **kwargs)``.

    ``response_method`` is a method name or a tuple of names tried in order (the first one the
    estimator has is used). For a binary classifier, ``predict_proba`` is reduced to the column
    of its greater class, ``classes_[-1]``, as scikit-learn does.
    """

    def __init__(self, score_func: Callable, sign: int, kwargs: dict[str, Any],
                 response_method: str | tuple[str, ...]) -> None:
        self._score_func = score_func
        self._sign = sign
        self._kwargs = kwargs
        self._response_method = response_method

    def _response(self, estimator: Any, X: Any) -> np.ndarray:
        methods = self._response_method
        methods = (methods,) if isinstance(methods, str) else methods
        for name in methods:
            method = getattr(estimator, name, None)
            if method is not None:
                break
        else:
            raise AttributeError(f"{type(estimator).__name__} has none of the following "
                                 f"attributes: {', '.join(methods)}.")
        out = method(X)
        if name == "predict_proba" and np.ndim(out) == 2 and np.shape(out)[1] == 2:
            out = out[:, 1]  # binary: the probability of classes_[-1]
        return out

    def __call__(self, estimator: Any, X: Any, y_true: Any, sample_weight: Any = None) -> float:
        """Score of the fitted ``estimator`` on ``(X, y_true)``.

        Parameters
        ----------
        estimator : fitted estimator
            Has the method(s) named by ``response_method``.
        X : array-like of shape (n_samples, n_features)
            Input rows.
        y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights passed to the metric.

        Returns
        -------
        score : float
        """
        kwargs = dict(self._kwargs)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self._sign * self._score_func(y_true, self._response(estimator, X), **kwargs)

    def __repr__(self) -> str:
        args = [self._score_func.__name__]
        if self._sign < 0:
            args.append("greater_is_better=False")
        if self._response_method != "predict":
            args.append(f"response_method={self._response_method!r}")
        args += [f"{k}={v!r}" for k, v in self._kwargs.items()]
        return f"make_scorer({', '.join(args)})"


class _PassthroughScorer:
    """The scorer for ``scoring=None``: ``estimator.score(X, y)``."""

    def __call__(self, estimator: Any, X: Any, y_true: Any, sample_weight: Any = None) -> float:
        if sample_weight is not None:
            return estimator.score(X, y_true, sample_weight=sample_weight)
        return estimator.score(X, y_true)

    def __repr__(self) -> str:
        return "_PassthroughScorer()"


def make_scorer(score_func: Callable, *, greater_is_better: bool = True,
                response_method: str | tuple[str, ...] = "predict", **kwargs: Any) -> _Scorer:
    """Turn a metric ``score_func(y_true, y_pred, **kwargs)`` into a scorer.

    Parameters
    ----------
    score_func : callable
        The metric.
    greater_is_better : bool, default=True
        False for a loss: the scorer returns its negation.
    response_method : {'predict', 'predict_proba', 'decision_function'} or tuple of them
        The estimator method giving ``y_pred``; for a tuple, the first one available.
    **kwargs
        Extra keyword arguments for ``score_func``.

    Returns
    -------
    scorer : callable ``scorer(estimator, X, y) -> float``
    """
    if not callable(score_func):
        raise TypeError(f"score_func must be callable; got {score_func!r}.")
    methods = (response_method,) if isinstance(response_method, str) else response_method
    if (not isinstance(methods, tuple) or not methods
            or any(m not in _RESPONSE_METHODS for m in methods)):
        raise ValueError(f"response_method must be one of {_RESPONSE_METHODS} or a tuple of "
                         f"them; got {response_method!r}.")
    return _Scorer(score_func, 1 if greater_is_better else -1, kwargs, response_method)


_SCORERS = {
    "accuracy": make_scorer(accuracy_score),
    "neg_log_loss": make_scorer(log_loss, greater_is_better=False,
                                response_method="predict_proba"),
    "f1": make_scorer(f1_score),
    "f1_macro": make_scorer(f1_score, average="macro"),
    "f1_weighted": make_scorer(f1_score, average="weighted"),
    "roc_auc": make_scorer(roc_auc_score,
                           response_method=("decision_function", "predict_proba")),
    "neg_mean_squared_error": make_scorer(mean_squared_error, greater_is_better=False),
    "r2": make_scorer(r2_score),
}


def get_scorer_names() -> list[str]:
    """Names accepted by :func:`get_scorer`, sorted.

    Returns
    -------
    names : list of str
    """
    return sorted(_SCORERS)


def get_scorer(scoring: str | Callable) -> Callable:
    """The named scorer, or ``scoring`` itself when it is callable.

    Parameters
    ----------
    scoring : str or callable
        A name from :func:`get_scorer_names`, or a scorer.

    Returns
    -------
    scorer : callable ``scorer(estimator, X, y) -> float``
    """
    if isinstance(scoring, str):
        try:
            return _SCORERS[scoring]
        except KeyError:
            raise ValueError(f"{scoring!r} is not a valid scoring value. Use "
                             f"minimlp.metrics.get_scorer_names() to get valid options: "
                             f"{get_scorer_names()}.") from None
    if callable(scoring):
        return scoring
    raise ValueError(f"scoring must be a str or a callable; got {scoring!r}.")


def _is_metric_function(scoring: Any) -> bool:
    """True for a metric of this package (``f(y_true, y_pred)``), a common mistake for a scorer."""
    module = getattr(scoring, "__module__", "") or ""
    return module.startswith("minimlp.metrics.") and not module.endswith("_scorer")


def check_scoring(estimator: Any, scoring: str | Callable | None = None) -> Callable:
    """One scorer for ``estimator``.

    Parameters
    ----------
    estimator : estimator
        The estimator to be scored.
    scoring : str, callable or None, default=None
        A scorer name, a scorer, or None for the estimator's own ``score`` method.

    Returns
    -------
    scorer : callable ``scorer(estimator, X, y) -> float``
    """
    if scoring is None:
        if not hasattr(estimator, "score"):
            raise TypeError("If no scoring is specified, the estimator passed should have a "
                            f"'score' method. The estimator {estimator!r} does not.")
        return _PassthroughScorer()
    if isinstance(scoring, str):
        return get_scorer(scoring)
    if callable(scoring):
        if _is_metric_function(scoring):
            raise ValueError(f"scoring value {scoring.__name__!r} looks like a metric function "
                             "rather than a scorer. A scorer takes an estimator as its first "
                             "parameter: use make_scorer to turn a metric into a scorer.")
        return scoring
    if isinstance(scoring, (list, tuple, set, dict)):
        raise ValueError(f"check_scoring takes a single scorer; got {scoring!r}. Use "
                         "check_multimetric_scoring for several metrics.")
    raise ValueError(f"scoring value should either be a callable, string or None. {scoring!r} "
                     "was passed.")


def check_multimetric_scoring(estimator: Any, scoring: Any) -> dict[str, Callable]:
    """Several named scorers, in the order given.

    Parameters
    ----------
    estimator : estimator
        The estimator to be scored.
    scoring : list, tuple or set of str, or dict of str -> (str or callable)
        Unique scorer names, or result names mapped to scorer names or scorers.

    Returns
    -------
    scorers : dict of str -> callable
    """
    if isinstance(scoring, dict):
        if not scoring:
            raise ValueError(f"An empty dict was passed as scoring: {scoring!r}.")
        if not all(isinstance(k, str) for k in scoring):
            raise ValueError("Non-string types were found in the keys of the given dict. "
                             f"scoring={scoring!r}")
        return {k: check_scoring(estimator, v) for k, v in scoring.items()}
    if not isinstance(scoring, (list, tuple, set)):
        raise ValueError(f"scoring is invalid (got {scoring!r}): use a list, tuple or set of "
                         "scorer names, or a dict of name -> scorer.")
    if not scoring:
        raise ValueError(f"An empty list was given as scoring: {scoring!r}.")
    if any(callable(s) for s in scoring):
        raise ValueError("One or more of the elements were callables. Use a dict of score name "
                         f"mapped to the scorer callable. Got {scoring!r}")
    if not all(isinstance(s, str) for s in scoring):
        raise ValueError(f"Non-string types were found in the given list. Got {scoring!r}")
    if len(set(scoring)) != len(scoring):
        raise ValueError(f"Duplicate elements were found in the given list. {scoring!r}")
    return {name: get_scorer(name) for name in scoring}
