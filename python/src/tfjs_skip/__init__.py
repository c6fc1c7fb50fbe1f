"""tfjs_skip: the Keras 3 side of tfjs-skip.

Importing this package registers its layers with Keras as `tfjs_skip>ClassName`,
so `.keras` files that use them (written by Keras or by tfjs-skip) load with
`keras.saving.load_model`. Each class has the math, defaults and config keys
of the TensorFlow.js layer of the same name.
"""

from .drop_path import DropPath
from .errors import ConfigError, SkipShapeError
from .highway import Highway
from .layer_scale import LayerScale
from .merges import MERGE_NAMES
from .registry import LAYER_CLASSES
from .shortcut import SHORTCUT_KINDS, Shortcut
from .skip_connection import SkipConnection

__all__ = [
    "ConfigError",
    "DropPath",
    "Highway",
    "LAYER_CLASSES",
    "LayerScale",
    "MERGE_NAMES",
    "SHORTCUT_KINDS",
    "Shortcut",
    "SkipConnection",
    "SkipShapeError",
]
