"""Output layers: activation, cost from the logits, and dZ[L], from the generated formulas.

sigmoid + binary cross-entropy, softmax + cross-entropy, linear + mean squared error.
Costs are computed from the logits Z[L], so they stay finite where A[L] rounds to 0 or 1.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _generated as gen

__all__ = ["OUTPUTS", "OutputLayer", "output_layer"]


class OutputLayer(NamedTuple):
    """activate(Z) -> A; cost(Z, A, Y, m) -> float; dz(A, Y) -> dZ[L]; and the in-place
    variants activate_into(Z, out, work) and dz_into(A, Y, out, work)."""

    name: str
    activate: Callable[[np.ndarray], np.ndarray]
    cost: Callable[[np.ndarray, np.ndarray, np.ndarray, int], float]
    dz: Callable[[np.ndarray, np.ndarray], np.ndarray]
    activate_into: Callable
    dz_into: Callable


_TABLE = {
    "sigmoid": OutputLayer(
        "sigmoid", gen.sigmoid,
        lambda Z, A, Y, m: gen.bce_cost_from_logits(Z=Z, Y=Y, m=m),
        lambda A, Y: gen.bce_sigmoid_dz(A=A, Y=Y),
        gen.sigmoid_into, gen.bce_sigmoid_dz_into),
    "softmax": OutputLayer(
        "softmax", gen.softmax,
        lambda Z, A, Y, m: gen.softmax_cross_entropy_cost(Z=Z, Y=Y, m=m),
        lambda A, Y: gen.softmax_cross_entropy_dz(A=A, Y=Y),
        gen.softmax_into, gen.softmax_cross_entropy_dz_into),
    "linear": OutputLayer(
        "linear", lambda Z: Z,
        lambda Z, A, Y, m: gen.mse_cost(A=A, Y=Y, m=m),
        lambda A, Y: gen.mse_linear_dz(A=A, Y=Y),
        lambda Z, out, work: Z,  # the identity: A[L] is Z[L] itself, no copy
        gen.mse_linear_dz_into),
}
OUTPUTS = tuple(_TABLE)


def output_layer(name: str) -> OutputLayer:
    """The output layer called ``name``; ValueError listing the valid names."""
    try:
        return _TABLE[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown output {name!r}; valid: {', '.join(OUTPUTS)}") from None
