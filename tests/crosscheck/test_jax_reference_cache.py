"""The JAX reference compiles once per architecture, and then only runs (issue 16).

Counted with JAX's own compile log (``jax.log_compiles``), never timed.
"""

import logging

import numpy as np

from verify import jax_reference


def _problem(n_hidden, seed):
    rng = np.random.default_rng(seed)
    dims = (3, n_hidden, 2)
    params = {}
    for l in (1, 2):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.standard_normal((dims[l], 1))
    X = rng.standard_normal((3, 5))
    Y = np.eye(2)[:, rng.integers(0, 2, 5)]
    return params, X, Y


def _compiles(caplog, fn):
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="jax"), jax_reference.jax.log_compiles(True):
        fn()
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Compiling")]


def test_one_compile_per_architecture_whatever_the_values(caplog):
    # 11 hidden units: a shape no other test uses, so the first call must compile.
    params, X, Y = _problem(11, 0)
    masks = {1: (np.random.default_rng(1).random((11, 5)) < 0.8).astype(float)}
    first = _compiles(caplog, lambda: jax_reference.gradients(
        params, X, Y, "tanh", "softmax", 0.3, masks, 0.8))
    # One program for value and gradient; no per-operation or per-array compiles (an
    # eager value_and_grad compiled each primitive, jnp.asarray each array shape).
    assert len(first) == 1, first
    # Other data, parameters, L2 strength and keep_prob: the same compiled program.
    params2, X2, Y2 = _problem(11, 5)
    again = _compiles(caplog, lambda: jax_reference.gradients(
        params2, X2, Y2, "tanh", "softmax", 0.05, masks, 0.5))
    assert again == []


def test_the_cached_program_gives_the_values_of_its_inputs():
    # A cache keyed too loosely would hand back another call's numbers.
    params, X, Y = _problem(11, 2)
    J1, g1 = jax_reference.gradients(params, X, Y, "tanh", "softmax", 0.3)
    J2, g2 = jax_reference.gradients(params, X, Y, "tanh", "softmax", 0.6)
    m = X.shape[1]
    l2 = sum(np.sum(params[f"W{l}"] ** 2) for l in (1, 2)) / (2 * m)
    # J(lambd) = data term + lambd * l2: the two costs differ by 0.3 * l2, to rounding.
    assert abs((J2 - J1) - 0.3 * l2) < 1e-12 * max(1.0, abs(J2))
    np.testing.assert_allclose(g2["dW1"] - g1["dW1"], 0.3 / m * params["W1"], rtol=1e-9, atol=1e-13)


def test_a_jax_that_refuses_the_fast_compile_options_compiles_plainly(monkeypatch):
    # An older XLA fails the compile on an option it does not know: the reference falls
    # back to plain jax.jit (and stays there) instead of failing the check.
    monkeypatch.setattr(jax_reference, "_FAST_COMPILE", {"xla_no_such_option_here": 1})
    monkeypatch.setattr(jax_reference, "_fast_compile_refused", [])
    double = jax_reference.jit(lambda x: 2.0 * x)
    np.testing.assert_array_equal(double(np.arange(3.0)), [0.0, 2.0, 4.0])
    assert jax_reference._fast_compile_refused
    # an error of the function itself still comes out
    reshape = jax_reference.jit(lambda x: x.reshape(4))
    try:
        reshape(np.arange(3.0))
    except TypeError as exc:
        assert "reshape" in str(exc)
    else:
        raise AssertionError("a wrong reshape went through")
