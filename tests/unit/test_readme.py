"""The README's Python blocks run, each in a fresh interpreter: they cannot rot, and none
leans on another without saying so.

A block that continues an earlier one says so in its first line, ``# continues the
block above``, and runs after it (as a reader pasting both would).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CONTINUES = "# continues the block above"


def python_blocks() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "the README has no Python examples"
    return blocks


def programs() -> list[str]:
    """Each block as a reader runs it: alone, or after the block it says it continues."""
    out = []
    for i, block in enumerate(python_blocks()):
        if block.startswith(CONTINUES):
            assert i > 0, "the first block cannot continue another"
            block = out[-1] + "\n" + block
        out.append(block)
    return out


@pytest.mark.parametrize("number", range(1, len(python_blocks()) + 1))
def test_readme_python_block_runs_on_its_own(number, tmp_path):
    program = programs()[number - 1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    # A fresh interpreter per block: nothing defined by an earlier block is visible.
    proc = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"README python block {number} failed:\n{proc.stderr[-2000:]}\n{program}"
