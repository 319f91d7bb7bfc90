"""The audit and claim CLIs: called as functions and as ``python -m`` modules."""

import subprocess
import sys
from pathlib import Path

import pytest

from derive.claims import audit
from verify import claim as claim_cli

ROOT = Path(__file__).resolve().parents[2]


def test_audit_main_prints_every_claim_and_exits_0(capsys):
    assert audit.main([]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["id", "note", "verdict", "formula"]
    for cid in ("N0-01", "N1-08", "N2-05", "N3-09", "N4-38"):
        assert f"\n{cid} " in out
    assert "note 001: 51 claims" in out


def test_only_wrong_keeps_what_does_not_hold(capsys):
    assert audit.main(["--only-wrong"]) == 0
    out = capsys.readouterr().out
    table = out.split("\n\n")[0].splitlines()[2:]
    assert table and all(" holds " not in line for line in table)
    assert len(table) == len(audit.errata())
    assert "N1-08" in out and "N1-01 " not in out


def test_full_does_not_shorten(capsys):
    audit.main(["--only-wrong", "--full"])
    assert r"\frac{\partial}{\partial W^{[l]}}\left(\frac{\lambda}{2m}" in capsys.readouterr().out


def test_audit_as_a_module(monkeypatch, capsys):
    # `python -m derive.claims.audit` is runpy.run_module(..., run_name="__main__"): run
    # that here, so the module's entry point is exercised without judging every claim a
    # second time in a fresh interpreter. The module's fresh namespace imports ``judge``
    # from derive.claims.check; handing it the verdicts this session already has keeps
    # the audit at one per session (the verdicts themselves are tested above).
    import runpy

    from derive.claims import check
    from derive.claims.notes import CLAIMS

    verdicts = {id(c): o for c, o in zip(CLAIMS, audit.outcomes(), strict=True)}
    monkeypatch.setattr(check, "judge", lambda claim: verdicts[id(claim)])
    monkeypatch.setattr(sys, "argv", ["audit", "--only-wrong"])
    # As in a fresh interpreter, the module is not imported yet when it runs as __main__.
    monkeypatch.delitem(sys.modules, "derive.claims.audit")
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module("derive.claims.audit", run_name="__main__", alter_sys=True)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "N2-23" in out and "wrong" in out


def test_claim_main_exit_codes(capsys):
    assert claim_cli.main(["diff(sigmoid(z), z) == sigmoid(z)*(1 - sigmoid(z))"]) == 0
    assert "holds" in capsys.readouterr().out
    assert claim_cli.main(["diff(tanh(z), z) == 1 + tanh(z)**2"]) == 1
    assert "wrong: at z = " in capsys.readouterr().out
    assert claim_cli.main(["__import__('os').system('id') == 0"]) == 2
    assert "cannot read the claim" in capsys.readouterr().err


def test_claim_as_a_module():
    proc = subprocess.run([sys.executable, "-m", "verify.claim", "1/1 + exp(-z) == sigmoid(z)"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    # Plain text for a terminal, not LaTeX.
    assert "wrong: at z = 0: left side = 2, right side = 1/2" in proc.stdout
    assert "\\frac" not in proc.stdout
