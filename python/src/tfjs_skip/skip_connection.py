"""SkipConnection: `merge(main_path(x), skip_path(x))` as one Keras layer."""

import keras

from .errors import ConfigError, SkipShapeError
from .merges import MERGE_NAMES, apply_merge, merge_output_shape, merge_requirement
from .paths import build_path, describe_path, path_output_shape, run_path, to_path
from .registry import serializable
from .shapes import dims_compatible, format_shape, one_shape
from .weight_order import TsWeightOrder


@serializable
class SkipConnection(TsWeightOrder, keras.layers.Layer):
    """Skip connection layer, to put residual and dense blocks in a `keras.Sequential`.

    Computes `how(main_path(x), skip_path(x))`.

    Args:
        main_path: Layer (or list of layers, or a `keras.Sequential`) applied
            to the input through the main path.
        skip_path: Layer (or list of layers, or a `keras.Sequential`) applied
            to the input through the skip path. `None` or `[]`: the identity.
        how: How to combine the two paths: `'add'` (default), `'concat'`
            (last axis, order `[main, skip]`), `'multiply'`, `'average'`,
            `'maximum'` or `'minimum'`.
        **kwargs: Base layer keyword arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> model = keras.Sequential([
    ...     keras.layers.Dense(30, input_shape=(50,)),
    ...     SkipConnection(main_path=keras.Sequential([keras.layers.Dense(15), keras.layers.Dense(30)])),
    ... ])
    >>> model.output_shape
    (None, 30)
    >>> model.count_params()
    2475

    The paths' layers are tracked as the attributes `main_path` and
    `skip_path` (lists), so their weights are saved under
    `.../skip_connection/main_path/<class>/...` in `model.weights.h5`.
    """

    def __init__(self, main_path, skip_path=None, how="add", **kwargs):
        super().__init__(**kwargs)
        if not isinstance(how, str) or how not in MERGE_NAMES:
            names = ", ".join(f"'{m}'" for m in MERGE_NAMES)
            raise ConfigError(f"SkipConnection how must be one of {names}, but received {how!r}")
        self.how = how
        self.main_path = to_path(main_path, "main_path")
        self.skip_path = to_path(skip_path, "skip_path")
        if not self.main_path:
            raise ConfigError(
                f"SkipConnection '{self.name}' needs a main_path with at least one layer, but received {main_path!r}"
            )
        _assert_no_layer_twice(self.main_path + self.skip_path, self.name)
        if not self.trainable:
            # `trainable=False` was set before the paths existed: freeze them too, as
            # `layer.trainable = False` does (a frozen BatchNorm runs in inference mode).
            # Not `self.trainable = False`: on TensorFlow, assigning an attribute its
            # current value is skipped (KerasAutoTrackable.__setattr__).
            for layer in self.main_path + self.skip_path:
                layer.trainable = False

    def build(self, input_shape):
        shape = one_shape(input_shape, f"SkipConnection '{self.name}'")
        where = f"SkipConnection '{self.name}'"
        main = build_path(self.main_path, shape, self.compute_dtype, f"{where} main_path")
        skip = build_path(self.skip_path, shape, self.compute_dtype, f"{where} skip_path")
        self._merged_shape(main, skip)  # a mismatch fails here, when the model is built

    def compute_output_shape(self, input_shape):
        shape = one_shape(input_shape, f"SkipConnection '{self.name}'")
        main = path_output_shape(self.main_path, shape, self.compute_dtype)
        skip = path_output_shape(self.skip_path, shape, self.compute_dtype)
        return self._merged_shape(main, skip)

    def call(self, inputs, training=None):
        return apply_merge(self.how, run_path(self.main_path, inputs, training), run_path(self.skip_path, inputs, training))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "main_path": [keras.saving.serialize_keras_object(layer) for layer in self.main_path],
                "skip_path": [keras.saving.serialize_keras_object(layer) for layer in self.skip_path],
                "how": self.how,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["main_path"] = _deserialize_path(config.get("main_path"), "main_path")
        config["skip_path"] = _deserialize_path(config.get("skip_path"), "skip_path")
        return super().from_config(config)

    def _merged_shape(self, main, skip):
        merged = merge_output_shape(self.how, main, skip)
        if merged is None:
            raise SkipShapeError(
                f"SkipConnection '{self.name}' cannot {self.how} its paths: how='{self.how}' needs "
                f"{merge_requirement(self.how)}, but main_path ({describe_path(self.main_path)}) outputs "
                f"{format_shape(main)} and skip_path ({describe_path(self.skip_path)}) outputs "
                f"{format_shape(skip)}. To fix it, {_suggest_fix(main, skip, self.how)}."
            )
        return merged


def _assert_no_layer_twice(layers, name):
    seen = set()
    for layer in layers:
        if id(layer) in seen:
            raise ConfigError(
                f"SkipConnection '{name}' received the layer '{layer.name}' twice; "
                "each layer instance may appear once across main_path and skip_path"
            )
        seen.add(id(layer))


def _deserialize_path(value, role):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ConfigError(
            f"SkipConnection config {role} must be a list of serialized layers "
            f"({{'module', 'class_name', 'config', 'registered_name'}}), but received {str(value)[:200]}"
        )
    layers = []
    for i, item in enumerate(value):
        if isinstance(item, keras.layers.Layer):
            layers.append(item)
            continue
        if not isinstance(item, dict) or not isinstance(item.get("class_name"), str):
            raise ConfigError(
                f"SkipConnection config {role}[{i}] must be a serialized layer with a 'class_name', "
                f"but received {str(item)[:200]}"
            )
        layers.append(keras.saving.deserialize_keras_object(item))
    return layers


def _suggest_fix(main, skip, how):
    """What would make `main` and `skip` mergeable, in words (as the TS layer says it)."""
    rank = len(main)
    target = main[-1] if rank else None
    same_but_last = rank == len(skip) and all(dims_compatible(a, b) for a, b in zip(main[:-1], skip[:-1]))
    if rank == 2:
        projection = f"skip_path=keras.layers.Dense({target})"
    elif rank == 4 and len(skip) == 4:
        stride = skip[1] / main[1] if main[1] and skip[1] else 1
        strides = f", strides={int(stride)}" if float(stride).is_integer() and stride > 1 else ""
        projection = f"skip_path=keras.layers.Conv2D({target}, 1{strides})"
    else:
        projection = f"a skip_path whose output shape is {format_shape(main)}"
    if how == "concat":
        return (
            "make both paths keep the same size on every axis but the last "
            f"(e.g. padding='same' and equal strides), or project the skip path ({projection})"
        )
    concat_hint = ", or use how='concat' to stack them on the last axis" if same_but_last else ""
    return f"project the skip path to the main path's shape ({projection}){concat_hint}"
