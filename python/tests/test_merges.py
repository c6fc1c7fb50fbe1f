"""Every merge: output shape and math, against numpy."""

import keras
import numpy as np
import pytest
from keras import layers

from tfjs_skip import MERGE_NAMES, SkipConnection

NUMPY = {
    "add": lambda a, b: a + b,
    "concat": lambda a, b: np.concatenate([a, b], axis=-1),
    "multiply": lambda a, b: a * b,
    "average": lambda a, b: (a + b) * 0.5,
    "maximum": np.maximum,
    "minimum": np.minimum,
}


def test_the_merges_are_the_typescript_merges(reference):
    # The TS merge table's names, in its order, as make_reference.ts wrote them into data/reference.json.
    assert list(MERGE_NAMES) == reference["mergeNames"]
    assert sorted(NUMPY) == sorted(MERGE_NAMES)


@pytest.mark.parametrize("how", MERGE_NAMES)
def test_merge(how):
    main, skip = layers.Dense(5, activation="tanh"), layers.Dense(5)
    block = SkipConnection(main, skip_path=skip, how=how)
    model = keras.Sequential([keras.Input((2, 3)), block])
    assert model.output_shape == ((None, 2, 10) if how == "concat" else (None, 2, 5))
    x = np.random.default_rng(2).normal(size=(4, 2, 3)).astype("float32")
    expected = NUMPY[how](keras.ops.convert_to_numpy(main(x)), keras.ops.convert_to_numpy(skip(x)))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-6)


def test_concat_puts_main_before_skip_and_the_identity_keeps_the_input():
    block = SkipConnection(layers.Dense(2, kernel_initializer="zeros", bias_initializer="ones"), how="concat")
    x = np.arange(6, dtype="float32").reshape(2, 3)
    y = keras.ops.convert_to_numpy(block(x))
    np.testing.assert_array_equal(y, np.concatenate([np.ones((2, 2)), x], axis=-1))
