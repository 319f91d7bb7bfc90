"""Loss derivations: derive's results against formulas written here, by hand.

The expected formulas (BCE and its derivatives, the mean cost, the quadratic cost's
gradient) are written in this file with SymPy or NumPy; derivatives are also checked
against central differences in float64.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import registry
from derive.symbols import a, sigma, unfold, y, z
from verify.steps_check import displayed_step_gaps

from finite_differences import (
    as_numpy, central_difference, elementwise_derivative, evaluate_indexed)

NAMES = ["bce_derivative_a", "bce_sigmoid_dz", "bce_cost", "mse_derivative", "mse_sigmoid_dz"]
FD_TOL = {"rtol": 1e-7, "atol": 1e-9}  # central differences: rounding error ~eps/H

rng = np.random.default_rng(20240601)
A_POINTS = rng.uniform(0.05, 0.95, 8)
Y_POINTS = rng.uniform(0.0, 1.0, 8)
Z_POINTS = rng.uniform(-6.0, 6.0, 8)


def bce_numpy(a_, y_):
    return -(y_ * np.log(a_) + (1 - y_) * np.log(1 - a_))


def sigmoid_numpy(x):
    return 1 / (1 + np.exp(-x))


def symbols_named(expr, *names):
    """The free symbols of ``expr`` with the given names, in that order."""
    by_name = {str(s): s for s in expr.free_symbols}
    return [by_name[n] for n in names]


def test_bce_derivative_a():
    d = registry["bce_derivative_a"]
    expected = -y / a + (1 - y) / (1 - a)
    assert sp.simplify(unfold(d.result.rhs) - expected) == 0
    derived = as_numpy(d.result.rhs, a, y)(A_POINTS, Y_POINTS)
    numeric = elementwise_derivative(lambda t: bce_numpy(t, Y_POINTS), A_POINTS)
    np.testing.assert_allclose(derived, numeric, **FD_TOL)


def test_bce_sigmoid_dz_is_a_minus_y():
    d = registry["bce_sigmoid_dz"]
    assert d.result.rhs == a - y  # the textbook's form, with a = sigma(z) defined above
    assert (a, sigma(z)) in [(e.lhs, e.rhs) for e in d.definition]
    boxed = d.result.rhs.subs(a, sigma(z))
    expected = 1 / (1 + sp.exp(-z)) - y
    assert sp.simplify(unfold(boxed) - expected) == 0
    derived = as_numpy(boxed, z, y)(Z_POINTS, Y_POINTS)
    np.testing.assert_allclose(derived, sigmoid_numpy(Z_POINTS) - Y_POINTS, rtol=1e-12)
    numeric = elementwise_derivative(lambda t: bce_numpy(sigmoid_numpy(t), Y_POINTS), Z_POINTS)
    np.testing.assert_allclose(derived, numeric, **FD_TOL)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_bce_cost_is_the_mean_loss_and_the_notes_numpy_line(count):
    d = registry["bce_cost"]
    # The boxed result is general: a sum of symbolic length m, evaluated here at m = count.
    assert d.result.rhs.has(sp.Sum) and "m" in {str(s) for s in d.result.rhs.free_symbols}
    A, Y = A_POINTS[:count].reshape(1, count), Y_POINTS[:count].reshape(1, count)
    # The notes' vectorized line, typed out as NumPy code.
    notes_line = -1 / count * np.sum(np.multiply(Y, np.log(A)) + np.multiply(1 - Y, np.log(1 - A)))
    mean_loss = np.mean(bce_numpy(A, Y))
    value = evaluate_indexed(d.result.rhs, {"m": count}, {"a": A.ravel(), "y": Y.ravel()})
    np.testing.assert_allclose(value, mean_loss, rtol=1e-13)
    np.testing.assert_allclose(value, notes_line, rtol=1e-13)


def test_bce_cost_cross_checks_the_vectorized_line_on_explicit_rows():
    d = registry["bce_cost"]
    assert d.proof.holds and d.proof.symbolic
    assert d.extra["vectorized_cross_check"].holds
    mean, vectorized = d.extra["explicit"][3]
    a_s = symbols_named(mean, "a^{(1)}", "a^{(2)}", "a^{(3)}")
    y_s = symbols_named(mean, "y^{(1)}", "y^{(2)}", "y^{(3)}")
    A, Y = A_POINTS[:3], Y_POINTS[:3]
    for side in (mean, vectorized):
        value = sp.lambdify(a_s + y_s, side, "numpy")(*A, *Y)
        np.testing.assert_allclose(value, np.mean(bce_numpy(A, Y)), rtol=1e-13)
    assert set(d.extra["explicit"]) >= {1, 2, 3, 4, 5}


@pytest.mark.parametrize("count", [1, 3, 5])
def test_mse_gradient_is_a_minus_y(count):
    d = registry["mse_derivative"]
    assert not isinstance(d.result.rhs, sp.MatrixBase)  # one entry j, for any n^[L]
    a_val, y_val = A_POINTS[:count], Y_POINTS[:count]
    cost = lambda t: 0.5 * np.sum((y_val - t) ** 2)  # noqa: E731
    numeric = central_difference(cost, np.asarray(a_val, dtype=float))
    derived = np.array([evaluate_indexed(d.result.rhs, {"j": j, "n^{[L]}": count},
                                         {"a^{[L]}": a_val, "y^{[L]}": y_val})
                        for j in range(1, count + 1)])
    np.testing.assert_allclose(derived, a_val - y_val, rtol=1e-13)
    np.testing.assert_allclose(derived, numeric, **FD_TOL)


def test_mse_sigmoid_dz():
    d = registry["mse_sigmoid_dz"]
    s = 1 / (1 + sp.exp(-z))
    assert sp.simplify(unfold(d.result.rhs) - (s - y) * s * (1 - s)) == 0
    derived = as_numpy(d.result.rhs, z, y)(Z_POINTS, Y_POINTS)
    sig = sigmoid_numpy(Z_POINTS)
    np.testing.assert_allclose(derived, (sig - Y_POINTS) * sig * (1 - sig), rtol=1e-12)
    cost = lambda t: 0.5 * (Y_POINTS - sigmoid_numpy(t)) ** 2  # noqa: E731
    np.testing.assert_allclose(derived, elementwise_derivative(cost, Z_POINTS), **FD_TOL)


def test_notes_mistakes_are_named():
    assert any("minus sign" in r for r in registry["bce_derivative_a"].remarks)
    assert any("brackets" in r for r in registry["bce_cost"].remarks)
    assert any("is correct" in r for r in registry["bce_cost"].remarks)


@pytest.mark.parametrize("name", NAMES)
def test_displayed_steps_are_equalities(name):
    # Every "= rhs" line equals the line above it, at 30 digits (verify.steps_check).
    assert displayed_step_gaps(registry[name]) == []