"""The audit of the notes: every claim checked, as a table (CLI) and as errata (report).

``python -m derive audit [--only-wrong] [--full]`` (or ``python -m derive.claims.audit``)
prints each claim's id, note, verdict and formula (Unicode, wrapped to the terminal);
for a claim that does not hold, also the correct form, why, and a counterexample.
``--only-wrong`` keeps the claims that do not hold (wrong, notation, ambiguous): the
errata. The exit status is 0 whatever the verdicts: finding the notes' mistakes is the
audit's job, not a failure.

:func:`errata` gives the report its rows (:class:`~derive.claims.record.ErrataRow`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from collections import Counter
from functools import cache

from ..texrender import math_plain, text_plain
from .check import judge
from .notes import CLAIMS, NOTES
from .record import ErrataRow, Outcome, Verdict, latex_text

__all__ = ["outcomes", "errata", "table", "summary", "main"]


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


def _wrapped(label: str, text: str, width: int) -> list[str]:
    """``label`` then ``text`` wrapped to ``width``, continuation lines under the text."""
    indent = " " * len(label)
    return textwrap.wrap(text, width=width, initial_indent=label, subsequent_indent=indent,
                         break_long_words=True, break_on_hyphens=False) or [label.rstrip()]


def _block(o: Outcome, full: bool, width: int) -> list[str]:
    """The lines of one claim: its verdict, and where it does not hold, why and an example."""
    c = o.claim
    head = f"{c.id:<6} note {c.note}  {o.verdict.value:<9}  "
    pad = " " * 4
    if o.verdict is Verdict.HOLDS:
        lines = _wrapped(head, math_plain(c.written), width)
    else:
        lines = [head.rstrip()]
        lines += _wrapped(pad + "as written:     ", math_plain(c.written), width)
        lines += _wrapped(pad + "correct:        ", math_plain(c.correct) if c.correct
                          else "(see why)", width)
        if c.why:
            lines += _wrapped(pad + "why:            ", text_plain(c.why), width)
        lines += _wrapped(pad + "counterexample: ", text_plain(_counterexample_text(o)), width)
    if full:
        lines += _wrapped(pad + "LaTeX:          ", c.written, width)
        if c.correct:
            lines += _wrapped(pad + "correct, LaTeX: ", c.correct, width)
    return lines


def table(rows, full: bool = False, width: int | None = None) -> str:
    """The rows as text for a terminal: formulas in Unicode, wrapped to ``width``.

    A claim that holds is one line (more if its formula is long); one that does not
    gets the formula as written, the correct form, why, and a counterexample.
    ``full`` adds each formula's LaTeX source as transcribed from the note.
    """
    if width is None:
        width = min(max(shutil.get_terminal_size((100, 24)).columns, 60), 120)
    lines = [f"{'id':<6} {'note':<8}  {'verdict':<9}  formula (as written in the note)",
             "-" * min(width, 80)]
    for o in rows:
        block = _block(o, full, width)
        if len(block) > 1 and lines[-1] != "" and not lines[-1].startswith("-"):
            lines.append("")
        lines += block
        if len(block) > 1:
            lines.append("")
    return "\n".join(lines).rstrip()


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
    parser.add_argument("--full", action="store_true",
                        help="also print each formula's LaTeX source, as transcribed from the note")
    args = parser.parse_args(argv)
    rows = [o for o in outcomes() if not args.only_wrong or o.verdict is not Verdict.HOLDS]
    print(table(rows, full=args.full))
    print()
    print(summary(outcomes()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
