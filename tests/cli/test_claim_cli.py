"""``python -m verify claim``: verdicts and their exit codes, the budget flag, --help,
and a claim that starts with a minus."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "verify", "claim", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_a_claim_may_start_with_a_minus():
    # argparse used to read "-x==-x" as an option: two lines of usage, exit 2
    proc = _run("-x==-x")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("holds"), proc.stdout
    proc = _run("-x^2 == x^2")
    assert proc.returncode == 1 and proc.stdout.startswith("wrong: at x = 1: ")


@pytest.mark.parametrize("claim,code,start", [
    ("diff(tanh(z), z) == 1 - tanh(z)^2", 0, "holds (proved by "),
    ("diff(tanh(z), z) == 1 + tanh(z)^2", 1, "wrong: at z = "),
    ("max(x, y) + min(x, y) == x + y", 3, "not proved: equal at "),
    ("exp(exp(exp(1000))) == 1", 4, "inconclusive: "),
])
def test_each_verdict_has_its_exit_code(claim, code, start, capsys):
    from verify.claim import main

    assert main([claim]) == code
    out = capsys.readouterr()
    assert out.out.startswith(start), out.out


def test_unreadable_claims_exit_2_with_one_line_that_shows_the_spelling(capsys):
    from verify.claim import main

    assert main(["x ** == 2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cannot read the claim: ") and len(err.strip().splitlines()) == 1
    assert "write e.g." in err


def test_the_budget_flag_bounds_an_expensive_claim(capsys):
    from verify.claim import main

    assert main(["--budget", "1", "diff(sigmoid(sigmoid(sigmoid(sigmoid(x)))), x, 8) == 0"]) == 4
    assert capsys.readouterr().out.startswith("inconclusive: too expensive (parse and diff")
    with pytest.raises(SystemExit) as info:
        main(["--budget", "0", "x == x"])
    assert info.value.code == 2


def test_words_are_joined_into_one_claim(capsys):
    from verify.claim import main

    assert main(["x", "==", "x"]) == 0


def test_help_describes_verdicts_exit_codes_budget_and_language():
    proc = _run("--help")
    assert proc.returncode == 0
    text = proc.stdout
    for word in ("holds (proved by", "wrong", "not proved", "inconclusive", "exit codes",
                 "--budget", "--memory", "^", "2x", "Euler's number", "softmax([z1, z2, z3], k)",
                 "logsumexp", "log(x, b)", "one-sided limits"):
        assert word in text, word
    for code in "01234":
        assert f"  {code}  " in text
