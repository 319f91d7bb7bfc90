"""The audit and claim CLIs: called as functions and as ``python -m`` modules."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from derive.claims import audit
from derive.claims.record import Verdict
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
    heads = [line for line in out.splitlines() if re.match(r"N\d-\d\d ", line)]
    assert heads and all(" holds" not in line for line in heads)
    assert len(heads) == len(audit.errata())
    assert "N1-08" in out and "N1-01 " not in out


def _blocks(out: str) -> dict[str, str]:
    """Claim id -> its lines in the table."""
    blocks, current = {}, None
    for line in out.split("\n\n" + "note 000:")[0].splitlines():
        m = re.match(r"(N\d-\d\d) ", line)
        if m:
            current = m.group(1)
        if current:
            blocks[current] = blocks.get(current, "") + line + "\n"
    return blocks


def test_the_table_reads_in_a_terminal():
    # Unicode, not LaTeX; wrapped to the width, not cut; every claim that does not hold
    # with its correct form, why, and a counterexample.
    width = 90
    text = audit.table(audit.outcomes(), width=width)
    assert "\\" not in text and "$" not in text and "..." not in text.replace("(...)", "")
    assert max(len(line) for line in text.splitlines()) <= width
    blocks = _blocks(text)
    for o in audit.outcomes():
        block = blocks[o.claim.id]
        if o.verdict is Verdict.HOLDS:
            continue
        for label in ("as written:", "correct:", "counterexample:"):
            assert label in block, (o.claim.id, label)
        assert ("why:" in block) == bool(o.claim.why), o.claim.id
    # N1-19 differs only at the end (Z^[l] against Z^[l-1]): both ends are shown.
    n119 = blocks["N1-19"]
    assert "g′^[l-1](Z^[l])" in n119 and "g′^[l-1](Z^[l-1])" in n119
    assert "(shapes do not fit)" in n119  # the counterexample, in words and numbers
    # Python's quotes and markdown backticks came through as code, not as stray quotes.
    assert "`" not in blocks["N3-09"]


def test_full_adds_the_latex_source(capsys):
    audit.main(["--only-wrong", "--full"])
    out = capsys.readouterr().out
    # The LaTeX is wrapped to the terminal's width (80 columns under pytest-xdist, 100
    # without a terminal), at a space: the continuation lines are joined with that space.
    assert r"\frac{\partial}{\partial W^{[l]}}\left(\frac{\lambda}{2m}" in out.replace("\n" + " " * 20, " ")


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
