"""Short ways to write the checks of the notes' claims (used by :mod:`derive.claims.notes`).

Each helper returns a zero-argument callable giving :class:`Evidence`, so that the
transcription reads as a table: the claim, then how it is checked. The checks run
only when the audit (or a test) asks for them.
"""

from __future__ import annotations

from typing import Callable, Mapping

import sympy as sp

from .check import check_identity, check_shapes, fails, holds
from .parse import parse_expression
from .record import Counterexample, Evidence

__all__ = ["once", "with_note", "P", "same", "same_expr", "shapes", "rule", "definition", "at_point",
           "numeric", "describe"]

Check = Callable[[], Evidence]


def once(check: Check) -> Check:
    """The same check, computed at most once per process (shared by repeated claims)."""
    memo: list[Evidence] = []

    def cached() -> Evidence:
        if not memo:
            memo.append(check())
        return memo[0]

    return cached


def P(text: str) -> sp.Expr:
    """Parse a formula of the notes with the same whitelist parser users get."""
    return parse_expression(text)


def same(written: str, correct: str, domain: Mapping | None = None,
         names: Mapping | None = None) -> Check:
    """``written == correct`` as formulas in the claim language (strings)."""
    labels = {sp.Symbol(k, real=True): v for k, v in (names or {}).items()}
    return lambda: check_identity(P(written), P(correct), domain=domain, names=labels)


def same_expr(written: Callable[[], sp.Basic], correct: Callable[[], sp.Basic],
              domain: Mapping | None = None, names: Mapping | None = None) -> Check:
    """``written() == correct()`` as SymPy objects built on demand."""
    return lambda: check_identity(written(), correct(), domain=domain, names=names)


def shapes(written, correct, operands: Mapping[str, tuple[int, int]]) -> Check:
    """Shape rule: see :func:`~derive.claims.check.check_shapes`."""
    return lambda: check_shapes(written, correct, operands)


def rule(detail: str) -> Check:
    """The literal reading breaks a convention of the note itself (stated in ``detail``).

    Used only for the literal reading of a claim transcribed as notation or ambiguous,
    where the symbols, not the values, are at fault; the intended reading is then
    checked by a real computation.
    """
    return lambda: fails("notation rule", detail)


def definition(detail: str = "a definition: it introduces a name") -> Check:
    """A definition holds by itself; ``detail`` says what it defines."""
    return lambda: holds("definition", detail)


def describe(evidence: Evidence, inputs: tuple[tuple[str, str], ...], note: str = ""
             ) -> Evidence:
    """Give a failing numeric evidence the inputs it was computed from."""
    cx = evidence.counterexample
    if evidence.ok or cx is None:
        return evidence
    return Evidence(False, evidence.method, evidence.detail,
                    Counterexample(inputs + cx.inputs, cx.written, cx.correct,
                                   note or cx.note))


def with_note(check: Check, note: str) -> Check:
    """The same check; a counterexample it gives carries ``note`` (what each side is)."""
    return lambda: describe(check(), (), note)


def at_point(written: Callable[[], sp.Basic], correct: Callable[[], sp.Basic],
             inputs: tuple[tuple[str, str], ...] = (), method: str = "") -> Check:
    """Compare two values computed on a model network (no free symbols left)."""
    def check():
        w, c = sp.N(written(), 30), sp.N(correct(), 30)
        e = describe(check_identity(w, c, symbolic=False), inputs)
        return Evidence(e.ok, method or e.method, e.detail, e.counterexample)
    return check


def numeric(fn: Callable[[], tuple[bool, str]], method: str = "numeric",
            counterexample: Callable[[], Counterexample] | None = None) -> Check:
    """A check computed in NumPy (or by running code): ``fn() -> (ok, detail)``."""
    def check():
        ok, detail = fn()
        if ok:
            return holds(method, detail)
        return fails(method, detail, counterexample() if counterexample else None)
    return check
