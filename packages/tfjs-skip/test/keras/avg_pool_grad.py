"""Keras's gradient of an average pool (AveragePooling2D / 3D), the oracle of `src/gradients/avg_pool.test.ts`.

Usage:
  python avg_pool_grad.py
For each case (pool size, strides, padding, input shape), seeded: x, weights w shaped like the pool's
output, and the gradient of sum(w * pool(x)) with respect to x, taken by TensorFlow. Prints one JSON line.
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

CASES = [
    {"pool": [3, 3], "strides": [1, 1], "padding": "same", "shape": [2, 5, 6, 3]},
    {"pool": [3, 3], "strides": [2, 2], "padding": "same", "shape": [2, 6, 6, 2]},
    {"pool": [2, 3], "strides": [2, 1], "padding": "same", "shape": [1, 7, 5, 2]},
    {"pool": [3, 3], "strides": [2, 2], "padding": "valid", "shape": [1, 7, 7, 2]},
    {"pool": [3, 3, 3], "strides": [2, 2, 2], "padding": "same", "shape": [1, 4, 5, 3, 2]},
]


def gradient(case, rng):
    layer = (keras.layers.AveragePooling2D if len(case["pool"]) == 2 else keras.layers.AveragePooling3D)(
        pool_size=case["pool"], strides=case["strides"], padding=case["padding"]
    )
    x = tf.constant(rng.uniform(-1, 1, case["shape"]).astype("float32"))
    weights = rng.uniform(-1, 1, layer.compute_output_shape(case["shape"])).astype("float32")
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(layer(x) * weights)
    grad = tape.gradient(loss, x)
    return {
        **case,
        "x": x.numpy().ravel().tolist(),
        "weights": weights.ravel().tolist(),
        "weightsShape": list(weights.shape),
        "grad": grad.numpy().ravel().tolist(),
    }


if __name__ == "__main__":
    rng = np.random.default_rng(4)
    print(json.dumps([gradient(case, rng) for case in CASES]))
