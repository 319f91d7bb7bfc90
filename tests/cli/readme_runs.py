"""The README's expensive commands, each run once per test session and read by every test
that needs it.

``python -m derive report``, ``python -m verify --quick`` and ``python -m benchmarks
--quick`` take 10-20 s each in a fresh interpreter (the report also forks the notes' audit
onto a second core). tests/cli/test_first_hour.py runs them as a new user does, after
README command 1 alone (:func:`fresh_install.fresh_env`), from an empty folder; other
tests check what they print and write (test_benchmarks_smoke.py, test_verify_cli.py, and
the report tests through the ``report_files`` fixture of tests/conftest.py). Each command
runs once: the first pytest-xdist worker that asks runs it under a lock in the session's
shared temporary folder and leaves its result there; the others wait on the lock and
read it (pytest-xdist's pattern for a session-scoped fixture that must run once). In one
process (``-n 0``) the folder is the session's own.

Each run appends a line to ``runs.log`` in that folder, so a session's runs can be
counted: ``cat /tmp/pytest-of-$USER/pytest-current/runs.log``.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fresh_install import fresh_env

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: each worker runs its own copy
    fcntl = None

__all__ = ["SHARED", "Run", "run", "shared_run"]

# The commands worth sharing: each takes seconds and is read by more than one test.
SHARED = ("python -m derive report", "python -m verify --quick", "python -m benchmarks --quick")
TIMEOUT_S = 900


@dataclass(frozen=True)
class Run:
    """One finished command: what it printed, its exit status, the folder it ran in
    (``work``, empty before it ran) and its wall time (never asserted)."""

    command: str
    returncode: int | None  # None: killed after TIMEOUT_S
    stdout: str
    stderr: str
    work: Path
    seconds: float


def run(command: str, cwd, env, timeout=900) -> subprocess.CompletedProcess:
    """``command`` as the README writes it (``python -m ...``), with this interpreter."""
    argv = shlex.split(command)
    assert argv[0] == "python"
    return subprocess.run([sys.executable, *argv[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _shared_folder(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each worker's basetemp is a folder of the session's one.
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "the only process")


def _log(root: Path, line: str) -> None:
    with open(root / "runs.log", "a") as log:
        log.write(line + "\n")


_RUNS: dict[str, Run] = {}  # this process's copy of the results it has read


def shared_run(tmp_path_factory, command: str) -> Run:
    """``command`` (one of :data:`SHARED`) run once per test session, as after README
    command 1 alone, from an empty folder without ``--out``."""
    if command not in SHARED:
        raise ValueError(f"{command!r} is not one of the shared commands {SHARED}")
    if command in _RUNS:
        return _RUNS[command]
    root = _shared_folder(tmp_path_factory)
    key = "-".join(shlex.split(command)[2:]).replace("--", "").replace("/", "_")
    folder = root / f"readme-run-{key}"
    result = folder / "result.json"
    asked = time.perf_counter()
    with _locked(root / f"readme-run-{key}.lock"):
        waited = time.perf_counter() - asked
        if waited > 1.0:  # another worker was running it: time this worker sat idle
            _log(root, f"{command}: {_worker()} waited {waited:.1f} s for it")
        if not result.is_file():
            work = folder / "work"
            work.mkdir(parents=True)
            start = time.perf_counter()
            try:
                proc = run(command, work, fresh_env(folder), timeout=TIMEOUT_S)
                returncode, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
            except subprocess.TimeoutExpired as exc:  # recorded: the next test must not wait again
                returncode, stdout = None, (exc.stdout or b"").decode(errors="replace")
                stderr = f"{command}: no answer within {TIMEOUT_S} s"
            seconds = time.perf_counter() - start
            result.write_text(json.dumps({"command": command, "returncode": returncode,
                                          "stdout": stdout, "stderr": stderr,
                                          "work": str(work), "seconds": seconds}))
            _log(root, f"{command}: ran in {seconds:.1f} s by {_worker()} (pid {os.getpid()})")
        data = json.loads(result.read_text())
    _RUNS[command] = Run(**{**data, "work": Path(data["work"])})
    return _RUNS[command]
