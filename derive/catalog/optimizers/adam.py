"""Adam: Momentum and RMSprop together, with bias correction."""

from .._entry import Optimizer
from ._common import beta, epsilon, learning_rate

ENTRY = Optimizer(
    name="adam", class_name="Adam", order=40,
    hyper=(learning_rate(0.001), beta("beta1", 0.9, "decay of the first moment"),
           beta("beta2", 0.999, "decay of the second moment"), epsilon()),
    state=("v", "s"),
    derivation="adam_update",
    adaptive=True,
    summary="Adam with bias correction; epsilon outside the square root.",
)
