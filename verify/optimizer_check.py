"""Optimizer steps against JAX: ``numeric.optim`` vs ``optax`` and vs the notes' rules.

Adam is compared with ``optax.adam`` (a well-kept independent implementation; its
``eps`` sits outside the square root like ours, and its ``eps_root`` inside it is our
``Adam.eps_root``, 0 by default). Momentum and RMSprop are
compared with the notes' update rules written below in ``jax.numpy`` (optax's
``sgd(momentum=...)`` omits the ``(1 - beta)`` factor, and ``optax.rmsprop`` puts ``eps``
inside the root, so they are different methods, not references). Gradient descent is
compared with ``optax.sgd``. Every comparison runs ``steps`` updates on the same random
params and gradient sequence in float64 and reports the largest relative error of the
parameters and of the steps taken, over all steps.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import jax_reference  # noqa: F401  (turns on jax_enable_x64 first)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

from ._gradcheck._tolerances import relative_error  # noqa: E402

__all__ = ["OptimizerCheck", "TOLERANCE", "check_optimizer", "check_optimizers", "reference_update"]

# Two float64 implementations of the same elementwise arithmetic differ by rounding only
# (a few ulps per step, ~1e-15 relative); 1e-10 is the project's bar for JAX agreement.
TOLERANCE = 1e-10


class OptimizerCheck(NamedTuple):
    """``name``; ``reference`` (what it was compared with); ``max_rel_error`` over the
    steps and parameters; ``ok``."""

    name: str
    reference: str
    max_rel_error: float
    ok: bool


def _momentum_rule(learning_rate, beta):
    """The notes' Momentum in jax.numpy: v = beta v + (1 - beta) dW; W -= lr v."""

    def init(params):
        return {k: jnp.zeros_like(p) for k, p in params.items()}

    def update(params, grads, v):
        v = {k: beta * v[k] + (1 - beta) * grads["d" + k] for k in params}
        return {k: params[k] - learning_rate * v[k] for k in params}, v

    return init, update


def _rmsprop_rule(learning_rate, beta, epsilon):
    """The notes' RMSprop in jax.numpy: s = beta s + (1 - beta) dW^2; W -= lr dW / (sqrt(s) + eps)."""

    def init(params):
        return {k: jnp.zeros_like(p) for k, p in params.items()}

    def update(params, grads, s):
        s = {k: beta * s[k] + (1 - beta) * grads["d" + k] ** 2 for k in params}
        return {k: params[k] - learning_rate * grads["d" + k] / (jnp.sqrt(s[k]) + epsilon)
                for k in params}, s

    return init, update


def _optax_rule(transform):
    """An optax transformation as (init, update) over our ``dW``-keyed grads."""

    def init(params):
        return transform.init(params)

    def update(params, grads, state):
        g = {k: grads["d" + k] for k in params}
        updates, state = transform.update(g, state, params)
        return optax.apply_updates(params, updates), state

    return init, update


def _optax_counterpart(name):
    """``(optax function, {our hyperparameter: its keyword})`` the catalog entry names, or
    None (derive/catalog/optimizers/NAME.py, field ``optax``)."""
    from derive import catalog
    entry = catalog.optimizer_entries().get(name)
    return entry.optax if entry is not None and entry.optax else None


def reference_update(name: str, **hyper):
    """``(init, update, description)`` of the JAX reference for optimizer ``name``: the
    optax optimizer its catalog entry names (adam, gd, adamw, nadam, ...), else the notes'
    rule written here."""
    counterpart = _optax_counterpart(name)
    if counterpart is not None:
        function, keywords = counterpart
        kwargs = {keywords[k]: v for k, v in hyper.items() if k in keywords}
        return (*_optax_rule(getattr(optax, function)(**kwargs)), f"optax.{function}")
    if name == "momentum":
        return (*_momentum_rule(hyper["learning_rate"], hyper["beta"]), "notes' rule in jax.numpy")
    if name == "rmsprop":
        return (*_rmsprop_rule(hyper["learning_rate"], hyper["beta"], hyper["epsilon"]),
                "notes' rule in jax.numpy")
    raise ValueError(f"unknown optimizer {name!r}")


def _hyper(opt):
    import dataclasses
    return dataclasses.asdict(opt)  # the optimizer's hyperparameters, by name


def check_optimizer(name: str, opt, steps: int = 10, seed: int = 0,
                    shapes=((3, 4), (3, 1), (1, 3), (1, 1))) -> OptimizerCheck:
    """Run ``opt`` (a ``numeric.optim`` optimizer) and its reference side by side.

    Parameters
    ----------
    name : {"gd", "momentum", "rmsprop", "adam"}
    opt : the numeric optimizer instance
    steps : int, number of updates
    seed : int, seeds the params and the gradient sequence
    shapes : shapes of ``W1, b1, W2, b2, ...``

    Returns
    -------
    OptimizerCheck
    """
    rng = np.random.default_rng(seed)
    params = {f"{'W' if i % 2 == 0 else 'b'}{i // 2 + 1}": rng.standard_normal(s)
              for i, s in enumerate(shapes)}
    init, update, description = reference_update(name, **_hyper(opt))
    # Jitted: one compile for the steps, not one per op and shape.
    init, update = jax_reference.jit(init), jax_reference.jit(update)
    ours, state = dict(params), opt.init(params)
    theirs = jax_reference.to_jax(params)
    ref_state = init(theirs)
    worst = 0.0
    for _ in range(steps):
        # Gradients of mixed scales (1e-3 .. 1) so that epsilon and the bias correction matter.
        grads = {"d" + k: rng.standard_normal(p.shape) * 10.0 ** rng.uniform(-3, 0)
                 for k, p in params.items()}
        before, ref_before = ours, theirs
        ours, state = opt.update(ours, grads, state)
        theirs, ref_state = update(theirs, jax_reference.to_jax(grads), ref_state)
        for k in params:
            # The step itself, not only the new parameters: a step is small against the
            # parameters, so comparing parameters alone would hide an error in it.
            step, ref_step = ours[k] - before[k], np.asarray(theirs[k]) - np.asarray(ref_before[k])
            worst = max(worst, relative_error(ours[k], np.asarray(theirs[k])),
                        relative_error(step, ref_step))
    return OptimizerCheck(name, description, worst, bool(worst <= TOLERANCE))


def check_optimizers(steps: int = 10, seed: int = 0) -> list:
    """Every optimizer of the catalog (``numeric.optim``), with non-default hyperparameters:
    learning rate 0.05, each beta 0.05 below its default, each other one doubled."""
    from numeric.optim import CLASSES

    out = []
    for name, cls in CLASSES.items():
        hyper = {}
        for k, v in _hyper(cls()).items():
            if k == "learning_rate":
                hyper[k] = 0.05
            elif k.startswith("beta"):
                hyper[k] = v - 0.05
            elif v:
                hyper[k] = 2 * v
        out.append(check_optimizer(name, cls(**hyper), steps, seed))
    return out
