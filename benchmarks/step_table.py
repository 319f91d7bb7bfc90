"""Run the contenders of one step benchmark interleaved and tabulate them.

Shared by :mod:`.step_big` and :mod:`.step_small`: the contenders are ``numeric``, the
GEMM bound, jitted JAX, PyTorch and scikit-learn; ratios are against the GEMM bound and
against JAX *of the same run*, medians of the per-round ratios.
"""

from __future__ import annotations

from . import peers
from .machine import blas_setting
from .results import Table
from .steps import gemm_bound, gemm_bound_xla, make_problem, numeric_fit, numeric_pure_step, numeric_step
from .timing import fmt_seconds, interleaved, ratio

__all__ = ["run_spec", "CONTENDERS"]

CONTENDERS = {
    "numeric fit": numeric_fit,
    "numeric": numeric_step,
    "numeric, pure API": numeric_pure_step,
    "GEMM bound": gemm_bound,
    "GEMM bound (XLA)": gemm_bound_xla,
    "JAX (jit + optax)": peers.jax_step,
    "PyTorch (CPU)": peers.torch_step,
    "scikit-learn MLPClassifier": peers.sklearn_step,
}


def _ratio(a, b) -> str:
    return f"{ratio(a, b):.2f}" if a is not None and b is not None else "-"


def run_spec(spec, rounds: int, target_s: float, quick: bool = False):
    """Time every contender on ``spec``; returns ``(Table, stats, notes)``.

    ``stats`` maps contender name -> :class:`~benchmarks.timing.Stats` (skipped ones absent).
    ``quick``: ``fit`` runs one epoch per call instead of five; one warm-up call.
    """
    params, X, Y = make_problem(spec)
    fns, notes = {}, []
    for name, build in CONTENDERS.items():
        try:
            fns[name] = (build(spec, params, X, Y, quick=quick) if build is numeric_fit
                         else build(spec, params, X, Y))
        except peers.Skipped as why:
            notes.append(f"{name}: skipped: {why}")
    # --quick: one warm-up call, not three (a whole fit is one call).
    stats = interleaved(fns, rounds=rounds, target_s=target_s, warmup=1 if quick else 3)
    gemm = stats["GEMM bound"]
    jax_stats = stats["JAX (jit + optax)"]
    jax = jax_stats.median
    table = Table(f"{spec.label} ({blas_setting()})", ["contender", "median", "min", "max", "/ GEMM bound", "/ JAX",
                               "calls per sample"])
    for name in CONTENDERS:
        if name not in stats:
            table.rows.append([name, "skipped", "", "", "", "", ""])
            continue
        s = stats[name]
        table.rows.append([name, fmt_seconds(s.median), fmt_seconds(s.min), fmt_seconds(s.max),
                           _ratio(s, gemm), _ratio(s, jax_stats), str(s.inner)])
    compile_s = stats["JAX (jit + optax)"].first_call - jax
    notes.append(f"JAX: first call (trace + XLA compile + one step) {fmt_seconds(stats['JAX (jit + optax)'].first_call)}, "
                 f"so about {fmt_seconds(compile_s)} of compilation, excluded from the table")
    if "scikit-learn MLPClassifier" in fns:
        clf = fns["scikit-learn MLPClassifier"].model
        per_sample = stats["scikit-learn MLPClassifier"].median / spec.m
        notes.append(f"scikit-learn: one partial_fit call on the batch of {spec.m} = one Adam step "
                     f"({fmt_seconds(per_sample)} per sample); it keeps its weights in "
                     f"{clf.coefs_[0].dtype}")
    return table, stats, notes
