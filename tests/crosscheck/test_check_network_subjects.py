"""check_network checks the network it is given: a Network subclass's own backward, a
user's own class, or a user's plain functions in the course notes' style; it localizes a
wrong backward to a layer and a quantity, and validates its options.

Before this, check_network called numeric.propagation directly: every subclass test below
passed with ok == True (checked by running this file against the previous commit), and
the function form was a TypeError.
"""

import numpy as np
import pytest

from numeric import Network
from verify import check_network
from verify.planted import PLANTED, planted_case

# -- a user's own 2-layer network, written as the course notes write it -------------------
N_X = N_1 = 4  # square W1, so a transposed dW1 keeps its shape
M = 7


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def notes_forward(params, X, keep_prob=1.0, rng=None):
    Z1 = params["W1"] @ X + params["b1"]
    A1 = np.tanh(Z1)
    cache = {"Z1": Z1}
    if keep_prob < 1:
        D1 = (rng.random(A1.shape) < keep_prob).astype(float)
        A1 = A1 * D1 / keep_prob
        cache["D1"] = D1
    Z2 = params["W2"] @ A1 + params["b2"]
    A2 = _sigmoid(Z2)
    cache.update(X=X, A1=A1, Z2=Z2, A2=A2, keep_prob=keep_prob)
    return A2, cache


def notes_cost(params, Y, cache, lambd=0.0):
    m = Y.shape[1]
    A2 = cache["A2"]
    J = -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m
    return J + lambd / (2 * m) * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))


def notes_backward(params, Y, cache, lambd=0.0, bug=None):
    m = Y.shape[1]
    X, A1, A2, Z1, Z2 = (cache[k] for k in ("X", "A1", "A2", "Z1", "Z2"))
    dZ2 = Y - A2 if bug == "sign_flip" else A2 - Y
    dW2 = dZ2 @ A1.T / m + (0 if bug == "l2_missing" else lambd / m * params["W2"])
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = params["W2"].T @ dZ2
    if "D1" in cache and bug != "mask_missing":
        dA1 = dA1 * cache["D1"] / cache["keep_prob"]
    if bug == "sigmoid_prime_for_tanh":
        dZ1 = dA1 * _sigmoid(Z1) * (1 - _sigmoid(Z1))
    elif bug == "gprime_wrong_layer":
        dZ1 = dA1 * (1 - np.tanh(Z2) ** 2)  # layer 2's Z, broadcast over layer 1's units
    else:
        dZ1 = dA1 * (1 - np.tanh(Z1) ** 2)
    dW1 = dZ1 @ X.T / (1 if bug == "missing_1_over_m" else m) + lambd / m * params["W1"]
    if bug == "dW_transposed":
        dW1 = dW1.T
    db1 = dZ1 / m if bug == "db_not_summed" else np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dA1": dA1}


def notes_case(seed=0):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((N_1, N_X)) * 0.7, "b1": rng.standard_normal((N_1, 1)) * 0.1,
              "W2": rng.standard_normal((1, N_1)) * 0.7, "b2": np.zeros((1, 1))}
    X = rng.standard_normal((N_X, M))
    Y = (rng.random((1, M)) < 0.5).astype(float)
    return params, X, Y


# bug -> (options, layer, quantity, parameters that must fail, words the message holds)
NOTES_BUGS = {
    "missing_1_over_m": ({}, 1, "dW", {"W1"}, "1/m"),
    "db_not_summed": ({}, 1, "db", {"b1"}, "shape"),
    "gprime_wrong_layer": ({}, 1, "dZ", {"W1", "b1"}, "g'"),
    "mask_missing": ({"keep_prob": 0.7}, 1, "dZ", {"W1", "b1"}, "dropout mask"),
    "l2_missing": ({"lambd": 0.5}, 2, "dW", {"W2"}, "L2"),
    "sigmoid_prime_for_tanh": ({}, 1, "dZ", {"W1", "b1"}, "g' of sigmoid"),
    "dW_transposed": ({}, 1, "dW", {"W1"}, "transposed"),
    "sign_flip": ({}, 2, "dZ", {"W1", "b1", "W2", "b2"}, "sign"),
}


def _check_notes(bug, **options):
    params, X, Y = notes_case()
    return check_network(params=params, X=X, Y=Y, forward=notes_forward, cost=notes_cost,
                         backward=lambda p, Y, c, **kw: notes_backward(p, Y, c, bug=bug, **kw),
                         hidden="tanh", output="sigmoid", **options)


@pytest.mark.parametrize("bug", NOTES_BUGS)
def test_notes_style_network_bug_is_named_by_parameter_and_layer(bug):
    options, layer, quantity, parameters, words = NOTES_BUGS[bug]
    c = _check_notes(bug, **options)
    assert not c.ok
    for method in ("central", "complex", "jax"):
        assert c.failing(method) == parameters, (method, str(c))
    first = c.localization[0]
    assert (first.layer, first.quantity, set(first.parameters)) == (layer, quantity, parameters), str(c)
    assert words in first.message or any(words in n for n in c.notes), str(c)


@pytest.mark.parametrize("options", [{}, {"keep_prob": 0.7}, {"lambd": 0.5},
                                     {"keep_prob": 0.6, "lambd": 0.3, "directional": True}])
def test_notes_style_network_correct_version_passes(options):
    c = _check_notes(None, **options)
    assert c.ok, str(c)
    assert c.localization == []


def test_user_network_the_references_cannot_model_uses_its_own_differences():
    params, X, Y = notes_case()
    run = dict(params=params, X=X, Y=Y, forward=notes_forward, cost=notes_cost)
    good = check_network(backward=notes_backward, **run)  # no hidden/output: not modeled
    assert good.ok and good.methods() == ["central"], str(good)
    assert any("cannot model" in n for n in good.notes)
    bad = check_network(backward=lambda p, Y, c: notes_backward(p, Y, c, bug="dW_transposed"), **run)
    assert bad.failing() == {"W1"}, str(bad)


class OwnNetwork:
    """A user's own class with Network's protocol (params, forward, cost, backward)."""

    hidden, output = "tanh", "sigmoid"

    def __init__(self, params, bug=None):
        self.params, self.bug = params, bug

    def forward(self, X, keep_prob=1.0, rng=None):
        return notes_forward(self.params, X, keep_prob, rng)

    def cost(self, Y, cache, lambd=0.0):
        return notes_cost(self.params, Y, cache, lambd)

    def backward(self, Y, cache, lambd=0.0):
        return notes_backward(self.params, Y, cache, lambd, bug=self.bug)


def test_users_own_class_is_checked_through_its_methods():
    params, X, Y = notes_case()
    assert check_network(OwnNetwork(params), X, Y, lambd=0.2).ok
    c = check_network(OwnNetwork(params, bug="l2_missing"), X, Y, lambd=0.2)
    assert c.failing() == {"W2"} and c.localization[0].layer == 2, str(c)
    assert OwnNetwork(params).params is params  # the parameters were put back


# -- a Network subclass with a wrong backward -----------------------------------------------
def _mutate(kind, grads, net, lambd):
    g = {k: v.copy() for k, v in grads.items()}
    if kind == "times_2":
        g["dW2"] *= 2
    elif kind == "sign":
        g["db1"] = -g["db1"]
    elif kind == "zeroed_row":
        g["dW1"][1] = 0.0
    elif kind == "sum_not_mean":
        g["db2"] *= 6  # m = 6: the sum over the examples, not the mean
    return g


SUBCLASS_BUGS = {"times_2": {"W2"}, "sign": {"b1"}, "l2_missing": {"W1", "W2", "W3"},
                 "zeroed_row": {"W1"}, "sum_not_mean": {"b2"}}


def _subclass(kind):
    class Buggy(Network):
        def backward(self, Y, cache, lambd=0.0):
            if kind == "l2_missing":
                return super().backward(Y, cache)
            return _mutate(kind, super().backward(Y, cache, lambd), self, lambd)

    return Buggy


@pytest.mark.parametrize("kind", SUBCLASS_BUGS)
def test_network_subclass_with_a_wrong_backward_fails_naming_the_parameter(kind):
    net = _subclass(kind)([3, 5, 4, 1], hidden="relu", output="sigmoid", seed=1)
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((3, 6)), (rng.random((1, 6)) < 0.5).astype(float)
    c = check_network(net, X, Y, lambd=0.4)
    assert not c.ok
    for method in ("central", "jax"):
        assert c.failing(method) == SUBCLASS_BUGS[kind], (method, str(c))
    assert c.localization and set().union(*(f.parameters for f in c.localization)) >= SUBCLASS_BUGS[kind]
    plain = Network([3, 5, 4, 1], hidden="relu", output="sigmoid", seed=1)
    assert check_network(plain, X, Y, lambd=0.4).ok


def test_subclass_with_a_wrong_forward_fails_on_the_cost():
    class Doubled(Network):
        def cost(self, Y, cache, lambd=0.0):
            return 2 * super().cost(Y, cache, lambd)

    net = Doubled([2, 3, 1], hidden="tanh", seed=0)
    X, Y = np.ones((2, 3)), np.array([[0.0, 1.0, 1.0]])
    assert "cost" in check_network(net, X, Y).failing()


# -- options ----------------------------------------------------------------------------------
@pytest.mark.parametrize("options, words", [
    ({"keep_prob": 0}, "keep_prob"), ({"keep_prob": 1.5}, "keep_prob"),
    ({"keep_prob": float("nan")}, "keep_prob"), ({"lambd": float("nan")}, "lambd"),
    ({"lambd": -1.0}, "lambd"), ({"lambd": float("inf")}, "lambd"),
    ({"n_directions": 0}, "n_directions"), ({"n_directions": 10**9, "directional": True}, "n_directions"),
    ({"seed": -1}, "seed"), ({"methods": ["nope"]}, "methods"), ({"methods": "jax"}, "methods"),
    ({"tolerances": {"central": 5.0}}, "tolerances"), ({"tolerances": {"x": 1e-3}}, "tolerances"),
    ({"directional": "yes"}, "directional"), ({"max_work": -1}, "max_work"),
])
def test_invalid_options_are_refused_by_name(options, words):
    net = Network([2, 3, 1], hidden="tanh", seed=0)
    X, Y = np.ones((2, 3)), np.array([[0.0, 1.0, 1.0]])
    with pytest.raises((ValueError, TypeError), match=words):
        check_network(net, X, Y, **options)


def test_full_check_of_a_large_network_suggests_directional_mode():
    net = Network([3000, 3000, 1], init="zeros")  # 9M parameters
    X, Y = np.ones((3000, 2)), np.array([[0.0, 1.0]])
    with pytest.raises(ValueError, match="directional=True"):
        check_network(net, X, Y, methods=["central"])


def test_mismatched_gradient_shapes_fail_with_a_note():
    net = _subclass("times_2")([2, 3, 1], hidden="tanh", seed=0)
    net.backward = lambda Y, cache, lambd=0.0: {"dW1": np.zeros((3, 2)), "db1": np.zeros((3, 5)),
                                                "dW2": np.zeros((1, 3))}
    c = check_network(net, np.ones((2, 5)), np.ones((1, 5)), methods=["jax"])
    assert {"b1", "b2"} <= c.failing()
    assert any("db1 has shape (3, 5)" in n for n in c.notes) and any("db2 is missing" in n for n in c.notes)


@pytest.mark.parametrize("hidden", ["tanh", "relu"])
@pytest.mark.parametrize("bug", [b for b in PLANTED if b.name != "sigmoid_prime_for_tanh"],
                         ids=lambda b: b.name)
def test_planted_bugs_are_localized_to_exactly_the_parameters_they_break(bug, hidden):
    net, X, Y = planted_case(bug)
    net = Network(net.layer_dims, hidden=hidden, output="sigmoid", init="xavier", seed=0)
    c = check_network(net, X, Y, lambd=bug.lambd, keep_prob=bug.keep_prob, backward=bug.backward,
                      methods=["jax"])
    assert c.localization, str(c)
    assert set().union(*(f.parameters for f in c.localization)) == bug.expected, str(c)
