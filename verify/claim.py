"""Users' own claims: ``python -m verify claim "diff(sigmoid(z), z) == sigmoid(z)*(1 - sigmoid(z))"``.

The string is parsed by the whitelist parser of :mod:`derive.claims.parse` (no
``eval``: names, numbers, ``+ - * / **`` and a fixed list of functions), then checked
numerically at nice points and random points, and symbolically with ``simplify``.
The answer is *holds* (with the method that showed it) or *wrong* (with a
counterexample: values in, both sides out).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Mapping

import sympy as sp

from derive.claims.check import check_identity
from derive.claims.parse import FUNCTIONS, ClaimSyntaxError, parse_claim, parse_expression
from derive.claims.record import Counterexample

__all__ = ["ClaimResult", "ClaimSyntaxError", "check_claim", "main"]


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on a user's claim ``lhs == rhs``.

    ``verdict``: ``"holds"`` or ``"wrong"``. ``method``: ``simplify`` (proved),
    ``numeric`` (equal at every test point, not proved), or what found the difference.
    ``counterexample``: for a wrong claim, the point and both sides' values (LaTeX math).
    """

    verdict: str
    lhs: sp.Expr
    rhs: sp.Expr
    method: str
    detail: str
    counterexample: Counterexample | None = None

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"

    def __str__(self) -> str:
        if self.holds:
            how = "proved by simplify" if self.method == "simplify" else self.detail
            return f"holds ({how})"
        cx = self.counterexample
        if cx is None:
            return f"wrong: {self.detail}"
        if cx.plain:
            return f"wrong: at {cx.plain}"
        point = ", ".join(f"{k} = {v}" for k, v in cx.inputs)
        return f"wrong: at {point}: left side = {cx.written}, right side = {cx.correct}"


def _expr(value) -> sp.Expr:
    if isinstance(value, str):
        return parse_expression(value)
    if isinstance(value, (sp.Basic, int, float)):
        return sp.sympify(value)
    raise TypeError(f"a side of a claim is a string or a SymPy expression, not "
                    f"{type(value).__name__}")


def check_claim(lhs, rhs=None, *, domain: Mapping | None = None) -> ClaimResult:
    """Check the identity ``lhs == rhs``.

    ``lhs``, ``rhs``: strings in the claim language (parsed without ``eval``) or SymPy
    expressions; or ``lhs`` alone as ``"a == b"``. ``domain``: name -> ``(low, high)`` or
    a list of values, where the test points are drawn (default: small numbers).
    Raises :class:`ClaimSyntaxError` for a string outside the language.
    """
    if rhs is None:
        if not isinstance(lhs, str):
            raise TypeError("with one argument, the claim is a string 'lhs == rhs'")
        left, right = parse_claim(lhs)
    else:
        left, right = _expr(lhs), _expr(rhs)
    evidence = check_identity(left, right, domain=domain)
    return ClaimResult("holds" if evidence.ok else "wrong", left, right, evidence.method,
                       evidence.detail, evidence.counterexample)


def main(argv: list[str] | None = None) -> int:
    """CLI: exit status 0 if the claim holds, 1 if it is wrong, 2 if it cannot be read."""
    parser = argparse.ArgumentParser(
        prog="python -m verify claim",
        description="Check an identity symbolically and numerically.",
        epilog="functions: " + ", ".join(sorted(FUNCTIONS)) + "; constants: pi, E")
    parser.add_argument("claim", help='e.g. "diff(tanh(z), z) == 1 - tanh(z)**2"')
    args = parser.parse_args(argv)
    try:
        result = check_claim(args.claim)
    except ClaimSyntaxError as exc:
        print(f"cannot read the claim: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. no point where both sides are defined
        print(f"cannot check the claim: {exc}", file=sys.stderr)
        return 2
    print(result)
    return 0 if result.holds else 1


if __name__ == "__main__":
    sys.exit(main())
