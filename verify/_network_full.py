"""Every element of one parameter against its difference quotient, batched, kinks resolved.

The cost changes come from :class:`verify._network_fd.CostModel`; the step rule, the
stencils, the relative error and the verdict rule are those of :mod:`verify.gradcheck`
(``verify._gradcheck``), so a network check and a generic check mean the same thing.

Error model: the model propagates the *change* of the cost without cancellation, so the
rounding error of a difference quotient is relative to the quotient itself (about
``ROUNDING_FACTOR * eps`` of it, as for the complex step), not ``eps |J| / h``. What is
left for central differences is the truncation ``h^2 |J'''| / 6``: about 4e-11 relative
at gradcheck's step ``eps^(1/3) max(1, |x|)`` where ``J`` varies on a scale of 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._gradcheck._steps import base_step, element_scale, steps
from ._gradcheck._stencils import OFFSETS, combine
from ._gradcheck._tolerances import ROUNDING_FACTOR, relative_error
from ._gradcheck._verdict import decide, relative_bound

__all__ = ["ParameterCheck", "directional_check", "full_check", "SHRINK", "RETRIES"]

# A stencil that flips a ReLU branch is retried with the step divided by SHRINK, up to
# RETRIES times (a 4096-fold smaller step; no rounding penalty, see the module doc): a
# kink near, but not at, the point then lies outside the stencil. One still flipping
# sits on the kink (|Z| below ~1e-9 of the step's effect).
SHRINK = 16.0
RETRIES = 3
_EPS = float(np.finfo(np.float64).eps)


@dataclass
class ParameterCheck:
    """Outcome for one parameter: relative error, verdict, kinks, worst element."""

    rel_error: float
    verdict: str
    kinks: int = 0
    worst: tuple | None = None  # (index, analytic, numeric)
    numeric_norm: float = 0.0  # ||numeric gradient|| (or of the directional quotients)


def _central(model, l, name, index, h):
    """Changes at +-h, derivatives, and which stencils flipped a ReLU branch."""
    spans = h[:, None] * np.array(OFFSETS["central"]).real
    changes, crossed = model.layer_changes(l, name, index, spans)
    numeric, _ = combine("central", changes, spans)
    return changes, numeric, crossed.any(axis=1)


def _central_with_kinks(model, l, name, g_flat, tol):
    """Central differences of every element; returns (numeric, kinks met)."""
    x = model.params[name]
    index = np.arange(x.size)
    h = steps(x.ravel(), "central")
    changes, numeric, flipped = _central(model, l, name, index, h)
    for _ in range(RETRIES):
        if not flipped.any():
            break
        redo = index[flipped]
        h[redo] /= SHRINK
        changes[redo], numeric[redo], flipped[redo] = _central(model, l, name, redo, h[redo])
    kinks = 0
    for i in index[flipped]:
        # On the kink: the analytic value must lie between the one-sided slopes.
        if _bracketed(g_flat[i], changes[i, 0] / h[i], -changes[i, 1] / h[i], tol):
            numeric[i] = g_flat[i]
            kinks += 1
    return numeric, kinks


def full_check(model, l, name, g, method, tol):
    """Compare the analytic gradient ``g`` of ``name`` with every difference quotient.

    Parameters
    ----------
    model : CostModel
    l : int, the layer of ``name``
    name : str, ``W{l}`` or ``b{l}``
    g : ndarray, shape of the parameter, float64
    method : {"central", "complex"}
    tol : float, relative tolerance

    Returns
    -------
    ParameterCheck
    """
    x = model.params[name]
    g_flat = np.asarray(g, dtype=np.float64).ravel()
    kinks = 0
    if method == "complex":
        h = base_step(np.float64, "complex")
        changes, _ = model.layer_changes(l, name, np.arange(x.size), np.full((x.size, 1), 1j * h))
        numeric = changes[:, 0].imag / h
    else:
        numeric, kinks = _central_with_kinks(model, l, name, g_flat, tol)
    rel = relative_error(g_flat, numeric)
    bound = relative_bound(ROUNDING_FACTOR * _EPS * np.abs(numeric), g_flat, numeric)
    verdict = "fail" if not np.all(np.isfinite(g_flat)) else decide(rel, tol, bound, True)
    gap = np.nan_to_num(np.abs(g_flat - numeric), nan=np.inf)
    worst = int(np.argmax(gap)) if gap.size else 0
    position = tuple(int(i) for i in np.unravel_index(worst, x.shape))
    return ParameterCheck(rel, verdict, kinks, (position, float(g_flat[worst]), float(numeric[worst])),
                          float(np.linalg.norm(np.nan_to_num(numeric))))


# Directions of a parameter this small that start on a kink fall back to every element.
FULL_FALLBACK = 2**16
# Below this a step is treated as zero: the unperturbed point sits on a kink.
_TINY_STEP = 1e-250


def _bracketed(g, forward, backward, tol):
    """Whether ``g`` lies between the one-sided slopes (with the tolerance as slack)."""
    low, high = min(forward, backward), max(forward, backward)
    slack = tol * (abs(low) + abs(high))
    return low - slack <= g <= high + slack


def directional_check(model, l, name, g, method, tol, rng, n_directions):
    """Compare ``g . v`` with difference quotients along random directions ``v``.

    The directions are standard normal, scaled per element by ``max(1, |x|)`` as in
    :mod:`verify.gradcheck`'s directional mode. The cost is ``2 n_directions`` passes
    through the layers from ``l`` up, whatever the number of elements. For ReLU networks
    the step is capped at half the distance to the nearest kink along the direction (to
    first order, from the tangent), which the cancellation-free differences allow.

    Parameters
    ----------
    model : CostModel
    l : int, the layer of ``name``
    name : str
    g : ndarray, shape of the parameter
    method : {"central", "complex"}
    tol : float
    rng : np.random.Generator, source of the directions
    n_directions : int

    Returns
    -------
    ParameterCheck
        ``worst``: (direction number, analytic, numeric) of the worst direction.
    """
    x = model.params[name]
    k = int(n_directions)
    V = rng.standard_normal((k,) + x.shape) * element_scale(x)
    analytic = V.reshape(k, -1) @ np.asarray(g, dtype=np.float64).ravel()
    kinks = 0
    if method == "complex":
        h = base_step(np.float64, "complex")
        changes, _ = model.direction_changes(l, name, V, np.full(k, 1j * h))
        numeric = changes.imag / h
    else:
        reach = model.kink_distance(l, model.direction_tangent(l, name, V))
        # The step moves x by h along the *unit* direction (h / sqrt(size) per element):
        # the truncation is then that of one coordinate's quotient, whatever the size.
        h = base_step(np.float64, "central") / np.sqrt(x.size)
        t = np.minimum(h, 0.5 * reach)
        on_kink = t < _TINY_STEP
        t[on_kink] = h
        plus, crossed_p = model.direction_changes(l, name, V, t)
        minus, crossed_m = model.direction_changes(l, name, V, -t)
        flipped = (crossed_p | crossed_m) & ~on_kink
        for _ in range(RETRIES):
            if not flipped.any():
                break
            t[flipped] /= SHRINK
            plus[flipped], p_flip = model.direction_changes(l, name, V[flipped], t[flipped])
            minus[flipped], m_flip = model.direction_changes(l, name, V[flipped], -t[flipped])
            flipped[flipped] = p_flip | m_flip
        numeric = (plus - minus) / (2 * t)
        if np.any(on_kink | flipped):
            # A direction starting on kinks moves several units off them at once, so the
            # one-sided slopes need not bracket the analytic value. Coordinates move one
            # unit row at a time, where they do: check every element if that is cheap.
            if x.size <= FULL_FALLBACK:
                return full_check(model, l, name, g, method, tol)
            for i in np.flatnonzero(on_kink | flipped):
                if _bracketed(analytic[i], plus[i] / t[i], -minus[i] / t[i], tol):
                    numeric[i] = analytic[i]
                    kinks += 1
    rel = relative_error(analytic, numeric)
    bound = relative_bound(ROUNDING_FACTOR * _EPS * np.abs(numeric), analytic, numeric)
    verdict = decide(rel, tol, bound, True) if np.all(np.isfinite(analytic)) else "fail"
    worst = int(np.argmax(np.nan_to_num(np.abs(analytic - numeric), nan=np.inf)))
    return ParameterCheck(rel, verdict, kinks, ((worst,), float(analytic[worst]), float(numeric[worst])))
