"""How far float32 rounding alone moves a keras.applications check: Keras in float32 against Keras in float64.

Usage:
  python float64_gap.py [--save DIR] ARCH:top|ARCH:notop[:predict] ...
  python float64_gap.py referee SPEC.json
      keras_apps.test.ts's referee for a check TF.js misses: Keras in float64 from the weights of
      make_apps.py's files. SPEC is {"arch", "top"} and either {"file" (NAME.keras), "xShape", "x"}: prints
      {"y64"}, the float64 predictions; or {"train", "trained" (NAME.train.keras, NAME.trained.keras),
      "tfjsTrained" (TF.js's weights after the same step, as .keras), "trainXShape", "trainX", "target"}:
      prints {"keras": {"worst", "weight"}, "tfjs": {...}}, how far Keras's float32 step and TF.js's land
      from the float64 step, measured as `gap` measures it, and "loss64", the float64 step's loss.
For each model, built exactly as `make_apps.py` builds it (same seed, input, calibration, batch), Keras
predicts x and takes the one SGD step twice, in float32 and in float64 on the same weights, and prints one
JSON line per model: the predictions' worst relative difference (`|y32 - y64| / max(1e-2, |y64|)`) and the
step's worst update difference over the largest float64 update of each weight, as `keras_apps.test.ts`
measures TF.js against Keras. Where Keras's own float32 lands as far from float64 as TF.js lands from Keras,
the test input is ill-conditioned for that net; where Keras's float32 is close and TF.js is not, TF.js
computes something else. `:predict` compares the predictions only (no training step: minutes less on
the big nets). Each line also has `predictScale`: the worst absolute difference over the largest
|y64|, which does not single out the outputs near 0 of features that reach 1e3. `--save DIR` writes
DIR/NAME.keras (the float32 model) and DIR/NAME.json (x, Keras's float32 and float64 predictions), for
`float64_gap.ts DIR NAME ...` to measure TF.js against float64 the same two ways.
"""

import json
import os
import sys

import make_apps  # first: it sets TensorFlow's environment (oneDNN off) before Keras is imported

import keras  # noqa: E402
import numpy as np  # noqa: E402


def relative(actual, expected):
    return float(np.max(np.abs(actual - expected) / np.maximum(1e-2, np.abs(expected))))


def of_scale(actual, expected):
    return float(np.max(np.abs(actual - expected)) / np.max(np.abs(expected)))


def one_step(model, train_x, target):
    """The weights before and after one SGD step without dropout, their paths, and the step's loss."""
    twin = make_apps.without_dropout(model)
    before = twin.get_weights()
    twin.compile(optimizer=keras.optimizers.SGD(make_apps.LEARNING_RATE), loss="mse")
    loss = float(twin.train_on_batch(train_x, target))
    return before, twin.get_weights(), [w.path for w in twin.weights], loss


def gap(arch, top, step, save):
    keras.config.set_floatx("float32")
    model, x, train_x = make_apps.build(arch, top)
    y32 = np.asarray(model(x, training=False))
    weights = model.get_weights()
    name = f"{arch}-{'top' if top else 'notop'}"
    if save:
        model.save(os.path.join(save, f"{name}.keras"))
    target = np.random.default_rng(3).uniform(0, 1, (make_apps.TRAIN_BATCH, *y32.shape[1:])).astype("float32")
    if step:
        _, after32, names, _ = one_step(model, train_x, target)
    keras.backend.clear_session()

    wide = make_apps.float64_twin(arch, top, weights)
    y64 = np.asarray(wide(x.astype("float64"), training=False))
    predictions = {"predict": relative(y32, y64), "predictScale": of_scale(y32, y64)}
    if save:
        with open(os.path.join(save, f"{name}.json"), "w") as f:
            json.dump({"xShape": list(x.shape), "x": x.ravel().tolist(), "y32": y32.ravel().tolist(),
                       "y64": y64.ravel().tolist()}, f)
    if not step:
        keras.backend.clear_session()
        keras.config.set_floatx("float32")
        return predictions
    before64, after64, _, _ = one_step(wide, train_x.astype("float64"), target.astype("float64"))
    keras.backend.clear_session()
    keras.config.set_floatx("float32")

    worst = step_gap(names, before64, after32, after64)
    return {**predictions, "train": worst["worst"], "trainWeight": worst["weight"]}


def step_gap(names, before, narrow, exact):
    """The worst weight's update difference from the float64 step over its largest float64 update, beyond
    2 ulps of the weight (the measure keras_apps.test.ts takes against Keras's float32 step)."""
    steps = {}
    for name, start, ours, wide in zip(names, before, narrow, exact):
        if start.size == 0:
            continue
        largest = float(np.max(np.abs(wide - start)))
        excess = np.maximum(0, np.abs(ours - wide) - 2**-22 * np.abs(wide))
        steps[name] = float(np.max(excess)) / max(largest, 1e-4)
    worst = max(steps, key=steps.get)
    return {"worst": steps[worst], "weight": worst}


def weights_by_path(file, paths):
    """The weights of a .keras file in the order of `paths` (a model's weight paths), loaded in float32."""
    keras.config.set_floatx("float32")
    found = {w.path: w.numpy() for w in keras.saving.load_model(file, compile=False).weights}
    missing = [p for p in paths if p not in found]
    if missing:
        raise ValueError(f"{file} has no weight {missing[0]} (of {len(missing)} missing); it has {list(found)[:5]}...")
    keras.backend.clear_session()
    return [found[p] for p in paths]


def referee(spec):
    arch, top = spec["arch"], spec["top"]
    keras.config.set_floatx("float32")
    weights = keras.saving.load_model(spec.get("file") or spec["train"], compile=False).get_weights()
    keras.backend.clear_session()
    wide = make_apps.float64_twin(arch, top, weights)
    try:
        if "x" in spec:
            x = np.asarray(spec["x"], "float64").reshape(spec["xShape"])
            return {"y64": np.asarray(wide(x, training=False)).ravel().tolist()}
        train_x = np.asarray(spec["trainX"], "float64").reshape(spec["trainXShape"])
        target = np.asarray(spec["target"], "float64").reshape(train_x.shape[0], *wide.output.shape[1:])
        before64, after64, names, loss64 = one_step(wide, train_x, target)
    finally:
        keras.backend.clear_session()
        keras.config.set_floatx("float32")
    return {
        "loss64": loss64,
        "keras": step_gap(names, before64, weights_by_path(spec["trained"], names), after64),
        "tfjs": step_gap(names, before64, weights_by_path(spec["tfjsTrained"], names), after64),
    }


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["referee"]:
        with open(args[1]) as f:
            print(json.dumps(referee(json.load(f))), flush=True)
        sys.exit(0)
    save = None
    if args[:1] == ["--save"]:
        save, args = args[1], args[2:]
        os.makedirs(save, exist_ok=True)
    for spec in args:
        arch, which, *checks = spec.split(":")
        print(json.dumps({"name": f"{arch}-{which}", **gap(arch, which == "top", checks != ["predict"], save)}),
              flush=True)
