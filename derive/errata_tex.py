"""The report's Errata section: every claim of the notes that does not hold."""

from __future__ import annotations

__all__ = ["render_errata"]

_VERDICT_WORDS = {
    "wrong": r"\textcolor{red!70!black}{\textbf{wrong}}",
    "notation": r"\textcolor{orange!80!black}{\textbf{notation}}",
    "ambiguous": r"\textcolor{blue!60!black}{\textbf{ambiguous}}",
}


def _breakable(text: str) -> str:
    # Inline math breaks only after relations and operators; a long list of values
    # separated by semicolons needs explicit break points.
    return text.replace("; ", ";\\allowbreak ").replace(", ", ",\\allowbreak ")


def render_errata(rows) -> str:
    """LaTeX of the Errata section; ``rows`` are ``derive.claims`` ErrataRow records."""
    if not rows:
        return ""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    out = [
        "\\section{Errata: what the course notes get wrong}\\label{errata}\n",
        "Every formula and code fragment of the five notes was transcribed as a claim and "
        "checked (\\texttt{python -m derive audit} lists them all, with the ones that hold). "
        "This section lists the claims that do not hold: \\emph{wrong} (the formula, or "
        "its shapes, give a different value), \\emph{notation} (right idea, wrong symbols) "
        f"and \\emph{{ambiguous}}. In all: {summary}. Each entry gives the formula as "
        "written, the correct form, and a concrete counterexample.\n\n",
    ]
    for r in rows:
        verdict = _VERDICT_WORDS.get(r.verdict, r.verdict)
        out.append(
            f"\\subsection*{{{r.id}: {r.where}}}\n"
            f"{verdict}. {r.explanation}\n"
            "\\begin{align*}\n"
            f"\\text{{as written:}}\\quad & \\fitto{{0.72\\linewidth}}{{{r.written}}} \\\\\n"
            f"\\text{{correct:}}\\quad & \\fitto{{0.72\\linewidth}}{{{r.correct}}}\n"
            "\\end{align*}\n"
            f"{{\\small\\textit{{Counterexample.}} {_breakable(r.counterexample)}}}\n\n"
        )
    return "".join(out)
