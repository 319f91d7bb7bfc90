"""derive: backpropagation formulas derived with SymPy, proved, and written up.

``from derive import registry`` gives name -> :class:`Derivation`;
``from derive import custom_activation, custom_loss`` turns a user's formula into a
derived, proved and generated component (:mod:`derive.custom`, imported on first use).
Build-time only: nothing in :mod:`numeric` imports this package.
"""

from .record import Derivation, Equation, Proof, Step
from .registry import registry

__all__ = ["Derivation", "Equation", "Proof", "Step", "registry", "custom_activation",
           "custom_loss", "FormulaError"]

_CUSTOM = ("custom_activation", "custom_loss", "FormulaError")


def __getattr__(name):
    # derive.custom imports the catalog and the claim parser: only when asked for
    if name in _CUSTOM:
        from . import custom
        return getattr(custom, name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")
