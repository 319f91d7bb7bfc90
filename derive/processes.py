"""Child processes that are safe to start whatever this process has loaded.

A forked child inherits the parent's memory as it is, locks included: where a library
that runs its own threads (JAX, PyTorch) is loaded, a lock one of those threads holds
at the fork stays held in the child forever. There the children come from a fork
server instead: a clean process, started once, that has imported only what is named
here, and forks each child from itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys

__all__ = ["fork_is_safe", "child_context", "start", "THREADED"]

# Libraries whose threads make a fork unsafe (the child could inherit a held lock).
THREADED = ("jax", "torch", "tensorflow")

# What the fork server imports once, so that each child it forks starts ready; the
# modules of the work the children run are added (child_context's ``modules``).
_PRELOAD = ["sympy", "mpmath", "sympy.physics.units"]   # simplify imports the last
_WORK_MODULES: dict[str, None] = {}     # in the order first asked for


def fork_is_safe() -> bool:
    """``fork`` exists here and no library with threads of its own is loaded."""
    return ("fork" in multiprocessing.get_all_start_methods()
            and not any(name in sys.modules for name in THREADED))


def child_context(*modules: str):
    """The multiprocessing context for a child: ``fork`` where safe, else ``forkserver``
    (or None where neither exists, as on Windows).

    ``modules``: those the child's work lives in (``verify.claim`` for a claim). A fork
    server imports them when it starts, so that its children do not each import them
    again to find the work (``verify.claim`` costs 0.2 s of CPU, four times a claim's
    check). The server starts once per process, with the modules asked for until then.
    """
    methods = multiprocessing.get_all_start_methods()
    if fork_is_safe():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        # __main__ is never preloaded: that would run a user's script in the server.
        _WORK_MODULES.update((m, None) for m in modules if m and m != "__main__")
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD + list(_WORK_MODULES))
        return ctx
    return None


@contextlib.contextmanager
def _main_hidden():
    # A fork server's child imports the parent's __main__ again, to find functions
    # defined there: a user's script without an ``if __name__ == "__main__"`` guard would
    # run once more in every child. The children here run functions of this package
    # only, so __main__ is hidden from multiprocessing while a child is started.
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__.pop(k) for k in ("__file__",) if main and k in main.__dict__}
    spec = getattr(main, "__spec__", None)
    if main is not None:
        main.__spec__ = None
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)
            main.__spec__ = spec


def start(process) -> None:
    """``process.start()``, without re-running the parent's ``__main__`` in the child."""
    with _main_hidden():
        process.start()
