"""The ONNX export against the real tools: onnx.checker and ONNX Runtime (Python).

make_onnx.ts writes, at test time, every zoo model exported by `toOnnx` and a
TF.js folder of ResNet-8 with the probabilities head (what `npm start`
saves); the command line converts that folder (`tfjs-skip convert
resnet-8 resnet-8.onnx`) and to Keras. Each file must pass the checker with
full shape inference, and ONNX Runtime must predict what TF.js predicted, and
what Keras predicts from the same model.
"""

import json
import subprocess
from pathlib import Path

import keras
import numpy as np
import onnx
import onnxruntime as ort
import pytest

import tfjs_skip  # noqa: F401  (registers the Keras classes of tfjs-skip's layers)

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "packages" / "cli" / "bin" / "tfjs-skip.js"


def node(*args):
    subprocess.run(["node", *map(str, args)], cwd=ROOT, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("onnx")
    node("--import", "tsx", Path(__file__).parent / "make_onnx.ts", out)
    node(CLI, "convert", out / "resnet-8", out / "resnet-8.onnx")
    node(CLI, "convert", out / "resnet-8", out / "resnet-8.keras")
    cases = json.loads((out / "cases.json").read_text())["cases"]
    return out, {c["name"]: c for c in cases}


def array(a):
    return np.asarray(a["data"], dtype=np.float32).reshape(a["shape"])


def assert_close(got, expected):
    """|got - expected| <= 1e-4 * max(1e-2, |expected|), everywhere."""
    assert got.shape == expected.shape
    worst = np.max(np.abs(got - expected) / np.maximum(1e-2, np.abs(expected)))
    assert worst <= 1e-4, f"worst relative error {worst}"


def run(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (name,) = [i.name for i in session.get_inputs()]
    return session.run(None, {name: x})[0]


ZOO = ["densenet-bc", "densenet", "highway-net", "mlp", "plain", "residual-mlp", "resnet", "toy-resnet", "unet"]


def test_make_onnx_covers_the_zoo(exported):
    _, cases = exported
    assert sorted(n for n in cases if n != "cli") == sorted(ZOO)


@pytest.mark.parametrize("name", ZOO + ["cli"])
def test_passes_the_checker_with_full_shape_inference(exported, name):
    out, cases = exported
    model = onnx.load(str(out / cases[name]["onnx"]))
    onnx.checker.check_model(model, full_check=True)
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]
    assert model.producer_name == "tfjs-skip"


@pytest.mark.parametrize("name", ZOO + ["cli"])
def test_onnx_runtime_predicts_what_tfjs_predicts(exported, name):
    out, cases = exported
    case = cases[name]
    assert_close(run(out / case["onnx"], array(case["input"])), array(case["expected"]))


def test_cli_onnx_keeps_nhwc_and_the_probabilities_head(exported):
    out, cases = exported
    session = ort.InferenceSession(str(out / "resnet-8.onnx"), providers=["CPUExecutionProvider"])
    (x,) = session.get_inputs()
    (y,) = session.get_outputs()
    assert x.shape == ["batch", 28, 28, 1]
    assert (y.name, y.shape) == ("probabilities", ["batch", 10])
    probabilities = run(out / "resnet-8.onnx", array(cases["cli"]["input"]))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)


def test_onnx_runtime_predicts_what_keras_predicts(exported):
    """The same saved model through the other bridge: `tfjs-skip convert` to .keras, loaded by Keras."""
    out, cases = exported
    x = array(cases["cli"]["input"])
    keras_model = keras.saving.load_model(out / "resnet-8.keras")
    assert_close(run(out / "resnet-8.onnx", x), np.asarray(keras_model.predict(x, verbose=0)))
