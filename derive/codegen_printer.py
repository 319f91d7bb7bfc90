"""The NumPy printer behind ``python -m derive codegen``, and the array-level nodes.

SymPy's NumPyPrinter writes ``(A).dot(B).dot(m**(-1.0))`` for ``A B / m``, prints
``Heaviside`` as ``select`` (integers out, every branch evaluated) and ``Max`` as a
reduction over a stacked tuple. This printer writes ``(1/m) * (A @ B)``,
``numpy.heaviside(z, 0)`` and ``numpy.maximum(p, q)``: float32 in stays float32 out,
and nothing is evaluated on a branch that is not taken.

The nodes (:class:`row_sum`, :class:`col_sum`, :class:`col_max`, :class:`total_sum`) are
reductions over an array axis. SymPy treats them as opaque functions; the printer
turns them into ``numpy.sum(x, axis=..., keepdims=True)``.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE, precedence

from .codegen_nodes import col_max, col_sum, row_sum, total_sum

__all__ = ["ArrayPrinter", "FormulaPrinter", "row_sum", "col_sum", "col_max", "total_sum"]


def _number_and_array(expr):
    """``(c, u)`` of ``logaddexp(c, u)`` (either order) where c is a finite real number,
    else ``(None, None)``: the vectorized form needs one finite argument (with two
    equal infinities |u - c| is NaN, where logaddexp gives the infinity)."""
    p, q = expr.args
    for c, u in ((p, q), (q, p)):
        if c.is_number and c.is_finite and c.is_real:
            return c, u
    return None, None


class ArrayPrinter(NumPyPrinter):
    """NumPyPrinter with ``@``, safe elementwise functions and the reductions above."""

    def __init__(self, settings=None):
        base = {"fully_qualified_modules": True, "inline": True,
                "allow_unknown_functions": False, "user_functions": {}}
        base.update(settings or {})
        super().__init__(base)

    def _print_Heaviside(self, expr):
        if len(expr.args) != 2:
            raise ValueError("Heaviside without its value at 0 is ambiguous; "
                             "derive Heaviside(z, 0) or Heaviside(z, 1)")
        return "numpy.heaviside(%s, %s)" % (self._print(expr.args[0]), self._print(expr.args[1]))

    def _print_Max(self, expr):
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = "numpy.maximum(%s, %s)" % (out, a)
        return out

    def _print_Min(self, expr):
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = "numpy.minimum(%s, %s)" % (out, a)
        return out

    def _print_Piecewise(self, expr):
        raise ValueError(
            "Piecewise would be printed as numpy.select, which evaluates every branch "
            f"(overflow on the branch not taken): derive a branch-free form of {expr}")

    def _print_logaddexp(self, expr):
        # LSE(c, u) with c a number: NumPy's own algorithm, max(u, c) + log1p(e^-|u - c|),
        # with the vectorized exp and log1p ufuncs; numpy.logaddexp runs the same two
        # steps through scalar libm calls, ~8x slower (a sigmoid network's step was half
        # logaddexp). The in-place back-end emits the same operations, so both agree bit
        # for bit. (u is printed twice: here it is a symbol or its negative.)
        c, u = _number_and_array(expr)
        if c is None:
            return "numpy.logaddexp(%s, %s)" % tuple(self._print(a) for a in expr.args)
        cs, us = self._print(c), self._print(u)
        diff = us if c == 0 else "%s - %s" % (self.parenthesize(u, PRECEDENCE["Add"]), cs)
        return "(numpy.maximum(%s, %s) + numpy.log1p(numpy.exp(-numpy.absolute(%s))))" % (
            us, cs, diff)

    def _print_Transpose(self, expr):
        return "%s.T" % self.parenthesize(expr.arg, PRECEDENCE["Atom"])

    def _print_Pow(self, expr, rational=False):
        # 1/m rather than NumPyPrinter's m**(-1.0).
        if expr.exp == -1:
            return "1/%s" % self.parenthesize(expr.base, PRECEDENCE["Pow"])
        return super()._print_Pow(expr, rational=rational)

    def _print_HadamardProduct(self, expr):
        return " * ".join(self.parenthesize(a, 50) for a in expr.args)

    def _print_MatMul(self, expr):
        coeff, factors = expr.as_coeff_matrices()
        factors = list(factors)
        tail = ""
        # X @ ones(m, 1) sums the columns of X; b @ ones(1, m) broadcasts a column b
        # over m columns, which NumPy does by itself.
        if factors and isinstance(factors[-1], sp.OneMatrix):
            ones = factors.pop()
            if ones.shape[1] == 1:
                tail = "sum"
            elif ones.shape[0] != 1:
                raise ValueError(f"cannot print a product with {ones}")
        body = " @ ".join(self.parenthesize(f, precedence(expr)) for f in factors)
        if tail == "sum":
            body = "numpy.sum(%s, axis=1, keepdims=True)" % body
        if coeff == 1:
            return body
        return "%s*(%s)" % (self.parenthesize(coeff, PRECEDENCE["Mul"]), body)

    def _print_MatAdd(self, expr):
        return " + ".join(self._print(a) for a in expr.args)

    def _print_MatrixSymbol(self, expr):
        return expr.name


class FormulaPrinter(ArrayPrinter):
    """The printer of the formulas in the generated docstrings: log-sum-exp stays
    ``logaddexp(c, u)`` there (the form the derivation states), not its evaluation, and
    a total is ``sum(x)``."""

    readable = True

    def _print_logaddexp(self, expr):
        return "numpy.logaddexp(%s, %s)" % tuple(self._print(a) for a in expr.args)
