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
