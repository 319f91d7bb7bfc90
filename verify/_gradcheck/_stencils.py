"""Difference formulas: where to evaluate ``f`` and how to combine the values.

A stencil is a set of ``offsets`` (multiples of the step ``h``; imaginary for the
complex step) and a ``combine`` that turns ``f`` at ``x + offset * h * v`` into a
derivative along ``v``, with an estimate of its error. The same formulas serve the
coordinate directions (full mode) and random directions (directional mode).

Shapes: ``values`` and ``spans`` are ``(n, k)`` for ``n`` derivatives and the ``k``
offsets of the stencil; ``spans[:, j]`` is the perturbation actually applied at offset
``j`` (in units of ``v``), so the quotients divide by what was taken, not what was meant.
"""

import numpy as np

from ._tolerances import ROUNDING_FACTOR, rounding_bound

__all__ = ["OFFSETS", "combine", "error_bound", "extrapolate", "f_scale"]

OFFSETS = {
    "central": (1.0, -1.0),
    "richardson": (1.0, -1.0, 0.5, -0.5),
    "complex": (1j,),
}


def _central(values, spans, a, b):
    return (values[:, a] - values[:, b]) / (spans[:, a] - spans[:, b])


def f_scale(f0, values):
    """Largest ``|f|`` among ``f(x)`` and each row of stencil values: shape (n,)."""
    return np.maximum(abs(f0), np.max(np.abs(np.nan_to_num(values.real)), axis=1, initial=0.0))


def combine(method, values, spans):
    """Derivative estimates from ``f`` at the stencil's points.

    Parameters
    ----------
    method : {"central", "complex", "richardson"}
    values : ndarray, shape (n, k)
        ``f`` at the points, complex for the complex step.
    spans : ndarray, shape (n, k), float64
        The perturbation applied at each offset (imaginary part for the complex step).

    Returns
    -------
    derivative : ndarray, shape (n,), float64
        ``nan`` where a span is zero (the step underflowed).
    truncation : ndarray, shape (n,), float64
        An estimate of the truncation error: ``|R - D(h/2)|`` for Richardson (the
        extrapolation's correction, an upper estimate of its own error); 0 otherwise.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "complex":
            derivative = np.imag(values[:, 0]) / spans[:, 0]
            truncation = np.zeros(len(derivative))
        elif method == "central":
            derivative = _central(values.real, spans, 0, 1)
            truncation = np.zeros(len(derivative))
        else:
            coarse = _central(values.real, spans, 0, 1)
            fine = _central(values.real, spans, 2, 3)
            derivative = (4.0 * fine - coarse) / 3.0
            truncation = np.abs(derivative - fine)
    return np.where(np.isfinite(derivative), derivative, np.nan), truncation


def error_bound(method, eps, fscale, steps, derivative, truncation):
    """Absolute error bound of each estimate: rounding plus estimated truncation.

    Parameters
    ----------
    method : {"central", "complex", "richardson"}
    eps : float
        Machine epsilon of the evaluation dtype.
    fscale : ndarray, shape (n,)
        Largest ``|f|`` among ``f(x)`` and the points of each quotient.
    steps : ndarray, shape (n,)
        The step ``h`` of each estimate.
    derivative, truncation : ndarray, shape (n,)
        From :func:`combine`.

    Returns
    -------
    ndarray, shape (n,)
    """
    if method == "complex":
        # No cancellation: rounding is relative to the derivative itself.
        return ROUNDING_FACTOR * eps * np.abs(np.nan_to_num(derivative)) + truncation
    return rounding_bound(method, eps, fscale, steps) + truncation



def extrapolate(coarse, fine, coarse_bounds):
    """Richardson-extrapolate two O(h^2) estimates at steps h and h/2, with an error bound.

    ``D(h) = g + c h^2 + O(h^4)`` gives ``R = (4 D(h/2) - D(h)) / 3 = g + O(h^4)``. Its
    rounding is at most 3 times that of ``D(h)`` (weights 4/3 on a quotient with twice
    the rounding, 1/3 on one with once); ``|R - D(h/2)|``, the error of the finer
    quotient, bounds its truncation from above.

    Parameters
    ----------
    coarse, fine : ndarray, shape (n,)
        Central (or complex-step) estimates at steps h and h/2.
    coarse_bounds : ndarray, shape (n,)
        Absolute error bounds of ``coarse`` (rounding).

    Returns
    -------
    refined, bounds : ndarray, shape (n,)
    """
    refined = (4.0 * fine - coarse) / 3.0
    return refined, 3.0 * coarse_bounds + np.nan_to_num(np.abs(refined - fine), nan=np.inf)
