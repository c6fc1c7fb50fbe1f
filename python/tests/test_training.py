"""Training: a step moves the paths' weights, `training` reaches every path layer, and the
weight order is TF.js's (trainable then non-trainable, main before skip, depth first)."""

import keras
import numpy as np
from keras import layers

from tfjs_skip import DropPath, Highway, LayerScale, Shortcut, SkipConnection


def _model():
    return keras.Sequential(
        [
            keras.Input((6, 6, 3)),
            SkipConnection(
                [layers.Conv2D(4, 3, strides=2, padding="same", name="c1"), layers.BatchNormalization(name="bn1"), LayerScale(0.5, name="ls"), DropPath(0.2, name="dp")],
                skip_path=Shortcut(4, strides=2, name="sc"),
                name="block",
            ),
            SkipConnection(Highway("tanh", name="hw"), how="concat", name="densely"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ]
    )


def test_one_fit_step_trains_every_path_and_lowers_the_loss():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(16, 6, 6, 3)).astype("float32"), rng.normal(size=(16, 1)).astype("float32")
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    before = [w.copy() for w in model.get_weights()]
    first = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    after = model.get_weights()
    changed = [not np.array_equal(a, b) for a, b in zip(before, after)]
    assert all(changed), [w.path for w, c in zip(model.weights, changed) if not c]
    for _ in range(20):
        model.train_on_batch(x, y)
    assert model.evaluate(x, y, verbose=0) < first


def test_training_reaches_the_batch_norm_of_both_paths():
    model = _model()
    block = model.layers[0]
    x = np.random.default_rng(5).normal(size=(8, 6, 6, 3)).astype("float32") + 2
    stats = lambda: [keras.ops.convert_to_numpy(w).copy() for w in block.non_trainable_weights]  # noqa: E731
    start = stats()
    model(x, training=False)
    assert all(np.array_equal(a, b) for a, b in zip(start, stats()))
    model(x, training=True)
    assert all(not np.array_equal(a, b) for a, b in zip(start, stats()))


def test_weight_order_is_the_tfjs_order():
    block = _model().layers[0]
    names = lambda ws: [w.path.split("/", 2)[-1] for w in ws]  # noqa: E731
    assert names(block.weights) == [
        "c1/kernel", "c1/bias", "bn1/gamma", "bn1/beta", "ls/scale", "sc/conv/kernel", "sc/bn/gamma", "sc/bn/beta",
        "bn1/moving_mean", "bn1/moving_variance", "sc/bn/moving_mean", "sc/bn/moving_variance",
    ]
    assert names(block.trainable_weights) == names(block.weights)[:8]
    assert names(block.non_trainable_weights) == names(block.weights)[8:]
    shortcut = block.skip_path[0]
    assert [w.name for w in shortcut.weights] == ["kernel", "gamma", "beta", "moving_mean", "moving_variance"]


def test_a_frozen_block_lists_all_weights_as_non_trainable_in_the_same_order():
    block = _model().layers[0]
    order = [w.path for w in block.weights]
    block.trainable = False
    assert block.trainable_weights == []
    assert [w.path for w in block.non_trainable_weights] == order == [w.path for w in block.weights]


def test_set_weights_takes_the_tfjs_order():
    block = _model().layers[0]
    values = [np.full(w.shape, i, dtype="float32") for i, w in enumerate(block.weights)]
    block.set_weights(values)
    assert [float(keras.ops.convert_to_numpy(w).flat[0]) for w in block.weights] == list(range(len(values)))
    bn = block.main_path[1]
    assert float(keras.ops.convert_to_numpy(bn.moving_mean)[0]) == 8.0  # 9th in TF.js order, 3rd of its layer


def test_a_skip_connection_made_frozen_freezes_its_paths():
    """A config with `trainable: false` (as TF.js writes a frozen layer) freezes the path layers too."""
    bn = layers.BatchNormalization()
    block = SkipConnection([layers.Dense(3), bn], trainable=False)
    assert not bn.trainable and not block.main_path[0].trainable
    model = keras.Sequential([keras.Input((3,)), block])
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 6
    x = np.random.default_rng(6).normal(size=(8, 3)).astype("float32") + 3
    model(x, training=True)  # a frozen BatchNorm runs in inference mode: statistics unchanged
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(bn.moving_mean), np.zeros(3))


def test_a_frozen_shortcut_builds_a_frozen_projection():
    shortcut = Shortcut(4, strides=2, trainable=False)
    shortcut.build((None, 6, 6, 3))
    assert not shortcut.conv.trainable and not shortcut.bn.trainable
    assert shortcut.trainable_weights == [] and len(shortcut.non_trainable_weights) == 5
