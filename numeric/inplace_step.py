"""The training loop's fast path: one step (forward, cost, backward, optimizer update)
that writes into preallocated buffers instead of allocating fresh arrays.

It runs the same generated formulas as :mod:`numeric.propagation` and the optimizers,
in their in-place variants (``*_into`` / ``*_inplace`` of :mod:`numeric._generated`),
and draws the dropout masks from the generator exactly as the pure forward pass does,
so both paths train the same network. Parameters, gradients and optimizer moments live
in flat arrays (:class:`numeric.flat.FlatArrays`); ``Network.params`` and the optimizer
state's dicts are views into them.
"""

from __future__ import annotations

import math

import numpy as np

from . import _generated as gen
from .activations import activation_into
from .flat import FlatArrays
from .outputs import output_layer
from .propagation import n_layers
from .workspace import Workspace

__all__ = ["InplaceStepper"]

_sum = np.add.reduce  # ndarray.sum without its Python wrapper (a step of a small net is ~100 us)


class InplaceStepper:
    """Trains ``net`` in place with ``optimizer``, starting from optimizer ``state``.

    ``params``: dict of views (hand it to ``net.params``); ``state``: the optimizer's
    NamedTuple, its arrays views into the flat moments; ``step(Xb, Yb, rng)`` returns
    the cost of the batch *before* the update (as the pure loop does).
    """

    def __init__(self, net, optimizer, state, lambd: float, keep_prob: float):
        self.hidden, self.output = net.hidden, net.output
        self.L = n_layers(net.params)
        self.lambd, self.keep_prob = lambd, keep_prob
        self.P = FlatArrays.like(net.params)
        self.G = FlatArrays({"d" + k: v.shape for k, v in net.params.items()}, net.dtype)
        self.backup = self.P.flat.copy()
        self.rule, fields, self.hyper = optimizer.inplace_rule()
        self.fields = fields
        self.moments = {f: FlatArrays.like(getattr(state, f)) for f in fields}
        self._moment_flats = tuple(self.moments[f].flat for f in fields)  # the rule's arguments
        self.t = state.t
        self._state_type = type(state)
        self.g, self.g_prime, self.g_prime_from_a = activation_into(net.hidden)
        self.out = output_layer(net.output, getattr(net, "loss", None))
        self.work = Workspace()
        self.dtype = np.dtype(net.dtype)
        self._layouts: dict[int, dict] = {}
        # (W, b, dW, db) views per layer: fixed, since the flat arrays never move.
        self._params_by_layer = [(self.P.views[f"W{l}"], self.P.views[f"b{l}"],
                                  self.G.views[f"dW{l}"], self.G.views[f"db{l}"])
                                 for l in range(1, self.L + 1)]

    # -- views for the outside ------------------------------------------------------------
    @property
    def params(self) -> dict[str, np.ndarray]:
        return self.P.views

    @property
    def state(self):
        return self._state_type(t=self.t, **{f: self.moments[f].views for f in self.fields})

    def restore_backup(self) -> None:
        """Parameters back to those before the last update (the last with a finite cost)."""
        np.copyto(self.P.flat, self.backup)

    def params_finite(self) -> bool:
        """True when every parameter is finite."""
        # One pass: the sum of finite numbers is finite (except an overflow of ~1e308,
        # which is a divergence all the same).
        with np.errstate(over="ignore", invalid="ignore"):  # inf - inf is the answer, not news
            return math.isfinite(_sum(self.P.flat))

    # -- the step --------------------------------------------------------------------------
    def _buf(self, name, shape):
        return self.work.get(name, shape, self.dtype)

    def _layout(self, m: int):
        """The step's buffers for a batch of ``m`` examples, built once per batch size:
        lists indexed by layer, so that a step formats no names and looks up nothing."""
        lay = self._layouts.get(m)
        if lay is None:
            dims = [self.P.views["W1"].shape[1]] + [self.P.views[f"W{l}"].shape[0]
                                                    for l in range(1, self.L + 1)]
            names = ("Z", "A", "D", "Ad", "dZ", "dA", "dAd", "gp")
            lay = {n: [None] + [self._buf(f"{n}{l}", (dims[l], m)) for l in range(1, self.L + 1)]
                   for n in names}
            lay["r"] = [None] + [self.work.get(f"r{l}", (dims[l], m), np.float64)
                                 for l in range(1, self.L + 1)]
            lay["reg"] = [None] + [self._buf(f"reg{l}", self.P.views[f"W{l}"].shape)
                                   for l in range(1, self.L + 1)]
            self._layouts[m] = lay
        return lay

    def forward(self, Xb, rng):
        """Fill the cache buffers; returns ``(Zs, As)``, lists indexed by layer."""
        kp, work, lay = self.keep_prob, self.work, self._layout(Xb.shape[1])
        Zs, As = [None], [Xb]
        A = Xb
        self._g_out = [None]  # g(Z) before dropout: sigmoid' and tanh' are taken from it
        for l, (W, b, _, _) in enumerate(self._params_by_layer, start=1):
            Z = gen.linear_forward_into(W, A, b, lay["Z"][l], work)
            if l < self.L:
                A = self.g(Z, lay["A"][l], work)
                self._g_out.append(A)
                if kp < 1.0:
                    # The same draws as propagation.forward: rng.random(shape) < keep_prob.
                    r = lay["r"][l]
                    rng.random(out=r)
                    D = np.less(r, kp, out=lay["D"][l])
                    A = gen.dropout_forward_into(A, D, kp, lay["Ad"][l], work)
            else:
                A = self.out.activate_into(Z, lay["A"][l], work)
            Zs.append(Z)
            As.append(A)
        return Zs, As

    def cost(self, Zs, As, Yb) -> float:
        m = Yb.shape[1]
        J = self.out.cost(Zs[-1], As[-1], Yb, m)
        if self.lambd:
            for W, _, _, _ in self._params_by_layer:
                J = J + gen.l2_cost(W=W, lambd=self.lambd, m=m)
        return float(J)

    def backward(self, Zs, As, Yb) -> None:
        """Gradients into the flat gradient array."""
        m, kp, work = Yb.shape[1], self.keep_prob, self.work
        lay = self._layout(m)
        dZ = self.out.dz_into(As[-1], Yb, lay["dZ"][self.L], work)
        for l in range(self.L, 0, -1):
            W, _, dW, db = self._params_by_layer[l - 1]
            gen.layer_dw_into(dZ, As[l - 1], m, dW, work)
            if self.lambd:
                reg = gen.l2_gradient_into(W, self.lambd, m, lay["reg"][l], work)
                np.add(dW, reg, out=dW)
            gen.layer_db_into(dZ, m, db, work)
            if l > 1:
                dA = gen.layer_da_prev_into(W, dZ, lay["dA"][l - 1], work)
                if kp < 1.0:
                    dA = gen.dropout_backward_into(dA, lay["D"][l - 1], kp, lay["dAd"][l - 1], work)
                source = self._g_out[l - 1] if self.g_prime_from_a else Zs[l - 1]
                gp = self.g_prime(source, lay["gp"][l - 1], work)
                dZ = gen.layer_dz_into(dA, gp, lay["dZ"][l - 1], work)

    def update(self) -> None:
        """Keep a copy of the parameters, then one optimizer step over the flat arrays."""
        np.copyto(self.backup, self.P.flat)
        self.t += 1
        self.rule(self.P.flat, self.G.flat, *self._moment_flats, t=self.t, work=self.work,
                  **self.hyper)

    def step(self, Xb, Yb, rng) -> float:
        """Forward, cost, backward and update on one batch; the cost is that before the update.

        A non-finite cost stops before the update (and returns it): the caller decides.
        """
        Zs, As = self.forward(Xb, rng)
        cost = self.cost(Zs, As, Yb)
        if not math.isfinite(cost):
            return cost
        self.backward(Zs, As, Yb)
        self.update()
        return cost
