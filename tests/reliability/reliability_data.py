"""Shared small data for the reliability tests."""

from __future__ import annotations

import numpy as np


def binary_data(m: int = 37, n_x: int = 2, seed: int = 0):
    """X (n_x, m) float64 and 0/1 labels Y (1, m)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (X[0:1] + 0.5 * X[1:2] > 0).astype(np.float64)
    return X, Y


def softmax_data(m: int = 30, n_x: int = 3, K: int = 3, seed: int = 0):
    """X (n_x, m) and one-hot Y (K, m)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    return X, np.eye(K)[:, rng.integers(0, K, m)]
