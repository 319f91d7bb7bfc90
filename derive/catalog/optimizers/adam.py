"""Adam: Momentum and RMSprop together, with bias correction."""

import math

import sympy as sp

from .._entry import Hyper, Optimizer
from ._common import beta, epsilon, learning_rate

ENTRY = Optimizer(
    name="adam", class_name="Adam", order=40,
    hyper=(learning_rate(0.001), beta("beta1", 0.9, "decay of the first moment"),
           beta("beta2", 0.999, "decay of the second moment"), epsilon(),
           Hyper("eps_root", sp.Symbol("eps_root", real=True), 0.0, 0.0, math.inf, closed="low",
                 meaning="added inside the root (optax's eps_root)")),
    state=("v", "s"),
    derivation="adam_update",
    adaptive=True,
    optax=("adam", {"learning_rate": "learning_rate", "beta1": "b1", "beta2": "b2",
                    "epsilon": "eps", "eps_root": "eps_root"}),
    variants=(("adam_eps_root_update", "update_eps_root",
               "Adam with a second epsilon inside the square root, optax's eps_root: "
               "W := W - lr v_hat / (sqrt(s_hat + eps_root) + epsilon)."),),
    summary="Adam with bias correction; epsilon outside the square root.",
)
