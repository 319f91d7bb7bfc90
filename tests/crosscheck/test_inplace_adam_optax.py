"""fit's fast path runs Adam's efficient form (derive: adam_update, ``update_inplace``):
the corrections folded into the step size and epsilon, one pass over the arrays fewer.
It must stay the same method as optax.adam, and its form must be proved equal to the
notes' rule."""

import numpy as np
import pytest

from derive.derivations.optimizers import adam_update
from numeric import Network
from numeric.inplace_step import InplaceStepper
from numeric.optim import Adam
from verify import jax_reference  # noqa: F401  (float64 in JAX)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402


def test_the_efficient_forms_are_proved_equal_to_the_rules():
    # (the registry's entry is this function's result; built alone here: 0.3 s, not the
    # whole registry's ~20 s)
    proofs = adam_update().extra["inplace_proofs"]
    assert set(proofs) == {"update_inplace", "update_eps_root_inplace"}
    for proof in proofs.values():
        assert proof.symbolic is True
        assert proof.spot_check_max_error < 1e-25


@pytest.mark.parametrize("eps_root", [0.0, 1e-6])
def test_the_fast_path_update_matches_optax_adam(eps_root):
    rng = np.random.default_rng(7)
    net = Network([5, 4, 3], output="softmax", seed=1)
    opt = Adam(learning_rate=0.01, eps_root=eps_root)
    stepper = InplaceStepper(net, opt, opt.init(net.params), lambd=0.0, keep_prob=1.0)
    ref_params = {k: jnp.asarray(v) for k, v in net.params.items()}
    tx = optax.adam(0.01, b1=0.9, b2=0.999, eps=1e-8, eps_root=eps_root)
    ref_state = tx.init(ref_params)
    for step in range(10):
        # gradients over six decades, zeros among them (where sqrt(s) + epsilon matters)
        grads = {k: rng.standard_normal(v.shape) * 10.0 ** rng.integers(-6, 1, v.shape)
                 for k, v in net.params.items()}
        grads["b2"][0] = 0.0
        for k, g in grads.items():
            stepper.G.views["d" + k][...] = g
        stepper.update()
        updates, ref_state = tx.update({k: jnp.asarray(g) for k, g in grads.items()}, ref_state)
        ref_params = optax.apply_updates(ref_params, updates)
        for k, want in ref_params.items():
            want = np.asarray(want)
            # Two float64 evaluations of one formula, rearranged (the corrections folded
            # into scalars): a few ulps of each parameter per step, far below 1e-12.
            scale = np.maximum(np.abs(want), 1.0)
            assert np.max(np.abs(stepper.params[k] - want) / scale) < 1e-12, (step, k)
