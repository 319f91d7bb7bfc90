"""The Huber loss on a linear output: quadratic within delta of the target, linear beyond
(delta = 1 by default); summed over the outputs and averaged over the examples, as MSE."""

import math

import sympy as sp

from ...symbols import a, y
from .._entry import Hyper, Loss

delta = sp.Symbol("delta", positive=True)
r = a - y
clipped = sp.Min(sp.Max(r, -delta), delta)   # r clipped to [-delta, delta]

ENTRY = Loss(
    name="huber", output="linear", order=40,
    definition=sp.Piecewise((r**2 / 2, sp.Abs(r) <= delta),
                            (delta * (sp.Abs(r) - delta / 2), True)),
    hyper=(Hyper("delta", delta, 1.0, 0.0, math.inf,
                 meaning="where the loss turns from quadratic to linear"),),
    numeric=clipped * (r - clipped / 2),     # no cases: the clip selects them
    numeric_dz=clipped,
    summary="Huber cost J = (1/m) sum of L(a - y), L quadratic for |a - y| <= delta, else linear.",
    dz_summary="dZ[L] of a linear output with the Huber loss: A - Y clipped to [-delta, delta].",
    prose=(r"The Huber loss is the squared error near the target and the absolute error "
           r"far from it, so a few large residuals do not dominate the gradient: its "
           r"derivative is the residual $a - y$ clipped to $[-\delta, \delta]$."),
)
