"""LaTeX for SymPy expressions in the notation of a course handout.

SymPy's default printer writes ``\\theta\\left(z\\right)`` for ``Heaviside(z)``, a
``\\begin{cases}`` block for indicator functions, ``\\operatorname{logaddexp}``,
``\\frac{d}{dz} \\sigma(z)``, ``-y + \\sigma(z)`` and ``(1 - \\sigma(z)) \\sigma(z)``.
This printer writes what a textbook would: ``\\mathbf{1}[z > 0]``, ``\\sigma'(z)``,
``\\operatorname{LSE}(p, q)`` (log-sum-exp), ``\\sigma(z) - y`` and
``\\sigma(z)(1 - \\sigma(z))``.

Ordering rules (they only change the order in which terms and factors are written):

* a sum does not start with a minus sign when it has a positive term
  (``a - y``, not ``-y + a``), except for a polynomial in one variable, which keeps
  its descending powers;
* in a product, numbers come first, then Greek-letter constants and expressions made of
  them (``\\alpha``, ``(1 - \\beta)``), then names (symbols, entries, display functions
  such as ``\\sigma(z)``), then everything else in SymPy's order; sums and integrals
  come last, so that nothing after them reads as part of their body;
* a product or sum built with ``evaluate=False`` is written in the order it was built:
  that is how a derivation states the form it wants to show.
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

__all__ = ["to_latex", "latex_text", "scientific", "HandoutPrinter", "as_written"]

_FUNCTION_NAMES = {
    "sigma": r"\sigma",
    "ReLU": r"\operatorname{ReLU}",
    "LeakyReLU": r"\operatorname{LeakyReLU}",
    "softplus": r"\operatorname{softplus}",
}

# Display names of functions written with square brackets, as a textbook does: E[X].
_BRACKET_FUNCTIONS = (r"\mathbb{E}",)

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon",
    "phi", "varphi", "chi", "psi", "omega",
}


def _is_greek_symbol(expr) -> bool:
    if not isinstance(expr, sp.Symbol):
        return False
    name = expr.name.lstrip("\\")
    for sep in ("_", "^", "{"):
        name = name.split(sep)[0]
    return name in _GREEK and not expr.name.startswith(("d", "D"))


def _is_constant_like(expr) -> bool:
    """A hyperparameter or an expression of hyperparameters only: alpha, (1 - beta), ..."""
    if _is_greek_symbol(expr):
        return True
    if isinstance(expr, sp.Pow):
        return _is_greek_symbol(expr.base) or _is_constant_like(expr.base)
    if isinstance(expr, sp.Add):
        return bool(expr.free_symbols) and all(_is_greek_symbol(s) for s in expr.free_symbols)
    return False


def _is_name_like(expr) -> bool:
    """Printed like a name: a symbol, an indexed entry, a display function."""
    if isinstance(expr, sp.Pow) and expr.exp.is_Number and expr.exp > 0:
        return _is_name_like(expr.base)
    if isinstance(expr, (sp.Symbol, sp.Indexed)):
        return True
    if isinstance(expr, AppliedUndef):
        return True
    # Project display functions (softmax outputs p_k, ...) print through _latex.
    return isinstance(expr, sp.Function) and hasattr(type(expr), "_latex")


def _factor_class(expr) -> int:
    if expr.is_Number:
        return 0
    if _is_constant_like(expr):
        return 1
    if _is_name_like(expr):
        return 2
    if expr.has(sp.Sum, sp.Integral, sp.Product):
        return 4
    return 3


# Sums and products whose terms are to be printed in the order they were built.
_AS_WRITTEN: set = set()


def as_written(expr):
    """Mark a sum or product built with ``evaluate=False`` to print in its own order.

    A product or sum whose order differs from SymPy's canonical one is recognised
    without this; the mark is needed where the two orders happen to agree but the
    printing order (lexicographic for sums) would differ. Returns ``expr``.
    """
    _AS_WRITTEN.add(expr)
    return expr


def _is_unevaluated(expr) -> bool:
    """True for an Add or Mul built with ``evaluate=False`` (not in canonical form)."""
    if expr in _AS_WRITTEN:
        return True
    try:
        rebuilt = type(expr)(*expr.args)
    except Exception:  # noqa: BLE001 - anything odd: treat as canonical
        return False
    return rebuilt.args != expr.args or rebuilt.func is not expr.func


# A function named by a word (swish, gelu_tanh, a user's mish or log_cosh): upright, as
# an operator name, with its underscores printed, in g(z) and in g'(z) alike. A one-letter
# name with a subscript (f_z) keeps SymPy's subscript.
_WORD_NAME = re.compile(r"[a-z][a-z0-9]+(_[a-z0-9]+)*\Z")


def _display_name(name: str) -> str | None:
    """The LaTeX name of a display function, or None to leave it to SymPy."""
    if name in _FUNCTION_NAMES:
        return _FUNCTION_NAMES[name]
    if _WORD_NAME.match(name):
        return r"\operatorname{%s}" % name.replace("_", r"\_")
    return None


# A rational whose decimal expansion ends, with a denominator from 1000 up, prints as
# that decimal: 0.044715, as the definition writes it, not 8943/200000. Small
# denominators keep their fractions (1/2, 9/4, 319/400), as a textbook writes them.
_DECIMAL_FROM = 1000
_DECIMAL_DIGITS = 20


def _decimal(r) -> str | None:
    """``r`` (a positive sympy Rational) as an exact decimal, or None."""
    q = int(r.q)
    if q < _DECIMAL_FROM:
        return None
    twos = fives = 0
    while q % 2 == 0:
        q //= 2
        twos += 1
    while q % 5 == 0:
        q //= 5
        fives += 1
    if q != 1:
        return None
    places = max(twos, fives)
    scaled = int(r.p) * 10**places // int(r.q)  # exact: 10^places is a multiple of q
    whole, frac = divmod(abs(scaled), 10**places)
    text = f"{'-' if scaled < 0 else ''}{whole}.{frac:0{places}d}"
    return text if len(text) <= _DECIMAL_DIGITS else None


def _prime_name(name: str, order: int) -> str:
    primes = r"\prime" * order
    # g^{[l]} -> g^{[l]\prime}: a second superscript would be a LaTeX error.
    if name.endswith("}") and "^{" in name:
        return name[:-1] + primes + "}"
    return name + "^{" + primes + "}" if order > 1 else name + "'"


class HandoutPrinter(LatexPrinter):
    """A LatexPrinter with the notes' names and a textbook's ordering."""

    # ---------------------------------------------------------------- functions

    def _print_Heaviside(self, expr, exp=None):
        x = expr.args[0]
        # Heaviside(z, 0) is 0 at z = 0: the indicator of z > 0. Heaviside(z, 1) is
        # the indicator of z >= 0. Bare Heaviside(z) is 1/2 at 0: name it H.
        # Of a negated argument, the indicator of the other side: 1[z < 0], not 1[-z > 0].
        flip = x.could_extract_minus_sign()
        side = self._print(-x if flip else x)
        if len(expr.args) == 2 and expr.args[1] == 0:
            tex = r"\mathbf{1}[%s %s 0]" % (side, "<" if flip else ">")
        elif len(expr.args) == 2 and expr.args[1] == 1:
            tex = r"\mathbf{1}[%s %s 0]" % (side, r"\leq" if flip else r"\geq")
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
        # log-sum-exp, LSE(p, q) = log(e^p + e^q): NumPy's logaddexp.
        p, q = expr.args
        tex = r"\operatorname{LSE}\left(%s, %s\right)" % (self._print(p), self._print(q))
        return tex if exp is None else r"\operatorname{LSE}^{%s}\left(%s, %s\right)" % (
            exp, self._print(p), self._print(q))

    def _print_log(self, expr, exp=None):
        arg = expr.args[0]
        if _is_name_like(arg) and not isinstance(arg, sp.Pow):
            tex = r"\log %s" % self._print(arg)
            return tex if exp is None else r"\log^{%s} %s" % (exp, self._print(arg))
        return super()._print_log(expr, exp)

    def _print_Function(self, expr, exp=None):
        name = type(expr).__name__
        shown = _display_name(name) if (name in _FUNCTION_NAMES
                                        or isinstance(expr, AppliedUndef)) else None
        if shown is not None:
            args = ", ".join(self._print(a) for a in expr.args)
            # Plain brackets hug the name, as in print: sigma(z); tall arguments get
            # brackets that grow with them.
            tall = any(t in args for t in (r"\frac", r"\sum", r"\left"))
            left, right = (r"\left(", r"\right)") if tall else ("(", ")")
            tex = r"%s%s%s%s" % (shown, left, args, right)
            return tex if exp is None else r"%s^{%s}%s%s%s" % (shown, exp, left, args, right)
        if name in _BRACKET_FUNCTIONS:
            args = ", ".join(self._print(a) for a in expr.args)
            tex = r"%s\left[%s\right]" % (name, args)
            return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)
        return super()._print_Function(expr, exp)

    def _function_name(self, func) -> str:
        name = func.__name__
        shown = _display_name(name)
        if shown is not None:
            return shown
        return self._deal_with_super_sub(name) if "\\" not in name and "^" not in name else name

    # ---------------------------------------------------------------- derivatives

    def _print_Derivative(self, expr):
        f, variables = expr.expr, expr.variable_count
        # f'(x), f''(x) for a named function of one variable, differentiated in it.
        if (isinstance(f, AppliedUndef) and len(f.args) == 1 and len(variables) == 1
                and variables[0][0] == f.args[0] and variables[0][1] in (1, 2)):
            name = _prime_name(self._function_name(f.func), int(variables[0][1]))
            return r"%s\left(%s\right)" % (name, self._print(f.args[0]))
        # dJ/dv for a quantity named by a symbol; partial where the variable is one
        # entry of a matrix or vector (it is one of many variables).
        if isinstance(f, (sp.Symbol, sp.Indexed)) and len(variables) == 1 and variables[0][1] == 1:
            x = variables[0][0]
            # One entry of a vector or matrix (an index, or a subscripted name) is one
            # of many variables: a partial derivative.
            many = (isinstance(x, sp.Indexed) or isinstance(f, sp.Indexed)
                    or (isinstance(x, sp.Symbol) and "_" in x.name))
            d = r"\partial" if many else "d"
            return r"\frac{%s %s}{%s %s}" % (d, self._print(f), d, self._print(x))
        return super()._print_Derivative(expr)

    def _print_Pow(self, expr):
        # (d\theta)^2, not d\theta^2 (which reads as d of theta squared).
        base = expr.base
        if (isinstance(base, sp.Symbol) and base.name.startswith("d\\")
                and expr.exp.is_Integer and expr.exp > 1):
            return r"\left(%s\right)^{%s}" % (self._print(base), self._print(expr.exp))
        # (W^{[l]}_{j,k})^2: an entry that already carries a superscript is bracketed
        # before it is raised to a power.
        if isinstance(base, sp.Indexed) and expr.exp.is_Integer and expr.exp > 1:
            printed = self._print(base)
            if "^" in printed:
                return r"\left(%s\right)^{%s}" % (printed, self._print(expr.exp))
        return super()._print_Pow(expr)

    # ---------------------------------------------------------------- sums

    def _print_Sum(self, expr):
        # One summation sign per index, outermost first: a textbook's sum_i sum_j.
        tex = "".join(r"\sum_{%s=%s}^{%s} " % tuple(self._print(i) for i in limit)
                      for limit in reversed(expr.limits))
        if isinstance(expr.function, sp.Add):
            return tex + r"\left(%s\right)" % self._print(expr.function)
        return tex + self._print(expr.function)

    def _print_Indexed(self, expr):
        base = self._print(expr.base)
        if "_" in base:
            base = "{" + base + "}"
        tex = base + "_{%s}" % ",".join(map(self._print, expr.indices))
        # A group, so that a power of the entry is not a second superscript.
        return "{" + tex + "}" if "^" in base else tex

    # ---------------------------------------------------------------- sums of terms

    def _print_Add(self, expr, order=None):
        if _is_unevaluated(expr):
            terms = list(expr.args)
        else:
            terms = self._as_ordered_terms(expr, order=order)
            terms = self._rotate_leading_negatives(expr, terms)
        tex = ""
        for i, term in enumerate(terms):
            if i == 0:
                pass
            elif term.could_extract_minus_sign():
                tex += " - "
                term = -term
            else:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = r"\left(%s\right)" % term_tex
            tex += term_tex
        return tex

    @staticmethod
    def _rotate_leading_negatives(expr, terms):
        if not terms or not terms[0].could_extract_minus_sign():
            return terms
        free = expr.free_symbols
        if len(free) == 1 and expr.is_polynomial(*free) and sp.degree(expr, *free) > 1:
            return terms  # a polynomial keeps its descending powers
        first_positive = next((k for k, t in enumerate(terms)
                               if not t.could_extract_minus_sign()), None)
        if first_positive is None:
            return terms
        return terms[first_positive:] + terms[:first_positive]

    # ---------------------------------------------------------------- products

    def _join_factors(self, factors, dots=False) -> str:
        if len(factors) == 1:  # a whole numerator or denominator: no brackets needed
            return self._print(factors[0])
        tex = ""
        for k, factor in enumerate(factors):
            term = self._print(factor)
            if self._needs_mul_brackets(factor, first=(k == 0), last=(k == len(factors) - 1)):
                term = r"\left(%s\right)" % term
            if tex:
                # 9 \cdot 1[z > 0], not 9 1[z > 0] (read as 91)
                if dots or (factors[k - 1].is_Number
                            and (factor.is_Number or term.startswith(r"\mathbf{1}"))):
                    tex += r" \cdot "
                else:
                    tex += " "
            tex += term
        return tex

    def _ordered(self, factors):
        return sorted(factors, key=_factor_class)  # stable: SymPy's order within a class

    def _print_Rational(self, expr):
        shown = _decimal(expr)
        return shown if shown is not None else super()._print_Rational(expr)

    def _print_Mul(self, expr):
        if not isinstance(expr, sp.Mul):
            return super()._print_Mul(expr)
        args = list(expr.args)
        coefficient, rest = expr.as_coeff_Mul()
        if (coefficient.is_Rational and coefficient > 0 and _decimal(coefficient) is not None
                and not _is_unevaluated(expr)):
            # 0.035677 z^3, not 35677 z^3 / 1000000: the decimal stays a factor in front
            body = self._print(rest)
            if rest.is_Add:
                body = r"\left(%s\right)" % body
            return f"{_decimal(coefficient)} {body}"
        if _is_unevaluated(expr):
            numer, denom = sp.fraction(expr, exact=True)
            leading_reciprocal = (isinstance(args[0], sp.Pow) and args[0].exp == -1)
            # a decimal factor (0.044715 d/dz z^3) is written as a factor, not split
            decimal = any(a.is_Rational and _decimal(abs(a)) is not None for a in args)
            if denom != 1 and not leading_reciprocal and not decimal:
                return r"\frac{%s}{%s}" % (self._print(numer) if numer != 1 else "1",
                                           self._print(denom))
            # Written as built. Several numbers (3 * 1 * c, from a chain rule) are
            # separated by dots, so that 1 c does not read as 1c.
            numbers = sum(1 for a in args if a.is_Number)
            if args[0] == -1 and numbers == 1:
                rest = args[1:]
                body = self._join_factors(rest)
                if len(rest) == 1 and rest[0].is_Add:
                    return r"- \left(%s\right)" % body
                return "- " + body
            return self._join_factors(args, dots=numbers > 1)
        if expr.could_extract_minus_sign():
            positive = -expr
            body = self._print(positive)
            if positive.is_Add:
                return r"- \left(%s\right)" % body
            return "- " + body
        numer, denom = sp.fraction(expr, exact=True)
        numer_factors = self._ordered(sp.Mul.make_args(numer))
        if denom == 1:
            return self._join_factors(numer_factors)
        denom_factors = self._ordered(sp.Mul.make_args(denom))
        denom_tex = self._join_factors(denom_factors)
        sums = [f for f in numer_factors if _factor_class(f) == 4]
        if sums and (denom.is_Symbol or denom.is_Number or
                     (denom.is_Mul and all(f.is_Symbol or f.is_Number for f in denom.args))):
            # (1/m) sum_i ..., not a fraction with a sum on top.
            coefficient = [f for f in numer_factors if _factor_class(f) != 4]
            top = self._join_factors(coefficient) if coefficient else "1"
            return r"\frac{%s}{%s} %s" % (top, denom_tex, self._join_factors(sums))
        classes = {_factor_class(f) for f in numer_factors}
        if (classes == {1, 2} or classes == {0, 1, 2}) and (denom.is_Symbol or denom.is_Number):
            # (lambda / m) W, as the notes write a scaled quantity.
            constants = [f for f in numer_factors if _factor_class(f) < 2]
            names = [f for f in numer_factors if _factor_class(f) == 2]
            return r"\frac{%s}{%s} %s" % (self._join_factors(constants), denom_tex,
                                          self._join_factors(names))
        numer_tex = self._join_factors(numer_factors) if numer != 1 else "1"
        return r"\frac{%s}{%s}" % (numer_tex, denom_tex)

    # ---------------------------------------------------------------- matrices

    def _print_OneMatrix(self, expr):
        return r"\mathbf{1}_{%s \times %s}" % (self._print(expr.rows), self._print(expr.cols))

    def _print_HadamardProduct(self, expr):
        return r" \odot ".join(self.parenthesize(a, 60) for a in expr.args)


def to_latex(expr, **settings) -> str:
    """LaTeX of ``expr`` (any SymPy object, or a plain number/string) for the report."""
    if isinstance(expr, str):
        return expr
    settings.setdefault("mul_symbol", None)
    # strict: a number or a matrix, never text (sympify would evaluate a string)
    return HandoutPrinter(settings).doprint(sp.sympify(expr, strict=True)
                                            if not isinstance(expr, sp.Basic) else expr)


_TEXT_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                 "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}"}


def latex_text(text: str) -> str:
    """Escape plain text (a heading, an error message, a name) for LaTeX text mode."""
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in text)


def scientific(x: float) -> str:
    """A relative error in math mode, two digits: ``3.5 \\times 10^{-31}``, or ``0``."""
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"
