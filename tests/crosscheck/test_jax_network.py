"""check_network: every hidden/output pair against central differences, complex step, JAX."""

import itertools
import time

import numpy as np
import pytest

from numeric import Network
from numeric.activations import HIDDEN, LEAKY_RELU_SLOPE
from verify import NetworkCheck, check_network
from numeric import _catalog
from verify import _definitions, _network_fd, jax_reference
from verify.network_check import ANALYTIC, TOLERANCES, loop_central_fd

# HIDDEN: every activation of the catalog (numeric/_catalog.py), so a new one is tested here.
OUTPUTS = _catalog.OUTPUTS  # every output layer of the catalog


# Every (output, loss) pair of the catalog (numeric/_catalog.py), defaults included.
PAIRS = [(spec["output"], name) for name, spec in _catalog.LOSS_SPECS.items()]


def _case(hidden, output, dims=(4, 5, 3), m=7, init="he", seed=0, dtype=np.float64, loss=None):
    labels = _catalog.OUTPUT_SPECS[output]["labels"]   # the output's label kind
    n_y = 3 if labels == "one_hot" else 1
    rng = np.random.default_rng(seed)
    net = Network(list(dims) + [n_y], hidden=hidden, output=output, init=init, seed=seed, dtype=dtype,
                  loss=loss)
    X = rng.standard_normal((dims[0], m))
    if labels == "binary":
        Y = (rng.random((1, m)) < 0.5).astype(float)
    elif labels == "one_hot":
        Y = np.eye(3)[:, rng.integers(0, 3, m)]
    else:
        Y = rng.standard_normal((1, m))
    return net, X, Y


def test_slopes_agree():
    # The references write the leaky slope again on purpose; it must be the network's.
    assert jax_reference.LEAKY_RELU_SLOPE == _network_fd._LEAKY_SLOPE == LEAKY_RELU_SLOPE


@pytest.mark.parametrize("hidden,pair", list(itertools.product(HIDDEN, PAIRS)),
                         ids=lambda v: "-".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("lambd,keep_prob", [(0.0, 1.0), (0.7, 0.8)])
def test_correct_network_passes(hidden, pair, lambd, keep_prob):
    # every hidden x output x loss of the catalog: JAX to 1e-10, central differences below
    # 1e-7 (TOLERANCES), the complex step where the cost is analytic
    output, loss = pair
    net, X, Y = _case(hidden, output, loss=loss)
    c = check_network(net, X, Y, lambd=lambd, keep_prob=keep_prob)
    assert isinstance(c, NetworkCheck)
    assert c.ok, str(c)
    methods = c.methods()
    analytic_loss = _definitions.loss_analytic(loss)
    assert ("complex" in methods) == (hidden in ANALYTIC and analytic_loss)
    assert c.max_rel_error("central") < TOLERANCES["central"]
    assert c.max_rel_error("jax") < TOLERANCES["jax"]
    for parameter, method, rel, verdict in c.rows:
        assert verdict == "pass", (parameter, method, rel)


@pytest.mark.parametrize("init", ["zeros", "random", "xavier"])
def test_every_init_passes(init):
    net, X, Y = _case("relu", "sigmoid", init=init, dims=(4, 5, 5, 3))
    assert check_network(net, X, Y).ok


def test_rows_name_every_parameter():
    net, X, Y = _case("tanh", "sigmoid")
    c = check_network(net, X, Y)
    names = {r.parameter for r in c.rows}
    assert names == {"cost", "W1", "b1", "W2", "b2", "W3", "b3"}
    assert {r.method for r in c.rows} == {"central", "complex", "jax"}


def test_float32_network_is_checked_in_float64():
    net, X, Y = _case("tanh", "softmax", dtype=np.float32)
    assert check_network(net, X, Y).ok


def test_complex_step_refused_for_relu():
    net, X, Y = _case("relu", "sigmoid")
    with pytest.raises(ValueError, match="analytic"):
        check_network(net, X, Y, methods=["complex"])


def test_directional_mode():
    net, X, Y = _case("relu", "softmax", dims=(6, 8, 8))
    c = check_network(net, X, Y, directional=True, keep_prob=0.7, lambd=0.3)
    assert c.directional and c.ok, str(c)


def test_directional_one_million_parameters_in_seconds():
    net = Network([784, 1024, 256, 10], hidden="relu", output="softmax", init="he", seed=0)
    assert sum(p.size for p in net.params.values()) > 1_000_000
    rng = np.random.default_rng(0)
    X = rng.standard_normal((784, 32))
    Y = np.eye(10)[:, rng.integers(0, 10, 32)]
    start = time.perf_counter()
    c = check_network(net, X, Y, directional=True, methods=["central"])
    assert c.ok, str(c)
    assert time.perf_counter() - start < 30  # a few seconds on a laptop; slack for CI


@pytest.mark.slow
def test_batched_full_check_beats_the_loop_50x():
    net, X, Y = _case("relu", "sigmoid", dims=(784, 64), m=64)
    start = time.perf_counter()
    c = check_network(net, X, Y, methods=["central"])
    batched = time.perf_counter() - start
    assert c.ok
    start = time.perf_counter()
    _, done = loop_central_fd(net, X, Y, names=["W1"], max_elements=300)
    per_element = (time.perf_counter() - start) / done
    loop = per_element * sum(p.size for p in net.params.values())  # extrapolated
    assert loop / batched > 50, (loop, batched)


def test_loop_baseline_agrees_with_batched():
    net, X, Y = _case("tanh", "sigmoid")
    numeric, _ = loop_central_fd(net, X, Y, names=["W2"], h=1e-6)
    from numeric import propagation
    _, cache = propagation.forward(net.params, X, "tanh", "sigmoid")
    g = propagation.backward(net.params, cache, Y, "tanh", "sigmoid")
    np.testing.assert_allclose(numeric["W2"], g["dW2"].ravel(), rtol=1e-6, atol=1e-9)
