"""Shared fixtures: the registry is built once per test session (once per pytest-xdist worker).

Not shared between workers through a pickle: SymPy rebuilds an unpickled expression with
evaluation, so a derivation's unevaluated steps (a p_keep that cancels, kept on purpose to
show the step) would come back simplified."""

from __future__ import annotations

import shutil

import pytest


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
# runs once. The drift check comes first of all: it builds the registry.
FIRST = ("cli/test_derive_cli.py", "cli/test_audit_cli.py", "reports/", "unit/test_claims_notes.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        path = item.path.as_posix()
        return next((i for i, first in enumerate(FIRST) if f"/tests/{first}" in path), len(FIRST))

    items[:] = sorted(items, key=rank)  # stable: the collection's order within each rank
