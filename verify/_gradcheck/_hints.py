"""What a wrong gradient looks like: a constant factor, a sign, a transpose, a shape.

Each hint is a sentence naming the parameter and a likely cause, so that a failure reads
as a diagnosis rather than a number. The functions are pure and work on any pair of
arrays (or of directional derivatives), so that other checks can reuse them.
"""

import numpy as np

from ._tolerances import relative_error

__all__ = ["describe_factor", "element_hint", "hint_tolerance", "shape_hint", "value_hints"]


def hint_tolerance(tol):
    """How well a candidate explanation must fit to be named: looser than the check.

    Parameters
    ----------
    tol : float
        The check's relative tolerance.

    Returns
    -------
    float
    """
    return max(10.0 * tol, 1e-6)


def describe_factor(ratio, tol):
    """Name a constant ratio ``analytic / numeric``, or return None when it is 1.

    Parameters
    ----------
    ratio : float
        Least-squares ratio of the analytic to the numeric gradient.
    tol : float
        Relative precision to which ``ratio`` is known.

    Returns
    -------
    str or None
    """
    magnitude = abs(ratio)
    sign = "sign flip and " if ratio < 0 else ""
    close = 4.0 * max(tol, 1e-9)
    if abs(magnitude - 1.0) <= close:
        if ratio < 0:
            return "sign flip: analytic = -numeric (a lost minus sign, e.g. Y - A for A - Y?)"
        return None
    k, inverse_k = round(magnitude), round(1.0 / magnitude)
    if k >= 2 and abs(magnitude - k) <= close * magnitude:
        cause = (
            "d(u^2)/du = 2u where the cost has a 1/2, or a missing 1/m with m = 2?"
            if k == 2
            else f"a missing 1/m with m = {k}?"
        )
        return f"{sign}factor x{k}: analytic = {ratio:g} x numeric ({cause})"
    if inverse_k >= 2 and abs(1.0 / magnitude - inverse_k) <= close / magnitude:
        return (
            f"{sign}factor 1/{inverse_k}: analytic = {'-' if ratio < 0 else ''}numeric / {inverse_k} "
            f"(an extra 1/m with m = {inverse_k}, or a mean where a sum belongs?)"
        )
    return f"{sign}constant factor: analytic = {ratio:.6g} x numeric"


def value_hints(name, analytic, numeric, tol, transposed=None):
    """Hints for one parameter whose analytic and numeric gradients disagree.

    Parameters
    ----------
    name : str
    analytic, numeric : ndarray, same shape
        Gradients, or derivatives along the same directions.
    tol : float
        The check's relative tolerance.
    transposed : ndarray, shape of ``numeric``, optional
        The analytic gradient transposed (or its derivatives along the same directions);
        a match names a transpose.

    Returns
    -------
    list of str
    """
    a = np.asarray(analytic, dtype=np.float64).ravel()
    n = np.asarray(numeric, dtype=np.float64).ravel()
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        bad = "analytic" if not np.all(np.isfinite(a)) else "numeric"
        return [f"{name!r}: the {bad} gradient has non-finite values"]
    fit = hint_tolerance(tol)
    norm_a, norm_n = np.linalg.norm(a), np.linalg.norm(n)
    if norm_a == 0.0 and norm_n > 0.0:
        return [f"{name!r}: the analytic gradient is all zeros but f depends on {name!r}"]
    if norm_n == 0.0 and norm_a > 0.0:
        return [
            f"{name!r}: f does not change with {name!r} but the analytic gradient is "
            "non-zero (is it used in f, or is its gradient filed under another name?)"
        ]
    hints = []
    ratio = float(a @ n / (n @ n)) if norm_n > 0 else 1.0
    if relative_error(a, ratio * n) <= fit:
        description = describe_factor(ratio, fit)
        if description is not None:
            hints.append(f"{name!r}: {description}")
    if transposed is not None and relative_error(transposed, n) <= fit:
        hints.append(f"{name!r}: transpose: analytic.T matches numeric (a transposed product?)")
    return hints


def element_hint(name, analytic, numeric, tol, limit=4):
    """Say which elements disagree when only some of them do.

    Parameters
    ----------
    name : str
    analytic, numeric : ndarray, same shape (the parameter's shape)
    tol : float
        The check's relative tolerance.
    limit : int
        How many indices to list.

    Returns
    -------
    list of str
        Empty when all elements disagree, or none does.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    bad = np.abs(a - n) > hint_tolerance(tol) * max(scale, np.finfo(np.float64).tiny)
    count, total = int(bad.sum()), bad.size
    if count == 0 or count == total:
        return []
    where = [tuple(int(i) for i in index) for index in np.argwhere(bad)[:limit]]
    listed = ", ".join(str(index) for index in where) + (", ..." if count > limit else "")
    text = f"{name!r}: {count} of {total} elements disagree ({listed}); the others match"
    if a.ndim == 2 and count > 1:
        rows, cols = np.nonzero(bad)
        if len(set(rows)) == 1:
            text += f"; all in row {rows[0]}"
        elif len(set(cols)) == 1:
            text += f"; all in column {cols[0]}"
    return [text]


def _summed_axes(target, got):
    """Axes of ``got`` whose sum (keepdims for aligned ones) gives ``target``, or None."""
    if len(got) < len(target):
        return None
    lead = len(got) - len(target)
    axes = list(range(lead))
    for axis, (t, g) in enumerate(zip(target, got[lead:]), start=lead):
        if t == g:
            continue
        if t != 1:
            return None
        axes.append(axis)
    return tuple(axes) or None


def shape_hint(name, x_shape, g_shape):
    """Explain a gradient of the wrong shape, when the mismatch has a usual cause.

    Parameters
    ----------
    name : str
    x_shape, g_shape : tuple of int
        The parameter's shape and the shape grad_f returned for it.

    Returns
    -------
    str
        Empty when no cause is recognised.
    """
    x_shape, g_shape = tuple(x_shape), tuple(g_shape)
    if len(x_shape) >= 2 and g_shape == x_shape[::-1]:
        return f"{name!r}: transpose: it is the transposed shape (a transposed product?)"
    axes = _summed_axes(x_shape, g_shape)
    if axes is not None:
        keep = ", keepdims=True" if len(g_shape) == len(x_shape) else ""
        axis = axes[0] if len(axes) == 1 else axes
        return (
            f"{name!r}: missing sum over broadcast axis {axis}: "
            f"np.sum(d{name}, axis={axis}{keep}) has the shape {x_shape}"
        )
    return ""
