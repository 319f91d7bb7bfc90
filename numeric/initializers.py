"""Parameter initialization: zeros, random (x0.01), Xavier, He.

Xavier draws W[l] with variance 1 / n[l-1] and He with 2 / n[l-1], n[l-1] the fan-in of
the layer: the results of the derivations ``xavier_variance`` and ``he_variance``,
generated as ``numeric._generated.xavier_variance`` / ``he_variance``; b starts at zero.
"""

from __future__ import annotations

import numpy as np

from . import _generated as gen

__all__ = ["INITS", "init_params"]

INITS = ("zeros", "random", "xavier", "he")


# init -> the generated variance of W[l]'s entries (from the derivation of that name)
_VARIANCE = {"xavier": gen.xavier_variance, "he": gen.he_variance}


def _scale(init: str, n_prev: int) -> float:
    """The standard deviation the entries of W[l] are drawn with."""
    if init == "random":
        return 0.01   # the course's fixed scale, not derived
    if init in _VARIANCE:
        return float(np.sqrt(_VARIANCE[init](n_prev)))
    return 0.0


def init_params(layer_dims, init: str, rng: np.random.Generator, dtype) -> dict[str, np.ndarray]:
    """``{"W1": (n1, n0), "b1": (n1, 1), ...}`` drawn from ``rng``."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; valid: {', '.join(INITS)}")
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        if init == "zeros":
            W = np.zeros((n, n_prev), dtype=dtype)
        else:
            W = (rng.standard_normal((n, n_prev)) * _scale(init, n_prev)).astype(dtype)
        params[f"W{l}"] = W
        params[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
    return params
