"""Shortcut: the skip path of a residual block, decided from the input shape."""

import math

import keras
from keras import ops

from .checks import positive_integer
from .errors import ConfigError
from .registry import serializable
from .shapes import format_shape, one_shape
from .weight_order import TsWeightOrder

#: `'projection'` is He et al.'s option B (a strided 1x1 convolution, then
#: BatchNorm unless `batch_norm=False`); `'zero_pad'` is option A (stride-`s`
#: subsampling and zero channels appended). TF.js writes the TS value
#: `'zeroPad'` as `'zero_pad'` in model.json; both spellings are accepted.
SHORTCUT_KINDS = ("projection", "zero_pad")
_TS_SPELLING = {"zeroPad": "zero_pad"}


@serializable
class Shortcut(TsWeightOrder, keras.layers.Layer):
    """The shortcut of a residual block on NHWC images (He et al. 2016, section 3.3).

    The identity when the input already has `filters` channels and `strides`
    is 1; otherwise a projection (`kind='projection'`: 1x1 convolution with
    stride `strides`, no bias, He-normal kernel, then BatchNormalization) or
    option A zero padding (`kind='zero_pad'`). The projection's layers are
    created in `build` as the attributes `conv` and `bn` (named `conv` and
    `bn`, as in the TS layer), so the config needs only
    `filters, strides, kind, batch_norm`.

    Args:
        filters: Channels the shortcut must output.
        strides: The residual branch's spatial stride (default 1).
        kind: `'projection'` (default) or `'zero_pad'`.
        batch_norm: For `'projection'`: BatchNorm after the convolution (default True).

    Example:

    >>> Shortcut(16, strides=2).compute_output_shape((None, 32, 32, 8))
    (None, 16, 16, 16)
    >>> layer = Shortcut(8, kind="zero_pad")
    >>> layer.build((None, 32, 32, 4))
    >>> layer.count_params()
    0
    """

    def __init__(self, filters, strides=1, kind="projection", batch_norm=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = positive_integer(filters, "Shortcut filters")
        self.strides = positive_integer(strides, "Shortcut strides")
        kind = _TS_SPELLING.get(kind, kind) if isinstance(kind, str) else kind
        if kind not in SHORTCUT_KINDS:
            kinds = ", ".join(f"'{k}'" for k in SHORTCUT_KINDS)
            raise ConfigError(f"Shortcut kind must be one of {kinds}, but received {kind!r}")
        self.kind = kind
        if not isinstance(batch_norm, bool):
            raise ConfigError(f"Shortcut batch_norm must be True or False, but received {batch_norm!r}")
        self.batch_norm = batch_norm
        self.conv = None
        self.bn = None

    def is_identity(self, input_shape):
        """True when an input of shape `input_shape` passes through unchanged."""
        return self.strides == 1 and input_shape[-1] == self.filters

    def build(self, input_shape):
        shape = self._check_shape(one_shape(input_shape, f"Shortcut '{self.name}'"))
        if self.kind == "projection" and not self.is_identity(shape):
            self.conv = keras.layers.Conv2D(
                self.filters, 1, strides=self.strides, use_bias=False, kernel_initializer="he_normal",
                data_format="channels_last", dtype=self.dtype_policy, trainable=self.trainable, name="conv",
            )
            self.conv.build(shape)
            if self.batch_norm:
                self.bn = keras.layers.BatchNormalization(dtype=self.dtype_policy, trainable=self.trainable, name="bn")
                self.bn.build(self.conv.compute_output_shape(shape))

    def compute_output_shape(self, input_shape):
        batch, h, w, _ = self._check_shape(one_shape(input_shape, f"Shortcut '{self.name}'"))
        down = lambda d: None if d is None else math.ceil(d / self.strides)  # noqa: E731
        return (batch, down(h), down(w), self.filters)

    def call(self, inputs, training=None):
        if self.is_identity(inputs.shape):
            return inputs
        if self.kind == "projection":
            x = self.conv(inputs)
            return self.bn(x, training=training) if self.bn is not None else x
        return _zero_pad_shortcut(inputs, self.strides, self.filters)

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters, "strides": self.strides, "kind": self.kind, "batch_norm": self.batch_norm})
        return config

    def _check_shape(self, shape):
        if len(shape) != 4:
            raise ConfigError(
                f"Shortcut '{self.name}' takes NHWC images (rank 4), but received input of shape {format_shape(shape)}"
            )
        channels = shape[3]
        if self.kind == "zero_pad" and channels is not None and channels > self.filters:
            raise ConfigError(
                f"Shortcut '{self.name}' with kind 'zero_pad' can only add channels, but its input "
                f"{format_shape(shape)} has {channels} > filters {self.filters}; use kind='projection'"
            )
        return shape


def _zero_pad_shortcut(x, strides, filters):
    """Option A: keep every `strides`-th pixel (a 1x1 average pool, as the TS
    layer does), then append zero channels up to `filters`."""
    if strides > 1:
        x = ops.average_pool(x, pool_size=1, strides=strides, padding="valid", data_format="channels_last")
    channels = x.shape[-1]
    if channels == filters:
        return x
    return ops.pad(x, [[0, 0], [0, 0], [0, 0], [0, filters - channels]])
