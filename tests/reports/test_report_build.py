"""Building the PDF: a right table of contents on the first build, the same bytes on a
rebuild, and no stale PDF left looking current."""

import re
import shutil
import subprocess

import pytest

needs_tools = pytest.mark.skipif(
    shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
    reason="pdflatex/pdftotext missing: .ci/run installs both, so CI runs this")

# A contents line: "2.3   Derivative of the rectified linear unit . . . .   7".
_TOC_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(\S+).*?\s(\d+)\s*$")


def _page_text(pdf, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _contents(pdf) -> list[tuple[str, str, int]]:
    """(number, first word of the title, page) for each entry of the table of contents."""
    entries, page = [], 1
    # The contents end before the page of their first entry.
    while page < 12 and not (entries and page >= entries[0][2]):
        text = _page_text(pdf, page)
        if not entries and "Contents" not in text:
            page += 1
            continue
        found = [_TOC_LINE.match(line) for line in text[text.find("Contents") + 1:].splitlines()]
        found = [(m.group(1), m.group(2), int(m.group(3))) for m in found if m]
        if entries and not found:
            break
        entries += found
        page += 1
    return entries


@pytest.mark.pdf
@needs_tools
def test_table_of_contents_matches_the_pages_on_a_first_build(report_files):
    # report_files is built once from an empty folder: the first build a new user gets.
    entries = _contents(report_files.pdf)
    sections = [e for e in entries if "." not in e[0]]
    assert len(sections) >= 10 and len(entries) >= 40, entries
    wrong = []
    for number, word, page in entries:
        heading = re.compile(rf"^\s*{re.escape(number)}\s+{re.escape(word)}", re.M)
        if not heading.search(_page_text(report_files.pdf, page)):
            wrong.append((number, word, page))
    assert not wrong, f"contents entries not on the page they name: {wrong}"


@pytest.mark.pdf
@needs_tools
def test_rebuilding_without_a_change_gives_the_same_bytes(report_files, registry, tmp_path):
    # Rebuild into a copy of the first build (its .aux files included, as in reports/):
    # no date, id or banner may differ, or every run would dirty git.
    from derive.report import write_report

    copy = tmp_path / "again"
    shutil.copytree(report_files.tex.parent, copy)
    write_report(copy, pdf=True, registry=registry, progress=None)
    for name in ("derivations.tex", "derivations.pdf", "activations.pdf"):
        assert (copy / name).read_bytes() == (report_files.tex.parent / name).read_bytes(), name


def test_a_pdf_that_is_not_rebuilt_is_removed_when_the_tex_changed(report_files, registry, tmp_path):
    from derive.report import write_report

    copy = tmp_path / "stale"
    copy.mkdir()
    tex = copy / "derivations.tex"
    pdf = copy / "derivations.pdf"
    # The .tex as it will be written: an old PDF of it is current and stays.
    tex.write_bytes(report_files.tex.read_bytes())
    pdf.write_bytes(b"%PDF- built from this .tex")
    said = []
    write_report(copy, pdf=False, registry=registry, progress=said.append)
    assert pdf.exists(), said
    # An older .tex: its PDF would look current although it is not; it goes, and we say so.
    tex.write_text(report_files.tex.read_text().replace("Summary", "Old summary", 1))
    write_report(copy, pdf=False, registry=registry, progress=said.append)
    assert not pdf.exists()
    assert any("removed" in line and "derivations.pdf" in line for line in said), said
