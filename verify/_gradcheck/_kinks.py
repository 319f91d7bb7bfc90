"""Elements where ``f`` is not differentiable (ReLU at 0): one-sided differences.

At a kink the central difference averages the two one-sided slopes and matches neither
the left nor the right derivative, so an element-wise disagreement there is no bug as
long as the analytic value is a valid choice: between the one-sided differences.

A kink is told from a smooth but curved ``f`` by shrinking the step: for smooth ``f`` the
gap between forward and backward differences is ``h |f''|`` and shrinks 16-fold from
``h`` to ``h/16``; at a kink it stays the jump in slope. Where the gap shrinks but the
central difference at ``h/16`` agrees with the analytic value, a kink lay within the
larger step but not at ``x``: the smaller step settles it ("smaller_step").
"""

import numpy as np

from ._steps import realized_steps
from ._tolerances import ROUNDING_FACTOR

__all__ = ["LEVELS", "SHRINK", "classify_element"]

SHRINK = 16.0
# Steps examined: h / 16 .. h / 16^4 (h / 65536: for |x| <= 1 about 1e-10, where the
# rounding of f, eps |f| / step ~ 1e-6 relative, still resolves a slope).
LEVELS = 4


def classify_element(ctx, name, flat_index, analytic, h):
    """Classify one disagreeing element.

    The one-sided differences are taken at steps ``h / SHRINK^k``, ``k = 1 ..
    LEVELS``. A kink *at* ``x`` keeps the forward and backward slopes apart at every
    step; a kink at a distance ``d`` only while the step exceeds ``d``. The first step
    whose slopes meet is clear of every kink, and its central difference is the one to
    compare (``"smaller_step"`` when it agrees): so ``sum |x|`` at ``x = 1e-7`` is judged
    at a step below ``1e-7``, never across the kink at 0.

    Parameters
    ----------
    ctx : Context
    name : str
    flat_index : int
        C-order index into the parameter.
    analytic : float
        The analytic derivative of that element.
    h : float
        The element's step.

    Returns
    -------
    state : {"kink", "smaller_step", "bad_kink", "bad"}
        "bad_kink": a kink, but the analytic value lies outside the one-sided range.
    numeric : float
        The value that stands for the numeric derivative: the analytic one at a kink,
        the central difference at the step clear of kinks, else the smallest step's.
    interval : tuple of float
        The one-sided differences ``(low, high)`` at the last step examined.
    """
    x = ctx.evaluator.named[name].ravel()[[flat_index]]
    levels = h / SHRINK ** np.arange(LEVELS + 1)
    deltas = np.stack([levels, -levels], axis=1).reshape(1, -1)
    spans = realized_steps(x, deltas)[0]
    if np.any(spans == 0):
        return "bad", float("nan"), (float("nan"), float("nan"))
    values = ctx.evaluator.at_coordinates(name, np.array([flat_index]), spans[None]).real[0]
    fscale = max(abs(ctx.f0), float(np.max(np.abs(values))))
    previous_jump = np.inf
    for k in range(LEVELS + 1):
        up, down = spans[2 * k], spans[2 * k + 1]
        forward = (values[2 * k] - ctx.f0) / up
        backward = (ctx.f0 - values[2 * k + 1]) / -down
        central = (values[2 * k] - values[2 * k + 1]) / (up - down)
        low, high = sorted((forward, backward))
        # One-sided quotients: two evaluations' rounding over one step.
        noise = 2.0 * ROUNDING_FACTOR * ctx.eps * fscale / abs(up)
        slack = ctx.tol * (abs(low) + abs(high)) + noise
        jump = abs(forward - backward)
        if k == 0:
            previous_jump = jump
            continue
        if jump <= slack or jump <= 0.5 * previous_jump:
            # The slopes meet (or shrink like a smooth f's): no kink within this step.
            if abs(central - analytic) <= ctx.tol * (abs(central) + abs(analytic)) + noise:
                return "smaller_step", central, (low, high)
            if jump <= slack:
                return "bad", central, (low, high)
        previous_jump = jump
    inside = low - slack <= analytic <= high + slack
    return ("kink" if inside else "bad_kink"), (analytic if inside else central), (low, high)
