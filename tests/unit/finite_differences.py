"""Expected values for the derivation tests, computed without derive's own code.

Central differences in float64 at step ``H`` are accurate to ~1e-10 absolute (rounding,
~eps / H, dominates the h^2 truncation error at this step).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.symbols import unfold

H = 1e-6


def central_difference(f, x, h=H):
    """d f / d x for a scalar f of the array x, one element at a time (float64)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def elementwise_derivative(f, x, h=H):
    """f'(x) at every point of x, for an elementwise f (all points stepped at once)."""
    return (f(x + h) - f(x - h)) / (2 * h)


def as_numpy(expr, *symbols):
    """NumPy function of ``symbols`` for a derive expression (display names unfolded)."""
    return sp.lambdify(symbols, unfold(expr), "numpy")
