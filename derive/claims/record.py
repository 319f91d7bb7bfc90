"""The records of the audit: claims, the evidence a check gives, verdicts, errata rows.

String conventions, so that the report can typeset without escaping anything:

* *math* fields (``Claim.written``, ``Claim.correct``, ``ErrataRow.written``,
  ``ErrataRow.correct``, ``Counterexample.inputs`` values, ``.written``/``.correct``)
  are LaTeX math-mode content without delimiters: wrap them in ``$...$``.
* *text* fields (``Claim.why``, ``Claim.reading``, ``Evidence.detail``,
  ``ErrataRow.counterexample``, ``ErrataRow.explanation``, ``ErrataRow.where``) are
  LaTeX text with inline ``$...$`` math and no unescaped ``_ & % # ~ ^``.
  They are also what the terminal table prints (the notes themselves are written in
  LaTeX, so this is the formula "as written").

Packages the LaTeX needs: amsmath, amssymb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from ..latex import latex_text

__all__ = ["Verdict", "Counterexample", "Evidence", "Claim", "Outcome", "ErrataRow",
           "latex_text", "code_text"]


# `code` (markdown) and 'name' (how Python's error messages quote a name): both are code.
_CODE_SPAN = re.compile(r"`([^`]+)`|'([A-Za-z_][\w.]*|\.\.\.)'")


def code_text(text: str) -> str:
    """Plain text that quotes code, as LaTeX text: the quoted parts in typewriter type.

    A message such as ``name 'np' is not defined`` or a note such as ```xrange` does not
    exist`` would print with mismatched quotes if only escaped (TeX reads ` and ' as an
    opening and a closing quote); the quoted code is set in typewriter type instead.
    """
    out, last = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(latex_text(text[last:m.start()]))
        out.append(r"\texttt{" + latex_text(m.group(1) or m.group(2)) + "}")
        last = m.end()
    out.append(latex_text(text[last:]))
    return "".join(out)


class Verdict(str, Enum):
    """What checking a claim found.

    ``HOLDS``: right as written, read with the note's own conventions.
    ``WRONG``: as written it gives a wrong value or wrong shape (a counterexample shows it).
    ``NOTATION``: right idea, wrong symbols: the symbols as written denote something
    else (a label, an index, an operator), while the intended reading holds.
    ``AMBIGUOUS``: the formula has two readings, one that holds and one that does not,
    and the note does not say which is meant.
    """

    HOLDS = "holds"
    WRONG = "wrong"
    NOTATION = "notation"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Counterexample:
    """Values in, both results out.

    ``inputs``: ``(name, value)`` pairs, both math; ``written``/``correct``: the value
    of the formula as written and of the correct form, math; ``note``: text.
    """

    inputs: tuple[tuple[str, str], ...]
    written: str
    correct: str
    note: str = ""
    plain: str = ""  # the same, as plain text for a terminal (may be empty)

    def latex(self) -> str:
        """One sentence of LaTeX text: ``$z = 0$: as written $2$; correct $\\tfrac12$.``"""
        given = ", ".join(f"{k} = {v}" for k, v in self.inputs)
        head = f"${given}$: " if given else ""
        tail = f" {self.note}" if self.note else ""
        return f"{head}as written ${self.written}$; correct ${self.correct}$.{tail}"


@dataclass(frozen=True)
class Evidence:
    """What one check found. ``method`` names it (simplify, numeric, shape rule, ...)."""

    ok: bool
    method: str
    detail: str = ""
    counterexample: Counterexample | None = None


@dataclass(frozen=True)
class Claim:
    """A formula as written in a note, and how it is checked.

    Fields
    ------
    id : str
        ``N<note digit>-<nn>``, e.g. ``N1-08``; stable, in the order of the note.
    note : str
        The note's number, ``"000"`` to ``"004"``.
    section : str
        The note's section heading, text.
    written : str
        The formula as written in the note, math (the note's LaTeX, made compilable).
    check : callable () -> Evidence
        Checks the *literal* reading against the correct form (a derivation, a shape
        rule, a numeric evaluation, a code run).
    correct : str
        The correct form, math; empty where the claim holds as written.
    issue : Verdict or None
        For a claim transcribed as ``NOTATION`` or ``AMBIGUOUS``: the verdict it gets
        when the literal check fails *and* ``intended`` holds. It never makes a
        failing claim hold, nor a holding one fail.
    intended : callable () -> Evidence, or None
        Checks the intended reading.
    why : str
        What is wrong, or under which reading it holds, text.
    reading : str
        The conventions the claim is read with (e.g. which layer ``w^{(l)}`` maps), text.
    kind : str
        ``formula``, ``code`` or ``text`` (a statement of the prose).
    reference : str or None
        The registry derivation it corresponds to, where there is one (cross-checked
        by the tests, not by the audit, which must run while derivations are written).
    source : str
        A verbatim excerpt of the note, to find the claim in it.
    """

    id: str
    note: str
    section: str
    written: str
    check: Callable[[], Evidence]
    correct: str = ""
    issue: Verdict | None = None
    intended: Callable[[], Evidence] | None = None
    why: str = ""
    reading: str = ""
    kind: str = "formula"
    reference: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Outcome:
    """A claim with its verdict and the evidence behind it."""

    claim: Claim
    verdict: Verdict
    evidence: Evidence
    intended: Evidence | None = None

    @property
    def counterexample(self) -> Counterexample | None:
        return self.evidence.counterexample


@dataclass(frozen=True)
class ErrataRow:
    """One row of the report's Errata section: a claim that does not hold.

    ``id``: text (``N1-08``). ``note``: ``"001"``. ``where``: text, note and section
    (``note 001, Forward Propagation``). ``verdict``: ``wrong``/``notation``/
    ``ambiguous``. ``written``, ``correct``: math. ``counterexample``: text with inline
    math, values in and both results out (or what fails, for code). ``explanation``:
    text.
    """

    id: str
    note: str
    where: str
    verdict: str
    written: str
    correct: str
    counterexample: str
    explanation: str
