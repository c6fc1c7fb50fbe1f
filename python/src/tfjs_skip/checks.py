"""Argument guards shared by the layers; each message quotes what it received."""

import math
import numbers

from .errors import ConfigError


def positive_integer(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ConfigError(f"{what} must be a positive integer, but received {value!r}")
    return int(value)


def unit_rate(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ConfigError(f"{what} must be a number in [0, 1), but received {value!r}")
    return float(value)


def finite_number(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ConfigError(f"{what} must be a finite number, but received {value!r}")
    return float(value)


def one_of(value, names, what):
    if not isinstance(value, str) or value not in names:
        listed = ", ".join(f"'{n}'" for n in names)
        raise ConfigError(f"{what} must be one of {listed}, but received {value!r}")
    return value
