"""Shared SymPy symbols and the named functions the derivations display.

The derivations write results in the notation of the notes (``\\sigma(z)``,
``\\operatorname{ReLU}(z)``); the proofs need the explicit definitions behind those
names. Each *display function* below is an undefined SymPy function for printing,
paired with its definition in :data:`DEFINITIONS`; :func:`unfold` swaps the names
for their definitions before anything is simplified or evaluated.
"""

from __future__ import annotations

import sympy as sp
from sympy.codegen.numpy_nodes import logaddexp

__all__ = [
    "z", "a", "y", "m", "K", "alpha", "lambd", "keep_prob",
    "sigma", "relu", "leaky_relu", "softplus",
    "DEFINITIONS", "unfold", "logaddexp",
]

# Scalars of one example, one unit.
z = sp.Symbol("z", real=True)            # pre-activation
a = sp.Symbol("a", real=True)            # activation
y = sp.Symbol("y", real=True)            # label
m = sp.Symbol("m", positive=True, integer=True)   # number of examples
K = sp.Symbol("K", positive=True, integer=True)   # number of classes
alpha = sp.Symbol("alpha", positive=True)         # leaky ReLU slope, 0 < alpha < 1
lambd = sp.Symbol("lambda", nonnegative=True)     # L2 strength (``lambd`` in code)
keep_prob = sp.Symbol("p_keep", positive=True)    # dropout keep probability

# Display functions: what a textbook writes. Definitions below.
sigma = sp.Function("sigma", real=True)
relu = sp.Function("ReLU", real=True)
leaky_relu = sp.Function("LeakyReLU", real=True)
softplus = sp.Function("softplus", real=True)


def _sigma(x):
    return 1 / (1 + sp.exp(-x))


def _relu(x):
    return sp.Piecewise((x, x > 0), (0, True))


def _leaky_relu(x, slope=alpha):
    return sp.Piecewise((x, x > 0), (slope * x, True))


def _softplus(x):
    return sp.log(1 + sp.exp(x))


DEFINITIONS = {
    sigma: _sigma,
    relu: _relu,
    leaky_relu: _leaky_relu,
    softplus: _softplus,
}


def unfold(expr):
    """Replace every display function in ``expr`` by its definition.

    ``logaddexp`` nodes are rewritten as ``log(exp(a) + exp(b))`` so that SymPy's
    simplifier can see through them.
    """
    if isinstance(expr, (list, tuple)):
        return type(expr)(unfold(e) for e in expr)
    if isinstance(expr, str):
        raise TypeError("unfold takes SymPy objects, not text (parse text with "
                        "derive.claims.parse)")
    if not isinstance(expr, sp.Basic):
        return sp.sympify(expr, strict=True)   # numbers, matrices; never a string
    out = expr
    for name, definition in DEFINITIONS.items():
        out = out.replace(name, lambda *args, _d=definition: _d(*args))
    out = out.replace(logaddexp, lambda p, q: sp.log(sp.exp(p) + sp.exp(q)))
    return out
