"""Is ``lhs == rhs``? A verdict that means what it says.

:func:`decide` compares two SymPy expressions (or explicit matrices, entry by entry)
and answers one of

* ``holds``: the difference was reduced to exactly 0 by a named symbolic method
  (:mod:`derive.claims.prove`), under the stated assumptions (the variables are real; where the sides are real only for
  some values, the assumptions say which, e.g. "a > 0, b > 0");
* ``wrong``: a point where both sides are real and differ, confirmed with mpmath's
  interval arithmetic (bounds of the difference that exclude 0, so it is not
  rounding), both sides printed to enough digits to see the difference;
* ``not proved``: equal at every sample point to ``D`` digits, but no symbolic method
  reduced the difference to 0;
* ``inconclusive``: no sample point where both sides are real, or a value that cannot
  be computed.

Sample points cover negative and positive values, values near 0 (1/1000) and large
magnitudes (1000): a nice grid first (small integers and halves, so that a
counterexample can be redone by hand), then seeded random points of every magnitude.
A point where a side is not real is outside the claim (the claim is read where both
sides are real, and the verdict says so).

Kinks: at a point where an argument of ``Heaviside``, ``sign``, ``Abs``, ``Max``/``Min``
or a ``Piecewise`` condition is 0, the value there is a convention (SymPy's
``Heaviside(0) = 1/2``), so the two sides are compared just left and just right of it
(the one-sided limits), and a symbolic proof may ignore a branch that is a single point.

``step(name)`` is called before every step that may be expensive (``N``, ``expand``,
``piecewise_fold``, ``simplify``), so that a caller that bounds time and memory can say
which step was too expensive (see :mod:`derive.claims.budget`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping

import mpmath
import sympy as sp

from .evaluate import PointValues, TooLarge, Unsupported, bounds, kink_arguments, real_value
from .prove import prove, signs
from .record import Counterexample

__all__ = ["Decision", "decide", "domain_values", "SAMPLE_VALUES", "PRECISIONS"]

# The nice grid: signs, near 0, large; in the order a person would try them.
SAMPLE_VALUES = tuple(sp.Rational(v) for v in (
    "0", "1", "1/2", "2", "-1", "3", "1/4", "-1/2", "3/10", "-2", "-3", "1/10", "-1/10",
    "1/1000", "-1/1000", "10", "-10", "100", "-100", "1000", "-1000", "7/3", "-5/7"))
RANDOM_POINTS = 40
MAX_POINTS = 140            # evaluated candidate points, at most
ENOUGH_POINTS = 60          # equal points after which sampling stops
# Digits at which the difference is bounded (interval arithmetic): more where rounding
# hides it (1 - sigmoid(1000) needs 435).
PRECISIONS = (30, 60, 120, 240, 480)
EXACT_NODES = 40            # exact values are shown for expressions this small
KINK_STEP = sp.Rational(1, 10**15)   # one-sided points: a kink +- this along a fixed slope
_SLOPE = (1, sp.Rational(7, 10), sp.Rational(13, 10), sp.Rational(-3, 10), sp.Rational(11, 10))


@dataclass(frozen=True)
class Decision:
    """A verdict and what supports it (see the module docstring for the four verdicts).

    ``method``: the proof method (holds), ``mpmath`` (wrong), ``numeric`` (not proved),
    or the step that could not be done (inconclusive). ``assumptions``: text such as
    ``"a > 0, b > 0"`` (empty: every real value). ``points``/``digits``: how many
    sample points agreed, to how many digits. ``notes``: sentences for the reader
    (where a side is not real, which convention was used at kinks).
    """

    verdict: str
    method: str
    detail: str
    assumptions: str = ""
    points: int = 0
    digits: int = 0
    counterexample: Counterexample | None = None
    notes: tuple[str, ...] = field(default=())

    def line(self) -> str:
        """The verdict as one line of plain text (what ``verify claim`` prints first)."""
        if self.verdict == "holds":
            where = f", for {self.assumptions}" if self.assumptions else ", for all real values"
            return f"holds (proved by {self.method}{where})"
        if self.verdict == "wrong":
            return f"wrong: {self.detail}"
        if self.verdict == "not proved":
            return f"not proved: equal at {self.points} points to {self.digits} digits"
        return f"inconclusive: {self.detail}"


def domain_values(spec) -> list | tuple:
    """A domain entry as exact numbers: ``(low, high)`` or a list of values.

    Values are ints, floats (read as their decimal text: 0.8 is 4/5), fractions or
    SymPy rationals; strings are read by the claim parser and must be numbers. Nothing
    is passed to ``sympify``/``nsimplify``.
    """
    from .parse import ClaimSyntaxError, parse_expression

    def number(v):
        if isinstance(v, bool):
            raise TypeError("a domain value is a number, not a bool")
        if isinstance(v, int):
            return sp.Integer(v)
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ValueError(f"a domain value must be finite, not {v}")
            return sp.Rational(repr(v))
        if isinstance(v, Fraction):
            return sp.Rational(v.numerator, v.denominator)
        if isinstance(v, sp.Basic) and v.is_Rational:
            return v
        if isinstance(v, sp.Basic) and v.is_Float:
            return sp.Rational(repr(float(v)))
        if isinstance(v, str):
            value = parse_expression(v)
            if value.is_Rational:
                return value
            raise ClaimSyntaxError(f"a domain value must be a number, not {v[:40]!r}")
        raise TypeError(f"a domain value is a number, not {type(v).__name__}")

    if isinstance(spec, tuple) and len(spec) == 2 and not isinstance(spec[0], (tuple, list)):
        low, high = number(spec[0]), number(spec[1])
        if not low < high:
            raise ValueError(f"a domain interval needs low < high, got ({low}, {high})")
        return (low, high)
    if isinstance(spec, (list, tuple)) and 0 < len(spec) <= 1000:
        return [number(v) for v in spec]
    raise TypeError("a domain entry is (low, high) or a non-empty list of numbers")


def _entries(expr):
    if isinstance(expr, sp.MatrixBase):
        out = list(expr)
        if not all(isinstance(e, sp.Basic) for e in out):
            raise TypeError("matrix entries are SymPy expressions")
        return out
    return [expr]


def _points(free, domain, seed):
    """Candidate points: the nice grid, then seeded random points of every magnitude."""
    def allowed(s):
        spec = domain.get(s, domain.get(str(s)))
        if spec is None:
            return list(SAMPLE_VALUES)
        if isinstance(spec, tuple):
            low, high = spec
            inside = [v for v in SAMPLE_VALUES if low < v < high]
            return inside or [(low + high) / 2]
        return list(spec)

    choices = [allowed(s) for s in free]
    if not free:
        yield {}
        return
    per = max(2, int(64 ** (1 / len(free)))) if len(free) <= 6 else 1
    grid = [c[:per] for c in choices]
    seen = 0
    for combo in _product(grid):
        seen += 1
        yield dict(zip(free, combo))
    if len(free) > 6:                      # one nice value each, then the diagonal
        for i in range(min(len(SAMPLE_VALUES), 12)):
            yield {s: c[i % len(c)] for s, c in zip(free, choices)}
    rng = random.Random(seed)
    for _ in range(RANDOM_POINTS):
        point = {}
        for s, c in zip(free, choices):
            spec = domain.get(s, domain.get(str(s)))
            if isinstance(spec, list):
                point[s] = rng.choice(c)
            elif isinstance(spec, tuple):
                low, high = spec
                point[s] = low + (high - low) * sp.Rational(rng.randint(1, 999), 1000)
            elif rng.random() < 0.5:
                point[s] = sp.Rational(rng.randint(-3000, 3000), 1000)
            else:                            # 10**-6 .. 10**6, either sign
                mag = sp.Rational(rng.randint(1, 9), 1) * sp.Rational(10) ** rng.randint(-6, 5)
                point[s] = mag if rng.random() < 0.5 else -mag
        yield point


def _product(lists):
    if not lists:
        yield ()
        return
    for head in lists[0]:
        for tail in _product(lists[1:]):
            yield (head,) + tail


def _holds_at(requirements, values, digits):
    """Do the parser's domain conditions hold at the point (``values``: a
    :class:`PointValues` there)?"""
    for req in requirements:
        expr, relation = req[0], req[1]
        v = values.real(expr, digits)
        if v is None:
            return False
        if relation == ">0" and not v > 0 or relation == ">=0" and not v >= 0 \
                or relation == "!=0" and v == 0:
            return False
    return True


class _Sides:
    """Both sides' entries, their differences, and how to evaluate them."""

    def __init__(self, lhs, rhs, requires):
        self.left, self.right = _entries(lhs), _entries(rhs)
        self.diffs = [a - b for a, b in zip(self.left, self.right)]
        self.req = {"left": [r for r in requires if len(r) < 3 or r[2] != "right"],
                    "right": [r for r in requires if len(r) > 2 and r[2] == "right"]}
        self.kinks = []
        for e in self.left + self.right:
            self.kinks.extend(kink_arguments(e))
        self._at = (None, None)      # the point last evaluated, and its PointValues

    def values(self, point) -> PointValues:
        """The values at ``point``: the sides, their differences and the conditions
        share subexpressions, each evaluated once per point and number of digits."""
        key = tuple(point.items())
        if self._at[0] != key:
            self._at = (key, PointValues(point))
        return self._at[1]

    def real(self, side, point, digits=30):
        """The entries of one side at a point, or None where it is not real there."""
        values = self.values(point)
        if not _holds_at(self.req[side], values, digits):
            return None
        out = []
        for e in (self.left if side == "left" else self.right):
            v = values.real(e, digits)
            if v is None:
                return None
            out.append(v)
        return out

    def interval(self, point, digits):
        """Bounds of every difference at a point (None where one is not real)."""
        values = self.values(point)
        return [values.interval(d, digits) for d in self.diffs]

    def at_kink(self, point) -> bool:
        values = self.values(point)
        for k in self.kinks:
            v = values.real(k, 30)
            if v is not None and abs(v) < mpmath.mpf(10) ** -20:
                return True
        return False


def _compare(sides, point, tolerance=0):
    """("equal", digits) or ("differ", (digits, left, right, diff, entry)) or None.

    The differences are bounded with interval arithmetic: 0 outside the bounds proves
    that the sides differ. Equal means bounds within 10**-(p - 10) of 0 (relative to
    the sides) at two precisions in a row, so that a difference hidden below the
    rounding of the first (log(1 + x/10**50) - 0) shows at the second.
    """
    agreed = []
    for p in PRECISIONS:
        diffs = sides.interval(point, p)
        if any(d is None for d in diffs):
            return None
        left, right = sides.real("left", point, p), sides.real("right", point, p)
        if left is None or right is None:
            return None
        scale = max([mpmath.mpf(1)] + [abs(v) for v in left + right])
        for i, d in enumerate(diffs):
            if 0 not in d and min(abs(a) for a in bounds(d)) > tolerance * scale:
                return "differ", (p, left[i], right[i], d.mid, i)
        width = max(max(abs(a), abs(b)) for a, b in (bounds(d) for d in diffs))
        if width <= max(scale * mpmath.mpf(10) ** (-(p - 10)), tolerance * scale):
            digits = p if width == 0 else min(p, int(-mpmath.log10(width / scale)))
            agreed.append(digits)
            if len(agreed) == 2:
                return "equal", agreed[0]
        else:
            agreed.clear()
    return None


def _show(value, digits) -> str:
    if abs(value) < 10**15 and value == int(value):   # int() of 1e434294 is slow
        return str(int(value))
    return mpmath.nstr(value, digits)


def decide(lhs, rhs, *, requires=(), domain: Mapping | None = None,
           names: Mapping | None = None, seed: int = 0,
           step: Callable[[str], None] | None = None, symbolic: bool = True,
           tolerance: float = 0) -> Decision:
    """The verdict on ``lhs == rhs`` (see the module docstring).

    ``lhs``, ``rhs``: SymPy expressions or explicit matrices of the same shape.
    ``requires``: the parser's domain conditions (see
    :func:`derive.claims.parse.parse_claim`). ``domain``: symbol (or name) ->
    ``(low, high)`` or a list of numbers (see :func:`domain_values`). ``names``:
    symbol -> LaTeX name for the counterexample. ``symbolic=False`` skips the proof.
    ``tolerance``: a relative difference at most this large counts as equal (0: exact;
    for sides computed in floating point).
    """
    for side in (lhs, rhs):
        if not isinstance(side, (sp.Basic, sp.MatrixBase)):
            raise TypeError(f"the sides are SymPy expressions or matrices, not "
                            f"{type(side).__name__} (parse text with derive.claims.parse)")
    requires = tuple(requires)
    for r in requires:
        if not (isinstance(r, tuple) and len(r) in (2, 3) and isinstance(r[0], sp.Basic)
                and r[1] in (">0", ">=0", "!=0")):
            raise TypeError("requires holds (expression, '>0' | '>=0' | '!=0'[, side]) "
                            "tuples, as the parser records them")
    step = step or (lambda name: None)
    if not isinstance(domain or {}, Mapping):
        raise TypeError("domain is a dict: name -> (low, high) or a list of numbers")
    domain = {k: domain_values(v) for k, v in (domain or {}).items()}
    sides = _Sides(lhs, rhs, requires)
    free = sorted(set().union(*(e.free_symbols for e in
                                sides.left + sides.right + [r[0] for r in requires])),
                  key=str)
    step("N")
    equal = 0
    digits = PRECISIONS[-1]
    one_side = None              # (point, side that is real) for the note
    kinks_seen = []
    kink_cx = None
    valid_points = []
    undecided = 0
    rejected = 0
    too_large = None
    for n, point in enumerate(_points(free, domain, seed)):
        if n >= MAX_POINTS or equal >= ENOUGH_POINTS:
            break
        try:
            if sides.at_kink(point):
                kinks_seen.append(point)
                probes = []
                for sign in (1, -1):
                    probes.append({s: v + sign * KINK_STEP * _SLOPE[i % len(_SLOPE)]
                                   for i, (s, v) in enumerate(point.items())})
            else:
                probes = [point]
            for probe in probes:
                left, right = sides.real("left", probe), sides.real("right", probe)
                if left is None or right is None:
                    rejected += 1
                    if (left is None) != (right is None) and one_side is None:
                        one_side = (probe, "left" if left is not None else "right",
                                    left if left is not None else right)
                    continue
                verdict = _compare(sides, probe, tolerance)
                if verdict is None:
                    undecided += 1
                    continue
                if verdict[0] == "equal":
                    equal += 1
                    digits = min(digits, verdict[1])
                    valid_points.append(probe)
                    continue
                cx = _counterexample(sides, probe, verdict[1], names, lhs, rhs)
                if probe is point:
                    return Decision("wrong", "mpmath", cx.plain, counterexample=cx,
                                    notes=_domain_notes(one_side, free))
                kink_cx = kink_cx or (point, cx)
        except TooLarge as exc:
            too_large = too_large or str(exc)
            continue
        except Unsupported as exc:
            return Decision("inconclusive", "N", f"cannot evaluate {exc} numerically")
    if kink_cx is not None:
        point, cx = kink_cx
        where = ", ".join(f"{s} = {v}" for s, v in point.items())
        plain = f"{cx.plain} (just beside the kink at {where}: the one-sided limits differ)"
        cx = Counterexample(cx.inputs, cx.written, cx.correct, cx.note, plain)
        return Decision("wrong", "mpmath", plain, counterexample=cx)
    if equal == 0:
        why = (f"a value too large to compute ({too_large})" if too_large else
               "no sample point where both sides are real" if undecided == 0 else
               "the two sides could not be compared to 30 digits at any sample point")
        return Decision("inconclusive", "N", why, notes=_domain_notes(one_side, free))
    notes = list(_domain_notes(one_side, free))
    if kinks_seen:
        shown = [", ".join(f"{s} = {v}" for s, v in p.items()) or "the point"
                 for p in kinks_seen]
        where = "; ".join(list(dict.fromkeys(shown))[:3])
        notes.append(f"at kinks ({where}) the sides were compared by their one-sided "
                     f"limits: the value at a kink itself (e.g. SymPy's Heaviside(0) = 1/2) "
                     f"is a convention")
    numeric = Decision("not proved", "numeric",
                       f"equal at {equal} points to {digits} digits", points=equal,
                       digits=digits, notes=tuple(notes))
    if not symbolic:
        return numeric
    proof = prove(sides.diffs, free, valid_points, step)
    if proof is None:
        return numeric
    method, assumptions = proof
    if not assumptions and (one_side is not None or rejected or requires):
        # Proved wherever both sides are defined; say where that is, as sampled.
        found = signs(free, valid_points)
        assumptions = "the values where both sides are real" + (
            " (at the sample points: " + ", ".join(f"{s} {rel}" for s, rel in
                                                  sorted(found.items(), key=str)) + ")"
            if found else "")
    if method.startswith("piecewise") and not kinks_seen:
        notes.append("a branch that is a single point (a kink) was not compared: there "
                     "the value is a convention")
    return Decision("holds", method, f"the difference reduces to 0 by {method}",
                    assumptions=assumptions, points=equal, digits=digits, notes=tuple(notes))


def _domain_notes(one_side, free) -> tuple[str, ...]:
    if one_side is None:
        return ()
    point, side, values = one_side
    other = "right" if side == "left" else "left"
    where = ", ".join(f"{s} = {_show(v, 6)}" for s, v in point.items()) or "the point"
    shown = ", ".join(_show(v, 10) for v in values[:3])
    return (f"the claim is read where both sides are real: at {where} the {side} side is "
            f"{shown} but the {other} side is not a real number",)


def _counterexample(sides, point, found, names, lhs, rhs) -> Counterexample:
    p, left, right, diff, index = found
    scale = max(abs(left), abs(right))
    # digits to show: enough that the two printed values differ, plus 6
    need = int(mpmath.ceil(mpmath.log10(scale / abs(diff)))) + 6 if diff and scale else 10
    digits = max(10, min(need, 400))
    if digits > p - 5:              # print from values computed with digits to spare
        left = real_value(sides.left[index], point, digits + 20)
        right = real_value(sides.right[index], point, digits + 20)
    label = dict(names or {})
    inputs = tuple((label.get(s, sp.latex(s)), _latex_number(v)) for s, v in point.items())
    where = ", ".join(f"{s} = {_show(v, 10)}" for s, v in point.items())
    entry = f" (entry {index + 1})" if len(sides.left) > 1 else ""
    shown = [_plain_side(side[index], point, value, digits)
             for side, value in ((sides.left, left), (sides.right, right))]
    plain = ((f"at {where}: " if where else "")
             + f"left side{entry} = {shown[0]}, right side = {shown[1]}")
    return Counterexample(inputs, _latex_side(lhs, point, left),
                          _latex_side(rhs, point, right), plain=plain)


def _exact(expr, point):
    """SymPy's own value of ``expr`` at the point (exact: sigmoid(0) = 1/2), for a small
    expression only: substituting into nested exponentials makes SymPy's automatic
    evaluation take time exponential in the depth."""
    for n, _ in enumerate(sp.preorder_traversal(expr)):
        if n > EXACT_NODES:
            return None
    try:
        return expr.xreplace(point) if point else expr
    except (TypeError, ValueError, ArithmeticError):
        return None


def _plain_side(expr, point, value, digits) -> str:
    """Exact where SymPy's substitution gives a short rational (1/2), else decimals."""
    exact = _exact(expr, point)
    if exact is not None and exact.is_Rational and (
            len(str(exact)) <= 12 or exact.is_Integer and len(str(exact)) <= 60):
        return str(exact)
    return _show(value, digits)


def _latex_number(v) -> str:
    if isinstance(v, sp.Basic) and v.is_Rational:
        return sp.latex(v)
    return sp.latex(sp.Float(str(v), 6))


def _latex_side(expr, point, value) -> str:
    """A side's value at the point as LaTeX: exact where SymPy's substitution gives a
    short rational (or matrix of them), else 6 digits."""
    if isinstance(expr, sp.MatrixBase):
        subs = [_exact(e, point) for e in expr]
        if all(e is not None and e.is_Rational and len(sp.latex(e)) <= 24 for e in subs):
            return sp.latex(sp.Matrix(expr.rows, expr.cols, subs))
        return sp.latex(sp.Float(str(value), 6))
    exact = _exact(expr, point)
    if exact is not None and exact.is_Rational and len(sp.latex(exact)) <= 24:
        return sp.latex(exact)
    return sp.latex(sp.Float(mpmath.nstr(value, 6), 6))
