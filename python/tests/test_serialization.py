"""Configs, the serialized form, `.keras` files and their weight layout."""

import io
import zipfile

import h5py
import keras
import numpy as np
import pytest
from keras import layers

import tfjs_skip
from tfjs_skip import DropPath, Highway, LayerScale, Shortcut, SkipConnection

BASE_KEYS = {"name", "trainable", "dtype"}
OWN_KEYS = {
    "SkipConnection": {"main_path", "skip_path", "how"},
    "Shortcut": {"filters", "strides", "kind", "batch_norm"},
    "Highway": {"activation", "gate_bias"},
    "DropPath": {"rate"},
    "LayerScale": {"init_value", "per_channel"},
}
EXAMPLES = {
    "SkipConnection": (lambda: SkipConnection([layers.Dense(4), layers.BatchNormalization()], skip_path=layers.Dense(4), how="average"), (3, 5)),
    "Shortcut": (lambda: Shortcut(6, strides=2, kind="projection", batch_norm=True), (2, 5, 5, 3)),
    "Highway": (lambda: Highway(activation="elu", gate_bias=-3), (2, 4)),
    "DropPath": (lambda: DropPath(0.25), (2, 4)),
    "LayerScale": (lambda: LayerScale(init_value=0.5, per_channel=False), (2, 4)),
}


def test_the_examples_cover_every_class():
    assert sorted(EXAMPLES) == sorted(cls.__name__ for cls in tfjs_skip.LAYER_CLASSES) == sorted(OWN_KEYS)


@pytest.mark.parametrize("class_name", sorted(EXAMPLES))
def test_serialized_form(class_name):
    make, shape = EXAMPLES[class_name]
    layer = make()
    layer.build(shape)
    serialized = keras.saving.serialize_keras_object(layer)
    assert serialized["module"] == "tfjs_skip"
    assert serialized["class_name"] == class_name
    assert serialized["registered_name"] == f"tfjs_skip>{class_name}"
    assert set(serialized["config"]) == BASE_KEYS | OWN_KEYS[class_name]
    assert serialized["build_config"] == {"input_shape": shape}


@pytest.mark.parametrize("class_name", sorted(EXAMPLES))
def test_config_round_trip(class_name):
    make, shape = EXAMPLES[class_name]
    layer = make()
    layer.build(shape)
    config = layer.get_config()
    clone = layer.__class__.from_config(config)
    assert clone.get_config() == config
    revived = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(revived) is type(layer) and revived.get_config() == config


def test_skip_connection_config_nests_its_paths_in_keras_3_form():
    layer = SkipConnection([layers.Dense(4, name="d1"), Highway(name="h")], skip_path=None, how="concat")
    config = layer.get_config()
    assert config["skip_path"] == [] and config["how"] == "concat"
    dense, highway = config["main_path"]
    assert (dense["module"], dense["class_name"], dense["registered_name"]) == ("keras.layers", "Dense", None)
    assert (highway["module"], highway["class_name"], highway["registered_name"]) == ("tfjs_skip", "Highway", "tfjs_skip>Highway")
    assert dense["config"]["name"] == "d1" and highway["config"]["gate_bias"] == -2


def test_loads_the_form_tfjs_skip_writes_and_a_config_without_registered_name():
    dense = keras.saving.serialize_keras_object(layers.Dense(3, name="inner"))
    written = {
        "module": "tfjs_skip",
        "class_name": "SkipConnection",
        "config": {"name": "skip", "trainable": True, "dtype": "float32", "main_path": [dense], "skip_path": [
            {"module": "tfjs_skip", "class_name": "Shortcut", "registered_name": "tfjs_skip>Shortcut",
             "config": {"name": "sc", "trainable": True, "filters": 3, "strides": 1, "kind": "zero_pad", "batch_norm": True}},
        ], "how": "add"},
        "registered_name": "tfjs_skip>SkipConnection",
    }
    layer = keras.saving.deserialize_keras_object(written)
    assert isinstance(layer, SkipConnection) and isinstance(layer.skip_path[0], Shortcut)
    assert layer.skip_path[0].kind == "zero_pad"
    bare = {k: v for k, v in written.items() if k != "registered_name"}
    assert isinstance(keras.saving.deserialize_keras_object(bare), SkipConnection)


def test_accepts_the_typescript_spelling_of_zero_pad():
    assert Shortcut(4, kind="zeroPad").get_config()["kind"] == "zero_pad"


def _residual_model():
    return keras.Sequential(
        [
            keras.Input((6, 6, 3)),
            SkipConnection(
                [layers.Conv2D(4, 3, strides=2, padding="same"), layers.BatchNormalization(), LayerScale(0.5), DropPath(0.2)],
                skip_path=Shortcut(4, strides=2),
            ),
            SkipConnection(Highway("tanh"), skip_path=Shortcut(6, kind="zero_pad"), how="concat"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2),
        ]
    )


def _documented_model(how="add"):
    return keras.Sequential(
        [keras.Input((50,)), layers.Dense(30), SkipConnection(main_path=keras.Sequential([layers.Dense(15), layers.Dense(30)]), how=how)]
    )


def _h5_datasets(path):
    with zipfile.ZipFile(path) as z, h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
        found = {}
        f.visititems(lambda name, obj: found.__setitem__(name, obj.shape) if isinstance(obj, h5py.Dataset) else None)
        return found


@pytest.mark.parametrize("make", [_documented_model, lambda: _documented_model("concat"), _residual_model])
def test_keras_file_round_trip_predicts_the_same(tmp_path, make):
    model = make()
    x = np.random.default_rng(0).normal(size=(4, *model.input_shape[1:])).astype("float32")
    # Move the BatchNorm statistics off their initial values so the file must carry them.
    model(x, training=True)
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [(w.name, w.shape) for w in loaded.weights] == [(w.name, w.shape) for w in model.weights]
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_h5_weight_layout_of_the_documented_example(tmp_path):
    _documented_model().save(tmp_path / "m.keras")
    assert _h5_datasets(tmp_path / "m.keras") == {
        "layers/dense/vars/0": (50, 30),
        "layers/dense/vars/1": (30,),
        "layers/skip_connection/main_path/sequential/layers/dense/vars/0": (30, 15),
        "layers/skip_connection/main_path/sequential/layers/dense/vars/1": (15,),
        "layers/skip_connection/main_path/sequential/layers/dense_1/vars/0": (15, 30),
        "layers/skip_connection/main_path/sequential/layers/dense_1/vars/1": (30,),
    }


def test_h5_weight_layout_of_a_residual_model(tmp_path):
    _residual_model().save(tmp_path / "m.keras")
    sc, sc1 = "layers/skip_connection", "layers/skip_connection_1"
    assert _h5_datasets(tmp_path / "m.keras") == {
        f"{sc}/main_path/conv2d/vars/0": (3, 3, 3, 4),
        f"{sc}/main_path/conv2d/vars/1": (4,),
        **{f"{sc}/main_path/batch_normalization/vars/{i}": (4,) for i in range(4)},
        f"{sc}/main_path/layer_scale/vars/0": (4,),
        f"{sc}/skip_path/shortcut/conv/vars/0": (1, 1, 3, 4),
        **{f"{sc}/skip_path/shortcut/bn/vars/{i}": (4,) for i in range(4)},
        f"{sc1}/main_path/highway/vars/0": (4, 4),
        f"{sc1}/main_path/highway/vars/1": (4,),
        f"{sc1}/main_path/highway/vars/2": (4, 4),
        f"{sc1}/main_path/highway/vars/3": (4,),
        "layers/dense/vars/0": (10, 2),
        "layers/dense/vars/1": (2,),
    }


def test_h5_vars_are_in_creation_order(tmp_path):
    """`vars/<i>` is a layer's own variables in creation order: the names say which is which."""
    model = _residual_model()
    block = model.layers[0]
    bn = block.main_path[1]
    assert [v.name for v in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [v.name for v in model.layers[1].main_path[0].weights] == ["kernel", "bias", "gate_kernel", "gate_bias"]
    assert [v.name for v in block.skip_path[0].bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]


def test_convnext_layer_scale_is_not_shadowed():
    """Importing tfjs_skip leaves Keras's own ConvNeXt LayerScale to Keras (its bare name is Keras's)."""
    from keras.src.applications.convnext import LayerScale as ConvNeXtLayerScale

    import tfjs_skip

    layer = ConvNeXtLayerScale(0.5, 4)
    config = keras.saving.serialize_keras_object(layer)
    assert config["registered_name"] == "LayerScale"
    assert isinstance(keras.saving.deserialize_keras_object(config), ConvNeXtLayerScale)
    assert "LayerScale" not in keras.saving.get_custom_objects() or keras.saving.get_custom_objects()["LayerScale"] is not tfjs_skip.LayerScale
