"""Optimizer classes made from a row of :data:`numeric._catalog.OPTIMIZER_SPECS`.

A catalog optimizer without a hand-written class here (AdamW, Nadam) gets one from
:func:`catalog_optimizer`: a frozen dataclass with the catalog's hyperparameters (defaults,
checked against their valid intervals), ``init``, a pure ``update`` calling the generated
update rule, and ``inplace_rule`` for the training loop's fast path, exactly like the
hand-written ones.
"""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

import numpy as np

from .. import _generated as gen
from ._base import _number, check_grads, grad_name

__all__ = ["catalog_optimizer", "check_in_interval"]


def check_in_interval(name, value, low, high, closed) -> float:
    """``value`` as a float; ValueError unless finite and in the interval."""
    v = _number(name, value)
    lo_ok = v >= low if closed in ("low", "both") else v > low
    hi_ok = v <= high if closed in ("high", "both") else v < high
    if not math.isfinite(v) or not (lo_ok and hi_ok):
        left = "[" if closed in ("low", "both") else "("
        right = "]" if closed in ("high", "both") else ")"
        raise ValueError(f"{name} must be a finite number in {left}{low:g}, {high:g}{right}, "
                         f"got {value}")
    return v


def catalog_optimizer(cli_name: str, spec: dict):
    """The class for catalog row ``spec`` (named ``spec["class_name"]``)."""
    class_name, hyper, fields = spec["class_name"], spec["hyper"], tuple(spec["state"])
    update_fn, inplace_fn = getattr(gen, spec["update"]), getattr(gen, spec["inplace"])
    counts = spec["counts_steps"]
    State = NamedTuple(f"{class_name}State", [("t", int)] + [(f, dict) for f in fields])
    State.__doc__ = (f"``t``: steps taken (int)" + "".join(
        f"; ``{f}``: dict name -> array, shape of the parameter" for f in fields) + ".")

    def __post_init__(self):
        for name, _, low, high, closed, _ in hyper:
            check_in_interval(name, getattr(self, name), low, high, closed)

    def _hyper(self):
        return {h[0]: getattr(self, h[0]) for h in hyper}

    def init(self, params):
        return State(0, *({k: np.zeros_like(p) for k, p in params.items()} for _ in fields))

    def update(self, params, grads, state):
        check_grads(params, grads)
        t = state.t + 1
        new_params = {}
        new_moments = {f: {} for f in fields}
        step = {"t": t} if counts else {}
        for k, W in params.items():
            out = update_fn(W=W, dW=grads[grad_name(k)],
                            **{f: getattr(state, f)[k] for f in fields}, **step, **self._hyper())
            out = out if fields else (out,)
            new_params[k] = out[0]
            for f, value in zip(fields, out[1:]):
                new_moments[f][k] = value
        return new_params, State(t, *(new_moments[f] for f in fields))

    def inplace_rule(self):
        """For the training loop's fast path: ``(rule, fields, {})``, where
        ``rule(W, dW, *moments, t, work)`` overwrites its arrays with the new values
        (the same generated rule, in place)."""
        hyper_values = self._hyper()

        def rule(W, dW, *moments, t, work):
            step = {"t": t} if counts else {}
            inplace_fn(W=W, dW=dW, **dict(zip(fields, moments)), **step, **hyper_values,
                       work=work)

        return rule, fields, {}

    cls = dataclasses.make_dataclass(
        class_name, [(h[0], float, dataclasses.field(default=h[1])) for h in hyper],
        frozen=True,
        namespace={"__post_init__": __post_init__, "_hyper": _hyper, "init": init,
                   "update": update, "inplace_rule": inplace_rule,
                   "__doc__": f"{spec['summary']} (catalog entry ``{cli_name}``)",
                   "State": State})
    cls.__module__ = "numeric.optim"
    State.__module__ = "numeric.optim"
    return cls, State
