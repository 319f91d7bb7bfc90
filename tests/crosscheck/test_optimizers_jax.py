"""numeric.optim against optax (Adam, GD) and the notes' rules in jax.numpy (Momentum, RMSprop)."""

import pytest

from numeric.optim import Adam, GradientDescent, Momentum, RMSprop
from verify.optimizer_check import TOLERANCE, check_optimizer, check_optimizers


@pytest.mark.parametrize("check", check_optimizers(), ids=lambda c: c.name)
def test_every_optimizer_agrees(check):
    assert check.ok, check
    assert check.max_rel_error <= TOLERANCE


@pytest.mark.parametrize("seed", [1, 2])
def test_adam_matches_optax_with_defaults(seed):
    assert check_optimizer("adam", Adam(), steps=10, seed=seed).ok


def test_a_wrong_optimizer_is_caught():
    # A Momentum without the (1 - beta) factor (PyTorch's form) is a different method.
    class NoDamping(Momentum):
        def update(self, params, grads, state):
            grads = {k: v / (1 - self.beta) for k, v in grads.items()}
            return super().update(params, grads, state)

    assert not check_optimizer("momentum", NoDamping(learning_rate=0.1, beta=0.9)).ok


def test_gd_and_rmsprop_defaults():
    assert check_optimizer("gd", GradientDescent()).ok
    assert check_optimizer("rmsprop", RMSprop(), seed=3).ok
    assert check_optimizer("momentum", Momentum(), seed=4).ok
