"""Children are never forked from a process that runs JAX's threads, and a user's
script without a main guard is not run again in them (derive.processes)."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import jax, jax.numpy as jnp                 # JAX's threads are running from here on
jnp.ones(3).block_until_ready()
with open(LOG, "a") as f:                    # top level, no main guard: must run once
    f.write("ran\\n")
from verify import check_claim
print(check_claim("sigmoid(40) == 1").verdict, check_claim("x^2 == x*x").verdict)
"""


def test_claims_with_jax_loaded_fork_no_threads_and_rerun_nothing(tmp_path):
    log = tmp_path / "ran.txt"
    script = tmp_path / "user_script.py"
    script.write_text(f"LOG = {str(log)!r}\n" + textwrap.dedent(SCRIPT))
    # JAX warns at every fork of its process ("os.fork() was called ... JAX is
    # multithreaded ... deadlock"); none may happen.
    proc = subprocess.run([sys.executable, str(script)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "fork" not in proc.stderr, proc.stderr[-3000:]
    assert proc.stdout.split() == ["wrong", "holds"]
    assert log.read_text() == "ran\n"
