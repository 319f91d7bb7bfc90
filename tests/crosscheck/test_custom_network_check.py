"""check_network of networks with users' own activations and losses (every formula of
tests/custom_formulas.py, through derive.custom_activation / custom_loss): central
differences (kinks where the component states them), the complex step where it is
analytic, and JAX built from the entry's *definition*, never from the derived derivative.
Each formula is derived once per session (custom_formulas.build caches)."""

from types import SimpleNamespace

import numpy as np
import pytest

from custom_formulas import FORMULAS, build
from numeric import Network
from verify import check_network

# The project's promises for float64 gradients (verify.network_check.TOLERANCES): JAX of
# the definition to 1e-10 (two float64 evaluations of the same sums, rounding only),
# central differences below 1e-7 (truncation ~1e-11 at the steps taken; a wrong formula
# is off by >= 1e-3).
JAX_TOL, CENTRAL_TOL = 1e-10, 1e-7

ROWS = {name: (kind, name, formula) for kind, name, formula, _ in FORMULAS}


def _case(kind, name, seed=0):
    rng = np.random.default_rng(seed)
    obj = build(*ROWS[name])
    if kind == "activation":
        X = 2 * rng.standard_normal((2, 24))
        return Network([2, 6, 5, 1], hidden=obj, seed=3), X, (X[:1] > 0).astype(float)
    X, Y = 2 * rng.standard_normal((3, 24)), rng.standard_normal((1, 24))
    if name == "logistic":
        Y = np.where(Y > 0, 1.0, -1.0)  # its labels are +-1
    return Network([3, 8, 1], hidden="tanh", output="linear", loss=obj, seed=1), X, Y


@pytest.mark.parametrize("kind,name", [(row[0], row[1]) for row in FORMULAS])
def test_network_gradients_agree_with_jax_of_the_definition_and_with_differences(kind, name):
    net, X, Y = _case(kind, name)
    obj = net.hidden if kind == "activation" else net.loss
    c = check_network(net, X, Y)
    assert c.ok, str(c)
    assert c.max_rel_error("jax") <= JAX_TOL, str(c)
    assert c.max_rel_error("central") <= CENTRAL_TOL, str(c)
    assert ("complex" in c.methods()) == bool(obj.analytic), str(c)


def test_custom_activation_and_loss_together_with_l2_and_dropout():
    rng = np.random.default_rng(4)
    X, Y = 2 * rng.standard_normal((3, 20)), rng.standard_normal((1, 20))
    net = Network([3, 7, 5, 1], hidden=build(*ROWS["softsign"]), output="linear",
                  loss=build(*ROWS["log_cosh"]), seed=2)
    c = check_network(net, X, Y, lambd=0.3, keep_prob=0.8)
    assert c.ok and c.max_rel_error("jax") <= JAX_TOL, str(c)


def test_a_float32_network_with_a_custom_loss_is_checked_in_float64():
    rng = np.random.default_rng(5)
    X, Y = rng.uniform(-1, 1, (1, 6)), rng.uniform(-2, 2, (1, 6))
    net = Network([1, 3, 1], hidden=build(*ROWS["mish"]), output="linear",
                  loss=build(*ROWS["pinball"]), dtype=np.float32, seed=0)
    c = check_network(net, X.astype(np.float32), Y.astype(np.float32))
    assert c.ok, str(c)


def _with(obj, **replaced):
    """A copy of the runtime object ``obj`` with some functions replaced (a planted bug)."""
    fields = {k: getattr(obj, k) for k in ("kind", "name", "formula", "entry", "kinks",
                                           "analytic", "g", "g_prime", "g_into", "g_prime_into")
              if hasattr(obj, k)}
    return SimpleNamespace(**{**fields, **replaced})


def test_a_wrong_derivative_in_the_object_fails_against_the_definition():
    # g' 0.1 % too large: the references take g from the entry's definition, so they
    # disagree with the object's own derivative
    mish = build(*ROWS["mish"])
    bad = _with(mish, g_prime=lambda Z: 1.001 * mish.g_prime(Z))
    net, X, Y = _case("activation", "mish")
    c = check_network(Network([2, 6, 5, 1], hidden=bad, seed=3), X, Y)
    assert not c.ok
    assert {"W1", "b1"} <= c.failing("jax") and {"W1", "b1"} <= c.failing("central")


def test_a_wrong_definition_would_not_be_caught_by_the_object_alone():
    # the references read entry.definition: an object whose entry says z*tanh(z) while
    # its functions compute mish fails (the cost rows compare the forward passes)
    from derive.custom import activation_entry

    mish = build(*ROWS["mish"])
    other = _with(mish, entry=activation_entry("mish", "z*tanh(z)"), formula="z*tanh(z)")
    net, X, Y = _case("activation", "mish")
    c = check_network(Network([2, 6, 5, 1], hidden=other, seed=3), X, Y)
    assert "cost" in c.failing("jax") and "cost" in c.failing("central")


def test_a_unit_sitting_on_a_kink_away_from_zero_is_a_kink_not_a_failure():
    # hardtanh's kinks are at z = -1 and 1 (the object states them): example 0 is x = 0,
    # so Z1[0, 0] = b1[0] = 1 exactly; moving b1[0] crosses the kink (its one-sided
    # differences differ), and the check must find the analytic value between them
    act = build(*ROWS["hardtanh"])
    assert act.kinks == (-1.0, 1.0)
    rng = np.random.default_rng(0)
    X = 2 * rng.standard_normal((2, 24))
    X[:, 0] = 0.0
    net = Network([2, 4, 1], hidden=act, seed=3)
    net.params["b1"][0] = 1.0
    c = check_network(net, X, (X[:1] > 0).astype(float), methods=["central"])
    assert c.ok, str(c)
    assert any("1 element(s) sit on a" in n for n in c.notes), c.notes
