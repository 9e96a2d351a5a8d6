"""Real data sets shipped inside minimlp (as gzipped CSV under ``minimlp/datasets/data``)."""

from __future__ import annotations

import csv
import gzip
from importlib import resources
from typing import Any

import numpy as np

from ..utils._param_validation import BOOLEAN, validate_params
from ._samples_generator import Bunch

_DATA_MODULE = f"{__package__}.data"

_BREAST_CANCER_DESCR = """\
Breast cancer Wisconsin (diagnostic) data set
---------------------------------------------

569 fine needle aspirates of breast masses, 212 malignant and 357 benign. Each row has 30
real-valued features computed from a digitized image of the cell nuclei: the mean, the
standard error and the "worst" (mean of the three largest values) of ten measurements --
radius, texture, perimeter, area, smoothness, compactness, concavity, concave points, symmetry
and fractal dimension. Target: 0 = malignant, 1 = benign. No missing values.

Source and credit: W. N. Street, W. H. Wolberg and O. L. Mangasarian, "Breast Cancer Wisconsin
(Diagnostic)", UCI Machine Learning Repository (1995),
https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic, licensed under
CC BY 4.0. The numbers are those of the copy scikit-learn ships
(sklearn/datasets/data/breast_cancer.csv), unchanged; the header row was added here.

W. N. Street, W. H. Wolberg and O. L. Mangasarian, "Nuclear feature extraction for breast
tumor diagnosis", IS&T/SPIE 1993 International Symposium on Electronic Imaging: Science and
Technology, volume 1905, pages 861-870.
"""


def _read_gzip_csv(data_file: str) -> tuple[list[str], np.ndarray]:
    """The header and the numeric table of a gzipped CSV file in ``minimlp/datasets/data``."""
    source = resources.files(__package__) / "data" / data_file
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="ascii", newline="") as f:
        header = next(csv.reader([f.readline()]))
        # Python's float parsing is correctly rounded, so the text gives scikit-learn's floats.
        table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2)
    return header, table


def load_breast_cancer(*, return_X_y: bool = False, as_frame: bool = False) -> Bunch | tuple:
    """Load the Wisconsin diagnostic breast cancer data set (binary classification).

    ================= ==============
    Classes                        2
    Samples per class 212 (0, malignant), 357 (1, benign)
    Samples total                569
    Dimensionality                30
    Features          real, positive
    ================= ==============

    The data are the UCI "Breast Cancer Wisconsin (Diagnostic)" set by W. N. Street,
    W. H. Wolberg and O. L. Mangasarian (UCI Machine Learning Repository, CC BY 4.0), in the
    copy scikit-learn ships; arrays, feature names and target names equal
    ``sklearn.datasets.load_breast_cancer``'s.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a :class:`Bunch`.
    as_frame : bool, default=False
        Return pandas objects: ``data`` a DataFrame with the feature names as columns,
        ``target`` a Series named ``"target"``, and ``frame`` both side by side. Needs pandas.

    Returns
    -------
    data : Bunch
        ``data`` : ndarray of shape (569, 30), float64 (DataFrame with ``as_frame``);
        ``target`` : ndarray of shape (569,), int64 (Series with ``as_frame``);
        ``frame`` : DataFrame of shape (569, 31) with ``as_frame``, else None;
        ``feature_names`` : ndarray of shape (30,), str;
        ``target_names`` : ``array(['malignant', 'benign'])``;
        ``DESCR`` : str, a description with the credit;
        ``filename`` : str, the data file's name inside ``data_module``;
        ``data_module`` : str, ``"minimlp.datasets.data"``.
    (data, target) : tuple
        With ``return_X_y=True``.

    Examples
    --------
    >>> from minimlp.datasets import load_breast_cancer
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X.shape, y.shape, int(y.sum())
    ((569, 30), (569,), 357)
    """
    validate_params("load_breast_cancer", {"return_X_y": return_X_y, "as_frame": as_frame},
                    {"return_X_y": [BOOLEAN], "as_frame": [BOOLEAN]})
    data_file = "breast_cancer.csv.gz"
    header, table = _read_gzip_csv(data_file)
    feature_names = np.array(header[:-1])
    data = np.ascontiguousarray(table[:, :-1])
    target = table[:, -1].astype(np.int64)
    frame = None
    if as_frame:
        data, target, frame = _as_frame(data, target, feature_names)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        target_names=np.array(["malignant", "benign"]),
        DESCR=_BREAST_CANCER_DESCR,
        feature_names=feature_names,
        filename=data_file,
        data_module=_DATA_MODULE,
    )


def _as_frame(data: np.ndarray, target: np.ndarray, feature_names: np.ndarray) -> tuple[Any, ...]:
    """``(data, target, frame)`` as a DataFrame, a Series named "target" and both joined."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("load_breast_cancer(as_frame=True) needs pandas, which is not "
                          "installed: pip install pandas, or use as_frame=False.") from None
    frame = pd.DataFrame(data, columns=[str(n) for n in feature_names])
    frame["target"] = pd.Series(target, name="target")
    return frame[frame.columns[:-1]], frame["target"], frame
