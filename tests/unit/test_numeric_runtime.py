"""numeric at run time: NumPy only, fast import, float32 stays float32, finite at +-1000."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

from numeric import Network
from numeric import _generated as gen


def test_import_numeric_loads_neither_sympy_nor_jax():
    code = ("import sys, numeric; bad = [m for m in ('sympy', 'jax', 'derive', 'verify', "
            "'matplotlib', 'sklearn') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_generated_functions_are_finite_and_silent_at_logits_of_1000(dtype):
    # A naive sigmoid 1/(1+exp(-z)) overflows at z = -1000 and log(1 - sigmoid(z))
    # is -inf at z = 1000; the derived stable forms are finite and raise no warning.
    # Underflow (e^-1000 rounding to 0 inside logaddexp) is the correct rounding, not
    # an error, so only overflow, invalid and divide-by-zero are raised.
    Z = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]], dtype=dtype)
    Y = np.array([[1.0, 0.0, 1.0, 0.0, 1.0]], dtype=dtype)
    Zs = np.vstack([Z, -Z, np.zeros_like(Z)])
    Ys = np.eye(3, dtype=dtype)[:, [0, 1, 2, 0, 1]]
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        outputs = [gen.sigmoid(Z), gen.sigmoid_prime(Z), gen.tanh(Z), gen.tanh_prime(Z),
                   gen.relu(Z), gen.relu_prime(Z), gen.leaky_relu(Z, 0.01),
                   gen.leaky_relu_prime(Z, 0.01), gen.softmax(Zs), gen.log_softmax(Zs)]
        costs = [gen.bce_cost_from_logits(Z, Y, 5), gen.softmax_cross_entropy_cost(Zs, Ys, 5)]
    for out in outputs:
        assert out.dtype == dtype
        assert np.all(np.isfinite(out))
    for c in costs:
        assert np.isfinite(c) and np.asarray(c).dtype == dtype
    # Far from zero the exact answers are known: sigma(1000) = 1, sigma(-1000) = 0.
    assert gen.sigmoid(Z)[0, 4] == 1 and gen.sigmoid(Z)[0, 0] == 0
    # BCE of logit -1000 with label 1 is 1000 (log(1 + e^1000) ~ 1000).
    assert gen.bce_cost_from_logits(np.array([[-1000.0]], dtype), np.array([[1.0]], dtype), 1) == pytest.approx(1000)


def test_naive_formula_overflows_where_ours_does_not():
    z = np.array([-1000.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        naive = 1 / (1 + np.exp(-z))
    assert any("overflow" in str(w.message) for w in caught)
    assert naive[0] == 0.0
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        assert gen.sigmoid(z)[0] == 0.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_network_cost_is_finite_where_al_rounds_to_0_or_1(dtype):
    net = Network([1, 1], hidden="relu", output="sigmoid", dtype=dtype, seed=0)
    net.params["W1"][:] = 1.0
    X = np.array([[-1000.0, 1000.0]], dtype=dtype)
    _, cache = net.forward(X)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        J = net.cost(np.array([[1, 0]]), cache)
        grads = net.backward(np.array([[1, 0]]), cache)
    assert J == pytest.approx(1000, rel=1e-6)
    assert all(g.dtype == dtype and np.all(np.isfinite(g)) for g in grads.values())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_network_stays_float32(dtype):
    rng = np.random.default_rng(0)
    net = Network([4, 5, 3], hidden="tanh", output="softmax", dtype=dtype, seed=0)
    X = rng.standard_normal((4, 6))  # float64 data is converted to the network's dtype
    Y = np.eye(3)[:, rng.integers(0, 3, 6)]
    AL, cache = net.forward(X, keep_prob=0.8, rng=rng)
    assert AL.dtype == dtype and all(v.dtype == dtype for k, v in cache.items() if k != "keep_prob")
    grads = net.backward(Y, cache, lambd=0.1)
    assert all(g.dtype == dtype for g in grads.values())
    np.testing.assert_allclose(AL.sum(axis=0), 1, rtol=1e-6)
