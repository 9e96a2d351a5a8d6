"""Pictures of a fit and of a search: loss curves, score heatmaps, halving rungs.

Needs matplotlib (``pip install minimlp[plot]``), imported only when a function is called. The
functions build ``matplotlib.figure.Figure`` objects on the Agg canvas and never touch pyplot's
global state, so they work headless (servers, CI, worker processes). Each returns the Figure
and, given ``path``, also saves it (the suffix picks the format: ``.png``, ``.svg``, ``.pdf``).
"""

from __future__ import annotations

import os
import textwrap
from typing import Any

import numpy as np

from .base import clone

__all__ = ["plot_halving", "plot_loss_curves", "plot_search_scores"]


def _figure(**kwargs: Any) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("minimlp.plotting needs matplotlib: pip install 'minimlp[plot]'") \
            from None
    fig = Figure(**kwargs)
    FigureCanvasAgg(fig)  # attaches itself to fig: savefig and canvas.draw work without pyplot
    return fig


def _finish(fig: Any, path: str | os.PathLike | None) -> Any:
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig


def _metric(search: Any, metric: str | None) -> str:
    if metric is not None:
        return metric
    if getattr(search, "multimetric_", False):
        return search.refit if isinstance(search.refit, str) else next(
            k[len("mean_test_"):] for k in search.cv_results_ if k.startswith("mean_test_"))
    return "score"


def _short(params: dict[str, Any], width: int | None = None) -> str:
    """``a=1, b=0.001235``: floats to 4 significant digits, wrapped to ``width`` characters."""
    text = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in params.items())
    return text if width is None else textwrap.fill(text, width)


def _ranked(search: Any, metric: str) -> np.ndarray:
    """Candidate indices from best to worst (stable in candidate order among ties)."""
    return np.argsort(search.cv_results_[f"rank_test_{metric}"], kind="stable")


# ------------------------------------------------------------------------------- loss curves
def _final(model: Any) -> Any:
    """The model itself, or a pipeline's final step (the MLP that has the loss curve)."""
    return getattr(model, "_final_estimator", model)


def plot_loss_curves(estimator_or_search: Any, *, top: int = 1, X: Any = None, y: Any = None,
                     metric: str | None = None, path: str | os.PathLike | None = None) -> Any:
    """Training loss per epoch (and the validation score with early stopping).

    Parameters
    ----------
    estimator_or_search : fitted MLP, pipeline ending in one, or fitted search
        An MLP shows its own ``loss_curve_`` (and ``validation_scores_``); a pipeline, its final
        step's. A search with
        ``refit`` shows its ``best_estimator_``; ``cv_results_`` keeps no fitted models, so for
        ``top > 1`` the next best candidates are refitted here on ``X``, ``y`` (the data the
        search was fitted on), exactly as ``best_estimator_`` was.
    top : int, default=1
        Number of best candidates of a search to show.
    X : array-like of shape (n_samples, n_features), default=None
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        Needed only for ``top > 1``.
    metric : str, default=None
        Which ranking picks the best candidates (a multimetric search's refit metric by default).
    path : str or path-like, default=None
        Also save the figure there.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Axis 0: loss against epoch; with early stopping, a twin axis with the validation score.
    """
    models: list[tuple[str, Any]]
    if hasattr(estimator_or_search, "cv_results_"):
        search = estimator_or_search
        if not hasattr(search, "best_estimator_"):
            raise ValueError("plot_loss_curves needs a search fitted with refit=True "
                             "(it has no best_estimator_).")
        if top < 1:
            raise ValueError(f"top must be >= 1, got top={top!r}.")
        params = search.cv_results_["params"]
        # best_index_ first, then by rank; a halving search lists a candidate once per rung.
        order = [int(search.best_index_)]
        for i in _ranked(search, _metric(search, metric)):
            if len(order) < top and all(params[i] != params[j] for j in order):
                order.append(int(i))
        if len(order) > 1 and (X is None or y is None):
            raise ValueError(f"top={top} refits the candidates after the best: pass X and y.")
        models = [(f"#1 {_short(search.best_params_)}", search.best_estimator_)]
        for rank, i in enumerate(order[1:], start=2):
            model = clone(search.estimator).set_params(**params[i])
            models.append((f"#{rank} {_short(params[i])}", model.fit(X, y)))
        title = f"Loss curves of the {len(models)} best candidates" if len(models) > 1 else \
            "Loss curve of the best candidate"
    else:
        if not hasattr(_final(estimator_or_search), "loss_curve_"):
            raise ValueError(f"plot_loss_curves needs a fitted MLP or search, got "
                             f"{type(estimator_or_search).__name__}.")
        models = [(type(estimator_or_search).__name__, estimator_or_search)]
        title = f"Loss curve of {type(estimator_or_search).__name__}"

    fig = _figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    score_ax = None
    for k, (label, model) in enumerate(models):
        color, model = f"C{k % 10}", _final(model)
        epochs = np.arange(1, len(model.loss_curve_) + 1)
        ax.plot(epochs, model.loss_curve_, color=color, label=label)
        if model.validation_scores_ is not None:
            score_ax = score_ax or ax.twinx()
            score_ax.plot(epochs, model.validation_scores_, color=color, linestyle="--",
                          label=f"{label} (validation)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    if score_ax is not None:
        score_ax.set_ylabel("validation score (dashed)")
        more = score_ax.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    ax.legend(handles, labels, fontsize="small")
    return _finish(fig, path)


# ---------------------------------------------------------------------------- search scores
def _values(column: Any) -> list[Any]:
    """Distinct unmasked values of a ``param_*`` column, sorted when they can be."""
    seen: list[Any] = []
    for v in column:
        if v is not np.ma.masked and not any(v is s or _same(v, s) for s in seen):
            seen.append(v)
    try:
        return sorted(seen)
    except TypeError:
        return seen


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # e.g. arrays; compare by identity then
        return False


def plot_search_scores(search: Any, x: str | None = None, y: str | None = None, *,
                       others: str = "best", metric: str | None = None,
                       path: str | os.PathLike | None = None) -> Any:
    """Mean test score over the candidates: a heatmap over two parameters, or per candidate.

    Parameters
    ----------
    search : fitted search
    x, y : str, default=None
        Two parameter names (without ``param_``): a heatmap of the mean test score with ``x``
        across and ``y`` down, each cell annotated. Without them: every candidate's mean test
        score with a ±std error bar, best first.
    others : {'best', 'mean'}, default='best'
        For the heatmap: the other parameters fixed at the best candidate's values, or the
        score averaged over them. Cells with no candidate are left blank.
    metric : str, default=None
        Score to plot (a multimetric search's refit metric by default).
    path : str or path-like, default=None
        Also save the figure there.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    results = search.cv_results_
    metric = _metric(search, metric)
    means, stds = results[f"mean_test_{metric}"], results[f"std_test_{metric}"]
    if (x is None) != (y is None):
        raise ValueError(f"Give both x and y for a heatmap, or neither; got x={x!r}, y={y!r}.")
    if x is None:
        return _plot_by_candidate(search, means, stds, metric, path)
    for name in (x, y):
        if f"param_{name}" not in results:
            searched = sorted(k[len("param_"):] for k in results if k.startswith("param_"))
            raise ValueError(f"{name!r} is not a searched parameter; the searched parameters "
                             f"are {searched!r}.")
    if x == y:
        raise ValueError(f"x and y must differ, got x=y={x!r}.")
    if others not in ("best", "mean"):
        raise ValueError(f"others must be 'best' or 'mean', got others={others!r}.")
    params = results["params"]
    best = params[int(np.nanargmax(np.where(np.isnan(means), -np.inf, means)))]
    fixed = {k: v for k, v in best.items() if k not in (x, y)}
    xs, ys = _values(results[f"param_{x}"]), _values(results[f"param_{y}"])
    cells: dict[tuple[int, int], list[float]] = {}
    for p, mean in zip(params, means):
        if x not in p or y not in p:
            continue
        if others == "best" and any(not _same(p.get(k), v) for k, v in fixed.items()):
            continue
        i = next(j for j, v in enumerate(ys) if _same(p[y], v))
        j = next(j for j, v in enumerate(xs) if _same(p[x], v))
        cells.setdefault((i, j), []).append(float(mean))
    grid = np.full((len(ys), len(xs)), np.nan)
    for (i, j), scores in cells.items():
        grid[i, j] = np.mean(scores)

    fig = _figure(figsize=(1.4 * len(xs) + 3, 0.9 * len(ys) + 2.5))
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="viridis", aspect="auto")
    fig.colorbar(image, ax=ax, label=f"mean test {metric}")
    finite = grid[np.isfinite(grid)]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    for (i, j), v in np.ndenumerate(grid):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.3f}", ha="center", va="center",
                    color="black" if v > middle else "white", fontsize="small")
    ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_yticks(range(len(ys)), [str(v) for v in ys])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    title = f"Mean test {metric} by {y} and {x}"
    if fixed:
        title += ("\n(others at the best: " + _short(fixed, width=60) + ")" if others == "best"
                  else "\n(averaged over the other parameters)")
    ax.set_title(title, fontsize="medium")
    return _finish(fig, path)


def _plot_by_candidate(search: Any, means: np.ndarray, stds: np.ndarray, metric: str,
                       path: str | os.PathLike | None) -> Any:
    order = _ranked(search, metric)
    n = len(order)
    width = min(max(6, 2 + 0.35 * n), 16)  # inches; at least room for the title
    fig = _figure(figsize=(width, 4.5))
    ax = fig.add_subplot()
    positions = np.arange(1, n + 1)
    ax.errorbar(positions, means[order], yerr=stds[order], fmt="o", color="C0", ecolor="0.6",
                capsize=3, label="mean ± std over folds")
    ax.plot(1, means[order[0]], "o", color="C3", markersize=9, label="best candidate")
    ax.set_xlabel("candidate (by rank)")
    ax.set_ylabel(f"mean test {metric}")
    if n <= 40:
        ax.set_xticks(positions, [str(i) for i in order], fontsize="small")
        ax.set_xlabel("candidate index in cv_results_ (best first)")
    ax.set_title(f"Mean test {metric} per candidate\nbest: " +
                 _short(search.cv_results_["params"][order[0]], width=int(11 * width)),
                 fontsize="medium")
    ax.legend(fontsize="small")
    return _finish(fig, path)


# ------------------------------------------------------------------------------ halving
def plot_halving(search: Any, *, metric: str | None = None,
                 path: str | os.PathLike | None = None) -> Any:
    """Successive halving: candidates per rung, and each candidate's score against resources.

    Reads scikit-learn's halving attributes: ``n_candidates_``, ``n_resources_`` (per rung) and
    ``cv_results_`` with ``iter``, ``n_resources``, ``params`` and the mean test score (one row
    per candidate and rung).

    Parameters
    ----------
    search : fitted HalvingGridSearchCV or HalvingRandomSearchCV
    metric : str, default=None
    path : str or path-like, default=None

    Returns
    -------
    fig : matplotlib.figure.Figure
        Axis 0: bars of candidates per rung (labelled with the resources). Axis 1: mean test
        score against resources, one line per candidate; the survivors (candidates of the last
        rung) in colour, the eliminated ones grey.
    """
    for attr in ("n_candidates_", "n_resources_", "cv_results_"):
        if not hasattr(search, attr):
            raise ValueError(f"plot_halving needs a fitted halving search; {attr} is missing.")
    results = search.cv_results_
    metric = _metric(search, metric)
    rungs, resources = np.asarray(results["iter"]), np.asarray(results["n_resources"])
    means = np.asarray(results[f"mean_test_{metric}"], dtype=float)
    last = rungs.max()
    tracks: dict[str, list[int]] = {}  # one candidate's rows over the rungs, keyed by params
    for row, p in enumerate(results["params"]):
        tracks.setdefault(repr(sorted(p.items())), []).append(row)

    fig = _figure(figsize=(11, 4.5))
    bars, scores = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    n_rungs = len(search.n_candidates_)
    positions = np.arange(n_rungs)
    bars.bar(positions, search.n_candidates_, color="C0")
    for pos, n in zip(positions, search.n_candidates_):
        bars.annotate(str(n), (pos, n), ha="center", va="bottom")
    bars.set_xticks(positions, [f"rung {i}\n{r} resources" for i, r in
                                zip(positions, search.n_resources_)], fontsize="small")
    bars.set_ylabel("candidates")
    bars.set_title("Candidates per rung")
    survivors = 0
    for rows in tracks.values():
        rows = sorted(rows, key=lambda r: rungs[r])
        survived = rungs[rows[-1]] == last
        survivors += survived
        scores.plot(resources[rows], means[rows], marker="o", markersize=4,
                    color="C2" if survived else "0.75",
                    linewidth=2 if survived else 1, zorder=3 if survived else 1)
    scores.plot([], [], color="C2", linewidth=2, label=f"survivors ({survivors})")
    scores.plot([], [], color="0.75", label="eliminated")
    if np.ptp(resources) > 0 and resources.min() > 0 and resources.max() / resources.min() > 8:
        scores.set_xscale("log")
    scores.set_xlabel("resources (n_resources)")
    scores.set_ylabel(f"mean test {metric}")
    scores.set_title("Scores as resources grow")
    scores.legend(fontsize="small")
    return _finish(fig, path)
