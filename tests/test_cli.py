"""The ``minimlp`` command line, run in-process: search, predict, demo and usage errors."""

import csv
import json
import re
import sys
import warnings

import numpy as np
import pytest

from minimlp import MLPClassifier, MLPRegressor, cli
from minimlp.cli import infer_task, main
from minimlp.model_selection import GridSearchCV, StratifiedKFold
from minimlp.persistence import load_model
from minimlp.pipeline import Pipeline, make_pipeline
from minimlp.preprocessing import StandardScaler

# The saved scaler remembers the CSV's column names; the tests predict on plain arrays.
pytestmark = pytest.mark.filterwarnings("ignore:X does not have valid feature names")

RNG = np.random.RandomState(0)
X = RNG.normal(size=(90, 3))
LABELS = np.array(["cat", "dog", "emu"])[np.argmax(X, axis=1)]
TARGET = X @ [1.5, -2.0, 0.5]
GRID_TOML = """max_iter = 8
solver = "sgd"
hidden_layer_sizes = [[4], [6, 3]]
alpha = [1e-4, 1e-1]
"""


def write_csv(path, columns):
    names = list(columns)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(names)
        w.writerows(zip(*(columns[n] for n in names)))
    return str(path)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def files(tmp_path):
    data = write_csv(tmp_path / "data.csv", {"a": X[:, 0], "b": X[:, 1], "kind": LABELS,
                                             "c": X[:, 2]})
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID_TOML)
    return {"data": data, "grid": str(grid), "out": str(tmp_path / "out"), "dir": tmp_path}


def run_search(files, *extra):
    return main(["search", files["data"], "--target", "kind", "--grid", files["grid"],
                 "--cv", "3", "--n-jobs", "1", "--out", files["out"], *extra])


def test_search_csv_to_table_files_and_model(files, capsys):
    assert run_search(files) == 0
    out = capsys.readouterr().out
    assert ("90 rows x 3 features (standardized in each fold), classification, 3 classes, grid "
            "search, 3-fold CV") in out
    assert "best parameters: {" in out and "mean accuracy" in out
    table = out[out.index("rank"):out.index("best parameters")].strip().splitlines()
    assert len(table) == 1 + 4
    ranks = [int(line.split()[0]) for line in table[1:]]
    assert ranks == sorted(ranks)

    out_dir = files["dir"] / "out"
    rows = read_csv(out_dir / "results.csv")
    assert len(rows) == 4 and "mean_test_score" in rows[0]
    results = json.loads((out_dir / "results.json").read_text())
    assert [float(r["mean_test_score"]) for r in rows] == results["mean_test_score"]
    best = results["params"][results["rank_test_score"].index(1)]
    assert f"best parameters: {{'alpha': {best['alpha']}" in out
    for name in ("loss_curves.png", "scores.png"):
        assert (out_dir / name).read_bytes()[:4] == b"\x89PNG"
    assert not (out_dir / "halving.png").exists()

    model = load_model(out_dir / "best_model.npz")
    assert isinstance(model, Pipeline) and isinstance(model[0], StandardScaler)
    assert isinstance(model[-1], MLPClassifier)
    # The saved scaler is the refit's: fitted on every row of the data file.
    np.testing.assert_allclose(model[0].mean_, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(model[0].scale_, X.std(axis=0), rtol=1e-12)
    assert model.classes_.tolist() == ["cat", "dog", "emu"]
    assert model.feature_names_in_.tolist() == ["a", "b", "c"]
    assert model[-1].get_params()["max_iter"] == 8 and model[-1].solver == "sgd"


def test_no_scale_searches_and_saves_the_bare_model(files, capsys):
    assert run_search(files, "--no-scale") == 0
    assert "(raw features)" in capsys.readouterr().out
    model = load_model(files["dir"] / "out" / "best_model.npz")
    assert isinstance(model, MLPClassifier)
    assert model.feature_names_in_.tolist() == ["a", "b", "c"]


def test_scaling_inside_the_folds_matches_a_pipeline_search(files, capsys):
    """The CLI's scores are those of make_pipeline(StandardScaler(), MLP) searched in Python."""
    assert run_search(files) == 0
    cli = json.loads((files["dir"] / "out" / "results.json").read_text())
    pipe = make_pipeline(StandardScaler(), MLPClassifier(random_state=0))
    grid = {"mlpclassifier__max_iter": [8], "mlpclassifier__solver": ["sgd"],  # GRID_TOML
            "mlpclassifier__hidden_layer_sizes": [(4,), (6, 3)],
            "mlpclassifier__alpha": [1e-4, 1e-1]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = GridSearchCV(pipe, grid, cv=StratifiedKFold(3, shuffle=True, random_state=0))
        search.fit(X, LABELS)
    np.testing.assert_array_equal(cli["mean_test_score"],
                                  search.cv_results_["mean_test_score"])


def test_predict_round_trip(files, capsys):
    assert run_search(files) == 0
    model_path = str(files["dir"] / "out" / "best_model.npz")
    # New rows with the columns in another order and without the target: chosen by name.
    new = write_csv(files["dir"] / "new.csv", {"c": X[:5, 2], "a": X[:5, 0], "b": X[:5, 1]})
    capsys.readouterr()
    assert main(["predict", model_path, new]) == 0
    printed = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    model = load_model(model_path)
    assert [r["prediction"] for r in printed] == model.predict(X[:5]).tolist()
    proba = np.array([[float(r[f"proba_{c}"]) for c in ("cat", "dog", "emu")] for r in printed])
    np.testing.assert_array_equal(proba, model.predict_proba(X[:5]))
    assert main(["predict", model_path, files["data"], "--out", str(files["dir"] / "p.csv")]) == 0
    assert len(read_csv(files["dir"] / "p.csv")) == 90


def test_regression_inferred_from_float_target(tmp_path, capsys):
    data = write_csv(tmp_path / "r.csv", {"x0": X[:, 0], "x1": X[:, 1], "x2": X[:, 2],
                                          "y": TARGET})
    grid = tmp_path / "grid.json"
    grid.write_text(json.dumps({"max_iter": 5, "hidden_layer_sizes": [[3], [5]]}))
    assert main(["search", data, "--target", "y", "--grid", str(grid), "--cv", "2",
                 "--n-jobs", "1", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "regression" in out and "mean R²" in out
    assert isinstance(load_model(tmp_path / "o" / "best_model.npz")[-1], MLPRegressor)
    assert main(["predict", str(tmp_path / "o" / "best_model.npz"), data]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "prediction"


def test_random_search_with_distributions_and_npz(tmp_path, capsys):
    np.savez(tmp_path / "d.npz", X=X, labels=(X[:, 0] > 0).astype(int))
    grid = tmp_path / "grid.toml"
    grid.write_text("max_iter = 5\nhidden_layer_sizes = [[3]]\n"
                    "alpha = {loguniform = [1e-5, 1e-1]}\n"
                    "learning_rate_init = {uniform = [0.001, 0.01]}\n"
                    "batch_size = {randint = [10, 40]}\n")
    assert main(["search", str(tmp_path / "d.npz"), "--target", "labels", "--grid", str(grid),
                 "--search", "random", "--n-iter", "3", "--cv", "2", "--n-jobs", "1",
                 "--scoring", "f1", "--out", str(tmp_path / "o")]) == 0
    results = json.loads((tmp_path / "o" / "results.json").read_text())
    assert len(results["params"]) == 3
    for p in results["params"]:
        assert 1e-5 <= p["alpha"] < 1e-1 and 0.001 <= p["learning_rate_init"] < 0.01
        assert 10 <= p["batch_size"] < 40 and isinstance(p["batch_size"], int)
    assert "mean f1" in capsys.readouterr().out
    model = load_model(tmp_path / "o" / "best_model.npz")
    assert model.classes_.tolist() == [0, 1]


def test_npy_pair(tmp_path):
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", TARGET)
    grid = tmp_path / "g.toml"
    grid.write_text("max_iter = 3\nhidden_layer_sizes = [3]\n")
    assert main(["search", str(tmp_path / "X.npy"), "--target", str(tmp_path / "y.npy"),
                 "--grid", str(grid), "--cv", "2", "--n-jobs", "1",
                 "--out", str(tmp_path / "o")]) == 0
    np.save(tmp_path / "new.npy", X[:4])
    out = tmp_path / "p.csv"
    assert main(["predict", str(tmp_path / "o" / "best_model.npz"), str(tmp_path / "new.npy"),
                 "--out", str(out)]) == 0
    model = load_model(tmp_path / "o" / "best_model.npz")
    assert [float(r["prediction"]) for r in read_csv(out)] == model.predict(X[:4]).tolist()


class FakeHalving(GridSearchCV):
    """A GridSearchCV dressed with the halving attributes (one rung), for the CLI's plot."""

    def __init__(self, estimator, param_grid, *, random_state=None, **kw):
        super().__init__(estimator, param_grid, **kw)
        self.random_state = random_state

    def fit(self, X, y):
        super().fit(X, y)
        n = len(self.cv_results_["params"])
        self.cv_results_ = {"iter": np.zeros(n, int), "n_resources": np.full(n, len(X)),
                            **self.cv_results_}
        self.n_candidates_, self.n_resources_ = [n], [len(X)]
        return self


def test_halving_search_writes_halving_plot(files, monkeypatch):
    monkeypatch.setattr("minimlp.model_selection.HalvingGridSearchCV", FakeHalving,
                        raising=False)
    assert run_search(files, "--search", "halving") == 0
    assert (files["dir"] / "out" / "halving.png").read_bytes()[:4] == b"\x89PNG"


def test_halving_missing_is_a_usage_error(files, monkeypatch, capsys):
    monkeypatch.delattr("minimlp.model_selection.HalvingGridSearchCV", raising=False)
    assert run_search(files, "--search", "halving") == 2
    assert "needs minimlp.model_selection.HalvingGridSearchCV" in capsys.readouterr().err


def test_search_without_matplotlib_skips_the_plots(files, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert run_search(files) == 0
    assert "plots skipped: pip install 'minimlp[plot]'" in capsys.readouterr().out
    assert (files["dir"] / "out" / "best_model.npz").exists()
    assert not (files["dir"] / "out" / "scores.png").exists()


def test_csv_with_byte_order_mark(files, capsys):
    path = files["dir"] / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (files["dir"] / "data.csv").read_bytes())
    files["data"] = str(path)
    assert run_search(files) == 0


def test_infer_task():
    assert infer_task(np.array(["a", "b"])) == "classification"
    assert infer_task(np.array([0.0, 1.0, 2.0, 1.0])) == "classification"
    assert infer_task(np.arange(50.0)) == "regression"
    assert infer_task(np.array([0.5, 1.0])) == "regression"
    assert infer_task(np.array([0.5, 1.0]), "classification") == "classification"
    with pytest.raises(cli.UsageError, match="needs a numeric target"):
        infer_task(np.array(["a", "b"]), "regression")


def usage_case(tmp_path, name):
    """Arguments of ``minimlp search`` (or predict) for one kind of mistake."""
    data = write_csv(tmp_path / "d.csv", {"a": X[:, 0], "b": X[:, 1], "t": LABELS})
    grid = tmp_path / "g.toml"
    grid.write_text("max_iter = 3\n")
    args = {"data": data, "target": "t", "grid": str(grid), "extra": []}
    if name == "missing data":
        args["data"] = str(tmp_path / "nope.csv")
    elif name == "missing grid":
        args["grid"] = str(tmp_path / "nope.toml")
    elif name == "missing target column":
        args["target"] = "label"
    elif name == "non-numeric feature":
        args["data"] = write_csv(tmp_path / "s.csv", {"a": X[:, 0], "colour": LABELS,
                                                      "t": LABELS})
    elif name == "empty csv":
        (tmp_path / "e.csv").write_text("")
        args["data"] = str(tmp_path / "e.csv")
    elif name == "header only":
        (tmp_path / "h.csv").write_text("a,b,t\n")
        args["data"] = str(tmp_path / "h.csv")
    elif name == "ragged row":
        (tmp_path / "r.csv").write_text("a,b,t\n1,2,x\n3,y\n")
        args["data"] = str(tmp_path / "r.csv")
    elif name == "unknown grid key":
        grid.write_text("max_iter = 3\nlearning_rat = [0.1]\n")
    elif name == "bad grid value":
        grid.write_text("activation = ['relu', 'sigmoid']\n")
    elif name == "invalid toml":
        grid.write_text("alpha = [1e-4,\n")
    elif name == "distribution in a grid search":
        grid.write_text("alpha = {loguniform = [1e-5, 1e-1]}\n")
    elif name == "bad distribution":
        grid.write_text("alpha = {lognormal = [1e-5, 1e-1]}\n")
        args["extra"] = ["--search", "random"]
    elif name == "unknown scoring":
        args["extra"] = ["--scoring", "acuracy"]
    elif name == "binary data file":
        (tmp_path / "b.csv").write_bytes(b"\xff\xfe\x00\x01binary")
        args["data"] = str(tmp_path / "b.csv")
    elif name == "output is a file":
        (tmp_path / "o").write_text("")
    elif name == "too many folds":
        args["extra"] = ["--cv", "50"]
    return ["search", args["data"], "--target", args["target"], "--grid", args["grid"],
            "--n-jobs", "1", "--out", str(tmp_path / "o"), *args["extra"]]


USAGE_ERRORS = {
    "missing data": "DATA '.*nope.csv' does not exist",
    "missing grid": "GRID '.*nope.toml' does not exist",
    "missing target column": r"has no column 'label'; its columns are \['a', 'b', 't'\]",
    "non-numeric feature": r"feature column 'colour' is not numeric \(line 2: '",
    "empty csv": "is empty",
    "header only": "has a header but no data rows",
    "ragged row": "line 3: 2 fields, but the header has 3",
    "unknown grid key": "has no parameter 'learning_rat'; valid parameters are: .*learning_rate",
    "bad grid value": "bad value 'sigmoid' for activation",
    "invalid toml": "is not valid TOML",
    "distribution in a grid search": "need --search random",
    "bad distribution": "is not a distribution",
    "unknown scoring": "unknown --scoring 'acuracy'; valid names are: .*accuracy",
    "too many folds": "the search failed: n_splits=50 cannot be greater than the number of "
                      "members in each class",
    "binary data file": "is not a readable UTF-8 CSV file",
    "output is a file": "cannot create the output directory",
}


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_usage_errors_are_one_line_with_exit_code_2(case, tmp_path, capsys):
    assert main(usage_case(tmp_path, case)) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("minimlp: error: ")
    assert "Traceback" not in captured.err + captured.out
    assert re.search(USAGE_ERRORS[case], lines[0]), lines[0]


def test_argparse_errors_return_2(tmp_path, capsys):
    assert main(["search", "data.csv", "--grid", "g.toml"]) == 2
    assert "--target" in capsys.readouterr().err
    assert main(["search", "d.csv", "--target", "t", "--grid", "g", "--cv", "1"]) == 2
    assert "needs at least 2 folds" in capsys.readouterr().err
    assert main(["--help"]) == 0


def test_predict_usage_errors(tmp_path, capsys):
    data = write_csv(tmp_path / "d.csv", {"a": X[:, 0]})
    bad_model = tmp_path / "m.npz"
    bad_model.write_bytes(b"not a model")
    assert main(["predict", str(bad_model), data]) == 2
    assert "is not a minimlp model file" in capsys.readouterr().err
    assert main(["predict", str(tmp_path / "none.npz"), data]) == 2
    assert "MODEL" in capsys.readouterr().err
    model = MLPClassifier(hidden_layer_sizes=(3,), max_iter=2)
    with pytest.warns(Warning):
        model.fit(X[:, :2], LABELS)
    model.feature_names_in_ = np.array(["a", "b"], dtype=object)
    from minimlp.persistence import save_model

    save_model(model, tmp_path / "ok.npz")
    assert main(["predict", str(tmp_path / "ok.npz"), data]) == 2
    err = capsys.readouterr().err
    assert "lacks the model's feature column(s) ['b']" in err and "Traceback" not in err


def test_demo_still_runs(capsys):
    assert main(["demo", "--max-iter", "1", "--n-jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "27 candidates x 5 folds" in out and "best parameters:" in out
