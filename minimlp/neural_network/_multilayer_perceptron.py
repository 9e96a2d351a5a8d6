"""Placeholder while the estimators are written."""


class MLPClassifier:  # replaced in the next commit
    pass


class MLPRegressor:  # replaced in the next commit
    pass
