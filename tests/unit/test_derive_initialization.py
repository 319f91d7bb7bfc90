"""Item 10: zero-init symmetry, Xavier and He variances, checked numerically in NumPy."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import registry
from finite_differences import central_difference



def cost(params, X, Y):
    """Two-layer tanh -> sigmoid network with binary cross-entropy, averaged over m."""
    W1, b1, W2, b2 = params
    A1 = np.tanh(W1 @ X + b1)
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
    return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


def numeric_gradients(params, X, Y):
    grads = []
    for index, P in enumerate(params):
        def f(x, index=index):
            trial = list(params)
            trial[index] = x
            return cost(trial, X, Y)
        grads.append(central_difference(f, P))
    return grads


def gradients(params, X, Y):
    """Backprop of :func:`cost`, written out here (checked against finite differences)."""
    W1, b1, W2, b2 = params
    mm = X.shape[1]
    A1 = np.tanh(W1 @ X + b1)
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
    dZ2 = A2 - Y
    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
    return [dZ1 @ X.T / mm, dZ1.sum(axis=1, keepdims=True) / mm,
            dZ2 @ A1.T / mm, dZ2.sum(axis=1, keepdims=True) / mm]


def fan_in_symbol(expr):
    (n,) = [s for s in expr.free_symbols if "n^" in s.name]
    return n


@pytest.mark.parametrize("start", ["zeros", "equal_rows"])
def test_symmetric_hidden_units_stay_identical_under_gradient_descent(start):
    rng = np.random.default_rng(0)
    n0, n1, mm = 3, 4, 6
    X = rng.normal(size=(n0, mm))
    Y = (rng.uniform(size=(1, mm)) < 0.5).astype(float)
    if start == "zeros":
        params = [np.zeros((n1, n0)), np.zeros((n1, 1)), np.zeros((1, n1)), np.zeros((1, 1))]
    else:
        row = rng.normal(size=(1, n0))
        params = [np.repeat(row, n1, axis=0), np.full((n1, 1), 0.3),
                  np.full((1, n1), -0.7), np.zeros((1, 1))]
    for got, expected in zip(gradients(params, X, Y), numeric_gradients(params, X, Y)):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)
    for _ in range(15):
        dW1, db1, dW2, db2 = gradients(params, X, Y)
        # exactly equal: the hidden units are interchangeable at every step
        np.testing.assert_array_equal(dW1, np.repeat(dW1[:1], n1, axis=0))
        np.testing.assert_array_equal(db1, np.full_like(db1, db1[0, 0]))
        np.testing.assert_array_equal(dW2, np.full_like(dW2, dW2[0, 0]))
        params = [P - 0.5 * G for P, G in zip(params, (dW1, db1, dW2, db2))]
    np.testing.assert_array_equal(params[0], np.repeat(params[0][:1], n1, axis=0))
    assert any(np.abs(P).max() > 0 for P in params)  # training did move something


def test_random_init_breaks_the_symmetry():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 5))
    Y = (rng.uniform(size=(1, 5)) < 0.5).astype(float)
    params = [rng.normal(size=(2, 3)), np.zeros((2, 1)), rng.normal(size=(1, 2)), np.zeros((1, 1))]
    dW1 = numeric_gradients(params, X, Y)[0]
    assert np.abs(dW1[0] - dW1[1]).max() > 1e-3


def test_zero_init_result_is_the_zero_difference():
    d = registry["zero_init_symmetry"]
    assert d.result.rhs == sp.zeros(3, 1) == d.textbook.rhs
    # proved against the differences computed from the layer formulas, for any sizes
    assert d.proof.holds and "derived" in d.proof.method
    assert d.extra["explicit_cross_check"].holds
    # the displayed gradients of layer l (and of W^[l+1]) do not contain the unit j,
    # and are not identically zero
    gradients = [s for s in d.steps if isinstance(s.lhs, sp.Indexed)
                 and str(s.lhs.base) in {"dW^{[l]}", "db^{[l]}", "dW^{[l+1]}"}]
    assert len(gradients) == 3
    for step in gradients:
        (j,) = [q for q in step.lhs.indices if str(q) == "j"]
        assert j not in step.rhs.free_symbols and step.rhs != 0


@pytest.mark.parametrize("n", [10, 200])
def test_xavier_keeps_the_variance_monte_carlo(n):
    rng = np.random.default_rng(2)
    d = registry["xavier_variance"]
    var_w = float(d.result.rhs.subs(fan_in_symbol(d.result.rhs), n))
    assert var_w == pytest.approx(1 / n)
    samples, var_a = 20_000, 0.8
    W = rng.normal(scale=np.sqrt(var_w), size=(samples, n))
    A = rng.normal(scale=np.sqrt(var_a), size=(samples, n))
    z = (W * A).sum(axis=1)
    assert z.var() == pytest.approx(var_a, rel=0.05)
    assert d.extra["explicit_moment_check_fan_in_3"] is True


@pytest.mark.parametrize("n", [10, 200])
def test_he_keeps_the_variance_through_relu_monte_carlo(n):
    rng = np.random.default_rng(3)
    d = registry["he_variance"]
    var_w = float(d.result.rhs.subs(fan_in_symbol(d.result.rhs), n))
    assert var_w == pytest.approx(2 / n)
    samples, var_prev = 20_000, 1.3
    z_prev = rng.normal(scale=np.sqrt(var_prev), size=(samples, n))
    A = np.maximum(z_prev, 0)
    assert np.mean(A ** 2) == pytest.approx(var_prev / 2, rel=0.02)
    W = rng.normal(scale=np.sqrt(var_w), size=(samples, n))
    z = (W * A).sum(axis=1)
    assert z.var() == pytest.approx(var_prev, rel=0.05)
    # with the Xavier variance the signal would halve at every ReLU layer
    z_xavier = (W / np.sqrt(2) * A).sum(axis=1)
    assert z_xavier.var() == pytest.approx(var_prev / 2, rel=0.05)


def test_he_ratio_is_one_half_for_symmetric_distributions():
    extra = registry["he_variance"].extra
    assert extra["relu_second_moment_ratio"] == sp.Rational(1, 2)
    assert extra["uniform_ratio"] == sp.Rational(1, 2)


def test_remarks_correct_the_fan_in():
    for name in ("xavier_variance", "he_variance"):
        assert any("n^{[l-1]}" in r and "n_x" in r for r in registry[name].remarks)
