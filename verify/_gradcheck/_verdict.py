"""Per-parameter check settings and outcome, and the rule that turns errors into verdicts.

The rule, for a relative error ``rel``, the tolerance ``tol`` and the estimated relative
error of the numeric gradient itself ``bound``:

- not resolvable (float16, an underflowing step, ``f`` not finite nearby): inconclusive;
- ``rel <= tol``: pass;
- ``rel <= bound``: inconclusive -- finite differences alone could explain the gap;
- otherwise: fail.
"""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Context", "NameCheck", "decide", "inconclusive_reason", "relative_bound"]


@dataclass(frozen=True)
class Context:
    """Settings of one parameter's check.

    Attributes
    ----------
    evaluator : Evaluator
    method : {"central", "complex", "richardson"}
    f0 : float
        ``f(x)``.
    tol : float
        Relative tolerance.
    resolvable : bool
        False where the method's error is too large to judge (tolerance above RESOLUTION).
    eps : float
        Machine epsilon of the parameter's dtype.
    step : float or None
        User override of the step rule.
    """

    evaluator: object
    method: str
    f0: float
    tol: float
    resolvable: bool
    eps: float
    step: float | None = None


@dataclass
class NameCheck:
    """Outcome for one parameter name (see :class:`GradcheckResult` for the fields)."""

    rel_error: float
    error_bound: float
    verdict: str
    worst: tuple | None = None
    hints: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    kinks: list = field(default_factory=list)


def relative_bound(bounds, analytic, numeric):
    """Norm of per-entry error bounds relative to ``||analytic|| + ||numeric||``.

    Parameters
    ----------
    bounds, analytic, numeric : ndarray, same shape

    Returns
    -------
    float
    """
    scale = np.linalg.norm(np.nan_to_num(analytic)) + np.linalg.norm(np.nan_to_num(numeric))
    size = np.linalg.norm(bounds)
    if size == 0.0:
        return 0.0
    return float(size / scale) if scale > 0 else float("inf")


def decide(rel, tol, bound, resolvable):
    """The verdict for one comparison (see the module docstring).

    Parameters
    ----------
    rel, tol, bound : float
    resolvable : bool

    Returns
    -------
    {"pass", "inconclusive", "fail"}
    """
    if not resolvable or np.isnan(rel):
        return "inconclusive"
    if rel <= tol:
        return "pass"
    if rel <= bound:
        return "inconclusive"
    return "fail"


def inconclusive_reason(name, rel, bound, tol):
    """Why a comparison within the finite-difference error cannot be judged, in words."""
    return (
        f"{name!r}: the relative error {rel:.2g} is within the finite-difference error "
        f"estimate {bound:.2g} (rounding of f, truncation), above the tolerance {tol:.2g}: "
        "it cannot be judged (a gradient near zero, or |f| large against it)"
    )
