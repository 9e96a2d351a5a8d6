"""Successive halving searches (scikit-learn's HalvingGridSearchCV / HalvingRandomSearchCV).

Rung i evaluates every remaining candidate by cross-validation with ``n_resources`` of the
resource (rows of each fold, or the value of an estimator parameter such as ``max_iter``), then
keeps the best ``ceil(n_candidates / factor)``. The schedule, ``cv_results_`` and ``best_*``
follow scikit-learn 1.9 (spec section 6).

Unlike scikit-learn, with ``resource='max_iter'`` (or ``'step__max_iter'`` for a pipeline) and
an estimator that has ``continue_fit(X, y)`` (the MLPs and a pipeline ending in one), a
surviving candidate's fold models train on from where the previous rung stopped instead of
starting over. The MLPs' ``continue_fit`` is exact (the same weights, bit for bit, as one fit
with the larger ``max_iter``), so every score and every rung decision equals restarting; only
the epochs trained shrink (``n_epochs_trained_`` against ``n_epochs_restart_``).
"""

from __future__ import annotations

import numbers
import sys
from collections.abc import Callable
from math import ceil, floor, log
from typing import Any

import numpy as np

from ..base import is_classifier
from ..utils.validation import check_random_state
from ._params import ParameterGrid, ParameterSampler
from ._search import BaseSearchCV
from ._split import check_cv
from ._validation import _prepare, _score_arrays


def _yields_constant_splits(cv: Any) -> bool:
    """A splitter gives the same folds on every call unless it shuffles without an int seed."""
    return isinstance(getattr(cv, "random_state", 0), numbers.Integral) or not getattr(
        cv, "shuffle", True)


def _subsample(indices: np.ndarray, fraction: float, random_state: Any) -> np.ndarray:
    """The first ``int(fraction * len(indices))`` of a shuffle of ``indices`` (a fresh
    RandomState per call for an int seed, as scikit-learn's ``resample`` without replacement)."""
    order = np.arange(len(indices))
    check_random_state(random_state).shuffle(order)
    return indices[order[:int(fraction * len(indices))]]


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > 0


class BaseSuccessiveHalving(BaseSearchCV):
    """Shared machinery of the halving searches: the schedule, the rungs, continuation.

    Subclasses set ``_space_name`` and provide ``_candidates()`` like the other searches.
    """

    def __init__(self, estimator: Any, *, scoring: Any = None, n_jobs: int | None = None,
                 refit: bool = True, cv: Any = 5, verbose: int = 0, random_state: Any = None,
                 error_score: Any = np.nan, return_train_score: bool = True,
                 max_resources: int | str = "auto", min_resources: int | str = "exhaust",
                 resource: str = "n_samples", factor: float = 3,
                 aggressive_elimination: bool = False, continue_training: bool = True,
                 journal: Any = None, fit_timeout: float | None = None, retries: int = 1,
                 executor: Any = None):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, error_score=error_score,
                         return_train_score=return_train_score, journal=journal,
                         fit_timeout=fit_timeout, retries=retries, executor=executor)
        self.random_state = random_state
        self.max_resources = max_resources
        self.min_resources = min_resources
        self.resource = resource
        self.factor = factor
        self.aggressive_elimination = aggressive_elimination
        self.continue_training = continue_training

    # ----------------------------------------------------------------------------- validation
    def _check_halving_params(self) -> None:
        name = type(self).__name__
        if isinstance(self.scoring, (list, tuple, set, dict)):
            raise ValueError(f"{name} supports a single metric only, got "
                             f"scoring={self.scoring!r}.")
        if not isinstance(self.refit, bool):
            raise TypeError(f"refit must be True or False for {name} (single metric), got "
                            f"refit={self.refit!r}.")
        if (not isinstance(self.factor, numbers.Real) or isinstance(self.factor, bool)
                or not self.factor > 1):
            raise ValueError(f"factor must be a number greater than 1, got "
                             f"factor={self.factor!r}.")
        if not (_is_positive_int(self.min_resources)
                or self.min_resources in ("exhaust", "smallest")):
            raise ValueError("min_resources must be a positive int, 'exhaust' or 'smallest', got "
                             f"min_resources={self.min_resources!r}.")
        if not (_is_positive_int(self.max_resources) or self.max_resources == "auto"):
            raise ValueError("max_resources must be a positive int or 'auto', got "
                             f"max_resources={self.max_resources!r}.")
        if not isinstance(self.resource, str):
            raise TypeError(f"resource must be a str, got resource={self.resource!r}.")
        if self.resource != "n_samples" and self.resource not in self.estimator.get_params():
            raise ValueError(f"Cannot use resource={self.resource} which is not supported by "
                             f"estimator {type(self.estimator).__name__}")
        for flag in ("aggressive_elimination", "continue_training"):
            if not isinstance(getattr(self, flag), (bool, np.bool_)):
                raise TypeError(f"{flag} must be a bool, got {flag}={getattr(self, flag)!r}.")

    def fit(self, X: Any, y: Any = None) -> BaseSuccessiveHalving:
        """Run the rungs of successive halving, then refit the best of the last rung.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None

        Returns
        -------
        self : object
        """
        # The halving checks come first; BaseSearchCV.fit then validates the rest, all before
        # any worker starts.
        self._check_halving_params()
        X_, y_ = _prepare(X, y)
        cv = check_cv(self.cv, y_, classifier=is_classifier(self.estimator))
        if not _yields_constant_splits(cv):
            raise ValueError("The cv parameter must yield consistent folds across calls to "
                             "split(). Set its random_state to an int, or set shuffle=False.")
        n_samples = X_.shape[0]
        min_resources = self.min_resources
        if min_resources in ("smallest", "exhaust"):
            min_resources = 1
            if self.resource == "n_samples":
                # Enough rows for every fold to see each class at least twice, roughly.
                min_resources = 2 * cv.get_n_splits(X_, y_)
                if is_classifier(self.estimator) and y_ is not None:
                    min_resources *= len(np.unique(y_))
        max_resources = self.max_resources
        if max_resources == "auto":
            if self.resource != "n_samples":
                raise ValueError("resource can only be 'n_samples' when max_resources='auto'")
            max_resources = n_samples
        if self.resource == "n_samples" and max_resources > n_samples:
            raise ValueError(f"max_resources={max_resources} is greater than the number of "
                             f"samples ({n_samples}).")
        if min_resources > max_resources:
            raise ValueError(f"min_resources_={min_resources} is greater than "
                             f"max_resources_={max_resources}.")
        if min_resources == 0:
            raise ValueError(f"min_resources_={min_resources}: you might have passed an empty "
                             "dataset X.")
        # Kept private: BaseSearchCV.fit clears the public fitted attributes before the search.
        self._start = {"min": min_resources, "max": max_resources, "n_samples": n_samples}
        super().fit(X, y)
        return self

    # ----------------------------------------------------------------------------- the rungs
    def _run_search(self, evaluate: Callable, candidates: list[dict],
                    splits: list) -> tuple[list[dict], list[dict], dict[str, Any]]:
        resource, factor = self.resource, self.factor
        if resource != "n_samples" and any(resource in c for c in candidates):
            raise ValueError(f"Cannot use parameter {resource} as the resource since it is part "
                             "of the searched parameters.")
        min_r, max_r = self._start["min"], self._start["max"]
        # Float log on purpose (scikit-learn's): log(243, 3) = 4.999..., so 5 rungs, not 6.
        n_required = 1 + floor(log(len(candidates), factor))
        if self.min_resources == "exhaust":
            min_r = max(min_r, max_r // factor ** (n_required - 1))
        n_possible = 1 + floor(log(max_r // min_r, factor))
        n_iterations = n_required if self.aggressive_elimination else min(n_possible, n_required)
        # Continuing is only offered for estimators whose continue_fit trains on to max_iter.
        continuing = (self.continue_training and resource.rpartition("__")[2] == "max_iter"
                      and hasattr(self.estimator, "continue_fit"))
        n_splits = len(splits)

        all_candidates: list[dict] = []
        all_records: list[dict] = []
        iters: list[int] = []
        resources: list[int] = []
        self.n_resources_, self.n_candidates_ = [], []
        self.n_epochs_trained_ = self.n_epochs_restart_ = 0
        warm: list | None = None  # per task of the next rung: the fold model to continue
        for itr in range(n_iterations):
            power = itr
            if self.aggressive_elimination:
                # Stay at the first rung's resources while candidates are still too many.
                power = max(0, itr - n_required + n_possible)
            n_resources = min(int(factor ** power * min_r), max_r)
            n = len(candidates)
            self.n_resources_.append(n_resources)
            self.n_candidates_.append(n)
            if self.verbose:
                print(f"halving rung {itr}: {n} candidates, {resource}={n_resources}"
                      f"{' (continued)' if warm is not None else ''}", file=sys.stderr)
            if resource == "n_samples":
                fraction = n_resources / self._start["n_samples"]
                rung_splits = [(_subsample(train, fraction, self.random_state),
                                _subsample(test, fraction, self.random_state))
                               for train, test in splits]
            else:
                candidates = [{**c, resource: n_resources} for c in candidates]
                rung_splits = splits
            records = evaluate(candidates, rung_splits, warm=warm,
                               return_estimator=continuing and itr < n_iterations - 1,
                               resource=resource, n_resources=n_resources,
                               continued=warm is not None)
            fold_models = [r.pop("estimator", None) for r in records]
            for r in records:
                self.n_epochs_trained_ += r.get("n_epochs") or 0  # resumed tasks trained none
                self.n_epochs_restart_ += r.get("n_iter") or 0
            all_candidates += candidates
            all_records += records
            iters += [itr] * n
            resources += [n_resources] * n

            scores = _score_arrays(records, ["score"], "test_scores", self.error_score,
                                   (n, n_splits))["score"]
            means = np.average(scores, axis=1)
            # Ascending order with NaN first, keep the last k: the survivors run in this order.
            order = np.roll(np.argsort(means), np.count_nonzero(np.isnan(means)))
            keep = order[-ceil(n / factor):]
            candidates = [candidates[i] for i in keep]
            warm = ([fold_models[i * n_splits + s] for i in keep for s in range(n_splits)]
                    if continuing else None)

        self.n_remaining_candidates_ = len(candidates)
        self.n_required_iterations_ = n_required
        self.n_possible_iterations_ = n_possible
        self.n_iterations_ = n_iterations
        self.min_resources_ = min_r
        self.max_resources_ = max_r
        extra = {"iter": np.array(iters), "n_resources": np.array(resources)}
        return all_candidates, all_records, extra

    def _best_index(self, results: dict[str, Any], metric: str) -> int:
        """The highest mean test score of the last rung (the first one if all are NaN)."""
        last = np.flatnonzero(results["iter"] == results["iter"].max())
        means = results[f"mean_test_{metric}"][last]
        return int(last[0 if np.isnan(means).all() else np.nanargmax(means)])


_COMMON_DOC = """
    factor : float, default=3
        Each rung keeps ``ceil(n_candidates / factor)`` candidates and multiplies the resources
        by ``factor``. Must be greater than 1.
    resource : str, default='n_samples'
        'n_samples' (rows of each train and test fold, subsampled without replacement) or the
        name of an estimator parameter, e.g. 'max_iter', set to each rung's resources.
    max_resources : int or 'auto', default='auto'
        Resources of the last possible rung; 'auto' (the number of rows) needs
        ``resource='n_samples'``.
    min_resources : int, 'exhaust' or 'smallest', default='exhaust'
        Resources of the first rung. 'smallest': 1, or for rows 2 * n_splits (times n_classes
        for a classifier); 'exhaust': raised so that the last required rung uses (almost)
        ``max_resources``.
    aggressive_elimination : bool, default=False
        Repeat the first rung's resources while too many candidates remain to end with fewer
        than ``factor`` within ``max_resources``.
    cv : int, splitter or iterable, default=5
        Must give the same folds on every call (no shuffling without an int seed).
    scoring : str or callable, default=None
        A single metric only.
    refit : bool, default=True
        Refit the best candidate of the last rung on all the data.
    error_score : 'raise' or float, default=np.nan
    return_train_score : bool, default=True
    random_state : int, RandomState or None, default=None
        Seeds the row subsampling (resource='n_samples'){random_also}.
    n_jobs : int, default=None
        Worker processes (None or 1: in this process; -1: all CPUs).
    verbose : int, default=0
        1: a line per rung and the progress of each; 2: also one line per fit.
    continue_training : bool, default=True
        With ``resource='max_iter'`` (a pipeline: ``'step__max_iter'``) and an estimator with
        ``continue_fit(X, y)``, train each surviving (candidate, fold) model on from the
        previous rung instead of refitting from scratch. Exact for the MLPs, so results equal
        ``False`` (scikit-learn's restart) with fewer epochs. No effect for other resources or
        estimators.
    journal, fit_timeout, retries, executor :
        As in :class:`GridSearchCV`. Journal keys include the rung's resources and whether it
        continued. A resumed run has no fold models for rungs read back from the journal, so a
        continued task whose previous rung was resumed is fitted from scratch instead (the same
        result, since continuation is exact; only ``n_epochs_trained_`` grows).

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        One row per (candidate, rung), ``iter`` and ``n_resources`` first, then scikit-learn's
        keys. With a parameter resource, ``params`` include it.
    best_estimator_, best_score_, best_params_, best_index_, refit_time_ :
        The best candidate of the last rung.
    n_resources_ : list of int
        Resources of each rung.
    n_candidates_ : list of int
        Candidates evaluated at each rung.
    n_remaining_candidates_ : int
        Candidates kept after the last rung.
    n_iterations_, n_required_iterations_, n_possible_iterations_ : int
        Rungs run, rungs needed to end with fewer than ``factor`` candidates, and rungs
        possible between ``min_resources_`` and ``max_resources_``.
    min_resources_, max_resources_ : int
    n_epochs_trained_ : int
        Epochs (``n_iter_`` of the fold models) actually trained by this fit: a continued fit
        counts ``n_iter_`` after minus before; tasks resumed from the journal count 0. The
        final refit is not included.
    n_epochs_restart_ : int
        Epochs restarting every rung from scratch would train: the sum of every fold model's
        final ``n_iter_`` (equal to ``n_epochs_trained_`` when nothing continued).
    n_splits_, scorer_, multimetric_, n_tasks_resumed_, n_tasks_run_ :
        As in :class:`GridSearchCV`.
"""


class HalvingGridSearchCV(BaseSuccessiveHalving):
    __doc__ = """Successive halving over a parameter grid.

    Parameters
    ----------
    estimator : estimator
    param_grid : dict or list of dicts
        Parameter name -> list of values; must not contain the resource.
    """ + _COMMON_DOC.replace("{random_also}", "")

    _space_name = "param_grid"

    def __init__(self, estimator: Any, param_grid: dict | list[dict], *, factor: float = 3,
                 resource: str = "n_samples", max_resources: int | str = "auto",
                 min_resources: int | str = "exhaust", aggressive_elimination: bool = False,
                 cv: Any = 5, scoring: Any = None, refit: bool = True,
                 error_score: Any = np.nan, return_train_score: bool = True,
                 random_state: Any = None, n_jobs: int | None = None, verbose: int = 0,
                 continue_training: bool = True, journal: Any = None,
                 fit_timeout: float | None = None, retries: int = 1, executor: Any = None):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, random_state=random_state, error_score=error_score,
                         return_train_score=return_train_score, max_resources=max_resources,
                         min_resources=min_resources, resource=resource, factor=factor,
                         aggressive_elimination=aggressive_elimination,
                         continue_training=continue_training, journal=journal,
                         fit_timeout=fit_timeout, retries=retries, executor=executor)
        self.param_grid = param_grid

    def _candidates(self) -> list[dict[str, Any]]:
        return list(ParameterGrid(self.param_grid))


class HalvingRandomSearchCV(BaseSuccessiveHalving):
    __doc__ = """Successive halving over candidates sampled from parameter distributions.

    Parameters
    ----------
    estimator : estimator
    param_distributions : dict or list of dicts
        Parameter name -> list (sampled uniformly) or distribution with ``rvs``.
    n_candidates : int or 'exhaust', default='exhaust'
        Candidates of the first rung; 'exhaust': ``max_resources_ // min_resources_`` (then
        ``min_resources`` must not be 'exhaust').
    """ + _COMMON_DOC.replace("{random_also}", " and, first, the candidate sampling")

    _space_name = "param_distributions"

    def __init__(self, estimator: Any, param_distributions: dict | list[dict], *,
                 n_candidates: int | str = "exhaust", factor: float = 3,
                 resource: str = "n_samples", max_resources: int | str = "auto",
                 min_resources: int | str = "smallest", aggressive_elimination: bool = False,
                 cv: Any = 5, scoring: Any = None, refit: bool = True,
                 error_score: Any = np.nan, return_train_score: bool = True,
                 random_state: Any = None, n_jobs: int | None = None, verbose: int = 0,
                 continue_training: bool = True, journal: Any = None,
                 fit_timeout: float | None = None, retries: int = 1, executor: Any = None):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, random_state=random_state, error_score=error_score,
                         return_train_score=return_train_score, max_resources=max_resources,
                         min_resources=min_resources, resource=resource, factor=factor,
                         aggressive_elimination=aggressive_elimination,
                         continue_training=continue_training, journal=journal,
                         fit_timeout=fit_timeout, retries=retries, executor=executor)
        self.param_distributions = param_distributions
        self.n_candidates = n_candidates

    def _check_halving_params(self) -> None:
        super()._check_halving_params()
        if not (_is_positive_int(self.n_candidates) or self.n_candidates == "exhaust"):
            raise ValueError("n_candidates must be a positive int or 'exhaust', got "
                             f"n_candidates={self.n_candidates!r}.")
        if self.n_candidates == "exhaust" and self.min_resources == "exhaust":
            raise ValueError("n_candidates and min_resources cannot be both set to 'exhaust'.")

    def _candidates(self) -> list[dict[str, Any]]:
        n = self.n_candidates
        if n == "exhaust":  # enough for the last rung to use about max_resources
            n = self._start["max"] // self._start["min"]
        return list(ParameterSampler(self.param_distributions, n,
                                     random_state=self.random_state))
