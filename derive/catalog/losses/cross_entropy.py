"""Cross-entropy on a softmax output (one-hot labels)."""

import sympy as sp

from ...symbols import a, y
from .._entry import Loss

ENTRY = Loss(
    name="cross_entropy", output="softmax", default=True, order=20,
    definition=-y * sp.log(a),
    derivation="softmax_cross_entropy_dz",
    cost_function="softmax_cross_entropy_cost", dz_function="softmax_cross_entropy_dz",
    cost_reads="Z",
    summary="Cross-entropy cost of a softmax output, from the logits.",
    dz_summary="dZ[L] of a softmax output with cross-entropy (one-hot Y): P - Y.",
)
