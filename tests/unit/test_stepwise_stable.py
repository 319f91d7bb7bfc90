"""Overflow-safe forms: each rewrite an identity, the result finite at |z| = 1000 in
float32 and float64 where the exact value is, and what cannot be made stable named."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.claims.parse import parse_expression
from derive.stepwise import differentiate
from derive.stepwise.stable import overflow_points, stable_form
from derive.symbols import unfold

z = sp.Symbol("z", real=True)

# Formulas whose naive NumPy evaluation overflows somewhere in |z| <= 1000.
NAIVE_OVERFLOWS = ["log(1 + exp(z))", "log(cosh(z))", "z*log(1 + exp(-z))",
                   "1/(1 + exp(-z))**2 * exp(-z)"]
OTHERS = ["1/(1 + exp(-z))", "z*tanh(softplus(z))", "z*sigmoid(z)",
          "max(z, 0) + min(0, exp(z) - 1)", "tanh(z)", "z**2/2"]


def _parse(text):
    return parse_expression(text, lambda name: z)


def _exact(expr, point):
    with mpmath.workdps(30):
        return sp.lambdify([z], unfold(expr), "mpmath")(mpmath.mpf(point))


@pytest.mark.parametrize("text", NAIVE_OVERFLOWS)
def test_the_naive_forms_overflow(text):
    # The premise of the rewrites, so the tests below can fail: as written, these do.
    assert overflow_points(_parse(text), z)


@pytest.mark.parametrize("text", NAIVE_OVERFLOWS + OTHERS)
def test_stable_form_and_its_derivative_are_finite_and_equal(text):
    f = _parse(text)
    d = differentiate(f, z, sp.Function("f")(z))
    for expr in (f, d.result.xreplace({d.function: f})):
        stable = stable_form(expr)
        assert overflow_points(stable, z) == [], (text, stable)
        # An identity: equal to the formula at 30 digits away from any kink.
        for point in ("-7.3", "-0.4", "0.6", "5.1", "33.0"):
            exact, rewritten = _exact(expr, point), _exact(stable, point)
            assert abs(exact - rewritten) <= mpmath.mpf(10) ** -25 * max(1, abs(exact))


def test_what_cannot_be_made_stable_is_named():
    # cosh(z)^2 - sinh(z)^2 = 1 is finite, yet both terms overflow and no rewrite of the
    # list applies: the check names the points instead of passing them silently.
    f = sp.cosh(z) ** 2 - sp.sinh(z) ** 2
    points = overflow_points(stable_form(f), z)
    assert (1000.0, "float64") in points and (-1000.0, "float32") in points
