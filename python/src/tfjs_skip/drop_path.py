"""DropPath (stochastic depth): drops whole samples of a residual branch in training."""

import keras
from keras import ops

from .checks import unit_rate
from .registry import serializable


@serializable
class DropPath(keras.layers.Layer):
    """Stochastic depth / drop-path (Huang et al. 2016; per sample as in FractalNet).

    In training each sample's input is zeroed with probability `rate` and the
    others are scaled by `1 / (1 - rate)`: `x * floor(u + keep) / keep` with
    `u ~ U[0, 1)` drawn per sample. In inference it is the identity. Put it
    last on a residual branch (`main_path`).

    Args:
        rate: Probability that a sample's branch is dropped in training, in `[0, 1)`.

    Example (inference is the identity):

    >>> x = keras.ops.ones((4, 3))
    >>> bool(keras.ops.all(DropPath(0.5)(x, training=False) == x))
    True
    """

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = unit_rate(rate, "DropPath rate")
        self.supports_masking = True
        if self.rate > 0:
            # As keras.layers.Dropout: random state for stateless backends; not saved.
            self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        pass

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        keep = 1.0 - self.rate
        mask_shape = (ops.shape(inputs)[0],) + (1,) * (len(inputs.shape) - 1)
        u = keras.random.uniform(mask_shape, dtype=inputs.dtype, seed=self.seed_generator)
        mask = ops.floor(ops.add(u, keep))
        return ops.multiply(inputs, ops.divide(mask, keep))

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate})
        return config
