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

__all__ = ["Equation", "Step", "Proof", "Derivation", "derivation", "both", "PROOF_METHODS"]

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

    def __post_init__(self):
        # The boxed result is where the steps arrive, not a second formula beside them:
        # the same SymPy expression (structurally), so the box cannot drift from the steps.
        if not self.steps:
            raise ValueError(f"derivation {self.name!r} has no steps")
        last = self.steps[-1].rhs
        if _structure(self.result.rhs) != _structure(last):
            raise ValueError(f"derivation {self.name!r}: the result is not its last step\n"
                             f"  result:    {self.result.rhs}\n  last step: {last}")

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


def _structure(expr):
    """``expr`` in a form where ``==`` is structural equality (matrices: immutable)."""
    if isinstance(expr, sp.MatrixBase):
        return sp.ImmutableMatrix(expr)
    return expr


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
    Expressions in index notation (``Indexed``, sums of symbolic length) are checked
    by :func:`_indexed_spot_check`.
    """
    r, t = unfold(result), unfold(textbook)
    r_values, t_values = _values(r), _values(t)
    if any(sp.sympify(e).has(sp.Indexed, sp.Sum) for e in r_values + t_values):
        return _indexed_spot_check(r_values, t_values, ranges, points, seed)
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
                worst = max(worst, _disagreement(rn, tn))
    return worst


def _disagreement(r, t) -> float:
    """``|r - t| / max(1, |t|)``; infinite where either is NaN (a NaN would pass every
    comparison, ``max(0.0, nan)`` being 0.0)."""
    error = float(abs(r - t) / max(1, abs(t)))
    return error if error == error else float("inf")


# Sizes (number of classes, of units, of examples) drawn where no range is given: small,
# so that a sum of symbolic length written out stays cheap, and above 1 so that sums
# have more than one term.
_SIZE_RANGE = (2, 5)


def _draw_integers(symbols, rng: random.Random, ranges) -> dict:
    """Integer symbols drawn in dependency order: an index whose range is ``(1, K)``
    is drawn after the size ``K``."""
    values: dict = {}
    pending = sorted(symbols, key=str)
    while pending:
        for s in pending:
            low, high = ranges.get(s, _SIZE_RANGE)
            bounds = sp.sympify(low), sp.sympify(high)
            if all(b.free_symbols <= set(values) for b in bounds):
                low, high = (int(b.xreplace(values)) for b in bounds)
                values[s] = sp.Integer(rng.randint(low, high))
                pending.remove(s)
                break
        else:
            raise ValueError(f"spot check: circular ranges among {pending}")
    return values


def write_out(expr):
    """``expr`` with every sum whose outermost range is numeric written as a sum of
    terms, then ``doit``. SymPy merges nested sums into one ``Sum`` and will not write
    out its outer index while an inner range (``n^{[l]}``) depends on it."""
    def expand(s):
        *inner, (index, low, high) = s.limits
        if not (low.is_Integer and high.is_Integer):
            return s
        body = sp.Sum(s.function, *inner) if inner else s.function
        return sp.Add(*(body.xreplace({index: sp.Integer(v)})
                        for v in range(int(low), int(high) + 1)))

    expr = sp.sympify(expr)
    for _ in range(8):
        expanded = expr.replace(lambda e: isinstance(e, sp.Sum), expand)
        if expanded == expr:
            break
        expr = expanded
    return expr.doit()


def _indexed_spot_check(r_values, t_values, ranges, points: int, seed: int) -> float:
    """The spot check of formulas in index notation, at random sizes and indices.

    Every integer symbol (a size such as ``K`` or ``m``, a free index such as ``i``) is
    drawn first; the sums then have a known length and are written out (``doit``), the
    Kronecker deltas evaluate, and every remaining entry ``z[3]`` (and plain symbol) is
    drawn from the range of its base (``ranges[z]``, keyed by the ``IndexedBase``).
    """
    exprs = [sp.sympify(e) for e in r_values + t_values]
    integers = {s for e in exprs for s in e.free_symbols if s.is_integer}
    # the sizes that bound an index's range are drawn too, even where no side shows them
    bounds = {b for s in integers for bound in ranges.get(s, ())
              for b in sp.sympify(bound).free_symbols}
    integers |= bounds
    rng = random.Random(seed)
    worst = 0.0
    n = len(r_values)
    for _ in range(points):
        sizes = _draw_integers(integers, rng, ranges)
        written = [write_out(e.xreplace(sizes)) for e in exprs]
        # Integer entries (layer sizes n^[l], once the sum over l is written out) bound
        # inner sums: draw them, then write those sums out too.
        for _ in range(4):
            counts = sorted({x for e in written for x in e.atoms(sp.Indexed) if x.is_integer},
                            key=str)
            if not counts:
                break
            drawn = {}
            for x in counts:
                low, high = ranges.get(x.base, _SIZE_RANGE)
                drawn[x] = sp.Integer(rng.randint(int(low), int(high)))
            written = [write_out(e.xreplace(drawn)) for e in written]
        atoms = set().union(*(e.atoms(sp.Indexed) for e in written))
        plain = set().union(*(e.free_symbols for e in written)) - {
            x.base.label for x in atoms} - set().union(*(x.free_symbols for x in atoms))
        values = {}
        for x in sorted(atoms, key=str):
            low, high = ranges.get(x.base, ranges.get(x.base.label, (-3, 3)))
            values[x] = sp.Float(rng.uniform(low, high), SPOT_DIGITS)
        values.update({s: _draw(s, rng, ranges) for s in sorted(plain, key=str)})
        numbers = []
        for e in written:
            v = e.xreplace(values).evalf(SPOT_DIGITS)
            if not v.is_number:
                raise ValueError(f"spot check could not evaluate {e} numerically")
            numbers.append(complex(v))
        for rn, tn in zip(numbers[:n], numbers[n:]):
            worst = max(worst, _disagreement(rn, tn))
    return float(worst)


def prove(result, textbook, method: str | tuple[str, Callable] = "simplify",
          ranges: Mapping | None = None, points: int = SPOT_POINTS,
          expand: Callable | None = None) -> Proof:
    """Prove ``result == textbook`` with a named SymPy method and a spot check.

    ``method`` is a key of :data:`PROOF_METHODS`, a ``(description, transform)``
    pair whose transform must reduce ``result - textbook`` to zero, or ``"numeric"``
    where no symbolic proof applies. ``expand``, where given, writes out the names a
    derivation displays (such as the softmax outputs ``p_i``) on both sides first.
    """
    if expand is not None:
        result, textbook = expand(result), expand(textbook)
    if _structure(unfold(result)) == _structure(unfold(textbook)):
        # The same expression, built twice (e.g. the last step and the textbook form
        # written alike): equal without simplifying or evaluating anything.
        description = PROOF_METHODS[method][0] if isinstance(method, str) else (
            "numeric evaluation only" if method == "numeric" else method[0])
        return Proof(description, method != "numeric" or None, 0.0, points)
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


DERIVED_AS = ("the definition differentiated directly by SymPy, a route independent of "
              "the steps above")


def derivation(*, name: str, title: str, source: str, summary: str,
               definition: Sequence, steps: Sequence, result, textbook,
               derived=None, derived_as: str = DERIVED_AS,
               method="simplify", ranges: Mapping | None = None,
               expand: Callable | None = None,
               assumptions: Sequence[str] = (), remarks: Sequence[str] = (),
               points: int = SPOT_POINTS, extra: Mapping | None = None) -> Derivation:
    """Build a :class:`Derivation` and run its proof.

    ``definition``: equations ``(lhs, rhs)``; ``steps``: ``(lhs, rhs, caption)``
    triples (``lhs=None`` continues the previous line). ``result``: the left-hand side
    of the boxed result, whose right-hand side is the last step's (or an ``(lhs, rhs)``
    pair whose ``rhs`` must be the last step's); ``textbook``: ``(lhs, rhs)`` with the
    same left-hand side. The proof compares the result with the textbook form and,
    where ``derived`` is given (the definition differentiated directly by SymPy, an
    independent route to the same formula), with ``derived`` too; ``derived_as`` says
    what ``derived`` is, in the remark the report prints. ``expand``: see
    :func:`prove`.
    """
    steps = tuple(s if isinstance(s, Step) else Step(*s) for s in steps)
    if isinstance(result, (Equation, tuple, list)):
        result_eq = result if isinstance(result, Equation) else Equation(*result)
    else:
        result_eq = Equation(result, steps[-1].rhs if steps else sp.S.Zero)
    textbook_eq = textbook if isinstance(textbook, Equation) else Equation(*textbook)
    proof = prove(result_eq.rhs, textbook_eq.rhs, method, ranges, points, expand)
    if derived is not None:
        proof = both(proof, prove(result_eq.rhs, derived, method, ranges, points, expand))
        remarks = (*remarks, derived_remark(derived_as))
    return Derivation(
        name=name,
        title=title,
        source=source,
        summary=summary,
        definition=_equations(definition),
        steps=steps,
        result=result_eq,
        textbook=textbook_eq,
        proof=proof,
        assumptions=tuple(assumptions),
        remarks=tuple(remarks),
        extra=dict(extra or {}),
    )


def derived_remark(derived_as: str = DERIVED_AS) -> str:
    return (rf"In the proof, \emph{{derived}} is {derived_as}; the result is proved equal "
            r"to it as well as to the textbook form.")


def both(textbook_proof: Proof, derived_proof: Proof) -> Proof:
    """One proof from two: the result against the textbook form, and against the
    definition differentiated directly (``derived``); it holds when both do."""
    other = derived_proof.method.replace("textbook", "derived")
    symbolic = (None if textbook_proof.symbolic is None or derived_proof.symbolic is None
                else textbook_proof.symbolic and derived_proof.symbolic)
    return Proof(f"{textbook_proof.method}; {other}", symbolic,
                 max(textbook_proof.spot_check_max_error, derived_proof.spot_check_max_error),
                 textbook_proof.spot_check_points)
