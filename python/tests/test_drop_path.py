"""DropPath: identity in inference; in training whole samples dropped at the rate, the rest scaled by 1 / keep."""

import keras
import numpy as np

from tfjs_skip import DropPath


def test_identity_in_inference():
    x = np.random.default_rng(3).normal(size=(16, 5, 5, 3)).astype("float32")
    layer = DropPath(0.9)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x)), x)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x, training=False)), x)


def test_rate_zero_is_the_identity_in_training():
    x = np.ones((8, 3), dtype="float32")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(DropPath(0.0)(x, training=True)), x)


def test_training_drops_whole_samples_at_the_rate_and_keeps_the_mean():
    rate, samples = 0.25, 4000
    y = keras.ops.convert_to_numpy(DropPath(rate)(np.ones((samples, 3, 2), dtype="float32"), training=True)).reshape(samples, 6)
    kept = np.all(np.abs(y - 1 / (1 - rate)) < 1e-6, axis=1)
    dropped = np.all(y == 0, axis=1)
    assert np.all(kept | dropped)  # each sample is dropped or kept whole
    assert rate - 0.03 < dropped.mean() < rate + 0.03  # 4.4 standard deviations
    assert abs(y.mean() - 1) < 0.05


def test_a_new_mask_at_every_call():
    layer = DropPath(0.5)
    x = np.ones((64, 2), dtype="float32")
    a = keras.ops.convert_to_numpy(layer(x, training=True))
    b = keras.ops.convert_to_numpy(layer(x, training=True))
    assert not np.array_equal(a, b)
