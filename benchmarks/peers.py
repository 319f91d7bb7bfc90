"""The same training step in JAX (jitted, optax), PyTorch (CPU) and scikit-learn.

Each builder takes the :class:`~benchmarks.steps.Spec` and the shared ``(params, X, Y)``
of :func:`~benchmarks.steps.make_problem` and returns a zero-argument callable that takes
one step and returns only when it is done. A missing optional peer raises
:class:`Skipped` with the reason, which the report prints.
"""

from __future__ import annotations

import numpy as np

from .machine import optional

__all__ = ["Skipped", "jax_step", "torch_step", "sklearn_step"]


class Skipped(Exception):
    """A contender that cannot run here (not installed); the message says why."""


def _labels(Y):
    """Integer class labels, shape (m,), from one-hot (K, m) or 0/1 (1, m) labels."""
    return np.argmax(Y, axis=0) if Y.shape[0] > 1 else Y[0].astype(np.int64)


def jax_step(spec, params, X, Y):
    """``jax.jit`` of value_and_grad + ``optax.adam``, parameters donated (updated in place).

    Written in the notes' layout (columns are examples) so XLA sees the same products.
    Float64 needs ``jax_enable_x64``; float32 arrays stay float32 with it on.
    """
    import jax
    import jax.numpy as jnp
    import optax

    jax.config.update("jax_enable_x64", True)
    L = len(spec.layer_dims) - 1
    g = {"relu": jax.nn.relu, "sigmoid": jax.nn.sigmoid, "tanh": jnp.tanh}[spec.hidden]

    def loss(p, X, Y):
        A = X
        for l in range(1, L):
            A = g(p[f"W{l}"] @ A + p[f"b{l}"])
        Z = p[f"W{L}"] @ A + p[f"b{L}"]
        if spec.output == "softmax":
            return -jnp.sum(Y * jax.nn.log_softmax(Z, axis=0)) / X.shape[1]
        return jnp.sum(jnp.logaddexp(0.0, Z) - Y * Z) / X.shape[1]

    opt = optax.adam(1e-3, b1=0.9, b2=0.999, eps=1e-8)

    def step(p, state, X, Y):
        J, grads = jax.value_and_grad(loss)(p, X, Y)
        updates, state = opt.update(grads, state, p)
        return optax.apply_updates(p, updates), state, J

    step = jax.jit(step, donate_argnums=(0, 1))
    p = {k: jnp.asarray(v) for k, v in params.items()}
    held = {"p": p, "state": opt.init(p)}
    Xj, Yj = jnp.asarray(X), jnp.asarray(Y)

    def run():
        held["p"], held["state"], J = step(held["p"], held["state"], Xj, Yj)
        jax.block_until_ready((held["p"], J))

    return run


def torch_step(spec, params, X, Y):
    """``torch.nn`` layers, ``F.cross_entropy`` / ``binary_cross_entropy_with_logits``,
    ``torch.optim.Adam`` with its defaults (examples are rows there: X^T)."""
    torch = optional("torch")
    if torch is None:
        raise Skipped("PyTorch is not installed (optional: pip install torch==2.13.0)")
    import torch.nn.functional as F

    dt = {np.float32: torch.float32, np.float64: torch.float64}[spec.dtype]
    L = len(spec.layer_dims) - 1
    layers = []
    for l in range(1, L + 1):
        lin = torch.nn.Linear(spec.layer_dims[l - 1], spec.layer_dims[l], dtype=dt)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(params[f"W{l}"]))
            lin.bias.copy_(torch.from_numpy(params[f"b{l}"][:, 0]))
        layers.append(lin)
        if l < L:
            layers.append({"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid,
                           "tanh": torch.nn.Tanh}[spec.hidden]())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    Xt = torch.from_numpy(np.ascontiguousarray(X.T))
    if spec.output == "softmax":
        target = torch.from_numpy(_labels(Y))
        loss_fn = F.cross_entropy
    else:
        target = torch.from_numpy(np.ascontiguousarray(Y.T))
        loss_fn = F.binary_cross_entropy_with_logits

    def run():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(Xt), target)
        loss.backward()
        opt.step()

    return run


def sklearn_step(spec, params, X, Y):
    """``MLPClassifier.partial_fit`` on the one batch (solver adam, batch_size = m, no L2):
    one Adam step per call, input validation included (it is part of every call)."""
    if optional("sklearn") is None:
        raise Skipped("scikit-learn is not installed (optional: pip install scikit-learn)")
    from sklearn.neural_network import MLPClassifier

    act = {"relu": "relu", "sigmoid": "logistic", "tanh": "tanh"}[spec.hidden]
    clf = MLPClassifier(hidden_layer_sizes=tuple(spec.layer_dims[1:-1]), activation=act,
                        solver="adam", alpha=0.0, batch_size=spec.m, learning_rate_init=1e-3,
                        shuffle=False, random_state=0)
    Xs = np.ascontiguousarray(X.T)
    ys = _labels(Y)
    classes = np.arange(max(2, spec.layer_dims[-1]))
    clf.partial_fit(Xs, ys, classes=classes)  # the first call builds the layers

    def run():
        clf.partial_fit(Xs, ys)

    run.model = clf  # for the dtype check in the report
    return run
