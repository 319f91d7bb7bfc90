"""Benchmark 7: the README's test command, timed as a user runs it.

``python -m pytest -q -p no:cacheprovider --durations=N`` from the repository root in a
child process (pyproject's addopts add ``-n auto --dist worksteal``: every core), with
the thread settings and cores this process started with (benchmarks/machine.py pins its
own). Reported: wall time, the CPU time of the child and its children (the pytest-xdist
workers and the commands they run), the test counts, and the slowest tests. The cache
plugin is off so that the run leaves nothing in the repository.

Full runs only: ``--quick`` runs inside the test suite (tests/cli/test_benchmarks_smoke.py),
and a suite that timed itself would never end. A full run started while this benchmark
times the suite (by a test, in whatever environment: the README checks run commands in a
clean one) finds the lock held and skips it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .results import Section, Table

__all__ = ["run", "COMMAND", "parse_summary", "parse_durations"]

ROOT = Path(__file__).resolve().parents[1]
SLOWEST = 12
COMMAND = ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--durations={SLOWEST}"]
TIMEOUT_S = 1800  # the 2-core machine of issue 16, busy, took 505 s: a hang hits this, not a slow run
# Held while the suite is timed; per repository, released when this process ends however it ends.
LOCK = Path(tempfile.gettempdir()) / f"gradproof-suite-{hashlib.sha1(str(ROOT).encode()).hexdigest()[:12]}.lock"

_COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|warnings?|deselected)")
_DURATION = re.compile(r"^([\d.]+)s (setup|call|teardown)\s+(\S.*)$")


def parse_summary(output: str) -> dict[str, int]:
    """The counts of pytest's last summary line (``2034 passed, 1 skipped in 182.1s``)."""
    lines = [line for line in output.splitlines() if re.search(r" in [\d.]+s", line)]
    if not lines:
        return {}
    return {kind.rstrip("s") if kind.startswith(("error", "warning")) else kind: int(n)
            for n, kind in _COUNT.findall(lines[-1])}


def parse_durations(output: str) -> list[tuple[float, str, str]]:
    """``--durations``' rows: (seconds, phase, test id), slowest first."""
    rows = [(float(m.group(1)), m.group(2), m.group(3).strip())
            for m in map(_DURATION.match, output.splitlines()) if m]
    return sorted(rows, reverse=True)


@contextmanager
def _timing_the_suite():
    """Yields False where the suite of this repository is being timed already (this call
    is inside that run), else True, holding :data:`LOCK` until the block ends."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no guard; only --quick runs inside the suite
        yield True
        return
    with open(LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run(quick: bool) -> Section:
    section = Section("Test suite (the README's test command)",
                      f"`python {' '.join(COMMAND)}` from the repository root, in a child "
                      "process with every core (pyproject's `-n auto --dist worksteal`). "
                      "Wall time and CPU time of the run, its workers and the commands they "
                      "start; the load average says what else ran on the machine.")
    if quick:
        section.notes.append("the test suite's run is skipped in --quick (--quick runs inside "
                             "the test suite); `python -m benchmarks --only suite` times it alone")
        return section
    from .machine import run_as_started

    with _timing_the_suite() as first:
        if not first:
            section.notes.append("skipped: this run is inside the suite's own timed run")
            return section
        load = os.getloadavg()[0]
        proc, wall, cpu, cores = run_as_started(COMMAND, cwd=ROOT, timeout=TIMEOUT_S)
    counts = parse_summary(proc.stdout)
    section.data.update(wall=wall, cpu=cpu, counts=counts, returncode=proc.returncode, cores=cores)
    table = Table("", ["wall", "CPU (all processes)", "passed", "failed", "skipped", "exit status",
                       "load average before"])
    table.rows.append([f"{wall:.0f} s", f"{cpu:.0f} s ({cpu / wall:.2f} cores busy)",
                       counts.get("passed", 0), counts.get("failed", 0) + counts.get("error", 0),
                       counts.get("skipped", 0), proc.returncode, f"{load:.2f} (the run's {cores} cores)"])
    section.tables.append(table)
    slow = Table(f"The {SLOWEST} slowest test phases (pytest --durations)", ["seconds", "phase", "test"])
    slow.rows = [[f"{s:.1f}", phase, f"`{test}`"] for s, phase, test in parse_durations(proc.stdout)]
    section.tables.append(slow)
    if proc.returncode != 0:
        tail = (proc.stdout[-1500:] + proc.stderr[-500:]).strip()
        section.notes.append("the suite did not pass:\n```\n" + tail + "\n```")
    return section
