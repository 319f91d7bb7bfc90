"""verify: finite differences, JAX autodiff, symbolic re-checks, property strategies.

``gradcheck`` checks any function's gradient; ``check_network`` a network's backward
pass against finite differences, the complex step and JAX; ``python -m verify`` runs the
whole matrix. ``python -m verify claim "EXPR"`` checks a user's identity (see
:mod:`verify.claim`; ``check_claim`` is imported from there on first use).
"""

from .gradcheck import GradcheckResult, gradcheck
from .network_check import NetworkCheck, check_network

__all__ = ["gradcheck", "GradcheckResult", "check_network", "NetworkCheck", "check_claim"]


def __getattr__(name):
    # verify.claim is optional here and imports SymPy machinery: load it on first use, so
    # that `import verify` works (and stays light) without it.
    if name == "check_claim":
        try:
            from .claim import check_claim
        except ImportError as exc:
            raise AttributeError(f"verify.check_claim is not available: {exc}") from exc
        return check_claim
    raise AttributeError(f"module 'verify' has no attribute {name!r}")
