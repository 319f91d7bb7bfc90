"""Binary cross-entropy on a sigmoid output."""

import sympy as sp

from ...symbols import a, y
from .._entry import Loss

ENTRY = Loss(
    name="bce", output="sigmoid", default=True, order=10,
    definition=-(y * sp.log(a) + (1 - y) * sp.log(1 - a)),
    derivation="bce_from_logits",
    cost_function="bce_cost_from_logits", dz_function="bce_sigmoid_dz", cost_reads="Z",
    summary="Binary cross-entropy cost, from the logits.",
    dz_summary="dZ[L] of a sigmoid output with binary cross-entropy: A - Y.",
)
