"""Benchmark 6: the big step under the environment's OpenBLAS settings and under OpenBLAS's own.

OpenBLAS reads ``OPENBLAS_CORETYPE`` (which kernels) and ``OPENBLAS_L2_SIZE`` (how it
blocks the products) once, when NumPy loads it; some machines set both (older OpenBLAS
builds compute wrong results on some processors without them), and a forced older
kernel makes NumPy's products slower than XLA's, which picks its own for the CPU. So
every number of the other sections is measured with the settings of the environment
(the Machine table says which), and this benchmark times the big step's contenders
(``Network.fit``, the GEMM bound, XLA's GEMM bound, jitted JAX) in two child processes
of the same method: one with the environment as it is, one with both variables unset
(the library picks the kernel for this CPU). The difference between the two is the BLAS
configuration; what is left between fit and JAX with OpenBLAS's own kernels is
numeric's own work (and XLA's kernels against OpenBLAS's).

Only the benchmark's child processes drop the variables; tests and CI keep them.

Run by hand: ``python -m benchmarks.blas [--quick]`` prints the child's JSON for the
environment it is started in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .results import Section, Table
from .timing import fmt_seconds

__all__ = ["run", "child", "VARS"]

VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
CONTENDERS = ("numeric fit", "GEMM bound", "GEMM bound (XLA)", "JAX (jit + optax)")


def _kernel() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    return ", ".join(sorted({str(p.get("architecture")) for p in threadpool_info()
                             if p.get("user_api") == "blas"})) or "none found"


def child(quick: bool) -> dict:
    """Time the big step's contenders in this process; medians (s) and ratios by dtype."""
    from .machine import pin_threads

    pin_threads(1)
    import numpy as np

    from .step_big import SPECS
    from .step_table import CONTENDERS as BUILDERS
    from .steps import make_problem, numeric_fit
    from .timing import interleaved, ratio

    out = {"kernel": None, "settings": {k: os.environ.get(k) for k in VARS}, "dtypes": {}}
    for spec in SPECS[:1] if quick else SPECS:
        params, X, Y = make_problem(spec)
        fns = {name: (numeric_fit(spec, params, X, Y, quick=quick) if name == "numeric fit"
                      else BUILDERS[name](spec, params, X, Y)) for name in CONTENDERS}
        stats = interleaved(fns, rounds=3 if quick else 12, target_s=0.01 if quick else 0.05,
                            warmup=1 if quick else 2)
        fit, gemm, xla, jax = (stats[n] for n in CONTENDERS)
        out["dtypes"][np.dtype(spec.dtype).name] = {
            "median": {n: stats[n].median for n in CONTENDERS},
            "fit/JAX": ratio(fit, jax), "fit/GEMM": ratio(fit, gemm),
            "GEMM/XLA GEMM": ratio(gemm, xla), "JAX/XLA GEMM": ratio(jax, xla)}
    out["kernel"] = _kernel()
    return out


def _settings(env: dict) -> str:
    set_ = [f"{k}={env[k]}" for k in VARS if env.get(k)]
    return ", ".join(set_) if set_ else "none (OpenBLAS's own choice)"


def _run_child(env: dict, quick: bool) -> dict:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.blas"] + (["--quick"] if quick else []),
                          env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"the child failed: {proc.stderr.strip()[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(quick: bool) -> Section:
    section = Section(
        "6. BLAS configuration",
        "The big step's contenders timed in two child processes of the same method "
        f"(interleaved, {'3' if quick else '12'} rounds): the environment as it is, and with "
        f"{' and '.join(f'`{v}`' for v in VARS)} unset (OpenBLAS picks the kernel for this CPU). "
        "The other sections are measured with the environment's settings."
        + (" (--quick: float32 only, few rounds.)" if quick else ""))
    here = dict(os.environ)
    if not any(here.get(k) for k in VARS):
        section.notes.append(f"The environment sets neither {' nor '.join(VARS)}: every number "
                             "in this report already uses OpenBLAS's own kernels.")
        return section
    default_env = {k: v for k, v in here.items() if k not in VARS}
    runs = {"as set here": _run_child(here, quick), "unset": _run_child(default_env, quick)}
    table = Table("", ["OpenBLAS settings", "kernel", "dtype", "numeric fit", "GEMM bound",
                       "GEMM bound (XLA)", "JAX", "fit / JAX", "fit / GEMM bound",
                       "GEMM bound / XLA's"])
    for label, r in runs.items():
        for dtype, d in r["dtypes"].items():
            med = d["median"]
            table.rows.append([_settings(r["settings"]), r["kernel"], dtype,
                               *(fmt_seconds(med[n]) for n in CONTENDERS),
                               f"{d['fit/JAX']:.2f}", f"{d['fit/GEMM']:.2f}",
                               f"{d['GEMM/XLA GEMM']:.2f}"])
    section.tables.append(table)
    # The two children run one after the other, so a change of load between them would
    # land on one: the comparison is made in units of JAX's step (which no OpenBLAS
    # setting touches), each ratio a median of per-round ratios within one child.
    for dtype, d in runs["as set here"]["dtypes"].items():
        u = runs["unset"]["dtypes"].get(dtype)
        if u is None:
            continue
        med = u["median"]
        jax, fit, gemm, xla = (med[n] for n in ("JAX (jit + optax)", "numeric fit", "GEMM bound",
                                                "GEMM bound (XLA)"))
        section.notes.append(
            f"**{dtype}**: fit / JAX is {d['fit/JAX']:.2f} with the environment's settings and "
            f"{u['fit/JAX']:.2f} with OpenBLAS's own kernels: **{d['fit/JAX'] - u['fit/JAX']:.2f} "
            f"of JAX's step time is the BLAS configuration**, {u['fit/JAX'] - 1:.2f} is left. In "
            f"units of JAX's step, with OpenBLAS's own kernels: the products' kernels "
            f"{(gemm - xla) / jax:+.2f} (OpenBLAS {fmt_seconds(gemm)}, XLA {fmt_seconds(xla)}), "
            f"numeric's work beyond its products {(fit - gemm) / jax:+.2f}, against JAX's beyond "
            f"its products {(jax - xla) / jax:+.2f} (XLA fuses the elementwise work and the Adam "
            "update into few passes over memory; NumPy makes one pass per operation).")
    section.data = runs
    return section


if __name__ == "__main__":
    print(json.dumps(child("--quick" in sys.argv[1:])))
