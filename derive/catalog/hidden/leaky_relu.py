"""Leaky ReLU: z for z > 0, alpha z otherwise (0 < alpha < 1)."""

import sympy as sp

from ...symbols import LEAKY_RELU_SLOPE, alpha, leaky_relu, z
from .._entry import Hidden, Hyper

ENTRY = Hidden(
    name="leaky_relu",
    order=40,
    definition=sp.Piecewise((z, z > 0), (alpha * z, True)),
    function=leaky_relu,
    numeric=sp.Max(alpha * z, z),          # equal to the definition for 0 < alpha < 1
    derivation="leaky_relu_derivative",
    label="leaky ReLU",
    plot_values=(("alpha", 0.1),),     # a slope large enough to see
    hyper=(Hyper("alpha", alpha, float(LEAKY_RELU_SLOPE), 0.0, 1.0, meaning="slope for z < 0"),),
    summary="Leaky ReLU, max(alpha Z, Z) for 0 < alpha < 1.",
    prime_summary="Derivative of leaky ReLU: 1 where Z > 0, else alpha (alpha chosen at Z = 0).",
)
