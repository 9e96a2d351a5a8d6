"""Bad input to MLPClassifier / MLPRegressor: each case raises the right exception type with a
message naming the problem (scikit-learn's wording, spec §1.1 and §1.2)."""

import re

import numpy as np
import pytest

from minimlp.exceptions import NotFittedError
from minimlp.neural_network import MLPClassifier, MLPRegressor
from minimlp.utils._param_validation import InvalidParameterError

pytestmark = pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")

N, P = 40, 4


@pytest.fixture(params=[MLPClassifier, MLPRegressor], ids=["clf", "reg"])
def Est(request):
    return request.param


def _X():
    return np.random.RandomState(0).normal(size=(N, P))


def _y(Est, X=None):
    X = _X() if X is None else X
    if Est is MLPClassifier:
        return (X[:, 0] > 0).astype(int)
    return X[:, 0] + 0.5


def _make(Est, **params):
    return Est(**{"hidden_layer_sizes": (3,), "max_iter": 2, "random_state": 0, **params})


def _raises(exc, text):
    """pytest.raises matching ``text`` literally (not as a regular expression)."""
    return pytest.raises(exc, match=re.escape(text))


# --------------------------------------------------------------------------- X and y
def test_nan_in_X(Est):
    X = _X()
    X[3, 1] = np.nan
    with _raises(ValueError, f"Input X contains NaN.\n{Est.__name__} does not accept missing"):
        _make(Est).fit(X, _y(Est))


def test_inf_in_X(Est):
    X = _X()
    X[0, 0] = -np.inf
    with _raises(ValueError, "Input X contains infinity or a value too large for "
                             "dtype('float64')."):
        _make(Est).fit(X, _y(Est))


def test_nan_in_y_regressor():
    y = _y(MLPRegressor)
    y[5] = np.nan
    with _raises(ValueError, "Input y contains NaN."):
        _make(MLPRegressor).fit(_X(), y)


def test_nan_in_y_classifier():
    y = _y(MLPClassifier).astype(float)
    y[5] = np.nan
    with _raises(ValueError, "Input y contains NaN."):
        _make(MLPClassifier).fit(_X(), y)


def test_1d_X(Est):
    with _raises(ValueError, "Expected 2D array, got 1D array instead"):
        _make(Est).fit(_X()[:, 0], _y(Est))


def test_3d_X(Est):
    with _raises(ValueError, "Found array with dim 3. Expected <= 2"):
        _make(Est).fit(_X()[:, :, None], _y(Est))


def test_empty_X(Est):
    with _raises(ValueError, "Found array with 0 sample(s) (shape=(0, 4))"):
        _make(Est).fit(_X()[:0], _y(Est)[:0])


def test_X_and_y_of_different_lengths(Est):
    with _raises(ValueError, "Found input variables with inconsistent numbers of samples: "
                             "[40, 39]"):
        _make(Est).fit(_X(), _y(Est)[:-1])


def test_non_numeric_X(Est):
    X = np.array([["a", "b"], ["c", "d"], ["e", "f"]])
    with _raises(ValueError, "X must contain numbers"):
        _make(Est).fit(X, _y(Est)[:3])


def test_continuous_y_for_classifier():
    with _raises(ValueError, "Unknown label type: 'continuous'"):
        _make(MLPClassifier).fit(_X(), _y(MLPRegressor))


def test_negative_y_for_poisson():
    with _raises(ValueError, "loss='poisson' needs y >= 0"):
        _make(MLPRegressor, loss="poisson").fit(_X(), _y(MLPRegressor) - 10)


def test_predict_with_wrong_number_of_features(Est):
    est = _make(Est).fit(_X(), _y(Est))
    with _raises(ValueError, f"X has 3 features, but {Est.__name__} is expecting 4 features "
                             "as input."):
        est.predict(_X()[:, :3])


def test_predict_before_fit(Est):
    methods = ["predict", "predict_proba", "predict_log_proba"] if Est is MLPClassifier \
        else ["predict"]
    for method in methods:
        with _raises(NotFittedError, f"This {Est.__name__} instance is not fitted yet. Call "
                                     "'fit' with appropriate arguments") as info:
            getattr(_make(Est), method)(_X())
        assert isinstance(info.value, ValueError) and isinstance(info.value, AttributeError)


# --------------------------------------------------------------------------- hyper-parameters
def _msg(name, est, description, value):
    return f"The {name!r} parameter of {est} must be {description}. Got {value!r} instead."


BAD_PARAMS = [
    ("alpha", -1, "a float in the range [0.0, inf)"),
    ("hidden_layer_sizes", 0, "an array-like or an int in the range [1, inf)"),
    ("activation", "softplus", "a str among {'identity', 'logistic', 'tanh', 'relu'}"),
    ("solver", "newton", "a str among {'sgd', 'adam'}"),
    ("learning_rate_init", 0, "a float in the range (0.0, inf)"),
    ("learning_rate_init", -0.1, "a float in the range (0.0, inf)"),
    ("momentum", 1.5, "a float in the range [0.0, 1.0]"),
    ("momentum", -0.1, "a float in the range [0.0, 1.0]"),
    ("batch_size", 0, "a str among {'auto'} or an int in the range [1, inf)"),
    ("max_iter", 0, "an int in the range [1, inf)"),
    ("validation_fraction", 1.0, "a float in the range [0.0, 1.0)"),
    ("validation_fraction", -0.1, "a float in the range [0.0, 1.0)"),
    ("beta_1", 1.0, "a float in the range [0.0, 1.0)"),
    ("beta_2", 1.0, "a float in the range [0.0, 1.0)"),
    ("epsilon", 0, "a float in the range (0.0, inf)"),
    ("n_iter_no_change", 0, "an int in the range [1, inf) or a float among {inf}"),
    ("backend", "cuda", "a str among {'numba', 'numpy'}"),
    ("learning_rate", "optimal", "a str among {'constant', 'invscaling', 'adaptive'}"),
    ("shuffle", "yes", "an instance of 'bool'"),
    ("shuffle", 1, "an instance of 'bool'"),
]


@pytest.mark.parametrize(("name", "value", "description"), BAD_PARAMS,
                         ids=[f"{n}={v!r}" for n, v, _ in BAD_PARAMS])
def test_out_of_range_hyperparameter(Est, name, value, description):
    est = _make(Est, **{name: value})  # accepted by __init__, refused by fit
    with _raises(InvalidParameterError, _msg(name, Est.__name__, description, value)) as info:
        est.fit(_X(), _y(Est))
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)
    assert not hasattr(est, "coefs_")


def test_unknown_regressor_loss():
    with _raises(ValueError, _msg("loss", "MLPRegressor", "a str among {'squared_error', "
                                  "'poisson'}", "huber")):
        _make(MLPRegressor, loss="huber").fit(_X(), _y(MLPRegressor))


def test_hidden_layer_sizes_with_a_zero(Est):
    with _raises(ValueError, "hidden_layer_sizes must be > 0, got [10, 0]."):
        _make(Est, hidden_layer_sizes=(10, 0)).fit(_X(), _y(Est))


@pytest.mark.parametrize("sizes", [(2.5,), [[5]], ("5",), (True, 3)], ids=str)
def test_hidden_layer_sizes_not_ints(Est, sizes):
    with _raises(TypeError, "hidden_layer_sizes must contain ints"):
        _make(Est, hidden_layer_sizes=sizes).fit(_X(), _y(Est))


@pytest.mark.parametrize("sizes", [(4, 3), [4, 3], np.array([4, 3]), (np.int64(4), 3)],
                         ids=["tuple", "list", "array", "numpy ints"])
def test_hidden_layer_sizes_forms(Est, sizes):
    model = _make(Est, hidden_layer_sizes=sizes).fit(_X(), _y(Est))
    assert [W.shape[1] for W in model.coefs_[:-1]] == [4, 3]


def test_lbfgs_is_refused_with_the_supported_solvers(Est):
    with _raises(ValueError, "solver='lbfgs' is not supported by minimlp; the supported "
                             "solvers are 'sgd' and 'adam'."):
        _make(Est, solver="lbfgs").fit(_X(), _y(Est))


def test_early_stopping_with_empty_validation_set(Est):
    with _raises(ValueError, "test_size=0.0 should be either positive"):
        _make(Est, early_stopping=True, validation_fraction=0.0).fit(_X(), _y(Est))


def test_validation_set_too_small(Est):
    X = _X()[:10]
    # Multiclass targets are split without stratification (a binary split fails earlier,
    # in train_test_split, as in scikit-learn).
    y = np.arange(10) % 3 if Est is MLPClassifier else _y(Est, X)
    with _raises(ValueError, "The validation set is too small. Increase 'validation_fraction'"):
        _make(Est, early_stopping=True, validation_fraction=0.1).fit(X, y)


def test_validation_set_too_small_for_stratification():
    X = _X()[:10]
    with _raises(ValueError, "should be greater or equal to the number of classes = 2"):
        _make(MLPClassifier, early_stopping=True, validation_fraction=0.1).fit(
            X, _y(MLPClassifier, X))


def test_batch_size_larger_than_n_warns_and_clips(Est):
    with pytest.warns(UserWarning, match="larger than sample size. It is going to be clipped"):
        est = _make(Est, batch_size=N + 1).fit(_X(), _y(Est))
    assert est.t_ == 2 * N


# --------------------------------------------------------------------------- partial_fit
def test_partial_fit_without_classes():
    with _raises(ValueError, "classes must be passed on the first call to partial_fit."):
        _make(MLPClassifier).partial_fit(_X(), _y(MLPClassifier))


def test_partial_fit_with_unseen_classes():
    est = _make(MLPClassifier).partial_fit(_X(), _y(MLPClassifier), classes=[0, 1])
    with _raises(ValueError, "`y` has classes not in `self.classes_`. `self.classes_` has [0 1]."
                             " 'y' has [0 1 2]."):
        est.partial_fit(_X(), np.arange(N) % 3)


def test_partial_fit_with_different_classes_argument():
    est = _make(MLPClassifier).partial_fit(_X(), _y(MLPClassifier), classes=[0, 1])
    with _raises(ValueError, "is not the same as on last call to partial_fit"):
        est.partial_fit(_X(), _y(MLPClassifier), classes=[0, 1, 2])


def test_partial_fit_with_early_stopping(Est):
    est = _make(Est, early_stopping=True)
    kwargs = {"classes": [0, 1]} if Est is MLPClassifier else {}
    with _raises(ValueError, "partial_fit does not support early_stopping=True"):
        est.partial_fit(_X(), _y(Est), **kwargs)


# --------------------------------------------------------------------------- training
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's overflow warnings
@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_diverging_training(Est, backend):
    X = _X() * 1e100
    est = _make(Est, solver="sgd", learning_rate_init=1e5, backend=backend, max_iter=5)
    with _raises(ValueError, "Solver produced non-finite parameter weights. The input data may "
                             "contain large values and need to be preprocessed."):
        est.fit(X, _y(Est, X))


def test_continue_fit_errors(Est):
    X = _X()
    y = _y(Est, X)
    with _raises(NotFittedError, "is not fitted yet"):
        _make(Est).continue_fit(X, y, 5)
    est = _make(Est, max_iter=4).fit(X, y)
    with _raises(ValueError, "max_iter=3 is below the 4 epochs trained."):
        est.continue_fit(X, y, 3)
    with _raises(ValueError, f"X has {len(X) - 1} rows; this model was trained on {len(X)}."):
        est.continue_fit(X[1:], y[1:], 6)
    with _raises(ValueError, "X has 2 features"):
        est.continue_fit(X[:, :2], y, 6)
