"""The ``minimlp`` command line: ``demo``, ``search`` and ``predict``.

``minimlp demo`` runs the seed workflow (a 27-candidate × 5-fold grid search of an SGD MLP on
``make_classification`` data) with a progress display, then prints the best parameters and the
candidates' mean scores.

``minimlp search DATA --target COLUMN --grid GRID`` searches an MLP's hyperparameters on a CSV
(or .npz / .npy) and writes the ranked results, the best model and plots to ``--out``. Features
are standardized inside each fold (a StandardScaler fitted on the fold's training rows, in a
pipeline before the MLP) unless ``--no-scale``; the saved model includes the fitted scaler.
``minimlp predict MODEL DATA`` applies a saved model to new rows.

A user mistake (missing file, unknown column or parameter, non-numeric feature, empty CSV) is
reported on one line, ``minimlp: error: ...``, with exit code 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

SEED_GRID = {
    "hidden_layer_sizes": [(100,), (100, 100), (100, 100, 100)],
    "alpha": [0.0001, 0.001, 0.01],
    "learning_rate_init": [0.001, 0.01, 0.1],
}


def _bare(params: dict[str, Any]) -> dict[str, Any]:
    """Parameter names without the pipeline step (``mlpclassifier__alpha`` -> ``alpha``)."""
    return {k.rpartition("__")[2]: v for k, v in params.items()}


def _bare_results(results: dict[str, Any]) -> dict[str, Any]:
    """``cv_results_`` with the grid file's parameter names (no pipeline step prefix)."""
    return {f"param_{k[6:].rpartition('__')[2]}" if k.startswith("param_") else k:
            [_bare(p) for p in v] if k == "params" else v for k, v in results.items()}


def _candidates_table(search) -> str:
    """The candidates ranked by mean test score, as aligned text."""
    results = _bare_results(search.cv_results_)
    names = sorted({k for p in results["params"] for k in p})
    header = ["rank", "mean", "std", *names]
    rows = [
        [str(results["rank_test_score"][i]), f"{results['mean_test_score'][i]:.4f}",
         f"{results['std_test_score'][i]:.4f}", *(str(p.get(k, "")) for k in names)]
        for i, p in sorted(enumerate(results["params"]),
                           key=lambda ip: results["rank_test_score"][ip[0]])
    ]
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [header, *rows])


def demo(args: argparse.Namespace) -> int:
    """Run the seed workflow on its built-in data and report the search."""
    from .datasets import make_classification
    from .exceptions import ConvergenceWarning
    from .model_selection import GridSearchCV
    from .neural_network import MLPClassifier

    X, y = make_classification(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                               random_state=42, shuffle=False)
    if args.float32:
        X = X.astype("float32")
    model = MLPClassifier(hidden_layer_sizes=(100,), max_iter=args.max_iter, alpha=0.0001,
                          solver="sgd", tol=0.0001, random_state=1)
    search = GridSearchCV(model, SEED_GRID, n_jobs=args.n_jobs, cv=5, verbose=1)
    print(f"minimlp demo: 27 candidates x 5 folds, max_iter={args.max_iter}, "
          f"n_jobs={args.n_jobs}", flush=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Fits that reach max_iter are expected in this grid (scikit-learn's too).
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    print(f"\nfit time: {time.perf_counter() - start:.1f} s")
    print(f"best parameters: {search.best_params_}  (mean accuracy {search.best_score_:.4f})\n")
    print(_candidates_table(search))
    return 0


class UsageError(Exception):
    """A user mistake, reported as one line with exit code 2."""


# ---------------------------------------------------------------------------------- data
def _read_csv(path: str) -> tuple[list[str], dict[str, list[str]], list[int]]:
    """Header, columns of stripped strings and each data row's line number."""
    try:  # utf-8-sig: spreadsheet programs often start the file with a byte-order mark
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path} is not a readable UTF-8 CSV file ({exc}).") from None
    if not rows:
        raise UsageError(f"{path} is empty (a CSV needs a header row and data rows).")
    header = [h.strip() for h in rows[0][1]]
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        raise UsageError(f"{path}: the header names column(s) {twice} more than once.")
    if len(rows) == 1:
        raise UsageError(f"{path} has a header but no data rows.")
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise UsageError(f"{path}, line {line}: {len(row)} fields, but the header has "
                             f"{len(header)}.")
    columns = {h: [row[j].strip() for _, row in rows[1:]] for j, h in enumerate(header)}
    return header, columns, [line for line, _ in rows[1:]]


def _floats(values: list[str]) -> np.ndarray | None:
    try:
        return np.array(values, dtype=np.float64)
    except ValueError:
        return None


def _features(path: str, columns: dict[str, list[str]], names: list[str],
              lines: list[int]) -> np.ndarray:
    """The ``names`` columns as a float64 matrix; a non-numeric one is named in the error."""
    X = np.empty((len(lines), len(names)))
    for j, name in enumerate(names):
        values = _floats(columns[name])
        if values is None:
            i = next(i for i, v in enumerate(columns[name]) if _floats([v]) is None)
            raise UsageError(f"{path}: feature column {name!r} is not numeric (line {lines[i]}: "
                             f"{columns[name][i]!r}); encode it as numbers or drop it.")
        X[:, j] = values
    return X


def _exists(path: str, what: str) -> str:
    if not os.path.isfile(path):
        raise UsageError(f"{what} {path!r} does not exist or is not a file.")
    return path


def _load_npz(path: str) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} is not a readable .npz file ({exc}).") from None


def _load_npy(path: str) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} is not a readable .npy file ({exc}).") from None


def load_training_data(path: str, target: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """X, y and the feature names from a CSV, an .npz or an .npy pair.

    CSV: a header row; ``target`` names the target column, every other column is a numeric
    feature. ``.npz``: the array ``X`` and the array named ``target``. ``.npy``: ``path`` holds
    X and ``target`` is the path of the .npy holding y.
    """
    _exists(path, "DATA")
    suffix = Path(path).suffix.lower()
    if suffix == ".npz":
        arrays = _load_npz(path)
        missing = [k for k in ("X", target) if k not in arrays]
        if missing:
            raise UsageError(f"{path} has no array named {missing[0]!r}; it has "
                             f"{sorted(arrays)} (an .npz needs X and the --target array).")
        X, y = arrays["X"], arrays[target]
    elif suffix == ".npy":
        X, y = _load_npy(path), _load_npy(_exists(target, "--target (the y .npy file)"))
    else:
        header, columns, lines = _read_csv(path)
        if target not in columns:
            raise UsageError(f"{path} has no column {target!r}; its columns are {header}.")
        names = [h for h in header if h != target]
        if not names:
            raise UsageError(f"{path} has no feature column besides the target {target!r}.")
        X = _features(path, columns, names, lines)
        y = _floats(columns[target])
        y = np.array(columns[target]) if y is None else y
        return X, y, names
    if X.ndim != 2 or X.dtype.kind not in "biuf":
        raise UsageError(f"{path}: X must be a 2-D numeric array, got shape {X.shape} "
                         f"dtype {X.dtype}.")
    if len(y) != len(X):
        raise UsageError(f"X has {len(X)} rows but the target has {len(y)}.")
    return X, y, [f"x{j}" for j in range(X.shape[1])]


def infer_task(y: np.ndarray, forced: str | None = None) -> str:
    """'classification' for strings or at most 20 distinct integer values, else 'regression'."""
    numeric = y.dtype.kind in "biuf"
    if forced == "regression" and not numeric:
        raise UsageError("--task regression needs a numeric target, got text labels.")
    if forced:
        return forced
    if not numeric or y.dtype.kind == "b":
        return "classification"
    integral = bool(np.all(np.isfinite(y)) and np.all(np.asarray(y) == np.round(y)))
    return "classification" if integral and len(np.unique(y)) <= 20 else "regression"


# ---------------------------------------------------------------------------------- grid
_DISTRIBUTIONS = ("loguniform", "uniform", "randint")


def _read_grid(path: str) -> Any:
    _exists(path, "GRID")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not a UTF-8 text file ({exc}).") from None
    if Path(path).suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path} is not valid JSON: {exc}.") from None
    if Path(path).suffix.lower() != ".toml":
        raise UsageError(f"GRID {path!r} must be a .toml or .json file.")
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - the stdlib has tomllib from 3.11
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}.") from None


def _distribution(path: str, key: str, spec: dict) -> Any:
    from .model_selection import loguniform, randint, uniform

    if len(spec) != 1 or next(iter(spec)) not in _DISTRIBUTIONS:
        raise UsageError(f"{path}: {key} = {spec!r} is not a distribution; write one of "
                         "{loguniform = [a, b]}, {uniform = [low, high]}, {randint = [low, high]}.")
    (name, bounds), = spec.items()
    if not (isinstance(bounds, list) and len(bounds) == 2):
        raise UsageError(f"{path}: {key}: {name} takes [low, high], got {bounds!r}.")
    low, high = bounds
    try:
        if name == "uniform":
            if not high > low:
                raise ValueError(f"high must be > low; got low={low!r}, high={high!r}.")
            return uniform(low, high - low)
        return loguniform(low, high) if name == "loguniform" else randint(low, high)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{path}: {key}: {exc}") from None


def load_grid(path: str, estimator: Any) -> list[dict[str, Any]]:
    """The search space of a TOML / JSON file as a list of grids.

    A file is a table of ``parameter = [values]`` (or a JSON list of such tables). A single
    value is a one-value list; inner lists become tuples (``hidden_layer_sizes = [[50], [50,
    50]]``); ``{loguniform = [a, b]}``, ``{uniform = [low, high]}`` (high excluded) and
    ``{randint = [low, high]}`` (high excluded) are distributions for random search. Unknown
    parameter names and invalid values are reported with the file's name.
    """
    raw = _read_grid(path)
    grids = raw if isinstance(raw, list) else [raw]
    if not grids or not all(isinstance(g, dict) and g for g in grids):
        raise UsageError(f"{path} must hold a table of parameter = [values] (or a JSON list of "
                         "such tables).")
    valid = estimator.get_params(deep=False)
    out = []
    for grid in grids:
        unknown = sorted(k for k in grid if k not in valid)
        if unknown:
            raise UsageError(f"{path}: {type(estimator).__name__} has no parameter "
                             f"{', '.join(map(repr, unknown))}; valid parameters are: "
                             f"{', '.join(sorted(valid))}.")
        space: dict[str, Any] = {}
        for key, value in grid.items():
            if isinstance(value, dict):
                space[key] = _distribution(path, key, value)
                continue
            values = value if isinstance(value, list) else [value]
            if not values:
                raise UsageError(f"{path}: {key} has an empty list of values.")
            space[key] = [tuple(v) if isinstance(v, list) else v for v in values]
            for v in space[key]:
                try:  # fail now, not as NaN scores after the whole search
                    estimator.__class__(**{**valid, key: v})._validate_hyperparameters()
                except (ValueError, TypeError) as exc:
                    raise UsageError(f"{path}: bad value {v!r} for {key}: {exc}") from None
        out.append(space)
    return out


# -------------------------------------------------------------------------------- search
def _make_search(args: argparse.Namespace, estimator: Any, space: list[dict], cv: Any) -> Any:
    from . import model_selection

    has_distributions = any(not isinstance(v, list) for g in space for v in g.values())
    common = {"cv": cv, "scoring": args.scoring, "n_jobs": args.n_jobs, "verbose": 1,
              "journal": args.journal}
    if args.search == "grid":
        if has_distributions:
            raise UsageError("distributions such as {loguniform = [a, b]} need --search random "
                             "(or halving); a grid needs lists of values.")
        return model_selection.GridSearchCV(estimator, space, **common)
    if args.search == "random":
        return model_selection.RandomizedSearchCV(
            estimator, space, n_iter=args.n_iter or 10, random_state=args.seed, **common)
    name = "HalvingRandomSearchCV" if has_distributions else "HalvingGridSearchCV"
    cls = getattr(model_selection, name, None)
    if cls is None:
        raise UsageError(f"--search halving needs minimlp.model_selection.{name}, which this "
                         "minimlp version does not have yet; use --search grid or random.")
    if has_distributions:
        common["n_candidates"] = args.n_iter or "exhaust"
    return cls(estimator, space, random_state=args.seed, **common)


def _write_plots(search: Any, X: np.ndarray, y: np.ndarray, out: Path) -> list[Path]:
    """loss_curves.png, scores.png (a heatmap when exactly two parameters vary in a grid
    search) and, for a halving search, halving.png."""
    from . import plotting

    written = [out / "loss_curves.png", out / "scores.png"]
    plotting.plot_loss_curves(search, top=3, X=X, y=y, path=written[0])
    results = search.cv_results_
    varying = [k[len("param_"):] for k in results if k.startswith("param_")
               and len(plotting._values(results[k])) > 1]
    if len(varying) == 2 and not hasattr(search, "param_distributions"):
        plotting.plot_search_scores(search, x=varying[0], y=varying[1], path=written[1])
    else:
        plotting.plot_search_scores(search, path=written[1])
    if hasattr(search, "n_candidates_"):
        written.append(out / "halving.png")
        plotting.plot_halving(search, path=written[-1])
    return written


def search(args: argparse.Namespace) -> int:
    """Search an MLP's hyperparameters on DATA, print the ranking, write results and model."""
    from .exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        # Fits that stop at max_iter are normal in a search; the scores show how good they are.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _search(args)


def _search(args: argparse.Namespace) -> int:
    from .metrics import get_scorer_names
    from .model_selection import KFold, StratifiedKFold
    from .model_selection._results import write_results_csv, write_results_json
    from .neural_network import MLPClassifier, MLPRegressor
    from .persistence import save_model
    from .pipeline import make_pipeline
    from .preprocessing import StandardScaler

    X, y, names = load_training_data(args.data, args.target)
    task = infer_task(y, args.task)
    if task == "classification" and y.dtype.kind == "f" and np.array_equal(y, np.round(y)):
        y = y.astype(np.int64)  # labels 0, 1, 2 rather than 0.0, 1.0, 2.0
    if args.scoring is not None and args.scoring not in get_scorer_names():
        raise UsageError(f"unknown --scoring {args.scoring!r}; valid names are: "
                         f"{', '.join(get_scorer_names())}.")
    cls = MLPClassifier if task == "classification" else MLPRegressor
    estimator = cls(random_state=args.seed)
    space = load_grid(args.grid, estimator)
    if not args.no_scale:
        # Scaled inside each fold: the scaler sees that fold's training rows only.
        step = cls.__name__.lower()
        space = [{f"{step}__{k}": v for k, v in grid.items()} for grid in space]
        estimator = make_pipeline(StandardScaler(), estimator)
    # Shuffled folds: a CSV is often sorted (by class, by date), and unshuffled folds would
    # then test on rows unlike the training rows.
    splitter = StratifiedKFold if task == "classification" and y.ndim == 1 else KFold
    cv = splitter(args.cv, shuffle=True, random_state=args.seed)
    search = _make_search(args, estimator, space, cv)
    out = Path(args.out)  # before the search: a bad --out should not cost a search
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output directory {str(out)!r} ({exc}).") from None
    n_classes = f", {len(np.unique(y))} classes" if task == "classification" else ""
    scaling = "raw features" if args.no_scale else "standardized in each fold"
    print(f"minimlp search: {X.shape[0]} rows x {X.shape[1]} features ({scaling}), "
          f"{task}{n_classes}, {args.search} search, {args.cv}-fold CV", flush=True)
    start = time.perf_counter()
    try:
        search.fit(X, y)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"the search failed: {str(exc).splitlines()[0]}") from None
    metric = args.scoring or ("accuracy" if task == "classification" else "R²")
    print(f"\nfit time: {time.perf_counter() - start:.1f} s\n")
    print(_candidates_table(search))
    print(f"\nbest parameters: {_bare(search.best_params_)}  (mean {metric} "
          f"{search.best_score_:.4f})")

    written = [out / "results.csv", out / "results.json", out / "best_model.npz"]
    write_results_csv(_bare_results(search.cv_results_), written[0])
    write_results_json(_bare_results(search.cv_results_), written[1])
    model = search.best_estimator_
    first = model if args.no_scale else model[0]  # the step that receives the raw columns
    first.feature_names_in_ = np.array(names, dtype=object)
    save_model(model, written[2])
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("plots skipped: pip install 'minimlp[plot]' for them")
    else:
        written += _write_plots(search, X, y, out)
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


# ------------------------------------------------------------------------------- predict
def _prediction_rows(model: Any, X: np.ndarray) -> tuple[list[str], list[list[Any]]]:
    with warnings.catch_warnings():
        # X's columns were picked by the model's feature names; the array just has no names.
        warnings.filterwarnings("ignore", message="X does not have valid feature names")
        return _predictions(model, X)


def _predictions(model: Any, X: np.ndarray) -> tuple[list[str], list[list[Any]]]:
    prediction = np.asarray(model.predict(X))
    if prediction.ndim == 1:
        header, columns = ["prediction"], [prediction]
    else:
        header = [f"prediction_{j}" for j in range(prediction.shape[1])]
        columns = list(prediction.T)
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(X)
        header += [f"proba_{c}" for c in model.classes_]
        columns += list(proba.T)
    return header, [list(row) for row in zip(*(c.tolist() for c in columns))]


def predict(args: argparse.Namespace) -> int:
    """Predict (and give class probabilities) for the rows of DATA with a saved model."""
    from .persistence import load_model

    _exists(args.model, "MODEL")
    try:
        model = load_model(args.model)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _exists(args.data, "DATA")
    suffix = Path(args.data).suffix.lower()
    if suffix == ".npz":
        arrays = _load_npz(args.data)
        if "X" not in arrays:
            raise UsageError(f"{args.data} has no array named 'X'; it has {sorted(arrays)}.")
        X = arrays["X"]
    elif suffix == ".npy":
        X = _load_npy(args.data)
    else:
        header, columns, lines = _read_csv(args.data)
        names = [str(n) for n in getattr(model, "feature_names_in_", header)]
        missing = [n for n in names if n not in columns]
        if missing:
            raise UsageError(f"{args.data} lacks the model's feature column(s) {missing}; its "
                             f"columns are {header}.")
        X = _features(args.data, columns, names, lines)
    if X.ndim != 2 or X.shape[1] != model.n_features_in_:
        raise UsageError(f"{args.data} gives X of shape {X.shape}; the model expects "
                         f"{model.n_features_in_} features.")
    header, rows = _prediction_rows(model, X)
    stream = open(args.out, "w", newline="") if args.out else sys.stdout
    try:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    finally:
        if args.out:
            stream.close()
    if args.out:
        print(f"wrote {len(rows)} predictions to {args.out}", file=sys.stderr)
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _folds(text: str) -> int:
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"needs at least 2 folds, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minimlp", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("demo", help="run the seed grid-search workflow on built-in data")
    p.add_argument("--n-jobs", type=int, default=-1, help="worker processes (-1: every core)")
    p.add_argument("--max-iter", type=int, default=1000, help="epochs per fit (default 1000)")
    p.add_argument("--float32", action="store_true", help="train in float32")
    p.set_defaults(func=demo)

    p = commands.add_parser(
        "search", help="search an MLP's hyperparameters on a CSV / .npz / .npy",
        description="Cross-validated hyperparameter search of an MLPClassifier or MLPRegressor "
                    "(the task is inferred from the target). Writes results.csv, results.json, "
                    "best_model.npz and plots to --out.")
    p.add_argument("data", metavar="DATA",
                   help="CSV with a header row, an .npz with arrays X and TARGET, or X.npy")
    p.add_argument("--target", required=True, metavar="COLUMN",
                   help="target column of the CSV (the .npz array name, or the y .npy path)")
    p.add_argument("--grid", required=True, metavar="GRID",
                   help="TOML or JSON file: parameter = [values] or {loguniform = [a, b]} ...")
    p.add_argument("--search", choices=("grid", "random", "halving"), default="grid")
    p.add_argument("--n-iter", type=_positive, default=None, metavar="N",
                   help="candidates drawn by a random search (default 10)")
    p.add_argument("--cv", type=_folds, default=5, metavar="K",
                   help="folds, shuffled with --seed, stratified for classification (default 5)")
    p.add_argument("--scoring", default=None, metavar="NAME",
                   help="scorer name (default: accuracy for classification, R² for regression)")
    p.add_argument("--task", choices=("classification", "regression"), default=None,
                   help="force the task instead of inferring it from the target")
    p.add_argument("--no-scale", action="store_true",
                   help="train on the raw features (default: standardize them inside each fold; "
                        "the saved model includes the scaler)")
    p.add_argument("--n-jobs", type=int, default=-1, help="worker processes (-1: every core)")
    p.add_argument("--journal", default=None, metavar="PATH",
                   help="record finished fits there; rerunning resumes from it")
    p.add_argument("--out", default="minimlp-out", metavar="DIR",
                   help="output directory (default ./minimlp-out)")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="seeds the MLPs, the fold shuffle and random sampling (default 0)")
    p.set_defaults(func=search)

    p = commands.add_parser("predict", help="predict new rows with a saved model",
                            description="Predictions (and class probabilities) as CSV.")
    p.add_argument("model", metavar="MODEL", help="a model saved by minimlp search / save_model")
    p.add_argument("data", metavar="DATA", help="CSV with a header, .npz with X, or .npy")
    p.add_argument("--out", default=None, metavar="PATH", help="CSV to write (default stdout)")
    p.set_defaults(func=predict)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``minimlp`` console script; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse's usage errors (code 2) and --help (code 0)
        return exc.code if isinstance(exc.code, int) else 0
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"minimlp: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
