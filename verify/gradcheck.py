"""Gradient checking for any NumPy function: ``gradcheck(f, grad_f, x)``.

``f`` maps an array, or a dict of named arrays such as a network's params, to a scalar;
``grad_f`` returns the analytic gradient with the same structure (for a dict, keyed by
the names or by the notes' ``d`` + name). The analytic gradient is compared with finite
differences by the project's relative error ``||g - g_num|| / (||g|| + ||g_num||)``,
per parameter name, against one tolerance table keyed by dtype and method
(:mod:`verify._gradcheck._tolerances` derives it).

Example
-------
>>> import numpy as np
>>> from verify.gradcheck import gradcheck
>>> x = np.array([0.3, -1.2, 2.0])
>>> gradcheck(lambda x: np.sum(np.sin(x) * x), lambda x: np.cos(x) * x + np.sin(x), x).ok
True
"""

from collections.abc import Mapping

import numpy as np

from ._gradcheck._complex import probe_complex_safety
from ._gradcheck._directional import check_directional
from ._gradcheck._evaluate import Evaluator
from ._gradcheck._full import check_full
from ._gradcheck._result import VERDICTS, ComplexStepError, GradcheckError, GradcheckResult
from ._gradcheck._structure import as_named, named_gradient
from ._gradcheck._tolerances import METHODS, RESOLUTION, tolerance
from ._gradcheck._verdict import Context

__all__ = ["ComplexStepError", "GradcheckError", "GradcheckResult", "MAX_FULL_WORK", "gradcheck"]


# Full mode evaluates f (2 points per element for central differences) at copies of
# every array: beyond this many element copies it would run for hours (10**7 elements:
# 2 * 10**14), and directional mode is the tool.
MAX_FULL_WORK = 2**34
# Memory of directional mode's directions and perturbed points, per parameter.
MAX_DIRECTION_BYTES = 2**30
_STENCIL_POINTS = {"central": 2, "complex": 1, "richardson": 4}


def _check_cost(named, method, directional, n_directions, max_work):
    """Refuse, before any evaluation, a check that cannot finish in time or memory."""
    total = sum(max(1, v.size) for v in named.values())
    if not directional:
        calls = _STENCIL_POINTS[method] * sum(v.size for v in named.values())
        work = float(calls) * total
        if work > max_work:
            raise ValueError(
                f"gradcheck: full mode would evaluate f {calls} times at {total} elements "
                f"(~{work:.2g} element copies, above max_work = {max_work:.2g}); pass "
                "directional=True (n_directions random directions per parameter, cost "
                "independent of the size), or check fewer elements")
        return
    for name, v in named.items():
        # The directions and their bisection copies (2 k), one stencil of points (and its
        # sums): (2 k + 2 points) arrays of the parameter's size, complex for the complex step.
        item = 16 if method == "complex" else 8
        per_direction = 2 * max(1, v.size) * item
        stencil = 2 * _STENCIL_POINTS[method] * max(1, v.size) * item
        if n_directions * per_direction + stencil > MAX_DIRECTION_BYTES:
            fits = max(0, (MAX_DIRECTION_BYTES - stencil) // per_direction)
            raise ValueError(
                f"gradcheck: n_directions = {n_directions} directions of {name!r} ({v.size} "
                f"elements) need ~{(n_directions * per_direction + stencil) / 2**20:.0f} MiB, above "
                f"{MAX_DIRECTION_BYTES // 2**20} MiB; "
                + (f"pass n_directions <= {fits}" if fits else "the parameter is too large"))


def _validate_options(method, n_directions, rtol, step, vectorized, f_batched):
    if method not in METHODS:
        raise ValueError(f"gradcheck: unknown method {method!r}; valid methods: {', '.join(METHODS)}")
    if not (isinstance(n_directions, int | np.integer) and n_directions >= 1):
        raise ValueError(f"gradcheck: n_directions must be a positive integer, got {n_directions!r}")
    for label, value in (("rtol", rtol), ("step", step)):
        if value is not None and not (np.isfinite(value) and value > 0):
            raise ValueError(f"gradcheck: {label} must be a positive number, got {value!r}")
    if f_batched is not None and not callable(f_batched):
        raise TypeError("gradcheck: f_batched must be callable")
    if vectorized and f_batched is not None:
        raise ValueError("gradcheck: pass either vectorized=True (f takes a batch) or f_batched, not both")


def gradcheck(
    f,
    grad_f,
    x,
    *,
    method="central",
    directional=False,
    n_directions=4,
    seed=0,
    rtol=None,
    raise_on_failure=False,
    vectorized=False,
    f_batched=None,
    step=None,
    max_work=MAX_FULL_WORK,
):
    """Compare ``grad_f(x)`` with finite differences of ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar`` (shape ``()``). It must not keep references to its input.
    grad_f : callable
        ``grad_f(x)`` -> the gradient, of the structure and shapes of ``x``.
    x : ndarray or Mapping[str, ndarray]
        Real floating arrays (float16, float32, float64) of any shape, e.g. ``W1`` of
        shape ``(n_1, n_x)`` and ``b1`` of shape ``(n_1, 1)``. Not modified.
    method : {"central", "complex", "richardson"}
        ``central``: ``(f(x+h) - f(x-h)) / 2h``, ``h = eps^(1/3) max(1, |x|)``.
        ``complex``: ``Im f(x + ih) / h``, ``h = eps^2``; near machine precision where
        ``f`` is analytic; raises :class:`ComplexStepError` where ``f`` is not complex-safe.
        ``richardson``: ``(4 D(h/2) - D(h)) / 3``, ``h = eps^(1/5) max(1, |x|)``, with
        the extrapolation's correction as an error estimate (``error_bounds``).
    directional : bool
        Compare ``g . v`` with the difference quotient along ``n_directions`` seeded
        random directions ``v`` per parameter (cost independent of the number of
        elements); on failure, bisect over blocks of coordinates down to the failing
        elements. Default: every element (full mode).
    n_directions : int
        Directions per parameter in directional mode.
    seed : int
        Seed of the random directions (and of the complex-safety probe).
    rtol : float, optional
        Relative tolerance; default from the table for the dtype and method. Given, it
        also lifts the "too coarse a dtype" rule (float16 is judged, not inconclusive).
    raise_on_failure : bool
        Raise :class:`GradcheckError` (naming the failing parameters) when the verdict is
        "fail". "inconclusive" does not raise.
    vectorized : bool
        ``f`` also accepts a leading batch axis: every array of ``x`` with shape
        ``(B, *shape)``, returning shape ``(B,)``. The perturbations are then evaluated
        in batches rather than one call each. Unperturbed parameters arrive as read-only
        broadcast views.
    f_batched : callable, optional
        Like ``vectorized=True``, with a separate batched function; ``f`` is still used
        for ``f(x)``.
    step : float, optional
        An absolute step for every element or direction, overriding the rule.
    max_work : float
        Full mode refuses, before evaluating ``f``, to make more than this many element
        copies (evaluations of ``f`` times the elements of ``x``), suggesting
        ``directional=True``. Directional mode refuses ``n_directions`` whose directions
        would not fit in ``MAX_DIRECTION_BYTES``.

    Returns
    -------
    GradcheckResult
        ``ok``, ``verdict`` ("pass", "fail", "inconclusive", "kink"), ``max_rel_error``,
        ``rel_errors`` and ``worst`` per name, ``method``, ``hints``, ``tolerance``, ...

    Raises
    ------
    ValueError
        Unknown method; ``x`` not real floating or not finite; ``grad_f`` returning
        another structure, names or shapes (the message names the parameter, both shapes
        and a likely cause such as a missing sum over a broadcast axis); ``f`` returning
        a non-scalar.
    ComplexStepError
        ``method="complex"`` and ``f`` is not complex-safe (a ``ValueError``).
    GradcheckError
        ``raise_on_failure=True`` and the check failed (an ``AssertionError``).
    """
    _validate_options(method, n_directions, rtol, step, vectorized, f_batched)
    if isinstance(max_work, bool) or not isinstance(max_work, int | float | np.number) or not max_work > 0:
        raise ValueError(f"gradcheck: max_work must be a positive number, got {max_work!r}")
    named, rebuild = as_named(x)
    _check_cost(named, method, directional, int(n_directions), max_work)
    gradients = named_gradient(named, isinstance(x, Mapping), grad_f(x))
    batched = f_batched if f_batched is not None else (f if vectorized else None)
    evaluator = Evaluator(f, named, rebuild, batched=batched)
    f0 = evaluator.value()
    if not np.isfinite(f0):
        raise ValueError(f"gradcheck: f(x) is not finite ({f0})")
    if method == "complex":
        probe_complex_safety(evaluator, f0, seed)
    rng = np.random.default_rng(seed)
    checks, tolerances = {}, []
    for name, value in named.items():
        tol = float(rtol) if rtol is not None else tolerance(value.dtype, method)
        tolerances.append(tol)
        ctx = Context(
            evaluator=evaluator,
            method=method,
            f0=f0,
            tol=tol,
            resolvable=rtol is not None or tol <= RESOLUTION,
            eps=float(np.finfo(value.dtype).eps),
            step=step,
        )
        if directional:
            checks[name] = check_directional(ctx, name, gradients[name], rng, int(n_directions))
        else:
            checks[name] = check_full(ctx, name, gradients[name])
    result = _assemble(checks, method, directional, max(tolerances), evaluator.n_evals)
    if raise_on_failure and result.verdict == "fail":
        raise GradcheckError(result)
    return result


def _largest(values):
    """Largest value; nan when any is nan (a comparison that could not be made)."""
    values = np.array(list(values), dtype=np.float64)
    return float(values.max()) if values.size else 0.0


def _assemble(checks, method, directional, tol, n_evals):
    """One result from the per-name checks: the worst verdict wins."""
    severity = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
    verdict = max((check.verdict for check in checks.values()), key=severity.__getitem__)
    rel_errors = {name: check.rel_error for name, check in checks.items()}
    return GradcheckResult(
        ok=verdict in ("pass", "kink"),
        verdict=verdict,
        max_rel_error=_largest(rel_errors.values()),
        rel_errors=rel_errors,
        worst={name: check.worst for name, check in checks.items() if check.worst is not None},
        method=method,
        hints=tuple(hint for check in checks.values() for hint in check.hints),
        tolerance=tol,
        directional=directional,
        error_bounds={name: check.error_bound for name, check in checks.items()},
        verdicts={name: check.verdict for name, check in checks.items()},
        reasons=tuple(reason for check in checks.values() for reason in check.reasons),
        n_evals=n_evals,
        kinks={name: tuple(check.kinks) for name, check in checks.items() if check.kinks},
    )
