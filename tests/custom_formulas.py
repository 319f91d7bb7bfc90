"""User formulas that derive.custom_activation / custom_loss handle: one list, shared by
the derive-side suite (tests/crosscheck/test_custom_formulas.py) and the network checks.

Each row is ``(kind, name, formula, what it exercises)``; ``kind`` is "activation" (a
function of z) or "loss" (of the linear output a and the label y). Import it as
``from custom_formulas import FORMULAS`` (tests/ is on pytest's path through its
conftest.py), or build each with :func:`build`.
"""

from __future__ import annotations

__all__ = ["FORMULAS", "ACTIVATIONS", "LOSSES", "UNHANDLED", "build"]

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

# Formulas tried that derive refuses, each with why (the closing note's list) and the
# words its one-line FormulaError contains (tests/unit/test_custom_runtime.py checks them).
UNHANDLED = (
    ("activation", "exp(z)/(exp(z) + 2)",
     "e^z / (e^z + 2) overflows (inf/inf) at z >= 100; the stable forms know 1 + e^u, "
     "not c + e^u", "overflows at z = 100"),
    ("activation", "z*tanh(exp(z))",
     "exp(z) overflows inside (tanh(inf) = 1 is finite, but every step would warn); no "
     "stable form bounds e^z inside tanh", "overflows at z = 100"),
    ("activation", "z*erf(z)",
     "exact GELU: NumPy has no vectorized erf (derive/codegen_nodes.py)", "erf"),
    ("activation", "tan(z)", "undefined at pi/2 + k pi", "undefined or not continuous"),
    ("activation", "log(z)", "undefined for z <= 0", "undefined or not continuous"),
    ("activation", "sqrt(z)", "not real for z < 0", "not real where z < 0"),
    ("activation", "sqrt(abs(z))", "infinite slope at its kink z = 0",
     "no finite derivative at its kink"),
    ("activation", "z*sign(z)",
     "the step engine has no rule for sign (write abs(z))", "no rule of differentiation"),
    ("activation", "z*Heaviside(z)",
     "the step engine has no rule for the unit step (write relu(z))",
     "no rule of differentiation"),
    ("activation", "abs(sin(z))",
     "kinks at every multiple of pi: not finitely many points to state and avoid",
     "cannot list as finitely many points"),
    ("activation", "atan(z)", "arctan is not in the formula language (the claim parser)",
     "not allowed"),
    ("loss", "max(0, 1 - y*a)",
     "hinge loss: its kink is at a = 1/y, not at a = y + c (the finite-difference model of "
     "a loss assumes kinks at y + c)", "only kinks at a = y + c"),
    ("loss", "max(0, 1 - y*a)^2", "squared hinge: the same kink at a = 1/y",
     "only kinks at a = y + c"),
)

ACTIVATIONS = tuple(row for row in FORMULAS if row[0] == "activation")
LOSSES = tuple(row for row in FORMULAS if row[0] == "loss")


def build(kind: str, name: str, formula: str):
    """The runtime object of one row (derive.custom_activation / custom_loss; cached)."""
    from derive import custom_activation, custom_loss
    return (custom_activation if kind == "activation" else custom_loss)(name, formula)
