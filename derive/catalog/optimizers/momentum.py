"""Momentum: an exponentially weighted average of the gradients."""

from .._entry import Optimizer
from ._common import beta, learning_rate

ENTRY = Optimizer(
    name="momentum", class_name="Momentum", order=20,
    hyper=(learning_rate(0.01), beta("beta", 0.9, "decay of the gradients' average")),
    state=("v",), counts_steps=False,
    derivation="momentum_ema",
    summary="Momentum: v := beta v + (1 - beta) dW; W := W - learning_rate v.",
)
