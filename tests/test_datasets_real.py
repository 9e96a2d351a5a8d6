"""load_breast_cancer without scikit-learn: shapes, dtypes, known facts of the data set, the
return forms and the packaged file."""

import gzip
import sys
from importlib import resources

import numpy as np
import pytest

from minimlp.datasets import Bunch, load_breast_cancer


def test_bunch_shapes_and_dtypes():
    data = load_breast_cancer()
    assert isinstance(data, Bunch)
    assert data.data.shape == (569, 30) and data.data.dtype == np.float64
    assert data.data.flags.c_contiguous
    assert data.target.shape == (569,) and data.target.dtype == np.int64
    assert data.feature_names.shape == (30,) and data.feature_names.dtype.kind == "U"
    np.testing.assert_array_equal(data.target_names, ["malignant", "benign"])
    assert data.frame is None


def test_known_facts_of_the_data_set():
    data = load_breast_cancer()
    # UCI WDBC: 212 malignant (0) and 357 benign (1) cases, no missing values.
    assert np.bincount(data.target).tolist() == [212, 357]
    assert np.all(np.isfinite(data.data)) and data.data.min() >= 0
    names = list(data.feature_names)
    assert len(set(names)) == 30
    assert names[0] == "mean radius" and names[10] == "radius error"
    assert names[20] == "worst radius" and names[-1] == "worst fractal dimension"
    # First record of wdbc.data (ID 842302, malignant): radius 17.99, texture 10.38, ...
    np.testing.assert_array_equal(data.data[0, :4], [17.99, 10.38, 122.8, 1001.0])
    assert data.target[0] == 0
    # The summary statistics published with the data: mean radius in [6.981, 28.11].
    radius = data.data[:, 0]
    assert radius.min() == 6.981 and radius.max() == 28.11
    # "worst" values are the mean of the three largest, so never below the mean value.
    assert np.all(data.data[:, 20:] >= data.data[:, :10])


def test_return_X_y_gives_the_bunch_arrays():
    data = load_breast_cancer()
    X, y = load_breast_cancer(return_X_y=True)
    np.testing.assert_array_equal(X, data.data)
    np.testing.assert_array_equal(y, data.target)


def test_descr_credits_the_source():
    descr = load_breast_cancer().DESCR
    for text in ["Street", "Wolberg", "Mangasarian", "UCI Machine Learning Repository",
                 "CC BY 4.0", "569", "212 malignant", "357 benign"]:
        assert text in descr, text


def test_packaged_file_has_header_and_names():
    data = load_breast_cancer()
    path = resources.files(data.data_module) / data.filename
    with path.open("rb") as raw, gzip.open(raw, "rt") as f:
        header = f.readline().rstrip("\n").split(",")
        rows = f.read().splitlines()
    assert header == [*data.feature_names, "target"]
    assert len(rows) == 569
    assert rows[0].split(",")[-1] == "0"


def test_as_frame():
    pd = pytest.importorskip("pandas")
    data = load_breast_cancer(as_frame=True)
    assert isinstance(data.frame, pd.DataFrame) and data.frame.shape == (569, 31)
    assert list(data.frame.columns) == [*data.feature_names, "target"]
    assert isinstance(data.data, pd.DataFrame) and data.data.shape == (569, 30)
    assert list(data.data.columns) == list(data.feature_names)
    assert (data.data.dtypes == np.float64).all()
    assert isinstance(data.target, pd.Series) and data.target.name == "target"
    assert data.target.dtype == np.int64
    plain = load_breast_cancer()
    np.testing.assert_array_equal(data.data.to_numpy(), plain.data)
    np.testing.assert_array_equal(data.target.to_numpy(), plain.target)
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)
    assert X.shape == (569, 30) and y.shape == (569,)


def test_as_frame_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match="as_frame=True\\) needs pandas"):
        load_breast_cancer(as_frame=True)
    assert load_breast_cancer().data.shape == (569, 30)  # the default path needs no pandas


@pytest.mark.parametrize("name, value", [("return_X_y", 1), ("as_frame", "yes")])
def test_bad_flags(name, value):
    with pytest.raises(TypeError, match=f"The '{name}' parameter of load_breast_cancer must "
                                        "be an instance of 'bool'"):
        load_breast_cancer(**{name: value})
