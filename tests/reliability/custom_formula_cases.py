"""Hostile and malformed formulas through every path that takes a user's formula, with
``eval``, ``exec`` of the text, ``sympify`` of text and ``parse_expr`` guarded.

Run by ``test_custom_formula_hostile.py`` in a fresh interpreter (no JAX loaded, so that
derive's bounded children are forked and inherit the guards); prints one JSON line per
(case, path): the outcome, the message, the seconds. ``python
tests/reliability/custom_formula_cases.py`` runs them by hand.

A guard that is reached raises :class:`Reached` and appends a line to the file named by
``$GUARD_LOG`` (a forked child's hit is seen by the parent through the file).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import sys
import time

import sympy
import sympy.parsing.sympy_parser

MARK = "pwned_by_formula"

# (label, formula): each must be refused, in one line, on every path
FORMULAS = [
    ("attribute", "z.real"),
    ("attribute of a tuple", "().__class__"),
    ("attribute chain", "z.__class__.__bases__[0].__subclasses__()"),
    ("dunder import", f"__import__('os').system('touch {MARK}')"),
    ("dunder name", "__builtins__"),
    ("open", f"open('{MARK}', 'w')"),
    ("eval", "eval('1 + 1')"),
    ("exec", f"exec(\"open('{MARK}', 'w')\")"),
    ("huge exponent", "z**10**10"),
    ("huge power tower", "9**9**9"),
    ("huge exponent, caret", "z^(10^100)"),
    ("huge literal", "1" * 400 + "*z"),
    ("huge decimal exponent", "1e999999999*z"),
    ("unknown function", "foo(z)"),
    ("unknown variable", "x + z"),
    ("empty", ""),
    ("blank", "   "),
    ("no variable", "2 + 3"),
    ("very long", "z+" * 5000 + "z"),
    ("deep brackets", "(" * 500 + "z" + ")" * 500),
    ("deep calls", "sin(" * 300 + "z" + ")" * 300),
    ("non-ASCII letter", "ｚ*2"),
    ("non-ASCII operator", "z·2"),
    ("non-ASCII pi", "π*z"),
    ("newline", "z\n+1"),
    ("statement", "z; import os"),
    ("lambda", "lambda: 1"),
    ("lambda called", "(lambda q: q)(z)"),
    ("subscript", "z[0]"),
    ("subscript of a list", "[z][0]"),
    ("string", "'z'"),
    ("bytes", "b'z'"),
    ("f-string", "f'{z}'"),
    ("conditional", "z if z else 1"),
    ("comprehension", "[z for q in ()]"),
    ("walrus", "(q := z)"),
    ("comparison", "z == z"),
    ("keyword argument", "max(z, key=abs)"),
    ("starred", "max(*z)"),
    ("division by zero", "z/0"),
    ("not real", "log(-1) + z"),
]
# (label, text of NAME=FORMULA): refused on the command lines before the formula is read
ASSIGNMENTS = [
    ("missing =", "mish"),
    ("empty name", "=z"),
    ("two =", "mish==z"),
    ("upper case", "Mish=z"),
    ("starts with a digit", "1a=z"),
    ("dash", "a-b=z"),
    ("keyword", "class=z"),
    ("taken", "relu=z"),
    ("too long", "a" * 41 + "=z"),
    ("non-ASCII name", "mísh=z"),
    ("dunder name", "__class__=z"),
    ("newline in name", "mi\nsh=z"),
]


class Reached(Exception):
    """A guarded function was called on text."""


def _install_guards(log_path):
    def hit(what, arg):
        with open(log_path, "a") as f:
            f.write(f"{what}: {str(arg)[:80]!r}\n")
        raise Reached(f"{what} reached with {str(arg)[:40]!r}")

    original_sympify = sympy.sympify

    def guarded_sympify(a, *args, **kwargs):
        if isinstance(a, str):
            hit("sympify", a)
        return original_sympify(a, *args, **kwargs)

    def guarded_parse_expr(s, *args, **kwargs):
        hit("parse_expr", s)

    def guarded_eval(*args, **kwargs):
        hit("eval", args[0] if args else "")

    original_exec = builtins.exec

    def guarded_exec(source, *args, **kwargs):
        # derive.custom compiles the module its own printer wrote (never the user's text);
        # the guard catches any exec of text that holds a formula under test
        text = source if isinstance(source, str) else ""
        if any(formula and formula in text for _, formula in FORMULAS if len(formula) > 3):
            hit("exec", text)
        return original_exec(source, *args, **kwargs)

    builtins.eval = guarded_eval
    builtins.exec = guarded_exec
    # every module that bound the originals by name (from sympy import sympify)
    for module in list(sys.modules.values()):
        for name, guard, original in (("sympify", guarded_sympify, original_sympify),
                                      ("parse_expr", guarded_parse_expr,
                                       sympy.parsing.sympy_parser.parse_expr)):
            if getattr(module, name, None) is original:
                setattr(module, name, guard)


def _cli(main, argv):
    """(exit code, stderr) of an in-process command line."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    return code, err.getvalue()


def _api(call):
    from derive.custom import FormulaError
    try:
        call()
    except FormulaError as exc:
        return "refused", str(exc)
    except Reached as exc:
        return "GUARD", str(exc)
    except Exception as exc:  # noqa: BLE001 - reported: the test names the type
        return f"raised {type(exc).__name__}", str(exc)
    return "accepted", ""


def paths(formula=None, assignment=None):
    """(path name, zero-argument call returning (outcome, message)) for one input."""
    from derive import custom
    from derive.__main__ import main as derive_main
    from numeric.__main__ import main as numeric_main
    from verify.__main__ import main as verify_main

    def cli(main, argv, expected_code):
        def run():
            code, err = _cli(main, argv)
            if "Reached" in err or "reached with" in err:
                return "GUARD", err
            return ("refused" if code == expected_code else f"exit {code}"), err.strip()
        return run

    text = assignment if assignment is not None else f"bad={formula}"
    out = []
    if formula is not None:
        out += [
            ("activation_entry", lambda: _api(lambda: custom.activation_entry("bad", formula))),
            ("loss_entry", lambda: _api(lambda: custom.loss_entry("bad", formula))),
            ("custom_activation", lambda: _api(lambda: custom.custom_activation("bad", formula))),
            ("custom_loss", lambda: _api(lambda: custom.custom_loss("bad", formula))),
        ]
    else:
        out += [("split_assignment", lambda: _api(lambda: custom.split_assignment(text)))]
    out += [
        ("derive report --activation", cli(derive_main, ["report", "--activation", text], 2)),
        ("derive report --loss", cli(derive_main, ["report", "--loss", text], 2)),
        ("derive codegen --activation", cli(derive_main, ["codegen", "--activation", text], 2)),
        ("verify --activation", cli(verify_main, ["--activation", text], 2)),
        ("verify --loss", cli(verify_main, ["--loss", text], 2)),
        ("numeric train --hidden", cli(numeric_main, ["train", "--data", "moons", "--epochs",
                                                      "1", "--hidden", text], 2)),
    ]
    return out


def _warm_up():
    """Every path once with a good formula, before the guards: the modules they import
    lazily are then loaded (namedtuple's own eval at import is not a formula's)."""
    for path, call in paths(assignment="warm=z*tanh(softplus(z))"):
        if not path.startswith(("derive report", "verify", "numeric")):  # slow; JAX
            call()
    for path, call in paths("z*z"):
        if not path.startswith(("derive report", "verify", "numeric")):
            call()


def run(log_path) -> list[dict]:
    _warm_up()
    _install_guards(log_path)
    rows = []
    inputs = [(label, formula, None) for label, formula in FORMULAS]
    inputs += [(label, None, text) for label, text in ASSIGNMENTS]
    for label, formula, assignment in inputs:
        for path, call in paths(formula, assignment):
            start = time.perf_counter()
            outcome, message = call()
            rows.append({"case": label, "path": path, "outcome": outcome,
                         "message": message, "seconds": time.perf_counter() - start})
            print(json.dumps(rows[-1]), flush=True)
    return rows


if __name__ == "__main__":
    log = os.environ.get("GUARD_LOG", "guard.log")
    run(log)
    assert "jax" not in sys.modules, "JAX was loaded: derive's children were not forked"
