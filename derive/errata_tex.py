"""The report's Errata section: every claim of the notes that does not hold."""

from __future__ import annotations

import re

__all__ = ["render_errata", "errata_intro", "ERRATA_TITLE"]

_VERDICT_WORDS = {
    "wrong": r"\textcolor{red!70!black}{\textbf{wrong}}",
    "notation": r"\textcolor{orange!80!black}{\textbf{notation}}",
    "ambiguous": r"\textcolor{blue!60!black}{\textbf{ambiguous}}",
}


def _breakable(text: str) -> str:
    # Inline math breaks only after relations and operators; a long list of values
    # separated by semicolons needs explicit break points. The empty group keeps the
    # space that \allowbreak would otherwise swallow.
    return text.replace("; ", ";\\allowbreak{} ").replace(", ", ",\\allowbreak{} ")


# A short formula right after an opening bracket, "($\\backslash$ for ...": tied to the
# next word, so that a line (or page) never ends with the bracket and the symbol alone.
_SHORT_MATH_AFTER_BRACKET = re.compile(r"\((\$[^$]{1,16}\$) ")


def _tied(text: str) -> str:
    return _SHORT_MATH_AFTER_BRACKET.sub(r"(\1~", text)


def _labelled(text: str) -> str:
    """``as written X; correct Y`` -> ``as written: X; correct: Y`` (the two values)."""
    return text.replace("as written $", "as written: $").replace("; correct $", "; correct: $")


# A formula longer than this (in LaTeX characters) that lists items separated by
# ";\ " (several corrections of a code fragment) is set one item per line.
_LIST_SPLIT_LIMIT = 120


def _lines(label: str, math: str) -> str:
    """Rows of the align* block for one side: one row, or one per listed item."""
    items = math.split(";\\ ") if len(math) > _LIST_SPLIT_LIMIT else [math]
    rows = [f"\\text{{{label}}}\\quad & \\fitto{{0.72\\linewidth}}{{{items[0]}}}"]
    rows += [f"& \\fitto{{0.72\\linewidth}}{{{item}}}" for item in items[1:]]
    return " \\\\\n".join(rows)


ERRATA_TITLE = "Errata: what the course notes get wrong"


def errata_intro(rows) -> str:
    """The paragraph that opens the Errata section (LaTeX text; the web page's too)."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    return ("Every formula and code fragment of the five notes was transcribed as a claim and "
            "checked (\\texttt{python -m derive audit} lists them all, with the ones that hold). "
            "This section lists the claims that do not hold: \\emph{wrong} (the formula, or "
            "its shapes, give a different value), \\emph{notation} (right idea, wrong symbols) "
            f"and \\emph{{ambiguous}}. In all: {summary}. Each entry gives the formula as "
            "written, the correct form, and a concrete counterexample.")


def render_errata(rows) -> str:
    """LaTeX of the Errata section; ``rows`` are ``derive.claims`` ErrataRow records."""
    if not rows:
        return ""
    out = [f"\\section{{{ERRATA_TITLE}}}\\label{{errata}}\n", errata_intro(rows) + "\n\n"]
    for r in rows:
        verdict = _VERDICT_WORDS.get(r.verdict, r.verdict)
        out.append(
            f"\\subsection*{{{r.id}: {r.where}}}\n"
            f"{verdict}. {_tied(r.explanation)}\n"
            "\\begin{align*}\n"
            f"{_lines('as written:', r.written)} \\\\\n"
            f"{_lines('correct:', r.correct)}\n"
            "\\end{align*}\n"
            f"{{\\small\\textit{{Counterexample.}} {_breakable(_tied(_labelled(r.counterexample)))}}}\n\n"
        )
    return "".join(out)
