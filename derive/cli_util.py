"""Small pieces the command lines share: one-line errors and early checks."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

__all__ = ["OneLineParser", "check_out_dir", "CLIError"]


class CLIError(Exception):
    """A user-facing failure: printed as one line, exit code 1."""


class OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line (the usage block is one ``--help`` away)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def check_out_dir(path, flag: str = "--out") -> Path:
    """Create ``path`` if needed and make sure files can be written there, before any work."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"cannot use {flag} {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise CLIError(f"cannot write to {flag} {folder}: permission denied")
    return folder


def require_pdflatex(hint: str) -> None:
    if shutil.which("pdflatex") is None:
        raise CLIError(hint)
