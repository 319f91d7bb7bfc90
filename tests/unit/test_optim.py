"""Optimizers: pure init/update, typed state, the notes' update rules by hand."""

import numpy as np
import pytest

from numeric.optim import Adam, AdamState, GradientDescent, Momentum, RMSprop, make_optimizer


def _params(rng):
    return {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1))}


def _grads(rng):
    return {"dW1": rng.standard_normal((3, 2)), "db1": rng.standard_normal((3, 1))}


@pytest.mark.parametrize("opt", [GradientDescent(0.1), Momentum(0.1, 0.9), RMSprop(0.1, 0.9, 1e-8),
                                 Adam(0.1)])
def test_update_is_pure(opt):
    rng = np.random.default_rng(0)
    params, grads = _params(rng), _grads(rng)
    before = {k: v.copy() for k, v in params.items()}
    grads_before = {k: v.copy() for k, v in grads.items()}
    state = opt.init(params)
    new_params, new_state = opt.update(params, grads, state)
    assert all(np.array_equal(params[k], before[k]) for k in params)
    assert all(np.array_equal(grads[k], grads_before[k]) for k in grads)
    assert all(new_params[k] is not params[k] for k in params)
    assert new_state.t == state.t + 1


def test_adam_matches_the_rule_written_out_by_hand():
    rng = np.random.default_rng(1)
    params = _params(rng)
    opt = Adam(learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8)
    state = opt.init(params)
    assert isinstance(state, AdamState) and state.t == 0
    W = params["W1"].copy()
    v = np.zeros_like(W)
    s = np.zeros_like(W)
    for t in range(1, 6):
        grads = _grads(rng)
        params, state = opt.update(params, grads, state)
        g = grads["dW1"]
        v = 0.9 * v + 0.1 * g
        s = 0.999 * s + 0.001 * g**2
        W = W - 0.01 * (v / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
        # Same operations in a different order: agreement to a few ulps.
        np.testing.assert_allclose(params["W1"], W, rtol=1e-13, atol=1e-15)
    assert state.t == 5


def test_momentum_and_rmsprop_match_the_notes():
    rng = np.random.default_rng(2)
    params = _params(rng)
    grads = _grads(rng)
    p1, st = Momentum(0.1, 0.8).update(params, grads, Momentum(0.1, 0.8).init(params))
    np.testing.assert_allclose(p1["W1"], params["W1"] - 0.1 * 0.2 * grads["dW1"], rtol=1e-14)
    np.testing.assert_allclose(st.v["W1"], 0.2 * grads["dW1"], rtol=1e-14)
    p2, st2 = RMSprop(0.1, 0.8, 1e-8).update(params, grads, RMSprop(0.1, 0.8, 1e-8).init(params))
    s = 0.2 * grads["dW1"] ** 2
    np.testing.assert_allclose(p2["W1"], params["W1"] - 0.1 * grads["dW1"] / (np.sqrt(s) + 1e-8), rtol=1e-14)


@pytest.mark.parametrize("make,match", [
    (lambda: Adam(learning_rate=-1), "learning_rate must be a finite number > 0"),
    (lambda: Adam(beta1=1.0), r"beta1 must be in \[0, 1\)"),
    (lambda: Momentum(beta=-0.1), "beta must be in"),
    (lambda: RMSprop(epsilon=0), "epsilon must be"),
    (lambda: make_optimizer("adagrad", 0.1), "unknown optimizer 'adagrad'; valid: gd, momentum, rmsprop, adam"),
])
def test_bad_hyperparameters_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_missing_or_misshapen_gradient_is_named():
    rng = np.random.default_rng(0)
    params = _params(rng)
    opt = GradientDescent(0.1)
    with pytest.raises(ValueError, match="no 'db1'"):
        opt.update(params, {"dW1": np.zeros((3, 2))}, opt.init(params))
    with pytest.raises(ValueError, match=r"dW1 has shape \(2, 3\)"):
        opt.update(params, {"dW1": np.zeros((2, 3)), "db1": np.zeros((3, 1))}, opt.init(params))
