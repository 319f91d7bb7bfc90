"""Shared fixtures: the registry is built once per test session."""

from __future__ import annotations

import os
import pickle
import shutil

import pytest


@pytest.fixture(scope="session", autouse=True)
def _registry_built_once_for_all_workers(tmp_path_factory, worker_id):
    """Under pytest-xdist, the first worker to need the whole registry builds it (about
    12 s of SymPy proofs) and leaves it pickled beside the workers' temporary folders; the
    others load it (a fraction of a second) instead of deriving and proving it all again.
    Building it is tested once per session either way; without xdist nothing changes."""
    try:
        import fcntl
    except ImportError:  # not on this platform (Windows): each worker builds its own
        fcntl = None
    if worker_id == "master" or fcntl is None:
        yield
        return
    from derive.registry import registry as reg

    shared = tmp_path_factory.getbasetemp().parent
    saved, lock = shared / "registry.pickle", shared / "registry.lock"
    build = reg._build

    def build_or_load():
        if reg._items is None:
            with open(lock, "w") as held:
                fcntl.flock(held, fcntl.LOCK_EX)  # released when the file closes
                if saved.exists():
                    written, topics, items = pickle.loads(saved.read_bytes())
                    reg._written, reg._topics, reg._items = written, topics, items
                    reg._built_modules = len(reg._modules)
                else:
                    del reg._build_next_module  # the registry's own, while it builds
                    try:
                        build()
                    finally:
                        reg._build_next_module = whole
                    part = saved.with_suffix(f".{os.getpid()}")
                    part.write_bytes(pickle.dumps((reg._written, reg._topics, reg._items)))
                    part.rename(saved)
        return reg._items

    def whole():
        # A lookup by name would build some topics here only to drop them for the shared
        # registry: in a worker, the first lookup loads (or builds) the whole of it.
        build_or_load()

    reg._build = build_or_load
    reg._build_next_module = whole
    yield
    del reg._build, reg._build_next_module


@pytest.fixture(scope="session")
def registry():
    from derive import registry as reg

    list(reg)  # build (and prove) every derivation once
    return reg


@pytest.fixture(scope="session")
def report_files(tmp_path_factory, registry):
    """The report written once per session, with the PDF where pdflatex exists."""
    from derive.report import write_report

    out = tmp_path_factory.mktemp("report")
    return write_report(out, pdf=shutil.which("pdflatex") is not None, progress=None)


# The tests that read the audit of the notes (derive.claims.audit.outcomes, about 10 s of
# SymPy, cached per process) or the report (which carries the audit's errata). They run
# first, together: pytest-xdist's worksteal gives each worker a contiguous slice of the
# collection and steals from the end of a slice, so these stay on one worker and the audit
# runs once. The drift check comes first of all: it builds the registry, which the other
# worker loads (above) when it reaches its first derivation, by then mostly built.
FIRST = ("cli/test_derive_cli.py", "cli/test_audit_cli.py", "reports/", "unit/test_claims_notes.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        path = item.path.as_posix()
        return next((i for i, first in enumerate(FIRST) if f"/tests/{first}" in path), len(FIRST))

    items[:] = sorted(items, key=rank)  # stable: the collection's order within each rank
