"""The Keras twins of the models make_reference.ts builds in TF.js, by case name."""

import keras
from keras import layers

from tfjs_skip import MERGE_NAMES, DropPath, Highway, LayerScale, Shortcut, SkipConnection


def conv(filters, kernel_size, strides=1):
    return layers.Conv2D(filters, kernel_size, strides=strides, padding="same")


def _merge(how):
    return lambda: [SkipConnection([layers.Dense(5, activation="relu"), layers.Dense(4)], skip_path=layers.Dense(4, use_bias=False), how=how)]


def _highway(activation):
    return lambda: [Highway(activation=activation, gate_bias=-1)]


def _residual(drop_path):
    def make():
        tail = [DropPath(0.3)] if drop_path else []
        return [
            SkipConnection(
                [conv(4, 3, 2), layers.BatchNormalization(), layers.ReLU(), conv(4, 3), layers.BatchNormalization(), LayerScale(0.5), *tail],
                skip_path=Shortcut(4, strides=2),
            ),
            layers.ReLU(),
            SkipConnection([conv(2, 3)], skip_path=Shortcut(6, kind="zero_pad"), how="concat"),
        ]

    return make


CASES = {
    "documented_add": lambda: [layers.Dense(30), SkipConnection(main_path=keras.Sequential([layers.Dense(15), layers.Dense(30)]))],
    "documented_concat": lambda: [
        layers.Dense(30),
        SkipConnection(main_path=keras.Sequential([layers.Dense(15), layers.Dense(30)]), how="concat"),
    ],
    **{f"merge_{how}": _merge(how) for how in MERGE_NAMES},
    **{f"highway_{a}": _highway(a) for a in ("relu", "tanh", "sigmoid", "elu", "linear")},
    "highway_defaults_in_skip": lambda: [SkipConnection(Highway(), how="concat")],
    "layer_scale_per_channel": lambda: [LayerScale(init_value=0.1)],
    "layer_scale_scalar": lambda: [LayerScale(init_value=0, per_channel=False)],
    "shortcut_projection_bn": lambda: [Shortcut(6, strides=2)],
    "shortcut_projection_no_bn": lambda: [Shortcut(4, batch_norm=False)],
    "shortcut_zero_pad": lambda: [Shortcut(8, strides=2, kind="zero_pad")],
    "shortcut_identity": lambda: [Shortcut(4)],
    "residual_block": _residual(drop_path=True),
    "residual_block_no_drop_path": _residual(drop_path=False),
}


def build(case):
    """The Keras model of a reference case, with the TF.js weights loaded layer by layer."""
    import numpy as np

    model = keras.Sequential([keras.Input(tuple(case["input"]["shape"][1:])), *CASES[case["name"]]()])
    for layer, ref in zip(model.layers, case["layers"], strict=True):
        layer.set_weights([np.array(w["data"], dtype="float32").reshape(w["shape"]) for w in ref["weights"]])
    return model


def array(ref):
    import numpy as np

    return np.array(ref["data"], dtype="float32").reshape(ref["shape"])
