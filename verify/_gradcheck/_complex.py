"""Is ``f`` complex-safe? A probe before trusting the complex step.

The complex step ``Im f(x + ih v) / h`` equals the derivative along ``v`` only if ``f``
is built from analytic operations. ``abs``, ``.real``, casts to float or comparisons
between complex numbers break that silently. Raising and real outputs are caught by the
evaluator; the silent cases are caught here by comparing, along one seeded random
direction per parameter, the complex-step derivative with a central difference: both
are numeric, so the probe does not depend on ``grad_f``.
"""

import numpy as np

from ._result import ComplexStepError
from ._steps import base_step, element_scale
from ._stencils import combine
from ._tolerances import ROUNDING_FACTOR, tolerance

__all__ = ["probe_complex_safety"]


def probe_complex_safety(evaluator, f0, seed):
    """Raise :class:`ComplexStepError` where ``f`` is not complex-safe.

    Parameters
    ----------
    evaluator : Evaluator
    f0 : float
        ``f(x)``.
    seed : int
        Seed of the probe directions (a stream apart from the check's own directions).
    """
    rng = np.random.default_rng([seed, 1])
    for name, x in evaluator.named.items():
        if x.size == 0:
            continue
        v = rng.standard_normal(x.shape) * element_scale(x)
        h_complex, h_real = base_step(x.dtype, "complex"), base_step(x.dtype, "central")
        values = evaluator.at_points(name, np.stack([1j * h_complex * v]))
        by_complex = float(np.imag(values[0]) / h_complex)
        values = evaluator.at_points(name, np.multiply.outer(h_real * np.array([1.0, -1.0, 0.5, -0.5]), v))
        spans = np.array([[h_real, -h_real]])
        by_central = float(combine("central", values[None, :2], spans)[0][0])
        by_half = float(combine("central", values[None, 2:], spans / 2)[0][0])
        eps = float(np.finfo(x.dtype).eps)
        # The central difference is the less accurate of the two: its tolerance (ten times
        # the table's, as for hints), its rounding bound and its truncation estimate (from
        # the halved step) decide what "agree" means.
        slack = 10 * tolerance(x.dtype, "central") * (abs(by_complex) + abs(by_central))
        slack += ROUNDING_FACTOR * eps * max(abs(f0), float(np.max(np.abs(values)))) / h_real
        # Truncation of the central difference, from the halved step (order h^2).
        slack += 2.0 * abs(by_central - by_half) * 4.0 / 3.0
        if not abs(by_complex - by_central) <= slack:
            raise ComplexStepError(
                f"gradcheck(method='complex'): along a random direction of {name!r} the "
                f"complex step gives {by_complex:.10g} but central differences give "
                f"{by_central:.10g}: f is not complex-safe (abs, .real, a cast to float, "
                "or a comparison of complex values?); use method='central'"
            )
