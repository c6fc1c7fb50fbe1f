"""The one list of tfjs_skip's Keras layer classes, and how each is registered."""

import keras

PACKAGE = "tfjs_skip"

#: Bare names keras.applications gives its own layers (ConvNeXt's `LayerScale`): Keras looks them up
#: in the global custom objects first, so filing ours there would load Keras's ConvNeXt models with
#: tfjs_skip's class. Ours keep only `tfjs_skip>ClassName`.
KERAS_APPLICATIONS_NAMES = frozenset({"LayerScale", "StochasticDepth", "CustomScaleLayer"})

#: Every layer class, in registration order; the tests check it against the
#: classes the TS package registers with `tf.serialization.registerClass`.
LAYER_CLASSES = []


def serializable(cls):
    """Registers `cls` with Keras as `tfjs_skip>ClassName`.

    - `module`: Keras writes `cls.__module__`; it is set to the public module
      `tfjs_skip` (as numpy's `set_module` does), so saved configs do not
      depend on the package's file layout. Keras never imports a non-Keras
      `module` when loading: `import tfjs_skip` before loading a model.
    - `registered_name`: `tfjs_skip>ClassName`, the key Keras looks the class
      up by. A config without `registered_name` is looked up by its bare
      `class_name`, so the class is also filed under `ClassName` (Keras's
      global custom objects), unless keras.applications uses that name
      (`KERAS_APPLICATIONS_NAMES`); a config with `"registered_name": null`
      does not load (Keras then only resolves `keras.*` modules).
    """
    cls.__module__ = PACKAGE
    LAYER_CLASSES.append(cls)
    registered = keras.saving.register_keras_serializable(package=PACKAGE)(cls)
    if cls.__name__ not in KERAS_APPLICATIONS_NAMES:
        keras.saving.get_custom_objects().setdefault(cls.__name__, cls)
    return registered
