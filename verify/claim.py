"""Users' own claims: ``python -m verify claim "diff(sigmoid(z), z) == sigmoid(z)*(1 - sigmoid(z))"``.

The string is parsed by the whitelist parser of :mod:`derive.claims.parse` (no
``eval``), then judged by :func:`derive.claims.decide.decide` inside a child process
with a time and a memory budget (:mod:`derive.claims.budget`). The answer is one of

========================================================  =========
verdict                                                    exit code
========================================================  =========
``holds (proved by <method>, for <assumptions>)``          0
``wrong: at <point>: left side = ..., right side = ...``   1
(the claim cannot be read: one line on stderr)             2
``not proved: equal at N points to D digits``              3
``inconclusive: too expensive (<step>)`` or another cause  4
========================================================  =========
"""

from __future__ import annotations

import argparse
import math
import sys
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import sympy as sp

from derive.claims.budget import DEFAULT_MEMORY, DEFAULT_SECONDS, run_bounded
from derive.claims.decide import Decision, decide, domain_values
from derive.claims.parse import (FUNCTIONS, MAX_LENGTH, ClaimBuildError, ClaimSyntaxError,
                                 parse_claim, parse_expression)
from derive.claims.record import Counterexample

__all__ = ["ClaimResult", "ClaimSyntaxError", "check_claim", "main", "EXIT_CODES"]

EXIT_CODES = {"holds": 0, "wrong": 1, "unreadable": 2, "not proved": 3, "inconclusive": 4}
MAX_NODES = 20000         # a parsed claim larger than this is not worth a proof attempt
MAX_SECONDS = 3600.0


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on a user's claim ``lhs == rhs``.

    ``verdict``: ``"holds"``, ``"wrong"``, ``"not proved"`` or ``"inconclusive"``.
    ``lhs``, ``rhs``: the two sides as parsed (SymPy's text form). ``method``: the proof
    method, ``mpmath`` (a confirmed counterexample), ``numeric`` (agreement only) or
    the step that was too expensive. ``counterexample``: for a wrong claim, the point
    and both sides' values. ``assumptions``: where a proof holds ("a > 0, b > 0").
    ``notes``: what the reader should know (where a side is not real, kinks).
    """

    verdict: str
    lhs: str
    rhs: str
    method: str
    detail: str
    counterexample: Counterexample | None = None
    assumptions: str = ""
    notes: tuple[str, ...] = ()
    line: str = ""

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    def __str__(self) -> str:
        return "\n".join([self.line] + [f"  note: {n}" for n in self.notes])


def _side(value, where: str):
    """A side given as a string (parsed later, in the bounded child) or a SymPy object."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError(f"the {where} side is a string or a SymPy expression, not a bool")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"the {where} side must be finite, not {value}")
        return sp.Rational(repr(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (sp.Expr, sp.MatrixBase)):
        return value
    raise TypeError(f"the {where} side is a string in the claim language or a SymPy "
                    f"expression, not {type(value).__name__}")


def _nodes_above(expr, limit: int) -> bool:
    for n, _ in enumerate(sp.preorder_traversal(expr)):
        if n > limit:
            return True
    return False


def _judge(lhs, rhs, domain, *, step) -> tuple[str, str, Decision]:
    """Parse (where a side is text) and decide: the work done inside the budget.

    A failure inside SymPy (an overflow in its automatic evaluation, a comparison it
    cannot make) is an answer too: inconclusive, naming the step.
    """
    last = ["parse and diff"]

    def track(name: str) -> None:
        last[0] = name
        step(name)

    track("parse and diff")
    try:
        left, right, requires = _parsed(lhs, rhs)
    except ClaimBuildError as exc:
        return "", "", Decision("inconclusive", "parse", f"{exc}")
    domain = {k: domain_values(v) for k, v in (domain or {}).items()}
    track("size of the expression")
    if _nodes_above(left, MAX_NODES) or _nodes_above(right, MAX_NODES):
        return "", "", Decision("inconclusive", "size",
                                f"too expensive (the expression has more than {MAX_NODES} "
                                f"parts after parsing)")
    names = {str(s) for side in (left, right) for s in side.free_symbols}
    unknown = sorted(str(k) for k in domain if str(k) not in names)
    if unknown:
        raise ValueError(f"the domain names {', '.join(unknown)}, which the claim does "
                         f"not use (its variables: {', '.join(sorted(names)) or 'none'})")
    if isinstance(left, sp.MatrixBase) != isinstance(right, sp.MatrixBase) or (
            isinstance(left, sp.MatrixBase) and left.shape != right.shape):
        raise ClaimSyntaxError("the two sides have different shapes")
    try:
        decision = decide(left, right, requires=requires, domain=domain, step=track)
        return sp.sstr(left)[:300], sp.sstr(right)[:300], decision
    except (ClaimSyntaxError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # noqa: BLE001  (SymPy's own failures, of any kind)
        return "", "", Decision("inconclusive", last[0],
                                f"SymPy failed in {last[0]} ({type(exc).__name__})")


def _parsed(lhs, rhs):
    requires: list = []
    if rhs is None:
        left, right = parse_claim(lhs, requires=requires)
    else:
        sides = []
        for value, tag in ((lhs, "left"), (rhs, "right")):
            if isinstance(value, str):
                found: list = []
                value = parse_expression(value, requires=found)
                requires.extend((e, rel, tag) for e, rel in found)
            sides.append(value)
        left, right = sides
    return left, right, requires


_WHY = {"time": "the time budget ran out", "memory": "the memory budget ran out",
        "recursion": "too deeply nested",
        "crash": "the checking process died, most likely at the memory budget"}


def check_claim(lhs, rhs=None, *, domain: Mapping | None = None,
                budget: float = DEFAULT_SECONDS, memory: int = DEFAULT_MEMORY
                ) -> ClaimResult:
    """Check the identity ``lhs == rhs``.

    ``lhs``, ``rhs``: strings in the claim language (parsed without ``eval``) or SymPy
    expressions; or ``lhs`` alone as ``"a == b"``. ``domain``: name -> ``(low, high)``
    or a list of numbers (ints, floats, fractions; no text is evaluated), where the
    sample points are drawn. ``budget``: seconds; ``memory``: bytes the check may
    use. Raises :class:`ClaimSyntaxError` for a string outside the language and
    ``TypeError``/``ValueError`` for arguments of the wrong kind.
    """
    if not (isinstance(budget, (int, float)) and not isinstance(budget, bool)
            and 0 < budget <= MAX_SECONDS):
        raise ValueError(f"budget must be a number of seconds in (0, {MAX_SECONDS:g}]")
    if not (isinstance(memory, int) and not isinstance(memory, bool)
            and (1 << 24) <= memory <= (1 << 40)):
        raise ValueError("memory must be a number of bytes from 16 MiB to 1 TiB")
    if rhs is None and not isinstance(lhs, str):
        raise TypeError("with one argument, the claim is a string 'lhs == rhs'")
    if isinstance(lhs, str) and len(lhs) > MAX_LENGTH or \
            isinstance(rhs, str) and len(rhs) > MAX_LENGTH:
        raise ClaimSyntaxError(f"claim too long (at most {MAX_LENGTH} characters)")
    left = _side(lhs, "left")
    right = None if rhs is None else _side(rhs, "right")
    if domain is not None:
        if not isinstance(domain, Mapping) or len(domain) > 100:
            raise TypeError("domain is a dict: name -> (low, high) or a list of numbers")
        domain = {_domain_key(k): v for k, v in domain.items()}
        for spec in domain.values():      # the kinds of values, before any work
            _domain_kinds(spec)
    outcome = run_bounded(_judge, left, right, domain, seconds=budget, memory=memory)
    if not outcome.ok:
        shown_l, shown_r = _shown(left), _shown(right)
        line = f"inconclusive: too expensive ({outcome.step}: {_WHY[outcome.why]})"
        return ClaimResult("inconclusive", shown_l, shown_r, outcome.step, line, line=line)
    text_l, text_r, d = outcome.value
    return ClaimResult(d.verdict, text_l, text_r, d.method, d.detail, d.counterexample,
                       d.assumptions, d.notes, d.line())


def _shown(side) -> str:
    """A side as text, without unbounded work here (outside the budget)."""
    if side is None or isinstance(side, str):
        return side or ""
    return "a SymPy expression" if _nodes_above(side, 200) else sp.sstr(side)[:300]


def _domain_key(key):
    if isinstance(key, sp.Symbol):
        return key
    if isinstance(key, str) and key.isidentifier() and len(key) <= 100:
        return key
    raise TypeError(f"a domain key is a variable name, not {str(key)[:40]!r}")


def _domain_kinds(spec) -> None:
    items = spec if isinstance(spec, (list, tuple)) else [spec]
    for v in items if len(items) <= 1000 else ():
        if isinstance(v, str):
            if len(v) > 100:
                raise ValueError("a domain value given as text is at most 100 characters")
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float, Fraction, sp.Rational,
                                                     sp.Float)):
            raise TypeError(f"a domain value is a number, not {type(v).__name__}")


HELP = """\
The claim language is mathematics, read without eval:
  numbers (2, 0.5, 1e-3), names (x, z1, w_2), + - * / and powers as ^ or **,
  implied products 2x, 2(x + 1), (a + b)(a - b), a b; e and E are Euler's number,
  pi is pi; functions:
{functions};
  log(x, b) is the logarithm to base b; softmax([z1, z2, z3], k) is the k-th
  component (k from 1), logsumexp(z1, z2, z3) or logsumexp([z1, z2, z3]);
  diff(f, x) or diff(f, x, n) is a derivative. Every name is a real variable.

Verdicts and exit codes:
  0  holds (proved by <method>, for <assumptions>): the difference of the two sides
     was reduced to exactly 0 by the named SymPy method, for every real value, or
     where the assumptions say (e.g. a > 0, b > 0, where both sides are real)
  1  wrong: a point where both sides are real and differ, confirmed with mpmath's
     interval arithmetic; both sides printed to enough digits to see the difference
  2  the claim cannot be read (one line says why and how to write it)
  3  not proved: equal at N points to D digits, but no proof was found
  4  inconclusive: too expensive (which step) or no point to compare at
Sample points cover negative and positive values, values near 0 and large ones.
The claim is read where both sides are real. At a kink (relu, abs, max, Heaviside)
the sides are compared by their one-sided limits, not by a convention such as
Heaviside(0) = 1/2.

Budget: each claim is checked in a child process, stopped after --budget seconds
and limited to --memory MiB more memory: every claim gets an answer, never a hang.
"""


def _split(argv: list[str]) -> tuple[list[str], list[str]]:
    """Options and the claim's words apart, so that a claim may start with a minus
    (``-x == -x``): argparse would read it as an option."""
    options, words = [], []
    it = iter(argv)
    for arg in it:
        if arg in ("-h", "--help"):
            options.append(arg)
        elif arg in ("--budget", "--memory"):
            options.append(arg)
            options.append(next(it, ""))
        elif arg.startswith(("--budget=", "--memory=")):
            options.append(arg)
        elif arg == "--":
            words.extend(it)
        else:
            words.append(arg)
    return options, words


def main(argv: list[str] | None = None) -> int:
    """CLI: the exit code is the verdict's (see :data:`EXIT_CODES` and ``--help``)."""
    from derive.cli_util import OneLineParser

    parser = OneLineParser(
        prog="python -m verify claim",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Check an identity lhs == rhs: a proof, a counterexample, or an "
                    "honest 'not proved'.",
        epilog=HELP.format(functions=textwrap.fill(", ".join(sorted(FUNCTIONS)), 84,
                                                   initial_indent="    ",
                                                   subsequent_indent="    ")))
    parser.add_argument("claim", nargs="+",
                        help='e.g. "diff(tanh(z), z) == 1 - tanh(z)^2" (quote it; words '
                             'are joined; a claim may start with a minus)')
    parser.add_argument("--budget", type=float, default=DEFAULT_SECONDS, metavar="SECONDS",
                        help=f"time budget (default {DEFAULT_SECONDS:g} s)")
    parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY >> 20, metavar="MIB",
                        help=f"memory budget in MiB (default {DEFAULT_MEMORY >> 20})")
    options, words = _split(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(options + ["--"] + words)
    if not 0 < args.budget <= MAX_SECONDS:
        parser.error(f"--budget must be in (0, {MAX_SECONDS:g}] seconds")
    if not 16 <= args.memory <= (1 << 20):
        parser.error("--memory must be from 16 to 1048576 MiB")
    try:
        result = check_claim(" ".join(args.claim), budget=args.budget,
                             memory=args.memory << 20)
    except ClaimSyntaxError as exc:
        print(f"cannot read the claim: {exc}", file=sys.stderr)
        return EXIT_CODES["unreadable"]
    except (TypeError, ValueError) as exc:
        print(f"cannot check the claim: {exc}", file=sys.stderr)
        return EXIT_CODES["unreadable"]
    except Exception as exc:  # noqa: BLE001  (one line, never a traceback)
        print(f"inconclusive: the checker failed ({type(exc).__name__}: {str(exc)[:200]}); "
              f"please report this claim", file=sys.stderr)
        return EXIT_CODES["inconclusive"]
    print(result)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
