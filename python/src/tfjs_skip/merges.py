"""How a SkipConnection combines its main_path and skip_path outputs.

A closed set of names, never user functions, so that a saved model describes
its merge as data and loads without running any code. Same names, shapes and
math as the TS `merges.ts`.
"""

from keras import ops

from .shapes import dims_compatible


def _elementwise_shape(main, skip):
    if len(main) != len(skip) or not all(dims_compatible(a, b) for a, b in zip(main, skip)):
        return None
    return tuple(a if a is not None else b for a, b in zip(main, skip))


def _concat_shape(main, skip):
    rank = len(main)
    if rank != len(skip) or rank == 0:
        return None
    if not all(dims_compatible(a, b) for a, b in zip(main[:-1], skip[:-1])):
        return None
    last = None if main[-1] is None or skip[-1] is None else main[-1] + skip[-1]
    return tuple(a if a is not None else b for a, b in zip(main[:-1], skip[:-1])) + (last,)


_SAME = "outputs of the same shape"

# name -> (output shape or None, what the shapes must satisfy, the merge itself)
MERGES = {
    "add": (_elementwise_shape, _SAME, lambda a, b: ops.add(a, b)),
    "concat": (_concat_shape, "outputs that agree on every axis but the last", lambda a, b: ops.concatenate([a, b], axis=-1)),
    "multiply": (_elementwise_shape, _SAME, lambda a, b: ops.multiply(a, b)),
    "average": (_elementwise_shape, _SAME, lambda a, b: ops.multiply(ops.add(a, b), 0.5)),
    "maximum": (_elementwise_shape, _SAME, lambda a, b: ops.maximum(a, b)),
    "minimum": (_elementwise_shape, _SAME, lambda a, b: ops.minimum(a, b)),
}

MERGE_NAMES = tuple(MERGES)


def merge_output_shape(how, main, skip):
    """The merged shape, or None when the two shapes cannot be merged."""
    return MERGES[how][0](tuple(main), tuple(skip))


def merge_requirement(how):
    return MERGES[how][1]


def apply_merge(how, main, skip):
    return MERGES[how][2](main, skip)
