"""Scratch arrays kept between calls, so that a training loop allocates nothing per step."""

from __future__ import annotations

import numpy as np

__all__ = ["Workspace"]


class Workspace:
    """Named buffers, one per (name, shape, dtype), created on first use and then reused.

    The generated ``*_into`` and ``*_inplace`` functions ask for their temporaries here.
    A buffer's contents are only valid until the next call that asks for the same name.
    """

    def __init__(self):
        self._buffers: dict[tuple, np.ndarray] = {}

    def get(self, name: str, shape: tuple, dtype) -> np.ndarray:
        key = (name, shape, dtype)
        buf = self._buffers.get(key)
        if buf is None:
            buf = self._buffers[key] = np.empty(shape, dtype=dtype)
        return buf

    @property
    def nbytes(self) -> int:
        """Bytes held by all buffers."""
        return sum(b.nbytes for b in self._buffers.values())
