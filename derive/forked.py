"""A function run in a forked child process beside this one, its plain result sent back.

Two jobs of this package run work that shares nothing with what this process does
meanwhile: the report's audit of the notes beside the derivations (derive.errata_job),
and the verification matrix's SymPy half beside its numeric checks (verify.matrix).
Both are mostly Python; two threads of one process take turns holding the GIL, two
processes run on two cores. The child is forked
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

from .processes import fork_is_safe
from .processes import start as start_process

__all__ = ["Forked", "start"]


def _child(fn, conn) -> None:
    try:
        conn.send((True, fn()))
    except BaseException:  # noqa: BLE001 - the parent runs fn again and raises there
        conn.send((False, None))
    finally:
        conn.close()


class Forked:
    """``fn()`` running in a child process: :meth:`result` waits for it.

    ``daemon``: the child ends with this process (an interrupted run leaves no orphan);
    a daemon cannot start processes of its own, so work that does (the audit's bounded
    checks) runs in a child that is not one, which this process waits for at its exit.
    """

    def __init__(self, fn: Callable[[], object], daemon: bool = True):
        self._fn = fn
        ctx = multiprocessing.get_context("fork")
        self._conn, child_conn = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_child, args=(fn, child_conn), daemon=daemon)
        # Text still buffered here would be written a second time by the child at its exit.
        sys.stdout.flush()
        sys.stderr.flush()
        start_process(self._process)
        child_conn.close()
        self._value: tuple | None = None

    def result(self, timeout: float | None = None):
        """The child's ``fn()``; computed here instead where the child failed.
        ``timeout``: seconds to wait at most, then the child is stopped and
        :class:`TimeoutError` raised."""
        if self._value is None:
            if timeout is not None and not self._conn.poll(timeout):
                self.cancel()
                raise TimeoutError(f"no result from the child process within {timeout:g} s")
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


def start(fn: Callable[[], object], daemon: bool = True) -> Forked | None:
    """``fn()`` started in a forked child process, or None where forking is not safe
    (see the module docstring) or this machine has one core: then run it here."""
    if not fork_is_safe() or (os.cpu_count() or 1) < 2:
        return None
    return Forked(fn, daemon=daemon)
