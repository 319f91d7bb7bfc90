"""Activation derivatives: derive's results against formulas written here, by hand.

Each expected formula is stated in this file (SymPy or NumPy), never taken from
derive; derive's results are also checked against central differences in float64.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import registry
from derive.symbols import alpha, unfold, z
from verify.steps_check import displayed_step_gaps

from finite_differences import as_numpy, elementwise_derivative

NAMES = ["sigmoid_derivative", "tanh_derivative", "relu_derivative", "leaky_relu_derivative"]
# Points away from the kink of ReLU at 0, where central differences are exact up to
# rounding; step 1e-6 balances truncation (~h^2) against rounding (~eps/h) for O(1) values.
POINTS = np.array([-3.7, -1.2, -0.4, 0.3, 0.9, 2.5, 4.1])
# Central differences at finite_differences.H: ~1e-10 absolute (rounding, ~eps/H).
FD_TOL = {"rtol": 1e-7, "atol": 1e-9}
ALPHA = 0.01


def test_sigmoid_derivative_is_s_times_one_minus_s():
    s = 1 / (1 + sp.exp(-z))
    expected = s * (1 - s)
    d = registry["sigmoid_derivative"]
    assert sp.simplify(unfold(d.result.rhs) - expected) == 0
    sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    derived = as_numpy(d.result.rhs, z)(POINTS)
    np.testing.assert_allclose(derived, elementwise_derivative(sigmoid, POINTS), **FD_TOL)


def test_tanh_derivative_is_one_minus_tanh_squared():
    d = registry["tanh_derivative"]
    assert sp.simplify((unfold(d.result.rhs) - (1 - sp.tanh(z) ** 2)).rewrite(sp.exp)) == 0
    derived = as_numpy(d.result.rhs, z)(POINTS)
    np.testing.assert_allclose(derived, 1 - np.tanh(POINTS) ** 2, rtol=1e-12)
    np.testing.assert_allclose(derived, elementwise_derivative(np.tanh, POINTS), **FD_TOL)


def test_relu_derivative_is_the_step_with_zero_at_the_kink():
    d = registry["relu_derivative"]
    assert d.result.rhs == sp.Heaviside(z, 0)  # the branch-free form codegen relies on
    assert d.result.rhs.subs(z, 0) == 0
    assert d.result.rhs.subs(z, sp.Rational(1, 10**9)) == 1
    assert d.result.rhs.subs(z, -sp.Rational(1, 10**9)) == 0
    points = np.append(POINTS, 0.0)
    derived = as_numpy(d.result.rhs, z)(points)
    np.testing.assert_array_equal(derived, np.where(points > 0, 1.0, 0.0))
    relu = lambda x: np.maximum(x, 0.0)  # noqa: E731
    np.testing.assert_allclose(derived[:-1], elementwise_derivative(relu, POINTS), **FD_TOL)


def test_relu_choice_at_zero_is_stated():
    d = registry["relu_derivative"]
    text = " ".join(d.assumptions + d.remarks)
    assert "z = 0" in text and "Heaviside" not in text


def test_leaky_relu_derivative_is_alpha_or_one():
    d = registry["leaky_relu_derivative"]
    assert sp.expand(d.result.rhs - (alpha + (1 - alpha) * sp.Heaviside(z, 0))) == 0
    assert d.result.rhs.subs(z, 0) == alpha
    points = np.append(POINTS, 0.0)
    derived = as_numpy(d.result.rhs, z, alpha)(points, ALPHA)
    np.testing.assert_allclose(derived, np.where(points > 0, 1.0, ALPHA), rtol=1e-15)
    leaky = lambda x: np.where(x > 0, x, ALPHA * x)  # noqa: E731
    np.testing.assert_allclose(derived[:-1], elementwise_derivative(leaky, POINTS), **FD_TOL)


@pytest.mark.parametrize("name", NAMES)
def test_displayed_steps_are_equalities(name):
    # Every "= rhs" line equals the line above it, at 30 digits (verify.steps_check).
    assert displayed_step_gaps(registry[name]) == []