"""Forward and backward propagation as pure functions of explicit arguments.

The cache of the forward pass holds ``A0`` (= X), ``Z1, A1, ..., ZL, AL`` and, with
dropout, the masks ``D1 .. D(L-1)`` (0/1 arrays of the shape of the activations they
mask) and ``G1 .. G(L-1)``, each layer's g(Z) before its dropout (g' of sigmoid and tanh
is taken from it). Backward reuses those masks; the output layer never has dropout.

Both passes are the layer loop of :mod:`numeric.engine`, the one that ``fit``'s fast
path runs too, with fresh arrays.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _generated as gen
from .activations import activation, activation_from_a
from . import engine
from .engine import Fresh, ordered
from .outputs import output_layer

__all__ = ["forward", "backward", "backward_from_dz", "cost", "n_layers", "Formulas", "FORMULAS"]


def n_layers(params) -> int:
    return sum(1 for k in params if k.startswith("W"))


class Formulas(NamedTuple):
    """The formulas the backward layer loop applies, the generated ones by default.

    ``dw(l, dZ, A_prev, m)``, ``db(l, dZ, m)``, ``l2(l, W, lambd, m)`` (the L2 term of
    dW), ``dropout(dA, D, keep_prob)``, ``gprime(hidden)`` -> g', ``dz_out(A, Y)`` ->
    dZ[L] (None: the output layer's own). :mod:`verify.planted` replaces one of them to
    plant a bug in this very loop, not in a copy of it.
    """

    dw: Callable = lambda l, dZ, A_prev, m: gen.layer_dw(dZ=dZ, A_prev=A_prev, m=m)
    db: Callable = lambda l, dZ, m: gen.layer_db(dZ=dZ, m=m)
    l2: Callable = lambda l, W, lambd, m: gen.l2_gradient(W=W, lambd=lambd, m=m)
    dropout: Callable = lambda dA, D, keep_prob: gen.dropout_backward(dA=dA, D=D,
                                                                      keep_prob=keep_prob)
    gprime: Callable = lambda hidden: activation(hidden)[1]
    dz_out: Callable | None = None


FORMULAS = Formulas()


def _fresh(hidden, output, loss, formulas, return_dA=False) -> Fresh:
    """The engine's pure ops for ``hidden`` (and ``output``, for the forward pass)."""
    g, _ = activation(hidden)
    g_prime = formulas.gprime(hidden)
    # g' from the cached activation where it is a function of it, as the fast path does;
    # a replaced gprime (a planted bug) is used as given
    from_a = activation_from_a(hidden) if formulas.gprime is FORMULAS.gprime else None
    out = output_layer(output, loss) if output is not None else None
    return Fresh(g, g_prime, from_a, out, formulas, return_dA)


def forward(params, X, hidden: str, output: str, keep_prob: float = 1.0,
            rng: np.random.Generator | None = None):
    """Run the network on ``X``.

    Parameters
    ----------
    params : dict, ``W{l}`` of shape (n_l, n_{l-1}) and ``b{l}`` of shape (n_l, 1)
    X : ndarray, shape (n_x, m)
    keep_prob : float in (0, 1]; 1 means no dropout (and no random draws)
    rng : np.random.Generator, required when keep_prob < 1

    Returns
    -------
    AL : ndarray, shape (n_L, m)
    cache : dict of the intermediate arrays (see the module docstring)
    """
    if keep_prob < 1.0 and rng is None:
        raise ValueError("dropout (keep_prob < 1) needs rng, an np.random.Generator: "
                         "pass rng=np.random.default_rng(seed)")
    ops = _fresh(hidden, output, None, FORMULAS)
    L = n_layers(params)
    Ws, bs = [params[f"W{l}"] for l in range(1, L + 1)], [params[f"b{l}"] for l in range(1, L + 1)]
    Zs, Gs, Ds, As = engine.forward_layers(ops, Ws, bs, X, keep_prob, rng)
    cache = {"A0": X}
    for l in range(1, L + 1):
        cache[f"Z{l}"] = Zs[l]
        cache[f"A{l}"] = As[l]
        if Ds[l] is not None:
            cache[f"D{l}"] = Ds[l]
            cache[f"G{l}"] = Gs[l]  # g(Z) before dropout: g' is taken from it (sigmoid, tanh)
            cache["keep_prob"] = keep_prob
    A = As[L]
    return A, cache


def cost(params, cache, Y, output: str, lambd: float = 0.0, loss: str | None = None) -> float:
    """Cost from the cached logits Z[L] (finite where A[L] rounds to 0 or 1), plus L2.
    ``loss``: the output's loss (default: its own, see :mod:`numeric.outputs`)."""
    L = n_layers(params)
    m = Y.shape[1]
    J = output_layer(output, loss).cost(cache[f"Z{L}"], cache[f"A{L}"], Y, m)
    if lambd:
        for l in range(1, L + 1):
            J = J + gen.l2_cost(W=params[f"W{l}"], lambd=lambd, m=m)
    return float(J)


def backward(params, cache, Y, hidden: str, output: str, lambd: float = 0.0,
             return_dA: bool = False, loss: str | None = None, formulas: Formulas = FORMULAS):
    """Gradients of the cost: ``{"dW1": (n1, n0), "db1": (n1, 1), ...}``.

    dZ[L] comes from the output layer and its ``loss`` (A - Y for the three default
    pairs; the clipped difference for Huber); each layer then
    applies dW = (1/m) dZ A_prev^T (+ (lambd/m) W), db = (1/m) sum dZ,
    dA_prev = W^T dZ, the dropout mask of the layer below (from the cache, with the
    cache's keep_prob), and dZ = dA * g'(Z). With ``return_dA`` the result also holds
    ``dA0 .. dA(L-1)`` (see :func:`backward_from_dz`).
    """
    L = n_layers(params)
    dz_out = formulas.dz_out or output_layer(output, loss).dz
    dZ = dz_out(cache[f"A{L}"], Y)
    return backward_from_dz(params, cache, dZ, hidden, lambd, return_dA, formulas)


def backward_from_dz(params, cache, dZ, hidden: str, lambd: float = 0.0,
                     return_dA: bool = False, formulas: Formulas = FORMULAS):
    """The backward pass from a given ``dZ[L]`` of shape (n_L, m), as :func:`backward`.

    ``dZ[L]`` is the derivative of the per-example losses (summed, not averaged: the 1/m
    is applied in dW and db, as in the course). ``return_dA`` adds ``dA{l}`` of shape
    (n_l, m) for l = 0 .. L-1 in the same convention: ``W[l+1]^T dZ[l+1]``, then, for a
    hidden layer with dropout, its mask and 1/keep_prob (the gradient with respect to the
    activation before dropout, as the course's ``backward_propagation_with_dropout``).
    """
    keep_prob = cache.get("keep_prob", 1.0)
    L = n_layers(params)
    ops = _fresh(hidden, None, None, formulas, return_dA)
    Ws = [params[f"W{l}"] for l in range(1, L + 1)]
    Zs = [None] + [cache[f"Z{l}"] for l in range(1, L + 1)]
    As = [cache[f"A{l}"] for l in range(0, L + 1)]
    Ds = [None] + [cache.get(f"D{l}") for l in range(1, L + 1)]
    # g(Z) of each hidden layer: the activation itself, or before its dropout
    Gs = [None] + [cache.get(f"G{l}", None if f"D{l}" in cache else As[l])
                   for l in range(1, L + 1)]
    engine.backward_layers(ops, Ws, Zs, Gs, Ds, As, dZ, lambd, keep_prob, return_dA)
    return ordered(ops.grads)
