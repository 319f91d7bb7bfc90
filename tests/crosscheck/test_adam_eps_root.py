"""Adam(eps_root=...): optax's epsilon inside the square root, checked against optax."""

import numpy as np
import pytest
import sympy as sp

from derive import registry
from numeric.optim import Adam
from numeric.workspace import Workspace
from verify.optimizer_check import check_optimizer


@pytest.mark.parametrize("eps_root", [0.0, 1e-4, 0.5])
def test_adam_matches_optax_adam_with_the_same_eps_root(eps_root):
    r = check_optimizer("adam", Adam(learning_rate=0.01, beta1=0.85, beta2=0.99, epsilon=1e-7,
                                     eps_root=eps_root), steps=5)
    assert r.ok, r


def test_eps_root_changes_the_step():
    params = {"W1": np.ones((2, 2))}
    grads = {"dW1": np.full((2, 2), 1e-3)}
    a, b = Adam(eps_root=0.0), Adam(eps_root=1e-4)
    step_a = a.update(params, grads, a.init(params))[0]["W1"]
    step_b = b.update(params, grads, b.init(params))[0]["W1"]
    # dW^2 = 1e-6 against eps_root = 1e-4 inside the root: the step shrinks about 10 times.
    assert np.all(np.abs(1 - step_b) < 0.2 * np.abs(1 - step_a))


def test_the_fast_path_is_the_same_rule():
    rng = np.random.default_rng(0)
    opt = Adam(learning_rate=0.05, eps_root=1e-3)
    W, dW = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    v, s = rng.standard_normal((3, 2)), np.abs(rng.standard_normal((3, 2)))
    new, state = opt.update({"W": W}, {"dW": dW}, opt.init({"W": W})._replace(t=2, v={"W": v}, s={"W": s}))
    rule, fields, _ = opt.inplace_rule()
    W2, v2, s2 = W.copy(), v.copy(), s.copy()
    rule(W2, dW, v2, s2, 3, Workspace())
    assert fields == ("v", "s")
    assert np.allclose(W2, new["W"], rtol=1e-14) and np.allclose(s2, state.s["W"], rtol=1e-14)


def test_the_derivation_reduces_to_adam_at_eps_root_zero():
    extra = registry["adam_update"].extra
    with_root, plain = extra["update_eps_root"], extra["update"]
    eps_root = with_root["arguments"][-1]
    assert sp.simplify(with_root["outputs"][0].subs(eps_root, 0) - plain["outputs"][0]) == 0


@pytest.mark.parametrize("bad", [-1e-8, float("nan"), float("inf"), "0"])
def test_eps_root_is_checked(bad):
    with pytest.raises(ValueError, match="eps_root must be a finite number >= 0"):
        Adam(eps_root=bad)
