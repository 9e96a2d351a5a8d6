"""Small deterministic estimators for the search tests (importable by worker processes)."""

from __future__ import annotations

import os
import time

import numpy as np

from minimlp.base import BaseEstimator, ClassifierMixin, RegressorMixin


class CentroidClassifier(ClassifierMixin, BaseEstimator):
    """Nearest class centroid, with centroids shrunk by ``shrink`` towards the overall mean.

    Test knobs: ``fail_on`` (fit raises ValueError when ``shrink == fail_on``), ``die_on`` (fit
    kills its process when ``shrink == die_on``), ``delay`` (fit sleeps that long) and ``log``
    (fit appends one line ``shrink n_rows`` to that file, to count fits across processes).
    """

    def __init__(self, shrink=0.0, fail_on=None, die_on=None, delay=0.0, log=None):
        self.shrink = shrink
        self.fail_on = fail_on
        self.die_on = die_on
        self.delay = delay
        self.log = log

    def fit(self, X, y):
        if self.fail_on is not None and self.shrink == self.fail_on:
            raise ValueError(f"shrink={self.shrink} is not allowed")
        if self.die_on is not None and self.shrink == self.die_on:
            os._exit(3)
        if self.delay:
            time.sleep(self.delay)
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        centre = X.mean(axis=0)
        means = np.array([X[y == c].mean(axis=0) for c in self.classes_])
        self.centroids_ = centre + (1.0 - self.shrink) * (means - centre)
        if self.log is not None:
            with open(self.log, "a") as f:
                f.write(f"{self.shrink} {len(X)}\n")
                f.flush()
                os.fsync(f.fileno())
        return self

    def decision_function(self, X):
        X = np.asarray(X, dtype=float)
        return -((X[:, None, :] - self.centroids_[None]) ** 2).sum(axis=2)

    def predict_proba(self, X):
        d = self.decision_function(X)
        e = np.exp(d - d.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))

    def predict(self, X):
        return self.classes_[self.decision_function(X).argmax(axis=1)]


class RidgeRegressor(RegressorMixin, BaseEstimator):
    """Closed-form ridge regression (intercept optional); ``alpha < 0`` makes fit raise."""

    def __init__(self, alpha=1.0, fit_intercept=True):
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        if self.alpha < 0:
            raise ValueError(f"alpha={self.alpha} must be >= 0")
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        xm, ym = (X.mean(axis=0), y.mean()) if self.fit_intercept else (0.0, 0.0)
        Xc = X - xm
        self.coef_ = np.linalg.solve(Xc.T @ Xc + self.alpha * np.eye(X.shape[1]), Xc.T @ (y - ym))
        self.intercept_ = ym - np.dot(xm, self.coef_)
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_


class PriorClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the most frequent class ('prior', 'most_frequent') or the first ('first')."""

    def __init__(self, strategy="prior"):
        self.strategy = strategy

    def fit(self, X, y):
        self.classes_, counts = np.unique(np.asarray(y), return_counts=True)
        first = self.strategy == "first"
        self.pick_ = self.classes_[0] if first else self.classes_[counts.argmax()]
        return self

    def predict(self, X):
        return np.full(len(X), self.pick_)
