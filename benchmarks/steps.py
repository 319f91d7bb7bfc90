"""The problem of a training-step benchmark, the numeric step and the GEMM bound.

Every contender starts from the same parameters (``numeric``'s He initialization, seed
0) and trains on the same fixed mini-batch, so all do the same arithmetic: forward,
cost, backward, one Adam step (learning rate 1e-3, the notes' betas and epsilon).
The peers live in :mod:`.peers`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Spec", "make_problem", "numeric_step", "numeric_fit", "numeric_pure_step", "gemm_bound",
           "gemm_bound_xla", "FIT_BATCHES"]

# ``numeric_fit``'s data set: this many batches of m examples, so that fit shuffles and
# gathers as it does on real data, and its per-call set-up is spread over the steps.
FIT_BATCHES = 8


@dataclass(frozen=True)
class Spec:
    """A step benchmark: ``layer_dims`` [n_x, ..., n_L], activations, batch size m, dtype."""

    layer_dims: tuple
    hidden: str
    output: str
    m: int
    dtype: type

    @property
    def label(self) -> str:
        return (f"{'-'.join(map(str, self.layer_dims))} ({self.hidden}, {self.output}), "
                f"m = {self.m}, {np.dtype(self.dtype).name}")

    @property
    def n_params(self) -> int:
        d = self.layer_dims
        return sum(d[l] * d[l - 1] + d[l] for l in range(1, len(d)))


def make_problem(spec: Spec, seed: int = 0):
    """``(params, X, Y)``: He-initialized params, X of shape (n_x, m), labels Y (n_L, m).

    Y is one-hot for a softmax output, 0/1 for a sigmoid output, all of ``spec.dtype``.
    """
    from numeric import Network

    net = Network(list(spec.layer_dims), hidden=spec.hidden, output=spec.output,
                  init="he", seed=seed, dtype=spec.dtype)
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((spec.layer_dims[0], spec.m)).astype(spec.dtype)
    K = spec.layer_dims[-1]
    if spec.output == "softmax":
        Y = np.eye(K, dtype=spec.dtype)[:, rng.integers(0, K, spec.m)]
    else:
        Y = (rng.random((K, spec.m)) < 0.5).astype(spec.dtype)
    return net.params, X, Y


def numeric_step(spec: Spec, params, X, Y):
    """One step of ``numeric`` as ``fit`` takes it (its fast path), minus the batch gather.

    :class:`numeric.inplace_step.InplaceStepper`: forward, cost, backward and the Adam
    update through the in-place generated functions, into reused buffers. The cost is
    included because ``fit`` computes it every step and the peers compute their loss too.
    """
    from numeric import Network
    from numeric.inplace_step import InplaceStepper
    from numeric.optim import Adam

    net = Network(list(spec.layer_dims), hidden=spec.hidden, output=spec.output,
                  seed=0, dtype=spec.dtype)
    net.params = {k: v.copy() for k, v in params.items()}
    opt = Adam(learning_rate=1e-3)
    stepper = InplaceStepper(net, opt, opt.init(net.params), lambd=0.0, keep_prob=1.0)
    rng = np.random.default_rng(0)

    def step():
        stepper.step(X, Y, rng)

    return step


def numeric_fit(spec: Spec, params, X, Y, quick: bool = False):
    """``Network.fit``, the path a user calls, timed per step.

    The data set is ``FIT_BATCHES`` batches of ``spec.m`` examples (X's columns and
    fresh ones; the small network trains on X alone, one full batch, as its benchmark
    does); each call is one ``fit`` of 5 epochs (``quick``: 1; the small network: 100,
    ~20 ms) from the same parameters, with a new Adam. The callable's ``steps`` attribute is the steps per call: the timing
    divides by it. Included beyond the bare step: the shuffle, the batch gather, the
    finite checks, the cost history, and fit's per-call set-up (spread over the steps).
    """
    from numeric import Network
    from numeric.optim import Adam

    big = spec.layer_dims[0] * spec.m > 10_000
    batches, epochs = (FIT_BATCHES, 1 if quick else 5) if big else (1, 100)
    rng = np.random.default_rng(5)
    extra = batches - 1
    Xd = np.concatenate([X, rng.standard_normal((X.shape[0], extra * spec.m)).astype(spec.dtype)], axis=1)
    Yd = np.concatenate([Y] * batches, axis=1)
    net = Network(list(spec.layer_dims), hidden=spec.hidden, output=spec.output, seed=0,
                  dtype=spec.dtype)
    start = {k: v.copy() for k, v in params.items()}

    def step():
        net.params = {k: v.copy() for k, v in start.items()}
        net.fit(Xd, Yd, optimizer=Adam(learning_rate=1e-3), epochs=epochs, batch_size=spec.m,
                seed=0, progress=False)

    step.steps = epochs * batches
    return step


def numeric_pure_step(spec: Spec, params, X, Y):
    """The public, pure API: ``propagation.forward`` + ``cost`` + ``backward`` +
    ``Adam.update`` (new arrays every call; what a user's own loop would do)."""
    from numeric import propagation
    from numeric.optim import Adam

    opt = Adam(learning_rate=1e-3)
    held = {"params": dict(params), "state": opt.init(params)}

    def step():
        p = held["params"]
        _, cache = propagation.forward(p, X, spec.hidden, spec.output)
        propagation.cost(p, cache, Y, spec.output)
        grads = propagation.backward(p, cache, Y, spec.hidden, spec.output)
        held["params"], held["state"] = opt.update(p, grads, held["state"])

    return step


def gemm_bound(spec: Spec, params, X, Y):
    """The three matrix products per layer alone: W A_prev, dZ A_prev^T, W^T dZ.

    As in ``numeric.propagation.backward``, W^T dZ (dA_prev) is skipped for layer 1.
    Inputs are preallocated and of ``spec.dtype``; the products allocate their results,
    as any step that does not reuse buffers does.
    """
    rng = np.random.default_rng(2)
    L = len(spec.layer_dims) - 1
    layers = []
    for l in range(1, L + 1):
        W = params[f"W{l}"]
        A_prev = X if l == 1 else rng.standard_normal((spec.layer_dims[l - 1], spec.m)).astype(spec.dtype)
        dZ = rng.standard_normal((spec.layer_dims[l], spec.m)).astype(spec.dtype)
        layers.append((l, W, A_prev, dZ))

    def step():
        for l, W, A_prev, dZ in layers:
            W @ A_prev
            dZ @ A_prev.T
            if l > 1:
                W.T @ dZ

    return step


def gemm_bound_xla(spec: Spec, params, X, Y):
    """The products of :func:`gemm_bound` jitted in JAX: XLA's own matrix products.

    Set against :func:`gemm_bound` (NumPy's BLAS) it tells how much of JAX's lead over
    ``numeric`` is the product kernels themselves rather than the rest of the step.
    """
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    rng = np.random.default_rng(2)
    L = len(spec.layer_dims) - 1
    layers = []
    for l in range(1, L + 1):
        A_prev = X if l == 1 else rng.standard_normal((spec.layer_dims[l - 1], spec.m)).astype(spec.dtype)
        dZ = rng.standard_normal((spec.layer_dims[l], spec.m)).astype(spec.dtype)
        layers.append((jnp.asarray(params[f"W{l}"]), jnp.asarray(A_prev), jnp.asarray(dZ)))

    @jax.jit
    def products(layers):
        out = []
        for l, (W, A_prev, dZ) in enumerate(layers, start=1):
            out += [W @ A_prev, dZ @ A_prev.T] + ([W.T @ dZ] if l > 1 else [])
        return out

    def step():
        jax.block_until_ready(products(layers))

    return step
