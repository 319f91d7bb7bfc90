"""Batched finite differences of a network's cost: every weight, few vectorized passes.

The forward pass here is NumPy written for this module (it does not call
``numeric/_generated.py``): checking the network's backward against differences of a
forward pass that shares its formulas would let a wrong generated forward formula agree
with itself. :func:`verify.network_check.check_network` separately compares this cost
with ``Network.cost`` at the unperturbed point, so both define the same function.

Why it is fast: moving one weight ``W[l][j, k]`` by ``h`` moves only row ``j`` of
``Z[l]``, by ``h A[l-1][k, :]`` (and ``b[l][j]`` moves it by ``h``). So for layer ``l``
the perturbed rows of all ``2 n_l n_{l-1}`` perturbations are formed at once, pushed
through the activation as rows, turned into a change of ``Z[l+1]`` by a rank-one product
``W[l+1][:, j] (a_row - A[l][j])``, and the remaining layers run batched over the
perturbations (``matmul`` on a stack), in chunks that bound the memory. A perturbation
costs the layers *above* ``l``, not the whole network, and Python loops only over chunks.

Why it is accurate: what is propagated is the *change* ``dZ``, ``dA`` caused by the
perturbation, with cancellation-free differences (``tanh(a) - tanh(b) = tanh(a - b)
(1 - tanh(a) tanh(b))``, ``softplus(z + d) - softplus(z) = log1p(sigmoid(z) expm1(d))``,
``lse(z + d) - lse(z) = log1p(sum p expm1(d))``, and linear layers are linear in ``dZ``).
So ``J(theta + h e) - J(theta)`` carries a rounding error relative to itself, not to
``|J|``: the usual ``eps |J| / h`` rounding term of finite differences is gone, and tiny
gradients (x0.01 init, deep ReLU nets) are checked as accurately as large ones.
The perturbation is applied exactly (``dZ = h A[k]``), not as ``fl(W + h) - W``.

Everything is complex-safe (complex step: ``Im dJ(ih) / h``); ReLU branches are chosen on
real parts. Kinks (where the catalog puts them: ReLU at 0, and any entry's elsewhere; a
loss's, Huber at a - y = +-delta): a perturbation that moves a hidden unit (or a - y of
the output) across a kink is flagged; the caller retries those elements with
smaller steps and, where the flip persists (the point sits on a kink), accepts the
analytic value only between the one-sided differences. A user's activation
(``derive.custom_activation``) states its kinks (``obj.kinks``, e.g. -1 and 1 of a hard
tanh): a flip across any of them is flagged the same way.
"""

from __future__ import annotations

import numpy as np

from . import _definitions

__all__ = ["CostModel", "MAX_CHUNK_ELEMENTS", "MODELED_HIDDEN", "MODELED_OUTPUT"]

# Upper bound on the elements of one batched (P, n, m) array: 2**22 float64 is 32 MiB
# (64 MiB complex), small enough for CI and large enough that Python overhead vanishes.
MAX_CHUNK_ELEMENTS = 2**22

_LEAKY_SLOPE = _definitions.hyper_defaults("leaky_relu")["alpha"]  # the catalog's default
# Kinks of an activation (one that is not analytic) are read from the catalog
# (derive.catalog.kinks) when a model is built, so a kink away from z = 0 is detected
# where it is; a loss's from its definition (verify._definitions.loss_kink_offsets).


def _sides(values, points):
    """Which interval between the sorted ``points`` each entry of ``values`` lies in
    (its real part): the number of points strictly below it. With the one point 0 this
    is ``values > 0``; two entries on the same side have the same number."""
    return np.searchsorted(points, np.real(values), side="left")
# What this model (and verify.jax_reference) is written for: every catalog activation
# (from its definition), _data_cost's outputs with the loss each implies. check_network
# uses it where a network names one of these.
MODELED_HIDDEN = _definitions.HIDDEN
MODELED_OUTPUT = {"sigmoid": "bce", "softmax": "cross_entropy", "linear": "mse"}


def _g(name, Z):
    if name == "sigmoid":
        # Equal to 1 / (1 + e^-z), never overflows, and analytic (complex-safe).
        return 0.5 * (1.0 + np.tanh(0.5 * Z))
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.where(Z.real > 0, Z, 0.0)
    if name == "leaky_relu":
        return np.where(Z.real > 0, Z, _LEAKY_SLOPE * Z)
    # any other catalog entry: its definition, as NumPy (complex-safe where analytic)
    return _definitions.numpy_g(name)(Z)


def _dg(name, Z, dZ):
    """``g(Z + dZ) - g(Z)`` without cancellation; shapes broadcast, dZ real or complex."""
    if name == "tanh":
        return np.tanh(dZ) * (1.0 - np.tanh(Z) * np.tanh(Z + dZ))
    if name == "sigmoid":
        # sigmoid(z) = (1 + tanh(z/2)) / 2, and the tanh identity above at z/2.
        return 0.5 * np.tanh(0.5 * dZ) * (1.0 - np.tanh(0.5 * Z) * np.tanh(0.5 * (Z + dZ)))
    if name not in ("relu", "leaky_relu"):
        # other catalog entries: the plain difference of the definition, in extended
        # precision where real (its rounding, eps |g| / h relative to the gradient, stays
        # far below the 1e-7 of the checks, also for the tiny steps taken at a kink)
        if np.iscomplexobj(Z) or np.iscomplexobj(dZ):
            return _g(name, Z + dZ) - _g(name, Z)
        Zw, dZw = np.asarray(Z, dtype=np.longdouble), np.asarray(dZ, dtype=np.longdouble)
        return (_g(name, Zw + dZw) - _g(name, Zw)).astype(np.float64)
    slope = 0.0 if name == "relu" else _LEAKY_SLOPE
    before, after = Z > 0, (Z + dZ).real > 0
    # On one branch the change is linear in dZ, exactly; across the kink take it whole.
    same = np.where(before, dZ, slope * dZ)
    return np.where(before == after, same, _g(name, Z + dZ) - _g(name, Z))


def _other_loss(output, loss):
    """True when ``loss`` is a catalog loss other than the output's default: its cost is
    then evaluated from its catalog definition (linear outputs: A = Z)."""
    if loss is None or loss == _definitions.default_loss(output):
        return False
    if _definitions.loss_output(loss) != output or output != "linear":
        raise ValueError(f"the finite-difference model evaluates loss {loss!r} on a linear "
                         f"output only, got output {output!r}")
    return True


def _data_cost(output, ZL, Y, m, loss=None):
    """Data term of the cost for logits ``ZL`` (..., n_L, m) -> (...); real or complex.
    ``loss``: the output's loss (None: its default)."""
    if _other_loss(output, loss):
        return np.sum(_definitions.numpy_loss(loss)(ZL, Y), axis=(-2, -1)) / m
    if output == "sigmoid":
        positive = ZL.real > 0  # branch on Re z so that no exp overflows, complex-safe
        softplus = np.where(positive, ZL, 0.0) + np.log1p(np.exp(np.where(positive, -ZL, ZL)))
        return np.sum(softplus - Y * ZL, axis=(-2, -1)) / m
    if output == "softmax":
        shift = np.max(ZL.real, axis=-2, keepdims=True)  # a constant: exact for any shift
        lse = shift + np.log(np.sum(np.exp(ZL - shift), axis=-2, keepdims=True))
        return -np.sum(Y * (ZL - lse), axis=(-2, -1)) / m
    if output == "linear":
        return 0.5 * np.sum((ZL - Y) ** 2, axis=(-2, -1)) / m
    raise ValueError(f"unknown output {output!r}")


def _data_cost_change(output, ZL, P_L, dZL, Y, m, loss=None):
    """``J(ZL + dZL) - J(ZL)`` of the data term without cancellation.

    Parameters
    ----------
    ZL : ndarray, shape (n_L, m), the unperturbed logits
    P_L : ndarray, shape (n_L, m): sigmoid(ZL) or softmax(ZL); unused for linear
    dZL : ndarray, shape (P, n_L, m), real or complex
    Y : ndarray, shape (n_L, m)

    Returns
    -------
    ndarray, shape (P,)
    """
    if _other_loss(output, loss):
        if np.iscomplexobj(dZL):  # (a catalog loss with kinks is never complex-stepped)
            return (_data_cost(output, ZL + dZL, Y, m, loss)
                    - _data_cost(output, np.broadcast_to(ZL, dZL.shape), Y, m, loss))
        # the integral of L' over each change: rounding relative to the change itself
        change = _definitions.loss_change(loss)(ZL, dZL, Y)
        return np.sum(change, axis=(-2, -1)) / m
    if output == "sigmoid":
        # softplus(z + d) - softplus(z) = log((1 + e^(z+d)) / (1 + e^z)) = log1p(s expm1(d))
        return np.sum(np.log1p(P_L * np.expm1(dZL)) - Y * dZL, axis=(-2, -1)) / m
    if output == "softmax":
        # lse(z + d) - lse(z) = log(sum_k p_k e^(d_k)) = log1p(sum_k p_k expm1(d_k))
        dlse = np.log1p(np.sum(P_L * np.expm1(dZL), axis=-2, keepdims=True))
        return np.sum(Y * (dlse - dZL), axis=(-2, -1)) / m
    if output == "linear":
        return np.sum(dZL * (ZL - Y) + 0.5 * dZL**2, axis=(-2, -1)) / m
    raise ValueError(f"unknown output {output!r}")


class CostModel:
    """The cost ``J(params)`` at fixed data, labels and dropout masks.

    Parameters
    ----------
    params : dict, ``W{l}`` (n_l, n_{l-1}) and ``b{l}`` (n_l, 1); used in float64
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_L, m)
    hidden, output : activation names as in ``numeric.Network``
    lambd : float, L2 strength
    masks : dict ``{l: D}``, D of shape (n_l, m), 0/1, or None
    keep_prob : float in (0, 1]
    """

    def __init__(self, params, X, Y, hidden, output, lambd=0.0, masks=None, keep_prob=1.0,
                 loss=None):
        self.params = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
        self.X = np.asarray(X, dtype=np.float64)
        self.Y = np.asarray(Y, dtype=np.float64)
        self.hidden, self.output, self.loss = hidden, output, loss
        self.lambd, self.keep_prob = float(lambd), float(keep_prob)
        self.L = sum(1 for k in self.params if k.startswith("W"))
        self.m = self.X.shape[1]
        # scale[l]: the mask over keep_prob of hidden layer l (n_l, m); 1 without dropout.
        self.scale = {l: np.asarray(masks[l], dtype=np.float64) / self.keep_prob
                      for l in (masks or {})}
        # from the catalog (not the import-time list), so an entry added at run time counts
        self.kinked = not _definitions.analytic(hidden)
        # where g has kinks (the catalog's), and where the loss has them, as offsets from
        # the label (Huber: a - y = +-delta): a step that crosses one is flagged
        self.kinks = np.array(sorted(_definitions.kinks(hidden)) if self.kinked else [],
                              dtype=np.float64)
        self.loss_kinks = np.array(sorted(_definitions.loss_kink_offsets(loss))
                                   if _other_loss(output, loss) else [], dtype=np.float64)
        self.Z, self.A = {}, {0: self.X}
        for l in range(1, self.L + 1):
            self.Z[l] = self.W(l) @ self.A[l - 1] + self.params[f"b{l}"]
            if l < self.L:
                self.A[l] = self._post(l, self.Z[l])
        ZL = self.Z[self.L]
        if output == "sigmoid":
            self.P_L = _g("sigmoid", ZL)
        elif output == "softmax":
            e = np.exp(ZL - ZL.max(axis=0, keepdims=True))
            self.P_L = e / e.sum(axis=0, keepdims=True)
        else:
            self.P_L = None
        self.l2 = self._l2(self.params)
        self.J0 = float(_data_cost(output, self.Z[self.L], self.Y, self.m, loss)) + self.l2

    def W(self, l):
        return self.params[f"W{l}"]

    def _post(self, l, Z):
        """Activation and dropout scaling of hidden layer ``l``; any leading batch axes."""
        A = _g(self.hidden, Z)
        return A * self.scale[l] if l in self.scale else A

    def _l2(self, params):
        if not self.lambd:
            return 0.0
        return self.lambd / (2 * self.m) * sum(np.sum(params[f"W{l}"] ** 2)
                                               for l in range(1, self.L + 1))

    # -- one point ----------------------------------------------------------------
    def cost(self, params):
        """``J`` at any params (real or complex), shape (); a plain forward pass."""
        A = self.X
        for l in range(1, self.L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = self._post(l, Z) if l < self.L else Z
        return _data_cost(self.output, A, self.Y, self.m, self.loss) + self._l2(params)

    # -- rounding scale -------------------------------------------------------------
    def magnitudes(self):
        """Backprop of absolute values: per parameter, the sum of ``|terms|`` of its gradient.

        Any float64 evaluation of a gradient element (ours, JAX's, the complex step's)
        carries a rounding error of about ``eps`` times this sum, not times the element:
        where the terms cancel (``db`` of a unit whose ``dZ`` sums to ~0 over the
        examples) a relative error far above ``eps`` is no bug. Returns
        ``{name: ndarray, shape of the parameter}``.
        """
        out = {}
        A_L = self.P_L if self.P_L is not None else self.Z[self.L]
        dZ = np.abs(A_L) + np.abs(self.Y)
        for l in range(self.L, 0, -1):
            W = self.W(l)
            out[f"W{l}"] = dZ @ np.abs(self.A[l - 1]).T / self.m + self.lambd / self.m * np.abs(W)
            out[f"b{l}"] = np.sum(dZ, axis=1, keepdims=True) / self.m
            if l > 1:
                dA = np.abs(W).T @ dZ
                if l - 1 in self.scale:
                    dA = dA * self.scale[l - 1]
                dZ = dA * self._g_prime_terms(self.Z[l - 1])
        return out

    def _g_prime_terms(self, Z):
        """Sum of ``|terms|`` of ``g'(Z)`` as any implementation computes it, from ``A``.

        ``tanh' = 1 - A^2`` and ``sigmoid' = s - s^2`` are differences: where the unit
        saturates (``|A| -> 1``, ``s -> 1``) the value is tiny but its rounding error is
        ``eps`` times the terms (``1 + A^2``, ``s + s^2``), not ``eps`` times the value.
        Using ``|g'|`` here under-estimated the rounding of saturated units ~1e5-fold
        (a 1-1-1 tanh net at ``Z ~ 7`` differed from JAX by 1e-10 relative, all rounding).
        """
        if self.hidden == "sigmoid":
            s = _g("sigmoid", Z)
            return s * (1 + s)
        if self.hidden == "tanh":
            return 1 + np.tanh(Z) ** 2
        if self.hidden in ("relu", "leaky_relu"):
            return np.where(Z > 0, 1.0, 0.0 if self.hidden == "relu" else _LEAKY_SLOPE)
        # other catalog entries: |g'| from SymPy's diff of the definition, with a
        # rounding floor of eps times |g| for the terms an implementation subtracts
        return np.abs(self._g_prime(Z)) + np.abs(_g(self.hidden, Z))

    def _g_prime(self, Z):
        """g'(Z), signed (for the tangents): the catalog definition's derivative."""
        if self.hidden in ("relu", "leaky_relu"):
            return np.where(Z > 0, 1.0, 0.0 if self.hidden == "relu" else _LEAKY_SLOPE)
        return _definitions.numpy_g_prime(self.hidden)(Z)

    # -- many points ---------------------------------------------------------------
    def _crossed(self, Z, dZ, points, axis):
        """True per perturbation where some entry of ``Z + dZ`` lies on another side of
        a kink in ``points`` than ``Z``."""
        if not len(points):
            return np.zeros(dZ.shape[0], dtype=bool)
        return np.any(_sides(Z + dZ, points) != _sides(Z, points), axis=axis)

    def _loss_crossed(self, dZL):
        """A change ``dZL`` (P, n_L, m) of the linear output moves some a - y across a kink
        of the loss."""
        return self._crossed(self.Z[self.L] - self.Y, dZL, self.loss_kinks, (1, 2))

    def _tail(self, l, dZ, crossed):
        """Data-cost changes for a stack of changes ``dZ`` (P, n_l, m) of ``Z[l]`` -> (P,)."""
        while l < self.L:
            if self.kinked:
                crossed |= self._crossed(self.Z[l], dZ, self.kinks, (1, 2))
            dA = _dg(self.hidden, self.Z[l], dZ)
            if l in self.scale:
                dA = dA * self.scale[l]
            dZ = np.matmul(self.W(l + 1), dA)  # b[l+1] cancels in the change
            l += 1
        crossed |= self._loss_crossed(dZ)
        return _data_cost_change(self.output, self.Z[l], self.P_L, dZ, self.Y, self.m, self.loss)

    def row_changes(self, l, rows, dz):
        """Data-cost changes with row ``rows[p]`` of ``Z[l]`` moved by ``dz[p]``.

        Parameters
        ----------
        l : int, the layer, 1..L
        rows : ndarray of int, shape (P,)
        dz : ndarray, shape (P, m), real or complex

        Returns
        -------
        changes : ndarray, shape (P,), ``J_data(moved) - J_data``
        crossed : ndarray of bool, shape (P,), a hidden unit changed its ReLU branch
        """
        P = len(rows)
        crossed = np.zeros(P, dtype=bool)
        if l == self.L:
            dZ = np.zeros((P,) + self.Z[l].shape, dtype=dz.dtype)
            dZ[np.arange(P), rows] = dz
            crossed |= self._loss_crossed(dZ)
            return _data_cost_change(self.output, self.Z[l], self.P_L, dZ, self.Y, self.m, self.loss), crossed
        Z_rows = self.Z[l][rows]
        if self.kinked:
            crossed |= self._crossed(Z_rows, dz, self.kinks, 1)
        d_row = _dg(self.hidden, Z_rows, dz)
        if l in self.scale:
            d_row = d_row * self.scale[l][rows]
        dZ_next = self.W(l + 1)[:, rows].T[:, :, None] * d_row[:, None, :]
        return self._tail(l + 1, dZ_next, crossed), crossed

    def chunk(self, l):
        """Perturbations per batched call for layer ``l`` (memory bound)."""
        widest = max(self.Z[k].shape[0] for k in range(l, self.L + 1))
        return max(1, MAX_CHUNK_ELEMENTS // (widest * self.m))

    def kink_distance(self, l, dZ):
        """Largest ``t`` keeping every ReLU branch to first order, per direction.

        ``dZ`` (k, n_l, m) is the tangent of ``Z[l]`` along each direction; the tangent is
        carried up the layers (``dZ[l+1] = W[l+1] (g'(Z[l]) dZ[l])``) and ``|Z| / |dZ|`` is
        the step at which a unit would reach its kink. Returns shape (k,), ``inf`` for
        networks without kinks.
        """
        k = dZ.shape[0]
        if not self.kinked and not len(self.loss_kinks):
            return np.full(k, np.inf)
        t = np.full(k, np.inf)

        def reach(distance, dZ):
            # distance (n, m) to the nearest kink over |dZ| (k, n, m): the step to reach it
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = distance / np.abs(dZ)
            return np.nanmin(ratio.reshape(k, -1), axis=1)

        while l < self.L:
            if self.kinked:
                t = np.minimum(t, reach(self._distance(self.Z[l], self.kinks), dZ))
            dA = self._g_prime(self.Z[l]) * dZ
            if l in self.scale:
                dA = dA * self.scale[l]
            dZ = np.matmul(self.W(l + 1), dA)
            l += 1
        if len(self.loss_kinks):
            t = np.minimum(t, reach(self._distance(self.Z[self.L] - self.Y, self.loss_kinks), dZ))
        return t

    @staticmethod
    def _distance(Z, points):
        """Distance of each entry of ``Z`` to the nearest of ``points``."""
        return np.min(np.abs(Z[..., None] - points), axis=-1)

    def direction_tangent(self, l, name, V):
        """``d Z[l] / dt`` along directions ``V`` (k, *shape of name) -> (k, n_l, m)."""
        if name.startswith("W"):
            return np.matmul(V, self.A[l - 1])
        return np.broadcast_to(V, V.shape[:2] + (self.m,))

    def direction_changes(self, l, name, V, t):
        """``J(theta + t_i V_i) - J(theta)``, parameter ``name`` moved along each row of V.

        Parameters
        ----------
        l : int, the layer of ``name``
        name : str
        V : ndarray, shape (k, *shape of the parameter), real directions
        t : ndarray, shape (k,), real or imaginary steps

        Returns
        -------
        changes : ndarray, shape (k,)
        crossed : ndarray of bool, shape (k,)
        """
        k = V.shape[0]
        dZ = t[:, None, None] * self.direction_tangent(l, name, V)  # exact: Z is linear in W, b
        crossed = np.zeros(k, dtype=bool)
        with np.errstate(under="ignore"):
            if l == self.L:
                changes = _data_cost_change(self.output, self.Z[l], self.P_L, dZ, self.Y, self.m, self.loss)
            else:
                changes = self._tail(l, dZ, crossed)
        if name.startswith("W") and self.lambd:
            w = self.W(l)
            inner = np.sum(V * w, axis=(1, 2))
            norm2 = np.sum(V * V, axis=(1, 2))
            changes = changes + self.lambd / (2 * self.m) * (2 * t * inner + t * t * norm2)
        return changes, crossed

    def layer_changes(self, l, name, index, deltas):
        """``J - J0`` with element ``index[i]`` of parameter ``name`` moved by ``deltas[i, s]``.

        Parameters
        ----------
        l : int, the layer of ``name`` (``W{l}`` or ``b{l}``)
        name : str
        index : ndarray of int, shape (n,), C-order indices into the parameter
        deltas : ndarray, shape (n, k), real or imaginary steps

        Returns
        -------
        changes : ndarray, shape (n, k), float64 or complex128
        crossed : ndarray of bool, shape (n, k)
        """
        n, k = deltas.shape
        if name.startswith("W"):
            j, col = np.divmod(index, self.W(l).shape[1])
            source = self.A[l - 1][col]  # (n, m): dZ[l][j] = delta * A[l-1][k]
        else:
            j, source = index, np.ones((n, self.m))
        rows = np.repeat(j, k)
        flat_deltas = deltas.reshape(-1, 1)
        changes = np.empty(n * k, dtype=np.result_type(deltas.dtype, np.float64))
        crossed = np.empty(n * k, dtype=bool)
        step = self.chunk(l)
        with np.errstate(under="ignore"):  # tanh of a large real part underflows to +-1
            for lo in range(0, n * k, step):
                hi = min(n * k, lo + step)
                # Formed per chunk: all n k rows at once would take n k m elements.
                dz = flat_deltas[lo:hi] * source[np.arange(lo, hi) // k]
                changes[lo:hi], crossed[lo:hi] = self.row_changes(l, rows[lo:hi], dz)
        changes = changes.reshape(n, k)
        if name.startswith("W") and self.lambd:
            w = self.W(l).ravel()[index][:, None]
            # ((w + d)^2 - w^2) exactly as d (2w + d): the L2 change of the moved weight.
            changes = changes + self.lambd / (2 * self.m) * deltas * (2 * w + deltas)
        return changes, crossed.reshape(n, k)
