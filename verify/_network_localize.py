"""Where a backward pass goes wrong: each layer's backward against differences of that layer.

Backprop through layer ``l`` takes ``dZ[l]`` and produces ``dW[l] = (1/m) dZ A[l-1]^T
(+ lambd/m W)``, ``db[l] = (1/m) sum dZ`` and ``dA[l-1] = W^T dZ``; the layer below turns
``dA[l-1]`` into ``dZ[l-1] = dA * D/keep_prob * g'(Z[l-1])``. Walking down from the
output, each layer is given the *correct* ``dZ[l]`` and judged alone:

- ``dZ[L]`` from central differences of the output cost alone in each logit (the
  cancellation-free changes of :mod:`verify._network_fd`, one column at a time);
- ``g'(Z[l])`` from differences of the activation alone (one-sided on ReLU's linear
  pieces, where they are exact), so the reference ``dZ[l]`` never uses the formula under
  test; ``dA[l-1] = W^T dZ`` and ``dW``, ``db`` are linear in ``dZ``;
- the network's ``dW[l]`` and ``db[l]`` (and ``dA[l-1]``, when its backward returns it as
  the notes' ``grads["dA{l-1}"]``) are compared with those.

If ``db[l]`` agrees but ``dW[l]`` does not, ``dZ[l]`` was right and the ``dW`` formula
of layer ``l`` is wrong (likewise for ``db``); if both disagree, ``dZ[l]`` itself is
wrong: the output layer's ``A - Y`` at the top, below it ``dA`` (when returned and wrong:
``dA_prev`` of the layer above) or ``g'``/the dropout mask of layer ``l``. The layers
below a wrong ``dZ`` inherit the error, so the walk stops there. Named alternatives
(a transpose, a missing ``1/m``, a missing L2 term, a flipped sign, another activation's
``g'``, a missing mask) are tested and named when one explains the numbers exactly.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from numeric.custom import name_of

from ._gradcheck._tolerances import relative_error
from . import _definitions
from ._network_fd import MODELED_HIDDEN, _data_cost_change, _dg

__all__ = ["Finding", "localize", "AGREE"]

# Two float64 computations of one formula agree to ~1e-13; the reference dZ carries the
# truncation of central differences (h^2 |f'''| / 6 ~ 1e-10 at h = 1e-5 relative): 1e-6
# separates those from a planted mistake (a factor, a transpose: relative error >= 1e-2).
AGREE = 1e-6
_H = 1e-5


class Finding:
    """One localized mistake: ``layer``, ``quantity`` (``"dZ"``, ``"dW"``, ``"db"`` or
    ``"dA_prev"``), the ``parameters`` whose gradients it spoils, and a ``message``."""

    __slots__ = ("layer", "quantity", "parameters", "message")

    def __init__(self, layer, quantity, parameters, message):
        self.layer, self.quantity = layer, quantity
        self.parameters, self.message = frozenset(parameters), message

    def __repr__(self):
        return f"Finding(layer={self.layer}, quantity={self.quantity!r}, {self.message!r})"


class _Layer(NamedTuple):
    dW: np.ndarray
    db: np.ndarray


def _close(a, b) -> bool:
    if a is None or b is None or np.shape(a) != np.shape(b):
        return False
    return bool(np.all(np.isfinite(a))) and relative_error(a, b) <= AGREE


def output_dz(model) -> np.ndarray:
    """The notes' ``dZ[L]`` (n_L, m), ``m dJ/dZ[L]``: each column's loss differenced alone."""
    ZL = model.Z[model.L]
    n, m = ZL.shape
    cols = lambda a: None if a is None else a.T[:, :, None]  # (m, n, 1): one column each
    Z, P, Y = cols(ZL), cols(model.P_L), cols(model.Y)
    dZ = np.empty((n, m))
    h = _H * np.maximum(1.0, np.abs(ZL))
    for j in range(n):
        d = np.zeros((m, n, 1))
        d[:, j, 0] = h[j]
        plus = _data_cost_change(model.output, Z, P, d, Y, 1, model.loss)
        minus = _data_cost_change(model.output, Z, P, -d, Y, 1, model.loss)
        dZ[j] = (plus - minus) / (2 * h[j])  # per column: the notes' dZ = m dJ/dZ
    return dZ


def activation_slope(hidden, Z) -> np.ndarray:
    """``g'(Z)`` by differences of ``g`` alone (exact on ReLU's linear pieces)."""
    h = _H * np.maximum(1.0, np.abs(Z))
    if not _definitions.analytic(hidden):
        # One-sided from the left, on the piece that holds Z (relu'(0) = 0 by convention):
        # the step stays short of the nearest kink below Z, wherever the catalog puts it.
        kinks = np.array(sorted(_definitions.kinks(hidden)), dtype=np.float64)
        below = np.searchsorted(kinks, Z, side="left")
        gap = np.where(below > 0, Z - kinks[np.maximum(below - 1, 0)], np.inf)
        h = np.where(np.isfinite(gap), np.minimum(h, gap / 2), h)
        return -_dg(hidden, Z, -h) / h
    return (_dg(hidden, Z, h) - _dg(hidden, Z, -h)) / (2 * h)


def localize(model, grads) -> list:
    """Findings for a backward pass whose gradients ``grads`` disagree with the model.

    Parameters
    ----------
    model : verify._network_fd.CostModel, the network at the checked point
    grads : dict, the backward pass's ``dW{l}``, ``db{l}`` (and optional ``dA{l}``),
        float64, None where missing

    Returns
    -------
    list of Finding, top layer first; empty when every layer agrees
    """
    m, lambd = model.m, model.lambd
    findings = []
    dZ, dA_raw = output_dz(model), None  # dA_raw: W[l+1]^T dZ[l+1], before the mask
    for l in range(model.L, 0, -1):
        W, A_prev = model.W(l), model.A[l - 1]
        expected = _Layer(dZ @ A_prev.T / m + lambd / m * W, dZ.sum(axis=1, keepdims=True) / m)
        got = _Layer(grads.get(f"dW{l}"), grads.get(f"db{l}"))
        bad_W, bad_b = not _close(got.dW, expected.dW), not _close(got.db, expected.db)
        if bad_W and bad_b:
            findings.append(_wrong_dz(model, l, dZ, got, grads, dA_raw))
            return findings
        if bad_W:
            findings.append(Finding(l, "dW", {f"W{l}"}, _wrong_dw(model, l, dZ, got.dW)))
        if bad_b:
            findings.append(Finding(l, "db", {f"b{l}"}, _wrong_db(l, dZ, got.db, m)))
        if l == 1:
            break
        dA_raw = W.T @ dZ
        dA = dA_raw * model.scale[l - 1] if l - 1 in model.scale else dA_raw
        user_dA = grads.get(f"dA{l - 1}")
        if user_dA is not None and not (_close(user_dA, dA) or _close(user_dA, dA_raw)):
            findings.append(Finding(l, "dA_prev", {f"W{k}" for k in range(1, l)} | {f"b{k}" for k in range(1, l)},
                                    f"layer {l}: dA{l - 1} = W{l}^T dZ{l} (dA_prev of layer {l}) is "
                                    f"wrong; dW{l} and db{l} are right; layers 1..{l - 1} inherit it"))
            return findings
        dZ = dA * activation_slope(model.hidden, model.Z[l - 1])
    return findings


def _below(l):
    return {f"W{k}" for k in range(1, l + 1)} | {f"b{k}" for k in range(1, l + 1)}


def _wrong_dz(model, l, dZ, got, grads, dA_raw):
    """Both dW[l] and db[l] disagree: dZ[l] itself is wrong; which part of it?"""
    m = model.m
    explains = lambda alt: _close(got.db, alt.sum(axis=1, keepdims=True) / m)
    below = f"; layers below {l} inherit it" if l > 1 else ""
    if l == model.L:
        why = " (its sign is flipped: Y - A)" if explains(-dZ) else ""
        return Finding(l, "dZ", _below(l), f"layer {l} (output): dZ{l} = A{l} - Y is wrong{why}; "
                                           f"dW{l} and db{l} follow from it{below}")
    slope = activation_slope(model.hidden, model.Z[l])
    why = ""
    if l in model.scale and explains(dA_raw * slope):
        why = f": the dropout mask D{l} / keep_prob is not applied to dA{l}"
    else:
        for other in MODELED_HIDDEN:
            if other != model.hidden and explains(
                    (dA_raw * model.scale[l] if l in model.scale else dA_raw)
                    * activation_slope(other, model.Z[l])):
                why = f": g' of {other} is used for {name_of(model.hidden)}"
                break
        else:
            dA = grads.get(f"dA{l}")
            why = (f": dA{l} is right, so g'(Z{l}) (or the mask) of layer {l} is wrong"
                   if dA is not None else
                   f": dA{l} = W{l + 1}^T dZ{l + 1} or g'(Z{l}) of layer {l} (the "
                   f"{name_of(model.hidden)} "
                   "derivative, or evaluated at another layer's Z)")
    return Finding(l, "dZ", _below(l), f"layer {l}: dZ{l} = dA{l} * g'(Z{l}) is wrong{why}{below}")


def _wrong_dw(model, l, dZ, dW):
    m, lambd, W = model.m, model.lambd, model.W(l)
    data = dZ @ model.A[l - 1].T / m
    plain = f"layer {l}: dW{l} is wrong while db{l} is right (so dZ{l} is right)"
    if dW is None:
        return f"layer {l}: the backward pass returns no dW{l}"
    if np.shape(dW) != W.shape:
        return f"{plain}: shape {np.shape(dW)}, expected {W.shape}"
    for alt, why in ((data.T + lambd / m * W.T, "it is transposed"),
                     ((data + lambd / m * W).T, "it is transposed"),
                     (data * m + lambd / m * W, "the 1/m is missing"),
                     ((data + lambd / m * W) * m, "the 1/m is missing"),
                     (data, "the L2 term (lambd/m) W is missing"),
                     (-(data + lambd / m * W), "its sign is flipped")):
        if lambd == 0 and "L2" in why:
            continue
        if _close(dW, alt):
            return f"{plain}: {why}"
    return f"{plain}{_factor(dW, data + lambd / m * W)}: the dW formula of layer {l} ((1/m) dZ{l} A{l - 1}^T + (lambd/m) W{l})"


def _wrong_db(l, dZ, db, m):
    plain = f"layer {l}: db{l} is wrong while dW{l} is right (so dZ{l} is right)"
    if db is None:
        return f"layer {l}: the backward pass returns no db{l}"
    if np.shape(db) != (dZ.shape[0], 1):
        return f"{plain}: shape {np.shape(db)}, expected {(dZ.shape[0], 1)} (not summed over the examples?)"
    if _close(db, dZ.sum(axis=1, keepdims=True)):
        return f"{plain}: the 1/m is missing"
    return f"{plain}{_factor(db, dZ.sum(axis=1, keepdims=True) / m)}: the db formula of layer {l} ((1/m) sum of dZ{l} over the examples)"


def _factor(got, expected):
    """``" (c times the right value)"`` when ``got`` is a multiple of ``expected`` (of
    more than one element: any one number is a multiple of another)."""
    if np.size(expected) < 2:
        return ""
    norm2 = float(np.sum(expected * expected))
    c = float(np.sum(got * expected)) / norm2 if norm2 > 0 else 0.0
    return f" ({c:.6g} times the right value)" if c and _close(got, c * expected) else ""
