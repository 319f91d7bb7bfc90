"""``python -m verify``: the quick matrix (the session's shared run), the report, the claim hook.

The module run as a command (exit statuses, one-line errors) is tested in
tests/reliability/test_cli_errors.py.
"""

import shutil
import sys
import types
from pathlib import Path

import pytest

from readme_runs import shared_run


def test_quick_run_passes_and_writes_the_report(tmp_path_factory):
    # The session's one `python -m verify --quick` (tests/cli/readme_runs.py, shared with
    # the README check of test_first_hour.py), from an empty folder without --out: the
    # quick subset goes to reports/quick/ (git-ignored), never over the committed full
    # report in reports/.
    proc = shared_run(tmp_path_factory, "python -m verify --quick")
    out = proc.work / "reports" / "quick"
    assert sorted(p.name for p in (proc.work / "reports").iterdir()) == ["quick"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for section in ("derivation", "generated", "network", "optimizer", "planted"):
        assert f"{section}" in proc.stdout
    assert "0 failed" in proc.stdout.splitlines()[-1]
    tex = (out / "verification.tex").read_text()
    assert r"\begin{document}" in tex and "planted" in tex.lower()
    # without --pdf or --no-pdf: the PDF where pdflatex exists (the fresh install's PATH
    # is this one's)
    assert (out / "verification.pdf").exists() == (shutil.which("pdflatex") is not None)


def test_no_pdf_writes_the_tex_only(tmp_path, capsys, monkeypatch):
    # --no-pdf, in this process; the matrix (run above) is replaced by two rows, so that
    # only the command's own path is run: out folder, tex, no PDF, summary.
    import verify.matrix
    from verify.__main__ import main

    monkeypatch.setattr(verify.matrix, "run_matrix", lambda quick, progress, symbolic=None: _rows())
    monkeypatch.setattr(verify.matrix, "start_symbolic", lambda: None)  # no SymPy child
    monkeypatch.chdir(tmp_path)
    status = main(["--quick", "--no-pdf"])
    captured = capsys.readouterr()
    out = tmp_path / "reports" / "quick"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["quick"]
    assert status == 0, captured.out[-3000:] + captured.err[-3000:]
    assert "0 failed" in captured.out.splitlines()[-1]
    assert r"\begin{document}" in (out / "verification.tex").read_text()
    assert not (out / "verification.pdf").exists()


def _rows(verdict="pass"):
    from verify.matrix import MatrixRow

    return [MatrixRow("network", "tanh/sigmoid/he/plain_1", "central", 1.5e-11, verdict),
            MatrixRow("planted", "dw_times_2 -> W2", "jax", 0.33, "caught")]


def test_report_marks_failures(tmp_path):
    from verify.report_tex import render_tex

    assert "all pass" in render_tex(_rows())
    assert "1 failed" in render_tex(_rows("fail"))
    assert r"plain\_1" in render_tex(_rows())  # escaped for LaTeX


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_report_compiles_to_pdf(tmp_path):
    from verify.report_tex import write_report

    files = write_report(_rows(), tmp_path, pdf=True)
    assert files["pdf"] is not None and Path(files["pdf"]).stat().st_size > 1000


def test_claim_subcommand_dispatches(monkeypatch):
    from verify.__main__ import main

    seen = {}
    fake = types.ModuleType("verify.claim")
    fake.main = lambda argv: seen.setdefault("argv", argv) and 0
    monkeypatch.setitem(sys.modules, "verify.claim", fake)
    main(["claim", "d/dz sigmoid(z) = sigmoid(z)*(1-sigmoid(z))", "--verbose"])
    assert seen["argv"] == ["d/dz sigmoid(z) = sigmoid(z)*(1-sigmoid(z))", "--verbose"]


def test_import_verify_exports():
    import verify

    for name in ("gradcheck", "GradcheckResult", "check_network", "NetworkCheck"):
        assert hasattr(verify, name)
    assert "check_claim" in verify.__all__
