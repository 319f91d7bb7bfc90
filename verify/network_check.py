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
from numeric.custom import describe

from . import _definitions
from ._gradcheck._tolerances import ROUNDING_FACTOR, relative_error
from numeric.validation import check_keep_prob, check_nonnegative, check_positive_int, check_rng

from ._network_fd import CostModel
from ._network_full import directional_check, full_check
from ._network_localize import localize
from ._network_subject import subject_of

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
    localization : list of verify._network_localize.Finding
        Where the backward pass goes wrong (layer, quantity), when a parameter fails and
        the references model the network; top layer first.
    """

    rows: list = field(default_factory=list)
    directional: bool = False
    notes: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)
    localization: list = field(default_factory=list)

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


# Limits checked before any work: beyond them the full check would run for hours or
# exhaust memory, and directional mode (cost independent of the size) is the tool.
MAX_FULL_WORK = 2e10  # multiply-adds of the full mode's differences (~10 s to minutes)
MAX_DIRECTIONS = 1024
MAX_FULL_PARAMS = 2**20
# Bytes of the random directions of one parameter (n_directions x its size, float64).
MAX_DIRECTION_BYTES = 2**30


def check_network(net=None, X=None, Y=None, lambd: float = 0.0, keep_prob: float = 1.0, *,
                  rng: np.random.Generator | None = None, seed: int = 0,
                  methods=None, directional: bool = False, n_directions: int = 4,
                  backward=None, tolerances=None, params=None, forward=None, cost=None,
                  hidden: str | None = None, output: str | None = None,
                  max_work: float = MAX_FULL_WORK) -> NetworkCheck:
    """Check a network's own backward pass at ``X, Y`` against finite differences and JAX.

    What is checked is the network given, through its own ``forward``, ``cost`` and
    ``backward``, in one of two forms:

    - ``check_network(net, X, Y)``: ``net`` is a :class:`numeric.Network`, a subclass,
      or any object of one's own with ``params`` (a dict ``W1, b1, ..., WL, bL``, shapes
      (n_l, n_{l-1}) and (n_l, 1)) and the methods ``forward(X, keep_prob=, rng=) ->
      (AL, cache)``, ``cost(Y, cache, lambd=) -> float`` and ``backward(Y, cache, lambd=)
      -> {"dW1": ..., "db1": ..., ...}``;
    - ``check_network(params=P, forward=f, cost=c, backward=b, X=X, Y=Y)``: plain
      functions over a dict of parameters, as the course notes write them:
      ``f(params, X, keep_prob=, rng=) -> (AL, cache)``, ``c(params, Y, cache, lambd=)``,
      ``b(params, Y, cache, lambd=)``.

    ``keep_prob`` and ``rng`` are passed only when ``keep_prob < 1``, ``lambd`` only when
    non-zero. With dropout the cache must be a dict holding the masks as ``D1``, ``D2``,
    ... (as :class:`numeric.Network`'s does) for the references to hold them fixed.

    The independent references (a cost model with batched differences, the complex
    step, JAX) model the architectures of :class:`numeric.Network`: they are used where
    ``hidden`` and ``output`` (arguments, or the object's attributes) name one of those.
    Elsewhere the check says so (``notes``) and compares with finite differences of the
    network's own forward pass and cost (:func:`verify.gradcheck`), which catches a
    backward that disagrees with the forward but not a wrong forward. A user's own
    activation or loss (``derive.custom_activation`` / ``custom_loss``) is modeled from its
    ``entry``'s definition (JAX differentiates the definition, never the derived
    derivative), its kinks where the object states them, the complex step where it is
    ``analytic``.

    Where a parameter fails and the references model the network, ``localization``
    names the layer and the quantity that go wrong (``dZ``, ``dW``, ``db`` or
    ``dA_prev`` of layer l), by checking each layer's backward against differences of
    that layer alone (:mod:`verify._network_localize`).

    Parameters
    ----------
    net : object with params, forward, cost, backward (see above), or None
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_L, m); one-hot (K, m) for a softmax output
    lambd : float >= 0, L2 strength
    keep_prob : float in (0, 1]; below 1 the masks are drawn with ``rng``
    rng : np.random.Generator, optional; default ``np.random.default_rng(seed)``
    seed : int >= 0, seeds the masks (when ``rng`` is None) and the random directions
    methods : iterable of {"central", "complex", "jax"}, optional
        Default: all three, "complex" only where the network is analytic (hidden
        sigmoid or tanh). Asking for "complex" on a ReLU network is a ValueError.
    directional : bool
        Finite differences along ``n_directions`` random directions per parameter
        instead of every element (for large networks).
    n_directions : int, 1 .. MAX_DIRECTIONS
    backward : callable, optional
        With ``net``: a function with the signature of
        :func:`numeric.propagation.backward` checked in place of ``net.backward`` (the
        planted bugs of :mod:`verify.planted`). Without ``net``: the user's backward.
    tolerances : dict, optional
        Overrides of :data:`TOLERANCES`, by method; each a number in (0, 1).
    params, forward, cost : the function form (see above)
    hidden, output : str, optional; the architecture, for the references
    max_work : float
        Full mode refuses, before starting, networks whose differences would take more
        multiply-adds than this (suggesting ``directional=True``).

    Returns
    -------
    NetworkCheck
        ``ok``, ``rows`` of (parameter, method, rel_error, verdict), ``notes``,
        ``localization`` (list of :class:`verify._network_localize.Finding`).

    Raises
    ------
    ValueError, TypeError
        Invalid options (named), parameters or data of the wrong shapes, a full check
        above ``max_work``.
    """
    lambd = check_nonnegative("lambd", lambd)
    keep_prob = check_keep_prob(keep_prob)
    rng = check_rng(rng)
    seed = check_positive_int("seed", seed, low=0)
    n_directions = check_positive_int("n_directions", n_directions)
    if n_directions > MAX_DIRECTIONS:
        raise ValueError(f"n_directions = {n_directions} is above {MAX_DIRECTIONS}; a few "
                         "directions per parameter suffice (each costs two passes)")
    if not isinstance(directional, (bool, np.bool_)):
        raise TypeError(f"directional must be True or False, got {directional!r}")
    tol = {**TOLERANCES, **_checked_tolerances(tolerances)}
    if isinstance(max_work, (bool, np.bool_)) or not isinstance(max_work, (int, float)) \
            or not max_work > 0:
        raise ValueError(f"max_work must be a positive number, got {max_work!r}")
    subject = subject_of(net, params, forward, cost, backward, hidden, output)
    p64 = _checked_params(subject.params)
    X, Y = _checked_data(net, X, Y, p64)
    subject.lambd, subject.keep_prob = lambd, keep_prob
    if keep_prob < 1.0:
        subject.mask_seed = int((rng or np.random.default_rng(seed)).integers(2**63 - 1))

    _, cache = subject.forward(p64, X)
    J = _checked_cost(subject.cost(p64, Y, cache))
    result = NetworkCheck(directional=directional)
    grads = _checked_grads(subject.backward(p64, Y, cache), p64, result)
    masks = {int(k[1:]): np.asarray(v, dtype=np.float64) for k, v in cache.items()
             if isinstance(k, str) and k[:1] == "D" and k[1:].isdigit()} \
        if isinstance(cache, dict) else {}
    reason = subject.model_reason
    if not reason and keep_prob < 1.0 and not masks:
        reason = "its cache holds no dropout masks D1, D2, ... to hold fixed"
    methods = _methods(methods, subject, reason, result)
    _check_budget(p64, X.shape[1], directional, n_directions, max_work, not reason)

    if reason:
        _own_differences(result, subject, p64, X, Y, grads, tol, directional, seed, n_directions)
        return result
    model = CostModel(p64, X, Y, subject.hidden, subject.output, lambd, masks, keep_prob,
                      loss=subject.loss)
    model.mags = model.magnitudes()
    rel = relative_error(J, model.J0)
    result.rows.append(Row("cost", "central", rel, _verdict(rel, tol["cost"])))
    for method in ("central", "complex"):
        if method in methods:
            start = time.perf_counter()
            if directional:
                _directional(result, model, p64, grads, method, tol[method], seed, n_directions)
            else:
                _full(result, model, p64, grads, method, tol[method])
            result.seconds[method] = time.perf_counter() - start
    if "jax" in methods:
        start = time.perf_counter()
        _jax(result, model, p64, X, Y, subject, lambd, masks, keep_prob, grads, J, tol)
        result.seconds["jax"] = time.perf_counter() - start
    if result.failing() - {"cost"}:
        result.localization = localize(model, grads)
        result.notes += [f.message for f in result.localization]
    return result


def _checked_tolerances(tolerances):
    if tolerances is None:
        return {}
    if not isinstance(tolerances, dict):
        raise TypeError(f"tolerances must be a dict method -> number, got {type(tolerances).__name__}")
    for k, v in tolerances.items():
        if k not in TOLERANCES:
            raise ValueError(f"tolerances: unknown method {k!r}; valid: {', '.join(TOLERANCES)}")
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float)) or not 0 < v < 1:
            raise ValueError(f"tolerances[{k!r}] must be a number in (0, 1), got {v!r}")
    return dict(tolerances)


def _checked_params(params):
    """float64 copies of ``W1, b1, ..., WL, bL``; errors name the parameter and shapes."""
    if not isinstance(params, dict) or not params:
        raise TypeError(f"params must be a non-empty dict W1, b1, ..., got {type(params).__name__}")
    L = sum(1 for k in params if isinstance(k, str) and k[:1] == "W" and k[1:].isdigit())
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(params) != expected:
        raise ValueError(f"params must hold exactly W1, b1, ..., WL, bL; got {sorted(map(str, params))}")
    out = {}
    for l in range(1, L + 1):
        for p in "Wb":
            name = f"{p}{l}"
            v = np.asarray(params[name])
            if v.dtype.kind != "f" or v.ndim != 2:
                raise ValueError(f"params[{name!r}] must be a 2-D float array, got dtype "
                                 f"{v.dtype}, shape {v.shape}")
            if not np.all(np.isfinite(v)):
                raise ValueError(f"params[{name!r}] is not finite")
            out[name] = v.astype(np.float64)
        W, b = out[f"W{l}"], out[f"b{l}"]
        if b.shape != (W.shape[0], 1) or (l > 1 and W.shape[1] != out[f"W{l - 1}"].shape[0]):
            raise ValueError(f"W{l} {W.shape} and b{l} {b.shape} do not fit layer {l} "
                             f"(b{l} must be ({W.shape[0]}, 1), W{l} must take the "
                             f"{out[f'W{l - 1}'].shape[0] if l > 1 else 'n_x'} outputs below)")
    return out


def _checked_data(net, X, Y, p64):
    from numeric import Network
    from numeric.validation import as_float_matrix

    if isinstance(net, Network):
        X = net.check_X(X)
        Y = net.check_Y(Y, X.shape[1])
        return X.astype(np.float64), Y.astype(np.float64)
    L = propagation.n_layers(p64)
    X = as_float_matrix("X", X, np.float64, rows=p64["W1"].shape[1], what=" (W1's columns)")
    Y = as_float_matrix("Y", Y, np.float64, rows=p64[f"W{L}"].shape[0], cols=X.shape[1],
                        what=f" (W{L}'s rows)", allow_int=True)
    return X, Y


def _checked_cost(J):
    try:
        J = float(np.asarray(J).reshape(()))
    except (TypeError, ValueError):
        raise ValueError(f"the network's cost must be a scalar, got {J!r:.80}") from None
    return J


def _checked_grads(grads, p64, result):
    """``{d + name: float64 array}``, NaN in place of a missing or misshapen gradient."""
    if not isinstance(grads, dict):
        raise TypeError(f"backward must return a dict dW1, db1, ..., got {type(grads).__name__}")
    out = {}
    for name, p in p64.items():
        g = grads.get("d" + name)
        g = None if g is None else np.asarray(g)
        if g is None or g.shape != p.shape or g.dtype.kind not in "fiu":
            what = "is missing" if g is None else f"has shape {g.shape}, dtype {g.dtype}"
            result.notes.append(f"d{name} {what}; expected shape {p.shape}")
            result.rows.append(Row(name, "shape", float("nan"), "fail"))
            out["d" + name] = np.full(p.shape, np.nan)
        else:
            out["d" + name] = g.astype(np.float64)
    for k, v in grads.items():  # the notes' dA{l}, kept for the localization
        if isinstance(k, str) and k.startswith("dA") and k[2:].isdigit():
            out[k] = np.asarray(v, dtype=np.float64) if np.asarray(v).dtype.kind in "fiu" else None
    return out


def _methods(methods, subject, reason, result):
    # the complex step needs a cost analytic in the parameters: hidden layers and loss
    hidden_analytic = (subject.hidden in ANALYTIC if isinstance(subject.hidden, str)
                       else subject.hidden is not None and _definitions.analytic(subject.hidden))
    analytic = hidden_analytic and (subject.loss is None
                                    or _definitions.loss_analytic(subject.loss))
    if methods is None:
        methods = ("central",) if reason else (
            ("central", "complex", "jax") if analytic else ("central", "jax"))
    if isinstance(methods, str):
        raise TypeError(f"methods must be a list of names, got the string {methods!r}")
    methods = tuple(methods)
    unknown = set(methods) - {"central", "complex", "jax"}
    if unknown or not methods:
        raise ValueError(f"unknown methods {sorted(map(str, unknown))}; valid: central, complex, jax")
    if reason:
        result.notes.append(f"the references cannot model this network: {reason}; its gradients "
                            "are checked against finite differences of its own forward and cost")
        if set(methods) - {"central"}:
            result.notes.append(f"{', '.join(sorted(set(methods) - {'central'}))} skipped: "
                                "they need the references")
        return ("central",)
    if "complex" in methods and not analytic:
        raise ValueError(f"the complex step needs an analytic network; hidden="
                         f"{describe(subject.hidden)} "
                         "is not (use central or jax)")
    if "complex" not in methods and not analytic:
        result.notes.append(f"complex step skipped: hidden={describe(subject.hidden)} or "
                            f"loss={describe(subject.loss)} is not analytic")
    return methods


def _check_budget(p64, m, directional, n_directions, max_work, batched):
    """Refuse a full check whose differences would take hours, or directions too big."""
    sizes = [p64[f"W{l}"].size for l in range(1, propagation.n_layers(p64) + 1)]
    if directional:
        biggest = max(v.size for v in p64.values())
        if n_directions * biggest * 8 > MAX_DIRECTION_BYTES:
            raise ValueError(f"n_directions = {n_directions} directions of a parameter of "
                             f"{biggest} elements need {n_directions * biggest * 8} bytes, above "
                             f"{MAX_DIRECTION_BYTES}: pass n_directions <= "
                             f"{max(1, MAX_DIRECTION_BYTES // (8 * biggest))}")
        return
    n_params = sum(v.size for v in p64.values())
    L = len(sizes)
    n = [p64["W1"].shape[1]] + [p64[f"W{l}"].shape[0] for l in range(1, L + 1)]
    if batched:
        # verify._network_fd: a perturbation of layer l costs the row of Z[l] and the
        # layers above it (rank-one product into Z[l+1], then full products).
        work = sum(2.0 * (sizes[l - 1] + n[l]) * m * (n[l] + sum(n[k] for k in range(l + 1, L + 1))
                                                      + sum(sizes[k - 1] for k in range(l + 2, L + 1)))
                   for l in range(1, L + 1))
    else:  # the network's own forward pass, whole, twice per element
        work = 2.0 * n_params * m * sum(sizes)
    if work > max_work or n_params > MAX_FULL_PARAMS:
        raise ValueError(f"check_network: the full check of {n_params} parameters would take "
                         f"about {work:.1e} multiply-adds (2 steps per parameter, m = {m} "
                         f"examples), above max_work = {max_work:.1e} (or above "
                         f"{MAX_FULL_PARAMS} parameters): pass directional=True (a few random "
                         "directions per parameter, cost independent of the size), or fewer examples")


def _own_differences(result, subject, p64, X, Y, grads, tol, directional, seed, n_directions):
    """Gradients against finite differences of the subject's own forward and cost."""
    from .gradcheck import gradcheck

    start = time.perf_counter()
    g = {"d" + k: grads["d" + k] for k in p64}
    finite = {k: v for k, v in g.items() if np.all(np.isfinite(v))}
    names = [k for k in p64 if "d" + k in finite]
    if names:
        r = gradcheck(lambda p: subject.cost_at({**p64, **p}, X, Y),
                      lambda p: {"d" + k: finite["d" + k] for k in names},
                      {k: p64[k] for k in names}, directional=directional, seed=seed,
                      n_directions=n_directions)
        for k in names:
            result.rows.append(Row(k, "central", r.rel_errors[k], r.verdicts[k]))
        result.notes += list(r.hints) + list(r.reasons)
    for k in p64:
        if k not in names and not any(row.parameter == k for row in result.rows):
            result.rows.append(Row(k, "central", float("nan"), "fail"))
    if result.failing():
        top = max(int(k[1:]) for k in result.failing() if k[1:].isdigit())
        result.notes.append(f"the highest failing layer is {top} (without the references, "
                            "no finer localization)")
    result.seconds["central"] = time.perf_counter() - start


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


def _jax(result, model, params, X, Y, subject, lambd, masks, keep_prob, grads, J, tol):
    from . import jax_reference

    J_jax, g_jax = jax_reference.gradients(params, X, Y, subject.hidden, subject.output, lambd,
                                           masks, keep_prob, loss=subject.loss)
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
