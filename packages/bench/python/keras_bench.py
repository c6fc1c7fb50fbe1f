"""Keras 3 on TensorFlow 2.21, a peer of `npm run bench`: the bench's models,
timed the way `torch_bench.py` times PyTorch (warm-up runs, then the median of
timed runs), one process per measurement so that the peak RSS is its own.

    python keras_bench.py --model-file toy-resnet.keras --model toy-resnet \
        --task train --threads 1 --batch 64 --warmup 2 --runs 7

The model is the one tfjs-skip's zoo builds, written by TF.js as `.keras`
(`kerasFile` from `tfjs-skip/node`) and loaded here with
`keras.saving.load_model`; importing `tfjs_skip` registers its layers.

Fastest configuration on CPU: TensorFlow's intra- and inter-op pools both
set to `--threads` before any op runs; the train step is Keras's compiled
`train_function` (`train_on_batch`, a `tf.function` graph) without XLA,
which is what `jit_compile="auto"` chooses on a machine without an
accelerator; `--jit-compile` turns XLA on (slower here: see the bench README).
Inference is `predict_on_batch` (Keras's compiled `predict_function`).
Train step: mean softmax cross-entropy on logits, SGD with momentum 0.9 at
0.01, as the TF.js rows and PyTorch. Prints one JSON object on stdout.
"""
import argparse
import json
import os
import resource
import statistics

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402
from timing import time_runs  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model-file", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--task", choices=["train", "infer"], required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--jit-compile", action="store_true")
    a = p.parse_args()

    # Before any op: TensorFlow fixes its thread pools at the first one.
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    import keras
    import numpy as np
    import tfjs_skip  # noqa: F401  (registers the tfjs_skip layers for load_model)

    keras.utils.set_random_seed(0)
    model = keras.saving.load_model(a.model_file, compile=False)
    classes = model.output_shape[-1]
    x = np.random.rand(a.batch, *model.input_shape[1:]).astype("float32")
    y = (np.arange(a.batch) % classes).astype("int32")

    if a.task == "train":
        model.compile(
            optimizer=keras.optimizers.SGD(0.01, momentum=0.9),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            jit_compile=a.jit_compile,
        )

        def run():
            return model.train_on_batch(x, y)

    else:

        def run():
            return model.predict_on_batch(x)

    times, cpu_times = time_runs(run, a.warmup, a.runs)
    print(
        json.dumps(
            {
                "model": a.model,
                "task": a.task,
                "threads": tf.config.threading.get_intra_op_parallelism_threads(),
                "interOpThreads": tf.config.threading.get_inter_op_parallelism_threads(),
                "batch": a.batch,
                "params": model.count_params(),
                "msPerBatch": statistics.median(times),
                "runsMs": times,
                "cpuMsPerBatch": statistics.median(cpu_times),
                # ru_maxrss is in KiB on Linux.
                "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "version": f"keras {keras.__version__}, tensorflow {tf.__version__}",
                "config": ("train_on_batch" if a.task == "train" else "predict_on_batch")
                + ", tf.function graph"
                + (", XLA" if a.jit_compile else ", no XLA"),
            }
        )
    )


if __name__ == "__main__":
    main()
