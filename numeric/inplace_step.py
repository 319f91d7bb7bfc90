"""The training loop's fast path: one step (forward, cost, backward, optimizer update)
that writes into preallocated buffers instead of allocating fresh arrays.

It runs the same layer loop as :mod:`numeric.propagation` (:mod:`numeric.engine`), with
the generated formulas' in-place variants (``*_into`` / ``*_inplace`` of
:mod:`numeric._generated`) writing into the step's buffers (:class:`Buffers`), and draws
the dropout masks from the generator exactly as the pure forward pass does, so both
paths train the same network. Parameters, gradients and optimizer moments live
in flat arrays (:class:`numeric.flat.FlatArrays`); ``Network.params`` and the optimizer
state's dicts are views into them.
"""

from __future__ import annotations

import math

import numpy as np

from . import _generated as gen
from .activations import activation_into
from . import engine
from .engine import tables as engine_tables
from .flat import FlatArrays
from .outputs import output_layer
from .propagation import n_layers
from .replay import Replay, recorder, recording
from .workspace import Workspace

__all__ = ["InplaceStepper", "Buffers"]

_dot = np.dot  # a block's sum of squares, for the finite check: BLAS's dot takes about
# half the time of np.add.reduce over a block of 65,536 (0.42x float32, 0.70x float64)

# The optimizer update runs over blocks of this many parameters: its ~14 passes (one
# NumPy call each) then re-read a block that is still in cache, not 235k parameters from
# memory; fewer would make the calls' overhead show. Measured on the 784-256-128-10
# network's 235,146 parameters (Adam, with the backup copy): 4,096 -> 606 us, 16,384 ->
# 314 us, 65,536 -> 254 us, one block 270 us (float32); float64 602 us and 656 us.
# Re-measured with Adam's 12-pass, one-scratch-array rule (its six arrays of a block of
# 32,768 float32 fit a 1 MiB L2): 32,768 to one block within 10% of 65,536 either way,
# on a machine shared with other jobs (load 5-8): no size measurably better.
BLOCK = 65_536


class InplaceStepper:
    """Trains ``net`` in place with ``optimizer``, starting from optimizer ``state``.

    ``params``: dict of views (hand it to ``net.params``); ``state``: the optimizer's
    NamedTuple, its arrays views into the flat moments; ``step(Xb, Yb, rng)`` returns
    the cost of the batch *before* the update (as the pure loop does).
    """

    def __init__(self, net, optimizer, state, lambd: float, keep_prob: float):
        self.hidden, self.output = net.hidden, net.output
        self.L = n_layers(net.params)
        self.lambd, self.keep_prob = lambd, keep_prob
        self.P = FlatArrays.like(net.params)
        self.G = FlatArrays({"d" + k: v.shape for k, v in net.params.items()}, net.dtype)
        self.backup = self.P.flat.copy()
        self.rule, fields, self.hyper = optimizer.inplace_rule()
        self.fields = fields
        self.moments = {f: FlatArrays.like(getattr(state, f)) for f in fields}
        self._moment_flats = tuple(self.moments[f].flat for f in fields)  # the rule's arguments
        self.t = state.t
        self._state_type = type(state)
        self.g, self.g_prime, self.g_prime_from_a = activation_into(net.hidden)
        self.out = output_layer(net.output, getattr(net, "loss", None))
        self.work = Workspace()
        self.dtype = np.dtype(net.dtype)
        self._layouts: dict[int, dict] = {}
        # (W, b, dW, db) views per layer: fixed, since the flat arrays never move.
        self._params_by_layer = [(self.P.views[f"W{l}"], self.P.views[f"b{l}"],
                                  self.G.views[f"dW{l}"], self.G.views[f"db{l}"])
                                 for l in range(1, self.L + 1)]
        self._Ws = [p[0] for p in self._params_by_layer]
        self._bs = [p[1] for p in self._params_by_layer]
        # (params, grads, backup, *moments) of each block of the update, as views.
        n = self.P.flat.size
        whole = (self.P.flat, self.G.flat, self.backup, *self._moment_flats)
        self._blocks = [tuple(a[i:i + BLOCK] for a in whole) for i in range(0, n, BLOCK)]
        self._sums = [0.0] * len(self._blocks)
        self._ops = Buffers(self)
        # The last step's (Xb, Yb, rng), and the record of a step on them (numeric.replay).
        self._last = None
        self._replay = None

    # -- views for the outside ------------------------------------------------------------
    @property
    def params(self) -> dict[str, np.ndarray]:
        return self.P.views

    @property
    def state(self):
        return self._state_type(t=self.t, **{f: self.moments[f].views for f in self.fields})

    def restore_backup(self) -> None:
        """Parameters back to those before the last update (the last with a finite cost)."""
        np.copyto(self.P.flat, self.backup)

    def params_finite(self) -> bool:
        """True when every parameter is finite (after an update: from the sums of squares
        it took of each block while the block was in cache)."""
        # A sum of squares is finite exactly when every term is, unless it overflows
        # (entries beyond ~1e19 in float32, ~1e154 in float64): then the entries
        # themselves decide. fit calls update inside np.errstate(over="ignore",
        # invalid="ignore"): an overflow there is the answer, not news.
        return math.isfinite(sum(self._sums)) or bool(np.isfinite(self.P.flat).all())

    # -- the step --------------------------------------------------------------------------
    def _buf(self, name, shape):
        return self.work.get(name, shape, self.dtype)

    def _layout(self, m: int):
        """The step's buffers for a batch of ``m`` examples, built once per batch size:
        lists indexed by layer, so that a step formats no names and looks up nothing."""
        lay = self._layouts.get(m)
        if lay is None:
            dims = [self.P.views["W1"].shape[1]] + [self.P.views[f"W{l}"].shape[0]
                                                    for l in range(1, self.L + 1)]
            names = ("Z", "A", "D", "Ad", "dZ", "dA", "dAd", "gp")
            lay = {n: [None] + [self._buf(f"{n}{l}", (dims[l], m)) for l in range(1, self.L + 1)]
                   for n in names}
            lay["r"] = [None] + [self.work.get(f"r{l}", (dims[l], m), np.float64)
                                 for l in range(1, self.L + 1)]
            lay["reg"] = [None] + [self._buf(f"reg{l}", self.P.views[f"W{l}"].shape)
                                   for l in range(1, self.L + 1)]
            self._layouts[m] = lay
        return lay

    def forward(self, Xb, rng, record=None):
        """Fill the cache buffers (the engine's layer loop, into them); returns
        ``(Zs, As)``, lists indexed by layer. ``record``: a list that receives the calls
        made (:mod:`numeric.replay`)."""
        ops = self._ops
        ops.use(self._layout(Xb.shape[1]))
        if record is not None:
            ops = recording(ops, record)
        Zs, self._Gs, self._Ds, As = engine.forward_layers(ops, self._Ws, self._bs, Xb,
                                                    self.keep_prob, rng)
        return Zs, As

    def cost(self, Zs, As, Yb) -> float:
        m = Yb.shape[1]
        J = self.out.cost(Zs[-1], As[-1], Yb, m)
        if self.lambd:
            for W, _, _, _ in self._params_by_layer:
                J = J + gen.l2_cost(W=W, lambd=self.lambd, m=m)
        return float(J)

    def backward(self, Zs, As, Yb, record=None) -> None:
        """Gradients into the flat gradient array (the engine's layer loop, into it).
        ``record``: a list that receives the calls made (:mod:`numeric.replay`)."""
        ops = self._ops
        lay = self._layout(Yb.shape[1])
        ops.use(lay)
        dz_into = self.out.dz_into
        if record is not None:
            ops, dz_into = recording(ops, record), recorder(dz_into, record)
        dZ = dz_into(As[-1], Yb, lay["dZ"][self.L], self.work)
        engine.backward_layers(ops, self._Ws, Zs, self._Gs, self._Ds, As, dZ, self.lambd,
                        self.keep_prob)

    def update(self) -> None:
        """One optimizer step over the flat arrays, block by block (:data:`BLOCK`): each
        block's parameters copied to the backup, updated, and their squares summed (for
        :meth:`params_finite`) while in cache."""
        self.t += 1
        t, work, rule, hyper, sums = self.t, self.work, self.rule, self.hyper, self._sums
        for k, (W, dW, backup, *moments) in enumerate(self._blocks):
            np.copyto(backup, W)
            rule(W, dW, *moments, t=t, work=work, **hyper)
            sums[k] = _dot(W, W)

    def step(self, Xb, Yb, rng) -> float:
        """Forward, cost, backward and update on one batch; the cost is that before the update.

        A non-finite cost stops before the update (and returns it): the caller decides.
        The first step, and a step on the same ``Xb``, ``Yb`` and ``rng`` as the one
        before, record their passes' NumPy calls; later steps on those arrays (full-batch
        training) replay the record (:mod:`numeric.replay`): the same calls, without the
        layer loop's Python. (Mini-batches are new arrays each step: one record, unused.)
        """
        replay = self._replay
        if replay is not None and replay.holds_for(Xb, Yb, rng):
            for f, a in replay.forward:
                f(*a)
            cost = self.cost(replay.Zs, replay.As, Yb)
            if not math.isfinite(cost):
                return cost
            for f, a in replay.backward:
                f(*a)
            self.update()
            return cost
        last, self._last = self._last, (Xb, Yb, rng)
        record = last is None or (last[0] is Xb and last[1] is Yb and last[2] is rng)
        forward, backward = ([], []) if record else (None, None)
        Zs, As = self.forward(Xb, rng, forward)
        cost = self.cost(Zs, As, Yb)
        if not math.isfinite(cost):
            return cost
        self.backward(Zs, As, Yb, backward)
        if record:
            self._replay = Replay(Xb, Yb, rng, forward, backward, Zs, As)
        self.update()
        return cost


class Buffers:
    """The engine's ops for the fast path: each formula's ``*_into`` variant bound to its
    layer's buffers of the batch's layout (one table per formula, built once per batch
    size) and to the workspace; gradients land in the flat gradient array's views."""

    def __init__(self, stepper):
        s = stepper
        self.work = s.work
        self.from_a = s.g_prime_from_a
        self._grads = [None] + [(p[2], p[3]) for p in s._params_by_layer]
        self._L = s.L
        self._lay = None
        self.store = None  # the gradients are written in place: nothing to collect
        # The formulas: the generated in-place variants, called with each layer's
        # buffer and the workspace as trailing arguments (the tables set by use()).
        self.linear, self.g = gen.linear_forward_into, s.g
        self.dropout, self.activate_out = gen.dropout_forward_into, s.out.activate_into
        self.dw, self.db = gen.layer_dw_into, gen.layer_db_into
        self.da_prev, self.dropout_back = gen.layer_da_prev_into, gen.dropout_backward_into
        # g' of a layer from its cached activation (from_a) or from Z: the same generated
        # function either way; the engine picks the source
        self.g_prime_a = self.g_prime_z = s.g_prime
        self.dz = gen.layer_dz_into

    def use(self, lay) -> None:
        """Point every table at the buffers of layout ``lay`` (built once per layout)."""
        if lay is self._lay:
            return
        tables = lay.get("ops")
        if tables is None:
            tables = lay["ops"] = self._tables(lay)
        self.__dict__.update(tables)
        self.fwd, self.bwd = engine_tables(self)
        self._lay = lay

    def _tables(self, lay) -> dict:
        work, L, grads = self.work, self._L, self._grads
        layers = range(1, L + 1)

        def slots(name):
            # each layer's trailing arguments: its buffer and the workspace
            return [None] + [(lay[name][l], work) for l in layers]

        def mask(l):
            r, D = lay["r"][l], lay["D"][l]

            def draw(G, keep_prob, rng):
                # The same draws as the pure pass: rng.random(shape) < keep_prob.
                rng.random(out=r)
                return np.less(r, keep_prob, out=D)
            return draw

        def add_l2(l):
            reg = lay["reg"][l]

            def add(dW, W, lambd, m):
                return np.add(dW, gen.l2_gradient_into(W, lambd, m, reg, work), out=dW)
            return add

        return {
            "Z": slots("Z"), "A": slots("A"), "Ad": slots("Ad"), "out": (lay["A"][L], work),
            "dA_out": slots("dA"), "dAd": slots("dAd"), "gp": slots("gp"),
            "dZ_out": slots("dZ"),
            "dW_out": [None] + [(grads[l][0], work) for l in layers],
            "db_out": [None] + [(grads[l][1], work) for l in layers],
            "mask": [None] + [mask(l) for l in layers],
            "add_l2": [None] + [add_l2(l) for l in layers],
        }
