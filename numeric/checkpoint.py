"""Training checkpoints: everything ``fit`` needs to go on exactly where it stopped.

One ``.npz`` file, written atomically like :func:`numeric.io.save` and read without
pickle. Besides the network's own entries (architecture, ``param_*``) it holds

- ``optimizer``: 0-d str, JSON ``{"class": "Adam", "hyperparameters": {...}}``;
- ``opt_fields``: 0-d str, JSON list of the state's NamedTuple fields, e.g.
  ``["t", "v", "s"]``; ``opt_t``: 0-d int64, the steps taken; ``opt_<field>_<name>``:
  one array per parameter for each dict field (``opt_v_W1`` of the shape of ``W1``);
- ``epoch``: 0-d int64, the epochs completed; ``history``: float64, shape (epoch,);
- ``rng_state``: 0-d str, JSON of ``rng.bit_generator.state`` at the end of that epoch
  (shuffling and dropout both draw from that one generator, so the state at an epoch
  boundary is all the randomness there is);
- ``settings``: 0-d str, JSON of what must not change on resume (``batch_size``,
  ``lambd``, ``keep_prob``, ``m``, ``data_sha256``) and the ``seed`` of the run.

Resuming from epoch e and training to epoch E gives parameters and history bit-identical
to one run of E epochs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import NamedTuple

import numpy as np

from . import io
from .optim import CLASSES

__all__ = ["Checkpoint", "save_checkpoint", "load_checkpoint", "check_checkpointable",
           "data_digest", "FORMAT", "VERSION"]

FORMAT = "gradproof-checkpoint"
VERSION = 1
_OPTIMIZERS = {cls.__name__: cls for cls in CLASSES.values()}  # the catalog's optimizers
_KEYS = ("optimizer", "opt_fields", "opt_t", "epoch", "history", "rng_state", "settings")


class Checkpoint(NamedTuple):
    """What :func:`load_checkpoint` returns.

    net : Network with the parameters at the end of ``epoch``
    optimizer : the optimizer (a :mod:`numeric.optim` instance) of the run
    state : its state NamedTuple (``t`` and dicts name -> array, shape of the parameter)
    epoch : int, epochs completed
    history : list of float, the cost of each of those epochs
    rng_state : dict, ``np.random.Generator.bit_generator.state`` at the end of ``epoch``
    settings : dict, see the module docstring
    """

    net: object
    optimizer: object
    state: tuple
    epoch: int
    history: list
    rng_state: dict
    settings: dict


def data_digest(X: np.ndarray, Y: np.ndarray) -> str:
    """SHA-256 of the training data, so that a resume on other data is caught."""
    h = hashlib.sha256()
    for a in (X, Y):
        h.update(str((a.shape, a.dtype.str)).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def check_checkpointable(optimizer) -> None:
    """TypeError unless ``optimizer`` is one whose state this module can write."""
    if type(optimizer).__name__ not in _OPTIMIZERS or type(optimizer) is not _OPTIMIZERS[
            type(optimizer).__name__]:
        raise TypeError(f"checkpoints support the optimizers of numeric.optim "
                        f"({', '.join(_OPTIMIZERS)}), got {type(optimizer).__name__}")


def save_checkpoint(path, net, optimizer, state, epoch: int, history, rng: np.random.Generator,
                    settings: dict) -> None:
    """Write a checkpoint of the run to ``path`` atomically (see the module docstring)."""
    check_checkpointable(optimizer)
    arrays = io.network_arrays(net)
    arrays["format"] = np.array(FORMAT)
    arrays["version"] = np.array(VERSION, dtype=np.int64)
    arrays["optimizer"] = np.array(json.dumps({
        "class": type(optimizer).__name__,
        "hyperparameters": dataclasses.asdict(optimizer)}))
    arrays["opt_fields"] = np.array(json.dumps(list(state._fields)))
    for field in state._fields:
        value = getattr(state, field)
        if field == "t":
            arrays["opt_t"] = np.array(int(value), dtype=np.int64)
        else:
            for name, a in value.items():
                arrays[f"opt_{field}_{name}"] = np.ascontiguousarray(a)
    arrays["epoch"] = np.array(int(epoch), dtype=np.int64)
    arrays["history"] = np.asarray(history, dtype=np.float64).reshape(-1)
    arrays["rng_state"] = np.array(json.dumps(rng.bit_generator.state))
    arrays["settings"] = np.array(json.dumps(settings))
    io.atomic_savez(path, arrays)


# Our JSON entries nest 3 deep at most (the rng state); the parser recurses per level, so
# a deeply nested entry (``[[[[...``) would raise RecursionError: refused before parsing.
MAX_JSON_DEPTH = 16


def _json_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` outside strings (a scan, no parsing)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _json(f: io.open_npz, key: str):
    text = f.text(key)
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"{f.path}: entry {key!r} nests deeper than {MAX_JSON_DEPTH} levels; "
                         "not a gradproof checkpoint")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"{f.path}: entry {key!r} is not valid JSON ({exc})") from None


def load_checkpoint(path, network_class) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`; its network is made as a
    ``network_class`` (``numeric.Network``; passed in, so that no import circle runs
    network -> training -> checkpoint -> network).

    Raises
    ------
    FileNotFoundError
        when ``path`` does not exist.
    ValueError
        for a file that is not a checkpoint, or a truncated or tampered one.
    """
    with io.open_npz(path, "checkpoint") as f:
        missing = [k for k in _KEYS if k not in f.files]
        net = io.network_from_npz(f, network_class, fmt=FORMAT, version=VERSION)
        if missing:
            raise ValueError(f"{f.path} is not a complete gradproof checkpoint (missing {missing})")
        spec = _json(f, "optimizer")
        try:
            cls = _OPTIMIZERS[spec["class"]]
            optimizer = cls(**spec["hyperparameters"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{f.path}: optimizer entry {spec!r} is not usable ({exc})") from None
        fields = _json(f, "opt_fields")
        state_cls = type(optimizer.init(net.params))
        if fields != list(state_cls._fields):
            raise ValueError(f"{f.path}: optimizer state fields {fields}, expected "
                             f"{list(state_cls._fields)} for {spec['class']}")
        values, used = {}, set(io._META) | set(io._OPTIONAL) | set(_KEYS) | {f"param_{k}" for k in net.params}
        for field in fields:
            if field == "t":
                values["t"] = f.integer("opt_t")
                if values["t"] < 0:
                    raise ValueError(f"{f.path}: opt_t = {values['t']} is negative")
                continue
            values[field] = {}
            for name, p in net.params.items():
                key = f"opt_{field}_{name}"
                if key not in f.files:
                    raise ValueError(f"{f.path} lacks optimizer state {key}")
                a = f.read(key, shape=p.shape)
                if a.dtype != p.dtype or not np.all(np.isfinite(a)):
                    raise ValueError(f"{f.path}: optimizer state {key} has dtype {a.dtype} "
                                     f"(expected {p.dtype}) or holds NaN/inf")
                values[field][name] = a
                used.add(key)
        extra = sorted(set(f.files) - used)
        if extra:
            raise ValueError(f"{f.path} holds unexpected entries {extra}")
        epoch = f.integer("epoch")
        history = f.read("history", ndim=1, kinds="f")
        if epoch < 1 or history.shape != (epoch,) or not np.all(np.isfinite(history)):
            raise ValueError(f"{f.path}: epoch {epoch} and a history of shape {history.shape} "
                             f"do not fit (or the history is not finite)")
        rng_state = _json(f, "rng_state")
        try:
            np.random.default_rng().bit_generator.state = rng_state
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError(f"{f.path}: rng_state is not a PCG64 state ({exc})") from None
        settings = _json(f, "settings")
        if not isinstance(settings, dict):
            raise ValueError(f"{f.path}: settings is not a JSON object")
    return Checkpoint(net, optimizer, state_cls(**values), epoch,
                      [float(c) for c in history], rng_state, settings)
