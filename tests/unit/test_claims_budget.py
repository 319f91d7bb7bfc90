"""run_bounded: a value comes back, an exception is raised again, and running out of
time or memory names the last step instead of hanging."""

import time

import pytest

from derive.claims.budget import run_bounded


def _work(n, *, step):
    step("adding")
    return n + 1


def _slow(*, step):
    step("waiting")
    time.sleep(60)


def _hungry(*, step):
    step("allocating")
    hog = [bytearray(1 << 20) for _ in range(4096)]   # 4 GiB, far over the budget
    return len(hog)


def _fails(*, step):
    step("checking")
    raise ValueError("a clear message")


def test_value_comes_back():
    out = run_bounded(_work, 41, seconds=10)
    assert out.ok and out.value == 42


def test_time_budget_names_the_step():
    # Where JAX is loaded (a test worker that ran JAX tests), children come from a fork
    # server whose first start imports SymPy, and each child imports this module (and
    # pytest) to find _slow: on a machine busy with other work that can take longer than
    # the budget, and the child is stopped before it reports a step ("start"). What is
    # tested is that the step the work reached is named, so a budget the child did not
    # get to use is doubled and tried again (0.5 s on an idle machine, one try).
    assert run_bounded(_work, 0, seconds=60).ok  # the fork server, started
    seconds = 0.5
    out = run_bounded(_slow, seconds=seconds)
    while out.step == "start" and seconds < 8:
        seconds *= 2
        out = run_bounded(_slow, seconds=seconds)
    assert not out.ok and out.why == "time" and out.step == "waiting"


def test_memory_budget_names_the_step():
    out = run_bounded(_hungry, seconds=30, memory=64 << 20)
    assert not out.ok and out.why in ("memory", "crash") and out.step == "allocating"


def test_exceptions_are_raised_again():
    with pytest.raises(ValueError, match="a clear message"):
        run_bounded(_fails, seconds=10)


def test_from_the_second_child_on_sympys_units_are_inherited(tmp_path):
    # simplify imports sympy.physics.units on its first call: the first child imports
    # them itself (a single check does not pay for them in the parent); later children
    # find them loaded, imported once by the parent.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "units_probe.py").write_text(
        "import sys\n\n\ndef loaded(*, step):\n"
        "    return 'sympy.physics.units' in sys.modules\n")
    starter = ("from derive.claims.budget import run_bounded\nimport units_probe\n"
               "print([run_bounded(units_probe.loaded, seconds=60).value for _ in range(3)])\n")
    proc = subprocess.run([sys.executable, "-c", starter], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300,
                          env={"PYTHONPATH": f"{root}:{tmp_path}", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["[False,", "True,", "True]"]
