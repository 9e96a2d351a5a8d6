"""StandardScaler / MinMaxScaler and load_breast_cancer against scikit-learn as the oracle.

Every fitted attribute and every output must agree to rtol = atol = 1e-12 in float64 (to float32
precision for float32 input), with the same dtypes and the same scalar types.
"""

import itertools

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import datasets as sk_datasets  # noqa: E402
from sklearn import preprocessing as sk  # noqa: E402

from minimlp import preprocessing as mm  # noqa: E402
from minimlp.datasets import load_breast_cancer  # noqa: E402

RTOL = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 1e-6}


def _data_sets():
    """Named data sets meant to stress the arithmetic (float64 unless the name says)."""
    cases = {}
    for seed, (n, p) in zip([0, 1, 7, 42], [(20, 3), (57, 5), (200, 8), (3, 2)]):
        rng = np.random.RandomState(seed)
        cases[f"normal {n}x{p} seed {seed}"] = rng.normal(size=(n, p))
        # 1e-3 beside 1e3 in the same matrix, and every sign.
        cases[f"mixed scales {n}x{p} seed {seed}"] = (
            rng.standard_normal((n, p)) * np.logspace(-3, 3, p) + rng.uniform(-5, 5, p))
    rng = np.random.RandomState(3)
    cases["offset 1e6 + small noise"] = 1e6 + 1e-3 * rng.standard_normal((40, 4))
    cases["offset -1e8 + unit noise"] = -1e8 + rng.standard_normal((40, 3))
    X = rng.uniform(size=(30, 4))
    X[:, 1] = 7.25
    X[:, 3] = 0.0
    cases["constant columns"] = X
    cases["near-constant column (1 ulp apart)"] = np.column_stack(
        [np.full(9, 0.1) + np.arange(9) * np.spacing(0.1), rng.normal(size=9)])
    cases["single row"] = rng.normal(size=(1, 5))
    cases["two rows"] = rng.normal(size=(2, 3))
    cases["Fortran order"] = np.asfortranarray(rng.normal(size=(25, 4)) * 10 + 3)
    cases["strided view"] = rng.normal(size=(40, 6))[::3, ::2]
    cases["int64"] = rng.randint(-50, 50, size=(30, 3))
    cases["bool"] = rng.uniform(size=(12, 3)) > 0.5
    cases["tiny values 1e-300"] = rng.uniform(1, 2, size=(10, 2)) * 1e-300
    cases["float32 normal"] = rng.normal(size=(50, 4)).astype(np.float32)
    cases["float32 mixed scales"] = (rng.standard_normal((64, 3)) * [1e-3, 1.0, 1e3]
                                     + [0, 100, -1e4]).astype(np.float32)
    X32 = rng.uniform(size=(20, 3)).astype(np.float32)
    X32[:, 0] = 3.5
    cases["float32 constant column"] = X32
    cases["float32 single row"] = rng.normal(size=(1, 3)).astype(np.float32)
    return cases


DATA = _data_sets()
STANDARD_PARAMS = [dict(with_mean=m, with_std=s)
                   for m, s in itertools.product([True, False], repeat=2)]
MINMAX_PARAMS = [dict(feature_range=r, clip=c) for r, c in itertools.product(
    [(0, 1), (-1, 1), (-10, -2), (0.25, 0.5), (-1e3, 1e3)], [False, True])]
STANDARD_ATTRS = ["mean_", "var_", "scale_", "n_samples_seen_", "n_features_in_"]
MINMAX_ATTRS = ["min_", "scale_", "data_min_", "data_max_", "data_range_", "n_samples_seen_",
                "n_features_in_"]


def _ids(params):
    return [",".join(f"{k}={v}" for k, v in p.items()) for p in params]


def _assert_same(ours, theirs, tol_dtype, what):
    """Same None-ness, scalar type, dtype and values (to the tolerance of ``tol_dtype``)."""
    if theirs is None:
        assert ours is None, f"{what}: expected None, got {ours!r}"
        return
    assert type(ours) is type(theirs), f"{what}: {type(ours)} vs {type(theirs)}"
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype} vs {theirs.dtype}"
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} vs {theirs.shape}"
    tol = RTOL.get(np.dtype(tol_dtype), 1e-12)
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol, err_msg=what)


def _new_data(X):
    """Data other than the training set, partly outside its range (for transform)."""
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.RandomState(99)
    spread = np.ptp(X, axis=0) + 1.0
    Z = X.min(axis=0) - spread / 2 + 2 * spread * rng.uniform(size=(7, X.shape[1]))
    return Z.astype(X.dtype if X.dtype == np.float32 else np.float64)


def _check_scaler(ours, theirs, X, attrs):
    out_dtype = np.asarray(X).dtype if np.asarray(X).dtype == np.float32 else np.float64
    _assert_same(ours.fit_transform(X), theirs.fit_transform(X), out_dtype, "fit_transform")
    for name in attrs:
        _assert_same(getattr(ours, name), getattr(theirs, name), out_dtype, name)
    Z = _new_data(X)
    Zt = theirs.transform(Z)
    _assert_same(ours.transform(Z), Zt, out_dtype, "transform")
    _assert_same(ours.inverse_transform(Zt), theirs.inverse_transform(Zt), out_dtype,
                 "inverse_transform")


@pytest.mark.parametrize("params", STANDARD_PARAMS, ids=_ids(STANDARD_PARAMS))
@pytest.mark.parametrize("name", DATA)
def test_standard_scaler_matches_sklearn(name, params):
    _check_scaler(mm.StandardScaler(**params), sk.StandardScaler(**params), DATA[name],
                  STANDARD_ATTRS)


@pytest.mark.parametrize("params", MINMAX_PARAMS, ids=_ids(MINMAX_PARAMS))
@pytest.mark.parametrize("name", DATA)
def test_minmax_scaler_matches_sklearn(name, params):
    _check_scaler(mm.MinMaxScaler(**params), sk.MinMaxScaler(**params), DATA[name],
                  MINMAX_ATTRS)


@pytest.mark.parametrize("name", [n for n in DATA if DATA[n].dtype == np.float64])
def test_scaled_values_are_bit_identical_in_float64(name):
    # A pipeline search compares scores computed from scaled data: equal to the last bit keeps
    # its ranking equal to scikit-learn's.
    X = DATA[name]
    for ours, theirs in [(mm.StandardScaler(), sk.StandardScaler()),
                         (mm.MinMaxScaler((-1, 1)), sk.MinMaxScaler((-1, 1)))]:
        np.testing.assert_array_equal(ours.fit_transform(X), theirs.fit_transform(X))
        np.testing.assert_array_equal(ours.scale_, theirs.scale_)


@pytest.mark.parametrize("fit_dtype, transform_dtype",
                         [(np.float64, np.float32), (np.float32, np.float64),
                          (np.int64, np.float32), (np.float32, np.int64)])
@pytest.mark.parametrize("Scaler", ["StandardScaler", "MinMaxScaler"])
def test_mixed_fit_and_transform_dtypes(Scaler, fit_dtype, transform_dtype):
    rng = np.random.RandomState(5)
    X = (rng.normal(size=(30, 3)) * 20).astype(fit_dtype)
    Z = (rng.normal(size=(6, 3)) * 30).astype(transform_dtype)
    ours, theirs = getattr(mm, Scaler)().fit(X), getattr(sk, Scaler)().fit(X)
    expected = theirs.transform(Z)
    tol_dtype = np.float32 if np.float32 in (fit_dtype, transform_dtype) else np.float64
    _assert_same(ours.transform(Z), expected, tol_dtype, "transform")
    _assert_same(ours.inverse_transform(expected), theirs.inverse_transform(expected),
                 tol_dtype, "inverse_transform")


@pytest.mark.parametrize("copy", [True, False])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("Scaler", ["StandardScaler", "MinMaxScaler"])
def test_in_place_behaviour_matches_sklearn(Scaler, dtype, order, copy):
    X = np.asarray(np.random.RandomState(2).normal(size=(10, 3)) * 10, dtype=dtype,
                   order=order)
    ours = getattr(mm, Scaler)(copy=copy).fit(X)
    theirs = getattr(sk, Scaler)(copy=copy).fit(X)
    for method in ["transform", "inverse_transform"]:
        mine, ref = X.copy(order="K"), X.copy(order="K")
        out_mine, out_ref = getattr(ours, method)(mine), getattr(theirs, method)(ref)
        assert (out_mine is mine) == (out_ref is ref), method
        np.testing.assert_array_equal(mine, ref)  # the input was changed (or not) alike
        assert out_mine.flags.f_contiguous == out_ref.flags.f_contiguous


def test_feature_names_match_sklearn():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    df = pd.DataFrame(rng.normal(size=(8, 3)), columns=["a", "b", "c"])
    for Scaler in ["StandardScaler", "MinMaxScaler"]:
        ours, theirs = getattr(mm, Scaler)().fit(df), getattr(sk, Scaler)().fit(df)
        np.testing.assert_array_equal(ours.feature_names_in_, theirs.feature_names_in_)
        assert ours.feature_names_in_.dtype == theirs.feature_names_in_.dtype
        np.testing.assert_array_equal(ours.get_feature_names_out(),
                                      theirs.get_feature_names_out())
        np.testing.assert_allclose(ours.transform(df), theirs.transform(df), rtol=1e-12)
        plain_ours = getattr(mm, Scaler)().fit(df.to_numpy())
        plain_theirs = getattr(sk, Scaler)().fit(df.to_numpy())
        assert hasattr(plain_ours, "feature_names_in_") == hasattr(plain_theirs,
                                                                   "feature_names_in_")
        out_ours = plain_ours.get_feature_names_out()
        out_theirs = plain_theirs.get_feature_names_out()
        np.testing.assert_array_equal(out_ours, out_theirs)
        assert out_ours.dtype == out_theirs.dtype


def test_load_breast_cancer_matches_sklearn():
    ours, theirs = load_breast_cancer(), sk_datasets.load_breast_cancer()
    for key in ["data", "target", "feature_names", "target_names"]:
        np.testing.assert_array_equal(ours[key], theirs[key], strict=True, err_msg=key)
    # The floats are parsed from the same text: equal bit for bit, not just to a tolerance.
    assert ours.data.tobytes() == theirs.data.tobytes()
    X, y = load_breast_cancer(return_X_y=True)
    X_ref, y_ref = sk_datasets.load_breast_cancer(return_X_y=True)
    np.testing.assert_array_equal(X, X_ref, strict=True)
    np.testing.assert_array_equal(y, y_ref, strict=True)


def test_load_breast_cancer_frame_matches_sklearn():
    pytest.importorskip("pandas")
    import pandas.testing as pdt

    ours = load_breast_cancer(as_frame=True)
    theirs = sk_datasets.load_breast_cancer(as_frame=True)
    pdt.assert_frame_equal(ours.frame, theirs.frame)
    pdt.assert_frame_equal(ours.data, theirs.data)
    pdt.assert_series_equal(ours.target, theirs.target)
