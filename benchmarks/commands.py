"""Benchmark 4: wall time of ``python -m derive report`` / ``codegen`` and ``import numeric``.

Whole commands in fresh interpreters, as a user runs them. ``codegen`` writes to a
temporary file (``--path``) so the committed ``numeric/_generated.py`` is never touched;
``report`` runs with ``--no-pdf`` (pdflatex's time is not ours) into a temporary folder.
``import numeric`` is ``python -X importtime``'s cumulative time of the package (NumPy
included), the median of several fresh interpreters.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .results import Section, Table
from .timing import fmt_seconds

__all__ = ["run"]

ROOT = Path(__file__).resolve().parents[1]


def _wall(args) -> tuple[float, str]:
    """Seconds of one command, and its stderr tail where it failed ('' on success)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    return elapsed, ("" if proc.returncode == 0 else proc.stderr.strip()[-300:])


def _import_seconds(module: str) -> float:
    """Cumulative import time of ``module`` in a fresh interpreter (``-X importtime``)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) * 1e-6
    raise RuntimeError(f"no importtime line for {module}")


def run(quick: bool) -> Section:
    section = Section("4. Command-line and import times",
                      "Fresh interpreters, wall time, run from the repository root.")
    table = Table("", ["command", "median", "min", "max", "runs", "note"])
    n = 3 if quick else 7
    for module in ("numeric", "numpy"):
        times = [_import_seconds(module) for _ in range(n)]
        table.rows.append([f"import {module}", fmt_seconds(statistics.median(times)),
                           fmt_seconds(min(times)), fmt_seconds(max(times)), str(n),
                           "-X importtime, cumulative" + (" (numeric's floor)" if module == "numpy" else "")])
        section.data[f"import {module}"] = statistics.median(times)
    startup = [_wall(["-c", "pass"])[0] for _ in range(n)]
    table.rows.append(["python -c pass", fmt_seconds(statistics.median(startup)), fmt_seconds(min(startup)),
                       fmt_seconds(max(startup)), str(n), "interpreter start-up, in every command below"])
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "python -m derive codegen": ["-m", "derive", "codegen", "--path", str(Path(tmp) / "_generated.py")],
            "python -m derive report --no-pdf": ["-m", "derive", "report", "--no-pdf", "--out", tmp],
        }
        for label, args in commands.items():
            if quick:
                table.rows.append([label, "skipped in --quick", "", "", "", ""])
                continue
            runs = [_wall(args) for _ in range(2)]
            errors = [e for _, e in runs if e]
            times = [t for t, _ in runs]
            table.rows.append([label, fmt_seconds(statistics.median(times)), fmt_seconds(min(times)),
                               fmt_seconds(max(times)), str(len(runs)),
                               f"failed: {errors[0]}" if errors else "builds and proves every derivation"])
            section.data[label] = statistics.median(times)
    section.tables.append(table)
    return section
