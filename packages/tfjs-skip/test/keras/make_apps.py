"""The `keras.applications` models of the Keras-applications cross tests, built by Keras itself.

Usage:
  python make_apps.py make OUT_DIR ARCH[:top|:notop[:load]] ...
      For each architecture (every one with and without its top unless `:top` or `:notop`
      says which), seeded, `weights=None`, at the smallest input its family accepts: writes
      NAME.keras and NAME.h5; NAME.train.keras, the same model and weights with every dropout
      rate 0 (Dropout, StochasticDepth: what a training step draws at random), and
      NAME.trained.keras, that model after one SGD step on (trainX, target) in training mode
      (BatchNormalization on batch statistics, its moving statistics updated). Prints one JSON
      line: per model its files, parameter count, x, target and Keras's predictions on x.
      `:load` after the top writes NAME.keras alone (no .h5, no training step): the quick list's
      big architectures, whose Keras training step and extra files cost minutes.
  python make_apps.py check SPEC.json
      SPEC lists {"file", "xShape", "x"}: Keras loads each file (written by tfjs-skip) and
      predicts x. Prints one JSON line: per file its parameter count and predictions, or the error.
"""

import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# TensorFlow 2.21's oneDNN kernels die of a floating point exception (SIGFPE) on MobileNet's training step here.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import keras  # noqa: E402

# Smallest input each family builds at with weights=None (keras.applications' obtain_input_shape).
MIN_SIZE = {"Xception": 71, "InceptionV3": 75, "InceptionResNetV2": 75}
# Families that preprocess inside the model (Rescaling / Normalization) take raw pixels, 0..255.
RAW_PIXELS = ("EfficientNet", "ConvNeXt", "MobileNetV3")
LEARNING_RATE = 0.01
BATCH = 2
# The training step's batch: BatchNormalization's statistics at the last stage (1x1 at these inputs)
# come from this many values; with 2, a step is chaotic (two close values normalize to +-1).
TRAIN_BATCH = 8
CLASSES = 5


def float64_twin(arch, top, weights):
    """The architecture built again in float64 with `weights` (from its float32 build); leaves floatx float64."""
    keras.config.set_floatx("float64")
    size = MIN_SIZE.get(arch, 32)
    kwargs = {"classes": CLASSES} if top else {}
    wide = getattr(keras.applications, arch)(weights=None, include_top=top, input_shape=(size, size, 3), **kwargs)
    wide.set_weights([w if w.dtype.kind in "iu" else w.astype("float64") for w in weights])
    for layer in wide.layers:
        if isinstance(layer, keras.layers.Normalization) and layer.weights:
            layer.finalize_state()  # set_weights leaves the statistics Normalization computes with stale
    return wide


def build(arch, top):
    keras.utils.set_random_seed(1)
    size = MIN_SIZE.get(arch, 32)
    kwargs = {"classes": CLASSES} if top else {}
    model = getattr(keras.applications, arch)(weights=None, include_top=top, input_shape=(size, size, 3), **kwargs)
    rng = np.random.default_rng(2)
    # Adapted statistics that are not the identity (mean 0, variance 1), so Normalization is exercised.
    for layer in model.layers:
        if isinstance(layer, keras.layers.Normalization) and layer.weights:
            mean, variance, count = layer.get_weights()
            layer.set_weights([rng.uniform(0.3, 0.6, mean.shape).astype("float32"),
                               rng.uniform(0.04, 0.08, variance.shape).astype("float32"), np.array(1000, count.dtype)])
            layer.finalize_state()  # set_weights leaves the statistics Normalization computes with stale
    low, high = (0.0, 255.0) if arch.startswith(RAW_PIXELS) else (-1.0, 1.0)
    x = rng.uniform(low, high, (BATCH, size, size, 3)).astype("float32")
    train_x = rng.uniform(low, high, (TRAIN_BATCH, size, size, 3)).astype("float32")
    calibrate(model, np.concatenate([x, train_x]))
    return model, x, train_x


def calibrate(model, batch):
    """BatchNormalization's moving statistics set to a batch's (momentum 0 for one training-mode pass).

    Fresh (mean 0, variance 1) they make BatchNorm the identity in inference, and deep nets then predict
    nothing (MobileNetV2's features fall to 1e-12): the predictions compared would be trivially equal.
    The batch holds the inputs predicted on: statistics of other images leave channels that were flat
    there (variance ~0) dividing by sqrt(epsilon) here, layer after layer, and the net becomes
    ill-conditioned (EfficientNet's features reach 1e3, its softmax flips on float32 rounding).
    """
    norms = [layer for layer in model._flatten_layers() if isinstance(layer, keras.layers.BatchNormalization)]
    momenta = [layer.momentum for layer in norms]
    for layer in norms:
        layer.momentum = 0.0
    model(batch, training=True)
    for layer, momentum in zip(norms, momenta):
        layer.momentum = momentum


def without_dropout(model):
    """The same model and weights with every dropout rate 0: a training step that draws nothing at random."""
    config = model.get_config()
    for layer in config["layers"]:
        for key in ("rate", "drop_path_rate"):
            if key in layer["config"]:
                layer["config"][key] = 0.0
    twin = model.__class__.from_config(config)
    twin.set_weights(model.get_weights())
    for layer in twin.layers:
        if isinstance(layer, keras.layers.Normalization) and layer.weights:
            layer.finalize_state()  # as above: set_weights alone leaves Normalization computing with 0 and 1
    return twin


def make(out_dir, specs):
    report = []
    for spec in specs:
        arch, _, which = spec.partition(":")
        which, _, checks = which.partition(":")
        for top in {"top": [True], "notop": [False]}.get(which, [True, False]):
            name = f"{arch}-{'top' if top else 'notop'}"
            start = time.time()
            model, x, train_x = build(arch, top)
            y = np.asarray(model(x, training=False))
            extensions = ("keras",) if checks == "load" else ("keras", "h5")
            files = [os.path.join(out_dir, f"{name}.{ext}") for ext in extensions]
            for file in files:
                model.save(file)
            entry = {
                "name": name, "arch": arch, "top": top, "files": files, "params": int(model.count_params()),
                "xShape": list(x.shape), "x": x.ravel().tolist(), "yShape": list(y.shape), "y": y.ravel().tolist(),
            }
            if checks == "load":
                report.append({**entry, "kerasSeconds": time.time() - start})
                keras.backend.clear_session()
                continue
            twin = without_dropout(model)
            train_file = os.path.join(out_dir, f"{name}.train.keras")
            trained_file = os.path.join(out_dir, f"{name}.trained.keras")
            twin.save(train_file)
            target = np.random.default_rng(3).uniform(0, 1, (TRAIN_BATCH, *y.shape[1:])).astype("float32")
            twin.compile(optimizer=keras.optimizers.SGD(LEARNING_RATE), loss="mse")
            loss = float(twin.train_on_batch(train_x, target))
            twin.save(trained_file)
            report.append({
                **entry, "train": train_file, "trained": trained_file, "trainXShape": list(train_x.shape),
                "trainX": train_x.ravel().tolist(), "target": target.ravel().tolist(), "loss": loss,
                "learningRate": LEARNING_RATE, "kerasSeconds": time.time() - start,
            })
            keras.backend.clear_session()
    print(json.dumps(report))


def check(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    report = []
    for item in spec:
        path = item["file"]
        try:
            model = keras.saving.load_model(path) if path.endswith(".keras") else keras.models.load_model(path, compile=False)
            x = np.asarray(item["x"], dtype="float32").reshape(item["xShape"])
            y = np.asarray(model(x, training=False))
            report.append({"file": path, "params": int(model.count_params()), "y": y.ravel().tolist()})
        except Exception as e:  # one file's failure is reported, the others still run
            report.append({"file": path, "error": f"{type(e).__name__}: {e}"[:2000]})
        keras.backend.clear_session()
    print(json.dumps(report))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3:])
    else:
        check(sys.argv[2])
