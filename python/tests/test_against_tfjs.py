"""The Keras classes against numbers computed by the TF.js layers (data/reference.json)."""

import json

import keras
import numpy as np
import pytest

import tfjs_skip
from cases import CASES, array, build

REFERENCE = json.loads((__import__("pathlib").Path(__file__).parent / "data" / "reference.json").read_text())
NAMES = [c["name"] for c in REFERENCE["cases"]]
BY_NAME = {c["name"]: c for c in REFERENCE["cases"]}
close = dict(rtol=1e-4, atol=1e-5)


def test_every_class_tfjs_skip_registers_has_a_keras_class():
    assert REFERENCE["registeredClasses"] == sorted(cls.__name__ for cls in tfjs_skip.LAYER_CLASSES)


def test_every_reference_case_has_a_keras_twin():
    assert sorted(NAMES) == sorted(CASES)


@pytest.mark.parametrize("name", NAMES)
def test_shapes_params_and_weight_order_match(name):
    case = BY_NAME[name]
    model = build(case)
    assert list(model.output_shape) == case["outputShape"]
    assert model.count_params() == case["params"]
    for layer, ref in zip(model.layers, case["layers"]):
        assert layer.__class__.__name__ == ref["className"]
        assert layer.count_params() == ref["params"]
        # Same order as TF.js: the TF.js names end with the Keras variable names, weight by weight.
        ts_tail = [n.split("/")[-1] for n in ref["weightNames"]]
        assert [w.name for w in layer.weights] == ts_tail
        assert [tuple(w.shape) for w in layer.weights] == [tuple(w["shape"]) for w in ref["weights"]]


@pytest.mark.parametrize("name", NAMES)
def test_inference_output_matches(name):
    case = BY_NAME[name]
    model = build(case)
    np.testing.assert_allclose(model.predict(array(case["input"]), verbose=0), array(case["output"]), **close)


@pytest.mark.parametrize("name", [n for n in NAMES if "outputTraining" in BY_NAME[n]])
def test_training_output_matches(name):
    case = BY_NAME[name]
    model = build(case)
    y = model(array(case["input"]), training=True)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(y), array(case["outputTraining"]), **close)


@pytest.mark.parametrize("name", [n for n in NAMES if "trainStep" in BY_NAME[n]])
def test_one_sgd_step_matches(name):
    case = BY_NAME[name]
    step = case["trainStep"]
    model = build(case)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mean_squared_error")
    loss = model.train_on_batch(array(case["input"]), array(step["target"]))
    np.testing.assert_allclose(loss, step["loss"], **close)
    for layer, expected in zip(model.layers, step["weightsAfter"]):
        for w, ref in zip(layer.get_weights(), expected, strict=True):
            np.testing.assert_allclose(w, array(ref), **close)


LEAF_CLASSES = {cls.__name__: cls for cls in tfjs_skip.LAYER_CLASSES if cls is not tfjs_skip.SkipConnection}
LEAF_CONFIGS = [
    (c["name"], i) for c in REFERENCE["cases"] for i, layer in enumerate(c["layers"]) if layer["className"] in LEAF_CLASSES
]


@pytest.mark.parametrize("name,index", LEAF_CONFIGS)
def test_tfjs_config_keys_are_the_keras_config_keys(name, index):
    """A leaf layer's config as TF.js writes it in model.json builds the Keras layer, with the same own keys and values."""
    ts = BY_NAME[name]["layers"][index]
    cls = LEAF_CLASSES[ts["className"]]
    base = {"name", "trainable", "dtype", "batch_input_shape"}
    own = {k: v for k, v in ts["config"].items() if k not in base}
    layer = cls.from_config({"name": ts["config"]["name"], **own})
    keras_own = {k: v for k, v in layer.get_config().items() if k not in base}
    assert keras_own == own


def test_skip_connection_config_keys_are_the_tfjs_keys():
    ts = BY_NAME["merge_add"]["layers"][0]["config"]
    keras_config = build(BY_NAME["merge_add"]).layers[0].get_config()
    own = {"main_path", "skip_path", "how"}
    assert own <= set(ts) and own <= set(keras_config)
    assert keras_config["how"] == ts["how"] == "add"
    assert [p["class_name"] for p in keras_config["main_path"]] == [p["class_name"] for p in ts["main_path"]]
    assert [p["class_name"] for p in keras_config["skip_path"]] == [p["class_name"] for p in ts["skip_path"]]


REPO = __import__("pathlib").Path(__file__).resolve().parents[2]
TSX = REPO / "node_modules" / "tsx"


@pytest.mark.skipif(not (TSX.is_dir() and __import__("shutil").which("node")), reason="needs the repository's node_modules (npm ci)")
def test_reference_data_is_what_the_current_typescript_computes(tmp_path):
    """Regenerates the reference with the TS package as it is now: a change on the TS side shows up here."""
    import subprocess

    out = tmp_path / "reference.json"
    subprocess.run(["node", "--import", "tsx", "python/tests/make_reference.ts", str(out)], cwd=REPO, check=True, capture_output=True, timeout=300)
    assert json.loads(out.read_text()) == REFERENCE
