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

__all__ = ["SHRINK", "classify_element"]

SHRINK = 16.0


def classify_element(ctx, name, flat_index, analytic, h):
    """Classify one disagreeing element.

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
        the central difference at ``h/16`` for "smaller_step", else that same difference.
    interval : tuple of float
        The one-sided differences ``(low, high)`` at ``h/16``.
    """
    x = ctx.evaluator.named[name].ravel()[[flat_index]]
    deltas = np.array([[h, -h, h / SHRINK, -h / SHRINK]])
    spans = realized_steps(x, deltas)
    if np.any(spans == 0):
        return "bad", float("nan"), (float("nan"), float("nan"))
    values = ctx.evaluator.at_coordinates(name, np.array([flat_index]), spans).real[0]
    forward = (values[[0, 2]] - ctx.f0) / spans[0, [0, 2]]
    backward = (ctx.f0 - values[[1, 3]]) / -spans[0, [1, 3]]
    jumps = np.abs(forward - backward)
    low, high = sorted((forward[1], backward[1]))
    # One-sided quotients at h/16: two evaluations' rounding over one step.
    fscale = max(abs(ctx.f0), float(np.max(np.abs(values))))
    noise = 2.0 * ROUNDING_FACTOR * ctx.eps * fscale / abs(spans[0, 2])
    slack = ctx.tol * (abs(low) + abs(high)) + noise
    central = (values[2] - values[3]) / (spans[0, 2] - spans[0, 3])
    if jumps[1] > slack and jumps[1] > 0.5 * jumps[0]:
        inside = low - slack <= analytic <= high + slack
        return ("kink" if inside else "bad_kink"), (analytic if inside else central), (low, high)
    if abs(central - analytic) <= ctx.tol * (abs(central) + abs(analytic)) + noise:
        return "smaller_step", central, (low, high)
    return "bad", central, (low, high)
