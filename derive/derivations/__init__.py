"""The derivations, one module per topic of the notes.

Each module defines ``build() -> list[Derivation]``. :mod:`derive.registry` calls them
in the order of :data:`MODULES`, which is the order of the report.
"""

MODULES = (
    "calculus",        # 1  chain rule
    "activations",     # 2  sigmoid, tanh, ReLU, leaky ReLU
    "losses",          # 3, 4  BCE, cost, MSE
    "softmax",         # 5  softmax Jacobian, softmax + cross-entropy
    "layer",           # 6  vectorized layer backward
    "backprop",        # 7  the four backprop equations
    "regularization",  # 8, 9  L2, inverted dropout
    "initialization",  # 10  zeros, Xavier, He
    "optimizers",      # 11, 12  gradient descent, Momentum, RMSprop, Adam
    "stable",          # 13  numerically stable forms
)
