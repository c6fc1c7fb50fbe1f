"""The one list of tfjs_skip's Keras layer classes, and how each is registered."""

import keras

PACKAGE = "tfjs_skip"

#: Every layer class, in registration order; the tests check it against the
#: classes the TS package registers with `tf.serialization.registerClass`.
LAYER_CLASSES = []


def serializable(cls):
    """Registers `cls` as `tfjs_skip>ClassName` and files it under the public
    module `tfjs_skip` (the `module` key Keras writes), as numpy's
    `set_module` does, so saved configs do not depend on the file layout."""
    cls.__module__ = PACKAGE
    LAYER_CLASSES.append(cls)
    return keras.saving.register_keras_serializable(package=PACKAGE)(cls)
