"""A training step recorded once as a flat list of NumPy calls, then replayed.

A small network's step is per-call overhead: a 2-4-1 step is ~50 NumPy calls on arrays
of at most 4 x 400 numbers, each ~0.3-1 us, and around them the layer loop's Python
(tables, tuple unpacking, a frame per generated function, its ``work.get`` look-ups).
When ``fit`` steps on the same arrays again (a full batch: ``X`` and ``Y`` themselves,
the same generator), the forward and backward passes do the same calls on the same
buffers every step. So the step records them once, while running
:func:`numeric.engine.forward_layers` and :func:`~numeric.engine.backward_layers` (the
one layer loop) with recording ops (:func:`recording`), and afterwards replays the
record: ``for f, a in calls: f(*a)``.

Each formula is recorded as the NumPy calls of its generated ``NAME_into`` where the
code generator wrote them (``NAME_into.numpy_calls``, :mod:`derive.codegen_calls`: the
same calls in the same order, so a replayed step gives the same bits as a run one),
else as one call of the formula itself (a user's activation, a dropout mask's draw,
which reads the generator the replay holds). The cost and the optimizer update are not
recorded: the cost is a number the step returns, and the update's scalars change with ``t``.
"""

from __future__ import annotations

import copy

from . import engine

__all__ = ["Replay", "recorder", "recording"]


def recorder(f, calls: list):
    """``f`` (a formula ``f(*args, out, work)`` or any callable), run as is, that also
    appends to ``calls`` what replays it: ``f.numpy_calls(*args)`` where it has them, else
    ``(f, args)``."""
    expand = getattr(f, "numpy_calls", None)

    def record(*args):
        result = f(*args)
        calls.extend(expand(*args) if expand is not None else [(f, args)])
        return result

    return record


def recording(ops, calls: list):
    """A copy of the engine's ops ``ops`` (:class:`numeric.inplace_step.Buffers`, after
    ``use``: the same class and tables of trailing arguments) whose formulas are wrapped
    by :func:`recorder` into ``calls``."""
    rec = copy.copy(ops)
    for name, value in vars(ops).items():
        if callable(value):
            setattr(rec, name, recorder(value, calls))
        elif isinstance(value, list) and len(value) > 1 and callable(value[1]):
            # a table of per-layer closures (the dropout masks, the L2 terms; entry 0 unused)
            setattr(rec, name, [recorder(v, calls) if callable(v) else v for v in value])
    rec.fwd, rec.bwd = engine.tables(rec)
    return rec


class Replay:
    """The recorded calls of one step's forward pass (``forward``) and backward pass
    (``backward``), valid for the arrays they were recorded with: ``X``, ``Y`` and the
    generator ``rng`` (compared by identity: the same objects, so the same buffers and
    shapes), and ``Zs``, ``As`` (the layers' buffers, indexed by layer) that the cost reads."""

    __slots__ = ("X", "Y", "rng", "forward", "backward", "Zs", "As")

    def __init__(self, X, Y, rng, forward, backward, Zs, As):
        self.X, self.Y, self.rng = X, Y, rng
        self.forward, self.backward = forward, backward
        self.Zs, self.As = Zs, As

    def holds_for(self, X, Y, rng) -> bool:
        return X is self.X and Y is self.Y and rng is self.rng
