"""Hostile text through every public function of derive and verify that takes text or
values from a user: a clear error (or the CLI's one-line refusal), no file created,
nothing imported. If anything evaluated the text, the payloads would write a file or
import a module.

Not called here, by design: ``derive.claims.snippets.run_python`` runs the course
notes' own Python code (not a user's) in a subprocess, and the CLIs' ``--out`` folders
are created on purpose (``derive.cli_util.check_out_dir``).
"""

import sys
from fractions import Fraction

import pytest
import sympy as sp

MARK = "pwned_by_claim"
PAYLOADS = [
    f"__import__('os').system('touch {MARK}')",
    f"open('{MARK}', 'w').write('x')",
    f"exec(\"open('{MARK}', 'w')\")",
    "__import__('this')",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: __import__('this')",
    f"x == open('{MARK}', 'w')",
    f"(open('{MARK}', 'w'))",
    "x.__class__",
    f"exp(x)[0] or open('{MARK}')",
]


class Sneaky:
    """An object whose text form is code: sympify(obj) without strict=True parses it."""

    def __str__(self):
        return f"__import__('os').system('touch {MARK}')"

    __repr__ = __str__


def _calls(text):
    """(name, zero-argument call) for every entry point, given one hostile text."""
    from derive.claims import builders, check, decide, evaluate, parse
    from derive.claims.notes import by_id
    from derive.latex import to_latex
    from derive.symbols import unfold
    from verify.claim import check_claim

    x = sp.Symbol("x", real=True)
    return [
        ("parse_expression", lambda: parse.parse_expression(text)),
        ("parse_claim", lambda: parse.parse_claim(text)),
        ("parse_claim with ==", lambda: parse.parse_claim(f"x == {text}")),
        ("symbol", lambda: parse.symbol(text)),
        ("builders.P", lambda: builders.P(text)),
        ("builders.same", lambda: builders.same(text, "x")()),
        ("check_identity, text side", lambda: check.check_identity(text, x)),
        ("check_identity, object side", lambda: check.check_identity(Sneaky(), x)),
        ("check_identity, domain", lambda: check.check_identity(x, x, domain={"x": [text]})),
        ("check_identity, domain interval",
         lambda: check.check_identity(x, x, domain={"x": (text, 1)})),
        ("fmt", lambda: check.fmt(text)),
        ("fmt, object", lambda: check.fmt(Sneaky())),
        ("decide", lambda: decide.decide(text, x)),
        ("decide, domain", lambda: decide.decide(x, x, domain={"x": [text]})),
        ("decide, requires", lambda: decide.decide(x, x, requires=[(text, ">0")])),
        ("domain_values", lambda: decide.domain_values([text])),
        ("domain_values, object", lambda: decide.domain_values([Sneaky()])),
        ("real_value", lambda: evaluate.real_value(text, {})),
        ("real_value, point", lambda: evaluate.real_value(x, {x: text})),
        ("interval_value", lambda: evaluate.interval_value(x, {x: text})),
        ("kink_arguments", lambda: evaluate.kink_arguments(text)),
        ("unfold", lambda: unfold(text)),
        ("unfold, object", lambda: unfold(Sneaky())),
        ("to_latex, object", lambda: to_latex(Sneaky())),
        ("notes.by_id", lambda: by_id(text)),
        ("check_claim", lambda: check_claim(text, budget=5)),
        ("check_claim, two sides", lambda: check_claim(text, "x", budget=5)),
        ("check_claim, object side", lambda: check_claim(Sneaky(), "x", budget=5)),
        ("check_claim, domain", lambda: check_claim("x == x", domain={"x": [text]}, budget=5)),
        ("check_claim, domain key", lambda: check_claim("x == x", domain={text: [1]}, budget=5)),
    ]


def _cli_calls(text):
    from verify.__main__ import main as verify_main
    from verify.claim import main as claim_main

    return [("verify.claim.main", lambda: claim_main([text])),
            ("verify.claim.main with ==", lambda: claim_main([f"x == {text}"])),
            ("python -m verify claim", lambda: verify_main(["claim", text]))]


def _clean(tmp_path):
    assert not (tmp_path / MARK).exists(), "a payload ran: it wrote a file"
    assert "this" not in sys.modules, "a payload ran: it imported a module"
    assert "antigravity" not in sys.modules


@pytest.mark.parametrize("text", PAYLOADS)
def test_library_functions_refuse_hostile_text(text, tmp_path, monkeypatch):
    from derive.claims.parse import ClaimSyntaxError

    monkeypatch.chdir(tmp_path)
    sys.modules.pop("this", None)
    for name, call in _calls(text):
        with pytest.raises((ClaimSyntaxError, TypeError, ValueError, KeyError)) as info:
            call()
        assert str(info.value), name               # says what is wrong
        assert "Traceback" not in str(info.value)
        _clean(tmp_path)


@pytest.mark.parametrize("text", PAYLOADS)
def test_command_line_refuses_hostile_text_in_one_line(text, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name, call in _cli_calls(text):
        assert call() == 2, name
        out = capsys.readouterr()
        assert out.out == "" and len(out.err.strip().splitlines()) == 1, (name, out)
        assert out.err.startswith("cannot read the claim: "), (name, out.err)
        _clean(tmp_path)


def test_numbers_still_work_as_domain_values():
    from derive.claims.decide import domain_values

    assert domain_values([1, 0.8, Fraction(1, 3), sp.Rational(1, 2), "3/4"]) == [
        1, sp.Rational(4, 5), sp.Rational(1, 3), sp.Rational(1, 2), sp.Rational(3, 4)]
    assert domain_values((0, 1)) == (0, 1)
