"""The two documented examples of the Keras SkipConnection layer."""

import re

import keras
import numpy as np
import pytest
from keras import layers

from tfjs_skip import SkipConnection


@pytest.mark.parametrize("how,width", [("add", 30), ("concat", 60)])
def test_documented_example(how, width):
    model = keras.Sequential(
        [
            keras.Input((50,)),
            layers.Dense(30),
            SkipConnection(main_path=keras.Sequential([layers.Dense(15), layers.Dense(30)]), how=how),
        ]
    )
    assert model.output_shape[-1] == width
    assert model.count_params() == 2475
    assert model.layers[1].count_params() == 945
    assert len(model.trainable_weights) == 6 and model.non_trainable_weights == []
    sample_input = keras.random.normal(shape=(32, 50))
    assert model.predict(sample_input, verbose=0).shape == (32, width)


def test_documented_example_with_input_shape_on_the_first_layer():
    """As the documentation writes it: `Dense(30, input_shape=(50,))`."""
    with pytest.warns(UserWarning):
        model = keras.Sequential(
            [layers.Dense(30, input_shape=(50,)), SkipConnection(main_path=keras.Sequential([layers.Dense(15), layers.Dense(30)]))]
        )
    assert model.output_shape == (None, 30)
    assert model.count_params() == 2475


def test_summary_counts_the_paths_weights_in_the_skip_connection():
    model = keras.Sequential(
        [keras.Input((50,)), layers.Dense(30), SkipConnection(main_path=keras.Sequential([layers.Dense(15), layers.Dense(30)]))]
    )
    lines = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    text = "\n".join(lines)
    assert "SkipConnection" in text
    row = next(line for line in text.splitlines() if "skip_connection" in line)
    assert "(None, 30)" in row and re.search(r"\b945\b", row)
    assert re.search(r"Total params: 2,475", text)


@pytest.mark.parametrize("main_path", ["list", "layer", "sequential"])
def test_main_path_forms_compute_the_same(main_path):
    """A layer, a list of layers and a keras.Sequential are the same path."""
    d1, d2 = layers.Dense(6, activation="relu"), layers.Dense(4)
    path = {"list": [d1, d2], "layer": keras.Sequential([d1, d2]), "sequential": keras.Sequential([d1, d2])}[main_path]
    layer = SkipConnection(path)
    x = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    y = keras.ops.convert_to_numpy(layer(x))
    expected = keras.ops.convert_to_numpy(d2(d1(x))) + x
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=1e-6)
