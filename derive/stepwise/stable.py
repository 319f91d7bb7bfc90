"""Overflow-safe forms of a formula, each rewrite an identity, and a test of the result.

A formula as a reader writes it, ``log(1 + e^z)`` or ``1/(1 + e^{-z})``, overflows in
floating point long before its value does. :func:`stable_form` rewrites the patterns
that overflow into forms that cannot, each rewrite an identity of real numbers:

* ``sigma(u)``, and ``1/(1 + e^{-u})`` -> ``exp(-LSE(0, -u))``
* ``softplus(u)``, ``log(1 + e^u)`` -> ``LSE(0, u)``
* ``log(e^p + e^q)`` -> ``LSE(p, q)``; ``log(e^u)`` -> ``u`` (u real)
* ``log(cosh(u))`` -> ``LSE(u, -u) - log 2``; ``sinh(u)/cosh(u)`` -> ``tanh(u)``;
  ``1/cosh(u)^2`` -> ``1 - tanh(u)^2``
* ``e^a e^b`` -> ``e^(a + b)``, whose exponent may stay small where each does not
* a case ``(e, z <= c)`` of a piecewise formula -> ``e`` with ``z`` clamped to the case's
  own side (``min(z, c)``): equal where the case holds, finite where it does not, so
  that evaluating every case (as NumPy's ``where`` does) overflows in none.

with ``LSE(u, v) = log(e^u + e^v)``, NumPy's ``logaddexp``, which never overflows.
:func:`overflow_points` then evaluates the generated NumPy code at large ``|z|`` in
float32 and float64 and names the points where it is not finite although the exact
value (mpmath, 30 digits) is: what the rewrites could not make stable.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import sympy as sp

from ..symbols import logaddexp, sigma, softplus, unfold

__all__ = ["stable_form", "overflow_points", "PROBE_POINTS"]

_EXPAND_LIMIT = 200  # operations: a larger formula is not multiplied out (its size could square)
PROBE_POINTS = (-1000.0, -100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 100.0, 1000.0)


def _stable_sigma(u):
    return sp.exp(-logaddexp(0, -u))


def _is_one_plus_exp(e):
    return (isinstance(e, sp.Add) and len(e.args) == 2 and sp.S.One in e.args
            and any(isinstance(t, sp.exp) for t in e.args))


def _exp_argument(one_plus_exp):
    (power,) = [t for t in one_plus_exp.args if isinstance(t, sp.exp)]
    return power.args[0]


def _rewrite_patterns(expr):
    out = expr.replace(sigma, _stable_sigma)
    out = out.replace(softplus, lambda u: logaddexp(0, u))
    # log(1 + e^u) -> LSE(0, u)
    out = out.replace(lambda e: isinstance(e, sp.log) and _is_one_plus_exp(e.args[0]),
                      lambda e: logaddexp(0, _exp_argument(e.args[0])))
    # (1 + e^u)^(-k) -> exp(-k LSE(0, u)): the sigmoid's shape, and its powers
    out = out.replace(
        lambda e: (isinstance(e, sp.Pow) and _is_one_plus_exp(e.base)
                   and e.exp.is_number and e.exp.is_negative),
        lambda e: sp.exp(e.exp * logaddexp(0, _exp_argument(e.base))))
    # log(e^p + e^q) -> LSE(p, q); log(e^u) -> u (real u: the sigmoid's log, say)
    out = out.replace(lambda e: (isinstance(e, sp.log) and isinstance(e.args[0], sp.Add)
                                 and len(e.args[0].args) == 2
                                 and all(isinstance(t, sp.exp) for t in e.args[0].args)),
                      lambda e: logaddexp(*(t.args[0] for t in e.args[0].args)))
    out = out.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.exp),
                      lambda e: e.args[0].args[0])
    out = out.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.cosh),
                      lambda e: logaddexp(e.args[0].args[0], -e.args[0].args[0]) - sp.log(2))
    # sinh/cosh overflow separately; their ratio and 1/cosh^2 are tanh, which does not
    w = sp.Wild("w")
    out = out.replace(sp.sinh(w) / sp.cosh(w), sp.tanh(w))
    out = out.replace(sp.cosh(w) ** -2, 1 - sp.tanh(w) ** 2)
    # e^a e^b -> e^(a + b): two factors that overflow apart may not together; products
    # of sums are multiplied out first so that each term's exponentials meet
    if sp.count_ops(out) <= _EXPAND_LIMIT:
        out = sp.expand(out, log=False, power_base=False, power_exp=False)
    return sp.powsimp(out, combine="exp")


def _clamped_case(expression, condition):
    """``expression`` with its variable held on the side of ``condition`` (z < c, ...)."""
    if not isinstance(condition, sp.core.relational.Relational):
        return expression
    lhs, rhs = condition.lhs, condition.rhs
    if not (isinstance(lhs, sp.Symbol) and rhs.is_number):
        return expression
    if isinstance(condition, (sp.StrictLessThan, sp.LessThan)):
        return expression.xreplace({lhs: sp.Min(lhs, rhs)})
    if isinstance(condition, (sp.StrictGreaterThan, sp.GreaterThan)):
        return expression.xreplace({lhs: sp.Max(lhs, rhs)})
    return expression


def _clamp_pieces(expr):
    def clamp(*pairs):
        cases = [(_clamped_case(e, c), c) for e, c in pairs]
        return sp.Piecewise(*cases, evaluate=False)

    return expr.replace(sp.Piecewise, clamp)


def stable_form(expr):
    """``expr`` with the overflowing patterns above rewritten (an identity on the reals)."""
    return _clamp_pieces(_rewrite_patterns(expr))


def _numpy_function(expr, v):
    from ..codegen_printer import ArrayPrinter

    class _Printer(ArrayPrinter):
        # Cases are printed as nested numpy.where: every case is evaluated, which
        # stable_form made safe by clamping each case to its own side.
        def _print_Piecewise(self, e):
            out = self._print(e.args[-1][0])
            for value, condition in reversed(e.args[:-1]):
                out = (f"numpy.where({self._print(condition)}, "
                       f"{self._print(value)}, {out})")
            return out

    return sp.lambdify([v], expr, modules="numpy", printer=_Printer)


def overflow_points(expr, v, points=PROBE_POINTS, dtypes=(np.float32, np.float64),
                    strict=False):
    """The (point, dtype) pairs where NumPy gives inf or nan but the exact value is finite.

    The exact value is ``unfold(expr)`` at 30 digits through mpmath; a point where it is
    itself infinite or undefined is the formula's own, not the form's, and is skipped.
    ``strict``: an overflow, an invalid operation or a division by zero on the way
    counts too, even where the result comes out finite (z / (1 + e^{-2z}) at z = -1000:
    a warning in every training step).
    """
    f = _numpy_function(expr, v)
    exact = sp.lambdify([v], unfold(expr), "mpmath")
    bad = []
    for point in points:
        with mpmath.workdps(30):
            try:
                value = exact(mpmath.mpf(point))
                finite = mpmath.isfinite(value) and abs(value) < 1e300
            except (ZeroDivisionError, ValueError, OverflowError, TypeError, MemoryError):
                # exp(exp(exp(1000))) has more digits than memory holds: not finite
                finite = False
        if not finite:
            continue
        for dtype in dtypes:
            errors = (dict(over="raise", invalid="raise", divide="raise", under="ignore")
                      if strict else dict(all="ignore"))
            with warnings.catch_warnings(), np.errstate(**errors):
                warnings.simplefilter("ignore")
                try:
                    got = np.asarray(f(np.asarray([point], dtype=dtype)))
                except FloatingPointError:
                    got = np.asarray([np.nan])
            exact_fits = abs(float(value)) <= float(np.finfo(dtype).max)
            if exact_fits and not np.all(np.isfinite(got)):
                bad.append((point, np.dtype(dtype).name))
    return bad
