"""Benchmark 1: one training step of 784-256-128-10 (relu, softmax), m = 256.

Float32 and float64, each an interleaved run of numeric (``Network.fit`` per step, the
bare in-place step, the pure API), the GEMM bound (NumPy's BLAS, and XLA's), jitted JAX,
PyTorch and scikit-learn. Here the matrix products dominate: numeric should sit within
1.25x of the GEMM bound and no slower than JAX.
"""

from __future__ import annotations

import numpy as np

from .results import Section
from .step_table import run_spec
from .steps import Spec

__all__ = ["SPECS", "run"]

SPECS = tuple(Spec((784, 256, 128, 10), "relu", "softmax", 256, dt)
              for dt in (np.float32, np.float64))


def run(quick: bool) -> Section:
    section = Section(
        "1. Training step, 784-256-128-10",
        "One step = forward, cost, backward, Adam update on a fixed batch of m = 256 "
        f"({SPECS[0].n_params:,} parameters). Seconds per step. *numeric fit* is "
        "`Network.fit` on 8 batches of 256 (shuffle, batch gather, checks, set-up included), "
        "per step; the others step on one fixed batch.")
    for spec in SPECS:
        table, stats, notes = run_spec(spec, rounds=3 if quick else 30,
                                       target_s=0.01 if quick else 0.05, quick=quick)
        section.tables.append(table)
        section.notes += [f"{np.dtype(spec.dtype).name}: {n}" for n in notes]
        section.data[np.dtype(spec.dtype).name] = stats
    return section
