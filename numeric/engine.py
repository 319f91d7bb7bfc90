"""The layer loop: the one forward and the one backward pass of the network.

The public ``forward``/``backward`` (:mod:`numeric.propagation`) and ``fit``'s fast path
(:mod:`numeric.inplace_step`) both run :func:`forward_layers` and
:func:`backward_layers`. What differs is only where results go, which the ``ops`` object
decides: :class:`Fresh` returns new arrays from the pure generated formulas (and applies
the :class:`~numeric.propagation.Formulas` that :mod:`verify.planted` mutates);
:class:`numeric.inplace_step.Buffers` writes the ``*_into`` variants into a workspace.
Both draw the dropout masks the same way (``rng.random(shape) < keep_prob``) and both
take g' from the cached activation g(Z) where g' is a function of it (sigmoid, tanh,
``ops.from_a``), else from Z.

``ops`` holds one table per formula, indexed by layer (``ops.linear[l](W, A, b)``), so
that the fast path binds each layer's buffers once and a step calls the generated
functions directly (a small network's step is ~30 us; a Python frame per formula would
show). Lists are indexed by layer, entry 0 unused (``As[0]`` is X): ``Zs[l]``, ``Gs[l]``
(g(Z) before dropout; None for the output layer), ``Ds[l]`` (the mask or None), ``As[l]``.
"""

from __future__ import annotations

from . import _generated as gen

__all__ = ["forward_layers", "backward_layers", "Fresh", "ordered", "tables"]


def forward_layers(ops, Ws, bs, X, keep_prob: float, rng):
    """``(Zs, Gs, Ds, As)`` of the forward pass; ``Ws[l - 1]``, ``bs[l - 1]`` of layer l.

    Without dropout ``Gs`` is ``As`` (each hidden layer's g(Z) is its activation) and
    ``Ds`` is None for every layer."""
    L = len(Ws)
    linear, g, Zo, Ao = ops.fwd
    Zs, As = [None], [X]
    A = X
    if keep_prob >= 1.0:
        for l in range(1, L):
            Z = linear(Ws[l - 1], A, bs[l - 1], *Zo[l])
            A = g(Z, *Ao[l])
            Zs.append(Z)
            As.append(A)
        Z = linear(Ws[L - 1], A, bs[L - 1], *Zo[L])
        Zs.append(Z)
        As.append(ops.activate_out(Z, *ops.out))
        return Zs, As, [None] * (L + 1), As
    Gs, Ds = [None], [None]
    for l in range(1, L):
        Z = linear(Ws[l - 1], A, bs[l - 1], *Zo[l])
        G = g(Z, *Ao[l])
        D = ops.mask[l](G, keep_prob, rng)
        A = ops.dropout(G, D, keep_prob, *ops.Ad[l])
        Zs.append(Z)
        Gs.append(G)
        Ds.append(D)
        As.append(A)
    Z = linear(Ws[L - 1], A, bs[L - 1], *Zo[L])
    Zs.append(Z)
    Gs.append(None)
    Ds.append(None)
    As.append(ops.activate_out(Z, *ops.out))
    return Zs, Gs, Ds, As


def backward_layers(ops, Ws, Zs, Gs, Ds, As, dZ, lambd: float, keep_prob: float,
                    return_dA: bool = False):
    """Walk the layers from L down to 1 from ``dZ`` = dZ[L]; ``ops.store(l, dW, db, dA)``
    receives each layer's gradients (``dA`` = dA[l-1] where computed, else None), unless
    ``ops.store`` is None (the ops wrote them in place)."""
    L = len(Ws)
    m = dZ.shape[1]
    o = ops
    (dw, db_, da_prev, dz, store, from_a, g_prime_a, g_prime_z,
     dWo, dbo, dAo, dZo, gpo) = o.bwd
    for l in range(L, 0, -1):
        W = Ws[l - 1]
        dW = dw(dZ, As[l - 1], m, *dWo[l])
        if lambd:
            dW = o.add_l2[l](dW, W, lambd, m)
        db = db_(dZ, m, *dbo[l])
        dA = None
        if l > 1 or return_dA:
            dA = da_prev(W, dZ, *dAo[l - 1])
            if Ds[l - 1] is not None:
                dA = o.dropout_back(dA, Ds[l - 1], keep_prob, *o.dAd[l - 1])
        if store is not None:  # None: the ops wrote the gradients in place
            store(l, dW, db, dA)
        if l > 1:
            G = Gs[l - 1]
            gp = (g_prime_a(G, *gpo[l - 1]) if from_a and G is not None
                  else g_prime_z(Zs[l - 1], *gpo[l - 1]))
            dZ = dz(dA, gp, *dZo[l - 1])


class _Every:
    """The same value for every layer: ``table[l]`` is ``value`` for any ``l``."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __getitem__(self, l):
        return self.value


class _LayerNumber:
    """``table[l]`` is ``(l,)``: the trailing argument that hands a formula its layer."""

    def __getitem__(self, l):
        return (l,)


class Fresh:
    """The pure ops: every result a new array, from the generated formulas and
    ``formulas`` (:class:`numeric.propagation.Formulas`, which take the layer number: it
    is their trailing argument here). ``grads`` collects ``dW{l}``, ``db{l}`` (and
    ``dA{l-1}``). ``g_prime_from_a`` None: g' from Z.

    The ``*_out`` tables hold the trailing arguments of each call: none here; the fast
    path's ops hold each layer's buffer and the workspace there."""

    def __init__(self, g, g_prime, g_prime_from_a, out, formulas, return_dA=False):
        f = formulas
        self.return_dA = return_dA
        self.grads = {}
        self.from_a = g_prime_from_a is not None
        none, layer = _Every(()), _LayerNumber()
        self.Z = self.A = self.Ad = self.dA_out = self.dAd = self.gp = self.dZ_out = none
        self.out = ()
        self.dW_out = self.db_out = layer
        self.linear = gen.linear_forward
        self.g = g
        self.mask = _Every(lambda G, keep_prob, rng:
                           (rng.random(G.shape) < keep_prob).astype(G.dtype))
        self.dropout = gen.dropout_forward
        self.activate_out = out.activate if out is not None else None
        self.dw = lambda dZ, A_prev, m, l: f.dw(l, dZ, A_prev, m)
        self.add_l2 = _AddL2(f.l2)
        self.db = lambda dZ, m, l: f.db(l, dZ, m)
        self.da_prev = gen.layer_da_prev
        self.dropout_back = f.dropout
        self.g_prime_a = g_prime_from_a
        self.g_prime_z = g_prime
        self.dz = gen.layer_dz
        self.fwd, self.bwd = tables(self)

    def store(self, l, dW, db, dA):
        self.grads[f"dW{l}"] = dW
        self.grads[f"db{l}"] = db
        if self.return_dA and dA is not None:
            self.grads[f"dA{l - 1}"] = dA


class _AddL2:
    """``table[l](dW, W, lambd, m)``: dW plus the L2 term of layer l (fresh arrays)."""

    def __init__(self, l2):
        self.l2 = l2

    def __getitem__(self, l):
        return lambda dW, W, lambd, m: dW + self.l2(l, W, lambd, m)


def tables(ops):
    """``(fwd, bwd)``: the formulas and trailing-argument tables each loop reads, in one
    tuple each (one attribute read per pass instead of one per formula)."""
    o = ops
    return ((o.linear, o.g, o.Z, o.A),
            (o.dw, o.db, o.da_prev, o.dz, o.store, o.from_a, o.g_prime_a, o.g_prime_z,
             o.dW_out, o.db_out, o.dA_out, o.dZ_out, o.gp))


def ordered(grads) -> dict:
    """``dW1, db1, (dA0), dW2, ...``: by layer, then name."""
    return {k: grads[k] for k in sorted(grads, key=lambda k: (int(k[2:]), k[:2]))}
