"""User formulas that derive.custom_activation / custom_loss handle: one list, shared by
the derive-side suite (tests/crosscheck/test_custom_formulas.py) and the network checks.

Each row is ``(kind, name, formula, what it exercises)``; ``kind`` is "activation" (a
function of z) or "loss" (of the linear output a and the label y). Import it as
``from custom_formulas import FORMULAS`` (tests/ is on pytest's path through its
conftest.py), or build each with :func:`build`.
"""

from __future__ import annotations

__all__ = ["FORMULAS", "ACTIVATIONS", "LOSSES", "build"]

FORMULAS = (
    # smooth
    ("activation", "mish", "z*tanh(softplus(z))", "smooth; softplus and tanh"),
    ("activation", "log_square", "log(1 + z^2)", "smooth; a log"),
    ("activation", "bent_identity", "(sqrt(z^2 + 1) - 1)/2 + z", "smooth; a square root"),
    ("activation", "sine_ramp", "z + sin(z)/2", "smooth; periodic part"),
    # parameters fixed to numbers
    ("activation", "scaled_tanh", "1.7159*tanh(2*z/3)", "LeCun's scaled tanh"),
    ("activation", "gelu_sigmoid", "z*sigmoid(1.702*z)", "GELU's sigmoid approximation"),
    # naive forms that overflow (exp of a large number) although the value is finite
    ("activation", "softplus_naive", "log(1 + exp(z))", "overflows as written"),
    ("activation", "swish_naive", "z/(1 + exp(-2*z))", "overflows as written"),
    ("activation", "log_sigmoid", "log(sigmoid(z))", "log(e^u) of the stable sigmoid"),
    # kinks
    ("activation", "softsign", "z/(1 + abs(z))", "abs: a kink of the formula, C1"),
    ("activation", "leaky_tenth", "max(z, 0.1*z)", "max: a kink at 0"),
    ("activation", "hardtanh", "max(-1, min(1, z))", "max and min: kinks at -1 and 1"),
    ("activation", "abs_ramp", "abs(z)/2 + z", "abs"),
    ("activation", "selu", "1.0507*(max(z, 0) + min(0, 1.67326*(exp(z) - 1)))",
     "parameters, a kink, and exp(z) of the branch not taken overflows"),
    # losses
    ("loss", "log_cosh", "log(cosh(a - y))", "overflows as written (cosh)"),
    ("loss", "pseudo_huber", "sqrt(1 + (a - y)^2) - 1", "smooth"),
    ("loss", "cauchy", "log(1 + (a - y)^2)", "smooth, bounded gradient"),
    ("loss", "logistic", "log(1 + exp(-y*a))", "overflows as written; labels +-1"),
    ("loss", "pinball", "max(0.3*(y - a), -0.7*(y - a))", "quantile loss: a kink at a = y"),
    ("loss", "absolute", "abs(a - y)", "a kink at a = y"),
)

ACTIVATIONS = tuple(row for row in FORMULAS if row[0] == "activation")
LOSSES = tuple(row for row in FORMULAS if row[0] == "loss")


def build(kind: str, name: str, formula: str):
    """The runtime object of one row (derive.custom_activation / custom_loss; cached)."""
    from derive import custom_activation, custom_loss
    return (custom_activation if kind == "activation" else custom_loss)(name, formula)
