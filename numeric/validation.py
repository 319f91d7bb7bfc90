"""Checks where data enters: shapes, dtypes and values, with errors that name them.

Nothing is reshaped or broadcast silently: a (m,) label vector against (1, m)
predictions would broadcast to (m, m) and give a wrong cost without an error.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_float_matrix", "check_labels", "check_keep_prob", "check_nonnegative"]


def as_float_matrix(name: str, value, dtype, rows: int | None = None,
                    cols: int | None = None, what: str = "") -> np.ndarray:
    """``value`` as a 2-D array of ``dtype``; ValueError/TypeError naming ``name``.

    Floating and integer/bool arrays are converted to ``dtype`` (a copy only when the
    dtype differs); object, string and complex arrays are refused.
    """
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected a real numeric array "
                        f"(it is converted to {np.dtype(dtype).name})")
    if arr.ndim != 2:
        hint = ""
        if arr.ndim == 1:
            hint = (f"; a 1-D array of {arr.shape[0]} values is ambiguous: use "
                    f"{name}.reshape(1, -1) for one row of {arr.shape[0]} examples")
        raise ValueError(f"{name} must be 2-D (rows, m examples as columns){what}, "
                         f"got shape {arr.shape}{hint}")
    if rows is not None and arr.shape[0] != rows:
        raise ValueError(f"{name} has {arr.shape[0]} rows, expected {rows}{what} "
                         f"(shape {arr.shape})")
    if cols is not None and arr.shape[1] != cols:
        raise ValueError(f"{name} has {arr.shape[1]} columns (examples), expected {cols} "
                         f"to match X (shape {arr.shape})")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} has no examples (shape {arr.shape})")
    arr = arr.astype(dtype, copy=False)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} contains NaN or inf (first at index {tuple(int(i) for i in bad)})")
    return arr


def check_labels(Y: np.ndarray, output: str) -> None:
    """Labels fit the output layer: {0, 1} for sigmoid, one-hot columns for softmax."""
    if output == "sigmoid":
        bad = (Y != 0) & (Y != 1)
        if np.any(bad):
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"Y for a sigmoid output (binary cross-entropy) must hold 0 or 1; "
                             f"Y{list(idx)} = {Y[idx]}")
    elif output == "softmax":
        zero_one = np.all((Y == 0) | (Y == 1))
        sums = Y.sum(axis=0)
        if not zero_one or not np.all(sums == 1):
            col = int(np.argmax(~np.isclose(sums, 1) | ~np.all((Y == 0) | (Y == 1), axis=0)))
            raise ValueError(f"Y for a softmax output must be one-hot (each column a single 1, "
                             f"the rest 0); column {col} is {Y[:, col].tolist()}")


def check_keep_prob(keep_prob) -> float:
    p = float(keep_prob)
    if not (0.0 < p <= 1.0):
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
    return p


def check_nonnegative(name: str, value) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return v
