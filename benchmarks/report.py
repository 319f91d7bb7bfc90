"""Write ``benchmarks.md``: machine, targets, one section per benchmark, the profile."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .results import Table
from .targets import gap_breakdown, in_step_vs_alone, targets
from .timing import fmt_seconds

__all__ = ["write_markdown", "SECTION_ORDER"]

SECTION_ORDER = ("big", "small", "gradcheck", "commands", "memory", "profile")


def _table(t: Table) -> list[str]:
    lines = [f"**{t.caption}**", ""] if t.caption else []
    lines.append("| " + " | ".join(t.header) + " |")
    lines.append("|" + "|".join("---" for _ in t.header) + "|")
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in t.rows]
    return lines + [""]


def _missed_note(sections, rows) -> list[str]:
    """For missed step targets: the gap to the GEMM bound, bucket by bucket."""
    missed = [r for r in rows if r[2] == "no"]
    if not missed:
        return []
    lines = ["## Missed targets: where the time goes", ""]
    lines += [f"- {r[0]}: measured {r[1]}" for r in missed]
    lines.append("")
    prof = sections.get("profile")
    if prof is not None:
        for dtype, both in prof.data.items():
            data = both["pieces"]
            whole, gemm = data["whole numeric step"], data["GEMM bound"]
            t = Table(f"{dtype}: the numeric step ({fmt_seconds(whole)}) minus the GEMM bound "
                      f"({fmt_seconds(gemm)}) = {fmt_seconds(whole - gemm)}",
                      ["bucket", "seconds per step", "share of the gap"])
            for bucket, s in gap_breakdown(data):
                t.rows.append([bucket, fmt_seconds(s) if s >= 0 else "-" + fmt_seconds(-s),
                               f"{s / (whole - gemm):.0%}" if whole > gemm else "-"])
            lines += _table(t)
            t = Table(f"{dtype}: the generated functions inside the step (cProfile, own time) "
                      "and their pieces timed alone (cProfile runs right after the interleaved run, so "
                      "a change of load between the two shows here)", ["function", "in the step", "alone", "ratio"])
            t.rows = [[f"`{f}`", fmt_seconds(a), fmt_seconds(b), f"{r:.2f}"]
                      for f, a, b, r in in_step_vs_alone(data, both["in_step"])]
            lines += _table(t)
    lines.append("The pieces are timed alone, with their inputs hot in cache; inside the step "
                 "they run slower (second table), which is most of the remainder. Python "
                 "itself (propagation, Adam.update, dict handling) is tens of microseconds "
                 "(cProfile, in the profile section). Every piece is listed there.")
    return lines + [""]


def write_markdown(path: Path, sections: dict, machine: list, args: dict, seconds: float) -> None:
    rows = targets(sections)
    now = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        "# gradproof benchmarks",
        "",
        f"Written by `{args['command']}` on {now} in {seconds:.0f} s. Measurement only: never "
        "part of the tests' pass/fail. Contenders are timed interleaved in rounds in one "
        "process (A B C, B C A, ...), after warm-up; medians and min/max over the rounds; "
        "ratios are between medians of the same run.",
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
