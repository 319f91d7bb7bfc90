"""Size limits checked before allocating: one place for the constructor, save and load.

A network's parameters take ``sum_l (n_l n_{l-1} + n_l)`` values of its dtype. Building
``Network([2, 10**9, 1])`` would ask NumPy for 24 GB and fail deep inside (or swap the
machine to a halt); a file could declare the same. :func:`check_network_size` refuses such
sizes first, in one line that says how much memory the parameters would need and the
limit. The limit is ``max_bytes`` where given, else the environment variable
``GRADPROOF_MAX_BYTES`` (bytes), else :data:`DEFAULT_MAX_BYTES`. Training needs more
(the cache of activations, the gradients, the optimizer state): the limit bounds the
parameters, the first and largest allocation whose size the user chose directly.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["DEFAULT_MAX_BYTES", "MAX_LAYERS", "ENV_VAR", "max_bytes", "parameter_bytes",
           "check_network_size"]

DEFAULT_MAX_BYTES = 2**32  # 4 GiB of parameters
ENV_VAR = "GRADPROOF_MAX_BYTES"
# At most this many sizes in layer_dims (input and output included); load refuses more,
# so the constructor does too (save never writes what load refuses).
MAX_LAYERS = 1000


def max_bytes(value=None) -> int:
    """The limit in bytes: ``value``, else ``$GRADPROOF_MAX_BYTES``, else the default."""
    if value is None:
        text = os.environ.get(ENV_VAR)
        if text is None:
            return DEFAULT_MAX_BYTES
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{ENV_VAR}={text!r} is not a whole number of bytes") from None
        where = ENV_VAR
    else:
        where = "max_bytes"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{where} must be a whole number of bytes >= 1, got {value!r}")
    return int(value)


def parameter_bytes(layer_dims, dtype) -> int:
    """Bytes of the parameters ``W[l]`` (n_l, n_{l-1}) and ``b[l]`` (n_l, 1), exactly
    (Python integers: no overflow for any sizes)."""
    dims = [int(n) for n in layer_dims]
    values = sum(dims[l] * dims[l - 1] + dims[l] for l in range(1, len(dims)))
    return values * np.dtype(dtype).itemsize


def _human(n: int) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def check_network_size(layer_dims, dtype, limit=None, where: str = "Network") -> None:
    """ValueError (one line) when ``layer_dims`` is longer than :data:`MAX_LAYERS` or its
    parameters would take more than the limit (see the module doc)."""
    if len(layer_dims) > MAX_LAYERS:
        raise ValueError(f"{where}: layer_dims has {len(layer_dims)} sizes; at most {MAX_LAYERS} "
                         "are supported")
    need, cap = parameter_bytes(layer_dims, dtype), max_bytes(limit)
    if need > cap:
        shown = layer_dims if len(layer_dims) <= 8 else [*layer_dims[:4], "...", *layer_dims[-2:]]
        raise ValueError(f"{where}: layer_dims {list(shown)} would need {_human(need)} "
                         f"({need} bytes of {np.dtype(dtype).name}) for its parameters, above the "
                         f"limit of {_human(cap)} (pass max_bytes= or set {ENV_VAR})")
