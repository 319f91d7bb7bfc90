"""The handout as a web page: self-contained, complete, and drawn by a real browser."""

import os
import re
import shutil
import subprocess

import pytest

RAW_TEX = (r"\frac", r"\left", r"\right", r"\sum", r"\texttt", r"\mathbf", r"\begin", "$")


@pytest.fixture(scope="module")
def page(tmp_path_factory, registry):
    from derive.report import write_report
    from derive.texmath import UNKNOWN

    UNKNOWN.clear()
    out = tmp_path_factory.mktemp("html")
    files = write_report(out, pdf=False, registry=registry, progress=None, html=True)
    return files.html, files.html.read_text(encoding="utf-8"), set(UNKNOWN)


def _without_svg(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def test_every_command_of_the_report_is_understood(page):
    # A LaTeX command outside the reader's subset would show as a bare name.
    assert page[2] == set()


def test_no_raw_tex_in_the_page(page):
    text = _without_svg(page[1])
    for raw in RAW_TEX:
        assert raw not in text, (raw, text[text.find(raw) - 200:text.find(raw) + 100])
    assert not re.search(r"\\[A-Za-z]+", text)
    assert text.count("<math") > 500  # formulas are MathML


def test_the_page_fetches_nothing(page):
    html = page[1]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"url\((?!#)", html)  # only the figure's own clip paths
    assert "<svg" in html  # the figure is inline


def test_every_section_derivation_and_erratum_is_there_and_linked(page, registry):
    from derive.claims.audit import errata

    html = page[1]
    ids = set(re.findall(r'id="([^"]+)"', html))
    for name in registry:
        assert f"d-{name}" in ids, name
    for topic in {registry.topic_of(name) for name in registry}:
        assert f"s-{topic}" in ids, topic
    for row in errata():
        assert row.id in ids, row.id
    links = re.findall(r'href="#([^"]+)"', html)
    assert len(links) >= 2 * len(registry)  # summary and contents
    assert set(links) <= ids, set(links) - ids


def test_rebuilding_the_page_gives_the_same_bytes(page, registry, tmp_path):
    from derive.report import write_report

    files = write_report(tmp_path, pdf=False, registry=registry, progress=None, html=True)
    assert files.html.read_bytes() == page[0].read_bytes()


def _chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing on CI: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium missing: .ci/run installs it, so CI runs this")
    return found


def _run_chromium(chromium, tmp_path, *args):
    # No network, no first-run work: the page must render from the file alone.
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run(base + list(args), capture_output=True, text=True, timeout=180)


@pytest.mark.slow
def test_a_browser_draws_the_page(page, registry, tmp_path):
    chromium = _chromium()
    url = page[0].resolve().as_uri()
    dom = _run_chromium(chromium, tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = _without_svg(dom.stdout)
    # Every section as the browser parsed it (not only in the file we wrote).
    for name in registry:
        assert f'id="d-{name}"' in rendered, name
    assert 'id="errata"' in rendered and 'id="contents"' in rendered
    assert rendered.count("<math") > 500
    for raw in RAW_TEX:
        assert raw not in rendered, raw

    shot = tmp_path / "page.png"
    proc = _run_chromium(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1000,3000",
                         "--hide-scrollbars", url)
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    from PIL import Image
    import numpy as np

    gray = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert gray.shape == (3000, 1000)
    ink = gray < 128
    # A blank or failed page is all white; a page of text has a few percent of dark
    # pixels spread over its height (the title, the introduction, the summary table).
    assert 0.01 < ink.mean() < 0.5, ink.mean()
    rows_with_ink = ink.any(axis=1)
    assert rows_with_ink[:1000].any() and rows_with_ink[1000:2000].any() and rows_with_ink[2000:].any()
