"""check_network of a network with a user's own activation or loss: finite differences
(kinks where the component states them), the complex step where it is analytic, and JAX
built from the entry's *definition*, never from the object's derivative.

The components are built here from derive.custom's entries (the user's formula through
the whitelist parser) and NumPy functions written in the test, so that a deliberately
wrong derivative can be planted."""

from types import SimpleNamespace

import numpy as np
import pytest

from derive import catalog
from derive.custom import activation_entry, loss_entry
from numeric import Network
from verify import check_network

# The project's promises for float64 gradients (verify.network_check.TOLERANCES): JAX of
# the definition to 1e-10 (two float64 evaluations, rounding only), central differences
# below 1e-7 (truncation ~1e-11 at the steps taken).
JAX_TOL, CENTRAL_TOL = 1e-10, 1e-7


def _into(f):
    def into(*args):
        out = args[-2]
        out[...] = f(*args[:-2])
        return out
    return into


def activation(name, formula, g, g_prime):
    entry = activation_entry(name, formula)
    return SimpleNamespace(kind="activation", name=name, formula=formula, entry=entry,
                           kinks=catalog.kinks(entry), analytic=catalog.analytic(entry),
                           g=g, g_prime=g_prime, g_into=_into(g), g_prime_into=_into(g_prime))


def loss(name, formula, L, dL, analytic=True):
    return SimpleNamespace(kind="loss", name=name, formula=formula, output="linear",
                           entry=loss_entry(name, formula), kinks=(), analytic=analytic,
                           cost=lambda A, Y, m: float(np.sum(L(A, Y)) / m), dz=dL,
                           dz_into=_into(dL))


def _sigmoid(Z):
    return 0.5 * (1 + np.tanh(0.5 * Z))


ACTIVATIONS = {
    "myswish": lambda: activation("myswish", "z*sigmoid(z)", lambda Z: Z * _sigmoid(Z),
                                  lambda Z: _sigmoid(Z) * (1 + Z * (1 - _sigmoid(Z)))),
    "softsign": lambda: activation("softsign", "z/(1 + abs(z))", lambda Z: Z / (1 + np.abs(Z)),
                                   lambda Z: 1 / (1 + np.abs(Z)) ** 2),
    "hardtanh": lambda: activation("hardtanh", "min(max(z, -1), 1)", lambda Z: np.clip(Z, -1, 1),
                                   lambda Z: ((Z > -1) & (Z < 1)).astype(Z.dtype)),
    "leaky": lambda: activation("leaky", "max(z, 0.1*z)", lambda Z: np.maximum(Z, 0.1 * Z),
                                lambda Z: np.where(Z > 0, 1.0, 0.1).astype(Z.dtype)),
}
LOSSES = {
    "log_cosh": lambda: loss("log_cosh", "log(cosh(a - y))", lambda A, Y: np.log(np.cosh(A - Y)),
                             lambda A, Y: np.tanh(A - Y)),
    "pseudo_huber": lambda: loss("pseudo_huber", "sqrt(1 + (a - y)^2) - 1",
                                 lambda A, Y: np.sqrt(1 + (A - Y) ** 2) - 1,
                                 lambda A, Y: (A - Y) / np.sqrt(1 + (A - Y) ** 2)),
}


def _data(n_x=2, m=24, seed=0, linear=False):
    rng = np.random.default_rng(seed)
    X = 2 * rng.standard_normal((n_x, m))
    return X, (rng.standard_normal((1, m)) if linear else (X[:1] > 0).astype(float))


def _agrees(c, analytic):
    assert c.ok, str(c)
    assert c.max_rel_error("jax") <= JAX_TOL and c.max_rel_error("central") <= CENTRAL_TOL, str(c)
    assert ("complex" in c.methods()) == analytic, str(c)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_a_custom_activation_agrees_with_jax_of_its_definition(name):
    act = ACTIVATIONS[name]()
    X, Y = _data()
    _agrees(check_network(Network([2, 6, 5, 1], hidden=act, seed=3), X, Y), act.analytic)


@pytest.mark.parametrize("name", LOSSES)
def test_a_custom_loss_agrees_with_jax_of_its_definition(name):
    X, Y = _data(n_x=3, linear=True)
    net = Network([3, 8, 1], hidden="tanh", output="linear", loss=LOSSES[name](), seed=1)
    _agrees(check_network(net, X, Y), True)


def test_custom_activation_and_loss_together_with_l2_and_dropout():
    X, Y = _data(n_x=3, linear=True)
    net = Network([3, 7, 5, 1], hidden=ACTIVATIONS["softsign"](), output="linear",
                  loss=LOSSES["log_cosh"](), seed=2)
    c = check_network(net, X, Y, lambd=0.3, keep_prob=0.8)
    assert c.ok and c.max_rel_error("jax") <= JAX_TOL, str(c)


def test_a_wrong_derivative_in_the_object_fails_against_the_definition():
    # g' 0.1 % too large: the references take g from the entry's definition, so they
    # cannot agree with the object's own derivative
    good = ACTIVATIONS["myswish"]()
    bad = activation("myswish", "z*sigmoid(z)", good.g, lambda Z: 1.001 * good.g_prime(Z))
    X, Y = _data()
    c = check_network(Network([2, 6, 5, 1], hidden=bad, seed=3), X, Y)
    assert not c.ok and {"W1", "b1"} <= c.failing("jax") and {"W1", "b1"} <= c.failing("central")


def test_a_wrong_loss_derivative_fails():
    good = LOSSES["pseudo_huber"]()
    bad = loss("pseudo_huber", good.formula, lambda A, Y: np.sqrt(1 + (A - Y) ** 2) - 1,
               lambda A, Y: (A - Y) / np.sqrt(1.01 + (A - Y) ** 2))
    X, Y = _data(n_x=3, linear=True)
    c = check_network(Network([3, 8, 1], hidden="tanh", output="linear", loss=bad, seed=1), X, Y)
    assert not c.ok and "W2" in c.failing("jax")
    assert good.entry.definition == bad.entry.definition


def test_a_unit_sitting_on_a_kink_away_from_zero_is_a_kink_not_a_failure():
    # hardtanh's kinks are at z = -1 and 1 (the object states them): example 0 is x = 0,
    # so Z1[0, 0] = b1[0] = 1 exactly; moving b1[0] crosses the kink (its one-sided
    # differences differ), and the check must find the analytic value between them
    act = ACTIVATIONS["hardtanh"]()
    assert act.kinks == (-1.0, 1.0)
    X, Y = _data()
    X[:, 0] = 0.0
    net = Network([2, 4, 1], hidden=act, seed=3)
    net.params["b1"][0] = 1.0
    c = check_network(net, X, Y, methods=["central"])
    assert c.ok, str(c)
    assert any("1 element(s) sit on a" in n for n in c.notes), c.notes
