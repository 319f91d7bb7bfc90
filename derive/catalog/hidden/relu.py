"""The rectified linear unit, max(0, z)."""

import sympy as sp

from ...symbols import relu, z
from .._entry import Hidden

ENTRY = Hidden(
    name="relu",
    order=30,
    definition=sp.Piecewise((z, z > 0), (0, True)),
    function=relu,
    numeric=sp.Max(0, z),
    derivation="relu_derivative",
    label="ReLU",
    summary="ReLU, max(0, Z).",
    prime_summary="Derivative of ReLU: 1 where Z > 0, else 0 (0 chosen at Z = 0).",
)
