"""GFLOP/s of TensorFlow's 3x3 convolutions on one thread, counted as a direct
convolution (2 n oh ow 9 ci co), at the shapes of the toy ResNet and
ResNet-20 at batch 64: what the bench's Keras rows stand on (oneDNN kernels
using this CPU's widest vectors), to set beside the SIMD GEMM's ceiling
(packages/tfjs-wasm-train/scripts/measure-gemm.mjs).

    .venv/bin/python packages/bench/python/tf_conv_rate.py
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
from timing import time_runs  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

SHAPES = [
    ("toy conv2 32->64 30x30", [64, 30, 30, 32], [3, 3, 32, 64], "VALID"),
    ("toy residual 64 9x9", [64, 9, 9, 64], [3, 3, 64, 64], "SAME"),
    ("ResNet-20 stage 1 16 32x32", [64, 32, 32, 16], [3, 3, 16, 16], "SAME"),
    ("ResNet-20 stage 2 32 16x16", [64, 16, 16, 32], [3, 3, 32, 32], "SAME"),
    ("ResNet-20 stage 3 64 8x8", [64, 8, 8, 64], [3, 3, 64, 64], "SAME"),
]


def median_ms(fn, x, runs=11):
    wall, _ = time_runs(lambda: fn(x).numpy(), 3, runs)
    return sorted(wall)[runs // 2]


print(f"{'layer':28} forward ms  GFLOP/s")
for name, xs, fs, pad in SHAPES:
    x = tf.random.uniform(xs)
    f = tf.random.uniform(fs)
    ms = median_ms(tf.function(lambda t: tf.nn.conv2d(t, f, 1, pad)), x)
    out = xs[1] - (2 if pad == "VALID" else 0)
    flop = 2 * xs[0] * out * out * 9 * fs[2] * fs[3]
    print(f"{name:28} {ms:10.2f}  {flop / ms / 1e6:7.0f}")
