"""A SymPy expression's real value at a point, with mpmath, in bounded time.

``sp.N(expr.subs(point))`` can take unbounded time or raise ``OverflowError``
(``exp(exp(exp(1000)))``), and it answers complex values where a formula of real
numbers is undefined. :func:`real_value` walks the tree itself, over a fixed list of
node types, at a given number of digits:

* a value that is not a real number (``log`` of a negative number, ``sqrt`` of a
  negative number, a non-integer power of a negative number, a division by 0, a pole)
  is ``None``: the point is outside the formula's real domain;
* a value too large to compute (an ``exp`` of more than :data:`MAX_EXP_ARG`, a
  trigonometric function of more than :data:`MAX_TRIG_ARG`) raises :class:`TooLarge`;
* a node it does not know raises :class:`Unsupported`, naming it.

:func:`kink_arguments` lists where a formula is not smooth (the arguments of
``Heaviside``, ``sign``, ``Abs``, the differences inside ``Max``/``Min``, the two sides
of ``Piecewise`` conditions), so that a checker can avoid judging a claim by the
convention a library uses at a kink.
"""

from __future__ import annotations

import itertools
from typing import Mapping

import mpmath
import sympy as sp

__all__ = ["real_value", "interval_value", "PointValues", "bounds", "kink_arguments", "TooLarge",
           "Unsupported", "MAX_EXP_ARG", "MAX_TRIG_ARG"]

MAX_EXP_ARG = 10**7      # exp(1e7) ~ 1e4342944 is still a number; exp(exp(1000)) is not
MAX_TRIG_ARG = 10**100   # mpmath reduces sin(1e100) with 100 extra digits; 1e10000 is too far
MAX_POWER_DIGITS = 10**7  # |b**x| up to 10**(1e7), as for exp


class TooLarge(ArithmeticError):
    """A value too large to compute (its size is the problem, not the formula)."""


class Unsupported(ValueError):
    """A node this evaluator does not know."""


def _real(x):
    # mpmath returns mpc for some real inputs (e.g. asin(2)): that is "not real".
    if isinstance(x, mpmath.mpc):
        return None if x.imag != 0 else mpmath.mpf(x.real)
    if not mpmath.isfinite(x):
        return None
    return x


def _relation(rel, ev):
    if rel is sp.true:
        return True
    if rel is sp.false:
        return False
    if isinstance(rel, sp.And):
        parts = [_relation(a, ev) for a in rel.args]
        return None if None in parts else all(parts)
    if isinstance(rel, sp.Or):
        parts = [_relation(a, ev) for a in rel.args]
        return True if True in parts else (None if None in parts else False)
    if isinstance(rel, sp.Not):
        inner = _relation(rel.args[0], ev)
        return None if inner is None else not inner
    if isinstance(rel, sp.ITE):               # nested Piecewise conditions
        test = _relation(rel.args[0], ev)
        return None if test is None else _relation(rel.args[1 if test else 2], ev)
    if isinstance(rel, sp.core.relational.Relational):
        a, b = ev(rel.lhs), ev(rel.rhs)
        if a is None or b is None:
            return None
        op = rel.rel_op
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
                "==": a == b, "!=": a != b}[op]
    raise Unsupported(f"condition {type(rel).__name__}")


_UNARY = {
    sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan,
    sp.atan: mpmath.atan, sp.asin: mpmath.asin, sp.acos: mpmath.acos,
    sp.tanh: mpmath.tanh, sp.erf: mpmath.erf, sp.erfc: mpmath.erfc,
    sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh,
}
_TRIG = {sp.sin, sp.cos, sp.tan}
_HYPERBOLIC = {sp.sinh, sp.cosh}


def real_value(expr: sp.Basic, point: Mapping, digits: int = 30):
    """The value of ``expr`` at ``point`` (symbol -> number) as an ``mpmath.mpf``.

    ``None`` where it is not a real number; raises :class:`TooLarge` or
    :class:`Unsupported`. Shared subexpressions are evaluated once.
    """
    _check_arguments(expr, point, digits)
    return PointValues(point).real(expr, digits)


def _check_arguments(expr, point, digits) -> None:
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"expr is a SymPy expression, not {type(expr).__name__}")
    if not isinstance(point, Mapping):
        raise TypeError("point is a dict: symbol -> number")
    for s, v in point.items():
        if not isinstance(s, sp.Symbol):
            raise TypeError(f"point keys are SymPy symbols, not {type(s).__name__}")
        if isinstance(v, bool) or not (isinstance(v, (int, float)) or
                                       isinstance(v, sp.Basic) and v.is_Number):
            raise TypeError(f"point values are numbers, not {type(v).__name__}")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 5 <= digits <= 2000:
        raise ValueError("digits is an integer from 5 to 2000")


def _ev(e, values, memo):
    try:
        return memo[e]
    except KeyError:
        pass
    except TypeError:              # unhashable: a plain Python number
        return mpmath.mpf(e)
    out = _compute(e, values, memo)
    memo[e] = out
    return out


def _compute(e, values, memo):
    ev = lambda x: _ev(x, values, memo)  # noqa: E731
    if isinstance(e, sp.Symbol):
        if e not in values:
            raise Unsupported(f"no value for {e}")
        return values[e]
    if e.is_Integer:
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e.is_Float:
        return mpmath.mpf(e._mpf_)
    if e is sp.pi:
        return +mpmath.pi
    if e is sp.E:
        return mpmath.e()
    if e in (sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I) or e.is_Boolean:
        return None
    if isinstance(e, sp.Add):
        total = mpmath.mpf(0)
        for a in e.args:
            v = ev(a)
            if v is None:
                return None
            total += v
        return _real(total)
    if isinstance(e, sp.Mul):
        prod = mpmath.mpf(1)
        for a in e.args:
            v = ev(a)
            if v is None:
                return None
            prod *= v
        return _real(prod)
    if isinstance(e, sp.Pow):
        return _power(e, ev)
    if isinstance(e, sp.exp):
        x = ev(e.args[0])
        if x is None:
            return None
        if abs(x) > MAX_EXP_ARG:     # exp(-1e434) is not 0, and not representable
            raise TooLarge(f"exp of {mpmath.nstr(x, 6)}")
        return mpmath.exp(x)
    if isinstance(e, sp.log):
        x = ev(e.args[0])
        if x is None or x <= 0:
            return None
        return mpmath.log(x)
    if isinstance(e, sp.Abs):
        x = ev(e.args[0])
        return None if x is None else abs(x)
    if isinstance(e, sp.sign):
        x = ev(e.args[0])
        return None if x is None else mpmath.mpf((x > 0) - (x < 0))
    if isinstance(e, sp.Heaviside):
        x = ev(e.args[0])
        if x is None:
            return None
        if x == 0:
            return ev(e.args[1]) if len(e.args) > 1 else mpmath.mpf(1) / 2
        return mpmath.mpf(1 if x > 0 else 0)
    if isinstance(e, sp.DiracDelta):
        x = ev(e.args[0])
        return None if x is None or x == 0 else mpmath.mpf(0)
    if isinstance(e, (sp.Max, sp.Min)):
        xs = [ev(a) for a in e.args]
        if None in xs:
            return None
        return max(xs) if isinstance(e, sp.Max) else min(xs)
    if isinstance(e, sp.Piecewise):
        for value, cond in e.args:
            hit = _relation(cond, ev)
            if hit is None:
                return None
            if hit:
                return ev(value)
        return None
    for fn, mp_fn in _UNARY.items():
        if isinstance(e, fn):
            x = ev(e.args[0])
            if x is None:
                return None
            if fn in _TRIG and abs(x) > MAX_TRIG_ARG:
                raise TooLarge(f"{fn.__name__} of {mpmath.nstr(x, 6)}")
            if fn in _HYPERBOLIC and abs(x) > MAX_EXP_ARG:
                raise TooLarge(f"{fn.__name__} of {mpmath.nstr(x, 6)}")
            try:
                return _real(mp_fn(x))
            except (ZeroDivisionError, ValueError):
                return None
    raise Unsupported(f"{type(e).__name__}")


def _power(e, ev):
    base, expo = e.args
    b = ev(base)
    if b is None:
        return None
    if expo.is_Integer:
        n = int(expo)
        if b == 0:
            return None if n < 0 else mpmath.mpf(0 if n > 0 else 1)
        if abs(n) * abs(mpmath.log10(abs(b))) > MAX_POWER_DIGITS:
            raise TooLarge("a power")
        return b**n
    x = ev(expo)
    if x is None:
        return None
    if b < 0:
        return None                     # SymPy's (-8)**(1/3) is complex: not real
    if b == 0:
        return mpmath.mpf(0) if x > 0 else None
    if abs(x * mpmath.log10(b)) > MAX_POWER_DIGITS:
        raise TooLarge("a power")
    return _real(mpmath.power(b, x))


def kink_arguments(expr: sp.Basic) -> list[sp.Expr]:
    """Expressions whose zeros are the kinks and jumps of ``expr`` (may repeat)."""
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"expr is a SymPy expression, not {type(expr).__name__}")
    out = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Heaviside, sp.sign, sp.Abs, sp.DiracDelta)):
            out.append(node.args[0])
        elif isinstance(node, (sp.Max, sp.Min)):
            out.extend(a - b for a, b in itertools.combinations(node.args, 2))
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                for rel in sp.preorder_traversal(cond):
                    if isinstance(rel, sp.core.relational.Relational):
                        out.append(rel.lhs - rel.rhs)
    return out


# --- Rigorous bounds: the same walk in interval arithmetic ------------------------------
#
# A counterexample must be one: two sides that print the same at 30 digits, or whose
# difference is rounding noise (1 - sigmoid(1000) is exactly 0 at 60 digits), must not
# count. mpmath's interval context bounds every rounding, so "0 is outside the interval
# of the difference" is a proof that the two sides differ at that point.

def bounds(x):
    """The two ends of an mpmath interval, as mpf numbers."""
    return mpmath.mp.make_mpf(x._mpi_[0]), mpmath.mp.make_mpf(x._mpi_[1])


def _monotone(fn, x, increasing=True):
    """Bounds of a monotone function the interval context lacks (erf, atan, tanh...):
    its values at the two ends, a little higher precision, padded outwards."""
    a, b = bounds(x)
    iv = mpmath.iv
    with mpmath.workprec(iv.prec + 20):      # every step here at that precision
        fa, fb = fn(a), fn(b)
        low, high = (fa, fb) if increasing else (fb, fa)
        pad = (abs(low) + abs(high)) * mpmath.mpf(2) ** (-iv.prec) \
            + mpmath.mpf(2) ** (-4 * iv.prec)
        return iv.mpf([low - pad, high + pad])


def _iv_sinh(x):
    iv = mpmath.iv
    return (iv.exp(x) - iv.exp(-x)) / 2


def _iv_cosh(x):
    iv = mpmath.iv
    return (iv.exp(x) + iv.exp(-x)) / 2


_IV_UNARY = {
    sp.sin: lambda x: mpmath.iv.sin(x), sp.cos: lambda x: mpmath.iv.cos(x),
    sp.tan: lambda x: mpmath.iv.tan(x),
    sp.atan: lambda x: _monotone(mpmath.atan, x),
    sp.tanh: lambda x: _monotone(mpmath.tanh, x),
    sp.erf: lambda x: _monotone(mpmath.erf, x),
    sp.erfc: lambda x: _monotone(mpmath.erfc, x, increasing=False),
    sp.sinh: _iv_sinh, sp.cosh: _iv_cosh,
}


def interval_value(expr: sp.Basic, point: Mapping, digits: int = 30):
    """Rigorous bounds of ``expr`` at ``point`` (an mpmath interval), at ``digits``.

    ``None`` where it is not real or where the bounds cannot decide a branch (a
    ``Piecewise`` condition or a kink argument whose interval contains its edge).
    Raises :class:`TooLarge`/:class:`Unsupported` as :func:`real_value` does.
    """
    _check_arguments(expr, point, digits)
    return PointValues(point).interval(expr, digits)


class PointValues:
    """:func:`real_value` and :func:`interval_value` of several expressions at one point.

    A checker evaluates both sides of a claim, each matrix entry, their differences and
    the domain conditions at the same point and the same digits; they share most of
    their subexpressions. Each subexpression is evaluated once per number of digits
    here (its value there is a pure function of the point and the digits), and the
    answers are those of :func:`real_value` and :func:`interval_value` exactly.
    """

    def __init__(self, point: Mapping):
        _check_arguments(sp.S.Zero, point, 30)
        self.point = dict(point)
        self._real: dict = {}        # digits -> (values of the variables, memo)
        self._interval: dict = {}

    def real(self, expr: sp.Basic, digits: int = 30):
        """:func:`real_value` of ``expr`` at this point."""
        _check_arguments(expr, {}, digits)
        with mpmath.workdps(digits):
            if digits not in self._real:
                self._real[digits] = (
                    {s: _ev(v, {}, {}) if isinstance(v, sp.Basic) else mpmath.mpf(v)
                     for s, v in self.point.items()}, {})
            values, memo = self._real[digits]
            return _ev(expr, values, memo)

    def interval(self, expr: sp.Basic, digits: int = 30):
        """:func:`interval_value` of ``expr`` at this point."""
        _check_arguments(expr, {}, digits)
        iv = mpmath.iv
        saved = iv.prec
        iv.dps = digits
        try:
            if digits not in self._interval:
                self._interval[digits] = (
                    {s: _iv_number(v) for s, v in self.point.items()}, {})
            values, memo = self._interval[digits]
            return _iv(expr, values, memo)
        finally:
            iv.prec = saved


def _iv_number(v):
    iv = mpmath.iv
    if isinstance(v, sp.Basic) and v.is_Rational:
        return iv.mpf(int(v.p)) / int(v.q)
    if isinstance(v, sp.Basic) and v.is_Float:
        return iv.mpf(mpmath.mp.make_mpf(v._mpf_))
    if isinstance(v, int):
        return iv.mpf(v)
    return iv.mpf(mpmath.mpf(v))


def _iv(e, values, memo):
    if e in memo:
        return memo[e]
    out = _iv_compute(e, values, memo)
    memo[e] = out
    return out


def _sign_of(x):
    """+1, -1 or 0 where the interval decides it; None where it straddles 0."""
    a, b = bounds(x)
    if a > 0:
        return 1
    if b < 0:
        return -1
    if a == 0 and b == 0:
        return 0
    return None


def _iv_compute(e, values, memo):
    iv = mpmath.iv
    ev = lambda x: _iv(x, values, memo)  # noqa: E731
    if isinstance(e, sp.Symbol):
        if e not in values:
            raise Unsupported(f"no value for {e}")
        return values[e]
    if e.is_Rational:
        return iv.mpf(int(e.p)) / int(e.q)
    if e.is_Float:
        return iv.mpf(mpmath.mp.make_mpf(e._mpf_))
    if e is sp.pi:
        return +iv.pi
    if e is sp.E:
        return +iv.e
    if e in (sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I) or e.is_Boolean:
        return None
    if isinstance(e, (sp.Add, sp.Mul)):
        acc = iv.mpf(0 if isinstance(e, sp.Add) else 1)
        for a in e.args:
            v = ev(a)
            if v is None:
                return None
            acc = acc + v if isinstance(e, sp.Add) else acc * v
        return acc
    if isinstance(e, sp.Pow):
        base, expo = e.args
        b = ev(base)
        if b is None:
            return None
        if expo.is_Integer:
            n = int(expo)
            if n < 0 and 0 in b:
                return None
            lo, hi = bounds(b)
            if max(abs(lo), abs(hi)) > 0 and abs(n) * abs(mpmath.log10(max(abs(lo), abs(hi)))) \
                    > MAX_POWER_DIGITS:
                raise TooLarge("a power")
            return b**n
        x = ev(expo)
        if x is None:
            return None
        if _sign_of(b) == 0 and _sign_of(x) == 1:
            return iv.mpf(0)
        if _sign_of(b) != 1:
            return None
        return iv.exp(x * iv.log(b))
    if isinstance(e, sp.exp):
        x = ev(e.args[0])
        if x is None:
            return None
        lo, hi = bounds(x)
        if max(abs(lo), abs(hi)) > MAX_EXP_ARG:
            raise TooLarge("exp of a large number")
        return iv.exp(x)
    if isinstance(e, sp.log):
        x = ev(e.args[0])
        if x is None or _sign_of(x) != 1:
            return None
        return iv.log(x)
    if isinstance(e, sp.Abs):
        x = ev(e.args[0])
        return None if x is None else abs(x)
    if isinstance(e, (sp.sign, sp.Heaviside, sp.DiracDelta)):
        x = ev(e.args[0])
        s = None if x is None else _sign_of(x)
        if s is None:
            return None
        if isinstance(e, sp.sign):
            return iv.mpf(s)
        if isinstance(e, sp.DiracDelta):
            return None if s == 0 else iv.mpf(0)
        if s == 0:
            return ev(e.args[1]) if len(e.args) > 1 else iv.mpf(1) / 2
        return iv.mpf(1 if s > 0 else 0)
    if isinstance(e, (sp.Max, sp.Min)):
        xs = [ev(a) for a in e.args]
        if None in xs:
            return None
        ends = [bounds(x) for x in xs]
        pick = max if isinstance(e, sp.Max) else min
        return iv.mpf([pick(a for a, _ in ends), pick(b for _, b in ends)])
    if isinstance(e, sp.Piecewise):
        def rel(r):
            d = ev(r.lhs - r.rhs) if isinstance(r, sp.core.relational.Relational) else None
            if d is None:
                return None
            s = _sign_of(d)
            if s is None:
                return None
            return {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0, "==": s == 0,
                    "!=": s != 0}[r.rel_op]
        for value, cond in e.args:
            hit = _relation(cond, lambda x: x) if cond in (sp.true, sp.false) else \
                _iv_condition(cond, rel)
            if hit is None:
                return None
            if hit:
                return ev(value)
        return None
    for fn, iv_fn in _IV_UNARY.items():
        if isinstance(e, fn):
            x = ev(e.args[0])
            if x is None:
                return None
            lo, hi = bounds(x)
            big = max(abs(lo), abs(hi))
            if fn in _TRIG and big > MAX_TRIG_ARG or fn in _HYPERBOLIC and big > MAX_EXP_ARG:
                raise TooLarge(f"{fn.__name__} of a large number")
            return iv_fn(x)
    raise Unsupported(f"{type(e).__name__}")


def _iv_condition(cond, rel):
    if isinstance(cond, sp.And):
        parts = [_iv_condition(a, rel) for a in cond.args]
        return None if None in parts else all(parts)
    if isinstance(cond, sp.Or):
        parts = [_iv_condition(a, rel) for a in cond.args]
        return True if True in parts else (None if None in parts else False)
    if isinstance(cond, sp.Not):
        inner = _iv_condition(cond.args[0], rel)
        return None if inner is None else not inner
    if isinstance(cond, sp.ITE):
        test = _iv_condition(cond.args[0], rel)
        return None if test is None else _iv_condition(cond.args[1 if test else 2], rel)
    if cond is sp.true or cond is sp.false:
        return cond is sp.true
    if isinstance(cond, sp.core.relational.Relational):
        return rel(cond)
    raise Unsupported(f"condition {type(cond).__name__}")
