"""Loads models TF.js wrote, predicts, trains one step, saves them back.

Usage: python check_models.py SPEC.json
SPEC lists {"file", "out", "xShape", "x"}; for each, the model is loaded with
keras.saving.load_model (.keras) or keras.models.load_model (.h5), predicts
on x (inference), trains one SGD step on a fixed target (training mode:
BatchNorm statistics and weights move), predicts again, and is saved by
Keras to "out" in the same format. Prints one JSON line with the
predictions before and after the step and how far the weights moved.
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402

try:
    import tfjs_skip  # noqa: F401  (registers tfjs_skip>... layers)
except ImportError:
    tfjs_skip = None


def main(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    report = []
    for item in spec:
        try:
            report.append(check(item))
        except Exception as e:  # one model's failure is reported, the others still run
            report.append({"file": item["file"], "error": f"{type(e).__name__}: {e}"[:2000]})
    print(json.dumps(report))


def check(item):
    """One model: predictions before and after a training step, saved back by Keras."""
    path = item["file"]
    model = keras.saving.load_model(path) if path.endswith(".keras") else keras.models.load_model(path, compile=False)
    x = np.asarray(item["x"], dtype="float32").reshape(item["xShape"])
    if model.inputs[0].dtype == "int32":
        x = x.astype("int32")
    before = np.asarray(model(x, training=False))
    weights_before = [np.array(w) for w in model.get_weights()]
    target = np.random.default_rng(0).normal(size=before.shape).astype("float32")
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    model.train_on_batch(x, target)
    moved = max(float(np.max(np.abs(a - b))) if a.size else 0.0 for a, b in zip(weights_before, model.get_weights()))
    after = np.asarray(model(x, training=False))
    model.save(item["out"])
    return {"file": path, "params": int(model.count_params()), "before": before.ravel().tolist(), "after": after.ravel().tolist(), "moved": moved}


if __name__ == "__main__":
    main(sys.argv[1])
