"""Saving and loading networks: one ``.npz`` file, no pickle, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["save", "load", "FORMAT", "VERSION"]

FORMAT = "gradproof-network"
VERSION = 1
_META = ("format", "version", "layer_dims", "hidden", "output", "init", "dtype")


def save(net, path) -> None:
    """Write ``net`` to ``path`` (``.npz``): a temporary file in the same folder, then a
    rename, so an interrupted save leaves any old file intact."""
    path = Path(path)
    arrays = {
        "format": np.array(FORMAT), "version": np.array(VERSION),
        "layer_dims": np.array(net.layer_dims, dtype=np.int64),
        "hidden": np.array(net.hidden), "output": np.array(net.output),
        "init": np.array(net.init), "dtype": np.array(np.dtype(net.dtype).name),
    }
    arrays.update({f"param_{k}": v for k, v in net.params.items()})
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot save to {path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def load(path):
    """Read a network written by :func:`save`; ValueError on a foreign or damaged file."""
    from .network import Network

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            contents = {k: data[k] for k in data.files}
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"{path} is not a readable gradproof network file ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise ValueError(f"{path} is not a readable gradproof network file ({type(exc).__name__}: {exc})") from None
    missing = [k for k in _META if k not in contents]
    if missing or str(contents.get("format")) != FORMAT:
        raise ValueError(f"{path} is not a gradproof network file (missing {missing or 'format tag'})")
    if int(contents["version"]) != VERSION:
        raise ValueError(f"{path} has format version {int(contents['version'])}; this gradproof reads {VERSION}")
    dims = [int(n) for n in contents["layer_dims"]]
    net = Network(dims, hidden=str(contents["hidden"]), output=str(contents["output"]),
                  init=str(contents["init"]), seed=0, dtype=str(contents["dtype"]))
    params = {}
    for name, expected in net.params.items():
        key = f"param_{name}"
        if key not in contents:
            raise ValueError(f"{path} lacks parameter {name}")
        value = contents[key]
        if value.shape != expected.shape or value.dtype != expected.dtype:
            raise ValueError(f"{path}: parameter {name} has shape {value.shape} and dtype {value.dtype}, "
                             f"expected {expected.shape} and {expected.dtype} for layer_dims {dims}")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{path}: parameter {name} contains NaN or inf")
        params[name] = value
    extra = sorted(k for k in contents if k not in _META and k[6:] not in net.params)
    if extra:
        raise ValueError(f"{path} holds unexpected entries {extra}")
    net.params = params
    return net
