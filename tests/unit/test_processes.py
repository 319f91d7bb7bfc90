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


WORK = """
import os
IMPORTED_IN = os.getpid()


def work(*, step):
    # True where this module was imported before the child existed: by the fork server
    return IMPORTED_IN != os.getpid()
"""

STARTER = """
import sys, types
sys.modules["torch"] = types.ModuleType("torch")   # a library with threads: no fork
from derive.processes import child_context
from derive.claims.budget import run_bounded
import work_module
assert child_context().get_start_method() == "forkserver"
print([run_bounded(work_module.work, seconds=60).value for _ in range(2)])
"""


def test_a_fork_server_imports_the_work_module_once_not_each_child(tmp_path):
    (tmp_path / "work_module.py").write_text(WORK)
    proc = subprocess.run([sys.executable, "-c", STARTER], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300,
                          env={"PYTHONPATH": f"{ROOT}:{tmp_path}", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["[True,", "True]"]
