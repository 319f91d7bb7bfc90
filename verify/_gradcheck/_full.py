"""Full mode: every element of one parameter, by its own difference quotient.

The perturbations of all elements go to the evaluator at once, which batches them when
``f`` accepts a batch axis and loops otherwise. Elements that disagree are examined for
kinks, worst first, until the rest agree (verdict "kink") or one cannot be explained.
"""

import numpy as np

from ._evaluate import complex_dtype
from ._hints import element_hint, value_hints
from ._kinks import classify_element
from ._steps import realized_steps, steps
from ._stencils import OFFSETS, combine, error_bound, extrapolate, f_scale
from ._tolerances import relative_error
from ._verdict import NameCheck, decide, inconclusive_reason, relative_bound

__all__ = ["MAX_KINKS", "check_full", "coordinate_derivatives", "refine"]

# How many disagreeing elements are examined for kinks before giving up (4 evaluations each).
MAX_KINKS = 64
# How many real disagreements are listed before the examination stops (10 evaluations each).
MAX_BAD = 8


def coordinate_derivatives(ctx, name, index, shrink=1.0):
    """Numeric derivatives of ``f`` along coordinate directions.

    Parameters
    ----------
    ctx : Context
    name : str
    index : ndarray of int, shape (n,)
        C-order indices into the parameter.
    shrink : float
        Divide the steps by this (2 for the halved step of a truncation estimate).

    Returns
    -------
    numeric : ndarray, shape (n,)
        ``nan`` where the step underflowed or ``f`` was not finite.
    bounds : ndarray, shape (n,)
        Absolute error bound of each derivative.
    h : ndarray, shape (n,)
        The intended step of each element.
    underflow : ndarray of bool, shape (n,)
    """
    x = ctx.evaluator.named[name]
    flat = x.ravel()[index]
    h = steps(flat, ctx.method, ctx.step) / shrink
    offsets = np.array(OFFSETS[ctx.method])
    if ctx.method == "complex":
        # The imaginary part of x + ih is exactly h rounded to the working precision.
        spans = (1j * h[:, None] * offsets.imag).astype(complex_dtype(x.dtype)).imag.astype(np.float64)
        deltas = 1j * spans
    else:
        spans = realized_steps(flat, h[:, None] * offsets.real)
        deltas = spans
    underflow = np.any(spans == 0, axis=1)
    values = ctx.evaluator.at_coordinates(name, index, deltas)
    numeric, truncation = combine(ctx.method, values, spans)
    fscale = f_scale(ctx.f0, values)
    bounds = error_bound(ctx.method, ctx.eps, fscale, np.abs(spans[:, 0]), numeric, truncation)
    return numeric, bounds, h, underflow


def refine(ctx, name, index, numeric, bounds):
    """Re-examine a disagreement: extrapolate from the halved step, before calling it a bug.

    A central (or complex-step) quotient is off by ``c h^2``; where the analytic gradient
    is small that alone can exceed the tolerance. The quotient at ``h/2`` gives both a
    better estimate (Richardson) and a truncation bound. Richardson itself is returned
    as it is (it carries its own estimate).

    Parameters
    ----------
    ctx : Context
    name : str
    index : ndarray of int, shape (n,)
    numeric, bounds : ndarray, shape (n,)
        From :func:`coordinate_derivatives` at the full step.

    Returns
    -------
    numeric, bounds : ndarray, shape (n,)
    """
    if ctx.method == "richardson":
        return numeric, bounds
    fine, _, _, _ = coordinate_derivatives(ctx, name, index, shrink=2.0)
    return extrapolate(numeric, fine, bounds)


def _resolve_kinks(ctx, name, g, numeric, h, check):
    """Examine the worst elements: kinks apart from real disagreements.

    Returns the verdict and the numeric gradient with each examined element replaced by
    what stands for it (the analytic value at a kink, the difference at a step clear of
    a nearby kink), so that ``worst`` then names a disagreeing element, never a kink.
    Kinks go to ``check.kinks`` and ``check.reasons``; disagreements to ``check.hints``.
    """
    adjusted = numeric.copy()
    kinks, smaller, bad = [], 0, []
    order = np.argsort(-np.abs(g - numeric), kind="stable")
    shape = ctx.evaluator.named[name].shape
    for flat_index in order[:MAX_KINKS]:
        if decide(relative_error(g, adjusted), ctx.tol, 0.0, True) == "pass" or len(bad) >= MAX_BAD:
            break
        state, value, (low, high) = classify_element(ctx, name, flat_index, g[flat_index], h[flat_index])
        index = tuple(int(i) for i in np.unravel_index(flat_index, shape))
        if state == "bad_kink":
            check.hints.append(
                f"{name!r}{list(index)}: f has a kink here, and the analytic value "
                f"{g[flat_index]:.6g} lies outside the one-sided differences [{low:.6g}, {high:.6g}]"
            )
        if state == "smaller_step":
            # Agreed within the error of the smaller step (its rounding, eps |f| / step,
            # exceeds the tolerance made for the first step): judged, and it agrees.
            value = g[flat_index]
        if np.isfinite(value):
            adjusted[flat_index] = value
        if state.startswith("bad"):
            bad.append((index, g[flat_index], value))
        elif state == "kink":
            kinks.append((index, low, high, g[flat_index]))
        else:
            smaller += 1
    check.kinks = [item[0] for item in kinks]
    if kinks:
        listed = ", ".join(f"{list(i)}: {a:.6g} in [{lo:.6g}, {hi:.6g}]" for i, lo, hi, a in kinks)
        check.reasons.append(
            f"{name!r}: f is not differentiable at {len(kinks)} element(s); there the "
            f"analytic value lies between the one-sided differences ({listed})"
        )
    if smaller:
        check.reasons.append(
            f"{name!r}: {smaller} element(s) agree only with a smaller step (a kink near x, "
            "within the first step, not at x)"
        )
    if bad:
        listed = ", ".join(f"{list(i)} (analytic {a:.6g}, numeric {n:.6g})" for i, a, n in bad[:4])
        check.hints.append(f"{name!r}: {len(bad)} element(s) disagree, apart from any kinks: {listed}")
        return "fail", adjusted
    if decide(relative_error(g, adjusted), ctx.tol, 0.0, True) == "pass":
        return ("kink" if kinks else "pass"), adjusted
    return "fail", adjusted


def check_full(ctx, name, g):
    """Compare every element of ``name``'s analytic gradient with its difference quotient.

    Parameters
    ----------
    ctx : Context
    name : str
    g : ndarray, shape of the parameter, float64
        The analytic gradient.

    Returns
    -------
    NameCheck
    """
    x = ctx.evaluator.named[name]
    if x.size == 0:
        return NameCheck(0.0, 0.0, "pass")
    numeric, bounds, h, underflow = coordinate_derivatives(ctx, name, np.arange(x.size))
    g_flat = g.ravel()
    rel = relative_error(g_flat, numeric)
    bound = relative_bound(np.nan_to_num(bounds, posinf=0.0), g_flat, numeric)
    check = NameCheck(rel, bound, "pass")
    resolvable = ctx.resolvable
    if np.any(underflow):
        first = tuple(int(i) for i in np.unravel_index(int(np.argmax(underflow)), x.shape))
        check.reasons.append(
            f"{name!r}: the step underflows at {int(underflow.sum())} element(s), e.g. "
            f"{list(first)} (x + h == x with h = {h[np.argmax(underflow)]:.3g})"
        )
        resolvable = False
    elif not np.all(np.isfinite(numeric)):
        check.reasons.append(f"{name!r}: f is not finite within a step of x")
        resolvable = False
    if not np.all(np.isfinite(g_flat)):
        check.verdict = "fail"
    else:
        check.verdict = decide(rel, ctx.tol, bound, resolvable)
        if check.verdict == "fail" and ctx.method != "richardson":
            numeric, bounds = refine(ctx, name, np.arange(x.size), numeric, bounds)
            check.rel_error = rel = relative_error(g_flat, numeric)
            check.error_bound = bound = relative_bound(np.nan_to_num(bounds, posinf=0.0), g_flat, numeric)
            check.verdict = decide(rel, ctx.tol, bound, resolvable)
            if check.verdict == "pass":
                check.reasons.append(
                    f"{name!r}: agrees with the extrapolation of the {ctx.method} quotients "
                    "from steps h and h/2 (at step h alone, truncation exceeded the tolerance)"
                )
        if resolvable and check.verdict == "inconclusive":
            check.reasons.append(inconclusive_reason(name, rel, bound, ctx.tol))
    if not ctx.resolvable:
        check.reasons.append(
            f"{name!r}: {x.dtype} is too coarse for {ctx.method} differences "
            f"(tolerance {ctx.tol:.2g}); check in float64"
        )
    if check.verdict == "fail" and ctx.method != "complex" and np.all(np.isfinite(g_flat)):
        check.verdict, numeric = _resolve_kinks(ctx, name, g_flat, numeric, h, check)
    gap = np.nan_to_num(np.abs(g_flat - numeric), nan=np.inf)
    worst = int(np.argmax(gap))
    check.worst = (
        tuple(int(i) for i in np.unravel_index(worst, x.shape)),
        float(g_flat[worst]),
        float(numeric[worst]),
    )
    # Hints explain a failure; where finite differences could explain the gap themselves
    # (inconclusive with a resolvable dtype) they would only be guesses.
    if rel > ctx.tol and (check.verdict == "fail" or not ctx.resolvable):
        transposed = g.T.ravel() if g.ndim == 2 and g.shape[0] == g.shape[1] else None
        check.hints += value_hints(name, g_flat, numeric, ctx.tol, transposed)
        check.hints += element_hint(name, g, numeric.reshape(x.shape), ctx.tol)
    return check
