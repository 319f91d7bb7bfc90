"""Softplus: log(1 + e^z), a smooth ReLU; evaluated as logaddexp(0, z), which never overflows."""

import sympy as sp
from sympy.codegen.numpy_nodes import logaddexp

from ...symbols import z
from .._entry import Hidden

ENTRY = Hidden(
    name="softplus",
    order=60,
    definition=sp.log(1 + sp.exp(z)),
    numeric=logaddexp(0, z),     # log(e^0 + e^z): NumPy's logaddexp, no overflow for any z
    summary="Softplus, log(1 + exp(Z)), as logaddexp(0, Z): no overflow for any Z.",
    prime_summary="Derivative of softplus: the sigmoid, sigma(Z).",
    prose=(r"Softplus, $\log(1 + e^{z})$, is a smooth version of ReLU: it tends to $0$ "
           r"for $z \to -\infty$ and to $z$ for $z \to \infty$. Its derivative is the "
           r"sigmoid."),
)
