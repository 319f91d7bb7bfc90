"""Shared fixtures: the registry is built once per test session (once per pytest-xdist worker).

Not shared between workers through a pickle: SymPy rebuilds an unpickled expression with
evaluation, so a derivation's unevaluated steps (a p_keep that cancels, kept on purpose to
show the step) would come back simplified."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "cli"))  # the README's commands, shared
from readme_runs import shared_run  # noqa: E402


@pytest.fixture(scope="session")
def registry():
    from derive import registry as reg

    list(reg)  # build (and prove) every derivation once
    return reg


# A user's activation and loss (the README's examples), derived once per session: the
# custom-formula tests of tests/unit and tests/cli read them.
@pytest.fixture(scope="session")
def mish():
    from derive import custom_activation

    return custom_activation("mish", "z*tanh(softplus(z))")


@pytest.fixture(scope="session")
def log_cosh():
    from derive import custom_loss

    return custom_loss("log_cosh", "log(cosh(a - y))")


@pytest.fixture(scope="session")
def report_files(tmp_path_factory):
    """The report of the session's one ``python -m derive report`` (tests/cli/readme_runs.py,
    also the README check of test_first_hour.py): a first build from an empty folder, in a
    fresh interpreter, with the PDF where pdflatex exists."""
    from derive.report import ReportFiles

    run = shared_run(tmp_path_factory, "python -m derive report")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.work / "reports"
    pdf = out / "derivations.pdf"
    return ReportFiles(out / "derivations.tex", pdf if pdf.is_file() else None,
                       out / "activations.pdf", run.seconds)


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
