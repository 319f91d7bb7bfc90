"""RMSprop: steps scaled by the root of an average of squared gradients."""

from .._entry import Optimizer
from ._common import beta, epsilon, learning_rate

ENTRY = Optimizer(
    name="rmsprop", class_name="RMSprop", order=30,
    hyper=(learning_rate(0.001), beta("beta", 0.9, "decay of the squares' average"), epsilon()),
    state=("s",), counts_steps=False,
    derivation="rmsprop_ema",
    adaptive=True,
    summary=("RMSprop: s := beta s + (1 - beta) dW^2; "
             "W := W - learning_rate dW / (sqrt(s) + epsilon)."),
)
