"""Rewrites that turn a derived formula into one NumPy evaluates safely, each an identity.

* ``Piecewise((f, v > c), (g, True))`` -> ``H(v - c) f(max(v, c)) + (1 - H(v - c)) g(min(v, c))``,
  with the unit step H(0) = 0. NumPy evaluates both terms; clamping the variable into
  each case's own half-line means a case is never evaluated where it does not hold (no
  ``exp`` of a large number on the branch not taken), and on its own half-line the
  clamp changes nothing, so the two forms are equal everywhere.
* ``softplus(u)`` -> ``logaddexp(0, u)`` (the definition of log-sum-exp, no overflow).

The sigmoid is replaced by codegen with the result of the ``sigmoid_stable`` derivation;
each rewrite here is proved (symbolic reduction and a 30-digit spot check) where it is
used (:mod:`derive.catalog._build`).
"""

from __future__ import annotations

import sympy as sp
from sympy.codegen.numpy_nodes import logaddexp

from ..symbols import softplus

__all__ = ["branch_free", "with_logaddexp"]


def _two_cases(pw, v):
    """``(step, f, g, v_f, v_g)`` for ``Piecewise((f, cond), (g, True))`` with a strict
    ``cond`` between ``v`` and a constant c: the unit step that is 1 where ``cond`` holds,
    and the clamped ``v`` for each case; None for any other Piecewise."""
    if len(pw.args) != 2 or pw.args[1][1] is not sp.true:
        return None
    (f, cond), (g, _) = pw.args
    if isinstance(cond, sp.core.relational.Relational) and not cond.lhs == v:
        from ..stepwise.rules import solved
        cond = solved(cond, v)   # a - y > 0 as a > y
    if isinstance(cond, (sp.GreaterThan, sp.LessThan)):
        # (f, v >= c), (g, otherwise) is (g, v < c), (f, otherwise): the strict shape
        strict = sp.StrictLessThan if isinstance(cond, sp.GreaterThan) else sp.StrictGreaterThan
        return _two_cases(sp.Piecewise((g, strict(cond.lhs, cond.rhs)), (f, True),
                                       evaluate=False), v)
    if isinstance(cond, sp.StrictGreaterThan):
        big, small = cond.lhs, cond.rhs
    elif isinstance(cond, sp.StrictLessThan):
        big, small = cond.rhs, cond.lhs
    else:
        return None  # v >= c would need H(0) = 1; no catalog entry needs it
    step = sp.Heaviside(big - small, 0)
    if big == v and not small.has(v):
        return step, f, g, sp.Max(v, small), sp.Min(v, small)
    if small == v and not big.has(v):
        return step, f, g, sp.Min(v, big), sp.Max(v, big)
    return None


def branch_free(expr, v):
    """``expr`` with each two-case Piecewise in ``v`` written without branches (see above);
    unchanged where there is none. ValueError for a Piecewise of another shape."""
    def lower(pw):
        if len(pw.args) > 2 and pw.args[-1][1] is sp.true:
            # (f1, c1), (f2, c2), ..., (fn, True) as (f1, c1), ((f2, c2), ..., True)
            rest = lower(sp.Piecewise(*pw.args[1:], evaluate=False))
            pw = sp.Piecewise(pw.args[0], (rest, True), evaluate=False)
        cases = _two_cases(pw, v)
        if cases is None:
            raise ValueError(f"no branch-free form for {pw}: the catalog's lowering handles "
                             f"Piecewise((f, {v} > c), (g, True)); give the entry a numeric form")
        step, f, g, v_f, v_g = cases
        return step * f.xreplace({v: v_f}) + (1 - step) * g.xreplace({v: v_g})

    return expr.replace(lambda e: isinstance(e, sp.Piecewise) and e.has(v), lower)


def with_logaddexp(expr):
    """``softplus(u)`` written as ``logaddexp(0, u)``."""
    return expr.replace(softplus, lambda u: logaddexp(0, u))
