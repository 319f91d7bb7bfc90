"""The notes' audit for the report, run in a second process beside the derivations.

Both are CPU-bound SymPy work (about 5 s for the audit, 5 s for the derivations on an
idle machine) and they share nothing: the audit reads no derivation. Forked before the
derivations start, the audit runs on a second core and the report waits for the longer
of the two only. Where forking is not safe or not possible (no ``fork`` start method, a
multithreaded library such as JAX already loaded, one core) or the audit is already
cached in this process, it runs here as before.
"""

from __future__ import annotations

from typing import Callable

from . import forked

__all__ = ["start"]


def _errata_or_none():
    try:
        from .claims.audit import errata
    except ImportError:  # pragma: no cover - only while claims is missing
        return None
    return errata


# The rows a child process computed, kept: the audit's own cache lives in the child.
_ROWS: list = []


def start() -> Callable[[], list]:
    """Start the audit; the returned function gives its errata rows (waiting if needed)."""
    errata = _errata_or_none()
    if errata is None:
        return list
    from .claims.audit import outcomes

    if _ROWS:
        return lambda: list(_ROWS)
    child = None if outcomes.cache_info().currsize else forked.start(errata, daemon=False)
    if child is None:
        return errata  # cached already, or forking is unsafe here: run it in this process

    def result() -> list:
        if not _ROWS:
            # (a child that died, killed or out of memory, is run again here)
            _ROWS.extend(child.result(timeout=600))
        return list(_ROWS)

    return result
