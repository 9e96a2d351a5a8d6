"""Save and load fitted MLPs in a portable file: one ``.npz`` of plain arrays plus a JSON header.

The file holds no pickles: the weights, biases, loss curve, validation scores, ``classes_`` and
``feature_names_in_`` as plain arrays, and one JSON string with the format name and version, the
class name, ``get_params()``, the fitted scalar attributes and a SHA-256 digest of every array.
A pipeline of scalers ending in an MLP (``make_pipeline(StandardScaler(), MLPClassifier())``) is
saved whole: each scaler's class, parameters and fitted arrays (``step0.mean_`` ...) too, so the
loaded pipeline takes raw rows.
Any NumPy (or a zip tool and a JSON parser) can read it; :func:`load_model` reads it with
``allow_pickle=False`` and refuses a file that is foreign, of another format version, truncated or
altered.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import zipfile
import zlib
from typing import Any

import numpy as np

from .neural_network import MLPClassifier, MLPRegressor
from .pipeline import _SKIP, Pipeline

__all__ = ["FORMAT", "FORMAT_VERSION", "load_model", "save_model"]

FORMAT = "minimlp-model"
# Version 2 added the preprocessing steps; a version-1 file is a bare model and still loads.
FORMAT_VERSION = 2
_READABLE = (1, 2)
_HEADER = "__minimlp__"
_CLASSES = {"MLPClassifier": MLPClassifier, "MLPRegressor": MLPRegressor}
# Fitted attributes that are plain numbers or strings (None allowed), restored as they were.
_SCALARS = ("n_features_in_", "n_outputs_", "n_layers_", "out_activation_", "n_iter_", "t_",
            "loss_", "best_loss_", "best_validation_score_", "_label_kind")


def _plain(value: Any) -> Any:
    """``value`` as a JSON-able Python object (NumPy scalars -> int/float/bool, tuples -> lists)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    return value


def _digest(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _transformers() -> dict[str, type]:
    from .preprocessing import MinMaxScaler, StandardScaler

    return {"StandardScaler": StandardScaler, "MinMaxScaler": MinMaxScaler}


def _savable_array(attr: str, value: Any) -> np.ndarray:
    values = np.asarray(value)
    if values.dtype == object:  # strings from an object column: store as unicode
        if not all(isinstance(v, str) for v in values):
            raise TypeError(f"{attr} must hold numbers or strings to be saved, got {values!r}.")
        values = values.astype(str)
    return values


def _step_state(i: int, name: str, step: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """A preprocessing step's header entry; its fitted arrays go to ``arrays`` as ``step{i}.*``."""
    if step in _SKIP:
        return {"name": name, "class": step}
    cls = type(step).__name__
    if _transformers().get(cls) is not type(step):
        raise TypeError(f"save_model saves pipelines of {sorted(_transformers())} steps ending in "
                        f"an MLP; step {name!r} is a {cls}.")
    fitted = {k: v for k, v in vars(step).items() if k.endswith("_") and not k.startswith("_")}
    if not fitted:
        raise ValueError(f"Step {name!r} ({cls}) is not fitted yet; fit the pipeline first.")
    attributes = {}
    for key, value in fitted.items():
        if isinstance(value, np.ndarray):
            arrays[f"step{i}.{key}"] = _savable_array(key, value)
        else:
            attributes[key] = _plain(value)
    return {"name": name, "class": cls, "params": _plain(step.get_params(deep=False)),
            "attributes": attributes}


def save_model(model: Any, path: str | os.PathLike) -> None:
    """Write a fitted MLP, or a pipeline of scalers ending in one, to ``path`` (npz format).

    Parameters
    ----------
    model : MLPClassifier, MLPRegressor or Pipeline
        A fitted model, or a fitted :class:`~minimlp.pipeline.Pipeline` whose steps are
        ``StandardScaler`` / ``MinMaxScaler`` / ``'passthrough'`` followed by an MLP. A
        ``random_state`` that is a ``RandomState`` object is saved as None (the weights are
        saved, so predictions do not depend on it).
    path : str or path-like
        Destination, written as given (no suffix is added); ``.npz`` is the usual suffix.
    """
    arrays: dict[str, np.ndarray] = {}
    steps, final_name = [], None
    if isinstance(model, Pipeline):
        model._validate_steps()
        *before, (final_name, model) = model.steps
        steps = [_step_state(i, n, s, arrays) for i, (n, s) in enumerate(before)]
    name = type(model).__name__
    if name not in _CLASSES or not isinstance(model, _CLASSES[name]):
        raise TypeError(f"save_model saves MLPClassifier and MLPRegressor models (alone or at "
                        f"the end of a pipeline of scalers), got {name}.")
    if not hasattr(model, "coefs_"):
        raise ValueError(f"This {name} instance is not fitted yet; fit it before saving.")
    for i, (W, b) in enumerate(zip(model.coefs_, model.intercepts_)):
        arrays[f"coef_{i}"], arrays[f"intercept_{i}"] = np.asarray(W), np.asarray(b)
    arrays["loss_curve_"] = np.asarray(model.loss_curve_, dtype=np.float64)
    if model.validation_scores_ is not None:
        arrays["validation_scores_"] = np.asarray(model.validation_scores_, dtype=np.float64)
    for attr in ("classes_", "feature_names_in_"):
        if hasattr(model, attr):
            arrays[attr] = _savable_array(attr, getattr(model, attr))
    params = model.get_params(deep=False)
    if not (params["random_state"] is None or isinstance(params["random_state"], int)):
        params["random_state"] = None
    header = {
        "format": FORMAT, "version": FORMAT_VERSION, "class": name,
        "params": _plain(params),
        "attributes": {k: _plain(getattr(model, k)) for k in _SCALARS if hasattr(model, k)},
        "n_layers": len(model.coefs_), "steps": steps, "final_name": final_name,
        "sha256": _digest(arrays),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **{_HEADER: np.array(json.dumps(header))}, **arrays)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())


def _read(where: str) -> tuple[Any, dict[str, np.ndarray]]:
    """The JSON header and the arrays of the file, or a ValueError saying why they cannot be."""
    try:
        npz = np.load(where, allow_pickle=False)
        if not hasattr(npz, "files"):  # a .npy file gives a plain array
            raise ValueError("not an .npz archive")
        with npz:
            if _HEADER not in npz.files:
                raise ValueError("no minimlp header")
            arrays = {k: npz[k] for k in npz.files}
            return json.loads(str(arrays.pop(_HEADER)[()])), arrays
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, zlib.error) as exc:
        raise ValueError(f"{where!r} is not a minimlp model file or is corrupted "
                         f"({exc}).") from None


def _params(params: dict[str, Any]) -> dict[str, Any]:
    """Saved parameters as the estimators take them (JSON lists back to tuples, inf)."""
    return {k: tuple(v) if isinstance(v, list) else np.inf if v == math.inf else v
            for k, v in params.items()}


def _load_step(where: str, i: int, entry: dict[str, Any], arrays: dict[str, np.ndarray]) -> Any:
    if entry["class"] in _SKIP:
        return entry["class"]
    cls = _transformers().get(entry["class"])
    if cls is None:
        raise ValueError(f"{where!r} holds an unknown step class {entry['class']!r}.")
    step = cls(**_params(entry["params"]))
    for key, value in entry["attributes"].items():
        setattr(step, key, value)
    prefix = f"step{i}."
    for key in [k for k in arrays if k.startswith(prefix)]:
        setattr(step, key[len(prefix):], arrays.pop(key))
    return step


def load_model(path: str | os.PathLike) -> Any:
    """Read a model (or pipeline) written by :func:`save_model`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    model : MLPClassifier, MLPRegressor or Pipeline
        Fitted, predicting exactly as the saved model did (a pipeline if one was saved).

    Raises
    ------
    ValueError
        When the file is not a minimlp model, has another format version, or is truncated or
        corrupted.
    """
    where = os.fspath(path)
    header, arrays = _read(where)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{where!r} is not a minimlp model file (format "
                         f"{header.get('format') if isinstance(header, dict) else None!r}).")
    if header.get("version") not in _READABLE:
        raise ValueError(f"{where!r} has minimlp model format version {header.get('version')!r}; "
                         f"this minimlp reads versions {', '.join(map(str, _READABLE))}.")
    if header.get("sha256") != _digest(arrays):
        raise ValueError(f"{where!r} is corrupted: its arrays do not match their checksum.")
    cls = _CLASSES.get(header.get("class"))
    if cls is None:
        raise ValueError(f"{where!r} holds an unknown model class {header.get('class')!r}.")
    steps = [_load_step(where, i, e, arrays) for i, e in enumerate(header.get("steps", []))]
    model = cls(**_params(header["params"]))
    n = header["n_layers"]
    model.coefs_ = [arrays[f"coef_{i}"] for i in range(n)]
    model.intercepts_ = [arrays[f"intercept_{i}"] for i in range(n)]
    model.loss_curve_ = arrays["loss_curve_"].tolist()
    scores = arrays.get("validation_scores_")
    model.validation_scores_ = None if scores is None else scores.tolist()
    for attr in ("classes_", "feature_names_in_"):
        if attr in arrays:
            setattr(model, attr, arrays[attr])
    for key, value in header["attributes"].items():
        setattr(model, key, value)
    if header.get("final_name") is None:
        return model
    names = [e["name"] for e in header["steps"]]
    return Pipeline([*zip(names, steps), (header["final_name"], model)])
