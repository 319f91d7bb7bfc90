"""Hidden-layer activations and their derivatives, from the generated formulas."""

from __future__ import annotations

from functools import partial

from . import _generated as gen

__all__ = ["HIDDEN", "LEAKY_RELU_SLOPE", "activation", "activation_into"]

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


# Sigmoid and tanh take their derivative from the cached activation A = g(Z) (one or two
# passes instead of recomputing g); ReLU and leaky ReLU from Z.
_FROM_A = {"sigmoid", "tanh"}
_INTO = {
    "sigmoid": (gen.sigmoid_into, gen.sigmoid_prime_from_a_into),
    "tanh": (gen.tanh_into, gen.tanh_prime_from_a_into),
    "relu": (gen.relu_into, gen.relu_prime_into),
    "leaky_relu": (lambda Z, out, work: gen.leaky_relu_into(Z, LEAKY_RELU_SLOPE, out, work),
                   lambda Z, out, work: gen.leaky_relu_prime_into(Z, LEAKY_RELU_SLOPE, out, work)),
}


def activation_into(name: str):
    """``(g_into, g_prime_into, from_a)``: the in-place variants ``f(X, out, work) -> out``;
    ``g_prime_into`` takes the activation A when ``from_a``, else Z."""
    activation(name)  # the same error for an unknown name
    return (*_INTO[name], name in _FROM_A)
