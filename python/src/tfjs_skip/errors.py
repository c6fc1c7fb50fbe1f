"""The errors tfjs_skip raises, one class per kind of failure (as in the TS package)."""


class SkipShapeError(ValueError):
    """Two paths of a skip connection produce outputs that cannot be merged."""


class ConfigError(ValueError):
    """A layer was given arguments or a config it cannot use (`ConfigError` in the TS package too)."""
