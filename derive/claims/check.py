"""The checker: identities (symbolic and numeric), shape rules, and the verdict.

:func:`check_identity` compares two SymPy expressions (scalars or explicit matrices):
first numerically, at "nice" points (small integers and halves, so that a
counterexample can be read and redone by hand) and then at seeded random points; where
they disagree, the first disagreeing point is the counterexample. Where they agree
everywhere it asks ``simplify`` for a proof; a difference SymPy cannot reduce to zero
but that vanishes at every point is reported as holding *numerically*.

:func:`check_shapes` builds a matrix expression from ``MatrixSymbol``s of concrete
sizes: a product in the wrong order raises SymPy's ``ShapeError``, and that, or a
result of the wrong size, is a counterexample of its own.

:func:`judge` turns a claim's evidence into a :class:`~derive.claims.record.Verdict`.
"""

from __future__ import annotations

import itertools
import random
from typing import Callable, Mapping

import sympy as sp
from sympy.matrices.common import ShapeError

from ..symbols import unfold
from .decide import domain_values
from .record import Claim, Counterexample, Evidence, Outcome, Verdict

__all__ = ["check_identity", "check_shapes", "judge", "holds", "fails", "fmt",
           "NICE_VALUES", "TOLERANCE"]

# Two values agree when |w - c| <= TOLERANCE * max(1, |c|), evaluated at 30 digits:
# rounding stays near 1e-28, and any real disagreement of a formula is far larger.
TOLERANCE = 1e-15
DIGITS = 30
NICE_VALUES = tuple(sp.Rational(v) for v in
                    ("0", "1", "1/2", "2", "-1", "3", "1/4", "-1/2", "3/10", "-2"))
RANDOM_POINTS = 12


def holds(method: str, detail: str = "") -> Evidence:
    """Evidence that a check passed."""
    return Evidence(True, method, detail)


def fails(method: str, detail: str, counterexample: Counterexample | None = None
          ) -> Evidence:
    """Evidence that a check failed, with what shows it."""
    return Evidence(False, method, detail, counterexample)


def fmt(value) -> str:
    """A value as short LaTeX math: exact where short, else 6 significant digits."""
    if isinstance(value, sp.MatrixBase):
        return sp.latex(value.applyfunc(lambda v: sp.Symbol(fmt(v))))
    value = _sympy(value, "a value")
    exact = sp.Rational(repr(float(value))) if value.is_Float else sp.simplify(value)
    text = sp.latex(exact)
    if exact.is_Rational and len(text) <= 24:
        return text
    approx = sp.latex(sp.Float(sp.N(value, DIGITS), 6))
    if exact.is_number and not exact.is_Float and len(text) <= 24:
        return f"{text} \\approx {approx}"
    return approx


def _sympy(value, what: str):
    """A SymPy object, or an int/float as an exact number; anything else (text
    included) is refused: nothing here reads text."""
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        return value
    if isinstance(value, bool):
        raise TypeError(f"{what} is a number or a SymPy expression, not a bool")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        return sp.Float(value, 6)
    raise TypeError(f"{what} is a number or a SymPy expression, not "
                    f"{type(value).__name__} (parse text with derive.claims.parse)")


def _entries(expr):
    return list(expr) if isinstance(expr, sp.MatrixBase) else [expr]


def _free(*exprs) -> list[sp.Symbol]:
    free: set = set()
    for e in exprs:
        for entry in _entries(e):
            free |= sp.sympify(entry).free_symbols
    return sorted(free, key=str)


def _value(expr, point):
    out = []
    for entry in _entries(expr):
        v = sp.N(sp.sympify(entry).subs(point), DIGITS)
        if not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or v.is_real is False:
            return None                       # outside the domain: not a test point
        out.append(v)
    return out


def _points(free, domain, seed):
    """Nice points first (a grid of small values), then seeded random ones."""
    def choices(s):
        spec = domain.get(s, domain.get(str(s)))
        if spec is None:
            return list(NICE_VALUES)
        if isinstance(spec, tuple):
            low, high = spec
            return [v for v in NICE_VALUES if low < v < high] or [(low + high) / 2]
        return list(spec)

    grids = [choices(s)[:4 if len(free) <= 3 else 2] for s in free]
    for combo in itertools.islice(itertools.product(*grids), 64):
        yield dict(zip(free, combo))
    if not free:
        return                                # a constant: one evaluation is enough
    rng = random.Random(seed)
    for _ in range(RANDOM_POINTS):
        point = {}
        for s in free:
            spec = domain.get(s, domain.get(str(s)))
            if isinstance(spec, tuple) and len(spec) == 2:
                low, high = spec
            elif spec is not None:
                point[s] = rng.choice(list(spec))
                continue
            else:
                low, high = -3, 3
            point[s] = sp.Rational(rng.randint(int(10 * low) + 1, int(10 * high) - 1), 10)
        yield point


def _differs(w, c) -> bool:
    return any(abs(complex(a - b)) > TOLERANCE * max(1.0, abs(complex(b)))
               for a, b in zip(w, c))


def _is_zero(expr) -> bool:
    for entry in _entries(expr):
        entry = sp.sympify(entry)
        if entry == 0:
            continue
        reduced = sp.simplify(entry)
        if reduced != 0 and entry.has(sp.log):
            reduced = sp.simplify(sp.expand_log(entry, force=True))
        if reduced != 0 and entry.has(sp.Piecewise, sp.Heaviside, sp.Max, sp.Min, sp.Abs):
            reduced = sp.simplify(sp.piecewise_fold(entry.rewrite(sp.Piecewise)))
        if reduced != 0:
            return False
    return True


def _shape_of(e):
    return e.shape if isinstance(e, sp.MatrixBase) else (1, 1)


def check_identity(written, correct, *, domain: Mapping | None = None,
                   names: Mapping | None = None, seed: int = 0,
                   symbolic: bool = True) -> Evidence:
    """Is ``written == correct`` for every value of the free symbols?

    ``written``, ``correct``: SymPy expressions or explicit matrices (display functions
    of :mod:`derive.symbols` are unfolded). ``domain``: symbol (or its name) ->
    ``(low, high)`` open interval or a list of allowed values. ``names``: symbol ->
    LaTeX name in the counterexample. Returns holding evidence (method ``simplify`` or
    ``numeric``) or failing evidence with the first disagreeing point.
    """
    domain = {k: domain_values(v) for k, v in dict(domain or {}).items()}
    w = unfold(_sympy(written, "the written side"))
    c = unfold(_sympy(correct, "the correct side"))
    if isinstance(w, sp.MatrixBase) != isinstance(c, sp.MatrixBase) or \
            _shape_of(w) != _shape_of(c):
        return fails("shape rule", f"shapes differ: {_shape_of(w)} vs {_shape_of(c)}")
    free = _free(w, c)
    tried = 0
    for point in _points(free, domain, seed):
        wv, cv = _value(w, point), _value(c, point)
        if wv is None or cv is None:
            continue
        tried += 1
        if _differs(wv, cv):
            label = dict(names or {})
            inputs = tuple((label.get(s, sp.latex(s)), fmt(v)) for s, v in point.items())
            shape = _shape_of(w)
            shown_w = w.subs(point) if shape != (1, 1) else sp.sympify(w).subs(point)
            shown_c = c.subs(point) if shape != (1, 1) else sp.sympify(c).subs(point)
            plain = (", ".join(f"{sp.sstr(k)} = {sp.sstr(v)}" for k, v in point.items())
                     + f": left side = {_plain(shown_w)}, right side = {_plain(shown_c)}")
            return fails("numeric", "the two sides differ at a point",
                         Counterexample(inputs, fmt(shown_w), fmt(shown_c), plain=plain))
    if tried == 0:
        raise ValueError("no test point inside the domain of both sides")
    if not symbolic:
        return holds("numeric", f"equal at {tried} point(s) (numeric check only)")
    if _is_zero(w - c):
        return holds("simplify", f"simplify(written - correct) = 0; equal at {tried} points")
    return holds("numeric", f"equal at {tried} points (SymPy could not reduce the "
                            f"difference to 0)")


def _plain(value) -> str:
    """A value for a terminal: exact form, and its decimal where that differs."""
    exact = sp.sstr(value)
    if getattr(value, "is_Integer", False) or getattr(value, "is_Float", False):
        return exact
    try:
        approx = sp.sstr(sp.N(value, 6))
    except (TypeError, ValueError):
        return exact
    return exact if approx == exact else f"{exact} (~ {approx})"


def check_shapes(written: Callable[[Mapping], sp.MatrixExpr],
                 correct: Callable[[Mapping], sp.MatrixExpr],
                 operands: Mapping[str, tuple[int, int]]) -> Evidence:
    """Do the shapes of ``written`` fit, and give the shape of ``correct``?

    ``operands``: LaTeX name -> concrete ``(rows, cols)``; each builder receives a dict
    name -> ``MatrixSymbol`` of that shape and returns a matrix expression. Concrete
    sizes, all different, so that a product in the wrong order cannot fit by chance.
    """
    mats = {name: sp.MatrixSymbol(f"M{i}", *shape)
            for i, (name, shape) in enumerate(operands.items())}
    inputs = tuple((rf"\operatorname{{shape}}({name})", f"{r} \\times {c}")
                   for name, (r, c) in operands.items())
    want = correct(mats).shape
    want_text = rf"{want[0]} \times {want[1]}"
    try:
        got = written(mats).shape
    except ShapeError as exc:
        return fails("shape rule", f"the shapes do not fit: {exc}",
                     Counterexample(inputs, r"\text{undefined (shapes do not fit)}",
                                    want_text))
    if got != want:
        return fails("shape rule", f"shape {got} where {want} is needed",
                     Counterexample(inputs, rf"{got[0]} \times {got[1]}", want_text))
    return holds("shape rule", f"shapes fit, result {want[0]} x {want[1]}")


def all_of(*checks: Callable[[], Evidence]) -> Evidence:
    """Run several checks; the first failure is the evidence, else all methods."""
    done = []
    for check in checks:
        e = check()
        if not e.ok:
            return e
        done.append(e)
    return holds(" + ".join(dict.fromkeys(e.method for e in done)),
                 "; ".join(e.detail for e in done if e.detail))


def judge(claim: Claim) -> Outcome:
    """The verdict on ``claim``: its literal check, then (if declared) its intended one.

    A declared ``issue`` (notation or ambiguous) is given only where the literal
    reading fails and the intended reading holds; an intended reading that fails too
    makes the claim wrong.
    """
    evidence = claim.check()
    if evidence.ok:
        return Outcome(claim, Verdict.HOLDS, evidence)
    if claim.issue is not None and claim.intended is not None:
        intended = claim.intended()
        verdict = claim.issue if intended.ok else Verdict.WRONG
        return Outcome(claim, verdict, evidence, intended)
    return Outcome(claim, Verdict.WRONG, evidence)
