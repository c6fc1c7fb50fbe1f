"""Keras 3 `model.fit` on TensorFlow 2.21 doing the work of `tfjs-skip train`'s
default run, for `npm run bench:main-job`: the same model (written by TF.js
as `.keras`, loaded with `keras.saving.load_model`), the same images and
labels (raw bytes written by the bench from `tfjs-skip-data`'s sample),
pixels / 255, the same batch, epochs and Adam rate (constant, or decayed
by `keras.optimizers.schedules.CosineDecay` over the run as tfjs-skip's
`cosine` schedule does), sparse categorical
cross-entropy on the model's softmax output, accuracy as the metric, the
examples shuffled every epoch.

    python keras_fit.py --model-file resnet-8.keras --images x.u8 --labels y.u8 \
        --shape 6000,28,28,1 --threads 1 --epochs 5 --batch 64 --learning-rate 0.003 --schedule cosine

TensorFlow's intra- and inter-op pools are both set to `--threads` before any
op; `fit` runs Keras's compiled train function (a `tf.function` graph, no XLA:
what `jit_compile="auto"` chooses without an accelerator). Prints one JSON
object: the seconds of each epoch (the callback's clock, from the epoch's
first batch to its last), images per second over all epochs, peak RSS.
"""
import argparse
import json
import os
import resource
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model-file", required=True)
    p.add_argument("--images", required=True)
    p.add_argument("--labels", required=True)
    p.add_argument("--shape", required=True, help="count,height,width,channels")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--learning-rate", type=float, required=True)
    p.add_argument("--schedule", choices=["constant", "cosine"], default="constant")
    a = p.parse_args()

    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    import keras
    import numpy as np
    import tfjs_skip  # noqa: F401  (registers the tfjs_skip layers for load_model)

    shape = [int(d) for d in a.shape.split(",")]
    x = np.fromfile(a.images, dtype=np.uint8).reshape(shape).astype("float32") / 255
    y = np.fromfile(a.labels, dtype=np.uint8).astype("int32")
    if len(y) != shape[0]:
        raise SystemExit(f"{a.labels} holds {len(y)} labels for {shape[0]} images")

    keras.utils.set_random_seed(1)
    model = keras.saving.load_model(a.model_file, compile=False)
    rate = a.learning_rate
    if a.schedule == "cosine":  # lr * (1 + cos(pi * step / steps)) / 2, as tfjs-skip-train's cosine schedule
        steps = a.epochs * -(-shape[0] // a.batch)
        rate = keras.optimizers.schedules.CosineDecay(a.learning_rate, decay_steps=steps)
    model.compile(
        optimizer=keras.optimizers.Adam(rate),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy"],
        jit_compile=False,
    )

    class EpochClock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds, self.logs = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)
            self.logs.append({k: float(v) for k, v in (logs or {}).items()})

    clock = EpochClock()
    model.fit(x, y, batch_size=a.batch, epochs=a.epochs, shuffle=True, verbose=0, callbacks=[clock])
    print(
        json.dumps(
            {
                "threads": tf.config.threading.get_intra_op_parallelism_threads(),
                "interOpThreads": tf.config.threading.get_inter_op_parallelism_threads(),
                "params": model.count_params(),
                "examples": shape[0],
                "epochs": a.epochs,
                "epochSeconds": clock.seconds,
                "imagesPerSecond": shape[0] * a.epochs / sum(clock.seconds),
                "loss": [e.get("loss") for e in clock.logs],
                "accuracy": [e.get("accuracy") for e in clock.logs],
                "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "version": f"keras {keras.__version__}, tensorflow {tf.__version__}",
            }
        )
    )


if __name__ == "__main__":
    main()
