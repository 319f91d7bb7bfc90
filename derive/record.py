"""The :class:`Derivation` record and the proof that backs each one.

A derivation starts from a *definition* (SymPy equations), goes through *steps*
(each an equation with a caption naming the rule applied), and ends in a *result*.
The *textbook* form is what the course notes (or any textbook) write; the *proof*
shows that result and textbook agree: symbolically, by a named SymPy operation, and
numerically, by evaluating both at random points with 30 significant digits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import mpmath
import sympy as sp

from .plain_text import plain_text
from .symbols import unfold

__all__ = ["Equation", "Step", "Proof", "Derivation", "derivation", "PROOF_METHODS"]

# Evaluation precision of the spot check, in decimal digits, and the largest error
# that still counts as agreement: 30 digits leave ~1e-25 of headroom for rounding in
# the evaluation itself, far below any real disagreement.
SPOT_DIGITS = 30
SPOT_TOLERANCE = 1e-20
SPOT_POINTS = 12


@dataclass(frozen=True)
class Equation:
    """``lhs = rhs``, kept as two expressions (SymPy's ``Eq`` may evaluate to True)."""

    lhs: sp.Basic
    rhs: sp.Basic


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``lhs = rhs``, because of ``caption``.

    ``lhs`` may be ``None`` to continue the previous line (``= rhs``).
    """

    lhs: sp.Basic | None
    rhs: sp.Basic
    caption: str


@dataclass(frozen=True)
class Proof:
    """How the result was shown equal to the textbook form.

    ``method`` names the SymPy operation (e.g. ``simplify(result - textbook) = 0``);
    ``symbolic`` is its outcome (``None`` where only a numeric check is possible);
    ``spot_check_max_error`` is the largest relative disagreement over
    ``spot_check_points`` random points evaluated at 30 digits.
    """

    method: str
    symbolic: bool | None
    spot_check_max_error: float
    spot_check_points: int

    @property
    def holds(self) -> bool:
        symbolic_ok = self.symbolic is not False
        return symbolic_ok and self.spot_check_max_error <= SPOT_TOLERANCE


@dataclass(frozen=True)
class Derivation:
    """A formula derived step by step and proved equal to its textbook form."""

    name: str
    title: str
    source: str
    summary: str
    definition: tuple[Equation, ...]
    steps: tuple[Step, ...]
    result: Equation
    textbook: Equation
    proof: Proof
    assumptions: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)

    # title, source and summary are LaTeX (the report prints them as they are); these
    # read them as plain text for a terminal or a notebook.
    @property
    def title_text(self) -> str:
        """``title`` as plain Unicode text, without LaTeX markup."""
        return plain_text(self.title)

    @property
    def source_text(self) -> str:
        """``source`` (where the course notes state the formula) as plain Unicode text."""
        return plain_text(self.source)

    @property
    def summary_text(self) -> str:
        """``summary`` as plain Unicode text."""
        return plain_text(self.summary)


def _elementwise(op):
    def apply(difference):
        if isinstance(difference, sp.MatrixBase):
            return difference.applyfunc(op)
        return op(difference)

    return apply


PROOF_METHODS: dict[str, tuple[str, Callable[[sp.Basic], sp.Basic]]] = {
    "simplify": ("simplify(result - textbook) = 0", _elementwise(sp.simplify)),
    "expand": ("expand(result - textbook) = 0", _elementwise(sp.expand)),
    "cancel": ("cancel(result - textbook) = 0", _elementwise(sp.cancel)),
    "trigsimp": (
        "trigsimp(rewrite(result - textbook, exp)) = 0",
        _elementwise(lambda d: sp.simplify(d.rewrite(sp.exp))),
    ),
    "expand_log": (
        "simplify(expand_log(result - textbook, force=True)) = 0",
        _elementwise(lambda d: sp.simplify(sp.expand_log(d, force=True))),
    ),
    "piecewise": (
        "piecewise_fold(result - textbook) = 0 on every branch",
        _elementwise(lambda d: sp.simplify(sp.piecewise_fold(d.rewrite(sp.Piecewise)))),
    ),
}


def _is_zero(expr) -> bool:
    if isinstance(expr, sp.MatrixBase):
        return all(_is_zero(e) for e in expr)
    return sp.sympify(expr) == 0


def _draw(symbol, rng: random.Random, ranges):
    low, high = ranges.get(symbol, (-3, 3))
    if symbol.is_integer:
        return sp.Integer(rng.randint(int(low), int(high)))
    return sp.Float(rng.uniform(low, high), SPOT_DIGITS)


def _values(expr):
    if isinstance(expr, sp.MatrixBase):
        return list(expr)
    return [expr]


def _evaluator(exprs, free):
    """A function of the free symbols giving every expression at 30 digits.

    mpmath through lambdify is ~50x faster than ``subs(...).evalf()``; expressions it
    cannot translate (custom functions) fall back to ``subs`` + ``evalf``.
    """
    try:
        f = sp.lambdify(free, list(exprs), modules="mpmath")
    except Exception:  # noqa: BLE001 - any translation failure means: use evalf
        f = None

    def evaluate(values):
        if f is not None:
            try:
                with mpmath.workdps(SPOT_DIGITS):
                    return [mpmath.mpmathify(v) for v in f(*[mpmath.mpf(str(v)) for v in values])]
            except Exception:  # noqa: BLE001
                pass
        subs = dict(zip(free, values))
        out = []
        for e in exprs:
            v = sp.sympify(e).subs(subs).evalf(SPOT_DIGITS)
            if not v.is_number:
                raise ValueError(f"spot check could not evaluate {e} numerically")
            re, im = v.as_real_imag()
            out.append(mpmath.mpc(str(re.evalf(SPOT_DIGITS)), str(im.evalf(SPOT_DIGITS))))
        return out

    return evaluate


def spot_check(result, textbook, ranges: Mapping, points: int = SPOT_POINTS,
               seed: int = 0) -> float:
    """Largest relative difference of ``result`` and ``textbook`` at random points.

    Each free symbol is drawn uniformly from ``ranges[symbol]`` (default (-3, 3);
    integer symbols get integers). Relative error is ``|r - t| / max(1, |t|)``.
    """
    r, t = unfold(result), unfold(textbook)
    r_values, t_values = _values(r), _values(t)
    free = sorted(set().union(*(sp.sympify(e).free_symbols for e in r_values + t_values)),
                  key=str)
    evaluate = _evaluator(r_values + t_values, free)
    rng = random.Random(seed)
    worst = 0.0
    n = len(r_values)
    for _ in range(points):
        values = [_draw(s, rng, ranges) for s in free]
        with mpmath.workdps(SPOT_DIGITS):
            numbers = evaluate(values)
            for rn, tn in zip(numbers[:n], numbers[n:]):
                worst = max(worst, float(abs(rn - tn) / max(1, abs(tn))))
    return worst


def prove(result, textbook, method: str | tuple[str, Callable] = "simplify",
          ranges: Mapping | None = None, points: int = SPOT_POINTS) -> Proof:
    """Prove ``result == textbook`` with a named SymPy method and a spot check.

    ``method`` is a key of :data:`PROOF_METHODS`, a ``(description, transform)``
    pair whose transform must reduce ``result - textbook`` to zero, or ``"numeric"``
    where no symbolic proof applies.
    """
    ranges = dict(ranges or {})
    error = spot_check(result, textbook, ranges, points)
    if method == "numeric":
        return Proof("numeric evaluation only", None, error, points)
    description, transform = PROOF_METHODS[method] if isinstance(method, str) else method
    difference = unfold(result) - unfold(textbook)
    symbolic = _is_zero(transform(difference))
    return Proof(description, symbolic, error, points)


def _equations(items) -> tuple[Equation, ...]:
    out = []
    for item in items:
        out.append(item if isinstance(item, Equation) else Equation(*item))
    return tuple(out)


def derivation(*, name: str, title: str, source: str, summary: str,
               definition: Sequence, steps: Sequence, result, textbook,
               method="simplify", ranges: Mapping | None = None,
               assumptions: Sequence[str] = (), remarks: Sequence[str] = (),
               points: int = SPOT_POINTS, extra: Mapping | None = None) -> Derivation:
    """Build a :class:`Derivation` and run its proof.

    ``definition``: equations ``(lhs, rhs)``; ``steps``: ``(lhs, rhs, caption)``
    triples (``lhs=None`` continues the previous line); ``result`` and ``textbook``:
    ``(lhs, rhs)`` pairs with the same left-hand side. The proof compares the two
    right-hand sides.
    """
    result_eq = result if isinstance(result, Equation) else Equation(*result)
    textbook_eq = textbook if isinstance(textbook, Equation) else Equation(*textbook)
    proof = prove(result_eq.rhs, textbook_eq.rhs, method, ranges, points)
    return Derivation(
        name=name,
        title=title,
        source=source,
        summary=summary,
        definition=_equations(definition),
        steps=tuple(s if isinstance(s, Step) else Step(*s) for s in steps),
        result=result_eq,
        textbook=textbook_eq,
        proof=proof,
        assumptions=tuple(assumptions),
        remarks=tuple(remarks),
        extra=dict(extra or {}),
    )
