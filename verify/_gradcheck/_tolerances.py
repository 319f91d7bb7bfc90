"""One tolerance table keyed by (dtype, method), and the project's relative error.

Derivation of the table (``g`` the exact derivative, ``u`` the unit roundoff
``eps = np.finfo(dtype).eps``, ``h`` the step relative to ``max(1, |x|)``):

- central, ``(f(x+h) - f(x-h)) / 2h``: truncation ``|f'''| h^2 / 6`` plus rounding
  ``eps |f| / h`` (two evaluations, each off by about ``eps |f|``, divided by ``2h``).
  The sum is smallest at ``h ~ eps^(1/3)``, where it is ``~ eps^(2/3)`` relative to
  ``|g|`` when ``f``, ``f'`` and ``f'''`` are of one scale.
- Richardson, ``(4 D(h/2) - D(h)) / 3`` over central ``D``: the ``h^2`` term cancels,
  leaving truncation ``O(h^4)`` and rounding ``~ 3 eps |f| / h``; best at
  ``h ~ eps^(1/5)``, error ``~ eps^(4/5)``.
- complex step, ``Im f(x + ih) / h``: no subtraction, hence no cancellation; truncation
  ``h^2 |f'''| / 6`` vanishes for ``h = eps^2``; what is left is rounding in ``f`` (and in
  the analytic gradient we compare with): ``~ eps``.

Each model error is multiplied by one ``SAFETY`` factor: the constants above are unknown
(ratios such as ``|f| / |g|`` and ``|f'''| / |g|``, rounding accumulated inside ``f`` and
``grad_f``), and 100 covers them for functions of moderate scale while still separating a
``x2`` bug (relative error 1/3) from noise in float32. In float64 this gives 3.7e-9
(central), 2.9e-11 (Richardson) and 2.2e-14 (complex step).

``RESOLUTION``: where the table's tolerance exceeds it (float16 for every method), the
method's own error could hide a 10 % error in the gradient, so the check can neither
pass nor fail: its verdict is "inconclusive".

Functions whose scale breaks the assumption (``|f| >> |g|``) are caught at run time by
:func:`rounding_bound`, which turns a would-be failure into "inconclusive" when the
observed discrepancy is within what rounding alone could produce.
"""

import numpy as np

__all__ = [
    "METHODS",
    "RESOLUTION",
    "ROUNDING_FACTOR",
    "SAFETY",
    "TOLERANCES",
    "model_error",
    "relative_error",
    "rounding_bound",
    "tolerance",
]

METHODS = ("central", "complex", "richardson")
SAFETY = 100.0
RESOLUTION = 0.05
# How many eps*|f| of rounding error one evaluation of f is assumed to carry.
ROUNDING_FACTOR = 10.0
# Rounding error of each stencil, in units of ROUNDING_FACTOR * eps * |f| / h:
# central 2 evaluations / 2h -> 1; Richardson (4 D(h/2) - D(h)) / 3 -> (4*2 + 1) / 3 = 3.
# The complex step has no subtraction: its rounding is relative to the derivative itself.
_ROUNDING_WEIGHT = {"central": 1.0, "richardson": 3.0, "complex": 0.0}


def model_error(eps, method):
    """Relative error of ``method`` at its best step, up to a constant (see module doc).

    Parameters
    ----------
    eps : float
        Machine epsilon of the dtype.
    method : {"central", "complex", "richardson"}

    Returns
    -------
    float
    """
    return {"central": eps ** (2 / 3), "richardson": eps ** (4 / 5), "complex": eps}[method]


TOLERANCES = {
    (np.dtype(dtype), method): SAFETY * model_error(float(np.finfo(dtype).eps), method)
    for dtype in (np.float16, np.float32, np.float64)
    for method in METHODS
}


def tolerance(dtype, method):
    """The table's relative tolerance for ``dtype`` and ``method``.

    Parameters
    ----------
    dtype : numpy dtype
        A floating dtype; the coarser of float16/32/64 that holds it is used.
    method : {"central", "complex", "richardson"}

    Returns
    -------
    float
    """
    dtype = np.dtype(dtype)
    if (dtype, method) not in TOLERANCES:
        # e.g. longdouble: at least as fine as float64.
        dtype = np.dtype(np.float64)
    return TOLERANCES[(dtype, method)]


def relative_error(analytic, numeric):
    """The project's relative error ``||g - g_num|| / (||g|| + ||g_num||)``.

    Parameters
    ----------
    analytic, numeric : array_like, same shape
        Any shape; compared as flat vectors in float64 (complex parts are ignored).

    Returns
    -------
    float
        In ``[0, 1]``; 0 when both are 0; ``nan`` when either holds a non-finite value.
    """
    a = np.asarray(analytic, dtype=np.float64).ravel()
    n = np.asarray(numeric, dtype=np.float64).ravel()
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        return float("nan")
    denominator = np.linalg.norm(a) + np.linalg.norm(n)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(a - n) / denominator)


def rounding_bound(method, eps, fscale, steps):
    """Per-element rounding error of a real-step stencil: ``w * K * eps * |f| / h``.

    Parameters
    ----------
    method : {"central", "complex", "richardson"}
    eps : float
        Machine epsilon of the dtype ``f`` is evaluated in.
    fscale : float or ndarray, broadcastable to ``steps``
        The largest ``|f|`` among the points of each quotient (``f(x + h)`` may be far
        larger than ``f(x)``, e.g. ``x^2`` at ``x = 0``).
    steps : ndarray, any shape
        The step ``h`` of each element (or of each direction).

    Returns
    -------
    ndarray, shape of ``steps``
        Absolute error bounds on each difference quotient (0 for the complex step).
    """
    steps = np.asarray(steps, dtype=np.float64)
    weight = _ROUNDING_WEIGHT[method] * ROUNDING_FACTOR * eps * np.abs(fscale)
    with np.errstate(divide="ignore"):
        return np.where(steps > 0, weight / np.where(steps > 0, steps, 1.0), np.inf)
