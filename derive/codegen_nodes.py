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

__all__ = ["ScalarArg", "ELEMENTWISE", "NODES", "unsupported_nodes",
           "row_sum", "col_sum", "col_max", "total_sum"]


class _Reduction(sp.Function):
    """A reduction of an array-valued argument (opaque to SymPy's algebra)."""

    _numpy = ""
    _latex_name = ""
    nargs = 1

    def _numpycode(self, printer):
        # A docstring's formula (a printer with ``readable`` set) may say what the code does
        # in fewer words (``_readable``).
        form = getattr(self, "_readable", self._numpy) if getattr(printer, "readable", False) \
            else self._numpy
        return form % printer._print(self.args[0])

    def _latex(self, printer):
        return self._latex_name % printer._print(self.args[0])


class row_sum(_Reduction):
    """Sum over the examples (columns), keeping a column: (n, m) -> (n, 1)."""

    _numpy = "numpy.sum(%s, axis=1, keepdims=True)"
    _latex_name = r"\sum_{i=1}^{m} \left(%s\right)^{(i)}"


class col_sum(_Reduction):
    """Sum over the units or classes (rows), keeping a row: (n, m) -> (1, m)."""

    _numpy = "numpy.sum(%s, axis=0, keepdims=True)"
    _latex_name = r"\sum_{k} \left(%s\right)_{k}"


class col_max(_Reduction):
    """Largest entry of each column, keeping a row: (n, m) -> (1, m)."""

    _numpy = "numpy.max(%s, axis=0, keepdims=True)"
    _latex_name = r"\max_{k} \left(%s\right)_{k}"


class total_sum(_Reduction):
    """Sum of every entry: (n, m) -> scalar."""

    # The ufunc's reduce itself, what numpy.sum calls (the same pairwise sum, bit for bit)
    # without numpy.sum's Python wrapper (~2 us: a twentieth of a small network's step,
    # which computes a cost every step).
    _numpy = "numpy.add.reduce(%s, axis=None)"
    _readable = "numpy.sum(%s)"
    _latex_name = r"\sum_{k,i} \left(%s\right)_{k}^{(i)}"


class ScalarArg(sp.Symbol):
    """A scalar argument of a generated function (a Python number, never an array)."""


# One-argument elementwise functions: SymPy class -> NumPy ufunc.
ELEMENTWISE = {sp.exp: "exp", sp.log: "log", sp.tanh: "tanh", sp.Abs: "absolute",
               # a user's formula (derive.custom) may use these; the catalog does not yet
               sp.sin: "sin", sp.cos: "cos", sp.sinh: "sinh", sp.cosh: "cosh"}

# Every node class allowed in a generated formula (besides ELEMENTWISE): arithmetic,
# the unit step at 0, max/min of two arrays, log-sum-exp of two, matrix products, and
# the reductions above.
NODES: set = {
    row_sum, col_sum, col_max, total_sum,
    sp.Symbol, sp.Integer, sp.Rational, sp.Float, sp.NumberSymbol, sp.Add, sp.Mul, sp.Pow,
    sp.Heaviside, sp.Max, sp.Min, logaddexp,
    sp.MatrixSymbol, sp.MatMul, sp.MatAdd, sp.HadamardProduct, sp.Transpose, sp.OneMatrix,
    *ELEMENTWISE,
}


def unsupported_nodes(expr) -> set:
    """The classes of the nodes of ``expr`` that are not in the vocabulary."""
    bad = set()

    def walk(node):
        if not any(isinstance(node, cls) for cls in NODES):
            bad.add(type(node))
        if isinstance(node, (sp.MatrixSymbol, sp.OneMatrix)):
            return  # a name and a shape, not formula nodes
        for arg in node.args:
            walk(arg)

    walk(sp.sympify(expr))
    return bad
