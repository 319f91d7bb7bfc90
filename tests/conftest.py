"""Shared fixtures: the registry is built once per test session."""

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
# SymPy, cached per process) or the report (which carries the audit's errata). Run first,
# together: pytest-xdist's worksteal gives each worker a contiguous slice of the collection
# and steals from the end of a slice, so these stay on one worker and the audit runs once.
AUDIT_READERS = ("cli/test_audit_cli.py", "unit/test_claims_notes.py", "cli/test_derive_cli.py",
                 "reports/")


def pytest_collection_modifyitems(config, items):
    def reads_the_audit(item) -> bool:
        path = item.path.as_posix()
        return any(f"/tests/{reader}" in path for reader in AUDIT_READERS)

    items[:] = sorted(items, key=lambda item: not reads_the_audit(item))  # stable
