"""LayerScale / ReZero: a learned scale on a residual branch, `y = scale * x`."""

import keras
from keras import ops

from .checks import finite_number
from .errors import ConfigError
from .registry import serializable
from .shapes import format_shape


@serializable
class LayerScale(keras.layers.Layer):
    """`y = scale * x`, `scale` starting at `init_value`.

    Per channel (last axis) it is LayerScale (Touvron et al. 2021, CaiT); one
    scalar starting at 0 is ReZero (Bachlechner et al. 2021). Put it at the end
    of a `main_path`.

    Args:
        init_value: The scale's initial value (default 1e-5; 0 is ReZero).
        per_channel: One scale per channel (default True) or a single scalar
            (a weight of shape `(1,)`).

    Example:

    >>> keras.ops.convert_to_numpy(LayerScale(init_value=0.5)(keras.ops.ones((1, 3)))).tolist()
    [[0.5, 0.5, 0.5]]
    """

    def __init__(self, init_value=1e-5, per_channel=True, **kwargs):
        super().__init__(**kwargs)
        self.init_value = finite_number(init_value, "LayerScale init_value")
        if not isinstance(per_channel, bool):
            raise ConfigError(f"LayerScale per_channel must be True or False, but received {per_channel!r}")
        self.per_channel = per_channel

    def build(self, input_shape):
        channels = input_shape[-1] if len(input_shape) >= 2 else None
        if self.per_channel and channels is None:
            raise ConfigError(
                f"LayerScale '{self.name}' needs a known last axis for per-channel scales, "
                f"but received input of shape {format_shape(input_shape)}"
            )
        size = channels if self.per_channel else 1
        self.scale = self.add_weight(name="scale", shape=(size,), initializer=keras.initializers.Constant(self.init_value))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def call(self, inputs):
        return ops.multiply(inputs, self.scale)

    def get_config(self):
        config = super().get_config()
        config.update({"init_value": self.init_value, "per_channel": self.per_channel})
        return config
