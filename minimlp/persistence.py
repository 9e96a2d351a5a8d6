"""Save and load fitted MLPs in a portable file: one ``.npz`` of plain arrays plus a JSON header.

The file holds no pickles: the weights, biases, loss curve, validation scores, ``classes_`` and
``feature_names_in_`` as plain arrays, and one JSON string with the format name and version, the
class name, ``get_params()``, the fitted scalar attributes and a SHA-256 digest of every array.
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

__all__ = ["FORMAT", "FORMAT_VERSION", "load_model", "save_model"]

FORMAT = "minimlp-model"
FORMAT_VERSION = 1
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


def save_model(model: MLPClassifier | MLPRegressor, path: str | os.PathLike) -> None:
    """Write a fitted :class:`MLPClassifier` or :class:`MLPRegressor` to ``path`` (npz format).

    Parameters
    ----------
    model : MLPClassifier or MLPRegressor
        A fitted model. A ``random_state`` that is a ``RandomState`` object is saved as None
        (the weights are saved, so predictions do not depend on it).
    path : str or path-like
        Destination, written as given (no suffix is added); ``.npz`` is the usual suffix.
    """
    name = type(model).__name__
    if name not in _CLASSES or not isinstance(model, _CLASSES[name]):
        raise TypeError(f"save_model saves MLPClassifier and MLPRegressor models, got {name}.")
    if not hasattr(model, "coefs_"):
        raise ValueError(f"This {name} instance is not fitted yet; fit it before saving.")
    arrays: dict[str, np.ndarray] = {}
    for i, (W, b) in enumerate(zip(model.coefs_, model.intercepts_)):
        arrays[f"coef_{i}"], arrays[f"intercept_{i}"] = np.asarray(W), np.asarray(b)
    arrays["loss_curve_"] = np.asarray(model.loss_curve_, dtype=np.float64)
    if model.validation_scores_ is not None:
        arrays["validation_scores_"] = np.asarray(model.validation_scores_, dtype=np.float64)
    for attr in ("classes_", "feature_names_in_"):
        if hasattr(model, attr):
            values = np.asarray(getattr(model, attr))
            if values.dtype == object:  # strings from an object column: store as unicode
                if not all(isinstance(v, str) for v in values):
                    raise TypeError(f"{attr} must hold numbers or strings to be saved, got "
                                    f"{values!r}.")
                values = values.astype(str)
            arrays[attr] = values
    params = model.get_params(deep=False)
    if not (params["random_state"] is None or isinstance(params["random_state"], int)):
        params["random_state"] = None
    header = {
        "format": FORMAT, "version": FORMAT_VERSION, "class": name,
        "params": _plain(params),
        "attributes": {k: _plain(getattr(model, k)) for k in _SCALARS if hasattr(model, k)},
        "n_layers": len(model.coefs_), "sha256": _digest(arrays),
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


def load_model(path: str | os.PathLike) -> MLPClassifier | MLPRegressor:
    """Read a model written by :func:`save_model`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    model : MLPClassifier or MLPRegressor
        Fitted, predicting exactly as the saved model did.

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
    if header.get("version") != FORMAT_VERSION:
        raise ValueError(f"{where!r} has minimlp model format version {header.get('version')!r}; "
                         f"this minimlp reads version {FORMAT_VERSION}.")
    if header.get("sha256") != _digest(arrays):
        raise ValueError(f"{where!r} is corrupted: its arrays do not match their checksum.")
    cls = _CLASSES.get(header.get("class"))
    if cls is None:
        raise ValueError(f"{where!r} holds an unknown model class {header.get('class')!r}.")
    params = header["params"]
    if isinstance(params.get("hidden_layer_sizes"), list):
        params["hidden_layer_sizes"] = tuple(params["hidden_layer_sizes"])
    if params.get("n_iter_no_change") == math.inf:
        params["n_iter_no_change"] = np.inf
    model = cls(**params)
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
    return model
