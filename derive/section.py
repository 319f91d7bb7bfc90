"""What one derivation's section says, in order: one plan for the PDF and the web page.

:func:`section_text` turns a :class:`~derive.record.Derivation` into the parts its
section prints (formulas as the handout's LaTeX, prose as LaTeX text) and the sentences
that go with them. :mod:`derive.report` typesets the plan for pdflatex and
:mod:`derive.report_html` as HTML with MathML; neither decides what a section holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .latex import latex_text, scientific, to_latex
from .record import Derivation

__all__ = ["SectionText", "section_text", "method_tex", "typewriter",
           "TEXTBOOK_AS_RESULT", "NUMERIC_ONLY", "FIGURE_CAPTIONS"]

# Printed where the textbook form prints exactly as the result: built apart, shown once.
TEXTBOOK_AS_RESULT = ("The result as printed above; the two sides were built "
                      "independently and are compared below.")
NUMERIC_ONLY = "no symbolic identity applies; checked numerically"

# The caption of the figure at the top of a section (topic -> caption), PDF and web page.
FIGURE_CAPTIONS = {
    "activations": "The activations (solid) and their derivatives (dashed), drawn from "
                   "the expressions derived below.",
    "custom": "Your activations (solid) and their derivatives (dashed), drawn from the "
              "expressions derived below.",
}


@dataclass(frozen=True)
class SectionText:
    """The parts of one derivation's section, in the order they print.

    Formulas are LaTeX math (no dollar signs); ``title``, ``source``, ``summary``,
    ``assumptions``, captions, ``proof`` and ``remarks`` are LaTeX text. ``definition``
    and ``steps`` keep their two sides apart (a step's left side is "" where it
    continues the line above); ``textbook`` is None where it prints as ``result``.
    """

    name: str
    title: str
    source: str
    summary: str
    definition: tuple[tuple[str, str], ...]
    assumptions: tuple[str, ...]
    steps: tuple[tuple[str, str, str], ...]
    result: str
    textbook: str | None
    holds: bool
    proof: str
    remarks: tuple[str, ...]


def typewriter(text: str) -> str:
    """Typewriter text with every LaTeX special escaped; may break after underscores."""
    return "\\texttt{" + latex_text(text).replace(r"\_", r"\_\allowbreak{}") + "}"


def _breakable(code: str) -> str:
    # A method such as piecewise_fold(rewrite(...)) is one long word to TeX: allow line
    # breaks after its brackets and commas, so that no line ends in a wide gap before it.
    return code.replace("(", "(\\allowbreak{}").replace(",", ",\\allowbreak{}")


def method_tex(method: str) -> str:
    """A proof method in typewriter type; its parts between dollar signs are math."""
    parts = method.split("$")
    if len(parts) % 2 == 0:  # unbalanced: all typewriter
        return _breakable(typewriter(method))
    return "".join(f"${part}$" if k % 2 else _breakable(typewriter(part))
                   for k, part in enumerate(parts) if k % 2 or part)


def _proof(d: Derivation) -> str:
    p = d.proof
    if p.symbolic is None:
        how = NUMERIC_ONLY
    else:
        verdict = "reduces to zero" if p.symbolic else "does \\emph{not} reduce to zero"
        how = f"{method_tex(p.method)} {verdict}"
    return (f"{how}. Spot check at {p.spot_check_points} random points (30 digits): "
            f"largest relative error ${scientific(p.spot_check_max_error)}$.")


def _equation(lhs, rhs) -> str:
    return f"{to_latex(lhs)} = {to_latex(rhs)}"


def section_text(d: Derivation) -> SectionText:
    """The plan of ``d``'s section (see :class:`SectionText`)."""
    result = _equation(d.result.lhs, d.result.rhs)
    textbook = _equation(d.textbook.lhs, d.textbook.rhs)
    return SectionText(
        name=d.name, title=d.title, source=d.source, summary=d.summary,
        definition=tuple((to_latex(e.lhs) if e.lhs is not None else "", to_latex(e.rhs))
                         for e in d.definition),
        assumptions=tuple(d.assumptions),
        steps=tuple((to_latex(st.lhs) if st.lhs is not None else "", to_latex(st.rhs),
                     st.caption) for st in d.steps),
        result=result,
        textbook=None if textbook == result else textbook,
        holds=d.proof.holds,
        proof=_proof(d),
        remarks=tuple(d.remarks),
    )
