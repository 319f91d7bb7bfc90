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


def evaluate_indexed(expr, integers, arrays):
    """A derive expression in index notation at given sizes, indices and entries (float).

    ``integers`` maps symbol names (``"K"``, ``"i"``) to ints; the sums, now of known
    length, are written out. ``arrays`` maps the name of each ``IndexedBase`` to a NumPy
    array whose entry ``[k - 1]`` (or ``[j - 1, i - 1]``) is the 1-based entry ``x_k``.
    """
    expr = sp.sympify(expr)
    by_name = {str(s): s for s in expr.free_symbols}
    expr = expr.xreplace({by_name[n]: sp.Integer(v) for n, v in integers.items()
                          if n in by_name}).doit()
    values = {}
    for entry in expr.atoms(sp.Indexed):
        index = tuple(int(q) - 1 for q in entry.indices)
        values[entry] = sp.Float(float(np.asarray(arrays[str(entry.base)])[index]), 30)
    out = unfold(expr.xreplace(values)).evalf(30)
    return float(out)
