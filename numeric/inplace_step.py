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
        self.t = state.t
        self._state_type = type(state)
        self.g, self.g_prime, self.g_prime_from_a = activation_into(net.hidden)
        self.out = output_layer(net.output)
        self.work = Workspace()
        self.dtype = np.dtype(net.dtype)

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
            return math.isfinite(float(self.P.flat.sum()))

    # -- the step --------------------------------------------------------------------------
    def _buf(self, name, shape):
        return self.work.get(name, shape, self.dtype)

    def forward(self, Xb, rng):
        """Fill the cache buffers; returns ``(Zs, As)``, lists indexed by layer."""
        p, m, kp = self.P.views, Xb.shape[1], self.keep_prob
        Zs, As = [None], [Xb]
        A = Xb
        self._g_out = [None]  # g(Z) before dropout: sigmoid' and tanh' are taken from it
        for l in range(1, self.L + 1):
            W, b = p[f"W{l}"], p[f"b{l}"]
            Z = gen.linear_forward_into(W, A, b, self._buf(f"Z{l}", (W.shape[0], m)), self.work)
            if l < self.L:
                A = self.g(Z, self._buf(f"A{l}", Z.shape), self.work)
                self._g_out.append(A)
                if kp < 1.0:
                    # The same draws as propagation.forward: rng.random(shape) < keep_prob.
                    r = self.work.get(f"r{l}", Z.shape, np.float64)
                    rng.random(out=r)
                    D = np.less(r, kp, out=self._buf(f"D{l}", Z.shape))
                    A = gen.dropout_forward_into(A, D, kp, self._buf(f"Ad{l}", Z.shape), self.work)
            else:
                A = self.out.activate_into(Z, self._buf(f"A{l}", Z.shape), self.work)
            Zs.append(Z)
            As.append(A)
        return Zs, As

    def cost(self, Zs, As, Yb) -> float:
        m = Yb.shape[1]
        J = self.out.cost(Zs[-1], As[-1], Yb, m)
        if self.lambd:
            for l in range(1, self.L + 1):
                J = J + gen.l2_cost(W=self.P.views[f"W{l}"], lambd=self.lambd, m=m)
        return float(J)

    def backward(self, Zs, As, Yb) -> None:
        """Gradients into the flat gradient array."""
        p, g, m, kp, work = self.P.views, self.G.views, Yb.shape[1], self.keep_prob, self.work
        dZ = self.out.dz_into(As[-1], Yb, self._buf(f"dZ{self.L}", As[-1].shape), work)
        for l in range(self.L, 0, -1):
            W = p[f"W{l}"]
            dW = gen.layer_dw_into(dZ, As[l - 1], m, g[f"dW{l}"], work)
            if self.lambd:
                reg = gen.l2_gradient_into(W, self.lambd, m, self._buf(f"reg{l}", W.shape), work)
                np.add(dW, reg, out=dW)
            gen.layer_db_into(dZ, m, g[f"db{l}"], work)
            if l > 1:
                shape = (W.shape[1], m)
                dA = gen.layer_da_prev_into(W, dZ, self._buf(f"dA{l - 1}", shape), work)
                if kp < 1.0:
                    dA = gen.dropout_backward_into(dA, self._buf(f"D{l - 1}", shape), kp,
                                                   self._buf(f"dAd{l - 1}", shape), work)
                source = self._g_out[l - 1] if self.g_prime_from_a else Zs[l - 1]
                gp = self.g_prime(source, self._buf(f"gp{l - 1}", shape), work)
                dZ = gen.layer_dz_into(dA, gp, self._buf(f"dZ{l - 1}", shape), work)

    def update(self) -> None:
        """Keep a copy of the parameters, then one optimizer step over the flat arrays."""
        np.copyto(self.backup, self.P.flat)
        self.t += 1
        self.rule(self.P.flat, self.G.flat, *(self.moments[f].flat for f in self.fields),
                  t=self.t, work=self.work, **self.hyper)

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
