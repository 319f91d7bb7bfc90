"""The checker: identities (symbolic and numeric), shape rules, and the verdict.

:func:`check_identity` compares two SymPy expressions (scalars or explicit matrices)
with :func:`derive.claims.decide.decide` (the checker ``python -m verify claim`` uses):
a counterexample at a nice point where there is one, else a named proof, else
agreement at every sample point (reported as holding *numerically*: the audit's notes
are judged on evidence of either kind, and say which).

:func:`check_shapes` builds a matrix expression from ``MatrixSymbol``s of concrete
sizes: a product in the wrong order raises SymPy's ``ShapeError``, and that, or a
result of the wrong size, is a counterexample of its own.

:func:`judge` turns a claim's evidence into a :class:`~derive.claims.record.Verdict`.
"""

from __future__ import annotations

from typing import Callable, Mapping

import sympy as sp
from sympy.matrices.common import ShapeError

from ..symbols import unfold
from .decide import decide
from .record import Claim, Counterexample, Evidence, Outcome, Verdict

__all__ = ["check_identity", "check_shapes", "judge", "holds", "fails", "fmt"]

DIGITS = 30     # fmt's decimal approximations are computed to this many digits
FLOAT_TOLERANCE = 1e-12   # relative, for sides that hold floats (see check_identity)


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


def _shape_of(e):
    return e.shape if isinstance(e, sp.MatrixBase) else (1, 1)


def check_identity(written, correct, *, domain: Mapping | None = None,
                   names: Mapping | None = None, seed: int = 0,
                   symbolic: bool = True) -> Evidence:
    """Is ``written == correct`` for every value of the free symbols?

    ``written``, ``correct``: SymPy expressions or explicit matrices (display functions
    of :mod:`derive.symbols` are unfolded); ints and floats are numbers; text is
    refused (parse it with :mod:`derive.claims.parse`). ``domain``: symbol (or its
    name) -> ``(low, high)`` open interval or a list of numbers. ``names``: symbol ->
    LaTeX name in the counterexample. The judgement is
    :func:`derive.claims.decide.decide`'s: holding evidence names the proof method, or
    is ``numeric`` where the sides agree at every sample point without a proof;
    failing evidence carries the counterexample (confirmed with interval arithmetic).
    """
    w = unfold(_sympy(written, "the written side"))
    c = unfold(_sympy(correct, "the correct side"))
    if isinstance(w, sp.MatrixBase) != isinstance(c, sp.MatrixBase) or \
            _shape_of(w) != _shape_of(c):
        return fails("shape rule", f"shapes differ: {_shape_of(w)} vs {_shape_of(c)}")
    # A side computed in floating point (NumPy's np.sum in a note's code) carries
    # float64 rounding, ~1e-16 per operation: it is compared to FLOAT_TOLERANCE.
    inexact = any(e.has(sp.Float) for e in (w, c))
    d = decide(w, c, domain=domain, names=names, seed=seed, symbolic=symbolic,
               tolerance=FLOAT_TOLERANCE if inexact else 0)
    if d.verdict == "wrong":
        return fails("numeric", "the two sides differ at a point", d.counterexample)
    if d.verdict == "holds":
        where = f" for {d.assumptions}" if d.assumptions else ""
        return holds(d.method, f"the difference reduces to 0 by {d.method}{where}; "
                               f"equal at {d.points} points")
    if d.verdict == "not proved":
        return holds("numeric", f"equal at {d.points} points to {d.digits} digits "
                                f"(not proved symbolically)")
    raise ValueError(f"cannot check the identity: {d.detail}")


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
