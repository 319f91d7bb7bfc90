"""The logistic sigmoid, sigma(z) = 1 / (1 + e^{-z})."""

import sympy as sp

from ...symbols import sigma, z
from .._entry import Hidden

ENTRY = Hidden(
    name="sigmoid",
    order=10,
    definition=1 / (1 + sp.exp(-z)),
    function=sigma,
    numeric=sigma(z),                      # printed through the sigmoid_stable derivation
    numeric_derivation="sigmoid_stable",
    derivation="sigmoid_derivative",
    summary="Sigmoid, in a form that cannot overflow (exp of a non-positive number).",
    prime_summary="Derivative of the sigmoid, sigma(Z) * (1 - sigma(Z)).",
)
