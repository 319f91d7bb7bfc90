"""GELU in its tanh approximation (Hendrycks and Gimpel, 2016):
z/2 (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))."""

import sympy as sp

from ...symbols import z
from .._entry import Hidden

ENTRY = Hidden(
    name="gelu_tanh",
    order=80,
    # 0.044715 as an exact rational, so that the proofs are exact
    definition=z / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (z + sp.Rational(44715, 10**6) * z**3))),
    summary="GELU, tanh approximation: Z/2 (1 + tanh(sqrt(2/pi) (Z + 0.044715 Z^3))).",
    prime_summary="Derivative of the tanh approximation of GELU.",
    label="GELU (tanh)",
    prose=(r"GELU weights the pre-activation by the probability that a standard normal "
           r"variable is below it, $z\,\Phi(z)$; this is its usual tanh approximation. "
           r"Its derivative follows by the product and chain rules; $\tanh$ bounds every "
           r"term, so nothing overflows."),
)
