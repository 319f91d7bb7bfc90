"""The logistic sigmoid, sigma(z) = 1 / (1 + e^{-z})."""

import sympy as sp

from ...symbols import sigma, z
from .._entry import Hidden

ENTRY = Hidden(
    name="sigmoid",
    order=10,
    definition=1 / (1 + sp.exp(-z)),
    function=sigma,
    # printed through the sigmoid_tanh derivation: (1 + tanh(z/2))/2, no overflow and one
    # transcendental call where sigmoid_stable's log-sum-exp form makes three (a quarter
    # of a 2-4-1 network's training step went to its sigmoids)
    numeric=sigma(z),
    numeric_derivation="sigmoid_tanh",
    derivation="sigmoid_derivative",
    summary="Sigmoid, in a form that cannot overflow ((1 + tanh(z/2))/2).",
    prime_summary="Derivative of the sigmoid, sigma(Z) * (1 - sigma(Z)).",
)
