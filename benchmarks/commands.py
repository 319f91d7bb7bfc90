"""Benchmark 4: wall time of ``python -m derive report`` / ``codegen``, ``python -m verify
--quick`` and ``import numeric``; ``check_network``'s JAX reference compiled once.

Whole commands in fresh interpreters, as a user runs them. ``codegen`` writes to a
temporary file (``--path``) so the committed ``numeric/_generated.py`` is never touched;
``report`` runs with ``--no-pdf`` (pdflatex's time is not ours) into a temporary folder,
and so does ``verify --quick``. The commands run with the cores and thread settings this
process started with (:func:`benchmarks.machine.as_started`), not the one pinned core of
the step benchmarks: ``derive report`` and ``verify --quick`` each run a second process
beside the first, as they do for a user. ``import numeric`` is ``python -X importtime``'s
cumulative time of the package (NumPy included), the median of several fresh
interpreters. ``check_network`` twice in one fresh interpreter, on two 4-5-1 networks of
the same architecture: the second call must compile nothing (counted in JAX's own
compile log), where each call used to trace and compile its reference again.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .machine import run_as_started
from .results import Section, Table
from .timing import fmt_seconds

__all__ = ["run"]

ROOT = Path(__file__).resolve().parents[1]


def _wall_and_cpu(args) -> tuple[float, float, str]:
    """Wall and CPU seconds of one command (:func:`benchmarks.machine.run_as_started`),
    and its stderr tail where it failed ('' on success)."""
    proc, wall, cpu, _ = run_as_started(args, cwd=ROOT)
    return wall, cpu, ("" if proc.returncode == 0 else proc.stderr.strip()[-300:])


def _wall(args) -> tuple[float, str]:
    """Seconds of one command, and its stderr tail where it failed ('' on success)."""
    wall, _, error = _wall_and_cpu(args)
    return wall, error


def _import_seconds(module: str) -> float:
    """Cumulative import time of ``module`` in a fresh interpreter (``-X importtime``)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) * 1e-6
    raise RuntimeError(f"no importtime line for {module}")


# Run in a fresh interpreter: the first check_network call pays for the JAX reference's
# compile, the second (another 4-5-1 network, the same architecture) must not.
_CHECK_NETWORK_TWICE = """
import json, logging, time
import numpy as np
import jax
from numeric import Network
from verify import check_network

compiles = []
class Count(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("Compiling"):
            compiles.append(record.getMessage())
logging.getLogger("jax").addHandler(Count())
logging.getLogger("jax").setLevel(logging.DEBUG)
out = {}
with jax.log_compiles(True):
    for call, seed in (("first", 0), ("second", 1)):
        rng = np.random.default_rng(seed)
        net = Network([4, 5, 1], hidden="tanh", output="sigmoid", seed=seed)
        X, Y = rng.standard_normal((4, 8)), (rng.random((1, 8)) < 0.5).astype(float)
        before, start = len(compiles), time.perf_counter()
        ok = check_network(net, X, Y).ok
        out[call] = {"seconds": time.perf_counter() - start, "compiles": len(compiles) - before, "ok": ok}
print(json.dumps(out))
"""


def _check_network_twice() -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHECK_NETWORK_TWICE], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


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
        # the command the target names: CI's subset of the verification matrix
        label = "python -m verify --quick"
        if quick:
            table.rows.append([label, "skipped in --quick", "", "", "", ""])
        else:
            load = os.getloadavg()[0]
            runs = [_wall_and_cpu(["-m", "verify", "--quick", "--quiet", "--no-pdf", "--out", tmp])
                    for _ in range(3)]
            errors = [e for _, _, e in runs if e]
            times = [t for t, _, _ in runs]
            cpu = statistics.median(c for _, c, _ in runs)
            table.rows.append([label, fmt_seconds(statistics.median(times)), fmt_seconds(min(times)),
                               fmt_seconds(max(times)), str(len(runs)),
                               f"failed: {errors[0]}" if errors else
                               f"every derivation proved, every generated function, the small "
                               f"networks; CPU {fmt_seconds(cpu)} (user + sys, its two processes "
                               f"together), load {load:.1f} before"])
            section.data[label] = statistics.median(times)
    twice = _check_network_twice()
    for call in ("first", "second"):
        c = twice[call]
        table.rows.append([f"verify.check_network, 4-5-1 tanh/sigmoid, {call} call",
                           fmt_seconds(c["seconds"]), "", "", "1",
                           f"{c['compiles']} JAX compile(s)" + ("" if c["ok"] else ", check FAILED")
                           + ("; a fresh interpreter" if call == "first" else
                              "; another network of the same architecture, same process")])
    section.data["check_network twice"] = twice
    section.tables.append(table)
    return section
