"""The issue's targets, read from the raw numbers of the sections of one run.

Each row: (target, measured, met) with met one of "yes", "no", "skipped" (the section
that measures it did not run), or "-" for context that is not a target. Ratios are
medians of per-round ratios (:func:`benchmarks.timing.ratio`), as the issue measures.
"""

from __future__ import annotations

from .timing import ratio

__all__ = ["targets", "gap_breakdown", "in_step_vs_alone", "user_path"]

JAX = "JAX (jit + optax)"
GEMM = "GEMM bound"
GEMM_XLA = "GEMM bound (XLA)"
FIT = "numeric fit"
PURE = "numeric, pure API"
STEP = "numeric"
TORCH = "PyTorch (CPU)"
DIRECTIONAL_1M = "1M: verify.check_network, directional"


def _row(target, value, limit, fmt="{:.2f}", higher_is_better=False, label=""):
    if value is None:
        return [target, "not measured", "skipped"]
    # Judged as shown: a ratio printed as 1.00 meets a limit of 1.0.
    shown = float(fmt.format(value).split()[0].rstrip("x"))
    met = shown >= limit if higher_is_better else shown <= limit
    return [target, fmt.format(value) + label, "yes" if met else "no"]


def _ratio(stats, a, b):
    return ratio(stats[a], stats[b]) if a in stats and b in stats else None


def user_path(stats) -> tuple[str | None, float | None]:
    """The faster of the two paths a user calls, ``net.fit`` (per step) and the pure
    forward/backward/``opt.update`` step: ``(name, median seconds per step)``."""
    paths = [(stats[n].median, n) for n in (FIT, PURE) if n in stats]
    if not paths:
        return None, None
    seconds, name = min(paths)
    return name, seconds


def _user_ratio(stats, other):
    name, _ = user_path(stats)
    if name is None or other not in stats:
        return None, ""
    return ratio(stats[name], stats[other]), f" ({'fit' if name == FIT else 'pure API'})"


def targets(sections: dict) -> list:
    rows = []
    big = sections.get("big")
    for dtype in ("float32", "float64"):
        stats = big.data.get(dtype, {}) if big else {}
        value, label = _user_ratio(stats, JAX)
        rows.append(_row(f"big, {dtype}: numeric (fit or pure API, the faster) / JAX <= 1.0",
                         value, 1.0, label=label))
        value, label = _user_ratio(stats, GEMM)
        rows.append(_row(f"big, {dtype}: numeric (fit or pure API) / GEMM bound <= 1.25",
                         value, 1.25, label=label))
        for what, a, b in (("the bare in-place step (fit minus gather and checks) / GEMM bound",
                            STEP, GEMM),
                           ("GEMM bound (XLA) / GEMM bound (NumPy's BLAS): the products alone",
                            GEMM_XLA, GEMM)):
            r = _ratio(stats, a, b)
            rows.append([f"big, {dtype}: {what} (context)", "-" if r is None else f"{r:.2f}", "-"])
        blas = sections.get("blas")
        unset = blas.data.get("unset", {}).get("dtypes", {}).get(dtype) if blas and blas.data else None
        if unset is not None:
            rows.append([f"big, {dtype}: fit / JAX and fit / GEMM bound with OpenBLAS's own kernels "
                         "(OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset; section 6) (context)",
                         f"{unset['fit/JAX']:.2f} and {unset['fit/GEMM']:.2f}", "-"])
    small = sections.get("small")
    stats = small.data.get("float64", {}) if small else {}
    value, label = _user_ratio(stats, JAX)
    rows.append(_row("small (2-4-1): numeric (fit or pure API) / JAX <= 0.9", value, 0.9,
                     label=label))
    torch = _ratio(stats, TORCH, STEP)
    rows.append(["small step: PyTorch / numeric (context: the issue expects ~8x)",
                 "skipped" if torch is None else f"{torch:.1f}", "-"])
    mem = sections.get("memory")
    m = mem.data.get("m", 60_000) if mem else 60_000
    rows.append(_row(f"fit on {m:,} x 784 float32: memory beyond the network's own, in copies "
                     "of the data <= 1", mem.data.get("data_copies") if mem else None, 1.0,
                     "{:.2f} copies"))
    if mem and "extra_copies" in mem.data:
        rows.append([f"fit on {m:,} x 784 float32: all extra memory, the network's own included "
                     "(context)", f"{mem.data['extra_copies']:.2f} copies", "-"])
    grad = sections.get("gradcheck")
    data = grad.data if grad else {}
    speedup = data.get("loop_over_full")
    rows.append(_row("784-64-1, m = 64: full check >= 50x faster than the notes' loop "
                     "(timed interleaved; the loop on a subset, extrapolated)", speedup, 50.0,
                     "{:.0f}x", True))
    one_m = data.get(DIRECTIONAL_1M)
    rows.append(_row(f"directional check of {data.get('n_params_1M', 0):,} parameters in seconds (<= 10 s)",
                     one_m.seconds if one_m else None, 10.0, "{:.2f} s"))
    commands = sections["commands"].data if sections.get("commands") else {}
    rows.append(_row("python -m verify --quick <= 8 s (fresh interpreter, wall, median of 3)",
                     commands.get("python -m verify --quick"), 8.0, "{:.1f} s"))
    twice = commands.get("check_network twice")
    rows.append(_row("check_network: the JAX reference compiled once per architecture (JAX "
                     "compiles in a second 4-5-1 call, same architecture: 0)",
                     twice["second"]["compiles"] if twice else None, 0, "{:.0f} compiles",
                     label=(f" (first call {twice['first']['seconds']:.2f} s, second "
                            f"{twice['second']['seconds']:.3f} s)" if twice else "")))
    suite = sections.get("suite").data if sections.get("suite") else {}
    row = _row("test suite: the README's test command, wall time <= 120 s", suite.get("wall"),
               120.0, "{:.0f} s")
    if suite.get("returncode"):  # a suite that fails has no wall time worth a verdict
        row[1:] = [f"{row[1]}, but it did not pass (see its section)", "no"]
    rows.append(row)
    return rows


def gap_breakdown(profile_data: dict) -> list:
    """Where the numeric step's time above the GEMM bound goes, in buckets.

    ``profile_data``: piece name -> median seconds (one dtype of the profile section).
    Returns rows (bucket, seconds) summing to ``whole - GEMM bound``.
    """
    d = profile_data
    buckets = {"bias add and 1/m scaling around the GEMMs": 0.0, "activations g(Z), softmax, cost": 0.0,
               "g'(Z)": 0.0, "elementwise dZ, db, A - Y": 0.0, "Adam update": 0.0}
    gemm_alone = 0.0
    for name, s in d.items():
        if name in ("whole numeric step", "GEMM bound", "pieces sum") or name.startswith("fit:"):
            continue
        if "of which" in name or name.endswith("(GEMM)"):
            gemm_alone += s
        elif "W A_prev + b" in name or "dW =" in name:
            buckets["bias add and 1/m scaling around the GEMMs"] += s
        elif name.startswith("Adam"):
            buckets["Adam update"] += s
        elif "g'(" in name:
            buckets["g'(Z)"] += s
        elif name.startswith("fwd") or name.startswith("cost"):
            buckets["activations g(Z), softmax, cost"] += s
        else:
            buckets["elementwise dZ, db, A - Y"] += s
    # The paired pieces include their product: subtract the products measured alone
    # (dA_prev's product has no wrapper, so it is in gemm_alone and in no bucket).
    paired = sum(s for n, s in d.items() if "of which" in n)
    buckets["bias add and 1/m scaling around the GEMMs"] -= paired
    rows = list(buckets.items())
    rows.append(("products measured piece by piece minus the GEMM bound (cache effects)",
                 gemm_alone - d["GEMM bound"]))
    rows.append(("remainder: Python, dict handling, cache effects of the whole step",
                 d["whole numeric step"] - d["pieces sum"]))
    return rows


# Generated function -> the text that marks its pieces in the profile (product twins,
# "of which", excluded).
_FUNCTION_PIECES = {"linear_forward_into": "W A_prev + b", "layer_dw_into": "dW =",
                    "layer_da_prev_into": "dA_prev =", "relu_prime_into": "g'(",
                    "adam_update_inplace": "Adam update"}


def in_step_vs_alone(pieces: dict, in_step: dict) -> list:
    """Rows (function, seconds inside the step, seconds of its pieces alone, ratio).

    ``pieces``: piece -> median seconds alone; ``in_step``: function -> own seconds per
    step under cProfile. A ratio well above 1 is time the pieces only spend in the
    whole step: colder caches (the step's working set exceeds the cache), allocation.
    """
    rows = []
    for func, mark in _FUNCTION_PIECES.items():
        alone = sum(s for name, s in pieces.items() if mark in name and "of which" not in name)
        inside = in_step.get(func)
        if inside is not None and alone > 0:
            rows.append((func, inside, alone, inside / alone))
    return rows
