"""Run a computation with a time and a memory budget, and say which step ran out.

SymPy has no cancellation points: ``simplify`` of a power of a sum can run for minutes
or exhaust memory, and a recursion can end in a crash. So the work runs in a child
process (forked, or from a fork server where a library with threads of its own is
loaded: :func:`derive.processes.child_context`) whose
address space is limited (``RLIMIT_AS``: what it has now plus the memory budget) and
which is killed at the deadline. The work reports its steps (``step("simplify")``)
through a pipe, so that the answer can name the step that was too expensive.

Where neither exists (Windows), the work runs in this process, unbounded.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any, Callable

from ..processes import child_context, start

__all__ = ["Bounded", "run_bounded", "DEFAULT_SECONDS", "DEFAULT_MEMORY"]

DEFAULT_SECONDS = 10.0
DEFAULT_MEMORY = 1 << 30      # bytes the work may add to what the process has


@dataclass(frozen=True)
class Bounded:
    """What came back. ``ok``: ``value`` is the work's result. Otherwise ``why`` is
    ``"time"``, ``"memory"``, ``"recursion"`` or ``"crash"`` and ``step`` the last step
    the work reported."""

    ok: bool
    value: Any = None
    why: str = ""
    step: str = ""


def _limit_memory(extra: int) -> None:
    try:
        import resource
    except ImportError:          # not on this platform
        return
    try:
        with open("/proc/self/statm") as f:
            now = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        now = 0
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = now + extra
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def _limit_cpu(seconds: float) -> None:
    # A backstop: the parent kills the child at the deadline, but a parent that dies
    # first (killed, Ctrl-C) would leave it running; the kernel then ends it.
    try:
        import resource
    except ImportError:          # not on this platform
        return
    limit = int(seconds) + 5
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def _child(conn, work, args, kwargs, memory, seconds):
    code = 0
    try:
        _limit_memory(memory)
        _limit_cpu(seconds)

        def step(name: str) -> None:
            conn.send(("step", name))

        conn.send(("done", work(*args, step=step, **kwargs)))
    except MemoryError:
        code = _send(conn, ("memory", None))
    except RecursionError:
        code = _send(conn, ("recursion", None))
    except BaseException as exc:  # noqa: BLE001  (handed to the parent, which re-raises)
        code = _send(conn, ("raise", exc))
    finally:
        try:
            conn.close()
        finally:
            os._exit(code)


def _send(conn, message) -> int:
    try:
        conn.send(message)
    except BaseException:  # noqa: BLE001  (e.g. an exception that does not pickle)
        try:
            conn.send(("raise", RuntimeError(repr(message[1])[:500])))
        except BaseException:  # noqa: BLE001
            return 3
    return 0


_CHILDREN = [0]       # children started by this process


def _before_another_child() -> None:
    # SymPy's simplify imports its physical units on its first call (0.08 s of CPU, as
    # much as checking a simple claim): from the second child on, this process has
    # imported them, so that each forked child inherits them instead of importing them
    # again. A single check (the command line) does not pay for them here.
    if _CHILDREN[0]:
        import sympy.physics.units  # noqa: F401
    _CHILDREN[0] += 1


def run_bounded(work: Callable[..., Any], *args, seconds: float = DEFAULT_SECONDS,
                memory: int = DEFAULT_MEMORY, **kwargs) -> Bounded:
    """``work(*args, step=..., **kwargs)`` within ``seconds`` and ``memory`` bytes more.

    An exception the work raises is raised here again (a parse error stays a parse
    error); running out of time or memory, or a crash, comes back as ``Bounded``.
    """
    ctx = child_context(getattr(work, "__module__", None))
    _before_another_child()
    if ctx is None:
        return Bounded(True, work(*args, step=lambda name: None, **kwargs))
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(writer, work, args, kwargs, memory, seconds),
                       daemon=True)
    deadline = time.monotonic() + seconds
    start(proc)
    writer.close()
    last = "start"
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not reader.poll(left):
                return Bounded(False, why="time", step=last)
            try:
                kind, payload = reader.recv()
            except (EOFError, OSError):
                proc.join(1)
                return Bounded(False, why="crash", step=last)
            if kind == "step":
                last = payload
            elif kind == "done":
                return Bounded(True, payload)
            elif kind == "raise":
                raise payload
            else:
                return Bounded(False, why=kind, step=last)
    finally:
        reader.close()
        if proc.is_alive():
            proc.kill()
        proc.join(2)
