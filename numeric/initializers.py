"""Parameter initialization: zeros, random (x0.01), Xavier, He.

Xavier scales W[l] by sqrt(1 / n[l-1]) and He by sqrt(2 / n[l-1]), the fan-in of the
layer (the derivations ``xavier_variance`` and ``he_variance``); b starts at zero.
"""

from __future__ import annotations

import numpy as np

__all__ = ["INITS", "init_params"]

INITS = ("zeros", "random", "xavier", "he")


def _scale(init: str, n_prev: int) -> float:
    if init == "random":
        return 0.01
    if init == "xavier":
        return float(np.sqrt(1.0 / n_prev))
    if init == "he":
        return float(np.sqrt(2.0 / n_prev))
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
