"""A path of a SkipConnection: the layers it applies to the input, in order."""

import keras

from .errors import ConfigError
from .shapes import format_shape


def to_path(spec, role):
    """Normalises a layer, a list of layers, a model or None to a list of layers."""
    if spec is None:
        return []
    items = list(spec) if isinstance(spec, (list, tuple)) else [spec]
    for i, item in enumerate(items):
        if not isinstance(item, keras.layers.Layer):
            raise ConfigError(
                f"{role}[{i}] must be a keras.layers.Layer (or a keras.Sequential), "
                f"but received {_describe_value(item)}"
            )
    return items


def describe_path(path):
    """`identity`, or the layer names joined by arrows, for messages."""
    return "identity" if not path else " → ".join(layer.name for layer in path)


def build_path(path, input_shape, dtype, where):
    """Builds every layer of `path` by calling it on a symbolic tensor, as
    `keras.Sequential` does, and returns the path's output shape. A layer
    that cannot take its input is reported with its position and class."""
    x = keras.KerasTensor(input_shape, dtype=dtype)
    for i, layer in enumerate(path):
        try:
            y = layer(x)
        except Exception as e:  # re-raised with the path position, cause kept
            raise ConfigError(
                f"{where} layer {i} '{layer.name}' ({layer.__class__.__name__}) "
                f"cannot take input of shape {format_shape(x.shape)}: {e}"
            ) from e
        if not isinstance(y, keras.KerasTensor):
            raise ConfigError(
                f"{where} layer {i} '{layer.name}' ({layer.__class__.__name__}) "
                f"returns {type(y).__name__}; a path layer must return exactly one tensor"
            )
        x = y
    return tuple(x.shape)


def path_output_shape(path, input_shape, dtype):
    """The shape `path` produces from `input_shape`, without building anything new."""
    x = keras.KerasTensor(input_shape, dtype=dtype)
    for layer in path:
        x = layer.compute_output_spec(x)
    return tuple(x.shape)


def run_path(path, x, training):
    """Runs `path` on a tensor; `training` reaches every layer that takes it."""
    for layer in path:
        x = layer(x, training=training)
    return x


def _describe_value(value):
    if value is None:
        return "None"
    if isinstance(value, (str, int, float, bool)):
        return f"{type(value).__name__} {value!r}"
    return f"an object of class {type(value).__name__}"
