"""The hyperbolic tangent."""

import sympy as sp

from ...symbols import z
from .._entry import Hidden

ENTRY = Hidden(
    name="tanh",
    order=20,
    definition=sp.tanh(z),
    function=sp.tanh,
    derivation="tanh_derivative",
    summary="Hyperbolic tangent.",
    prime_summary="Derivative of tanh, 1 - tanh(Z)**2.",
)
