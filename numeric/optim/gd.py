"""Plain gradient descent: :math:`W \\leftarrow W - \\alpha\\, dW`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .. import _generated as gen
from ._base import check_grads, check_positive, grad_name

__all__ = ["GradientDescent", "GradientDescentState"]


class GradientDescentState(NamedTuple):
    """No state but the step count: ``t``, int, steps taken."""

    t: int


@dataclass(frozen=True)
class GradientDescent:
    """Gradient descent with ``learning_rate`` (:math:`\\alpha`)."""

    learning_rate: float = 0.01

    def __post_init__(self):
        check_positive("learning_rate", self.learning_rate)

    def init(self, params) -> GradientDescentState:
        return GradientDescentState(t=0)

    def update(self, params, grads, state: GradientDescentState):
        check_grads(params, grads)
        new = {k: gen.gradient_descent_update(W=W, dW=grads[grad_name(k)],
                                              learning_rate=self.learning_rate)
               for k, W in params.items()}
        return new, GradientDescentState(t=state.t + 1)

    def inplace_rule(self):
        """For the training loop's fast path: ``(rule, fields, {})``, where
        ``rule(W, dW, t, work)`` overwrites its arrays with the new values (the same
        generated update rule, in place) and ``fields`` names the state's moment dicts."""

        def rule(W, dW, t, work):
            gen.gradient_descent_update_inplace(W, dW, self.learning_rate, work)

        return rule, (), {}
