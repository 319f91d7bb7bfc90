"""Output layers: activation, cost from the logits, and dZ[L], from the generated formulas.

An output layer is an activation (sigmoid, softmax, linear: the catalog's outputs, with
their label kinds and prediction rules) and a loss on it. Which outputs and losses exist, the output each pairs with, which is each output's default (sigmoid ->
bce, softmax -> cross_entropy, linear -> mse) and their generated functions come from
:mod:`numeric._catalog` (written by ``python -m derive codegen`` from derive's catalog).
Costs of the course's losses are computed from the logits Z[L], so they stay finite
where A[L] rounds to 0 or 1.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _catalog
from . import _generated as gen
from . import custom

__all__ = ["OUTPUTS", "LOSSES", "OutputLayer", "output_layer", "default_loss", "output_spec",
           "predict"]


class OutputLayer(NamedTuple):
    """activate(Z) -> A; cost(Z, A, Y, m) -> float; dz(A, Y) -> dZ[L]; and the in-place
    variants activate_into(Z, out, work) and dz_into(A, Y, out, work). ``loss`` names
    the loss."""

    name: str
    activate: Callable[[np.ndarray], np.ndarray]
    cost: Callable[[np.ndarray, np.ndarray, np.ndarray, int], float]
    dz: Callable[[np.ndarray, np.ndarray], np.ndarray]
    activate_into: Callable
    dz_into: Callable
    loss: str = ""


def _identity(Z):
    return Z


def _identity_into(Z, out, work):
    return Z


def _activation(spec) -> tuple:
    """A[L] from Z[L], fresh and in place: the output's generated function, or, where it
    has none, A[L] = Z[L] itself (no copy)."""
    if spec["activation"] is None:
        return _identity, _identity_into
    return getattr(gen, spec["activation"]), getattr(gen, spec["activation"] + "_into")


# The output layers of derive's catalog (derive/catalog/outputs), from numeric/_catalog.py.
_ACTIVATIONS = {name: _activation(spec) for name, spec in _catalog.OUTPUT_SPECS.items()}
OUTPUTS = tuple(_catalog.OUTPUTS)
LOSSES = tuple(_catalog.LOSSES)


def default_loss(output: str) -> str:
    """The loss ``output`` takes when none is named."""
    for name, spec in _catalog.LOSS_SPECS.items():
        if spec["output"] == output and spec["default"]:
            return name
    raise ValueError(f"unknown output {output!r}; valid: {', '.join(OUTPUTS)}")


def _layer(output: str, loss: str) -> OutputLayer:
    spec = _catalog.LOSS_SPECS[loss]
    values = tuple(h[1] for h in spec["hyper"])  # hyperparameters at their defaults
    cost_fn, dz_fn, dz_into_fn = (getattr(gen, spec["cost"]), getattr(gen, spec["dz"]),
                                  getattr(gen, spec["dz"] + "_into"))
    from_z = spec["cost_reads"] == "Z"
    activate, activate_into = _ACTIVATIONS[output]
    return OutputLayer(
        output, activate,
        lambda Z, A, Y, m: cost_fn(Z if from_z else A, Y, m, *values),
        lambda A, Y: dz_fn(A, Y, *values),
        activate_into,
        # (the generated function itself where there are no hyperparameters: it carries
        # its calls for a replayed step, numeric.replay)
        (lambda A, Y, out, work: dz_into_fn(A, Y, *values, out, work)) if values
        else dz_into_fn,
        loss)


_TABLE = {(spec["output"], name): _layer(spec["output"], name)
          for name, spec in _catalog.LOSS_SPECS.items()}


def output_layer(name: str, loss: str | None = None) -> OutputLayer:
    """The output layer ``name`` with ``loss`` (default: the output's own); ValueError
    listing the valid names or the losses that pair with it. ``loss`` may be a user's
    loss object on a linear output (:mod:`numeric.custom`)."""
    if not isinstance(name, str) or name not in _ACTIVATIONS:
        raise ValueError(f"unknown output {name!r}; valid: {', '.join(OUTPUTS)}")
    if loss is not None and not isinstance(loss, str):
        return _custom_layer(name, custom.check_loss(loss, ", ".join(LOSSES)))
    loss = default_loss(name) if loss is None else loss
    if (name, loss) not in _TABLE:
        valid = [l for (o, l) in _TABLE if o == name]
        raise ValueError(f"loss {loss!r} does not pair with the {name} output; valid: "
                         f"{', '.join(valid)} (losses: {', '.join(LOSSES)})")
    return _TABLE[(name, loss)]


def _custom_layer(output: str, obj) -> OutputLayer:
    """The linear output with a user's loss object: its generated cost (from A = Z) and
    dZ[L], pure and in place."""
    if output != "linear":
        raise ValueError(f"the custom loss {obj.name!r} pairs with the linear output, not "
                         f"{output!r}: pass output='linear'")
    activate, activate_into = _ACTIVATIONS[output]
    cost_fn, dz_fn = obj.cost, obj.dz
    # Y in A's precision: a float32 Y scaled by a constant before it meets a float64 A
    # (check_network runs a float32 network's passes in float64) would round in float32
    return OutputLayer(output, activate,
                       lambda Z, A, Y, m: cost_fn(A, Y.astype(A.dtype, copy=False), m),
                       lambda A, Y: dz_fn(A, Y.astype(A.dtype, copy=False)),
                       activate_into, obj.dz_into, obj)


def output_spec(name: str) -> dict:
    """The catalog's description of output ``name``: activation, ``labels`` (binary,
    one_hot, real), ``predict`` (threshold, argmax, identity), ``min_units``."""
    if not isinstance(name, str) or name not in _catalog.OUTPUT_SPECS:
        raise ValueError(f"unknown output {name!r}; valid: {', '.join(OUTPUTS)}")
    return _catalog.OUTPUT_SPECS[name]


def predict(name: str, AL: np.ndarray) -> np.ndarray:
    """Predictions from the output activations AL, shape (n_L, m), by the output's rule:
    threshold (A > 0.5, shape (1, m), 0/1), argmax (the class, shape (1, m)) or identity
    (AL itself)."""
    rule = output_spec(name)["predict"]
    if rule == "threshold":
        return (AL > 0.5).astype(np.int64)
    if rule == "argmax":
        return np.argmax(AL, axis=0).reshape(1, -1)
    return AL
