"""derive.forked: a function run in a forked child, its plain result sent back."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: the test session may have loaded JAX, where no fork is made.
_SCRIPT = textwrap.dedent("""
    import os, sys
    from derive import forked as _forked

    def child_pid():
        return os.getpid()

    def fails():
        raise ValueError("raised in " + ("the child" if os.getpid() != PARENT else "the parent"))

    PARENT = os.getpid()
    job = _forked.start(child_pid)
    assert job is not None, "no fork where it is safe"
    pid = job.result()
    assert isinstance(pid, int) and pid != PARENT, pid
    try:
        _forked.start(fails).result()
    except ValueError as exc:
        print("error:", exc)
    import time
    job = _forked.start(lambda: time.sleep(60))
    job.cancel()
    print("alive after cancel:", job._process.is_alive())
    job = _forked.start(lambda: time.sleep(60))
    try:
        job.result(timeout=0.5)
    except TimeoutError:
        print("timed out, alive:", job._process.is_alive())

    def grandchild():  # work that starts a process of its own (the audit's bounded checks)
        import multiprocessing
        p = multiprocessing.get_context("fork").Process(target=int)
        p.start()
        p.join()
        return os.getpid()

    print("grandchild from a non-daemon child:",
          _forked.start(grandchild, daemon=False).result() != PARENT)
    import jax  # noqa: F401
    print("after jax:", _forked.start(child_pid))
""")


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                    reason="needs fork and two cores")
def test_result_from_a_child_an_error_raised_here_cancel_and_no_fork_after_jax():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # a child's failure is run again here, so that the error has this process's traceback
    assert "error: raised in the parent" in proc.stdout
    assert "alive after cancel: False" in proc.stdout
    assert "timed out, alive: False" in proc.stdout
    # (a daemon child could not start it, and the parent would run the work itself)
    assert "grandchild from a non-daemon child: True" in proc.stdout
    assert "after jax: None" in proc.stdout
