"""RMSprop: divide the step by the root of a moving average of squared gradients.

.. math::
    s \\leftarrow \\beta s + (1 - \\beta)\\, dW^2, \\qquad
    W \\leftarrow W - \\alpha \\frac{dW}{\\sqrt{s} + \\epsilon}

``epsilon`` sits outside the square root, as in the notes; some libraries put it
inside (``sqrt(s + eps)``), which differs while ``s`` is tiny.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import _generated as gen
from ._base import check_beta, check_grads, check_positive, grad_name

__all__ = ["RMSprop", "RMSpropState"]


class RMSpropState(NamedTuple):
    """``t``: steps taken; ``s``: dict name -> array, shape of the parameter."""

    t: int
    s: dict


@dataclass(frozen=True)
class RMSprop:
    learning_rate: float = 0.001
    beta: float = 0.9
    epsilon: float = 1e-8

    def __post_init__(self):
        check_positive("learning_rate", self.learning_rate)
        check_beta("beta", self.beta)
        check_positive("epsilon", self.epsilon)

    def init(self, params) -> RMSpropState:
        return RMSpropState(t=0, s={k: np.zeros_like(p) for k, p in params.items()})

    def update(self, params, grads, state: RMSpropState):
        check_grads(params, grads)
        new_params, new_s = {}, {}
        for k, W in params.items():
            new_params[k], new_s[k] = gen.rmsprop_update(
                W=W, dW=grads[grad_name(k)], s=state.s[k],
                learning_rate=self.learning_rate, beta=self.beta, epsilon=self.epsilon)
        return new_params, RMSpropState(t=state.t + 1, s=new_s)

    def inplace_rule(self):
        """For the training loop's fast path: ``(rule, fields, {})``, where
        ``rule(W, dW, s, t, work)`` overwrites its arrays with the new values (the same
        generated update rule, in place) and ``fields`` names the state's moment dicts."""

        def rule(W, dW, s, t, work):
            gen.rmsprop_update_inplace(W, dW, s, self.learning_rate, self.beta, self.epsilon,
                                       work)

        return rule, ("s",), {}
