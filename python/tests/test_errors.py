"""Errors raised at build time, quoting what was received and saying what would fix it."""

import re

import keras
import pytest
from keras import layers

from tfjs_skip import ConfigError, DropPath, Highway, LayerScale, Shortcut, SkipConnection, SkipShapeError


def test_add_mismatch_names_both_paths_shapes_and_the_fix():
    with pytest.raises(SkipShapeError) as info:
        keras.Sequential([keras.Input((50,)), SkipConnection([layers.Dense(15, name="a"), layers.Dense(30, name="b")], name="block")])
    assert str(info.value) == (
        "SkipConnection 'block' cannot add its paths: how='add' needs outputs of the same shape, "
        "but main_path (a → b) outputs (None, 30) and skip_path (identity) outputs (None, 50). "
        "To fix it, project the skip path to the main path's shape (skip_path=keras.layers.Dense(30)), "
        "or use how='concat' to stack them on the last axis."
    )


def test_concat_mismatch_on_images_suggests_a_strided_projection():
    block = SkipConnection(layers.Conv2D(8, 3, strides=2, padding="same", name="c"), how="concat", name="dense_block")
    with pytest.raises(SkipShapeError) as info:
        keras.Sequential([keras.Input((8, 8, 3)), block])
    message = str(info.value)
    assert "main_path (c) outputs (None, 4, 4, 8) and skip_path (identity) outputs (None, 8, 8, 3)" in message
    assert "needs outputs that agree on every axis but the last" in message
    assert "skip_path=keras.layers.Conv2D(8, 1, strides=2)" in message


def test_a_mismatch_is_a_value_error_raised_when_the_layer_is_built():
    block = SkipConnection(layers.Dense(3))  # nothing known yet: no error
    with pytest.raises(ValueError, match=r"outputs \(None, 3\) .* outputs \(None, 7\)"):
        block.build((None, 7))


def test_a_path_layer_that_cannot_take_the_input_is_named():
    with pytest.raises(ConfigError, match=r"main_path layer 1 'flat' \(Conv2D\) cannot take input of shape \(None, 4\)"):
        keras.Sequential([keras.Input((4,)), SkipConnection([layers.Dense(4), layers.Conv2D(4, 1, name="flat")], name="s")])


@pytest.mark.parametrize(
    "make,pattern",
    [
        (lambda: SkipConnection(layers.Dense(2), how="sum"), r"how must be one of 'add', 'concat', 'multiply', 'average', 'maximum', 'minimum', but received 'sum'"),
        (lambda: SkipConnection([]), r"needs a main_path with at least one layer, but received \[\]"),
        (lambda: SkipConnection([layers.Dense(2), "relu"]), r"main_path\[1\] must be a keras.layers.Layer .* but received str 'relu'"),
        (lambda: SkipConnection(layers.Dense(2), skip_path=42), r"skip_path\[0\] must be .* but received int 42"),
        (lambda: (lambda d: SkipConnection(d, skip_path=d))(layers.Dense(2, name="twice")), r"received the layer 'twice' twice"),
        (lambda: Shortcut(0), r"Shortcut filters must be a positive integer, but received 0"),
        (lambda: Shortcut(4, strides=1.5), r"Shortcut strides must be a positive integer, but received 1.5"),
        (lambda: Shortcut(4, kind="pad"), r"Shortcut kind must be one of 'projection', 'zero_pad', but received 'pad'"),
        (lambda: Highway(activation="swish"), r"Highway activation must be one of 'relu', 'tanh', 'sigmoid', 'elu', 'linear', but received 'swish'"),
        (lambda: Highway(gate_bias=float("nan")), r"Highway gate_bias must be a finite number, but received nan"),
        (lambda: DropPath(1.0), r"DropPath rate must be a number in \[0, 1\), but received 1.0"),
        (lambda: DropPath("0.1"), r"DropPath rate must be a number in \[0, 1\), but received '0.1'"),
        (lambda: LayerScale(init_value=float("inf")), r"LayerScale init_value must be a finite number, but received inf"),
    ],
)
def test_bad_arguments_are_refused_quoting_them(make, pattern):
    with pytest.raises(ConfigError, match=pattern):
        make()


@pytest.mark.parametrize(
    "layer,shape,pattern",
    [
        (lambda: Shortcut(4), (None, 8), r"Shortcut '.*' takes NHWC images \(rank 4\), but received input of shape \(None, 8\)"),
        (lambda: Shortcut(2, kind="zero_pad"), (None, 4, 4, 3), r"can only add channels, but its input \(None, 4, 4, 3\) has 3 > filters 2; use kind='projection'"),
        (lambda: Highway(), (None, None), r"needs a known last axis, but received input of shape \(None, None\)"),
        (lambda: LayerScale(), (None, None), r"needs a known last axis for per-channel scales, but received input of shape \(None, None\)"),
    ],
)
def test_shape_errors_at_build_time(layer, shape, pattern):
    with pytest.raises(ConfigError, match=pattern):
        layer().build(shape)


def test_a_config_path_that_is_not_a_list_of_serialized_layers_is_refused():
    with pytest.raises(ConfigError, match=re.escape("SkipConnection config main_path must be a list of serialized layers")):
        SkipConnection.from_config({"name": "s", "main_path": "Dense", "skip_path": [], "how": "add"})
    with pytest.raises(ConfigError, match=r"main_path\[0\] must be a serialized layer with a 'class_name'"):
        SkipConnection.from_config({"name": "s", "main_path": [{"config": {}}], "how": "add"})
