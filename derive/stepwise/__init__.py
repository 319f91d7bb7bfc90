"""Differentiation with named steps: each line one rule, each line proved equal to the last."""

from .engine import MAX_OPS, MAX_STEPS, StepwiseDerivative, differentiate
from .rules import KNOWN, UnsupportedDerivative

__all__ = ["differentiate", "StepwiseDerivative", "UnsupportedDerivative", "KNOWN",
           "MAX_STEPS", "MAX_OPS"]
