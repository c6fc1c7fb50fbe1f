"""Keras's own layer contract (`run_layer_test`, keras/src/testing/test_case.py) on every class:
symbolic and eager shapes, weight and seed-generator counts, config and `.keras`
round trips, mixed precision and a training run."""

from keras import layers
from keras.src.testing import TestCase

from tfjs_skip import DropPath, Highway, LayerScale, Shortcut, SkipConnection


class LayerContractTest(TestCase):
    def test_skip_connection_residual(self):
        self.run_layer_test(
            SkipConnection,
            init_kwargs={"main_path": [layers.Dense(5, activation="relu"), layers.Dense(4)]},
            input_shape=(2, 4),
            expected_output_shape=(2, 4),
            expected_num_trainable_weights=4,
            expected_num_non_trainable_weights=0,
            # The paths' layers keep their own dtype policy, as in a keras.Sequential.
            run_mixed_precision_check=False,
        )

    def test_skip_connection_with_batch_norm_concat(self):
        self.run_layer_test(
            SkipConnection,
            init_kwargs={"main_path": [layers.Conv2D(3, 3, padding="same"), layers.BatchNormalization()], "skip_path": Shortcut(2), "how": "concat"},
            input_shape=(2, 4, 4, 2),
            expected_output_shape=(2, 4, 4, 5),
            expected_num_trainable_weights=4,
            expected_num_non_trainable_weights=2,
            run_mixed_precision_check=False,
        )

    def test_shortcut_projection(self):
        self.run_layer_test(
            Shortcut,
            init_kwargs={"filters": 6, "strides": 2},
            input_shape=(2, 5, 5, 3),
            expected_output_shape=(2, 3, 3, 6),
            expected_num_trainable_weights=3,
            expected_num_non_trainable_weights=2,
        )

    def test_shortcut_zero_pad(self):
        self.run_layer_test(
            Shortcut,
            init_kwargs={"filters": 6, "strides": 2, "kind": "zero_pad"},
            input_shape=(2, 5, 5, 3),
            expected_output_shape=(2, 3, 3, 6),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            run_training_check=False,  # no weights to train
        )

    def test_highway(self):
        self.run_layer_test(
            Highway,
            init_kwargs={"activation": "tanh", "gate_bias": -1},
            input_shape=(2, 3, 4),
            expected_output_shape=(2, 3, 4),
            expected_num_trainable_weights=4,
            expected_num_non_trainable_weights=0,
        )

    def test_drop_path(self):
        self.run_layer_test(
            DropPath,
            init_kwargs={"rate": 0.5},
            input_shape=(2, 3, 4),
            call_kwargs={"training": True},
            expected_output_shape=(2, 3, 4),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=1,
            run_training_check=False,
        )

    def test_layer_scale(self):
        for kwargs, weights in (({"init_value": 0.1}, 1), ({"init_value": 0.0, "per_channel": False}, 1)):
            self.run_layer_test(
                LayerScale,
                init_kwargs=kwargs,
                input_shape=(2, 3, 4),
                expected_output_shape=(2, 3, 4),
                expected_num_trainable_weights=weights,
                expected_num_non_trainable_weights=0,
            )
