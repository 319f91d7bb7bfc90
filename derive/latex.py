"""LaTeX for SymPy expressions in the notation of a course handout.

SymPy's default printer writes ``\\theta\\left(z\\right)`` for ``Heaviside(z)``, a
``\\begin{cases}`` block for indicator functions, and ``\\operatorname{logaddexp}``.
This printer writes what a textbook would: ``\\mathbf{1}[z > 0]``, ``\\sigma(z)``,
``\\log(e^{p} + e^{q})``.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["to_latex", "HandoutPrinter"]

_FUNCTION_NAMES = {
    "sigma": r"\sigma",
    "ReLU": r"\operatorname{ReLU}",
    "LeakyReLU": r"\operatorname{LeakyReLU}",
    "softplus": r"\operatorname{softplus}",
}


class HandoutPrinter(LatexPrinter):
    """A LatexPrinter with the notes' names for the project's functions."""

    def _print_Heaviside(self, expr, exp=None):
        x = expr.args[0]
        # Heaviside(z, 0) is 0 at z = 0: the indicator of z > 0. Heaviside(z, 1) is
        # the indicator of z >= 0. Bare Heaviside(z) is 1/2 at 0: name it H.
        if len(expr.args) == 2 and expr.args[1] == 0:
            tex = r"\mathbf{1}[%s > 0]" % self._print(x)
        elif len(expr.args) == 2 and expr.args[1] == 1:
            tex = r"\mathbf{1}[%s \geq 0]" % self._print(x)
        else:
            tex = r"H(%s)" % self._print(x)
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)

    def _print_Piecewise(self, expr):
        # (1, cond), (0, True) is an indicator; print it as one.
        if len(expr.args) == 2 and expr.args[1].cond == sp.true:
            (value, cond), (other, _) = expr.args
            if value == 1 and other == 0:
                return r"\mathbf{1}[%s]" % self._print(cond)
        return super()._print_Piecewise(expr)

    def _print_logaddexp(self, expr, exp=None):
        p, q = expr.args
        tex = r"\log\left(e^{%s} + e^{%s}\right)" % (self._print(p), self._print(q))
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)

    def _print_Function(self, expr, exp=None):
        name = type(expr).__name__
        if name in _FUNCTION_NAMES:
            args = ", ".join(self._print(a) for a in expr.args)
            tex = r"%s\left(%s\right)" % (_FUNCTION_NAMES[name], args)
            return tex if exp is None else r"%s^{%s}\left(%s\right)" % (
                _FUNCTION_NAMES[name], exp, args)
        return super()._print_Function(expr, exp)

    def _print_OneMatrix(self, expr):
        return r"\mathbf{1}_{%s \times %s}" % (self._print(expr.rows), self._print(expr.cols))

    def _print_HadamardProduct(self, expr):
        return r" \odot ".join(self.parenthesize(a, 60) for a in expr.args)


def to_latex(expr, **settings) -> str:
    """LaTeX of ``expr`` (any SymPy object, or a plain number/string) for the report."""
    if isinstance(expr, str):
        return expr
    settings.setdefault("mul_symbol", None)
    return HandoutPrinter(settings).doprint(sp.sympify(expr) if not isinstance(expr, sp.Basic) else expr)
