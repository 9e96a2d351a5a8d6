"""StandardScaler and MinMaxScaler without scikit-learn: worked examples, properties, the
estimator contract, and one check per kind of bad input."""

import pickle
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minimlp.base import clone
from minimlp.exceptions import NotFittedError
from minimlp.preprocessing import MinMaxScaler, StandardScaler

SCALERS = [StandardScaler, MinMaxScaler]


def _raises(exc, text):
    """pytest.raises matching ``text`` literally (not as a regular expression)."""
    return pytest.raises(exc, match=re.escape(text))


def _X(n=12, p=3, seed=0):
    return np.random.RandomState(seed).normal(size=(n, p)) * [1.0, 10.0, 0.1] + [0, 5, -3]


# ---------------------------------------------------------------------------- worked examples
def test_standard_scaler_hand_example():
    X = np.array([[0.0], [2.0], [4.0]])
    scaler = StandardScaler().fit(X)
    # mean = (0 + 2 + 4) / 3 = 2; var = ((-2)² + 0² + 2²) / 3 = 8/3 (ddof = 0).
    np.testing.assert_allclose(scaler.mean_, [2.0], rtol=1e-15)
    np.testing.assert_allclose(scaler.var_, [8 / 3], rtol=1e-15)
    np.testing.assert_allclose(scaler.scale_, [np.sqrt(8 / 3)], rtol=1e-15)
    assert scaler.n_samples_seen_ == 3 and scaler.n_features_in_ == 1
    # z = (x - 2) / sqrt(8/3): ±2 / sqrt(8/3) = ±sqrt(3/2).
    np.testing.assert_allclose(scaler.transform(X).ravel(),
                               [-np.sqrt(1.5), 0.0, np.sqrt(1.5)], rtol=1e-15)
    np.testing.assert_allclose(scaler.inverse_transform([[np.sqrt(1.5)]]), [[4.0]], rtol=1e-15)


def test_standard_scaler_two_columns_one_constant():
    X = np.array([[1.0, 10.0], [3.0, 10.0]])
    scaler = StandardScaler().fit(X)
    np.testing.assert_array_equal(scaler.mean_, [2.0, 10.0])
    np.testing.assert_array_equal(scaler.var_, [1.0, 0.0])
    # The constant column is centred but divided by 1, not by its zero standard deviation.
    np.testing.assert_array_equal(scaler.scale_, [1.0, 1.0])
    np.testing.assert_array_equal(scaler.transform(X), [[-1.0, 0.0], [1.0, 0.0]])


def test_standard_scaler_near_constant_column_gets_scale_one():
    # Three floats one ulp apart around 1e6: their variance (~1e-20) is rounding noise, below
    # the two-pass error bound (n * mean * eps)² ≈ 4e-19, so the column counts as constant.
    col = 1e6 + np.arange(3) * np.spacing(1e6)
    scaler = StandardScaler().fit(col[:, None])
    assert 0 < scaler.var_[0] < (3 * 1e6 * np.finfo(float).eps) ** 2
    assert scaler.scale_[0] == 1.0
    Xt = scaler.transform(col[:, None])
    assert np.all(np.isfinite(Xt)) and np.abs(Xt).max() < 1e-9


def test_standard_scaler_real_small_spread_is_still_scaled():
    # The same offset with a spread of 1e-3 is far above the bound: it is standardized.
    col = 1e6 + np.array([-1e-3, 0.0, 1e-3])
    # 1e6 ± 1e-3 is stored to ~1e-10, so compare with the spread of the stored values
    # (col - 1e6 is exact): symmetric to 1e-7, std ≈ 1e-3 * sqrt(2/3).
    spread = col - 1e6
    scaler = StandardScaler().fit(col[:, None])
    np.testing.assert_allclose(scaler.scale_, [spread.std()], rtol=1e-9)
    np.testing.assert_allclose(scaler.scale_, [1e-3 * np.sqrt(2 / 3)], rtol=1e-6)
    np.testing.assert_allclose(scaler.transform(col[:, None]).ravel(),
                               [-np.sqrt(1.5), 0, np.sqrt(1.5)], rtol=1e-6, atol=1e-6)


def test_standard_scaler_with_mean_and_with_std_switches():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 8.0]])
    std = X.std(axis=0)
    only_std = StandardScaler(with_mean=False).fit(X)
    np.testing.assert_allclose(only_std.transform(X), X / std, rtol=1e-14)
    np.testing.assert_allclose(only_std.mean_, X.mean(axis=0), rtol=1e-15)  # still computed
    only_mean = StandardScaler(with_std=False).fit(X)
    assert only_mean.var_ is None and only_mean.scale_ is None
    np.testing.assert_allclose(only_mean.transform(X), X - X.mean(axis=0), rtol=1e-15)
    neither = StandardScaler(with_mean=False, with_std=False).fit(X)
    assert neither.mean_ is None and neither.var_ is None and neither.scale_ is None
    assert neither.n_samples_seen_ == 3
    np.testing.assert_array_equal(neither.transform(X), X)


def test_minmax_scaler_hand_example():
    X = np.array([[0.0], [2.0], [4.0]])
    scaler = MinMaxScaler(feature_range=(-1, 1)).fit(X)
    # scale = (1 - (-1)) / (4 - 0) = 0.5; min = -1 - 0 * 0.5 = -1.
    np.testing.assert_array_equal(scaler.data_min_, [0.0])
    np.testing.assert_array_equal(scaler.data_max_, [4.0])
    np.testing.assert_array_equal(scaler.data_range_, [4.0])
    np.testing.assert_array_equal(scaler.scale_, [0.5])
    np.testing.assert_array_equal(scaler.min_, [-1.0])
    assert scaler.n_samples_seen_ == 3
    np.testing.assert_array_equal(scaler.transform(X).ravel(), [-1.0, 0.0, 1.0])
    # Outside the training range: 1 * 0.5 - 1 = -0.5, 6 * 0.5 - 1 = 2 (not clipped).
    np.testing.assert_array_equal(scaler.transform([[1.0], [6.0]]).ravel(), [-0.5, 2.0])
    clipped = MinMaxScaler(feature_range=(-1, 1), clip=True).fit(X)
    np.testing.assert_array_equal(clipped.transform([[1.0], [6.0], [-9.0]]).ravel(),
                                  [-0.5, 1.0, -1.0])
    np.testing.assert_array_equal(scaler.inverse_transform([[-0.5], [2.0]]).ravel(), [1.0, 6.0])


def test_minmax_scaler_constant_column_maps_to_range_minimum():
    X = np.array([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0]])
    scaler = MinMaxScaler(feature_range=(2, 7)).fit(X)
    np.testing.assert_array_equal(scaler.data_range_, [2.0, 0.0])
    # A zero range is replaced by 1: scale = (7 - 2) / 1 = 5, min = 2 - 5 * 5 = -23.
    np.testing.assert_array_equal(scaler.scale_, [2.5, 5.0])
    Xt = scaler.transform(X)
    assert np.all(np.isfinite(Xt))
    np.testing.assert_array_equal(Xt[:, 1], [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(Xt[:, 0], [2.0, 7.0, 4.5])


def test_minmax_training_data_spans_the_range_exactly():
    X = _X(40)
    for lo, hi in [(0, 1), (-3, -1), (0.5, 100)]:
        Xt = MinMaxScaler(feature_range=(lo, hi)).fit_transform(X)
        np.testing.assert_allclose(Xt.min(axis=0), lo, atol=1e-12)
        np.testing.assert_allclose(Xt.max(axis=0), hi, rtol=1e-12)


def test_standardized_training_data_has_mean_zero_and_std_one():
    Xt = StandardScaler().fit_transform(_X(50) * 1e4 + 1e6)
    np.testing.assert_allclose(Xt.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_allclose(Xt.std(axis=0), 1, rtol=1e-10)


def test_single_row():
    x = np.array([[3.0, -1.0]])
    np.testing.assert_array_equal(StandardScaler().fit_transform(x), [[0.0, 0.0]])
    np.testing.assert_array_equal(MinMaxScaler((-2, 2)).fit_transform(x), [[-2.0, -2.0]])


# ---------------------------------------------------------------------------- properties
_finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
_matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1,
                                                    max_side=8), elements=_finite)


@settings(max_examples=60, deadline=None)
@given(X=_matrices, with_mean=st.booleans(), with_std=st.booleans())
def test_standard_scaler_round_trip(X, with_mean, with_std):
    scaler = StandardScaler(with_mean=with_mean, with_std=with_std)
    Xt = scaler.fit_transform(X)
    assert np.all(np.isfinite(Xt))
    np.testing.assert_allclose(scaler.inverse_transform(Xt), X, rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(X=_matrices, lo=st.integers(-5, 4), width=st.integers(1, 5), clip=st.booleans())
def test_minmax_scaler_round_trip_and_range(X, lo, width, clip):
    scaler = MinMaxScaler(feature_range=(lo, lo + width), clip=clip)
    Xt = scaler.fit_transform(X)
    assert np.all(Xt >= lo - 1e-9) and np.all(Xt <= lo + width + 1e-9)
    np.testing.assert_allclose(scaler.inverse_transform(Xt), X, rtol=1e-9, atol=1e-6)


# ---------------------------------------------------------------------------- dtypes and copies
@pytest.mark.parametrize("Scaler", SCALERS)
def test_float32_stays_float32(Scaler):
    X = _X().astype(np.float32)
    scaler = Scaler().fit(X)
    assert scaler.fit_transform(X).dtype == np.float32
    assert scaler.transform(X).dtype == np.float32
    assert scaler.inverse_transform(X).dtype == np.float32
    # Integers and float64 give float64.
    assert scaler.transform(X.astype(np.int64)).dtype == np.float64
    assert scaler.transform(X.astype(np.float64)).dtype == np.float64


def test_fitted_attribute_dtypes_for_float32():
    X = _X().astype(np.float32)
    # StandardScaler accumulates in float64 and keeps float64 statistics ...
    standard = StandardScaler().fit(X)
    assert standard.mean_.dtype == standard.var_.dtype == standard.scale_.dtype == np.float64
    np.testing.assert_allclose(standard.mean_, X.astype(np.float64).mean(axis=0), rtol=1e-12)
    # ... MinMaxScaler's attributes are computed in, and keep, the data's dtype.
    minmax = MinMaxScaler().fit(X)
    for name in ["min_", "scale_", "data_min_", "data_max_", "data_range_"]:
        assert getattr(minmax, name).dtype == np.float32, name


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
@pytest.mark.parametrize("Scaler", SCALERS)
def test_copy_false_works_in_place(Scaler, method):
    X = _X()
    scaler = Scaler(copy=False).fit(X)
    expected = getattr(Scaler().fit(X), method)(X)
    out = getattr(scaler, method)(X)
    assert out is X
    np.testing.assert_array_equal(X, expected)


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
@pytest.mark.parametrize("Scaler", SCALERS)
def test_copy_true_leaves_input_alone(Scaler, method):
    X = _X()
    before = X.copy()
    scaler = Scaler().fit(X)
    out = getattr(scaler, method)(X)
    assert out is not X and not np.shares_memory(out, X)
    np.testing.assert_array_equal(X, before)
    # The method's copy argument overrides the parameter, both ways.
    assert getattr(scaler, method)(X, copy=False) is X
    assert getattr(Scaler(copy=False).fit(X), method)(before, copy=True) is not before


@pytest.mark.parametrize("Scaler", SCALERS)
def test_copy_false_copies_when_it_must(Scaler):
    ints = np.arange(12).reshape(4, 3)
    scaler = Scaler(copy=False).fit(ints)
    out = scaler.transform(ints)
    assert out.dtype == np.float64 and not np.shares_memory(out, ints)
    np.testing.assert_array_equal(ints, np.arange(12).reshape(4, 3))
    frozen = np.arange(12.0).reshape(4, 3)
    frozen.flags.writeable = False
    out = scaler.transform(frozen)  # read-only input is copied, not an error
    assert out is not frozen
    lists = scaler.transform(frozen.tolist())
    np.testing.assert_array_equal(lists, out)


@pytest.mark.parametrize("Scaler", SCALERS)
def test_fit_does_not_modify_input(Scaler):
    X = _X()
    before = X.copy()
    Scaler(copy=False).fit(X)
    Scaler(copy=False).fit_transform(X.copy())
    np.testing.assert_array_equal(X, before)


# ---------------------------------------------------------------------------- estimator contract
def test_get_params_repr_and_set_params():
    scaler = MinMaxScaler(feature_range=(-1, 1), clip=True)
    assert scaler.get_params() == {"clip": True, "copy": True, "feature_range": (-1, 1)}
    assert repr(scaler) == "MinMaxScaler(clip=True, feature_range=(-1, 1))"
    assert repr(StandardScaler()) == "StandardScaler()"
    assert repr(StandardScaler(with_mean=False)) == "StandardScaler(with_mean=False)"
    standard = StandardScaler().set_params(with_std=False)
    assert standard.with_std is False
    assert standard.fit(_X()).scale_ is None
    with pytest.raises(ValueError, match="Invalid parameter 'with_men'"):
        StandardScaler().set_params(with_men=True)


def test_init_stores_parameters_unchanged():
    bad = MinMaxScaler(feature_range=[5, 1], copy="maybe")  # validated in fit, not here
    assert bad.feature_range == [5, 1] and bad.copy == "maybe"


@pytest.mark.parametrize("Scaler", SCALERS)
def test_clone_gives_unfitted_copy(Scaler):
    scaler = Scaler(copy=False).fit(_X())
    twin = clone(scaler)
    assert twin.get_params() == scaler.get_params()
    assert not hasattr(twin, "scale_") and not hasattr(twin, "n_features_in_")
    with pytest.raises(NotFittedError):
        twin.transform(_X())


@pytest.mark.parametrize("Scaler", SCALERS)
def test_fit_returns_self_and_ignores_y(Scaler):
    scaler = Scaler()
    assert scaler.fit(_X(), y=np.arange(12)) is scaler


@pytest.mark.parametrize("Scaler", SCALERS)
def test_pickle_round_trip(Scaler):
    X = _X()
    scaler = Scaler().fit(X)
    restored = pickle.loads(pickle.dumps(scaler))
    assert restored.get_params() == scaler.get_params()
    np.testing.assert_array_equal(restored.transform(X), scaler.transform(X))
    np.testing.assert_array_equal(restored.scale_, scaler.scale_)


@pytest.mark.parametrize("Scaler", SCALERS)
def test_refit_replaces_state(Scaler):
    scaler = Scaler().fit(_X(p=3))
    scaler.fit(_X(p=3)[:, :2])
    assert scaler.n_features_in_ == 2 and scaler.scale_.shape == (2,)
    assert scaler.transform(np.zeros((1, 2))).shape == (1, 2)


def test_get_feature_names_out():
    scaler = StandardScaler().fit(_X())
    np.testing.assert_array_equal(scaler.get_feature_names_out(), ["x0", "x1", "x2"])
    assert scaler.get_feature_names_out().dtype == object
    np.testing.assert_array_equal(scaler.get_feature_names_out(["a", "b", "c"]),
                                  ["a", "b", "c"])
    with _raises(ValueError, "input_features should have length equal to number of features "
                             "(3), got 2"):
        scaler.get_feature_names_out(["a", "b"])
    with _raises(NotFittedError, "This MinMaxScaler instance is not fitted yet"):
        MinMaxScaler().get_feature_names_out()


@pytest.mark.parametrize("Scaler", SCALERS)
def test_data_frame_feature_names(Scaler):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(_X(), columns=["a", "b", "c"])
    scaler = Scaler().fit(df)
    np.testing.assert_array_equal(scaler.feature_names_in_, ["a", "b", "c"])
    assert scaler.feature_names_in_.dtype == object
    np.testing.assert_array_equal(scaler.get_feature_names_out(), ["a", "b", "c"])
    with _raises(ValueError, "input_features is not equal to feature_names_in_"):
        scaler.get_feature_names_out(["a", "b", "z"])
    out = scaler.transform(df)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, Scaler().fit(df.to_numpy()).transform(df.to_numpy()))
    with _raises(ValueError, "The feature names should match those that were passed during "
                             "fit"):
        scaler.transform(df[["b", "a", "c"]])
    with pytest.warns(UserWarning, match="X does not have valid feature names, but "
                                         f"{Scaler.__name__} was fitted with feature names"):
        scaler.transform(df.to_numpy())
    plain = Scaler().fit(df.to_numpy())
    with pytest.warns(UserWarning, match="X has feature names, but"):
        plain.transform(df)
    scaler.fit(df.to_numpy())  # a refit without names forgets the old ones
    assert not hasattr(scaler, "feature_names_in_")
    assert not hasattr(Scaler().fit(pd.DataFrame(_X(), columns=[0, 1, 2])), "feature_names_in_")
    with _raises(TypeError, "Feature names are only supported if all input features have "
                            "string names, but your input has ['int', 'str']"):
        Scaler().fit(pd.DataFrame(_X(), columns=["a", 1, "c"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # inverse_transform does not look at names
        scaler.inverse_transform(df)


def test_import_minimlp_does_not_load_preprocessing():
    code = ("import sys, minimlp; "
            "assert 'minimlp.preprocessing' not in sys.modules, 'loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------- bad input
METHODS = ["fit", "transform", "inverse_transform", "fit_transform"]


def _call(Scaler, method, X):
    scaler = Scaler()
    if method in ("transform", "inverse_transform"):
        scaler.fit(_X())
    return getattr(scaler, method)(X)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("Scaler", SCALERS)
def test_nan_is_rejected(Scaler, method):
    X = _X()
    X[4, 1] = np.nan
    with _raises(ValueError, f"Input X contains NaN.\n{Scaler.__name__} does not accept "
                             "missing values encoded as NaN natively."):
        _call(Scaler, method, X)


@pytest.mark.parametrize("value", [np.inf, -np.inf])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("Scaler", SCALERS)
def test_infinity_is_rejected(Scaler, method, value):
    X = _X().astype(np.float32)
    X[0, 0] = value
    with _raises(ValueError, "Input X contains infinity or a value too large for "
                             "dtype('float32')."):
        _call(Scaler, method, X)


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
@pytest.mark.parametrize("Scaler", SCALERS)
def test_wrong_number_of_features(Scaler, method):
    scaler = Scaler().fit(_X(p=3))
    with _raises(ValueError, f"X has 5 features, but {Scaler.__name__} is expecting 3 "
                             "features as input."):
        getattr(scaler, method)(np.zeros((2, 5)))


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
@pytest.mark.parametrize("Scaler", SCALERS)
def test_not_fitted(Scaler, method):
    with _raises(NotFittedError, f"This {Scaler.__name__} instance is not fitted yet. Call "
                                 "'fit' with appropriate arguments before using this "
                                 "estimator."):
        getattr(Scaler(), method)(_X())


@pytest.mark.parametrize("feature_range", [
    [0, 1], (0,), (0, 1, 2), ("a", "b"), (0, np.inf), (np.nan, 1), (True, 2), None, 1.0])
def test_bad_feature_range_type(feature_range):
    with _raises(TypeError, "The 'feature_range' parameter of MinMaxScaler must be a tuple of "
                            f"two finite numbers (min, max). Got {feature_range!r} instead."):
        MinMaxScaler(feature_range=feature_range).fit(_X())


@pytest.mark.parametrize("feature_range", [(1, 0), (2.5, 2.5), (np.float64(3), -1)])
def test_feature_range_min_must_be_below_max(feature_range):
    with _raises(ValueError, "Minimum of desired feature range must be smaller than maximum. "
                             f"Got {feature_range}."):
        MinMaxScaler(feature_range=feature_range).fit(_X())


@pytest.mark.parametrize("Scaler, name, value", [
    (StandardScaler, "with_mean", "yes"), (StandardScaler, "with_std", 1),
    (StandardScaler, "copy", None), (MinMaxScaler, "copy", 0), (MinMaxScaler, "clip", "no")])
def test_non_bool_flags(Scaler, name, value):
    with _raises(TypeError, f"The {name!r} parameter of {Scaler.__name__} must be an instance "
                            f"of 'bool'. Got {value!r} instead."):
        Scaler(**{name: value}).fit(_X())


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
@pytest.mark.parametrize("Scaler", SCALERS)
def test_non_bool_copy_argument(Scaler, method):
    with _raises(TypeError, f"The 'copy' parameter of {Scaler.__name__}.{method} must be None "
                            "or an instance of 'bool'. Got 'yes' instead."):
        getattr(Scaler().fit(_X()), method)(_X(), copy="yes")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("Scaler", SCALERS)
def test_one_dimensional_X_asks_for_reshape(Scaler, method):
    with _raises(ValueError, "Expected 2D array, got 1D array instead"):
        _call(Scaler, method, np.arange(3.0))
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        _call(Scaler, method, np.arange(3.0))


@pytest.mark.parametrize("X, text", [
    (np.zeros((0, 3)), "Found array with 0 sample(s) (shape=(0, 3))"),
    (np.zeros((3, 0)), "Found array with 0 feature(s) (shape=(3, 0))"),
    (5.0, "Expected 2D array, got scalar array instead"),
    (np.zeros((2, 2, 2)), "Found array with dim 3."),
    ([[1.0, 2.0], [3.0]], "X could not be converted to an array"),
])
@pytest.mark.parametrize("Scaler", SCALERS)
def test_bad_shapes(Scaler, X, text):
    with _raises(ValueError, text):
        Scaler().fit(X)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("Scaler", SCALERS)
def test_sparse_input_is_not_supported(Scaler, method):
    import scipy.sparse

    X = scipy.sparse.csr_matrix(_X())
    with _raises(TypeError, f"{Scaler.__name__}.{method.replace('fit_transform', 'fit')} "
                            "does not support sparse input (got csr_matrix)"):
        _call(Scaler, method, X)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("Scaler", SCALERS)
def test_complex_input_is_rejected(Scaler, method):
    with _raises(ValueError, "Complex data not supported: X has dtype complex128"):
        _call(Scaler, method, _X() + 1j)


@pytest.mark.parametrize("X", [np.array([["a", "b", "c"]]),
                               np.array([[1.0, "x", 2.0]], dtype=object)])
@pytest.mark.parametrize("Scaler", SCALERS)
def test_strings_are_rejected(Scaler, X):
    with pytest.raises(ValueError, match="X must contain numbers"):
        Scaler().fit(X)
