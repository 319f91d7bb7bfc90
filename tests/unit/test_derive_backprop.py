"""Item 7, the four backprop equations, checked on a NumPy network by finite differences.

delta^{[l]} = dC/dz^{[l]} is computed here by central differences of the cost with the
pre-activations as variables; BP1-BP4 are written in NumPy and compared with it and
with finite differences of the cost with respect to the parameters.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive import registry
from finite_differences import central_difference
from derive.derivations import backprop

NAMES = ("backprop_bp1", "backprop_bp2", "backprop_bp3", "backprop_bp4")
TOL = dict(rtol=1e-6, atol=1e-9)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


class Net:
    """x -> tanh -> sigmoid -> C(a2) = sum(c * sin(a2)) + |a2 - y|^2 / 2, one example."""

    def __init__(self, n0=3, n1=4, n2=2, seed=0):
        rng = np.random.default_rng(seed)
        self.x = rng.normal(size=(n0, 1))
        self.W1, self.b1 = rng.normal(size=(n1, n0)), rng.normal(size=(n1, 1))
        self.W2, self.b2 = rng.normal(size=(n2, n1)), rng.normal(size=(n2, 1))
        self.c, self.y = rng.normal(size=(n2, 1)), rng.uniform(size=(n2, 1))

    def cost_of_a2(self, a2):
        return float((self.c * np.sin(a2)).sum() + 0.5 * ((a2 - self.y) ** 2).sum())

    def cost_of_z2(self, z2):
        return self.cost_of_a2(sigmoid(z2))

    def cost_of_z1(self, z1):
        return self.cost_of_z2(self.W2 @ np.tanh(z1) + self.b2)

    def cost(self, W1=None, b1=None, W2=None, b2=None):
        W1 = self.W1 if W1 is None else W1
        b1 = self.b1 if b1 is None else b1
        W2 = self.W2 if W2 is None else W2
        b2 = self.b2 if b2 is None else b2
        return self.cost_of_z2(W2 @ np.tanh(W1 @ self.x + b1) + b2)

    @property
    def z1(self):
        return self.W1 @ self.x + self.b1

    @property
    def z2(self):
        return self.W2 @ np.tanh(self.z1) + self.b2


@pytest.fixture(params=[(3, 4, 2), (2, 3, 1), (1, 1, 1)])
def net(request):
    return Net(*request.param)


@pytest.mark.parametrize("name", NAMES)
def test_says_which_vectorized_formula_it_becomes(name):
    d = registry[name]
    assert d.remarks
    assert d.extra["vectorized_as"]


def test_bp1_output_error(net):
    delta2 = central_difference(net.cost_of_z2, net.z2)
    a2 = sigmoid(net.z2)
    nabla_a = central_difference(net.cost_of_a2, a2)
    np.testing.assert_allclose(delta2, nabla_a * a2 * (1 - a2), **TOL)


def test_bp2_error_propagates_backwards(net):
    delta2 = central_difference(net.cost_of_z2, net.z2)
    delta1 = central_difference(net.cost_of_z1, net.z1)
    np.testing.assert_allclose(delta1, (net.W2.T @ delta2) * (1 - np.tanh(net.z1) ** 2), **TOL)


def test_bp3_bias_gradient_is_delta(net):
    delta1 = central_difference(net.cost_of_z1, net.z1)
    delta2 = central_difference(net.cost_of_z2, net.z2)
    np.testing.assert_allclose(central_difference(lambda b: net.cost(b1=b), net.b1), delta1, **TOL)
    np.testing.assert_allclose(central_difference(lambda b: net.cost(b2=b), net.b2), delta2, **TOL)


def test_bp4_weight_gradient_is_delta_times_input(net):
    delta1 = central_difference(net.cost_of_z1, net.z1)
    delta2 = central_difference(net.cost_of_z2, net.z2)
    dW1 = central_difference(lambda W: net.cost(W1=W), net.W1)
    dW2 = central_difference(lambda W: net.cost(W2=W), net.W2)
    np.testing.assert_allclose(dW1, np.outer(delta1, net.x), **TOL)
    np.testing.assert_allclose(dW2, np.outer(delta2, np.tanh(net.z1)), **TOL)


def test_explicit_networks_are_not_square():
    """The symbolic proof must use a network where W^T and W cannot be confused."""
    assert any(n0 != n1 and n1 != n2 for n0, n1, n2 in backprop.NETWORKS)


def test_remarks_name_the_notes_errors():
    assert "Z^{[l-1]}" in " ".join(registry["backprop_bp2"].remarks)
    assert "h^{(l)} \\delta^{(l+1)}" in " ".join(registry["backprop_bp4"].remarks)
