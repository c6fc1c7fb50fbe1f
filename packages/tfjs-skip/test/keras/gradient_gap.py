"""Keras's side of a per-layer training-step comparison with TF.js (`gradient_gap.ts` reads what it writes).

Usage:
  python gradient_gap.py ARCH:top|ARCH:notop OUT_DIR
For the model `make_apps.py` builds (same seed, calibration and training batch, dropout 0), writes to
OUT_DIR: train.keras; meta.json (the batch, the target, the loss, each trainable weight's path and shape,
each BatchNormalization layer's name); and Keras's gradients of the step's loss (mean squared error, in
training mode) for every trainable weight, and every BatchNormalization output, in float32 and in float64
on the same weights (grads32.bin / grads64.bin, outputs32.bin / outputs64.bin: the arrays one after the
other, little-endian). Where TF.js's gradient of a weight is as close to float64 as Keras's float32 one,
the op is right; where one BatchNorm output, the input of a ReLU, changes sign between them, the step
differs by a tie at the kink, not by an op.
"""

import json
import os
import sys

import make_apps  # first: it sets TensorFlow's environment (oneDNN off) before Keras is imported

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def step(model, norms, x, target):
    """The loss, the trainable weights' gradients and the BatchNorm outputs, in training mode."""
    probe = keras.Model(model.inputs, [model.output, *(model.get_layer(name).output for name in norms)])
    with tf.GradientTape() as tape:
        y, *outputs = probe(x, training=True)
        loss = tf.reduce_mean(tf.square(y - target))
    grads = tape.gradient(loss, model.trainable_weights)
    return float(loss), [np.asarray(g) for g in grads], [np.asarray(o) for o in outputs]


def main(spec, out):
    arch, _, which = spec.partition(":")
    top = which == "top"
    os.makedirs(out, exist_ok=True)
    model, x, train_x = make_apps.build(arch, top)
    twin = make_apps.without_dropout(model)
    twin.save(os.path.join(out, "train.keras"))
    weights = twin.get_weights()
    y = np.asarray(model(x, training=False))
    target = np.random.default_rng(3).uniform(0, 1, (make_apps.TRAIN_BATCH, *y.shape[1:])).astype("float32")
    norms = [layer.name for layer in twin.layers if isinstance(layer, keras.layers.BatchNormalization)]
    loss32, grads32, outputs32 = step(twin, norms, train_x, target)
    paths = [w.path for w in twin.trainable_weights]
    keras.backend.clear_session()

    wide = make_apps.float64_twin(arch, top, weights)
    wide = make_apps.without_dropout(wide)
    loss64, grads64, outputs64 = step(wide, norms, train_x.astype("float64"), target.astype("float64"))
    keras.config.set_floatx("float32")

    for name, arrays, dtype in [("grads32", grads32, "<f4"), ("grads64", grads64, "<f8"),
                                ("outputs32", outputs32, "<f4"), ("outputs64", outputs64, "<f8")]:
        with open(os.path.join(out, f"{name}.bin"), "wb") as f:
            for array in arrays:
                f.write(array.astype(dtype).tobytes())
    meta = {
        "trainX": train_x.ravel().tolist(), "trainXShape": list(train_x.shape), "target": target.ravel().tolist(),
        "targetShape": list(target.shape), "loss32": loss32, "loss64": loss64, "weights": paths,
        "weightShapes": [list(g.shape) for g in grads32], "norms": norms,
        "normShapes": [list(o.shape) for o in outputs32],
    }
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f)
    print(json.dumps({"loss32": loss32, "loss64": loss64, "weights": len(paths), "norms": len(norms)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
