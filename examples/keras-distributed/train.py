"""Train a model composed in TF.js, saved as .keras, under a tf.distribute strategy.

    python train.py --model in.keras --out out.keras [--devices 2] [--epochs 3]

The model arrives as a Keras 3 `.keras` file written by tfjs-skip
(`model.save(kerasFile('in.keras'))`); `import tfjs_skip` registers the
SkipConnection, Shortcut, ... classes it is built from. Training runs under
`tf.distribute.MirroredStrategy` over `--devices` logical CPU devices (on a
machine with GPUs, or on a cluster with `MultiWorkerMirroredStrategy` and
`TF_CONFIG`, only the strategy line changes; see README.md). The trained
model is saved back as `.keras` for TF.js to read, with the predictions of
the first test images beside it so both sides can be compared.
"""

import argparse
import gzip
import json
import os
import pathlib
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np
import tensorflow as tf

SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "packages/data/fashion-mnist-sample"


def read_idx(path: pathlib.Path) -> np.ndarray:
    """An IDX file (gzipped or not) as a numpy array."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(data: pathlib.Path, split: str, examples: int | None):
    images = read_idx(data / f"{split}-images-idx3-ubyte.gz").astype("float32")[..., None] / 255.0
    labels = read_idx(data / f"{split}-labels-idx1-ubyte.gz").astype("int64")
    if examples is not None:
        images, labels = images[:examples], labels[:examples]
    return images, labels


def make_strategy(kind: str, devices: int) -> tf.distribute.Strategy:
    if kind == "mirrored":
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * devices)
        return tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(devices)])
    if kind == "multi-worker":  # one process per machine, each with TF_CONFIG set
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()  # the default: one device, no distribution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help=".keras file written by tfjs-skip")
    parser.add_argument("--out", required=True, help=".keras file to write the trained model to")
    parser.add_argument("--strategy", choices=["mirrored", "multi-worker", "none"], default="mirrored")
    parser.add_argument("--devices", type=int, default=2, help="logical CPU devices for --strategy mirrored")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64, help="global batch, split across the replicas")
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument(
        "--bn-momentum", type=float, default=0.9,
        help="BatchNorm moving-average momentum (0.99 in the model lags behind in a run of a few hundred steps)",
    )
    parser.add_argument("--examples", type=int, default=None, help="first N training images (default: all 6,000)")
    parser.add_argument("--data", default=str(SAMPLE), help="folder with Fashion-MNIST IDX files (.gz)")
    parser.add_argument("--metrics", default=None, help="JSON file for timings, history and predictions")
    args = parser.parse_args()

    strategy = make_strategy(args.strategy, args.devices)
    import keras  # after the devices are configured
    import tfjs_skip  # noqa: F401  registers the tfjs-skip layers the model is built from

    x_train, y_train = load_split(pathlib.Path(args.data), "train", args.examples)
    x_test, y_test = load_split(pathlib.Path(args.data), "t10k", None)
    with strategy.scope():
        model = keras.saving.load_model(args.model, compile=False)
        for layer in model._flatten_layers(include_self=False, recursive=True):
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.momentum = args.bn_momentum
        model.compile(
            optimizer=keras.optimizers.SGD(args.learning_rate, momentum=0.9),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    epoch_seconds: list[float] = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            epoch_seconds.append(time.perf_counter() - self.start)

    start = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, verbose=2, callbacks=[Timer()])
    fit_seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
    model.save(args.out)
    # The predictions of the saved file, read back outside the strategy: under
    # MirroredStrategy each replica keeps its own BatchNorm moving statistics,
    # so the in-memory model predicts differently on the rows another replica
    # serves. TF.js reads the file; this is what it must match.
    saved = keras.saving.load_model(args.out, compile=False)
    report = {
        "strategy": args.strategy,
        "replicas": strategy.num_replicas_in_sync,
        "devices": args.devices if args.strategy == "mirrored" else None,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "train_examples": int(len(x_train)),
        "fit_seconds": fit_seconds,
        "epoch_seconds": epoch_seconds,
        "images_per_second_after_first_epoch": (
            len(x_train) * (len(epoch_seconds) - 1) / sum(epoch_seconds[1:]) if len(epoch_seconds) > 1 else None
        ),
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "predictions": saved.predict(x_test[:16], verbose=0).tolist(),
    }
    if args.metrics:
        pathlib.Path(args.metrics).write_text(json.dumps(report, indent=1))
    print(json.dumps({k: v for k, v in report.items() if k not in ("predictions", "history")}))


if __name__ == "__main__":
    main()
