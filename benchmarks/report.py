"""Write ``benchmarks.md``: machine, targets, one section per benchmark, the profile."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from .results import Table
from .targets import FIT, GEMM, GEMM_XLA, JAX, STEP, gap_breakdown, in_step_vs_alone, targets, user_path
from .timing import fmt_seconds

__all__ = ["write_markdown", "SECTION_ORDER"]

SECTION_ORDER = ("big", "small", "gradcheck", "commands", "memory", "blas", "profile", "suite")


def _table(t: Table) -> list[str]:
    lines = [f"**{t.caption}**", ""] if t.caption else []
    lines.append("| " + " | ".join(t.header) + " |")
    lines.append("|" + "|".join("---" for _ in t.header) + "|")
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in t.rows]
    return lines + [""]


def _big_reasons(sections, dtype) -> list[str]:
    """The big network's gap to JAX, split into its parts, from the same run's medians."""
    big = sections.get("big")
    stats = big.data.get(dtype, {}) if big else {}
    name, user = user_path(stats)
    need = (JAX, GEMM, GEMM_XLA, STEP)
    if name is None or any(n not in stats for n in need):
        return []
    jax, gemm, xla, step = (stats[n].median for n in need)
    path = "fit" if name == FIT else "the pure API"
    lines = [f"- **{dtype}**: numeric ({path}) {fmt_seconds(user)} per step, JAX {fmt_seconds(jax)}. "
             f"The products alone: NumPy's BLAS {fmt_seconds(gemm)}, XLA {fmt_seconds(xla)} "
             f"({gemm / xla:.2f}x): **{fmt_seconds(gemm - xla)} of the "
             f"{fmt_seconds(user - jax)} gap is the matrix-product kernels**, before any of "
             f"numeric's own work. Over its GEMM bound numeric adds {fmt_seconds(user - gemm)} "
             f"(the bare in-place step {fmt_seconds(step - gemm)}: Adam, activations, bias, "
             f"scaling, below; fit's gather, checks and set-up {fmt_seconds(user - step)}); "
             f"JAX adds {fmt_seconds(jax - xla)} over its own products."]
    return lines


def _blas_reasons(sections) -> list[str]:
    """How much of the big step's gap is the environment's OpenBLAS settings (section 6)."""
    forced = [f"`{k}={os.environ[k]}`" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
              if os.environ.get(k)]
    if not forced:
        return []
    lines = [f"- This environment sets {' and '.join(forced)}: NumPy's OpenBLAS runs those "
             "kernels and blocking whatever the CPU offers (see Machine), while XLA picks its "
             "own for this CPU. Every number above is measured with them."]
    blas = sections.get("blas")
    if blas is None or not blas.data:
        return lines + ["  (Section 6, which measures the step without them, did not run.)"]
    lines[0] += " Section 6 measures the same contenders without them, in child processes:"
    lines += ["  " + n for n in blas.notes]
    return lines


def _small_reasons(sections) -> list[str]:
    small, prof = sections.get("small"), sections.get("profile")
    stats = small.data.get("float64", {}) if small else {}
    name, user = user_path(stats)
    if name is None or JAX not in stats:
        return []
    lines = [f"- **2-4-1**: numeric ({'fit' if name == FIT else 'the pure API'}) "
             f"{fmt_seconds(user)} per step, JAX {fmt_seconds(stats[JAX].median)} (one "
             "dispatch of one compiled step)."]
    if name == FIT and STEP in stats:
        # fit per step over its bare step: its per-call set-up, spread over the call's
        # epochs, and its epoch loop
        bare = stats[STEP].median
        lines[0] += (f" Its bare in-place step alone (*numeric*): {fmt_seconds(bare)}, "
                     f"{bare / stats[JAX].median:.2f}x JAX; the rest is fit's set-up per call "
                     "(checks, the stepper's buffers, the first, recorded step) spread over the "
                     "call's epochs, and its loop over epochs.")
    fits = prof.data.get("fit_profile", {}) if prof else {}
    for label, d in fits.items():
        if label.startswith("2-4-1"):
            top = sorted(d["own"].items(), key=lambda kv: kv[1], reverse=True)[:6]
            total = sum(d["own"].values())
            lines.append("  Where fit's step goes (cProfile, own time per step, in the profile "
                         "section): " + "; ".join(f"`{f}` {fmt_seconds(t)} ({t / total:.0%})"
                                                  for f, t in top) + ".")
            replayed = d["own"].get("step", 0.0)   # InplaceStepper.step's own time
            if replayed:
                lines.append(f"  `step`'s own time ({fmt_seconds(replayed)}, "
                             f"{replayed / total:.0%}) is the replayed forward and backward "
                             "passes (numeric.replay: the generated functions' NumPy calls, "
                             "recorded once, about 25 calls); "
                             "the BCE cost (10 NumPy calls) and the Adam update run as functions "
                             "of their own. On arrays of at most 4 x 400 numbers each call is "
                             "mostly its fixed cost (~0.3-1 us): a step is about 50 NumPy calls, "
                             "where JAX dispatches one compiled step.")
    return lines


def _memory_reasons(sections) -> list[str]:
    mem = sections.get("memory")
    if mem is None or "data_copies" not in mem.data:
        return []
    d = mem.data
    return [f"- **memory**: fit's gather copies the data once ({d['data_copies']:.2f} copies: "
            f"rows of the transposed X, none for Fortran-ordered X); the network's own memory "
            f"(parameters, gradients, Adam moments, step buffers) is {d['state_copies']:.2f} "
            "copies of this data set."]


def _missed_note(sections, rows) -> list[str]:
    """For each missed target: the measured gap, and the reason from the profile."""
    missed = [r for r in rows if r[2] == "no"]
    if not missed:
        return []
    lines = ["## Missed targets: the gap and the reason", ""]
    lines += [f"- {r[0]}: measured {r[1]}" for r in missed]
    lines.append("")
    reasons = []
    if any(r[0].startswith("big") for r in missed):
        for dtype in ("float32", "float64"):
            reasons += _big_reasons(sections, dtype)
        reasons += _blas_reasons(sections)
    if any(r[0].startswith("small") for r in missed):
        reasons += _small_reasons(sections)
    if any(r[0].startswith("fit on") for r in missed):
        reasons += _memory_reasons(sections)
    if any(r[0].startswith("test suite") for r in missed):
        reasons += _suite_reasons(sections)
    if reasons:
        lines += ["Reasons, from this run's profile:", ""] + reasons + [""]
    prof = sections.get("profile")
    if prof is not None and any(r[0].startswith("big") for r in missed):
        for dtype, both in prof.data.items():
            if dtype == "fit_profile":
                continue
            data = both["pieces"]
            whole, gemm = data["whole numeric step"], data["GEMM bound"]
            t = Table(f"{dtype}: the bare numeric step ({fmt_seconds(whole)}) minus the GEMM bound "
                      f"({fmt_seconds(gemm)}) = {fmt_seconds(whole - gemm)}",
                      ["bucket", "seconds per step", "share of the gap"])
            for bucket, sec in gap_breakdown(data):
                t.rows.append([bucket, fmt_seconds(sec) if sec >= 0 else "-" + fmt_seconds(-sec),
                               f"{sec / (whole - gemm):.0%}" if whole > gemm else "-"])
            lines += _table(t)
            t = Table(f"{dtype}: the generated functions inside the step (cProfile, own time) "
                      "and their pieces timed alone (cProfile runs right after the interleaved run, so "
                      "a change of load between the two shows here)", ["function", "in the step", "alone", "ratio"])
            t.rows = [[f"`{f}`", fmt_seconds(a), fmt_seconds(b), f"{r:.2f}"]
                      for f, a, b, r in in_step_vs_alone(data, both["in_step"])]
            lines += _table(t)
        lines.append("The pieces are timed alone, with their inputs hot in cache; inside the step "
                     "they run slower (second table), which is most of the remainder. Every piece "
                     "is listed in the profile section, with a cProfile of `fit` itself.")
    return lines + [""]


def _suite_reasons(sections) -> list:
    """The test suite's gap: its CPU work spread over its cores (the floor with no idle
    core) against its wall time, from the suite section's numbers."""
    data = sections["suite"].data if sections.get("suite") else {}
    wall, cpu, cores = data.get("wall"), data.get("cpu"), data.get("cores") or 1
    if not wall or not cpu:
        return ["- **test suite**: not measured in this run."]
    idle = wall * cores - cpu
    return [f"- **test suite**: {wall:.0f} s wall, {cpu:.0f} s of CPU over its {cores} cores: "
            f"the work alone fills {cpu / cores:.0f} s of {cores} cores with none idle; "
            f"{idle:.0f} core-seconds ({idle / (wall * cores):.0%}) were idle (workers waiting "
            f"for a run another worker shares, for a time budget, or for the last tests). "
            f"Its slowest tests are listed in its section (pytest --durations)."]


def write_markdown(path: Path, sections: dict, machine: list, args: dict, seconds: float) -> None:
    rows = targets(sections)
    now = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        "# gradproof benchmarks",
        "",
        f"Written by `{args['command']}` on {now} in {seconds:.0f} s. Measurement only: never "
        "part of the tests' pass/fail. Contenders are timed interleaved in rounds in one "
        "process (A B C, B C A, ...), after warm-up; medians and min/max over the rounds; "
        "ratios are medians of the per-round ratios of the same run (each round's samples "
        "are taken moments apart, so a change of load between rounds cancels).",
        "",
        "## Machine",
        "",
        "| | |", "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine],
        "",
        "## Targets",
        "",
        *_table(Table("", ["target", "measured", "met?"], rows)),
    ]
    lines += _missed_note(sections, rows)
    for key in SECTION_ORDER:
        section = sections.get(key)
        if section is None:
            continue
        lines += [f"## {section.title}", ""]
        if section.intro:
            lines += [section.intro, ""]
        for t in section.tables:
            lines += _table(t)
        lines += [f"- {n}" for n in section.notes]
        if section.notes:
            lines.append("")
    lines += ["![benchmarks](benchmarks.png)", ""]
    path.write_text("\n".join(lines))
