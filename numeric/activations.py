"""Hidden-layer activations and their derivatives, from the generated formulas."""

from __future__ import annotations

from functools import partial

from . import _generated as gen

__all__ = ["HIDDEN", "LEAKY_RELU_SLOPE", "activation"]

# Slope of leaky ReLU for z < 0 (a common default; the derivations keep it symbolic).
LEAKY_RELU_SLOPE = 0.01

_TABLE = {
    "sigmoid": (gen.sigmoid, gen.sigmoid_prime),
    "tanh": (gen.tanh, gen.tanh_prime),
    "relu": (gen.relu, gen.relu_prime),
    "leaky_relu": (partial(gen.leaky_relu, alpha=LEAKY_RELU_SLOPE),
                   partial(gen.leaky_relu_prime, alpha=LEAKY_RELU_SLOPE)),
}
HIDDEN = tuple(_TABLE)


def activation(name: str):
    """``(g, g_prime)`` for a hidden activation name; ValueError listing the valid ones."""
    try:
        return _TABLE[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown hidden activation {name!r}; valid: {', '.join(HIDDEN)}") from None
