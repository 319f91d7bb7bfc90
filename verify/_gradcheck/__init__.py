"""Private pieces of :func:`verify.gradcheck.gradcheck`, one idea per module.

The public names live in :mod:`verify.gradcheck`. The pieces are importable on their own
so that a network-specific check (perturbing one weight changes one row of one layer's
pre-activations) can reuse the step rule, the tolerance table, the relative error and
the hints without going through :func:`gradcheck`:

- :mod:`._tolerances`: the tolerance table keyed by (dtype, method), the relative error.
- :mod:`._steps`: the finite-difference step per dtype and method, scaled with ``|x|``.
- :mod:`._stencils`: the difference formulas (central, complex step, Richardson).
- :mod:`._structure`: array-or-dict inputs as named arrays; input validation.
- :mod:`._evaluate`: calling ``f`` at perturbed points, looped or batched.
- :mod:`._complex`: the complex-safety probe.
- :mod:`._kinks`: one-sided differences where ``f`` is not differentiable.
- :mod:`._hints`: what a failing gradient looks like (factor, sign, transpose, shapes).
- :mod:`._full`, :mod:`._directional`: the two modes, one parameter name at a time.
- :mod:`._result`: :class:`GradcheckResult` and :class:`GradcheckError`.
"""
