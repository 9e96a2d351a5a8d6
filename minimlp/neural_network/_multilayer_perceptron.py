"""MLPClassifier and MLPRegressor: validate, allocate, seed and loop; the kernels do the epochs.

The epoch loop (shuffling, learning-rate schedules, the stopping rule, verbose output) is plain
Python and follows scikit-learn 1.9 step for step (spec §1.7), so both backends see the same
mini-batches and an int ``random_state`` reproduces scikit-learn's fit. All randomness comes
from one ``numpy.random.RandomState`` per fit, in scikit-learn's order: weight init, the
early-stopping split, then one shuffle per epoch.
"""

from __future__ import annotations

import importlib
import numbers
import sys
import warnings
from typing import Any, Literal

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import (
    BOOLEAN,
    RANDOM_STATE,
    Interval,
    Kind,
    Options,
    validate_params,
)
from ..utils.validation import (
    check_array,
    check_is_fitted,
    check_random_state,
    check_X_y,
    column_or_1d,
    type_of_target,
    unique,
)
from . import _codes as codes

_CONSTRAINTS = {
    "hidden_layer_sizes": [Kind((list, tuple, np.ndarray), "an array-like"),
                           Interval("int", 1, None, "left")],
    "activation": [Options(("identity", "logistic", "tanh", "relu"))],
    "solver": [Options(("sgd", "adam"))],
    "alpha": [Interval("real", 0, None, "left")],
    "batch_size": [Options(("auto",)), Interval("int", 1, None, "left")],
    "learning_rate": [Options(("constant", "invscaling", "adaptive"))],
    "learning_rate_init": [Interval("real", 0, None, "neither")],
    "power_t": [Interval("real", 0, None, "left")],
    "max_iter": [Interval("int", 1, None, "left")],
    "shuffle": [BOOLEAN],
    "random_state": [RANDOM_STATE],
    "tol": [Interval("real", 0, None, "left")],
    "verbose": [Kind((bool, np.bool_, numbers.Integral), "a bool or an int")],
    "warm_start": [BOOLEAN],
    "momentum": [Interval("real", 0, 1, "both")],
    "nesterovs_momentum": [BOOLEAN],
    "early_stopping": [BOOLEAN],
    "validation_fraction": [Interval("real", 0, 1, "left")],
    "beta_1": [Interval("real", 0, 1, "left")],
    "beta_2": [Interval("real", 0, 1, "left")],
    "epsilon": [Interval("real", 0, None, "neither")],
    "n_iter_no_change": [Interval("int", 1, None, "left"), Options((np.inf,))],
    "max_fun": [Interval("int", 1, None, "left")],
    "backend": [Options(("numba", "numpy"))],
}


def _backend(name: str):
    """The kernel module for ``backend``: imported on first use, so ``import minimlp`` is cheap."""
    module = f"{__package__}.{'_kernels' if name == 'numba' else '_reference'}"
    return sys.modules.get(module) or importlib.import_module(module)


class BaseMultilayerPerceptron(BaseEstimator):
    """Shared training machinery of :class:`MLPClassifier` and :class:`MLPRegressor`."""

    def __init__(self, hidden_layer_sizes, activation, solver, alpha, batch_size, learning_rate,
                 learning_rate_init, power_t, max_iter, shuffle, random_state, tol, verbose,
                 warm_start, momentum, nesterovs_momentum, early_stopping, validation_fraction,
                 beta_1, beta_2, epsilon, n_iter_no_change, max_fun, backend):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.backend = backend

    # ------------------------------------------------------------------ validation
    def _validate_hyperparameters(self) -> list[int]:
        if self.solver == "lbfgs":
            raise ValueError("solver='lbfgs' is not supported by minimlp; the supported solvers "
                             "are 'sgd' and 'adam'.")
        constraints = dict(_CONSTRAINTS, **getattr(self, "_extra_constraints", {}))
        validate_params(type(self).__name__, self.get_params(deep=False), constraints)
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral):
            sizes = [sizes]
        else:  # a tuple or list as is (np.ravel would build an array just to list it)
            sizes = list(sizes if isinstance(sizes, (tuple, list)) else np.ravel(sizes))
        if not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in sizes):
            raise TypeError(f"hidden_layer_sizes must contain ints, got {sizes!r}.")
        if any(s <= 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {[int(s) for s in sizes]}.")
        return [int(s) for s in sizes]

    def _check_n_features(self, X, reset: bool) -> None:
        """Record the width of X (``reset``) or check it against the recorded one."""
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input.")

    # ------------------------------------------------------------------ training
    def fit(self, X, y) -> BaseMultilayerPerceptron:
        """Train on ``X`` (n_samples, n_features) and ``y`` for up to ``max_iter`` epochs.

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=False)

    def _fit(self, X, y, incremental: bool):
        hidden = self._validate_hyperparameters()
        first_pass = not hasattr(self, "coefs_") or (not self.warm_start and not incremental)
        X, Y, y_labels = self._validate_input(X, y, incremental, reset=first_pass)
        self._random_state = check_random_state(self.random_state)
        if first_pass:
            self._initialize(Y, [X.shape[1], *hidden, Y.shape[1]], X.dtype)
        elif [c.shape[0] for c in self.coefs_[1:]] != hidden:
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r} differs from the "
                             "fitted network's; refit without warm_start.")
        elif (self.validation_scores_ is not None) != bool(self.early_stopping):
            self._reset_stopping_rule()  # early_stopping changed between warm-started fits
        self.n_iter_ = 0
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._new_optimizer()
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        self._epoch_state = self._start_epochs(X, Y)
        self._run_epochs(self._training_data(X, Y, y_labels), self.max_iter, incremental)
        return self

    def _initialize(self, Y, layer_units, dtype):
        """Weights from U(-bound, bound), bound = sqrt(f / (fan_in + fan_out)), f = 2 for a
        logistic hidden activation else 6; drawn W_0, b_0, W_1, b_1, ... in float64."""
        self.n_outputs_ = Y.shape[1]
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._output_activation(Y)
        factor = 2.0 if self.activation == "logistic" else 6.0
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:]):
            bound = np.sqrt(factor / (fan_in + fan_out))
            W = self._random_state.uniform(-bound, bound, (fan_in, fan_out))
            b = self._random_state.uniform(-bound, bound, fan_out)
            self.coefs_.append(W.astype(dtype, copy=False))
            self.intercepts_.append(b.astype(dtype, copy=False))
        self.t_ = 0
        self.loss_curve_ = []
        self._reset_stopping_rule()
        for name in ("_optimizer", "_epoch_state"):
            self.__dict__.pop(name, None)

    def _reset_stopping_rule(self) -> None:
        """The stopping rule's running state: the best training loss, or (early stopping) the
        validation scores and the best weights so far."""
        self._no_improvement_count = 0
        if self.early_stopping:
            self.validation_scores_, self.best_validation_score_ = [], -np.inf
            self.best_loss_ = None
            self._best_coefs = [c.copy() for c in self.coefs_]
            self._best_intercepts = [b.copy() for b in self.intercepts_]
        else:
            self.best_loss_, self.validation_scores_, self.best_validation_score_ = (
                np.inf, None, None)

    def _new_optimizer(self) -> dict[str, Any]:
        """Zeroed optimizer state: SGD velocities and learning rate, or Adam's moments and t."""
        zeros = [tuple(np.zeros_like(p) for p in group) for group in (self.coefs_,
                                                                       self.intercepts_)]
        if self.solver == "sgd":
            return {"learning_rate": float(self.learning_rate_init), "velocities": zeros}
        second = [tuple(np.zeros_like(p) for p in group) for group in (self.coefs_,
                                                                        self.intercepts_)]
        return {"t": 0, "first_moments": zeros, "second_moments": second}

    def _start_epochs(self, X, Y) -> dict[str, Any]:
        """Early-stopping split (from the fit's RandomState), batch size and row order.

        Only indices are kept, so the state is small, pickles with the model, and
        ``continue_fit`` can rebuild the same training and validation sets.
        """
        n = X.shape[0]
        validation = None
        if self.early_stopping:
            from ..model_selection._split import train_test_split

            stratify = Y.astype(bool) if self._is_classifier and self.n_outputs_ == 1 else None
            # Splitting the row indices draws what splitting X and Y would (same n, stratify).
            train, validation = train_test_split(
                np.arange(n), random_state=self._random_state,
                test_size=self.validation_fraction, stratify=stratify)
            if validation.shape[0] < 2:
                raise ValueError("The validation set is too small. Increase "
                                 "'validation_fraction' or the size of your dataset.")
            n = train.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n)
        else:
            if self.batch_size > n:
                warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is "
                              "going to be clipped", stacklevel=4)
            batch_size = int(np.clip(self.batch_size, 1, n))
        return {"n_samples": X.shape[0], "validation": validation,
                "train": None if validation is None else train,
                "order": np.arange(n), "batch_size": batch_size, "stopped": False}

    def _training_data(self, X, Y, y_labels) -> tuple:
        """(X_train, Y_train, X_val, y_val) from the validated data and the stored split."""
        state = self._epoch_state
        if X.shape[0] != state["n_samples"]:
            raise ValueError(f"X has {X.shape[0]} rows; this model was trained on "
                             f"{state['n_samples']}.")
        Y = Y.astype(X.dtype)
        if state["validation"] is None:
            return X, Y, None, None
        train, validation = state["train"], state["validation"]
        return X[train], Y[train], X[validation], y_labels[validation]

    def _run_epochs(self, data: tuple, max_iter: int, incremental: bool) -> None:
        """Train until ``n_iter_ == max_iter`` or the stopping rule fires (spec §1.7)."""
        state = self._epoch_state
        kernels = _backend(self.backend)
        X, Y, X_val, y_val = data
        batch_size, dtype = state["batch_size"], X.dtype
        units = [self.coefs_[0].shape[0]] + [b.shape[0] for b in self.intercepts_]
        buf = {  # preallocated once per call, reused by every batch of every epoch
            "As": tuple(np.empty((batch_size, u), dtype) for u in units),
            "Ds": tuple(np.empty((batch_size, u), dtype) for u in units[1:]),
            "gWs": tuple(np.empty_like(W) for W in self.coefs_),
            "gbs": tuple(np.empty_like(b) for b in self.intercepts_),
            "Yb": np.empty((batch_size, units[-1]), dtype),
        }
        # Everything the kernel takes but the row order and the step size, built once.
        model = (tuple(self.coefs_), tuple(self.intercepts_))
        opt = self._optimizer
        settings = (buf["As"], buf["Ds"], buf["gWs"], buf["gbs"], buf["Yb"],
                    codes.ACTIVATIONS[self.activation], codes.ACTIVATIONS[self.out_activation_],
                    self._loss_code(), float(self.alpha))
        if self.solver == "sgd":
            epoch = kernels.sgd_epoch
            state_arrays = (*opt["velocities"], *settings)
            constants = (float(self.momentum), bool(self.nesterovs_momentum))
        else:
            epoch = kernels.adam_epoch
            state_arrays = (*opt["first_moments"], *opt["second_moments"], *settings)
            constants = (float(self.learning_rate_init), float(self.beta_1), float(self.beta_2),
                         float(self.epsilon))
        n = X.shape[0]
        n_batches = -(-n // batch_size)
        while self.n_iter_ < max_iter and not state["stopped"]:
            if self.shuffle:  # shuffles compose across epochs, as in scikit-learn
                # In place: the same draws as order[permutation(n)], without the two copies.
                self._random_state.shuffle(state["order"])
            step = opt["learning_rate"] if self.solver == "sgd" else opt["t"]
            accumulated = epoch(X, Y, state["order"], batch_size, *model, *state_arrays, step,
                                *constants)
            if self.solver == "adam":
                opt["t"] += n_batches
            self.n_iter_ += 1
            self.loss_ = accumulated / n
            self.t_ += n
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            self._update_no_improvement_count(X_val, y_val)
            if self.solver == "sgd" and self.learning_rate == "invscaling":
                opt["learning_rate"] = float(self.learning_rate_init) / (
                    (self.t_ + 1) ** self.power_t)
            if self._no_improvement_count > self.n_iter_no_change:
                if self._should_stop():
                    state["stopped"] = True
                    break
                self._no_improvement_count = 0
            if incremental:
                break
            if self.n_iter_ == max_iter:
                warnings.warn(f"Stochastic Optimizer: Maximum iterations ({max_iter}) reached "
                              "and the optimization hasn't converged yet.", ConvergenceWarning,
                              stacklevel=3)
        self._finish_epochs()

    def _update_no_improvement_count(self, X_val, y_val) -> None:
        if self.early_stopping:
            score = self._validation_score(X_val, y_val)
            self.validation_scores_.append(score)
            if self.verbose:
                print(f"Validation score: {score:f}")
            worse = score < self.best_validation_score_ + self.tol
            self._no_improvement_count = self._no_improvement_count + 1 if worse else 0
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_coefs = [c.copy() for c in self.coefs_]
                self._best_intercepts = [b.copy() for b in self.intercepts_]
        else:
            last = self.loss_curve_[-1]
            worse = last > self.best_loss_ - self.tol
            self._no_improvement_count = self._no_improvement_count + 1 if worse else 0
            if last < self.best_loss_:
                self.best_loss_ = last

    def _should_stop(self) -> bool:
        """The stop test fired: stop, unless 'adaptive' SGD can still divide η by 5."""
        what = "Validation score" if self.early_stopping else "Training loss"
        msg = (f"{what} did not improve more than tol={self.tol:f} for "
               f"{self.n_iter_no_change} consecutive epochs.")
        opt = self._optimizer
        if self.solver == "adam" or self.learning_rate != "adaptive":
            stop, msg = True, msg + " Stopping."
        elif opt["learning_rate"] <= 1e-6:
            stop, msg = True, msg + " Learning rate too small. Stopping."
        else:
            opt["learning_rate"] /= 5.0
            stop, msg = False, msg + f" Setting learning rate to {opt['learning_rate']:f}"
        if self.verbose:
            print(msg)
        return stop

    def _finish_epochs(self) -> None:
        """Expose the best-validation weights (early stopping) and refuse non-finite ones."""
        if self.early_stopping:
            # Training continues from the last weights (continue_fit), users get the best ones.
            self._epoch_state["last_weights"] = (self.coefs_, self.intercepts_)
            self.coefs_ = [c.copy() for c in self._best_coefs]
            self.intercepts_ = [b.copy() for b in self._best_intercepts]
        if not all(np.isfinite(w).all() for w in (*self.coefs_, *self.intercepts_)):
            raise ValueError("Solver produced non-finite parameter weights. The input data may "
                             "contain large values and need to be preprocessed.")

    def continue_fit(self, X, y, max_iter: int | None = None) -> BaseMultilayerPerceptron:
        """Train on from where the last ``fit`` stopped, up to ``max_iter`` epochs in all.

        ``max_iter=None`` means the model's ``max_iter`` parameter.

        ``X`` and ``y`` must be the data of that ``fit``. Exact: ``fit`` with ``max_iter=k``
        then ``continue_fit(X, y, m)`` gives the same weights, loss curve, ``n_iter_`` and
        optimizer state, bit for bit, as one ``fit`` with ``max_iter=m``: the weights,
        velocities or moments, learning rate, row order, random state, early-stopping split
        and stopping counters all carry over (and pickle with the model). A fit that already
        stopped by its stopping rule stays as it is.
        """
        check_is_fitted(self)
        if not hasattr(self, "_epoch_state"):
            raise ValueError("continue_fit needs a model trained by fit.")
        max_iter = self.max_iter if max_iter is None else max_iter
        if max_iter < self.n_iter_:
            raise ValueError(f"max_iter={max_iter} is below the {self.n_iter_} epochs trained.")
        X, Y, y_labels = self._validate_input(X, y, incremental=True, reset=False)
        data = self._training_data(X, Y, y_labels)
        if "last_weights" in self._epoch_state:
            self.coefs_, self.intercepts_ = self._epoch_state.pop("last_weights")
        self._run_epochs(data, max_iter, incremental=False)
        return self

    # ------------------------------------------------------------------ prediction
    def _forward(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = check_array(X, estimator=type(self).__name__, order="C")
        self._check_n_features(X, reset=False)
        if X.dtype != self.coefs_[0].dtype:
            X = X.astype(self.coefs_[0].dtype)
        return _backend(self.backend).predict(
            X, tuple(self.coefs_), tuple(self.intercepts_), codes.ACTIVATIONS[self.activation],
            codes.ACTIVATIONS[self.out_activation_])


class MLPClassifier(ClassifierMixin, BaseMultilayerPerceptron):
    """Multilayer perceptron classifier trained with mini-batch SGD or Adam on the log loss.

    Drop-in for ``sklearn.neural_network.MLPClassifier`` with the stochastic solvers: same
    parameters, defaults and fitted attributes; with an int ``random_state`` it reproduces
    scikit-learn's fit (``backend="numpy"`` bit for bit, ``backend="numba"`` to rtol 1e-9).

    Parameters
    ----------
    hidden_layer_sizes : array-like of int or int, default=(100,)
        Units of each hidden layer.
    activation : {'identity', 'logistic', 'tanh', 'relu'}, default='relu'
        Hidden-layer activation.
    solver : {'sgd', 'adam'}, default='adam'
        Optimizer ('lbfgs' is not supported).
    alpha : float, default=1e-4
        L2 penalty strength; each batch adds ``alpha / (2 m) * sum ||W||²``.
    batch_size : int or 'auto', default='auto'
        Rows per mini-batch; 'auto' is ``min(200, n_samples)``.
    learning_rate : {'constant', 'invscaling', 'adaptive'}, default='constant'
        SGD step-size schedule.
    learning_rate_init : float, default=1e-3
        Initial step size.
    power_t : float, default=0.5
        Exponent of 'invscaling': ``eta = eta0 / (t + 1) ** power_t`` (t = rows seen).
    max_iter : int, default=200
        Maximum number of epochs.
    shuffle : bool, default=True
        Reshuffle the rows every epoch.
    random_state : None, int or RandomState, default=None
        Seeds the weights, the early-stopping split and the shuffles.
    tol : float, default=1e-4
        Improvement below which an epoch counts as no progress.
    verbose : bool or int, default=False
        Print the loss after every epoch.
    warm_start : bool, default=False
        Continue from the current weights on the next ``fit``.
    momentum : float, default=0.9
        SGD momentum.
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows and stop on their accuracy.
    validation_fraction : float, default=0.1
        Share of rows held out for early stopping.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's moment decay rates.
    epsilon : float, default=1e-8
        Adam's numerical-stability term.
    n_iter_no_change : int, default=10
        Epochs without ``tol`` improvement tolerated before stopping.
    max_fun : int, default=15000
        Accepted for signature compatibility (used only by 'lbfgs').
    backend : {'numba', 'numpy'}, default='numba'
        'numba' runs the jitted kernels; 'numpy' the readable reference.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coefs_ : list of ndarray, the i-th of shape (units_i, units_{i+1})
    intercepts_ : list of ndarray, the i-th of shape (units_{i+1},)
    loss_, best_loss_ : float
    loss_curve_ : list of float
    validation_scores_ : list of float or None
    best_validation_score_ : float or None
    n_iter_, t_, n_features_in_, n_layers_, n_outputs_ : int
    out_activation_ : str
    """

    _is_classifier = True

    def __init__(self, hidden_layer_sizes=(100,), activation: str = "relu", *,
                 solver: str = "adam", alpha: float = 0.0001, batch_size: int | str = "auto",
                 learning_rate: str = "constant", learning_rate_init: float = 0.001,
                 power_t: float = 0.5, max_iter: int = 200, shuffle: bool = True,
                 random_state: Any = None, tol: float = 1e-4, verbose: bool = False,
                 warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000,
                 backend: Literal["numba", "numpy"] = "numba"):
        super().__init__(hidden_layer_sizes, activation, solver, alpha, batch_size,
                         learning_rate, learning_rate_init, power_t, max_iter, shuffle,
                         random_state, tol, verbose, warm_start, momentum, nesterovs_momentum,
                         early_stopping, validation_fraction, beta_1, beta_2, epsilon,
                         n_iter_no_change, max_fun, backend)

    def _output_activation(self, Y) -> str:
        return "softmax" if self._label_kind == "multiclass" else "logistic"

    def _loss_code(self) -> int:
        return codes.LOG_LOSS if self.out_activation_ == "softmax" else codes.BINARY_LOG_LOSS

    def _validate_input(self, X, y, incremental, reset):
        X, y = check_X_y(X, y, multi_output=True, estimator=type(self).__name__)
        X = np.ascontiguousarray(X)
        kind = type_of_target(y)
        if kind not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(f"Unknown label type: {kind!r}. MLPClassifier needs class labels "
                             "(binary, multiclass or a multilabel indicator matrix), not "
                             "continuous values; use MLPRegressor for those.")
        if reset and not (incremental and hasattr(self, "classes_")):
            self._set_classes(y, kind)
        else:
            classes = np.arange(y.shape[1]) if kind == "multilabel-indicator" else unique(y)
            if self.warm_start and not incremental:
                if set(classes.tolist()) != set(self.classes_.tolist()):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same classes as in the "
                        f"previous call to fit. Previously got {self.classes_}, `y` has "
                        f"{classes}")
            elif np.setdiff1d(classes, self.classes_).size:
                raise ValueError(f"`y` has classes not in `self.classes_`. `self.classes_` has "
                                 f"{self.classes_}. 'y' has {classes}.")
        self._check_n_features(X, reset)
        return X, self._encode(y), y

    def _set_classes(self, y, kind) -> None:
        if kind == "multilabel-indicator":
            self.classes_, self._label_kind = np.arange(y.shape[1]), "multilabel"
        else:
            self.classes_ = unique(y)
            self._label_kind = "multiclass" if len(self.classes_) > 2 else "binary"

    def _encode(self, y) -> np.ndarray:
        """Targets as 0/1 columns: one column (binary, single class), one-hot (multiclass)."""
        if self._label_kind == "multilabel":
            return np.asarray(y, dtype=np.float64)
        if self._label_kind == "binary":
            positive = self.classes_[1] if len(self.classes_) > 1 else None
            return (y == positive).astype(np.float64).reshape(-1, 1)
        return (y[:, None] == self.classes_[None, :]).astype(np.float64)

    def _validation_score(self, X_val, y_val) -> float:
        return float(np.mean(self.predict(X_val) == y_val) if self._label_kind != "multilabel"
                     else np.mean(np.all(self.predict(X_val) == y_val, axis=1)))

    def partial_fit(self, X, y, classes=None) -> MLPClassifier:
        """One epoch over ``X``, ``y``, keeping the weights and the optimizer state.

        ``classes`` (all labels that will ever appear) is required on the first call.
        """
        if not hasattr(self, "classes_"):
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            classes = np.unique(np.asarray(classes))
            self.classes_ = classes
            self._label_kind = "multiclass" if len(classes) > 2 else "binary"
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(f"`classes={np.asarray(classes)!r}` is not the same as on last call "
                             f"to partial_fit, was: {self.classes_!r}")
        return self._fit(X, y, incremental=True)

    def predict(self, X) -> np.ndarray:
        """Predicted labels: ndarray of shape (n_samples,), or (n_samples, n_classes) 0/1 for
        multilabel targets."""
        P = self._forward(X)
        if self._label_kind == "multilabel":
            return (P > 0.5).astype(int)
        if self._label_kind == "multiclass":
            return self.classes_[np.argmax(P, axis=1)]
        if len(self.classes_) == 1:
            return np.repeat(self.classes_[0], P.shape[0])
        return self.classes_[(P.ravel() > 0.5).astype(int)]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities: ndarray of shape (n_samples, n_classes) (2 columns for a binary
        or single-class problem)."""
        P = self._forward(X)
        if P.shape[1] == 1:
            p = P.ravel()
            return np.vstack([1 - p, p]).T
        return P

    def predict_log_proba(self, X) -> np.ndarray:
        """``log(predict_proba(X))``, unclipped: ndarray of shape (n_samples, n_classes)."""
        return np.log(self.predict_proba(X))


class MLPRegressor(RegressorMixin, BaseMultilayerPerceptron):
    """Multilayer perceptron regressor trained with mini-batch SGD or Adam.

    Drop-in for ``sklearn.neural_network.MLPRegressor`` with the stochastic solvers. Takes the
    parameters of :class:`MLPClassifier`, plus

    loss : {'squared_error', 'poisson'}, default='squared_error'
        'squared_error' (identity output) or 'poisson' (half Poisson deviance, exp output;
        needs y >= 0).

    With early stopping the held-out score is R². Attributes are those of
    :class:`MLPClassifier` without ``classes_``.
    """

    _is_classifier = False
    _extra_constraints = {"loss": [Options(("squared_error", "poisson"))]}

    def __init__(self, loss: str = "squared_error", hidden_layer_sizes=(100,),
                 activation: str = "relu", *, solver: str = "adam", alpha: float = 0.0001,
                 batch_size: int | str = "auto", learning_rate: str = "constant",
                 learning_rate_init: float = 0.001, power_t: float = 0.5, max_iter: int = 200,
                 shuffle: bool = True, random_state: Any = None, tol: float = 1e-4,
                 verbose: bool = False, warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000,
                 backend: Literal["numba", "numpy"] = "numba"):
        self.loss = loss
        super().__init__(hidden_layer_sizes, activation, solver, alpha, batch_size,
                         learning_rate, learning_rate_init, power_t, max_iter, shuffle,
                         random_state, tol, verbose, warm_start, momentum, nesterovs_momentum,
                         early_stopping, validation_fraction, beta_1, beta_2, epsilon,
                         n_iter_no_change, max_fun, backend)

    def _output_activation(self, Y) -> str:
        return "exp" if self.loss == "poisson" else "identity"

    def _loss_code(self) -> int:
        return codes.LOSSES[self.loss]

    def _validate_input(self, X, y, incremental, reset):
        X, y = check_X_y(X, y, multi_output=True, y_numeric=True,
                         estimator=type(self).__name__)
        X = np.ascontiguousarray(X)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError("Some values of y are negative: loss='poisson' needs y >= 0.")
        self._check_n_features(X, reset)
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        return X, np.asarray(Y, dtype=np.float64), y

    def _validation_score(self, X_val, y_val) -> float:
        from ..metrics import r2_score

        y_pred = self.predict(X_val)
        if not np.isfinite(y_pred).all():
            return np.nan
        return r2_score(y_val, y_pred)

    def partial_fit(self, X, y) -> MLPRegressor:
        """One epoch over ``X``, ``y``, keeping the weights and the optimizer state."""
        return self._fit(X, y, incremental=True)

    def predict(self, X) -> np.ndarray:
        """Predictions: ndarray of shape (n_samples,) or (n_samples, n_outputs)."""
        P = self._forward(X)
        return P.ravel() if P.shape[1] == 1 else P
