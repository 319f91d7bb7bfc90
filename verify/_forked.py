"""A function run in a forked child process beside this one, its plain result sent back.

The verification matrix has two halves that share nothing: SymPy's proofs and symbolic
checks, and the numeric checks (NumPy, JAX). Both are mostly Python; two threads of one
process take turns holding the GIL, two processes run on two cores. The child is forked
(it starts at once, with everything this process has imported) and only where that is
safe: before JAX is loaded, whose threads could hold a lock at the fork
(:func:`derive.processes.fork_is_safe`), and with a second core to run on.

What comes back is pickled: plain data only (SymPy objects would be rebuilt, re-evaluated,
on unpickling). Where the child fails (an exception, killed, out of memory) the function
runs again here, so an error is raised in this process, with its traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Callable

__all__ = ["Forked", "start"]


def _child(fn, conn) -> None:
    try:
        conn.send((True, fn()))
    except BaseException:  # noqa: BLE001 - the parent runs fn again and raises there
        conn.send((False, None))
    finally:
        conn.close()


class Forked:
    """``fn()`` running in a child process: :meth:`result` waits for it."""

    def __init__(self, fn: Callable[[], object]):
        from derive.processes import start

        self._fn = fn
        ctx = multiprocessing.get_context("fork")
        self._conn, child_conn = ctx.Pipe(duplex=False)
        # daemon: the child ends with this process (an interrupted run leaves no orphan)
        self._process = ctx.Process(target=_child, args=(fn, child_conn), daemon=True)
        # Text still buffered here would be written a second time by the child at its exit.
        sys.stdout.flush()
        sys.stderr.flush()
        start(self._process)
        child_conn.close()
        self._value: tuple | None = None

    def result(self):
        """The child's ``fn()``; computed here instead where the child failed."""
        if self._value is None:
            try:
                self._value = self._conn.recv()
            except (EOFError, OSError):  # the child died before sending anything
                self._value = (False, None)
            finally:
                self._conn.close()
                self._process.join()
        ok, value = self._value
        return value if ok else self._fn()

    def cancel(self) -> None:
        """Stop the child (its result is not wanted)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()


def start(fn: Callable[[], object]) -> Forked | None:
    """``fn()`` started in a forked child process, or None where forking is not safe
    (see the module docstring) or this machine has one core: then run it here."""
    from derive.processes import fork_is_safe

    if not fork_is_safe() or (os.cpu_count() or 1) < 2:
        return None
    return Forked(fn)
