"""Headless plots: figures are produced, saved, labelled as documented, and not blank."""

import sys
import types
import warnings

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from minimlp import MLPClassifier, MLPRegressor  # noqa: E402
from minimlp.model_selection import GridSearchCV, RandomizedSearchCV, loguniform  # noqa: E402
from minimlp.plotting import plot_halving, plot_loss_curves, plot_search_scores  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")

RNG = np.random.RandomState(0)
X = RNG.normal(size=(60, 4))
y = (X[:, 0] - X[:, 2] > 0).astype(int)


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)


def assert_not_blank(fig):
    assert pixels(fig).std() > 1.0


@pytest.fixture(scope="module")
def grid_search():
    grid = {"alpha": [1e-4, 1e-1], "learning_rate_init": [0.01, 0.1],
            "hidden_layer_sizes": [(4,), (6,)]}
    model = MLPClassifier(max_iter=20, solver="sgd", random_state=0)
    return GridSearchCV(model, grid, cv=3).fit(X, y)


def test_loss_curve_of_an_estimator(tmp_path):
    model = MLPRegressor(hidden_layer_sizes=(5,), max_iter=12, random_state=0).fit(X, X[:, 0])
    fig = plot_loss_curves(model, path=tmp_path / "loss.png")
    (ax,) = fig.axes
    assert ax.get_title() == "Loss curve of MLPRegressor"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "training loss")
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_ydata(), model.loss_curve_)
    np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 13))
    assert_not_blank(fig)
    import matplotlib.image

    image = matplotlib.image.imread(tmp_path / "loss.png")
    assert image.shape[0] > 100 and image[..., :3].std() > 0


def test_loss_curve_with_early_stopping_has_validation_axis(tmp_path):
    model = MLPClassifier(hidden_layer_sizes=(5,), max_iter=15, early_stopping=True,
                          random_state=0).fit(X, y)
    fig = plot_loss_curves(model, path=tmp_path / "loss.svg")
    ax, score_ax = fig.axes
    assert score_ax.get_ylabel() == "validation score (dashed)"
    np.testing.assert_array_equal(score_ax.get_lines()[0].get_ydata(), model.validation_scores_)
    assert (tmp_path / "loss.svg").read_text().lstrip().startswith("<?xml")
    assert_not_blank(fig)


def test_loss_curves_of_a_search_refit_the_top_candidates(grid_search):
    fig = plot_loss_curves(grid_search, top=3, X=X, y=y)
    ax = fig.axes[0]
    assert ax.get_title() == "Loss curves of the 3 best candidates"
    lines = ax.get_lines()
    assert len(lines) == 3
    np.testing.assert_array_equal(lines[0].get_ydata(), grid_search.best_estimator_.loss_curve_)
    # The second curve is the second-ranked candidate refitted on X, y.
    second = int(np.argsort(grid_search.cv_results_["rank_test_score"], kind="stable")[1])
    refit = MLPClassifier(max_iter=20, solver="sgd", random_state=0).set_params(
        **grid_search.cv_results_["params"][second]).fit(X, y)
    np.testing.assert_array_equal(lines[1].get_ydata(), refit.loss_curve_)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("#1 ") and labels[1].startswith("#2 ")
    assert_not_blank(fig)
    only_best = plot_loss_curves(grid_search)
    assert only_best.axes[0].get_title() == "Loss curve of the best candidate"


def test_loss_curves_errors(grid_search):
    with pytest.raises(ValueError, match="pass X and y"):
        plot_loss_curves(grid_search, top=2)
    with pytest.raises(ValueError, match="top must be >= 1"):
        plot_loss_curves(grid_search, top=0)
    with pytest.raises(ValueError, match="fitted MLP or search"):
        plot_loss_curves(MLPClassifier())


def _cell_texts(ax):
    return {t.get_text() for t in ax.texts}


def test_heatmap_with_others_at_best(grid_search, tmp_path):
    fig = plot_search_scores(grid_search, x="alpha", y="learning_rate_init",
                             path=tmp_path / "heat.png")
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("alpha", "learning_rate_init")
    assert ax.get_title().startswith("Mean test score by learning_rate_init and alpha")
    best_size = grid_search.best_params_["hidden_layer_sizes"]
    assert f"hidden_layer_sizes={best_size}" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.0001", "0.1"]
    assert fig.axes[1].get_ylabel() == "mean test score"  # the colorbar
    res = grid_search.cv_results_
    expected = {f"{m:.3f}" for p, m in zip(res["params"], res["mean_test_score"])
                if p["hidden_layer_sizes"] == best_size}
    assert _cell_texts(ax) == expected
    grid = ax.get_images()[0].get_array()
    assert grid.shape == (2, 2)
    assert grid[1, 0] == pytest.approx(next(
        m for p, m in zip(res["params"], res["mean_test_score"])
        if p == {"alpha": 1e-4, "learning_rate_init": 0.1, "hidden_layer_sizes": best_size}))
    assert (tmp_path / "heat.png").stat().st_size > 1000
    assert_not_blank(fig)


def test_heatmap_averaged_over_others(grid_search):
    fig = plot_search_scores(grid_search, x="hidden_layer_sizes", y="alpha", others="mean")
    ax = fig.axes[0]
    assert "averaged over the other parameters" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["(4,)", "(6,)"]
    res = grid_search.cv_results_
    cell = np.mean([m for p, m in zip(res["params"], res["mean_test_score"])
                    if p["alpha"] == 0.1 and p["hidden_layer_sizes"] == (6,)])
    assert ax.get_images()[0].get_array()[1, 1] == pytest.approx(cell)


def test_score_by_candidate(grid_search):
    fig = plot_search_scores(grid_search)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "mean test score"
    assert ax.get_title().startswith("Mean test score per candidate")
    res = grid_search.cv_results_
    order = np.argsort(res["rank_test_score"], kind="stable")
    points = ax.get_lines()[0].get_ydata()
    np.testing.assert_array_equal(points, res["mean_test_score"][order])
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(i) for i in order]
    assert_not_blank(fig)


def test_score_by_candidate_for_a_random_search():
    search = RandomizedSearchCV(MLPClassifier(max_iter=5, hidden_layer_sizes=(3,)),
                                {"alpha": loguniform(1e-5, 1e-1)}, n_iter=4, cv=2,
                                random_state=0).fit(X, y)
    fig = plot_search_scores(search)
    assert len(fig.axes[0].get_lines()[0].get_ydata()) == 4
    assert_not_blank(fig)


def test_long_candidate_titles_fit_the_figure():
    """Few candidates with several float parameters: the best one's title is compact (floats to
    4 digits) and wrapped, so tight_layout has room (it used to warn on such a search)."""
    search = RandomizedSearchCV(
        MLPClassifier(max_iter=5, hidden_layer_sizes=(3,)),
        {"alpha": loguniform(1e-5, 1e-1), "learning_rate_init": loguniform(1e-3, 1e-2),
         "batch_size": [10, 20, 30], "momentum": loguniform(0.5, 0.99)},
        n_iter=3, cv=2, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_search_scores(search)
        fig.canvas.draw()
    title = fig.axes[0].get_title()
    assert f"alpha={search.best_params_['alpha']:.4g}" in title
    assert repr(search.best_params_["alpha"]) not in title  # not the full 17 digits
    assert_not_blank(fig)


def test_search_scores_errors(grid_search):
    with pytest.raises(ValueError, match="both x and y"):
        plot_search_scores(grid_search, x="alpha")
    with pytest.raises(ValueError, match="'momentum' is not a searched parameter"):
        plot_search_scores(grid_search, x="alpha", y="momentum")
    with pytest.raises(ValueError, match="others must be"):
        plot_search_scores(grid_search, x="alpha", y="hidden_layer_sizes", others="max")


def fake_halving():
    """The attributes of a fitted scikit-learn halving search: 6 -> 2 -> 1 candidates."""
    params = [{"alpha": a} for a in (1, 2, 3, 4, 5, 6)]
    rung0 = [0.5, 0.6, 0.55, 0.7, 0.4, 0.45]
    rows = ([(0, 20, p, s) for p, s in zip(params, rung0)]
            + [(1, 60, params[3], 0.72), (1, 60, params[1], 0.65), (2, 180, params[3], 0.8)])
    it, res, ps, scores = zip(*rows)
    results = {"iter": np.array(it), "n_resources": np.array(res), "params": list(ps),
               "mean_test_score": np.array(scores), "std_test_score": np.zeros(len(rows)),
               "rank_test_score": np.ones(len(rows), dtype=np.int32)}
    return types.SimpleNamespace(cv_results_=results, n_candidates_=[6, 2, 1],
                                 n_resources_=[20, 60, 180], n_iterations_=3,
                                 multimetric_=False)


def test_halving_plot(tmp_path):
    fig = plot_halving(fake_halving(), path=tmp_path / "halving.png")
    bars, scores = fig.axes
    assert bars.get_title() == "Candidates per rung" and bars.get_ylabel() == "candidates"
    assert [p.get_height() for p in bars.patches] == [6, 2, 1]
    assert [t.get_text() for t in bars.get_xticklabels()][2] == "rung 2\n180 resources"
    assert scores.get_xlabel() == "resources (n_resources)"
    assert scores.get_ylabel() == "mean test score"
    tracks = [line for line in scores.get_lines() if len(line.get_xdata())]
    assert len(tracks) == 6
    survivor = [line for line in tracks if line.get_linewidth() == 2]
    assert len(survivor) == 1
    np.testing.assert_array_equal(survivor[0].get_xdata(), [20, 60, 180])
    np.testing.assert_array_equal(survivor[0].get_ydata(), [0.7, 0.72, 0.8])
    legend = [t.get_text() for t in scores.get_legend().get_texts()]
    assert legend == ["survivors (1)", "eliminated"]
    assert (tmp_path / "halving.png").exists()
    assert_not_blank(fig)


def test_halving_plot_refuses_other_searches(grid_search):
    with pytest.raises(ValueError, match="n_candidates_ is missing"):
        plot_halving(grid_search)


def test_clear_import_error_without_matplotlib(monkeypatch, grid_search):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r"pip install 'minimlp\[plot\]'"):
        plot_search_scores(grid_search)
