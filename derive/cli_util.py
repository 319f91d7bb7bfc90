"""Small pieces the command lines share: one-line errors and early checks."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

__all__ = ["OneLineParser", "check_out_dir", "CLIError", "run_command"]


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


def run_command(main, prog: str, argv=None) -> int:
    """``main(argv)``'s exit code; running out of memory or overflowing a number is one
    line on stderr and exit code 1, never a traceback."""
    try:
        return main(argv)
    except MemoryError:
        print(f"{prog}: error: out of memory (MemoryError): ask for less (smaller sizes, "
              f"fewer points)", file=sys.stderr)
    except OverflowError as exc:
        print(f"{prog}: error: a number overflowed ({exc})", file=sys.stderr)
    return 1
