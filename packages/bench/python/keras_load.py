"""Big keras.applications files: build one, or time Keras's load_model of it with its peak RSS.

Usage:
  python keras_load.py make ARCH OUT.keras     (weights=None, seeded, the architecture's default input, with top)
  python keras_load.py load FILE.keras         (keras.saving.load_model in this fresh process)
Prints one JSON line. `load` reports seconds, the peak RSS (ru_maxrss) and the RSS before loading
(TensorFlow and Keras imported), so the load's own peak is the difference.
"""

import json
import os
import resource
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


if sys.argv[1] == "make":
    keras.utils.set_random_seed(1)
    model = getattr(keras.applications, sys.argv[2])(weights=None)
    model.save(sys.argv[3])
    print(json.dumps({"params": int(model.count_params()), "bytes": os.path.getsize(sys.argv[3])}))
else:
    before = rss_bytes()
    start = time.perf_counter()
    model = keras.saving.load_model(sys.argv[2])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peakRss": peak, "rssBefore": before, "params": int(model.count_params())}))
