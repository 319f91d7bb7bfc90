"""derive: backpropagation formulas derived with SymPy, proved, and written up.

``from derive import registry`` gives name -> :class:`Derivation`.
Build-time only: nothing in :mod:`numeric` imports this package.
"""

from .record import Derivation, Equation, Proof, Step
from .registry import registry

__all__ = ["Derivation", "Equation", "Proof", "Step", "registry"]
