"""Highway: `y = T * H(x) + (1 - T) * x` (Srivastava et al. 2015)."""

import keras
from keras import ops

from .checks import finite_number, one_of
from .errors import ConfigError
from .registry import serializable
from .shapes import format_shape

#: The transform `H`'s activations: a closed set of names, never functions.
ACTIVATIONS = {
    "relu": ops.relu,
    "tanh": ops.tanh,
    "sigmoid": ops.sigmoid,
    "elu": lambda x: ops.elu(x, alpha=1.0),
    "linear": lambda x: x,
}


@serializable
class Highway(keras.layers.Layer):
    """A highway layer on the last axis, which keeps its size.

    `H(x) = activation(x @ kernel + bias)`, the transform gate
    `T = sigmoid(x @ gate_kernel + gate_bias)`, and `y = x + T * (H(x) - x)`.
    Kernels start Glorot-uniform, `bias` at 0 and `gate_bias` at `gate_bias`
    (default -2: the gate starts mostly closed, the layer near the identity).

    Args:
        activation: `'relu'` (default), `'tanh'`, `'sigmoid'`, `'elu'` or `'linear'`.
        gate_bias: Initial transform-gate bias (default -2).

    Example (a closed gate is the identity):

    >>> x = keras.random.normal((2, 4))
    >>> y = Highway(activation="tanh", gate_bias=-20.0)(x)
    >>> float(keras.ops.max(keras.ops.abs(y - x))) < 1e-6
    True
    """

    def __init__(self, activation="relu", gate_bias=-2.0, **kwargs):
        super().__init__(**kwargs)
        self.activation = one_of(activation, tuple(ACTIVATIONS), "Highway activation")
        self.gate_bias = finite_number(gate_bias, "Highway gate_bias")

    def build(self, input_shape):
        units = input_shape[-1] if len(input_shape) >= 2 else None
        if units is None:
            raise ConfigError(
                f"Highway '{self.name}' needs a known last axis, but received input of shape {format_shape(input_shape)}"
            )
        self.kernel = self.add_weight(name="kernel", shape=(units, units), initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(units,), initializer="zeros")
        self.gate_kernel = self.add_weight(name="gate_kernel", shape=(units, units), initializer="glorot_uniform")
        self.gate_bias_weight = self.add_weight(
            name="gate_bias", shape=(units,), initializer=keras.initializers.Constant(self.gate_bias)
        )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def call(self, inputs):
        h = ACTIVATIONS[self.activation](ops.add(ops.matmul(inputs, self.kernel), self.bias))
        t = ops.sigmoid(ops.add(ops.matmul(inputs, self.gate_kernel), self.gate_bias_weight))
        # T*H + (1-T)*x, written as x + T*(H - x), as the TS layer computes it.
        return ops.add(inputs, ops.multiply(t, ops.subtract(h, inputs)))

    def get_config(self):
        config = super().get_config()
        config.update({"activation": self.activation, "gate_bias": self.gate_bias})
        return config
