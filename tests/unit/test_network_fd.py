"""Every hidden/output/init combination, with L2 and with dropout, against central
finite differences in float64 (the verify package holds the full harness; this is the
network's own check, written without it)."""

import itertools
import os
import zlib

import numpy as np
import pytest

from numeric import Network, _catalog
from numeric.activations import HIDDEN
from numeric.initializers import INITS
from numeric.outputs import OUTPUTS

# Central differences in float64 with step h have error ~ h^2 |J'''| / 6 (truncation)
# + eps |J| / h (rounding). With h = 1e-5 both are ~1e-11 absolute here, so gradients
# down to ~1e-4 stay below the 1e-7 relative bar the project promises (with h = 1e-6
# the rounding term reached 1e-7 on the smallest db1).
TOLERANCE = 1e-7
STEP = 1e-5
SEED_OFFSET = int(os.environ.get("GRADPROOF_FD_SEED_OFFSET", "0"))  # to probe other draws


def _labels(output, n_y, m, rng):
    labels = _catalog.OUTPUT_SPECS[output]["labels"]   # the output's label kind
    if labels == "binary":
        return rng.integers(0, 2, (n_y, m)).astype(float)
    if labels == "one_hot":
        return np.eye(n_y)[:, rng.integers(0, n_y, m)]
    return rng.standard_normal((n_y, m))


def _cost(net, X, Y, lambd, keep_prob, mask_seed):
    # The same seed replays the same dropout masks: the masks are fixed across calls.
    rng = np.random.default_rng(mask_seed)
    _, cache = net.forward(X, keep_prob=keep_prob, rng=rng)
    return net.cost(Y, cache, lambd=lambd)


def _numeric_gradient(net, X, Y, lambd, keep_prob, mask_seed):
    grads = {}
    for name, p in net.params.items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + STEP
            plus = _cost(net, X, Y, lambd, keep_prob, mask_seed)
            p[idx] = old - STEP
            minus = _cost(net, X, Y, lambd, keep_prob, mask_seed)
            p[idx] = old
            g[idx] = (plus - minus) / (2 * STEP)
        grads["d" + name] = g
    return grads


def _rel_error(a, b):
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


@pytest.mark.parametrize("hidden,output,init", list(itertools.product(HIDDEN, OUTPUTS, INITS)))
@pytest.mark.parametrize("lambd,keep_prob", [(0.0, 1.0), (0.7, 1.0), (0.3, 0.6)])
def test_backward_matches_central_differences(hidden, output, init, lambd, keep_prob):
    # A seed fixed by the case's name (str hash() changes with every process).
    rng = np.random.default_rng(zlib.crc32(f"{hidden}/{output}/{init}".encode()) + SEED_OFFSET)
    n_y = 3 if _catalog.OUTPUT_SPECS[output]["labels"] == "one_hot" else 1
    net = Network([3, 4, 3, n_y], hidden=hidden, output=output, init=init, seed=1)
    if init in ("zeros", "random"):
        # Tiny or zero weights leave gradients of ~1e-6 where FD rounding dominates;
        # check the formulas at a generic point too.
        for k in net.params:
            net.params[k] = net.params[k] + 0.5 * rng.standard_normal(net.params[k].shape)
    for k in ("b1", "b2", "b3"):
        # Zero biases put Z = b = 0 exactly wherever ReLU silenced a whole column below:
        # a kink, where no finite difference can agree with a one-sided derivative.
        net.params[k] = net.params[k] + 0.1 * rng.standard_normal(net.params[k].shape)
    X = rng.standard_normal((3, 5))
    Y = _labels(output, n_y, 5, rng)
    _, cache = net.forward(X, keep_prob=keep_prob, rng=np.random.default_rng(7))
    analytic = net.backward(Y, cache, lambd=lambd)
    numeric = _numeric_gradient(net, X, Y, lambd, keep_prob, mask_seed=7)
    for name in analytic:
        err = _rel_error(analytic[name], numeric[name])
        assert err < TOLERANCE, f"{name}: relative error {err:.2e}"


def test_keep_prob_one_is_exactly_the_plain_network():
    rng = np.random.default_rng(0)
    net = Network([3, 5, 1], hidden="relu", output="sigmoid", seed=0)
    X = rng.standard_normal((3, 8))
    Y = rng.integers(0, 2, (1, 8))
    a1, c1 = net.forward(X)
    a2, c2 = net.forward(X, keep_prob=1.0, rng=np.random.default_rng(5))
    assert np.array_equal(a1, a2)
    g1, g2 = net.backward(Y, c1), net.backward(Y, c2)
    assert all(np.array_equal(g1[k], g2[k]) for k in g1)


def test_dropout_masks_are_cached_and_reused():
    rng = np.random.default_rng(0)
    net = Network([3, 6, 6, 1], hidden="tanh", output="sigmoid", seed=0)
    X = rng.standard_normal((3, 10))
    _, cache = net.forward(X, keep_prob=0.5, rng=np.random.default_rng(1))
    assert {"D1", "D2"} <= set(cache) and "D3" not in cache  # no dropout on the output
    assert set(np.unique(cache["D1"])) <= {0.0, 1.0}


def test_dropout_without_rng_is_a_clear_error():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="rng"):
        net.forward(np.zeros((2, 4)), keep_prob=0.5)
