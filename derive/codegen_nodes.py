"""The node vocabulary that both code-generation back-ends share.

:mod:`derive.codegen_printer` prints an expression as one NumPy expression (the pure
functions); :mod:`derive.codegen_inplace` evaluates it node by node into buffers (the
fast path). Both must accept exactly the same nodes, so the table lives here:
:data:`ELEMENTWISE` (one-argument functions and their NumPy ufuncs) and :data:`NODES`
(every SymPy node class a generated formula may hold). A test walks every expression
the catalog and the registry hand to code generation and checks that each node is in
:data:`NODES` and is handled by both back-ends.

:class:`ScalarArg` marks an argument as a Python number (``m``, ``learning_rate``,
``alpha``): it is a SymPy symbol like any other, but the in-place back-end knows from its
class, not from a list of names, that it is not an array.
"""

from __future__ import annotations

import sympy as sp
from sympy.codegen.numpy_nodes import logaddexp

__all__ = ["ScalarArg", "ELEMENTWISE", "NODES", "unsupported_nodes"]


class ScalarArg(sp.Symbol):
    """A scalar argument of a generated function (a Python number, never an array)."""


# One-argument elementwise functions: SymPy class -> NumPy ufunc.
ELEMENTWISE = {sp.exp: "exp", sp.log: "log", sp.tanh: "tanh", sp.Abs: "absolute"}

# Every node class allowed in a generated formula (besides ELEMENTWISE): arithmetic,
# the unit step at 0, max/min of two arrays, log-sum-exp of two, matrix products, and
# the reductions of derive.codegen_printer (added there, where they are defined).
NODES: set = {
    sp.Symbol, sp.Integer, sp.Rational, sp.Float, sp.NumberSymbol, sp.Add, sp.Mul, sp.Pow,
    sp.Heaviside, sp.Max, sp.Min, logaddexp,
    sp.MatrixSymbol, sp.MatMul, sp.MatAdd, sp.HadamardProduct, sp.Transpose, sp.OneMatrix,
    *ELEMENTWISE,
}


def unsupported_nodes(expr) -> set:
    """The classes of the nodes of ``expr`` that are not in the vocabulary."""
    bad = set()
    for node in sp.preorder_traversal(expr):
        if not any(isinstance(node, cls) for cls in NODES):
            bad.add(type(node))
    return bad
