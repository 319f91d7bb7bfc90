"""Parameters (and gradients, and optimizer moments) as views into one flat array.

An optimizer step over one array of all N parameters is one generated call instead of
one per parameter: for a small network that call overhead is most of the step.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["FlatArrays"]


class FlatArrays:
    """One contiguous 1-D array and a dict of reshaped views into it, one per name.

    ``flat``: shape (N,); ``views[name]``: the shape given for that name, sharing memory.
    """

    def __init__(self, shapes: dict[str, tuple], dtype, prefix: str = ""):
        sizes = [math.prod(s) for s in shapes.values()]  # not np.prod: ~8 us a call, at each fit
        self.flat = np.zeros(sum(sizes), dtype=dtype)
        self.views: dict[str, np.ndarray] = {}
        start = 0
        for (name, shape), size in zip(shapes.items(), sizes):
            self.views[prefix + name] = self.flat[start:start + size].reshape(shape)
            start += size

    @classmethod
    def like(cls, arrays: dict[str, np.ndarray], prefix: str = "", copy: bool = True) -> "FlatArrays":
        """Flat storage shaped like ``arrays`` (and holding their values when ``copy``)."""
        first = next(iter(arrays.values()))
        out = cls({k: v.shape for k, v in arrays.items()}, first.dtype, prefix)
        if copy:
            for k, v in arrays.items():
                out.views[prefix + k][...] = v
        return out
