"""ELU, the exponential linear unit (Clevert et al., 2015): z for z > 0, alpha (e^z - 1)
otherwise, with alpha = 1."""

import sympy as sp

from ...symbols import z
from .._entry import Hidden

ENTRY = Hidden(
    name="elu",
    order=70,
    # alpha = 1, as the issue and the ELU paper's experiments: a number, not a hyperparameter
    definition=sp.Piecewise((z, z > 0), (sp.exp(z) - 1, True)),
    summary="ELU (alpha = 1): Z where Z > 0, else exp(Z) - 1; exp only of min(Z, 0).",
    prime_summary="Derivative of ELU: 1 where Z > 0, else exp(Z) (exp(0) = 1 at Z = 0).",
    prose=(r"ELU follows $z$ for positive pre-activations and $e^{z} - 1$ below, "
           r"saturating at $-1$; both cases meet at $0$ with slope $1$, so the derivative "
           r"is continuous. Generated code evaluates each case only on its own side of "
           r"$0$, so $e^{z}$ is never taken of a large number."),
)
