"""Arguments for a generated formula in the tests: every array 4 x 6 (a 0/1 dropout mask
for ``D``, one-hot labels for ``Y``, standard normal otherwise) and fixed scalars."""

from __future__ import annotations

import inspect

import numpy as np

SCALARS = {"m": 6, "alpha": 0.1, "lambd": 0.3, "keep_prob": 0.7}


def elementwise_arguments(fn, rng) -> dict:
    """``{parameter: value}`` for the formula ``fn`` (its ``out`` and ``work`` left out)."""
    args = {}
    for p in inspect.signature(fn).parameters:
        if p in ("out", "work"):
            continue
        if p in SCALARS:
            args[p] = SCALARS[p]
        elif p == "D":
            args[p] = (rng.random((4, 6)) < 0.6).astype(float)
        elif p == "Y":
            args[p] = np.eye(4)[:, rng.integers(0, 4, 6)]
        else:
            args[p] = rng.standard_normal((4, 6))
    return args
