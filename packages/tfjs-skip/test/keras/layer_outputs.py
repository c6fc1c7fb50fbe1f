"""Every layer's output of a keras.applications model on one input, for layer_outputs.ts's layer-by-layer check.

Usage:
  python layer_outputs.py NAME.keras SPEC.json OUT
      SPEC is {"xShape", "x"} and optionally {"training": true}. Keras (float32; in inference unless
      training, where BatchNormalization normalizes by the batch's statistics) predicts x with every layer's output kept and
      writes OUT.bin (the outputs, float32 little-endian, one after another) and prints one JSON line,
      {"layers": [{"name", "shape", "offset"} ...]} (offset in floats), layers in the model's order.

Where a deep net is so ill-conditioned at the test input that Keras's own float32 predictions land a large
part of the output's scale from its float64 ones (EfficientNetB7 at 32x32: 99% of it), comparing the final
outputs says nothing; fed Keras's input to each layer, TF.js's output can still be held to float32 rounding.
"""

import json
import sys

import make_apps  # noqa: F401  first: it sets TensorFlow's environment (oneDNN off) before Keras is imported

import keras  # noqa: E402
import numpy as np  # noqa: E402


def layer_outputs(file, spec, out):
    model = keras.saving.load_model(file, compile=False)
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    tapped = keras.Model(model.inputs, [layer.output for layer in layers])
    x = np.asarray(spec["x"], "float32").reshape(spec["xShape"])
    outputs = tapped(x, training=bool(spec.get("training", False)))
    index, offset = [], 0
    with open(f"{out}.bin", "wb") as f:
        for layer, y in zip(layers, outputs):
            y = np.ascontiguousarray(np.asarray(y, "<f4"))
            f.write(y.tobytes())
            index.append({"name": layer.name, "shape": list(y.shape), "offset": offset})
            offset += y.size
    return {"layers": index}


if __name__ == "__main__":
    file, spec_file, out = sys.argv[1:4]
    with open(spec_file) as f:
        print(json.dumps(layer_outputs(file, json.load(f), out)), flush=True)
