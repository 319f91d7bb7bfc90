"""Gradient descent: W := W - learning_rate dW."""

from .._entry import Optimizer
from ._common import learning_rate

ENTRY = Optimizer(
    name="gd", class_name="GradientDescent", order=10,
    hyper=(learning_rate(0.01),), state=(), counts_steps=False,
    derivation="gradient_descent_update", update_function="gradient_descent_update",
    optax=("sgd", {"learning_rate": "learning_rate"}),
    summary="W := W - learning_rate dW.",
)
