"""Writes the Keras-side models of the cross tests, as `.keras` and `.h5`.

Usage: python make_models.py OUT_DIR
Prints one JSON line: for each model, its files, an input and Keras's
prediction on it (inference mode).
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def toy_resnet():
    """The functional toy ResNet of the Keras functional API guide, as written there (`layers.add`)."""
    inputs = keras.Input(shape=(32, 32, 3), name="img")
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs, outputs, name="toy_resnet")
    assert model.count_params() == 223242, model.count_params()
    return model


def sequential_cnn():
    """A Sequential CNN with BatchNormalization and Dropout, trained a few steps (moving statistics move)."""
    model = keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            layers.Conv2D(8, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.SeparableConv2D(8, 3, activation="relu"),
            layers.DepthwiseConv2D(3, padding="same"),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(16, activation="tanh", kernel_regularizer=keras.regularizers.L2(1e-4)),
            layers.LayerNormalization(),
            layers.Dense(4, activation="softmax"),
        ],
        name="seq_cnn",
    )
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 12, 12, 3)).astype("float32")
    y = rng.integers(0, 4, size=(32,))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    return model


def functional_concat():
    """Two branches joined by Concatenate, with an embedding-free mix of merges and activations."""
    inputs = keras.Input(shape=(10,), name="features")
    a = layers.Dense(8, activation="relu", name="left")(inputs)
    b = layers.Dense(6, activation="elu", name="right")(inputs)
    c = layers.Dense(8, name="right2")(inputs)
    m = layers.Maximum()([a, c])
    x = layers.Concatenate()([m, b])
    x = layers.LeakyReLU(negative_slope=0.1)(x)
    x = layers.Reshape((7, 2))(x)
    x = layers.Permute((2, 1))(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(3)(x)
    return keras.Model(inputs, outputs, name="concat")


def nested_model():
    """A Sequential and a functional model used as layers inside a functional model."""
    block = keras.Sequential([keras.Input((6,)), layers.Dense(6, activation="relu"), layers.BatchNormalization()], name="block")
    inner_in = keras.Input((6,))
    inner = keras.Model(inner_in, layers.Dense(5)(inner_in), name="inner")
    inputs = keras.Input((6,))
    x = block(inputs)
    x = layers.Add()([x, inputs])
    y = layers.Dense(3, name="after_inner")(inner(x))
    outputs = layers.Concatenate()([y, inner(inputs)])  # a second call: node indices past the first
    return keras.Model(inputs, outputs, name="nested")


def layers_1d():
    """1D convolutions, pooling, noise and reshaping layers."""
    inputs = keras.Input((16, 3))
    x = layers.Conv1D(6, 3, padding="same", activation="selu")(inputs)
    x = layers.MaxPooling1D(2)(x)
    x = layers.SpatialDropout1D(0.2)(x)
    x = layers.GaussianNoise(0.1)(x)
    a = layers.AveragePooling1D(2)(x)
    a = layers.GlobalMaxPooling1D()(a)
    b = layers.GlobalAveragePooling1D()(x)
    x = layers.Multiply()([a, b])
    x = layers.RepeatVector(2)(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(3, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="layers_1d")


def layers_2d():
    """2D padding, transposed and separable convolutions, upsampling, activations and the other merges."""
    inputs = keras.Input((8, 8, 2))
    x = layers.ZeroPadding2D(((1, 0), (0, 1)))(inputs)
    x = layers.Conv2DTranspose(4, 3, strides=2, padding="same")(x)
    x = layers.Cropping2D(((2, 1), (1, 2)))(x)
    x = layers.PReLU(shared_axes=[1, 2])(x)
    x = layers.AveragePooling2D(2)(x)
    x = layers.UpSampling2D(2)(x)
    x = layers.ELU()(x)
    x = layers.GaussianDropout(0.1)(x)
    x = layers.AlphaDropout(0.1)(x)
    x = layers.Conv2D(4, 3, strides=2, kernel_constraint=keras.constraints.MaxNorm(3), activation="gelu")(x)
    a = layers.GlobalMaxPooling2D()(x)
    b = layers.GlobalAveragePooling2D()(x)
    c = layers.Average()([a, b])
    d = layers.Minimum()([a, b])
    x = layers.Concatenate()([c, d, layers.Dot(axes=1, normalize=True)([a, b])])
    x = layers.Activation("swish")(x)
    outputs = layers.Softmax()(layers.Dense(3)(x))
    return keras.Model(inputs, outputs, name="layers_2d")


def layers_3d():
    """3D convolutions and pooling, rescaling, ReLU with a ceiling, LeakyReLU."""
    return keras.Sequential(
        [
            keras.Input((4, 4, 4, 1)),
            layers.Rescaling(0.5, offset=0.1),
            layers.Conv3D(2, 2, activation="relu6"),
            layers.Conv3DTranspose(3, 2, strides=2),
            layers.MaxPooling3D(2),
            layers.AveragePooling3D(1),
            layers.ReLU(max_value=1.5),
            layers.Flatten(),
            layers.Dense(4),
            layers.LeakyReLU(0.2),
        ],
        name="layers_3d",
    )


def recurrent():
    """Masking and the recurrent layers (weights in their `cell`)."""
    return keras.Sequential(
        [
            keras.Input((6, 3)),
            layers.Masking(mask_value=0.0),
            layers.LSTM(4, return_sequences=True),
            layers.GRU(3, return_sequences=True, reset_after=False),  # TF.js has no reset_after=True
            layers.SimpleRNN(2),
            layers.Dense(2),
        ],
        name="recurrent",
    )



def applications_layers():
    """What keras.applications brings beyond the core layers: an adapted Normalization, a grouped Conv2D,
    hard_silu, ConvNeXt's LayerScale and StochasticDepth, InceptionResNetV2's CustomScaleLayer, Keras
    operation nodes (x * 0.5 + 1.0, x + y) and GlobalAveragePooling2D(keepdims=True)."""
    from keras.src.applications.convnext import LayerScale, StochasticDepth
    from keras.src.applications.inception_resnet_v2 import CustomScaleLayer

    inputs = keras.Input((6, 6, 4))
    norm = layers.Normalization()
    x = norm(inputs)
    x = layers.Conv2D(8, 3, padding="same", groups=4, activation="hard_silu")(x)
    y = LayerScale(0.5, 8)(x)
    y = StochasticDepth(0.1)(y)
    x = CustomScaleLayer(0.3)([x, y])
    x = x * 0.5 + 1.0
    x = x + layers.Conv2D(8, 1)(x)
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = layers.Flatten()(x)
    model = keras.Model(inputs, layers.Dense(3)(x), name="applications_layers")
    norm.adapt(np.random.default_rng(4).normal(2.0, 3.0, (16, 6, 6, 4)).astype("float32"))
    return model


def embedding():
    """An embedding of integer ids (int32 input)."""
    return keras.Sequential(
        [keras.Input((5,), dtype="int32"), layers.Embedding(10, 4), layers.Flatten(), layers.Dense(2, activation="sigmoid")],
        name="embedding",
    )


def skip_examples():
    """The two documented SkipConnection examples (output widths 30 and 60, 2,475 parameters)."""
    import tfjs_skip

    out = []
    for how, width in (("add", 30), ("concat", 60)):
        model = keras.Sequential(
            [
                keras.Input((50,)),
                layers.Dense(30),
                tfjs_skip.SkipConnection([layers.Dense(15), layers.Dense(30)], how=how),
            ],
            name=f"skip_{how}",
        )
        assert model.output_shape == (None, width), model.output_shape
        assert model.count_params() == 2475, model.count_params()
        assert model.layers[1].count_params() == 945, model.layers[1].count_params()
        out.append((f"skip_{how}", model))
    return out


def main(out_dir):
    models = [("toy_resnet", toy_resnet()), ("seq_cnn", sequential_cnn()), ("concat", functional_concat()), ("nested", nested_model())]
    models += [("layers_1d", layers_1d()), ("layers_2d", layers_2d()), ("layers_3d", layers_3d()), ("embedding", embedding()), ("recurrent", recurrent())]
    models += [("applications_layers", applications_layers())]
    models += skip_examples()
    rng = np.random.default_rng(0)
    report = []
    for name, model in models:
        shape = [2] + [int(d) for d in model.input_shape[1:]]
        ints = model.inputs[0].dtype == "int32"
        x = rng.integers(0, 10, size=shape).astype("float32") if ints else rng.normal(size=shape).astype("float32")
        y = np.asarray(model(x.astype("int32") if ints else x, training=False))
        files = []
        for ext in ("keras", "h5"):
            path = os.path.join(out_dir, f"{name}.{ext}")
            model.save(path)
            files.append(path)
        report.append({"name": name, "files": files, "params": int(model.count_params()), "xShape": shape, "x": x.ravel().tolist(), "y": y.ravel().tolist()})
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
