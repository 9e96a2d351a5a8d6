"""save_model / load_model: exact round trips, and refusal of foreign or damaged files."""

import io
import json
import zipfile

import numpy as np
import pytest

from minimlp import MLPClassifier, MLPRegressor
from minimlp.exceptions import ConvergenceWarning
from minimlp.persistence import load_model, save_model
from minimlp.pipeline import Pipeline, make_pipeline
from minimlp.preprocessing import MinMaxScaler, StandardScaler

RNG = np.random.RandomState(0)
X = RNG.normal(size=(60, 4))


def _small(cls, **kw):
    return cls(hidden_layer_sizes=(5, 3), max_iter=15, random_state=0, **kw)


CASES = {
    "binary": (lambda: _small(MLPClassifier), (X[:, 0] > 0).astype(int)),
    "multiclass-strings": (lambda: _small(MLPClassifier, solver="sgd"),
                           np.array(["cat", "dog", "emu"])[np.argmax(X[:, :3], axis=1)]),
    "multilabel": (lambda: _small(MLPClassifier), (X[:, :3] > 0).astype(int)),
    "early-stopping": (lambda: _small(MLPClassifier, early_stopping=True),
                       (X[:, 1] > 0).astype(int)),
    "regressor": (lambda: _small(MLPRegressor), X @ [1.0, -2.0, 0.5, 0.0]),
    "regressor-2-outputs-float32": (lambda: _small(MLPRegressor), X[:, :2] * 3),
}


@pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("case", sorted(CASES))
def test_round_trip_predicts_identically(case, tmp_path):
    make, y = CASES[case]
    Xf = X.astype(np.float32) if "float32" in case else X
    model = make().fit(Xf, y)
    path = tmp_path / "model.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert type(loaded) is type(model)
    assert loaded.get_params() == model.get_params()
    np.testing.assert_array_equal(loaded.predict(Xf), model.predict(Xf))
    assert loaded.predict(Xf).dtype == model.predict(Xf).dtype
    if hasattr(model, "predict_proba"):
        np.testing.assert_array_equal(loaded.predict_proba(Xf), model.predict_proba(Xf))
        np.testing.assert_array_equal(loaded.classes_, model.classes_)
        assert loaded.classes_.dtype == model.classes_.dtype
    for a, b in zip(loaded.coefs_ + loaded.intercepts_, model.coefs_ + model.intercepts_):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    assert loaded.loss_curve_ == model.loss_curve_
    assert loaded.validation_scores_ == model.validation_scores_
    assert (loaded.n_iter_, loaded.t_, loaded.out_activation_) == (
        model.n_iter_, model.t_, model.out_activation_)


@pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")
def test_loaded_model_scores_and_keeps_feature_names(tmp_path):
    y = np.array(["no", "yes"])[(X[:, 0] > 0).astype(int)]
    model = _small(MLPClassifier).fit(X, y)
    model.feature_names_in_ = np.array(["a", "b", "c", "d"], dtype=object)
    save_model(model, tmp_path / "m.npz")
    loaded = load_model(tmp_path / "m.npz")
    assert loaded.score(X, y) == model.score(X, y)
    assert loaded.feature_names_in_.tolist() == ["a", "b", "c", "d"]
    assert loaded.hidden_layer_sizes == (5, 3)


def test_save_refuses_unfitted_and_foreign_objects(tmp_path):
    with pytest.raises(ValueError, match="not fitted"):
        save_model(MLPClassifier(), tmp_path / "m.npz")
    with pytest.raises(TypeError, match="MLPClassifier and MLPRegressor"):
        save_model(object(), tmp_path / "m.npz")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("saved") / "model.npz"
    model = MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, X[:, 0])
    save_model(model, path)
    return path


def _rewrite(src, dst, change):
    """Copy the npz archive ``src`` to ``dst`` with ``change(name, bytes) -> bytes`` applied."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, change(item.filename, zin.read(item.filename)))


def _header_change(**updates):
    def change(name, data):
        if name != "__minimlp__.npy":
            return data
        header = json.loads(str(np.load(io.BytesIO(data))[()]))
        header.update(updates)
        buf = io.BytesIO()
        np.save(buf, np.array(json.dumps(header)))
        return buf.getvalue()
    return change


def test_refuses_truncated_file(saved, tmp_path):
    data = saved.read_bytes()
    bad = tmp_path / "truncated.npz"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a minimlp model file or is corrupted"):
        load_model(bad)


def test_refuses_altered_weights(saved, tmp_path):
    def flip(name, data):
        if name != "coef_0.npy":
            return data
        return data[:-8] + np.float64(123.0).tobytes()
    bad = tmp_path / "altered.npz"
    _rewrite(saved, bad, flip)
    with pytest.raises(ValueError, match="corrupted: its arrays do not match"):
        load_model(bad)


def test_refuses_other_format_version(saved, tmp_path):
    bad = tmp_path / "v99.npz"
    _rewrite(saved, bad, _header_change(version=99))
    with pytest.raises(ValueError, match="format version 99; this minimlp reads versions 1, 2"):
        load_model(bad)


def test_refuses_foreign_format_and_unknown_class(saved, tmp_path):
    bad = tmp_path / "foreign.npz"
    _rewrite(saved, bad, _header_change(format="something-else"))
    with pytest.raises(ValueError, match="not a minimlp model file \\(format 'something-else'"):
        load_model(bad)
    _rewrite(saved, bad, _header_change(**{"class": "os.system"}))
    with pytest.raises(ValueError, match="unknown model class 'os.system'"):
        load_model(bad)


@pytest.mark.parametrize("kind", ["npz-without-header", "npy", "text", "pickle"])
def test_refuses_files_that_are_not_minimlp_models(kind, tmp_path):
    path = tmp_path / "other"
    if kind == "npz-without-header":
        with open(path, "wb") as f:
            np.savez(f, X=X)
    elif kind == "npy":
        with open(path, "wb") as f:
            np.save(f, X)
    elif kind == "text":
        path.write_text("a,b\n1,2\n")
    else:
        import pickle

        path.write_bytes(pickle.dumps({"coefs_": [X]}))
    with pytest.raises(ValueError, match="is not a minimlp model file"):
        load_model(path)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "nope.npz")


# ------------------------------------------------------------------------------ pipelines
@pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pipeline_round_trip_takes_raw_rows(dtype, tmp_path):
    raw = (X * [1e3, 1.0, 1e-3, 5.0] + [1e4, 0.0, 0.0, -3.0]).astype(dtype)
    y = (X[:, 0] > 0).astype(int)
    pipe = Pipeline([("scale", StandardScaler()), ("skip", "passthrough"),
                     ("minmax", MinMaxScaler(feature_range=(-1, 1), clip=True)),
                     ("mlp", _small(MLPClassifier))]).fit(raw, y)
    pipe[0].feature_names_in_ = np.array(["a", "b", "c", "d"], dtype=object)
    save_model(pipe, tmp_path / "p.npz")
    loaded = load_model(tmp_path / "p.npz")
    assert isinstance(loaded, Pipeline)
    assert [n for n, _ in loaded.steps] == ["scale", "skip", "minmax", "mlp"]
    assert loaded[1] == "passthrough"
    assert loaded[2].feature_range == (-1, 1) and loaded[2].clip is True
    assert loaded.get_params(deep=True).keys() == pipe.get_params(deep=True).keys()
    for name in ("mean_", "var_", "scale_"):
        np.testing.assert_array_equal(getattr(loaded[0], name), getattr(pipe[0], name))
        assert getattr(loaded[0], name).dtype == getattr(pipe[0], name).dtype
    assert loaded[0].n_samples_seen_ == pipe[0].n_samples_seen_
    assert list(loaded.feature_names_in_) == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(loaded[2].data_range_, pipe[2].data_range_)
    np.testing.assert_array_equal(loaded.predict_proba(raw), pipe.predict_proba(raw))
    np.testing.assert_array_equal(loaded.predict(raw), pipe.predict(raw))


@pytest.mark.filterwarnings("ignore::minimlp.exceptions.ConvergenceWarning")
def test_pipeline_with_unsupported_or_unfitted_steps_is_refused(tmp_path):
    class Doubler(StandardScaler):
        pass

    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(TypeError, match="step 'doubler' is a Doubler"):
        save_model(make_pipeline(Doubler(), _small(MLPClassifier)).fit(X, y), tmp_path / "a")
    with pytest.raises(TypeError, match="got StandardScaler"):
        save_model(make_pipeline(MinMaxScaler(), StandardScaler()).fit(X), tmp_path / "b")
    pipe = make_pipeline(StandardScaler(), _small(MLPClassifier)).fit(X, y)
    pipe.steps[0] = ("standardscaler", StandardScaler())
    with pytest.raises(ValueError, match="'standardscaler' .StandardScaler. is not fitted"):
        save_model(pipe, tmp_path / "c")


def test_version_1_files_still_load(saved, tmp_path):
    """A file written before pipelines existed (version 1: no steps in the header)."""
    def as_version_1(name, data):
        if name != "__minimlp__.npy":
            return data
        header = json.loads(str(np.load(io.BytesIO(data))[()]))
        header["version"] = 1
        del header["steps"], header["final_name"]
        buf = io.BytesIO()
        np.save(buf, np.array(json.dumps(header)))
        return buf.getvalue()

    old = tmp_path / "v1.npz"
    _rewrite(saved, old, as_version_1)
    model, loaded = load_model(saved), load_model(old)
    assert type(loaded) is type(model)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
