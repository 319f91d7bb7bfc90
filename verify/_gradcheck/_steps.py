"""The finite-difference step: chosen per dtype and method, scaled with ``|x|``.

The base steps minimise the error model of :mod:`._tolerances` (truncation against
rounding): ``eps^(1/3)`` for central differences, ``eps^(1/5)`` for Richardson
extrapolation. The complex step has no rounding term, so its step only has to make the
truncation ``h^2 |f'''| / 6`` negligible while keeping ``h |g|`` far above the smallest
normal number: ``eps^2`` does both (4.9e-32 in float64, 1.4e-14 in float32).

Real steps are scaled by ``max(1, |x|)``: a fixed step would vanish below the spacing of
large ``x`` (``x + h == x``) and be too large a relative change of small ``x`` matters
less than the rounding of ``f``. The step actually taken is ``fl(x + h) - x``, which is
what :func:`realized_steps` returns and what the difference quotients divide by.
"""

import numpy as np

__all__ = ["base_step", "element_scale", "realized_steps", "steps"]


def base_step(dtype, method):
    """The step for ``|x| <= 1``.

    Parameters
    ----------
    dtype : numpy dtype
        The floating dtype of ``x``.
    method : {"central", "complex", "richardson"}

    Returns
    -------
    float
    """
    eps = float(np.finfo(dtype).eps)
    return {"central": eps ** (1 / 3), "richardson": eps ** (1 / 5), "complex": eps**2}[method]


def element_scale(x):
    """``max(1, |x|)`` per element, in float64.

    Parameters
    ----------
    x : ndarray, any shape

    Returns
    -------
    ndarray, shape of ``x``
    """
    return np.maximum(1.0, np.abs(np.asarray(x, dtype=np.float64)))


def steps(x, method, step=None):
    """Per-element step ``h_i``.

    Parameters
    ----------
    x : ndarray, any shape, floating
    method : {"central", "complex", "richardson"}
    step : float, optional
        An absolute step for every element, overriding the rule (no scaling).

    Returns
    -------
    ndarray, shape of ``x``, float64
    """
    if step is not None:
        return np.full(np.shape(x), float(step))
    h = base_step(x.dtype, method)
    if method == "complex":
        return np.full(np.shape(x), h)
    return h * element_scale(x)


def realized_steps(x, deltas):
    """The perturbations that survive rounding: ``fl(x + delta) - x`` in float64.

    Parameters
    ----------
    x : ndarray, shape (n,)
        The unperturbed elements, in their own dtype.
    deltas : ndarray, shape (n, k)
        Intended real perturbations of element ``i``.

    Returns
    -------
    ndarray, shape (n, k), float64
        Zero where the perturbation underflows (``x + delta == x``).
    """
    x = np.asarray(x)
    points = (x[:, None].astype(np.float64) + deltas).astype(x.dtype)
    return points.astype(np.float64) - x[:, None].astype(np.float64)
