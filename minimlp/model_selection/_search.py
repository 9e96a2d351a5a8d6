"""Exhaustive and randomized hyper-parameter searches with scikit-learn's parameters and results.

``BaseSearchCV.fit`` validates everything first (parameters, scoring, refit, cv, candidate
names), computes the folds once, then evaluates the flat (candidate, fold) task list through
:func:`._validation._evaluate`, optionally resuming from a journal. ``cv_results_``, ``best_*``
and refit follow scikit-learn 1.9 (see the spec, section 5).
"""

from __future__ import annotations

import contextlib
import numbers
import os
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..base import BaseEstimator, clone, is_classifier
from ..exceptions import NotFittedError
from ._journal import Journal, search_digest, split_digest, task_key
from ._params import ParameterGrid, ParameterSampler
from ._split import check_cv
from ._validation import (
    _check_error_score,
    _check_n_jobs,
    _check_scorers,
    _evaluate,
    _prepare,
    _score_arrays,
    _score_names,
    _Shared,
)

_MULTIMETRIC_REFIT = (
    "For multi-metric scoring, the parameter refit must be set to a scorer key or a callable to "
    "refit an estimator with the best parameter setting on the whole data and make the best_* "
    "attributes available for that metric. If this is not needed, refit should be set to False "
    "explicitly. {!r} was passed."
)


class _DelegatedToBest:
    """A method or attribute of ``best_estimator_``; missing (AttributeError) when refit=False
    or when the estimator has no such attribute, so ``hasattr`` tells the truth."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, search: Any, owner: type | None = None) -> Any:
        if search is None:
            return self
        search._check_refit(self.name)
        if hasattr(search, "best_estimator_"):
            return getattr(search.best_estimator_, self.name)
        getattr(search.estimator, self.name)  # AttributeError if the estimator lacks it
        raise NotFittedError(f"This {type(search).__name__} instance is not fitted yet. Call "
                             "'fit' with appropriate arguments before using this estimator.")


def _rank_min(means: np.ndarray) -> np.ndarray:
    """Rank 1 = highest mean, ties share the smallest rank; NaN ranks last; all NaN -> all 1."""
    if np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    return (np.searchsorted(np.sort(-filled), -filled, side="left") + 1).astype(np.int32)


def _param_column(values: list[Any], present: list[int], n: int) -> np.ma.MaskedArray:
    """A masked column with numpy's inferred dtype, or object for strings / nd / ragged values."""
    try:
        inferred = np.array(values)
        dtype = object if inferred.ndim > 1 or inferred.dtype.kind in "USO" else inferred.dtype
    except (ValueError, TypeError):
        dtype = object
    data = np.empty(n, dtype=dtype)
    mask = np.ones(n, dtype=bool)
    for i, v in zip(present, values, strict=True):
        data[i] = v  # element by element: tuples must stay whole objects
        mask[i] = False
    return np.ma.MaskedArray(data, mask=mask)


class BaseSearchCV(BaseEstimator):
    """Shared machinery of GridSearchCV and RandomizedSearchCV (and the halving searches).

    Subclasses name their parameter space in ``_space_name`` (the attribute holding the dicts
    whose keys must be estimator parameters) and provide ``_candidates()``; a multi-round search
    overrides ``_run_search``.
    """

    def __init__(self, estimator: Any, *, scoring: Any = None, n_jobs: int | None = None,
                 refit: bool | str | Callable = True, cv: Any = None, verbose: int = 0,
                 pre_dispatch: str | int = "2*n_jobs", error_score: Any = np.nan,
                 return_train_score: bool = False, journal: Any = None,
                 fit_timeout: float | None = None, retries: int = 1, executor: Any = None):
        self.estimator = estimator
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.error_score = error_score
        self.return_train_score = return_train_score
        self.journal = journal
        self.fit_timeout = fit_timeout
        self.retries = retries
        self.executor = executor

    # ----------------------------------------------------------------------------- validation
    def _param_spaces(self) -> Any:
        return getattr(self, self._space_name)

    def _check_candidate_names(self, estimator: Any, what: str) -> None:
        valid = estimator.get_params(deep=True)
        spaces = self._param_spaces()
        for space in [spaces] if isinstance(spaces, Mapping) else spaces:
            for key in space if isinstance(space, Mapping) else ():
                if any(key.startswith(f"{k}__") for k in space):
                    continue  # the candidate replaces that step: its own set_params checks
                if key not in valid:
                    # Name the valid keys at the level where the key went wrong: a pipeline's
                    # steps and parameters, or the parameters of the step it names.
                    head, sep, _ = key.rpartition("__")
                    while head and head not in valid:
                        head, sep, _ = head.rpartition("__")
                    level = f"{head}{sep}"
                    names = sorted(k for k in valid
                                   if k.startswith(level) and "__" not in k[len(level):])
                    where = f" (step or parameter {head!r})" if head else ""
                    raise ValueError(
                        f"Invalid parameter {key!r} in {what} for estimator "
                        f"{type(estimator).__name__}. Valid parameters{where} are: {names!r}.")

    def _check_refit_value(self, multimetric: bool, names: list[str]) -> None:
        refit = self.refit
        if not (isinstance(refit, (bool, str)) or callable(refit)):
            raise TypeError(f"refit must be a bool, a scorer name or a callable, got "
                            f"refit={refit!r}.")
        if multimetric and not callable(refit) and refit is not False and (
                not isinstance(refit, str) or refit not in names):
            raise ValueError(_MULTIMETRIC_REFIT.format(refit))

    def _check_refit(self, attr: str) -> None:
        if not self.refit:
            raise AttributeError(
                f"This {type(self).__name__} instance was initialized with `refit=False`. {attr} "
                "is available only after refitting on the best parameters. You can refit an "
                "estimator manually using the `best_params_` attribute")

    # ----------------------------------------------------------------------------------- fit
    def fit(self, X: Any, y: Any = None) -> BaseSearchCV:
        """Evaluate every candidate by cross-validation, then refit the best on all of X, y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None

        Returns
        -------
        self : object
        """
        # Everything is validated before any worker starts.
        _check_n_jobs(self.n_jobs)
        _check_error_score(self.error_score)
        scorers, multimetric = _check_scorers(self.estimator, self.scoring)
        self._check_refit_value(multimetric, list(scorers))
        X, y = _prepare(X, y)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        base = clone(self.estimator)
        candidates = self._candidates()
        self._check_candidate_names(base, self._space_name)
        if not candidates:
            raise ValueError(f"No candidates to evaluate: {self._space_name} gives no parameter "
                             "combination.")
        splits = list(cv.split(X, y))
        if not splits:
            raise ValueError(f"cv={self.cv!r} gave no train/test split.")
        metric = self.refit if multimetric and isinstance(self.refit, str) else next(iter(scorers))
        for attr in [a for a in vars(self) if a.endswith("_") and not a.startswith("_")]:
            delattr(self, attr)  # no stale best_* from a previous fit with other settings
        self.n_tasks_resumed_ = self.n_tasks_run_ = 0

        journal = self.journal
        if isinstance(journal, (str, os.PathLike)):
            journal = Journal(journal)
        elif journal is not None and not (hasattr(journal, "load") and hasattr(journal, "append")):
            raise TypeError(f"journal must be a path or an object with load() and append(), got "
                            f"journal={journal!r}.")
        context = journal if hasattr(journal, "__enter__") else contextlib.nullcontext(journal)

        def evaluate(candidates: list[dict], splits: list, *, warm: list | None = None,
                     return_estimator: bool = False, **key_extra: Any) -> list[dict]:
            """Run (candidates x splits); ``key_extra`` goes into the journal keys. ``warm``: one
            fitted estimator (or None) per task to continue training from; ``return_estimator``:
            keep each task's fitted estimator in its record (not for resumed tasks)."""
            shared = _Shared(X, y, base, candidates, splits, scorers, self.return_train_score,
                             return_estimator, self.error_score)
            keys = None
            if journal is not None:
                search = search_digest(base, X, y, list(scorers), self.return_train_score,
                                       **key_extra)
                folds = [split_digest(train, test) for train, test in splits]
                keys = [task_key(search, c, f) for c in candidates for f in folds]
            records, n_resumed = _evaluate(
                shared, n_jobs=self.n_jobs, executor=self.executor, fit_timeout=self.fit_timeout,
                retries=self.retries, verbose=self.verbose, journal=journal, keys=keys,
                metric=metric, warm=warm)
            self.n_tasks_resumed_ += n_resumed
            self.n_tasks_run_ += len(records) - n_resumed
            return records

        with context:  # the journal stays locked for the whole fit
            candidates, records, extra = self._run_search(evaluate, candidates, splits)
            names = _score_names(records, scorers)
            if names != list(scorers):  # a callable scorer returned a dict of metrics
                multimetric = True
                self._check_refit_value(True, names)
            self.multimetric_ = multimetric
            self.scorer_ = scorers if multimetric else scorers["score"]
            self.n_splits_ = len(splits)
            self.cv_results_ = self._format_results(candidates, records, len(splits), names,
                                                    extra)
            self._select_and_refit(X, y, base, names, multimetric)
        return self

    def _run_search(self, evaluate: Callable, candidates: list[dict],
                    splits: list) -> tuple[list[dict], list[dict], dict[str, Any]]:
        """Evaluate the candidates; return them, their task records (candidate-major) and extra
        leading ``cv_results_`` columns. A multi-round search (halving) overrides this."""
        return candidates, evaluate(candidates, splits), {}

    def _format_results(self, candidates: list[dict], records: list[dict], n_splits: int,
                        names: list[str], extra: dict[str, Any]) -> dict[str, Any]:
        n = len(candidates)
        results: dict[str, Any] = dict(extra)

        def store(key: str, array: np.ndarray, rank: bool = False, splits: bool = True) -> None:
            if splits:
                for i in range(n_splits):
                    results[f"split{i}_{key}"] = array[:, i]
            means = np.average(array, axis=1)
            results[f"mean_{key}"] = means
            results[f"std_{key}"] = np.sqrt(np.average((array - means[:, None]) ** 2, axis=1))
            if key.startswith(("train_", "test_")) and not np.isfinite(means).all():
                warnings.warn(f"One or more of the {key.split('_')[0]} scores are non-finite: "
                              f"{means}", UserWarning, stacklevel=4)
            if rank:
                results[f"rank_{key}"] = _rank_min(means)

        for key in ("fit_time", "score_time"):
            store(key, np.array([r[key] for r in records], dtype=np.float64).reshape(n, n_splits),
                  splits=False)
        param_names = list(dict.fromkeys(k for c in candidates for k in c))
        for name in param_names:
            present = [i for i, c in enumerate(candidates) if name in c]
            results[f"param_{name}"] = _param_column([candidates[i][name] for i in present],
                                                     present, n)
        results["params"] = candidates
        test = _score_arrays(records, names, "test_scores", self.error_score, (n, n_splits))
        train = _score_arrays(records, names, "train_scores", self.error_score, (n, n_splits))
        for name in names:
            store(f"test_{name}", test[name], rank=True)
            if self.return_train_score:
                store(f"train_{name}", train[name])
        return results

    def _select_and_refit(self, X: Any, y: Any, base: Any, names: list[str],
                          multimetric: bool) -> None:
        results, refit = self.cv_results_, self.refit
        metric = refit if multimetric else "score"
        if not (refit or not multimetric):
            return
        if callable(refit):
            index = refit(results)
            if not isinstance(index, numbers.Integral) or isinstance(index, bool):
                raise TypeError("best_index_ returned is not an integer")
            if not 0 <= index < len(results["params"]):
                raise IndexError("best_index_ index out of range")
        else:
            index = self._best_index(results, metric)
            self.best_score_ = float(results[f"mean_test_{metric}"][index])
        self.best_index_ = int(index)
        self.best_params_ = results["params"][index]
        if refit:
            self.best_estimator_ = clone(base).set_params(
                **{k: clone(v, safe=False) for k, v in self.best_params_.items()})
            start = time.time()
            if y is None:
                self.best_estimator_.fit(X)
            else:
                self.best_estimator_.fit(X, y)
            self.refit_time_ = time.time() - start

    def _best_index(self, results: dict[str, Any], metric: str) -> int:
        """The first candidate ranked 1 on ``metric`` (a halving search overrides this)."""
        return int(results[f"rank_test_{metric}"].argmin())

    # ----------------------------------------------------------------- delegation to best
    predict = _DelegatedToBest()
    predict_proba = _DelegatedToBest()
    predict_log_proba = _DelegatedToBest()
    decision_function = _DelegatedToBest()
    transform = _DelegatedToBest()
    classes_ = _DelegatedToBest()
    n_features_in_ = _DelegatedToBest()

    def results_table(self) -> list[dict]:
        """``cv_results_`` as one plain-Python dict per candidate, ready for ``csv.DictWriter``
        (see :func:`minimlp.model_selection._results.results_table`)."""
        from ._results import results_table

        if not hasattr(self, "cv_results_"):
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call "
                                 "'fit' with appropriate arguments before using this estimator.")
        return results_table(self.cv_results_)

    def score(self, X: Any, y: Any = None) -> float:
        """Score of ``best_estimator_`` on X, y with the search's (refit) scorer.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        self._check_refit("score")
        if not hasattr(self, "best_estimator_"):
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call "
                                 "'fit' with appropriate arguments before using this estimator.")
        scorer = self.scorer_[self.refit] if self.multimetric_ else self.scorer_
        return float(scorer(self.best_estimator_, X, y))


class GridSearchCV(BaseSearchCV):
    """Exhaustive search over a parameter grid, scored by cross-validation.

    Parameters
    ----------
    estimator : estimator
        Cloned for every fit; ``param_grid`` keys must be its parameters.
    param_grid : dict or list of dicts
        Parameter name -> list of values; a list of dicts spans the union of their grids.
    scoring : str, callable, list, tuple or dict, default=None
        None uses ``estimator.score``; several metrics give multimetric results.
    n_jobs : int, default=None
        Worker processes (None or 1: in this process; -1: all CPUs).
    refit : bool, str or callable, default=True
        Refit the best candidate on all the data (``best_estimator_``). With several metrics, the
        metric choosing the best; a callable maps ``cv_results_`` to ``best_index_``.
    cv : int, splitter or iterable, default=None
        As in :func:`check_cv` (None means 5 folds, stratified for classifiers).
    verbose : int, default=0
        1: progress line (done/total, elapsed, ETA, best score) on stderr; 2: also one line per
        fit.
    pre_dispatch : int or str, default='2*n_jobs'
        Accepted for compatibility; the evaluator schedules its own tasks.
    error_score : 'raise' or float, default=np.nan
        Score of a failed fit (with a FitFailedWarning), or 'raise'.
    return_train_score : bool, default=False
        Also score each fold's training rows.
    journal : str, path or journal object, default=None
        JSON-lines file recording every finished (candidate, fold); a re-run resumes from it.
    fit_timeout : float, default=None
        Seconds after which a fit is stopped, its worker process killed and replaced, and the fold
        scored ``error_score`` (not retried). Runs even ``n_jobs=1`` in a worker process; not
        supported with ``executor``.
    retries : int, default=1
        How many times a task whose worker process died (``os._exit``, a signal, out of memory)
        is run again on a fresh worker before it is scored ``error_score``.
    executor : object, default=None
        A ``dask.distributed.Client`` (the data are scattered to its workers once) or any
        ``concurrent.futures``-style executor; None uses local worker processes (``n_jobs``).

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        Per-candidate results in scikit-learn's key order.
    best_estimator_, best_score_, best_params_, best_index_, refit_time_ :
        The selected candidate (see scikit-learn).
    scorer_ : callable or dict
    n_splits_ : int
    multimetric_ : bool
    n_tasks_resumed_ : int
        Tasks read back from the journal instead of run.
    n_tasks_run_ : int
        Tasks run by this call to fit.
    """

    _space_name = "param_grid"

    def __init__(self, estimator: Any, param_grid: dict | list[dict], *, scoring: Any = None,
                 n_jobs: int | None = None, refit: bool | str | Callable = True, cv: Any = None,
                 verbose: int = 0, pre_dispatch: str | int = "2*n_jobs",
                 error_score: Any = np.nan, return_train_score: bool = False,
                 journal: Any = None, fit_timeout: float | None = None, retries: int = 1,
                 executor: Any = None):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, pre_dispatch=pre_dispatch, error_score=error_score,
                         return_train_score=return_train_score, journal=journal,
                         fit_timeout=fit_timeout, retries=retries, executor=executor)
        self.param_grid = param_grid

    def _candidates(self) -> list[dict[str, Any]]:
        return list(ParameterGrid(self.param_grid))


class RandomizedSearchCV(BaseSearchCV):
    """Search over ``n_iter`` candidates sampled from parameter distributions.

    Parameters
    ----------
    estimator : estimator
    param_distributions : dict or list of dicts
        Parameter name -> list (sampled uniformly) or distribution with ``rvs``.
    n_iter : int, default=10
        Number of candidates sampled.
    random_state : int, RandomState or None, default=None
        Seeds the sampling (not the estimator).

    The other parameters and the attributes are those of :class:`GridSearchCV`.
    """

    _space_name = "param_distributions"

    def __init__(self, estimator: Any, param_distributions: dict | list[dict], *, n_iter: int = 10,
                 scoring: Any = None, n_jobs: int | None = None,
                 refit: bool | str | Callable = True, cv: Any = None, verbose: int = 0,
                 pre_dispatch: str | int = "2*n_jobs", random_state: Any = None,
                 error_score: Any = np.nan, return_train_score: bool = False,
                 journal: Any = None, fit_timeout: float | None = None, retries: int = 1,
                 executor: Any = None):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, pre_dispatch=pre_dispatch, error_score=error_score,
                         return_train_score=return_train_score, journal=journal,
                         fit_timeout=fit_timeout, retries=retries, executor=executor)
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state

    def _candidates(self) -> list[dict[str, Any]]:
        return list(ParameterSampler(self.param_distributions, self.n_iter,
                                     random_state=self.random_state))
