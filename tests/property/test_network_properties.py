"""Hypothesis: shapes, broadcasting and invariants of the network, for any small architecture.

Layer sizes 1..8, depths 1..4, m from 1, every hidden/output pair, float32 and float64,
bounded values plus extremes. Examples are few and small so the suite stays fast.
Hidden activations and losses are drawn from the catalog and from a few users' formulas
(derive.custom_activation / custom_loss, rows of tests/custom_formulas.py: smooth, with
kinks, overflowing as written), each derived once per session.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from custom_formulas import FORMULAS, build
from numeric import Network, _catalog
from numeric.outputs import output_layer
from numeric.activations import HIDDEN  # every activation of the catalog

# users' formulas drawn with the catalog's (built lazily: a row is derived when drawn)
_CUSTOM = {name: (kind, name, formula) for kind, name, formula, _ in FORMULAS}
CUSTOM_HIDDEN = [_CUSTOM[n] for n in ("mish", "hardtanh", "softsign", "softplus_naive")]
CUSTOM_LOSSES = [_CUSTOM[n] for n in ("log_cosh", "pinball")]

# every (output, loss) pair of the catalog (numeric/_catalog.py), the defaults included,
# and the users' losses on the linear output
PAIRS = [(spec["output"], name) for name, spec in _catalog.LOSS_SPECS.items()] + [
    ("linear", row) for row in CUSTOM_LOSSES]
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def cases(draw):
    output, loss = draw(st.sampled_from(PAIRS))
    loss = build(*loss) if isinstance(loss, tuple) else loss
    hidden = draw(st.sampled_from([*HIDDEN, *CUSTOM_HIDDEN]))
    hidden = build(*hidden) if isinstance(hidden, tuple) else hidden
    depth = draw(st.integers(1, 4))
    hidden_sizes = draw(st.lists(st.integers(1, 8), min_size=depth - 1, max_size=depth - 1))
    n_x = draw(st.integers(1, 8))
    n_y = draw(st.integers(2, 5)) if output == "softmax" else draw(st.integers(1, 3))
    m = draw(st.integers(1, 6))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    net = Network([n_x, *hidden_sizes, n_y], hidden=hidden, output=output,
                  init=draw(st.sampled_from(["zeros", "random", "xavier", "he"])),
                  seed=draw(st.integers(0, 2**16)), dtype=dtype, loss=loss)
    scale = draw(st.sampled_from([1.0, 30.0, 1000.0]))  # bounded values and extremes
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = (scale * rng.uniform(-1, 1, (n_x, m))).astype(dtype)
    if output == "sigmoid":
        Y = (rng.random((n_y, m)) < 0.5).astype(dtype)
    elif output == "softmax":
        Y = np.eye(n_y, dtype=dtype)[:, rng.integers(0, n_y, m)]
    else:
        Y = rng.uniform(-2, 2, (n_y, m)).astype(dtype)
    return net, X, Y


@SETTINGS
@given(cases(), st.floats(0.0, 2.0))
def test_gradient_shapes_and_finite_cost(case, lambd):
    net, X, Y = case
    AL, cache = net.forward(X)
    assert AL.shape == (net.layer_dims[-1], X.shape[1])
    J = net.cost(Y, cache, lambd=lambd)
    assert isinstance(J, float) and np.isfinite(J)
    grads = net.backward(Y, cache, lambd=lambd)
    assert set(grads) == {"d" + k for k in net.params}
    for k, p in net.params.items():
        assert grads["d" + k].shape == p.shape
        assert grads["d" + k].dtype == p.dtype


@SETTINGS
@given(cases())
def test_b_broadcasts_and_db_sums_the_columns(case):
    net, X, Y = case
    _, cache = net.forward(X)
    grads = net.backward(Y, cache)
    L = len(net.layer_dims) - 1
    m = X.shape[1]
    # Z = W A_prev + b: b is added to every column.
    Z1 = cache["Z1"]
    np.testing.assert_allclose(Z1 - net.params["W1"] @ X, np.repeat(net.params["b1"], m, axis=1),
                               rtol=1e-4, atol=1e-3 * max(1.0, float(np.abs(Z1).max())))
    # db = (1/m) sum over the columns of dZ; for the output layer dZ is the loss's
    # (A - Y for the three default pairs)
    dZL = output_layer(net.output, net.loss).dz(cache[f"A{L}"], Y)
    np.testing.assert_allclose(grads[f"db{L}"], dZL.sum(axis=1, keepdims=True) / m,
                               rtol=1e-5, atol=1e-6)


@SETTINGS
@given(cases())
def test_softmax_columns_sum_to_one(case):
    net, X, Y = case
    AL, _ = net.forward(X)
    if net.output == "softmax":
        np.testing.assert_allclose(AL.sum(axis=0), 1.0, rtol=1e-5)
        assert np.all(AL >= 0)


@SETTINGS
@given(cases())
def test_keep_prob_one_is_no_dropout(case):
    net, X, Y = case
    A_plain, c_plain = net.forward(X)
    A_one, c_one = net.forward(X, keep_prob=1.0, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(A_plain, A_one)
    assert not any(k.startswith("D") for k in c_one)
    for k, v in net.backward(Y, c_plain).items():
        np.testing.assert_array_equal(v, net.backward(Y, c_one)[k])


@SETTINGS
@given(cases(), st.floats(0.01, 3.0))
def test_l2_adds_exactly_lambd_over_m_W(case, lambd):
    net, X, Y = case
    _, cache = net.forward(X)
    plain = net.backward(Y, cache)
    reg = net.backward(Y, cache, lambd=lambd)
    m = X.shape[1]
    tol = 1e-5 if net.dtype == np.float32 else 1e-12
    for k, W in net.params.items():
        if k.startswith("W"):
            np.testing.assert_allclose(reg["d" + k] - plain["d" + k], lambd / m * W,
                                       rtol=tol, atol=tol * (1 + float(np.abs(plain["d" + k]).max())))
        else:
            np.testing.assert_array_equal(reg["d" + k], plain["d" + k])


@SETTINGS
@given(cases())
def test_label_vector_of_shape_m_is_an_error(case):
    net, X, Y = case
    _, cache = net.forward(X)
    flat = Y[0]  # shape (m,): must never broadcast to (m, m)
    with pytest.raises(ValueError):
        net.cost(flat, cache)
    with pytest.raises(ValueError):
        net.backward(flat, cache)


def _saturated_tanh_case():
    """1-1-1 tanh/sigmoid with |Z1| from 7 to 24: tanh' = 1 - A^2 is tiny and its rounding
    is eps (the terms 1 + A^2), not eps tanh'. The gradients of W1, b1 differed from JAX
    by 4.9e-9 relative, all rounding, until the comparison's rounding model said so."""
    net = Network([1, 1, 1], hidden="tanh", output="sigmoid")
    net.params.update({"W1": np.array([[0.8021]]), "b1": np.array([[0.87072778]]),
                       "W2": np.array([[-1.94859771]]), "b2": np.array([[-0.34195515]])})
    X = np.array([[8.57721773, -13.81707291, -27.14195717, -29.45061627]])
    return net, X, np.array([[0.0, 0.0, 0.0, 1.0]])


@settings(max_examples=15, deadline=None)
@given(cases())
@example(_saturated_tanh_case())
def test_backward_matches_jax_on_random_architectures(case):
    from verify import check_network

    net, X, Y = case
    if np.max(np.abs(X)) > 100:  # saturated units: agreement is checked at moderate scales
        X = X / 100
    c = check_network(net, X.astype(np.float64), Y, methods=["jax"])
    assert c.ok, str(c)
