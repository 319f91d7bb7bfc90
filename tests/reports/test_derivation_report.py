"""The derivation report: complete, clean LaTeX, and a PDF that compiles."""

import re
import shutil

import pytest

RAW_SYMPY = ("Dummy", "Heaviside", "logaddexp", "Piecewise", "_lambdifygenerated",
             r"\operatorname{sigma}", r"\theta\left(")


def test_every_derivation_has_a_section(report_files, registry):
    tex = report_files.tex.read_text()
    for name in registry:
        assert f"\\label{{d:{name}}}" in tex, name


def test_no_raw_sympy_names_in_the_tex(report_files):
    # \texttt{...} names SymPy operations on purpose (the proof method); the math must not.
    tex = re.sub(r"\\texttt\{(?:[^{}\\]|\\.|\{\})*\}", "", report_files.tex.read_text())
    for raw in RAW_SYMPY:
        assert raw not in tex, raw


def test_every_proof_line_says_proved(report_files, registry):
    tex = report_files.tex.read_text()
    assert tex.count(r"\paragraph{Proof.} \provedmark") == len(registry)
    assert r"\failedmark:" not in tex


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex missing: .ci/run installs TeX Live, so CI runs this")
def test_pdf_compiles_without_latex_errors(report_files):
    assert report_files.pdf is not None and report_files.pdf.exists()
    log = report_files.tex.with_suffix(".log").read_text(errors="replace")
    assert not re.search(r"^! ", log, re.M), "LaTeX error in the log"
    # Overfull boxes wider than 20pt are visible garbage in the margin.
    overfull = [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert all(w < 20 for w in overfull), f"overfull boxes: {overfull}"
