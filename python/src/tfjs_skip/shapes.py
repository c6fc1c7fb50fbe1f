"""Shape helpers shared by the layers: one place for the formatting and checks."""


def format_shape(shape):
    """`(None, 9, 9, 64)`: the form error messages print."""
    return "(" + ", ".join("None" if d is None else str(int(d)) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def dims_compatible(a, b):
    """Dimensions agree when equal or when either is unknown (`None`)."""
    return a is None or b is None or a == b


def one_shape(input_shape, who):
    """The one shape of a single-input layer, or an error quoting what came in."""
    if isinstance(input_shape, (list, tuple)) and input_shape and isinstance(input_shape[0], (list, tuple)):
        if len(input_shape) != 1:
            shapes = ", ".join(format_shape(s) for s in input_shape)
            raise ValueError(f"{who} takes exactly one input, but received {len(input_shape)} input shapes: {shapes}")
        input_shape = input_shape[0]
    return tuple(None if d is None else int(d) for d in input_shape)
