"""``check_network``: a network's backward pass against finite differences and JAX.

Three independent references for every parameter's gradient, all in float64:

- ``"central"``: central differences of the cost, every element (batched, see
  :mod:`verify._network_fd`, a NumPy forward pass written there, not the generated one),
  or, with ``directional=True``, along a few seeded random directions per parameter
  (cost independent of the parameter count; the step kept clear of ReLU kinks);
- ``"complex"``: the complex step ``Im J(theta + ih e) / h``, where the network is
  analytic (sigmoid or tanh hidden layers; any output);
- ``"jax"``: ``jax.grad`` of the network written again in ``jax.numpy``
  (:mod:`verify.jax_reference`).

Dropout: the masks are drawn once by the numeric forward pass (``rng``) and then held
fixed on every side: the numeric backward reads them from the cache, the finite
differences and JAX receive them explicitly. Two ``"cost"`` rows also compare the cost
itself (``Network.cost`` against the finite-difference model and against JAX), which
catches a wrong forward formula that a gradient check alone would differentiate happily.

A float32 network is checked through a float64 copy of its parameters: a gradient
check in float32 cannot resolve errors below ~1e-3 (see :mod:`verify._gradcheck._tolerances`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from numeric import propagation

from . import _definitions
from ._gradcheck._tolerances import ROUNDING_FACTOR, relative_error
from ._network_fd import CostModel
from ._network_full import directional_check, full_check

_EPS = float(np.finfo(np.float64).eps)

__all__ = ["NetworkCheck", "Row", "TOLERANCES", "check_network", "loop_central_fd", "ANALYTIC"]

# The project's promises for a correct network in float64 (DESIGN.md, "What verified
# means"), wider than verify.gradcheck's table for moderate-scale functions because a
# network's cost and gradient are sums over m examples and n units:
# - central: the batched differences carry no eps |J| / h rounding (verify._network_fd),
#   leaving the truncation h^2 |J'''| / 6 ~ 4e-11 at h ~ 6e-6 for J varying on a scale
#   of 1; 1e-7 leaves room for sharper J (large weights, softmax near saturation) while a
#   real bug (a factor, a sign, a transpose: relative error >= ~1e-2) stays far above it;
# - complex: no cancellation, only rounding of the forward and backward sums (~1e-15);
# - jax: two float64 implementations of the same sums, rounding only (~1e-15);
# - cost: the same value computed by three code paths, rounding only.
TOLERANCES = {"central": 1e-7, "complex": 1e-12, "jax": 1e-10, "cost": 1e-12}

# Hidden activations for which the cost is analytic in the parameters (complex step).
# Hidden activations analytic on the real line (the complex step applies): the catalog's.
ANALYTIC = tuple(name for name in _definitions.HIDDEN if _definitions.analytic(name))


class Row(NamedTuple):
    """One comparison: ``parameter`` (``"W1"``, ..., or ``"cost"``), ``method``
    (``"central"``, ``"complex"``, ``"jax"``), ``rel_error``, ``verdict``
    (``"pass"``, ``"fail"``, ``"inconclusive"``, ``"kink"``)."""

    parameter: str
    method: str
    rel_error: float
    verdict: str


@dataclass
class NetworkCheck:
    """What :func:`check_network` found.

    Attributes
    ----------
    ok : bool
        Every row's verdict is "pass" or "kink".
    rows : list of Row
    directional : bool
        Finite differences along random directions rather than every element.
    notes : list of str
        Kinks met, methods skipped and why, worst elements of failing parameters.
    seconds : dict, method -> seconds spent
    """

    rows: list = field(default_factory=list)
    directional: bool = False
    notes: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(r.verdict in ("pass", "kink") for r in self.rows)

    def failing(self, method: str | None = None) -> set:
        """Parameters (and ``"cost"``) whose verdict is "fail", for one method or any."""
        return {r.parameter for r in self.rows
                if r.verdict == "fail" and (method is None or r.method == method)}

    def methods(self) -> list:
        return list(dict.fromkeys(r.method for r in self.rows))

    def max_rel_error(self, method: str) -> float:
        errors = [r.rel_error for r in self.rows if r.method == method]
        return float(np.nanmax(errors)) if errors else float("nan")

    def __str__(self) -> str:
        lines = [f"check_network: {'OK' if self.ok else 'FAILED'}"
                 + (" (directional)" if self.directional else "")]
        lines.append(f"  {'parameter':<10} {'method':<8} {'rel error':>10}  verdict")
        for r in self.rows:
            lines.append(f"  {r.parameter:<10} {r.method:<8} {r.rel_error:>10.2e}  {r.verdict}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# Rounding of a float64 gradient element: ~ROUNDING_FACTOR eps per layer, times the sum
# of |terms| (CostModel.magnitudes); a gap within it is the arithmetic's, not a formula's.
def _rounding_scale(model, name, g, reference_norm):
    scale = np.linalg.norm(model.mags[name]) * ROUNDING_FACTOR * _EPS * (model.L + 1)
    norms = np.linalg.norm(g) + reference_norm
    return float(scale / norms) if norms > 0 else 0.0


def _verdict(rel, tol, rounding=0.0):
    """"pass" within the tolerance or within what rounding of the sums explains."""
    if not np.isfinite(rel):
        return "fail"
    return "pass" if rel <= max(tol, rounding) else "fail"


def _names(params):
    L = propagation.n_layers(params)
    return [(l, f"{p}{l}") for l in range(1, L + 1) for p in ("W", "b")]


def check_network(net, X, Y, lambd: float = 0.0, keep_prob: float = 1.0, *,
                  rng: np.random.Generator | None = None, seed: int = 0,
                  methods=None, directional: bool = False, n_directions: int = 4,
                  backward=None, tolerances=None) -> NetworkCheck:
    """Check ``net``'s backward pass at ``X, Y`` against finite differences and JAX.

    Parameters
    ----------
    net : numeric.Network
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_L, m); one-hot (K, m) for a softmax output
    lambd : float >= 0, L2 strength
    keep_prob : float in (0, 1]; below 1 the masks are drawn once with ``rng``
    rng : np.random.Generator, optional; default ``np.random.default_rng(seed)``
    seed : int, seeds the masks (when ``rng`` is None) and the random directions
    methods : iterable of {"central", "complex", "jax"}, optional
        Default: all three, "complex" only where the network is analytic (hidden
        sigmoid or tanh). Asking for "complex" on a ReLU network is a ValueError.
    directional : bool
        Finite differences along ``n_directions`` random directions per parameter
        instead of every element (for large networks; bisects to the failing elements).
    backward : callable, optional
        A function with the signature of :func:`numeric.propagation.backward` to check
        in place of it (the planted bugs of :mod:`verify.planted` use this).
    tolerances : dict, optional
        Overrides of :data:`TOLERANCES`, by method.

    Returns
    -------
    NetworkCheck
        ``ok``, ``rows`` of (parameter, method, rel_error, verdict), ``notes``.
    """
    tol = {**TOLERANCES, **(tolerances or {})}
    analytic = net.hidden in ANALYTIC
    methods = tuple(methods) if methods is not None else (
        ("central", "complex", "jax") if analytic else ("central", "jax"))
    unknown = set(methods) - {"central", "complex", "jax"}
    if unknown:
        raise ValueError(f"unknown methods {sorted(unknown)}; valid: central, complex, jax")
    if "complex" in methods and not analytic:
        raise ValueError(f"the complex step needs an analytic network; hidden={net.hidden!r} "
                         "is not (use central or jax)")
    X = net.check_X(X)
    Y = net.check_Y(Y, X.shape[1])
    params = {k: np.asarray(v, dtype=np.float64) for k, v in net.params.items()}
    X, Y = X.astype(np.float64), Y.astype(np.float64)
    if keep_prob < 1.0 and rng is None:
        rng = np.random.default_rng(seed)
    _, cache = propagation.forward(params, X, net.hidden, net.output, keep_prob, rng)
    masks = {int(k[1:]): v for k, v in cache.items() if k.startswith("D")}
    grads = (backward or propagation.backward)(params, cache, Y, net.hidden, net.output, lambd)
    J = propagation.cost(params, cache, Y, net.output, lambd)

    result = NetworkCheck(directional=directional)
    model = CostModel(params, X, Y, net.hidden, net.output, lambd, masks, keep_prob)
    model.mags = model.magnitudes()
    rel = relative_error(J, model.J0)
    result.rows.append(Row("cost", "central", rel, _verdict(rel, tol["cost"])))
    for method in ("central", "complex"):
        if method in methods:
            start = time.perf_counter()
            if directional:
                _directional(result, model, params, grads, method, tol[method], seed, n_directions)
            else:
                _full(result, model, params, grads, method, tol[method])
            result.seconds[method] = time.perf_counter() - start
    if "jax" in methods:
        start = time.perf_counter()
        _jax(result, model, params, X, Y, net, lambd, masks, keep_prob, grads, J, tol)
        result.seconds["jax"] = time.perf_counter() - start
    if "complex" not in methods and not analytic:
        result.notes.append(f"complex step skipped: hidden={net.hidden!r} is not analytic")
    return result


def _full(result, model, params, grads, method, tol):
    kinks = 0
    for l, name in _names(params):
        c = full_check(model, l, name, grads["d" + name], method, tol)
        if c.verdict != "pass" and np.isfinite(c.rel_error) and c.rel_error <= _rounding_scale(
                model, name, grads["d" + name], c.numeric_norm):
            c.verdict = "pass"
            result.notes.append(f"{name} ({method}): {c.rel_error:.2g} is within the rounding "
                                "of its sums (terms cancel)")
        result.rows.append(Row(name, method, c.rel_error, c.verdict))
        kinks += c.kinks
        if c.verdict == "fail":
            index, a, n = c.worst
            result.notes.append(f"{name} ({method}): worst element {list(index)}: "
                                f"analytic {a:.10g}, numeric {n:.10g}")
    if kinks:
        result.notes.append(f"{method}: {kinks} element(s) sit on a ReLU kink; there the "
                            "analytic value lies between the one-sided differences")


def _directional(result, model, params, grads, method, tol, seed, n_directions):
    rng = np.random.default_rng(seed)
    for l, name in _names(params):
        c = directional_check(model, l, name, grads["d" + name], method, tol, rng, n_directions)
        result.rows.append(Row(name, method, c.rel_error, c.verdict))
        if c.verdict == "fail":
            result.notes.append(f"{name} ({method}): along direction {c.worst[0][0]}: "
                                f"analytic {c.worst[1]:.10g}, numeric {c.worst[2]:.10g}; "
                                "run the full check to find the elements")
        if c.kinks:
            result.notes.append(f"{name} ({method}): {c.kinks} direction(s) start on a ReLU kink")


def _jax(result, model, params, X, Y, net, lambd, masks, keep_prob, grads, J, tol):
    from . import jax_reference

    J_jax, g_jax = jax_reference.gradients(params, X, Y, net.hidden, net.output, lambd,
                                           masks, keep_prob)
    rel = relative_error(J, J_jax)
    result.rows.append(Row("cost", "jax", rel, _verdict(rel, tol["cost"])))
    for _, name in _names(params):
        g, ref = grads["d" + name], g_jax["d" + name]
        rel = relative_error(g, ref)
        rounding = _rounding_scale(model, name, g, np.linalg.norm(ref))
        result.rows.append(Row(name, "jax", rel, _verdict(rel, tol["jax"], rounding)))


def loop_central_fd(net, X, Y, lambd: float = 0.0, names=None, max_elements=None, h=1e-7):
    """The notes' gradient check: one element at a time, two full forward passes each.

    The baseline :func:`check_network` is measured against (no dropout). Returns the
    numeric gradient of the first ``max_elements`` elements of each parameter in
    ``names`` (default all), as ``{name: ndarray, shape (k,)}``, and the elements done.

    Parameters
    ----------
    net : numeric.Network
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_L, m)
    """
    params = {k: v.astype(np.float64) for k, v in net.params.items()}
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)

    def J(p):
        _, cache = propagation.forward(p, X, net.hidden, net.output)
        return propagation.cost(p, cache, Y, net.output, lambd)

    out, done = {}, 0
    for name in names or list(params):
        flat = params[name].ravel()
        k = flat.size if max_elements is None else min(flat.size, max_elements)
        values = np.empty(k)
        for i in range(k):
            plus, minus = flat.copy(), flat.copy()
            plus[i] += h
            minus[i] -= h
            values[i] = (J({**params, name: plus.reshape(params[name].shape)})
                         - J({**params, name: minus.reshape(params[name].shape)})) / (2 * h)
        out[name], done = values, done + k
    return out, done
