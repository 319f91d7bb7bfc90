"""numeric: a vectorized NumPy network built on the generated formulas.

Every formula of the forward and backward pass comes from :mod:`numeric._generated`,
which ``python -m derive codegen`` writes from the proved derivations. At run time this
package imports NumPy only.
"""

from .network import Network

__all__ = ["Network"]
