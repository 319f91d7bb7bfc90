"""Each displayed step of a derivation is a true equality: ``= rhs`` lines agree.

A derivation's steps are for reading; this checks that every step written as a
continuation (``lhs=None``) equals the line above it, numerically at 30 digits, where
both lines can be evaluated (definitions inserted, display names unfolded).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.symbols import unfold

__all__ = ["displayed_step_gaps"]


def _evaluable(expr, d):
    """``expr`` with the definitions of ``d`` inserted and display names unfolded.

    None where it holds a part that can only be read: a sum of symbolic length, an
    undefined function, the derivative of a quantity that has no formula here.
    """
    symbol_definitions = {eq.lhs: eq.rhs for eq in d.definition if eq.lhs.is_Symbol}
    # d(symbol)/dx stands for the derivative of a quantity defined elsewhere: SymPy
    # would evaluate it to 0, so such a step can only be read, not evaluated.
    if any(e.expr.is_Symbol and e.expr not in symbol_definitions
           for e in expr.atoms(sp.Derivative)):
        return None
    try:
        for _ in range(2):  # definitions may refer to one another (C to a, a to z)
            expr = expr.subs(symbol_definitions)
        expr = unfold(expr).doit()
    except ValueError:  # d/da once a is replaced by sigma(z): to be read, not evaluated
        return None
    if expr.has(sp.Sum, sp.Derivative) or expr.atoms(sp.core.function.AppliedUndef):
        return None
    return expr


def _continued_steps(d):
    """Pairs (previous rhs, rhs) for every step written as '= rhs' under the previous."""
    previous = None
    for step in d.steps:
        if step.lhs is None and previous is not None:
            yield previous, step.rhs
        previous = step.rhs


def displayed_step_gaps(d, points: int = 5, seed: int = 0, tolerance: float = 1e-20) -> list:
    """``[(before, after, gap)]`` for continued steps of ``d`` that differ at a point.

    Symbols are drawn from (0.1, 0.9), where every expression of the notes is defined.
    """
    rng = np.random.default_rng(seed)
    gaps = []
    for before, after in _continued_steps(d):
        left, right = _evaluable(before, d), _evaluable(after, d)
        if left is None or right is None:
            continue
        for _ in range(points):
            values = {s: sp.Float(rng.uniform(0.1, 0.9), 30)
                      for s in left.free_symbols | right.free_symbols}
            gap = abs(sp.N((left - right).subs(values), 30))
            if gap >= tolerance:
                gaps.append((before, after, float(gap)))
                break
    return gaps
