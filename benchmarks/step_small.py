"""Benchmark 2: one training step of 2-4-1 (sigmoid, sigmoid output), m = 400.

The arithmetic is a few thousand flops: what is measured is per-call overhead (Python,
dispatch, allocation). The target is 0.9x of the jitted JAX step.
"""

from __future__ import annotations

import numpy as np

from .results import Section
from .step_table import run_spec
from .steps import Spec

__all__ = ["SPEC", "run"]

SPEC = Spec((2, 4, 1), "sigmoid", "sigmoid", 400, np.float64)


def run(quick: bool) -> Section:
    section = Section(
        "2. Training step, 2-4-1",
        f"The same step on a {SPEC.n_params}-parameter network (binary cross-entropy), "
        "float64: per-call overhead rules. Seconds per step; *numeric fit* is `Network.fit` "
        "(full batch, 100 epochs a call), per step.")
    table, stats, notes = run_spec(SPEC, rounds=3 if quick else 30,
                                   target_s=0.005 if quick else 0.02, quick=quick)
    section.tables.append(table)
    section.notes += notes
    section.data["float64"] = stats
    return section
