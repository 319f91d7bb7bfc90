"""Every CLI meets a missing file, a bad flag and a missing optional dependency with a
one-line error and a non-zero exit, no traceback (issue 7, sixth point).

All through subprocess.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _stub(tmp_path, *modules):
    """A folder that makes ``import <module>`` fail, as if it were not installed."""
    folder = tmp_path / "stubs"
    for name in modules:
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(
            f'raise ImportError("No module named {name} (simulated by the test)")\n')
    return folder


def cli(*args, tmp_path=None, stubs=(), path_env=None, timeout=60):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        ([str(_stub(tmp_path, *stubs))] if stubs else []) + [str(ROOT)])
    if path_env is not None:
        env["PATH"] = path_env
    try:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path or ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{' '.join(args)} did not stop at the door within {timeout} s") from None


def assert_clean_error(proc, code=None, says=""):
    """Non-zero exit, no traceback, one line on stderr that says ``says``."""
    assert proc.returncode != 0 if code is None else proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{proc.stderr}"
    assert says in lines[0], lines[0]


# -- python -m numeric ---------------------------------------------------------------------
@pytest.mark.parametrize("args,says", [
    ([], "COMMAND"),
    (["fly"], "fly"),
    (["train"], "--data"),
    (["train", "--data", "flower", "--bogus"], "--bogus"),
    (["train", "--data", "nope"], "nope"),
    (["train", "--data", "flower", "--epochs", "0"], "--epochs"),
    (["train", "--data", "flower", "--keep-prob", "1.5"], "keep-prob"),
])
def test_numeric_bad_flags(args, says):
    assert_clean_error(cli("-m", "numeric", *args), code=2, says=says)


def test_numeric_out_that_is_a_file(tmp_path):
    (tmp_path / "a_file").write_text("")
    proc = cli("-m", "numeric", "train", "--data", "flower", "--epochs", "1", "--out",
               str(tmp_path / "a_file" / "sub"), tmp_path=tmp_path)
    assert_clean_error(proc, code=1, says="cannot write to --out")


@pytest.mark.parametrize("data", ["digits", "breast_cancer"])
def test_numeric_without_scikit_learn(tmp_path, data):
    proc = cli("-m", "numeric", "train", "--data", data, "--epochs", "1", "--out", str(tmp_path / "o"),
               tmp_path=tmp_path, stubs=["sklearn"])
    assert_clean_error(proc, code=1, says="scikit-learn")


def test_numeric_without_matplotlib_writes_the_model_and_says_so_once(tmp_path):
    proc = cli("-m", "numeric", "train", "--data", "flower", "--epochs", "2", "--out", str(tmp_path / "o"),
               tmp_path=tmp_path, stubs=["matplotlib"])
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert [l for l in proc.stderr.splitlines() if l.strip()] == \
           [l for l in proc.stderr.splitlines() if l.startswith("note: matplotlib is not installed")]
    assert (tmp_path / "o" / "flower_model.npz").exists()


# -- python -m derive ------------------------------------------------------------------------
@pytest.mark.parametrize("args,says", [
    ([], "command"),
    (["fly"], "fly"),
    (["report", "--bogus"], "--bogus"),
    (["codegen", "--bogus"], "--bogus"),
    (["audit", "--bogus"], "--bogus"),
])
def test_derive_bad_flags_exit_2_without_traceback(args, says):
    proc = cli("-m", "derive", *args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert says in proc.stderr.strip().splitlines()[-1]


def test_derive_bad_flag_is_one_line():
    assert_clean_error(cli("-m", "derive", "report", "--bogus"), code=2, says="--bogus")


def test_derive_codegen_check_of_a_missing_file(tmp_path):
    proc = cli("-m", "derive", "codegen", "--check", "--path", str(tmp_path / "missing" / "g.py"))
    assert_clean_error(proc, code=1, says="does not exist")


def test_derive_codegen_to_an_unwritable_path(tmp_path):
    (tmp_path / "a_file").write_text("")
    proc = cli("-m", "derive", "codegen", "--path", str(tmp_path / "a_file" / "g.py"), timeout=30)
    assert_clean_error(proc, code=1, says="a_file")


def test_derive_report_out_that_is_a_file(tmp_path):
    (tmp_path / "a_file").write_text("")
    proc = cli("-m", "derive", "report", "--no-pdf", "--out", str(tmp_path / "a_file" / "sub"), timeout=5)
    assert_clean_error(proc, code=1, says="a_file")


# The missing-pdflatex case of derive (an optional dependency) is covered by
# tests/cli/test_derive_cli.py::test_pdf_flag_without_pdflatex_is_an_error (18 s: the
# report is written before pdflatex is looked for).


# -- python -m verify ------------------------------------------------------------------------
@pytest.mark.parametrize("args,says", [
    (["--bogus"], "--bogus"),
    (["--quick", "--out"], "--out"),
    (["claim"], "claim"),
])
def test_verify_bad_flags_exit_2_without_traceback(args, says):
    proc = cli("-m", "verify", *args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert says in proc.stderr.strip().splitlines()[-1]


def test_verify_bad_flag_is_one_line():
    assert_clean_error(cli("-m", "verify", "--bogus"), code=2, says="--bogus")


def test_verify_out_that_is_a_file(tmp_path):
    (tmp_path / "a_file").write_text("")
    proc = cli("-m", "verify", "--quick", "--quiet", "--no-pdf", "--out",
               str(tmp_path / "a_file" / "sub"), timeout=5)
    assert_clean_error(proc, code=1, says="a_file")


def test_verify_pdf_without_pdflatex_fails_at_the_door(tmp_path):
    (tmp_path / "empty-bin").mkdir()
    proc = cli("-m", "verify", "--quick", "--quiet", "--pdf", "--out", str(tmp_path / "r"),
               path_env=str(tmp_path / "empty-bin"), timeout=5)
    assert_clean_error(proc, code=1, says="pdflatex")


def test_verify_without_jax(tmp_path):
    proc = cli("-m", "verify", "--quick", "--quiet", "--no-pdf", "--out", str(tmp_path / "r"),
               tmp_path=tmp_path, stubs=["jax"], timeout=5)
    assert_clean_error(proc, code=1, says="jax")
