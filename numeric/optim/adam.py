"""Adam: Momentum and RMSprop together, with bias correction.

.. math::
    v \\leftarrow \\beta_1 v + (1-\\beta_1)\\, dW, \\quad
    s \\leftarrow \\beta_2 s + (1-\\beta_2)\\, dW^2, \\quad
    W \\leftarrow W - \\alpha \\frac{v / (1-\\beta_1^t)}{\\sqrt{s / (1-\\beta_2^t)} + \\epsilon}

``t`` counts steps from 1. ``epsilon`` is outside the square root (as in the Adam
paper, the notes and ``optax.adam``). Defaults as in the notes: ``beta1`` 0.9,
``beta2`` 0.999, ``epsilon`` 1e-8.

``eps_root`` (default 0), as ``optax.adam`` names it, adds a second epsilon *inside* the
root: ``sqrt(s / (1 - beta2^t) + eps_root) + epsilon``; some course material places its
epsilon there (``eps_root = epsilon`` with ``epsilon = 0`` is not allowed: ``epsilon`` must
stay > 0, so use a tiny one). The two placements differ most in the first steps and where
``s`` is small. Generated from the same derivation (``adam_eps_root_update``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import _generated as gen
from ._base import check_beta, check_grads, check_positive, grad_name

__all__ = ["Adam", "AdamState"]


def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.floating, np.integer)) and not isinstance(x, bool)


class AdamState(NamedTuple):
    """``t``: steps taken (int); ``v``, ``s``: dict name -> array, shape of the parameter
    (first and second moment estimates, before bias correction)."""

    t: int
    v: dict
    s: dict


@dataclass(frozen=True)
class Adam:
    learning_rate: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    eps_root: float = 0.0

    def __post_init__(self):
        check_positive("learning_rate", self.learning_rate)
        check_beta("beta1", self.beta1)
        check_beta("beta2", self.beta2)
        check_positive("epsilon", self.epsilon)
        if not (_is_number(self.eps_root) and 0.0 <= self.eps_root < float("inf")):
            raise ValueError(f"eps_root must be a finite number >= 0, got {self.eps_root!r}")

    def init(self, params) -> AdamState:
        return AdamState(t=0, v={k: np.zeros_like(p) for k, p in params.items()},
                         s={k: np.zeros_like(p) for k, p in params.items()})

    def update(self, params, grads, state: AdamState):
        check_grads(params, grads)
        t = state.t + 1
        new_params, new_v, new_s = {}, {}, {}
        for k, W in params.items():
            common = dict(W=W, dW=grads[grad_name(k)], v=state.v[k], s=state.s[k], t=t,
                          learning_rate=self.learning_rate, beta1=self.beta1, beta2=self.beta2,
                          epsilon=self.epsilon)
            new_params[k], new_v[k], new_s[k] = (
                gen.adam_eps_root_update(**common, eps_root=self.eps_root) if self.eps_root
                else gen.adam_update(**common))
        return new_params, AdamState(t=t, v=new_v, s=new_s)

    def inplace_rule(self):
        """For the training loop's fast path: ``(rule, fields, {})``, where
        ``rule(W, dW, v, s, t, work)`` overwrites its arrays with the new values (the same
        generated update rule, in place) and ``fields`` names the state's moment dicts."""

        def rule(W, dW, v, s, t, work):
            if self.eps_root:
                gen.adam_eps_root_update_inplace(W, dW, v, s, t, self.learning_rate, self.beta1,
                                                 self.beta2, self.epsilon, self.eps_root, work)
            else:
                gen.adam_update_inplace(W, dW, v, s, t, self.learning_rate, self.beta1,
                                        self.beta2, self.epsilon, work)

        return rule, ("v", "s"), {}
