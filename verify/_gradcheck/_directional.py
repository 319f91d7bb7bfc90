"""Directional mode: a few random directions instead of every element.

For seeded random directions ``v`` (standard normal, scaled per element by
``max(1, |x|)`` like the coordinate steps) it compares ``g . v`` with the difference
quotient of ``f`` along ``v``. The cost is ``n_directions`` times the stencil size per
parameter, whatever the number of elements. A discrepancy is narrowed down by bisection:
the directions restricted to each half of a failing block of coordinates, recursively,
down to single elements, which are then checked one by one (``O(log n)`` evaluations per
failing element).
"""

import numpy as np

from ._evaluate import MAX_BATCH_BYTES
from ._full import coordinate_derivatives, refine
from ._kinks import classify_element
from ._hints import value_hints
from ._steps import base_step, element_scale
from ._stencils import OFFSETS, combine, error_bound, extrapolate, f_scale
from ._tolerances import relative_error
from ._verdict import NameCheck, decide, inconclusive_reason, relative_bound

__all__ = ["MAX_ELEMENTS", "check_directional", "directional_derivatives"]

# How many failing elements bisection looks for before it stops.
MAX_ELEMENTS = 8


def directional_derivatives(ctx, name, V, h):
    """Numeric derivatives of ``f`` along each row of ``V``.

    Parameters
    ----------
    ctx : Context
    name : str
    V : ndarray, shape (k, size)
        Directions, flattened in C order.
    h : float
        Step along each direction.

    Returns
    -------
    numeric, bounds : ndarray, shape (k,)
        Derivatives and their absolute error bounds.
    """
    x = ctx.evaluator.named[name]
    offsets = np.array(OFFSETS[ctx.method])
    k = V.shape[0]
    scale = 1j if ctx.method == "complex" else 1.0
    coefficients = (offsets.imag if ctx.method == "complex" else offsets.real) * h
    if k * len(offsets) * V.shape[1] * 8 <= MAX_BATCH_BYTES:
        deltas = (scale * coefficients[None, :, None] * V[:, None, :]).reshape((-1,) + x.shape)
        values = ctx.evaluator.at_points(name, deltas).reshape(k, len(offsets))
    else:  # one direction's points at a time: memory of the stencil, not of k stencils
        values = np.stack([ctx.evaluator.at_points(
            name, (scale * coefficients[:, None] * v[None, :]).reshape((-1,) + x.shape)) for v in V])
    spans = np.broadcast_to(coefficients, (k, len(offsets)))
    numeric, truncation = combine(ctx.method, values, spans)
    bounds = error_bound(ctx.method, ctx.eps, f_scale(ctx.f0, values), np.full(k, h), numeric, truncation)
    return numeric, bounds


def _compare(ctx, name, g_flat, V, h, confirm=False):
    """(rel, relative bound, analytic, numeric) along the rows of ``V``.

    ``confirm``: where the comparison would fail, compare with the extrapolation from
    steps h and h/2 instead before saying so (see :func:`refine`).
    """
    analytic = V @ g_flat
    numeric, bounds = directional_derivatives(ctx, name, V, h)
    rel, bound = relative_error(analytic, numeric), relative_bound(bounds, analytic, numeric)
    if confirm and ctx.method != "richardson" and decide(rel, ctx.tol, bound, True) == "fail":
        fine, _ = directional_derivatives(ctx, name, V, h / 2)
        numeric, bounds = extrapolate(numeric, fine, bounds)
        rel, bound = relative_error(analytic, numeric), relative_bound(bounds, analytic, numeric)
    return rel, bound, analytic, numeric


def _restricted(V, block):
    out = np.zeros_like(V)
    out[:, block] = V[:, block]
    return out


def _narrow(ctx, name, g_flat, V, h):
    """Bisect over blocks of coordinates; return (failing leaf indices, whether exhaustive)."""
    stack, leaves = [np.arange(V.shape[1])], []
    while stack and len(leaves) < MAX_ELEMENTS:
        block = stack.pop()
        if block.size == 1:
            leaves.append(int(block[0]))
            continue
        halves = (block[: block.size // 2], block[block.size // 2 :])
        failing = []
        for half in halves:
            rel, bound, _, _ = _compare(ctx, name, g_flat, _restricted(V, half), h)
            failing.append(decide(rel, ctx.tol, bound, True) == "fail")
        # Depth first, first half first: the stack pops the last pushed.
        stack += [half for half, bad in zip(halves[::-1], failing[::-1]) if bad]
    return leaves, not stack


def _examine_leaves(ctx, name, g_flat, leaves):
    """Check each leaf element by its coordinate difference; classify kinks."""
    shape = ctx.evaluator.named[name].shape
    index = np.array(leaves, dtype=int)
    numeric, bounds, h, _ = coordinate_derivatives(ctx, name, index)
    numeric, bounds = refine(ctx, name, index, numeric, bounds)
    found = []
    for i, flat_index in enumerate(leaves):
        a, n = g_flat[flat_index], numeric[i]
        if abs(a - n) <= ctx.tol * (abs(a) + abs(n)) + bounds[i]:
            continue
        state = "bad"
        if ctx.method != "complex":
            state, _, _ = classify_element(ctx, name, flat_index, a, h[i])
        position = tuple(int(j) for j in np.unravel_index(flat_index, shape))
        found.append((position, float(a), float(n), state, flat_index))
    return found


def check_directional(ctx, name, g, rng, n_directions):
    """Compare ``g . v`` with difference quotients along random ``v``; narrow down on failure.

    Parameters
    ----------
    ctx : Context
    name : str
    g : ndarray, shape of the parameter, float64
    rng : numpy.random.Generator
        Source of the directions.
    n_directions : int

    Returns
    -------
    NameCheck
    """
    x = ctx.evaluator.named[name]
    if x.size == 0:
        return NameCheck(0.0, 0.0, "pass")
    g_flat = g.ravel()
    V = rng.standard_normal((n_directions, x.size)) * element_scale(x).ravel()
    h = float(ctx.step) if ctx.step is not None else base_step(x.dtype, ctx.method)
    rel, bound, analytic, numeric = _compare(ctx, name, g_flat, V, h, confirm=True)
    check = NameCheck(rel, bound, "pass")
    resolvable = ctx.resolvable
    if ctx.method != "complex":
        taken = (x.ravel().astype(np.float64) + h * V[0]).astype(x.dtype) - x.ravel()
        if np.linalg.norm(taken - h * V[0]) > 0.5 * np.linalg.norm(h * V[0]):
            check.reasons.append(f"{name!r}: the step h = {h:.3g} underflows (x + h v == x)")
            resolvable = False
    if not ctx.resolvable:
        check.reasons.append(
            f"{name!r}: {x.dtype} is too coarse for {ctx.method} differences "
            f"(tolerance {ctx.tol:.2g}); check in float64"
        )
    check.verdict = decide(rel, ctx.tol, bound, resolvable and np.all(np.isfinite(g_flat)))
    if not np.all(np.isfinite(g_flat)):
        check.verdict = "fail"
    elif resolvable and check.verdict == "inconclusive":
        check.reasons.append(inconclusive_reason(name, rel, bound, ctx.tol))
    if rel > ctx.tol and (check.verdict == "fail" or not ctx.resolvable):
        transposed = V @ g.T.ravel() if g.ndim == 2 and g.shape[0] == g.shape[1] else None
        check.hints += value_hints(name, analytic, numeric, ctx.tol, transposed)
    if check.verdict != "fail" or not np.all(np.isfinite(g_flat)):
        return check
    leaves, exhaustive = _narrow(ctx, name, g_flat, V, h)
    found = _examine_leaves(ctx, name, g_flat, leaves)
    bad = [item for item in found if item[3] != "kink" and item[3] != "smaller_step"]
    check.kinks = [item[0] for item in found if item[3] == "kink"]
    if bad:  # worst names a disagreeing element; kinks are listed in check.kinks
        check.worst = max(bad, key=lambda item: abs(item[1] - item[2]))[:3]
    if bad:
        listed = ", ".join(f"{list(p)} (analytic {a:.6g}, numeric {n:.6g})" for p, a, n, _, _ in bad[:4])
        more = "" if exhaustive and len(bad) <= 4 else f", ... ({len(bad)} found; there may be more)"
        check.hints.append(f"{name!r}: narrowed down to {listed}{more}")
        return check
    if not found:
        check.hints.append(f"{name!r}: could not narrow the error down to single elements")
        return check
    if not exhaustive:
        check.verdict = "inconclusive"
        check.reasons.append(f"{name!r}: more than {MAX_ELEMENTS} elements at kinks; not all examined")
        return check
    # Every failing branch ended at a kink: re-check with those coordinates left out.
    keep = np.ones(x.size, dtype=bool)
    keep[[item[4] for item in found]] = False
    rel_rest, bound_rest, _, _ = _compare(ctx, name, g_flat, V * keep, h, confirm=True)
    if decide(rel_rest, ctx.tol, bound_rest, True) == "pass":
        check.verdict = "kink"
        listed = ", ".join(str(list(item[0])) for item in found)
        check.reasons.append(
            f"{name!r}: f is not differentiable at {listed}; there the analytic value lies "
            "between the one-sided differences, and the other elements agree"
        )
        check.hints = []
    return check
