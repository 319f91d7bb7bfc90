"""Every command line reports MemoryError and OverflowError as one line, exit code 1."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from derive.cli_util import run_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("error, words", [(MemoryError(), "out of memory"),
                                          (OverflowError("math range error"), "overflowed")])
def test_one_line_and_exit_code_1(error, words, capsys):
    def main(argv):
        raise error

    assert run_command(main, "python -m tool", []) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


@pytest.mark.parametrize("package", ["derive", "verify", "benchmarks", "numeric"])
def test_each_command_line_goes_through_it(package):
    # Each module run as a command hands main to the one handler (numeric's train has its
    # own, with advice about --layers): read from the source, since forcing a real
    # MemoryError in a subprocess would need the memory to run out.
    source = (ROOT / package / "__main__.py").read_text()
    entry = source[source.rindex('if __name__ == "__main__":'):]
    assert "run_command(main" in entry or (package == "numeric" and re.search(
        r"except MemoryError", source))
