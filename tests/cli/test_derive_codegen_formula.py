"""python -m derive codegen --activation/--loss: a standalone NumPy module of a user's
formulas (imports only NumPy); printed without --out; bad formulas in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from derive import custom_activation, custom_loss

MISH, LOG_COSH = "mish=z*tanh(softplus(z))", "log_cosh=log(cosh(a - y))"


def _derive(*args, cwd):
    return subprocess.run([sys.executable, "-m", "derive", "codegen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env=os.environ.copy())


def test_out_writes_a_module_that_imports_with_numpy_only_and_equals_the_objects(tmp_path):
    run = _derive("--activation", MISH, "--loss", LOG_COSH, "--out", "mine.py", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.py"]   # no leftovers
    A = [[-1000.0, -2.5, 0.0, 0.7, 1000.0]]
    Y = [[0.0, 1.0, -1.0, 0.7, -3.0]]
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import numpy, mine\n"
        "A, Y = (numpy.array(json.loads(v)) for v in sys.argv[2:4])\n"
        "w = mine.Workspace(); out = numpy.empty_like(A)\n"
        "print(json.dumps({'g': mine.mish(A).tolist(), 'gp': mine.mish_prime(A).tolist(),\n"
        "  'gpi': mine.mish_prime_into(A, out, w).tolist(),\n"
        "  'cost': float(mine.log_cosh_cost(A, Y, 5)), 'dz': mine.log_cosh_linear_dz(A, Y).tolist(),\n"
        "  'heavy': sorted(k for k in sys.modules if k.split('.')[0] in "
        "('sympy', 'derive', 'numeric', 'verify', 'jax'))}))\n")
    # -I: no PYTHONPATH and no user site, so nothing of this project can be imported
    got = subprocess.run([sys.executable, "-I", "-c", script, str(tmp_path), json.dumps(A),
                          json.dumps(Y)], capture_output=True, text=True, timeout=60)
    assert got.returncode == 0, got.stderr
    got = json.loads(got.stdout)
    assert got["heavy"] == []
    mish, log_cosh = custom_activation(*MISH.split("=")), custom_loss(*LOG_COSH.split("=", 1))
    A, Y = np.array(A), np.array(Y)
    np.testing.assert_array_equal(got["g"], mish.g(A))
    np.testing.assert_array_equal(got["gp"], mish.g_prime(A))
    np.testing.assert_array_equal(got["gpi"], mish.g_prime(A))
    assert got["cost"] == log_cosh.cost(A, Y, 5) and np.isfinite(got["cost"])
    np.testing.assert_array_equal(got["dz"], log_cosh.dz(A, Y))


def test_without_out_the_module_is_printed(tmp_path):
    run = _derive("--activation", "softsign=z/(1 + abs(z))", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "def softsign(Z):" in run.stdout and "def softsign_prime_into(" in run.stdout
    assert "DO NOT EDIT BY HAND" in run.stdout and list(tmp_path.iterdir()) == []


def test_a_bad_formula_or_flag_is_one_line_and_writes_nothing(tmp_path):
    for args, words in ((["--activation", "bad=log(z)", "--out", "x.py"], "undefined"),
                        (["--loss", "bad=a.real", "--out", "x.py"], "accepted:"),
                        (["--activation", MISH, "--check"], "--check")):
        run = _derive(*args, cwd=tmp_path)
        assert run.returncode == 2 and words in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert list(tmp_path.iterdir()) == []
