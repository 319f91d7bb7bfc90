"""The training step for any optimizer with ``init``/``update``: the pure functions.

:class:`numeric.inplace_step.InplaceStepper` is the fast path for the built-in
optimizers; an optimizer of the user's own (or a subclass that changes ``update``) runs
here, through :mod:`numeric.propagation` and ``optimizer.update``, with the same
interface.
"""

from __future__ import annotations

import math

import numpy as np

from . import propagation

__all__ = ["PureStepper"]


class PureStepper:
    """``params``, ``state``, ``fields``, ``step(Xb, Yb, rng)``, ``restore_backup()``,
    ``params_finite()``: as :class:`~numeric.inplace_step.InplaceStepper`."""

    def __init__(self, net, optimizer, state, lambd: float, keep_prob: float):
        self.net, self.optimizer = net, optimizer
        self.params = self.backup = net.params
        self.state = state
        self.lambd, self.keep_prob = lambd, keep_prob
        # Moment dicts of the state (v, s), for snapshots; none for a foreign state.
        self.fields = tuple(f for f in getattr(state, "_fields", ()) if f != "t")

    def step(self, Xb, Yb, rng) -> float:
        net = self.net
        _, cache = propagation.forward(self.params, Xb, net.hidden, net.output, self.keep_prob, rng)
        loss = getattr(net, "loss", None)
        cost = propagation.cost(self.params, cache, Yb, net.output, self.lambd, loss=loss)
        if not math.isfinite(cost):
            return cost
        grads = propagation.backward(self.params, cache, Yb, net.hidden, net.output, self.lambd,
                                     loss=loss)
        new_params, self.state = self.optimizer.update(self.params, grads, self.state)
        # Pure updates leave the old arrays intact: the backup is a reference.
        self.backup, self.params = self.params, new_params
        net.params = new_params
        return cost

    def restore_backup(self) -> None:
        self.params = self.net.params = self.backup

    def params_finite(self) -> bool:
        return all(np.all(np.isfinite(v)) for v in self.params.values())
