"""Cross-validated fitting and scoring: the per-task function shared by every search.

A search (or ``cross_validate``) is a flat list of tasks ``(candidate_index, split_index)``,
candidate-major and fold-minor. The data, the unfitted estimator, the candidates, the folds and the
scorers travel to each worker once, as ``shared``; a task is just two integers, plus, when training
continues from an earlier fit (a halving search's next rung), that fitted estimator. ``_evaluate``
runs the tasks through :class:`minimlp.evaluator.Evaluator`, resumes finished ones from a journal,
reports progress, and turns failures into ``error_score`` (or raises).
"""

from __future__ import annotations

import numbers
import time
import traceback
import warnings
from collections import Counter
from typing import Any, NamedTuple

import numpy as np

from ..base import clone, is_classifier
from ..evaluator import Evaluator, TaskFailure
from ..exceptions import FitFailedWarning
from ..metrics import check_multimetric_scoring, check_scoring
from ..utils.validation import check_consistent_length
from ._journal import _stable
from ._progress import Progress
from ._split import check_cv


class _Shared(NamedTuple):
    """What every task needs, sent to each worker once."""

    X: Any
    y: Any
    estimator: Any
    candidates: list[dict[str, Any]]
    splits: list[tuple[np.ndarray, np.ndarray]]
    scorers: dict[str, Any]
    return_train_score: bool
    return_estimator: bool
    error_score: Any


def _take(a: Any, idx: np.ndarray) -> Any:
    return None if a is None else a[idx]


def _score(estimator: Any, X: Any, y: Any, scorers: dict[str, Any], error_score: Any):
    """Scores by name, and the tracebacks of scorers that raised (scored ``error_score``)."""
    scores: dict[str, float] = {}
    errors = []
    for name, scorer in scorers.items():
        try:
            value = scorer(estimator, X, y)
        except Exception:
            if error_score == "raise":
                raise
            errors.append(traceback.format_exc())
            value = error_score
        if isinstance(value, dict) and len(scorers) == 1:  # a callable returning several metrics
            return {k: float(v) for k, v in value.items()}, errors
        if not isinstance(value, numbers.Number):
            raise ValueError(f"scoring must return a number, got {value!r} ({type(value)}) "
                             f"instead. (scorer={name})")
        scores[name] = float(value)
    return scores, errors


def _n_iter(estimator: Any) -> int | None:
    """The estimator's ``n_iter_`` when it is a single count (epochs of an MLP), else None.

    A pipeline's count is its final step's.
    """
    n = getattr(getattr(estimator, "_final_estimator", estimator), "n_iter_", None)
    return int(n) if isinstance(n, numbers.Integral) else None


def _fit_and_score(shared: _Shared, task: tuple) -> dict[str, Any]:
    """Fit ``clone(estimator).set_params(**candidate)`` on one fold's training rows and score it.

    Parameters
    ----------
    shared : _Shared
        Data, estimator, candidates, folds and scorers of the whole search.
    task : (int, int) or (int, int, estimator or None)
        ``(candidate_index, split_index)``, optionally with a ``warm`` estimator: one fitted
        earlier on this same fold, with a ``continue_fit(X, y)`` method. It then receives the
        candidate's parameters that differ from its own (the resource: its new ``max_iter``)
        and trains on to its ``max_iter`` instead of a fresh clone being fitted (exact when
        ``continue_fit`` is, as the MLPs' is). Equal parameters are left alone: re-setting a
        pipeline step would replace the fitted step with an unfitted copy.

    Returns
    -------
    record : dict
        ``test_scores`` / ``train_scores`` (name -> float, or None), ``fit_time`` (from before
        the row extraction until fit returns), ``score_time`` (test scoring only), ``fit_error``
        (traceback text of a failed fit, else None), ``score_errors``, ``n_iter`` (the fitted
        estimator's ``n_iter_`` if it is an int, else None), ``n_epochs`` (``n_iter`` minus the
        warm estimator's, i.e. the epochs this task trained) and, when asked, ``estimator``. A
        failed fit raises instead when ``error_score == 'raise'``.
    """
    candidate, split, warm = (*task, None)[:3]
    train, test = shared.splits[split]
    params = {k: clone(v, safe=False) for k, v in shared.candidates[candidate].items()}
    record: dict[str, Any] = {"test_scores": None, "train_scores": None, "score_time": 0.0,
                              "fit_error": None, "score_errors": [], "n_iter": None,
                              "n_epochs": None}
    start = time.time()
    X_train, y_train = _take(shared.X, train), _take(shared.y, train)
    X_test, y_test = _take(shared.X, test), _take(shared.y, test)
    try:
        if warm is not None:
            current = warm.get_params(deep=True)
            changed = {k: v for k, v in params.items()
                       if k not in current or _stable(current[k]) != _stable(v)}
            estimator, n_before = warm.set_params(**changed), _n_iter(warm) or 0
            estimator.continue_fit(X_train, y_train)  # on to its (new) max_iter
        else:
            estimator, n_before = clone(shared.estimator).set_params(**params), 0
            if y_train is None:
                estimator.fit(X_train)
            else:
                estimator.fit(X_train, y_train)
    except Exception:
        if shared.error_score == "raise":
            raise
        record["fit_time"] = time.time() - start
        record["fit_error"] = traceback.format_exc()
        return record
    record["fit_time"] = time.time() - start
    record["n_iter"] = _n_iter(estimator)
    if record["n_iter"] is not None:
        record["n_epochs"] = record["n_iter"] - n_before
    record["test_scores"], errors = _score(estimator, X_test, y_test, shared.scorers,
                                           shared.error_score)
    record["score_time"] = time.time() - start - record["fit_time"]
    if shared.return_train_score:
        record["train_scores"], more = _score(estimator, X_train, y_train, shared.scorers,
                                              shared.error_score)
        errors += more
    record["score_errors"] = errors
    if shared.return_estimator:
        record["estimator"] = estimator
    return record


def _check_n_jobs(n_jobs: Any) -> None:
    if n_jobs is not None and (not isinstance(n_jobs, numbers.Integral) or isinstance(n_jobs, bool)
                               or n_jobs == 0):
        raise ValueError(f"n_jobs must be None or a non-zero int (-1 for all CPUs), got "
                         f"n_jobs={n_jobs!r}.")


def _check_error_score(error_score: Any) -> None:
    if error_score != "raise" and (not isinstance(error_score, numbers.Number)
                                   or isinstance(error_score, bool)):
        raise ValueError("error_score must be the string 'raise' or a numeric value. (Hint: if "
                         f"using 'raise', please make sure that it has been spelled correctly.) "
                         f"Got error_score={error_score!r}.")


def _check_scorers(estimator: Any, scoring: Any) -> tuple[dict[str, Any], bool]:
    """``(name -> scorer, multimetric)``; a single metric is named ``'score'``."""
    if isinstance(scoring, (list, tuple, set, dict)):
        return dict(check_multimetric_scoring(estimator, scoring)), True
    return {"score": check_scoring(estimator, scoring)}, False


def _describe(params: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + "}"


def _failure_record(failure: TaskFailure, params: dict[str, Any], error_score: Any) -> dict:
    """A failed task's record, or raise when the failure is not a fit error to be scored."""
    where = f"candidate {_describe(params)}"
    if failure.kind == "error":
        # Errors the task function did not turn into error_score: a fit under error_score='raise',
        # a scorer returning a non-number, an unpicklable result. Re-raise the original.
        exc = failure.exception
        if isinstance(exc, BaseException):
            if failure.traceback and hasattr(exc, "add_note"):
                exc.add_note(f"Raised fitting {where}; worker traceback:\n{failure.traceback}")
            raise exc
        raise RuntimeError(f"Fitting {where} failed in a worker:\n{failure.traceback}")
    what = {"died": "the worker process died", "timeout": "the fit timed out"}.get(failure.kind,
                                                                                   failure.kind)
    if error_score == "raise":
        raise RuntimeError(f"Fitting {where} failed: {what} ({failure.message}).")
    return {"test_scores": None, "train_scores": None, "fit_time": 0.0, "score_time": 0.0,
            "fit_error": f"{what} ({failure.message}) after {failure.attempts} attempt(s)",
            "score_errors": []}


def _report_failures(records: list[dict], tasks: list[tuple[int, int]],
                     candidates: list[dict], error_score: Any) -> None:
    """All fits failed -> ValueError; some -> FitFailedWarning naming the candidates and errors."""
    failed = [i for i, r in enumerate(records) if r["fit_error"] is not None]
    if failed:
        counts = Counter(records[i]["fit_error"] for i in failed)
        details = "\n".join(f"{'-' * 80}\n{n} fits failed with the following error:\n{text}"
                            for text, n in counts.items())
        by_candidate: dict[int, list[int]] = {}
        for i in failed:
            by_candidate.setdefault(tasks[i][0], []).append(tasks[i][1])
        names = "\n".join(f"  {_describe(candidates[c])}: splits {s}"
                          for c, s in by_candidate.items())
        if len(failed) == len(records):
            raise ValueError(
                f"\nAll the {len(records)} fits failed.\nIt is very likely that your model is "
                "misconfigured.\nYou can try to debug the error by setting error_score='raise'.\n\n"
                f"Below are more details about the failures:\n{details}")
        warnings.warn(
            f"\n{len(failed)} fits failed out of a total of {len(records)}.\nThe score on these "
            f"train-test partitions for these parameters will be set to {error_score}.\nIf these "
            "failures are not expected, you can try to debug them by setting error_score='raise'."
            f"\n\nFailing candidates:\n{names}\n\nBelow are more details about the failures:\n"
            f"{details}", FitFailedWarning, stacklevel=4)
    score_errors = [e for r in records for e in r["score_errors"]]
    if score_errors:
        warnings.warn(
            "Scoring failed. The score on this train-test partition for these parameters will be "
            f"set to {error_score}. Details: \n{score_errors[0]}", UserWarning, stacklevel=4)


def _evaluate(shared: _Shared, *, n_jobs: int | None = None, executor: Any = None,
              fit_timeout: float | None = None, retries: int = 1, verbose: int = 0,
              journal: Any = None, keys: list[str] | None = None,
              metric: str | None = None, warm: list | None = None) -> tuple[list[dict], int]:
    """Run every (candidate, split) task; return the records in task order and how many resumed.

    Finished tasks found in ``journal`` (an object with ``load(keys)`` and ``append(key,
    record)``, one key per task) are not re-run; every newly finished task is appended to it as it
    completes. Failed fits are scored ``shared.error_score`` (FitFailedWarning) or raise.
    ``warm`` (one fitted estimator or None per task, in task order) makes those tasks continue
    training from it (see :func:`_fit_and_score`). Resumed records have no ``n_epochs``.
    """
    tasks = [(c, s) for c in range(len(shared.candidates)) for s in range(len(shared.splits))]
    if warm is not None:
        tasks = [(c, s, w) for (c, s), w in zip(tasks, warm, strict=True)]
    records: list[dict | None] = [None] * len(tasks)
    progress = Progress(len(tasks), len(shared.splits), verbose)

    def selection_score(record: dict) -> float | None:
        scores = record["test_scores"]
        if not scores or record["fit_error"] is not None:
            return None
        return scores.get(metric, next(iter(scores.values())))

    if journal is not None:
        found = journal.load(keys)
        for i, key in enumerate(keys):
            if key in found:
                records[i] = {**found[key], "fit_error": None, "score_errors": []}
                c, s = tasks[i][:2]
                progress.update(c, shared.candidates[c], s, selection_score(records[i]), True)
    n_resumed = sum(r is not None for r in records)
    if n_resumed:
        progress.report()
    todo = [i for i, r in enumerate(records) if r is None]

    def on_result(j: int, result: Any) -> None:
        i = todo[j]
        c, s = tasks[i][:2]
        if isinstance(result, TaskFailure):
            # Raises (stopping every worker) for errors that must propagate: fail fast.
            result = _failure_record(result, shared.candidates[c], shared.error_score)
        records[i] = result
        ok = result["fit_error"] is None and not result["score_errors"]
        if ok and journal is not None:
            journal.append(keys[i], {k: result[k] for k in ("test_scores", "train_scores",
                                                            "fit_time", "score_time", "n_iter")
                                     if k in result})
        progress.update(c, shared.candidates[c], s, selection_score(result) if ok else None)

    Evaluator(n_jobs, executor=executor, fit_timeout=fit_timeout, retries=retries).map(
        _fit_and_score, [tasks[i] for i in todo], shared=shared, on_result=on_result)
    _report_failures(records, [t[:2] for t in tasks], shared.candidates, shared.error_score)
    return records, n_resumed


def _score_names(records: list[dict], scorers: dict[str, Any]) -> list[str]:
    """Metric names: the scorers', or those of a callable that returned a dict."""
    for r in records:
        if r["test_scores"]:
            return list(r["test_scores"])
    return list(scorers)


def _score_arrays(records: list[dict], names: list[str], which: str, error_score: Any,
                  shape: tuple[int, ...]) -> dict[str, np.ndarray]:
    """name -> float64 array of ``shape`` (failed fits get ``error_score``)."""
    return {name: np.array([(r[which] or {}).get(name, error_score) for r in records],
                           dtype=np.float64).reshape(shape) for name in names}


def _prepare(X: Any, y: Any) -> tuple[Any, Any]:
    X = X if hasattr(X, "shape") else np.asarray(X)
    if y is not None:
        y = y if hasattr(y, "shape") else np.asarray(y)
        check_consistent_length(X, y)
    return X, y


def cross_validate(estimator: Any, X: Any, y: Any = None, *, scoring: Any = None, cv: Any = None,
                   n_jobs: int | None = None, verbose: int = 0, return_train_score: bool = False,
                   return_estimator: bool = False, error_score: Any = np.nan) -> dict[str, Any]:
    """Evaluate metric(s) by cross-validation and record fit/score times.

    Parameters
    ----------
    estimator : estimator
        Cloned for every fold.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
    scoring : str, callable, list, tuple or dict, default=None
        None uses ``estimator.score``; several metrics give one ``test_<name>`` entry each.
    cv : int, splitter or iterable, default=None
        As in :func:`check_cv` (None means 5 folds, stratified for classifiers).
    n_jobs : int, default=None
        Worker processes (None or 1: in this process; -1: all CPUs).
    verbose : int, default=0
        Progress on stderr when >= 1.
    return_train_score : bool, default=False
    return_estimator : bool, default=False
        Also return the fitted estimator of every fold.
    error_score : 'raise' or float, default=np.nan
        Score of a fold whose fit fails (with a FitFailedWarning), or 'raise'.

    Returns
    -------
    scores : dict
        ``fit_time``, ``score_time`` (ndarray of shape (n_splits,)), ``estimator`` when asked,
        then ``test_<name>`` (``test_score`` for a single metric) and, when asked,
        ``train_<name>`` right after each.
    """
    _check_n_jobs(n_jobs)
    _check_error_score(error_score)
    scorers, _ = _check_scorers(estimator, scoring)
    X, y = _prepare(X, y)
    splits = list(check_cv(cv, y, classifier=is_classifier(estimator)).split(X, y))
    shared = _Shared(X, y, clone(estimator), [{}], splits, scorers, return_train_score,
                     return_estimator, error_score)
    records, _ = _evaluate(shared, n_jobs=n_jobs, verbose=verbose)
    names = _score_names(records, scorers)
    n = len(records)
    out: dict[str, Any] = {"fit_time": np.array([r["fit_time"] for r in records]),
                           "score_time": np.array([r["score_time"] for r in records])}
    if return_estimator:
        out["estimator"] = [r.get("estimator") for r in records]
    test = _score_arrays(records, names, "test_scores", error_score, (n,))
    train = _score_arrays(records, names, "train_scores", error_score, (n,))
    for name in names:
        out[f"test_{name}"] = test[name]
        if return_train_score:
            out[f"train_{name}"] = train[name]
    return out


def cross_val_score(estimator: Any, X: Any, y: Any = None, *, scoring: Any = None, cv: Any = None,
                    n_jobs: int | None = None, verbose: int = 0,
                    error_score: Any = np.nan) -> np.ndarray:
    """Test scores of one metric by cross-validation.

    Parameters are those of :func:`cross_validate` (``scoring`` must name one metric).

    Returns
    -------
    scores : ndarray of shape (n_splits,)
    """
    if isinstance(scoring, (list, tuple, set, dict)):
        raise ValueError(f"cross_val_score takes a single metric, got scoring={scoring!r}; use "
                         "cross_validate for several.")
    return cross_validate(estimator, X, y, scoring=scoring, cv=cv, n_jobs=n_jobs, verbose=verbose,
                          error_score=error_score)["test_score"]
