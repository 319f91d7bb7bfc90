"""The handout as one web page: ``reports/derivations.html``.

The same sections as the PDF (:mod:`derive.report`): the summary, a table of contents
that links, one section per topic with its derivations, the activations figure and
the errata. Self-contained: the formulas are MathML, which browsers draw natively;
the figure is inline SVG; the style sheet is in the page. Viewing it fetches nothing.

Every formula is the LaTeX the PDF prints (:func:`derive.latex.to_latex`, the claims'
transcriptions, the prose's ``$...$``) read back by :mod:`derive.texmath`, so the page
shows the notation of the handout, not a second printing of the expressions.
"""

from __future__ import annotations

import re
from html import escape

from .errata_tex import ERRATA_TITLE, errata_intro
from .latex import scientific
from .record import Derivation
from .section import FIGURE_CAPTIONS, TEXTBOOK_AS_RESULT, section_text
from .texrender import math_html, text_html

__all__ = ["render_html"]

STYLE = """
body { font-family: "Latin Modern Roman", "CMU Serif", "DejaVu Serif", Georgia, serif;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45;
       color: #111; background: #fff; }
math { font-family: "Latin Modern Math", "STIX Two Math", "DejaVu Serif", math; }
h1 { font-size: 1.7rem; text-align: center; }
h2 { border-bottom: 1px solid #999; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin-top: 2rem; }
.byline { text-align: center; color: #444; }
.source { font-size: .9rem; color: #333; }
.label { font-weight: bold; margin: 1rem 0 .3rem; }
.display { overflow-x: auto; overflow-y: hidden; padding: .2rem 0; margin: .4rem 0 .4rem 1.5rem; }
table.steps { border-collapse: collapse; margin-left: 1rem; }
table.steps td { padding: .35rem .6rem; vertical-align: middle; }
table.steps td.lhs { text-align: right; padding-right: 0; }
table.steps td.eq { padding-left: .3rem; padding-right: .3rem; }
table.steps td.rhs { text-align: left; padding-left: 0; }
table.steps td.lhs math, table.steps td.rhs math { math-style: normal; }
table.steps td.caption { font-style: italic; font-size: .92rem; color: #333; max-width: 18rem; }
.boxed { border: 1px solid #000; padding: .3rem .5rem; }
.proved { color: #1a6b1a; font-weight: bold; }
.failed, .wrong { color: #a31515; font-weight: bold; }
.notation { color: #b35c00; font-weight: bold; }
.ambiguous { color: #2a4d9b; font-weight: bold; }
table.summary { border-collapse: collapse; width: 100%; font-size: .93rem; }
table.summary th, table.summary td { border-bottom: 1px solid #ccc; padding: .2rem .4rem;
                                      text-align: left; vertical-align: top; }
table.summary td code { white-space: nowrap; }
nav ol { list-style: none; padding-left: 1rem; }
nav > ol > li { margin-top: .4rem; font-weight: bold; }
nav ol ol li { font-weight: normal; }
.figure svg { width: 100%; height: auto; }
.figure p { text-align: center; font-size: .92rem; }
.errata-entry { margin-bottom: 1.5rem; }
.counterexample { font-size: .93rem; }
code, mtext.tt { font-family: "Latin Modern Mono", "DejaVu Sans Mono", monospace; font-size: .92em; }
mtext.it { font-style: italic; }
mtext.bf { font-weight: bold; }
"""

_HEADING = re.compile(r"\\section\*\{([^}]*)\}")


def _display(tex: str) -> str:
    return f'<div class="display">{math_html(tex, display=True)}</div>'


def _verdict(holds: bool) -> str:
    return ('<span class="proved">proved</span>' if holds
            else '<span class="failed">NOT proved</span>')


def _steps(steps) -> str:
    if not steps:
        return ""
    # Left side, '=' and right side in cells of their own, so the '=' of the steps line up.
    rows = [f'<tr><td class="caption">{text_html(caption)}</td>'
            f'<td class="lhs">{math_html(left) if left else ""}</td>'
            f'<td class="eq">{math_html("=")}</td>'
            f'<td class="rhs">{math_html(right)}</td></tr>'
            for left, right, caption in steps]
    return ('<p class="label">Derivation.</p>\n<div class="display"><table class="steps">'
            + "\n".join(rows) + "</table></div>\n")


def render_derivation(d: Derivation, number: str) -> str:
    """The HTML section of one derivation, from the plan the PDF's section follows too
    (:func:`derive.section.section_text`)."""
    s = section_text(d)
    parts = [f'<section id="d-{s.name}">\n<h3>{number} {text_html(s.title)}</h3>\n',
             f'<p class="source"><em>Source:</em> {text_html(s.source)}. '
             f"<em>Registry name:</em> <code>{escape(s.name)}</code>.</p>\n",
             f"<p>{text_html(s.summary)}</p>\n"]
    if s.definition:
        parts.append('<p class="label">Definition.</p>\n' + "".join(
            _display((left + " = " if left else "") + right) for left, right in s.definition))
    if s.assumptions:
        parts.append('<p class="label">Assumptions.</p>\n<ul>'
                     + "".join(f"<li>{text_html(a)}</li>" for a in s.assumptions) + "</ul>\n")
    parts.append(_steps(s.steps))
    parts.append('<p class="label">Result.</p>\n' + _display(f"\\boxed{{{s.result}}}"))
    if s.textbook is None:
        parts.append(f'<p><span class="label">Textbook form.</span> {text_html(TEXTBOOK_AS_RESULT)}</p>\n')
    else:
        parts.append('<p class="label">Textbook form.</p>\n' + _display(s.textbook))
    parts.append(f'<p><span class="label">Proof.</span> {_verdict(s.holds)}: '
                 f"{text_html(s.proof)}</p>\n")
    for remark in s.remarks:
        parts.append(f'<p><span class="label">Remark.</span> {text_html(remark)}</p>\n')
    parts.append("</section>\n")
    return "".join(parts)


def _summary(groups) -> str:
    rows = []
    for _topic, items in groups:
        for d in items:
            rows.append(f'<tr><td><a href="#d-{d.name}">{text_html(d.title)}</a></td>'
                        f"<td><code>{escape(d.name)}</code></td>"
                        f"<td>{math_html(scientific(d.proof.spot_check_max_error))}</td>"
                        f"<td>{_verdict(d.proof.holds)}</td></tr>")
    return ('<section id="summary">\n<h2>Summary</h2>\n<table class="summary">\n'
            "<tr><th>Derivation</th><th>Name</th><th>Spot check</th><th>Verdict</th></tr>\n"
            + "\n".join(rows) + "\n</table>\n</section>\n")


def _contents(numbered, errata_rows) -> str:
    items = []
    for number, topic, title, derivations in numbered:
        sub = "".join(f'<li><a href="#d-{d.name}">{n} {text_html(d.title)}</a></li>'
                      for n, d in derivations)
        items.append(f'<li><a href="#s-{topic}">{number} {escape(title)}</a><ol>{sub}</ol></li>')
    if errata_rows:
        items.append(f'<li><a href="#errata">{len(numbered) + 1} {escape(ERRATA_TITLE)}</a></li>')
    return ('<nav id="contents">\n<h2>Contents</h2>\n<ol>' + "\n".join(items)
            + "</ol>\n</nav>\n")


def _errata(rows, number: int) -> str:
    if not rows:
        return ""
    out = [f'<section id="errata">\n<h2>{number} {escape(ERRATA_TITLE)}</h2>\n',
           f"<p>{text_html(errata_intro(rows))}</p>\n"]
    for r in rows:
        verdict = r.verdict if r.verdict in ("wrong", "notation", "ambiguous") else "wrong"
        correct = "".join(_display(item) for item in r.correct.split(";\\ ")) if r.correct else ""
        out.append(
            f'<div class="errata-entry" id="{escape(r.id)}">\n'
            f"<h3>{escape(r.id)}: {text_html(r.where)}</h3>\n"
            f'<p><span class="{verdict}">{escape(r.verdict)}</span>. {text_html(r.explanation)}</p>\n'
            f'<p class="label">as written:</p>{_display(r.written)}'
            f'<p class="label">correct:</p>{correct}'
            f'<p class="counterexample"><em>Counterexample.</em> {text_html(r.counterexample)}</p>\n'
            "</div>\n")
    out.append("</section>\n")
    return "".join(out)


def render_html(groups, *, topic_titles: dict, intro_tex: str,
                figure_svg: str | None = None, errata_rows=(), title: str = "",
                figures=None) -> str:
    """The whole page. ``groups``: ``[(topic, [Derivation, ...]), ...]`` as for the PDF.

    ``intro_tex``: the PDF's introduction (LaTeX text with a ``\\section*`` heading).
    ``figure_svg``: the activations figure; ``figures``: ``{topic: (svg, width as a share
    of the page)}`` (the activations figure among them, or a user's own in "custom").
    """
    figures = dict(figures or {})
    if figure_svg and "activations" not in figures:
        figures["activations"] = (figure_svg, 1.0)
    numbered = []
    for k, (topic, items) in enumerate(groups, start=1):
        numbered.append((str(k), topic, topic_titles.get(topic, topic),
                         [(f"{k}.{j}", d) for j, d in enumerate(items, start=1)]))
    heading = _HEADING.search(intro_tex)
    intro_title = heading.group(1) if heading else "How to read this handout"
    intro_body = _HEADING.sub("", intro_tex).strip()
    out = ["<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
           f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
           f"<h1>{escape(title)}</h1>\n",
           '<p class="byline">generated by <code>python -m derive report --html</code></p>\n',
           f'<section id="intro">\n<h2>{escape(intro_title)}</h2>\n<p>{text_html(intro_body)}</p>\n'
           "</section>\n",
           _summary(groups), _contents(numbered, errata_rows)]
    for (number, topic, title_text, derivations) in numbered:
        out.append(f'<section id="s-{topic}">\n<h2>{number} {escape(title_text)}</h2>\n')
        if topic in figures:
            svg, share = figures[topic]
            svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', 'width="100%"', svg, count=1)
            style = "" if share >= 1 else f' style="max-width: {100 * share:.4g}%"'
            out.append(f'<figure class="figure"{style}>{svg}\n'
                       f"<p>{escape(FIGURE_CAPTIONS[topic])}</p></figure>\n")
        for n, d in derivations:
            out.append(render_derivation(d, n))
        out.append("</section>\n")
    out.append(_errata(list(errata_rows), len(numbered) + 1))
    out.append("</body>\n</html>\n")
    return "".join(out)
