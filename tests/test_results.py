"""search.results_table(), results.csv / results.json writers, and pandas.DataFrame(cv_results_)."""

import csv
import json
import math

import numpy as np
import pytest

from minimlp import MLPClassifier
from minimlp.exceptions import NotFittedError
from minimlp.model_selection import GridSearchCV
from minimlp.model_selection._results import (
    results_table,
    write_results_csv,
    write_results_json,
)

RNG = np.random.RandomState(1)
X = RNG.normal(size=(40, 3))
y = (X[:, 0] + X[:, 1] > 0).astype(int)
GRID = [{"hidden_layer_sizes": [(3,), (4, 2)], "alpha": [1e-4, 1e-2]},
        {"hidden_layer_sizes": [(3,)], "activation": ["tanh"]}]


@pytest.fixture(scope="module")
def search():
    model = MLPClassifier(max_iter=5, random_state=0)
    with pytest.warns(Warning):
        return GridSearchCV(model, GRID, cv=3).fit(X, y)


def test_results_table_rows_match_cv_results(search):
    rows = search.results_table()
    res = search.cv_results_
    assert len(rows) == 5
    assert "params" not in rows[0]
    assert list(rows[0]) == [k for k in res if k != "params"]
    for i, row in enumerate(rows):
        assert row["mean_test_score"] == res["mean_test_score"][i]
        assert type(row["mean_test_score"]) is float
        assert type(row["rank_test_score"]) is int
        assert row["split2_test_score"] == res["split2_test_score"][i]
        assert row["param_hidden_layer_sizes"] == res["params"][i]["hidden_layer_sizes"]
    # The third grid's candidate has no alpha, the first grid's have no activation: None.
    assert rows[4]["param_alpha"] is None and rows[4]["param_activation"] == "tanh"
    assert rows[0]["param_activation"] is None and rows[0]["param_alpha"] == 1e-4
    assert rows[1]["param_hidden_layer_sizes"] == (4, 2)


def test_results_table_before_fit():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        GridSearchCV(MLPClassifier(), {"alpha": [1.0]}).results_table()


def test_csv_and_json_files(search, tmp_path):
    write_results_csv(search.cv_results_, tmp_path / "r.csv")
    with open(tmp_path / "r.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5
    assert [float(r["mean_test_score"]) for r in rows] == search.cv_results_[
        "mean_test_score"].tolist()
    assert rows[4]["param_alpha"] == "" and rows[1]["param_hidden_layer_sizes"] == "(4, 2)"
    write_results_json(search.cv_results_, tmp_path / "r.json")
    columns = json.loads((tmp_path / "r.json").read_text())
    assert columns["rank_test_score"] == search.cv_results_["rank_test_score"].tolist()
    assert columns["params"][4] == {"activation": "tanh", "hidden_layer_sizes": [3]}
    assert columns["param_alpha"][4] is None


def test_json_turns_failed_scores_into_null(tmp_path):
    results = {"mean_test_score": np.array([0.5, np.nan]), "params": [{"a": 1}, {"a": 2}]}
    write_results_json(results, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["mean_test_score"] == [0.5, None]
    assert math.isnan(results_table(results)[1]["mean_test_score"])


def test_pandas_dataframe_of_cv_results(search):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(search.cv_results_)
    assert len(frame) == 5
    np.testing.assert_array_equal(frame["mean_test_score"], search.cv_results_["mean_test_score"])
    assert frame["param_alpha"].isna().tolist() == [False] * 4 + [True]
    assert frame.loc[1, "params"]["hidden_layer_sizes"] == (4, 2)
