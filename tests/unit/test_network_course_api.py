"""What the course's cases needed from Network: given weights, a Generator, dA[l], and a
backward pass from a given upstream gradient."""

import numpy as np
import pytest

from numeric import Network, course


def _data(n_x=3, m=5, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    return X, (rng.random((1, m)) < 0.5).astype(np.float64)


def test_from_params_reads_the_architecture_and_copies():
    net = Network([3, 4, 2, 1], seed=0)
    twin = Network.from_params(net.params, hidden="relu", output="sigmoid")
    assert twin.layer_dims == (3, 4, 2, 1) and twin.dtype is np.float64
    X, _ = _data()
    assert np.array_equal(twin.forward(X)[0], net.forward(X)[0])
    twin.params["W1"][0, 0] += 1.0
    assert twin.params["W1"][0, 0] != net.params["W1"][0, 0]  # copied, not aliased
    assert Network.from_params(net.params, dtype="float32").params["W2"].dtype == np.float32


@pytest.mark.parametrize("params, message", [
    ({"W1": np.ones((2, 3)), "b1": np.ones((2, 1)), "W2": np.ones((1, 4)), "b2": np.ones((1, 1))},
     r"W2 has shape \(1, 4\): its 4 columns must equal the 2 rows of W1"),
    ({"W1": np.ones((2, 3)), "b1": np.ones((1, 2))}, r"parameter b1 has shape \(1, 2\)"),
    ({"W1": np.ones((2, 3))}, r"parameters \['W1'\], expected \['W1', 'b1'\]"),
    ({"W1": np.ones((2, 3), dtype=int), "b1": np.ones((2, 1))}, r"params\['W1'\] must be a 2-D floating"),
    ({"W2": np.ones((2, 3)), "b2": np.ones((2, 1))}, r"no W1"),
    ({"W1": np.full((2, 3), np.nan), "b1": np.ones((2, 1))}, r"W1 contains NaN"),
])
def test_from_params_names_the_wrong_parameter(params, message):
    with pytest.raises(ValueError, match=message):
        Network.from_params(params)


def test_seed_may_be_a_generator():
    a = Network([3, 4, 1], seed=np.random.default_rng(7))
    b = Network([3, 4, 1], seed=7)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


def test_dA0_is_m_times_the_gradient_of_the_cost_in_X():
    net = Network([3, 4, 2, 1], hidden="tanh", seed=3)
    X, Y = _data()
    grads = net.backward(Y, net.forward(X)[1], return_dA=True)
    assert {"dA0", "dA1", "dA2"} <= set(grads) and grads["dA1"].shape == (4, 5)
    h, m = 1e-6, X.shape[1]
    numeric = np.zeros_like(X)
    for i in np.ndindex(X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[i] += h
        Xm[i] -= h
        numeric[i] = (net.cost(Y, net.forward(Xp)[1]) - net.cost(Y, net.forward(Xm)[1])) / (2 * h)
    # central differences in float64 with h = 1e-6: error ~ 1e-10 relative; 1e-7 is the
    # project's bound for central differences.
    err = np.linalg.norm(grads["dA0"] - m * numeric) / (np.linalg.norm(grads["dA0"]) + np.linalg.norm(m * numeric))
    assert err < 1e-7


def test_dA_with_dropout_is_the_courses():
    net = Network([3, 4, 2, 1], seed=0)
    X, Y = _data()
    AL, cache = net.forward(X, keep_prob=0.7, rng=np.random.default_rng(2))
    grads = net.backward(Y, cache, return_dA=True)
    p = net.params
    course_cache = (cache["Z1"], cache["D1"], cache["A1"], p["W1"], p["b1"],
                    cache["Z2"], cache["D2"], cache["A2"], p["W2"], p["b2"],
                    cache["Z3"], cache["A3"], p["W3"], p["b3"])
    theirs = course.backward_propagation_with_dropout(X, Y, course_cache, 0.7)
    for k in ("dA1", "dA2", "dW1", "db1", "dW2", "dW3"):
        assert np.allclose(grads[k], theirs[k], rtol=1e-12, atol=1e-15), k


@pytest.mark.parametrize("output", ["sigmoid", "linear", "softmax"])
def test_backward_from_a_given_gradient(output):
    n_out = 3 if output == "softmax" else 1
    net = Network([3, 4, n_out], output=output, seed=0)
    X, _ = _data()
    rng = np.random.default_rng(4)
    Y = (np.eye(3)[:, rng.integers(0, 3, 5)] if output == "softmax" else
         _data()[1] if output == "sigmoid" else rng.standard_normal((1, 5)))
    AL, cache = net.forward(X)
    want = net.backward(Y, cache, lambd=0.3, return_dA=True)
    got = net.backward_from(cache, dZL=AL - Y, lambd=0.3, return_dA=True)
    assert all(np.array_equal(want[k], got[k]) for k in want)
    if output == "softmax":
        with pytest.raises(ValueError, match="pass dZL"):
            net.backward_from(cache, dAL=AL - Y)
        return
    dAL = -(Y / AL - (1 - Y) / (1 - AL)) if output == "sigmoid" else AL - Y
    got = net.backward_from(cache, dAL=dAL, lambd=0.3, return_dA=True)
    for k in want:  # dAL * sigma'(Z) vs A - Y: equal up to rounding
        assert np.allclose(got[k], want[k], rtol=1e-10, atol=1e-14), k


def test_backward_from_checks_its_arguments():
    net = Network([3, 4, 1], seed=0)
    X, Y = _data()
    _, cache = net.forward(X)
    with pytest.raises(ValueError, match="exactly one of dAL"):
        net.backward_from(cache)
    with pytest.raises(ValueError, match="exactly one of dAL"):
        net.backward_from(cache, dAL=Y, dZL=Y)
    with pytest.raises(ValueError, match=r"dAL has 4 columns \(examples\), expected 5"):
        net.backward_from(cache, dAL=np.ones((1, 4)))
