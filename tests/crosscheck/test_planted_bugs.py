"""Each planted bug is caught by finite differences, the complex step and JAX, naming
exactly the parameters it breaks; the unmutated backward passes."""

import pytest

from verify import check_network
from verify.planted import PLANTED, mutated_backward, planted_case


@pytest.mark.parametrize("bug", PLANTED, ids=lambda b: b.name)
def test_bug_is_caught_with_the_right_parameters(bug):
    net, X, Y = planted_case(bug)
    c = check_network(net, X, Y, lambd=bug.lambd, keep_prob=bug.keep_prob, backward=bug.backward)
    assert not c.ok
    for method in ("central", "complex", "jax"):
        assert c.failing(method) == set(bug.expected), (method, str(c))


@pytest.mark.parametrize("bug", PLANTED, ids=lambda b: b.name)
def test_bug_is_caught_in_directional_mode(bug):
    net, X, Y = planted_case(bug)
    c = check_network(net, X, Y, lambd=bug.lambd, keep_prob=bug.keep_prob, backward=bug.backward,
                      directional=True, methods=["central"])
    assert c.failing("central") == set(bug.expected), str(c)


@pytest.mark.parametrize("bug", PLANTED, ids=lambda b: b.name)
def test_unmutated_backward_passes_in_the_same_setting(bug):
    net, X, Y = planted_case(bug)
    c = check_network(net, X, Y, lambd=bug.lambd, keep_prob=bug.keep_prob,
                      backward=mutated_backward())
    assert c.ok, str(c)


def test_planted_bugs_mutate_the_networks_own_loop(monkeypatch):
    """A planted bug runs numeric.propagation.backward itself (its formulas replaced), not
    a copy: unmutated it is the network's backward bit for bit, and a change to the loop's
    formulas reaches it."""
    import numpy as np

    from numeric import propagation
    from verify.planted import LAYER_DIMS, mutated_backward, planted_case, PLANTED

    net, X, Y = planted_case(PLANTED[0])
    _, cache = net.forward(X)
    same = mutated_backward()(net.params, cache, Y, net.hidden, net.output)
    for k, g in net.backward(Y, cache).items():
        assert np.array_equal(same[k], g)
    calls = []
    monkeypatch.setattr(propagation, "FORMULAS", propagation.FORMULAS._replace(
        db=lambda l, dZ, m: calls.append(l) or np.sum(dZ, axis=1, keepdims=True) / m))
    mutated_backward()(net.params, cache, Y, net.hidden, net.output)
    assert calls == list(range(len(LAYER_DIMS) - 1, 0, -1))
