"""The audit of the notes: every claim checked, as a table (CLI) and as errata (report).

``python -m derive audit [--only-wrong] [--full]`` (or ``python -m derive.claims.audit``)
prints one row per claim: id, note, verdict, the formula as written, the correct form.
``--only-wrong`` keeps the claims that do not hold (wrong, notation, ambiguous): the
errata. The exit status is 0 whatever the verdicts: finding the notes' mistakes is the
audit's job, not a failure.

:func:`errata` gives the report its rows (:class:`~derive.claims.record.ErrataRow`).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from functools import cache

from .check import judge
from .notes import CLAIMS, NOTES
from .record import ErrataRow, Outcome, Verdict, latex_text

__all__ = ["outcomes", "errata", "table", "summary", "main"]

WIDTH = 48  # characters of a formula shown per column, unless --full


@cache
def outcomes() -> tuple[Outcome, ...]:
    """Every claim of the notes with its verdict, in the notes' order (cached)."""
    return tuple(judge(c) for c in CLAIMS)


def _counterexample_text(o: Outcome) -> str:
    cx = o.evidence.counterexample
    if cx is not None:
        return cx.latex()
    # Notation claims fail a rule of the note's own conventions, stated in the detail.
    return o.evidence.detail


def errata() -> list[ErrataRow]:
    """One row per claim that does not hold, LaTeX-ready (see :class:`ErrataRow`)."""
    rows = []
    for o in outcomes():
        if o.verdict is Verdict.HOLDS:
            continue
        c = o.claim
        rows.append(ErrataRow(
            id=c.id, note=c.note, where=f"note {c.note}, {latex_text(c.section)}",
            verdict=o.verdict.value, written=c.written, correct=c.correct,
            counterexample=_counterexample_text(o), explanation=c.why))
    return rows


def _cell(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    if width is None or len(text) <= width:
        return text
    return text[: width - 3] + "..."


def table(rows, full: bool = False) -> str:
    """The rows as a text table: id, note, verdict, formula as written, correct form."""
    width = None if full else WIDTH
    head = ("id", "note", "verdict", "formula as written", "correct form")
    body = [(o.claim.id, o.claim.note, o.verdict.value, _cell(o.claim.written, width),
             _cell(o.claim.correct or "(as written)", width)) for o in rows]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(4)]
    lines = []
    for r in [head, *body]:
        lines.append("  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])
    lines.insert(1, "-" * (sum(widths) + 8 + len(head[4])))
    return "\n".join(lines)


def summary(rows) -> str:
    """Counts of verdicts per note, one line each."""
    counts = Counter((o.claim.note, o.verdict) for o in rows)
    lines = []
    for note in NOTES:
        parts = [f"{v.value} {counts[(note, v)]}" for v in Verdict if counts[(note, v)]]
        total = sum(counts[(note, v)] for v in Verdict)
        lines.append(f"note {note}: {total} claims ({', '.join(parts)})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI: print the audit table (all claims, or ``--only-wrong``); exit status 0."""
    parser = argparse.ArgumentParser(
        prog="python -m derive audit",
        description="Check every formula of the course notes and print the verdicts.")
    parser.add_argument("--only-wrong", action="store_true",
                        help="only the claims that do not hold (wrong, notation, ambiguous)")
    parser.add_argument("--full", action="store_true", help="do not shorten the formulas")
    args = parser.parse_args(argv)
    rows = [o for o in outcomes() if not args.only_wrong or o.verdict is not Verdict.HOLDS]
    print(table(rows, full=args.full))
    print()
    print(summary(outcomes()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
