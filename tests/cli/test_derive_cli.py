"""The derive command line: codegen drift check, report, errors.

The commands run in this process (``derive.__main__.main``, what ``python -m derive``
calls), so that they share the session's registry and audit instead of deriving and
proving everything again in a fresh interpreter; the subprocess tests below keep what
only a fresh interpreter shows (the exit status of ``python -m derive``).
"""

import subprocess
import sys
from pathlib import Path

from derive import codegen
from derive.__main__ import main as derive_main

ROOT = Path(__file__).resolve().parents[2]


def test_committed_generated_module_has_not_drifted(registry, capsys):
    # CI's drift check: `python -m derive codegen --check`, run in this process.
    assert derive_main(["codegen", "--check"]) == 0, capsys.readouterr().err
    assert "up to date" in capsys.readouterr().out


def test_check_names_the_function_that_drifted(tmp_path, registry, capsys):
    source = codegen.generate_source(registry)
    edited = source.replace("return A*D/keep_prob", "return A*D")
    assert edited != source
    target = tmp_path / "_generated.py"
    target.write_text(edited)
    assert codegen.main(check=True, path=target) == 1
    err = capsys.readouterr().err
    assert "dropout_forward" in err and "differs" in err


def test_a_codegen_path_that_cannot_be_used_is_said_before_deriving(tmp_path, monkeypatch, capsys):
    # Deriving takes seconds; a typo in --path is said at once.
    def derive_nothing(*args, **kwargs):
        raise AssertionError("derived before the path was checked")

    monkeypatch.setattr(codegen, "generate_source", derive_nothing)
    assert codegen.main(check=True, path=tmp_path / "missing" / "g.py") == 1
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "a_file").write_text("")
    assert codegen.main(path=tmp_path / "a_file" / "g.py") == 1
    assert "a_file is not a folder" in capsys.readouterr().err
    assert codegen.main(path=tmp_path / "no_folder" / "g.py") == 1
    assert "no_folder does not exist" in capsys.readouterr().err


def test_generated_source_is_deterministic_and_marked(registry):
    first = codegen.generate_source(registry)
    assert first == codegen.generate_source(registry)
    head = first.splitlines()[0]
    assert "Generated" in head and "DO NOT EDIT" in head
    assert "python -m derive codegen" in first[:600]


def test_report_without_pdf_writes_the_tex_and_with_html_the_page(tmp_path, registry, capsys):
    status = derive_main(["report", "--no-pdf", "--html", "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert (tmp_path / "derivations.tex").exists()
    assert not (tmp_path / "derivations.pdf").exists()
    page = (tmp_path / "derivations.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<math" in page
    # The errata came back from the audit's own process (derive.errata_job) into both files.
    assert 'id="N1-08"' in page and "N1-08: note 001" in (tmp_path / "derivations.tex").read_text()
    assert f"wrote {tmp_path / 'derivations.html'}" in out


def test_unknown_subcommand_is_a_one_line_error():
    proc = subprocess.run([sys.executable, "-m", "derive", "frobnicate"], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "invalid choice" in proc.stderr


def test_missing_pdflatex_is_said_once_with_the_install_hint(tmp_path, registry, capsys,
                                                             monkeypatch):
    # The report looks pdflatex up on PATH (shutil.which) when it runs: an empty PATH
    # is a machine without TeX.
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    status = derive_main(["report", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    out = captured.out + captured.err
    assert out.count("pdflatex not found") == 1
    assert "apt-get install texlive-latex-base" in out
    assert (tmp_path / "derivations.tex").exists()


def test_pdf_flag_without_pdflatex_is_an_error(tmp_path):
    import os

    env = dict(os.environ, PATH=str(tmp_path / "empty-bin"))
    proc = subprocess.run([sys.executable, "-m", "derive", "report", "--pdf", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 1
    assert "pdflatex not found" in proc.stderr and "Traceback" not in proc.stderr
