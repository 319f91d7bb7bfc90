"""Momentum: an exponential moving average of the gradients drives the step.

.. math::
    v \\leftarrow \\beta v + (1 - \\beta)\\, dW, \\qquad W \\leftarrow W - \\alpha v

``beta`` is :math:`\\beta`, ``learning_rate`` :math:`\\alpha`; ``v`` starts at 0. This
is the notes' (and deeplearning.ai's) form with the ``(1 - beta)`` factor; PyTorch's
SGD momentum omits it, which rescales the effective learning rate by ``1/(1 - beta)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import _generated as gen
from ._base import check_beta, check_grads, check_positive, grad_name

__all__ = ["Momentum", "MomentumState"]


class MomentumState(NamedTuple):
    """``t``: steps taken; ``v``: dict name -> array, shape of the parameter."""

    t: int
    v: dict


@dataclass(frozen=True)
class Momentum:
    learning_rate: float = 0.01
    beta: float = 0.9

    def __post_init__(self):
        check_positive("learning_rate", self.learning_rate)
        check_beta("beta", self.beta)

    def init(self, params) -> MomentumState:
        return MomentumState(t=0, v={k: np.zeros_like(p) for k, p in params.items()})

    def update(self, params, grads, state: MomentumState):
        check_grads(params, grads)
        new_params, new_v = {}, {}
        for k, W in params.items():
            new_params[k], new_v[k] = gen.momentum_update(
                W=W, dW=grads[grad_name(k)], v=state.v[k],
                learning_rate=self.learning_rate, beta=self.beta)
        return new_params, MomentumState(t=state.t + 1, v=new_v)

    def inplace_rule(self):
        """For the training loop's fast path: ``(rule, fields, {})``, where
        ``rule(W, dW, v, t, work)`` overwrites its arrays with the new values (the same
        generated update rule, in place) and ``fields`` names the state's moment dicts."""

        def rule(W, dW, v, t, work):
            gen.momentum_update_inplace(W, dW, v, self.learning_rate, self.beta, work)

        return rule, ("v",), {}
