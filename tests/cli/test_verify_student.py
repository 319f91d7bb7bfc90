"""python -m verify student: the correct file passes, six planted bugs are named, runaway
functions are stopped, and nothing but the definitions of a file is run."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from numeric.course import COURSE_FUNCTIONS
from verify.student import definitions, format_report, grade
from verify.student_cases import NOT_GRADED, SPECS

FILES = Path(__file__).parent / "student_files"
ROOT = Path(__file__).resolve().parents[2]


def _by_name(report):
    return {f["name"]: f for f in report["functions"]}


def test_every_course_function_is_graded_or_says_why():
    assert set(SPECS) | set(NOT_GRADED) == set(COURSE_FUNCTIONS)


def test_the_correct_file_passes_every_function():
    report = grade(FILES / "correct.py")
    statuses = {n: f["status"] for n, f in _by_name(report).items()}
    assert len(statuses) == 20 and set(statuses.values()) == {"pass"}, statuses
    assert report["failed"] == 0


# The six planted bugs of planted.py, and a phrase each hint must contain.
PLANTED = {
    "compute_cost": "a missing 1/m with m = 3",
    "linear_backward": "'dW': transpose",
    "linear_activation_backward": "sigmoid' for relu",
    "backward_propagation_with_regularization": "'db3': missing sum over axis 1",
    "backward_propagation_with_dropout": "the dropout mask is not reapplied",
    "update_parameters_with_adam": "Adam without bias correction",
}


def test_six_planted_bugs_get_six_named_failures_with_the_right_hint():
    report = grade(FILES / "planted.py")
    functions = _by_name(report)
    failed = {n for n, f in functions.items() if f["status"] != "pass"}
    assert failed == set(PLANTED)
    for name, phrase in PLANTED.items():
        hints = functions[name]["hints"]
        assert any(phrase in h for h in hints), (name, hints)
        assert functions[name]["input"]  # the smallest failing input is shown
    text = format_report(report)
    assert "FAIL  compute_cost" in text and "smallest failing input: AL = " in text


def test_runaway_functions_are_stopped_and_the_others_graded():
    report = grade(FILES / "runaway.py", time_limit=1.0)
    functions = _by_name(report)
    assert functions["linear_forward"]["status"] == "stopped"
    assert "still running after 1 s" in functions["linear_forward"]["message"]
    # its own alarm ignored: the parent's clock stops it
    assert "still running after 1 s" in functions["relu_backward"]["message"]
    assert "printed more than" in functions["sigmoid"]["message"]
    assert "more memory than the limit (1024 MiB)" in functions["relu"]["message"]
    assert "file-size limit" in functions["compute_cost"]["message"]
    assert functions["linear_backward"]["status"] == "pass"
    assert report["skipped"][0][:2] == [4, 5]  # the top-level `while True` was not run


def test_only_imports_and_definitions_run(tmp_path):
    marker = tmp_path / "ran"
    solution = tmp_path / "solution.py"
    solution.write_text(
        "import numpy as np\nimport os\n"
        f"open({str(marker)!r}, 'w').close()\n"
        "def relu(Z):\n    return np.maximum(0, Z), Z\n")
    module, skipped = definitions(solution.read_text(), str(solution))
    assert [type(n).__name__ for n in module.body] == ["Import", "FunctionDef"]
    assert [s[2] for s in skipped] == ["import of os", "top-level statement"]
    report = grade(solution)
    assert _by_name(report)["relu"]["status"] == "pass"
    assert not marker.exists()


def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "verify", "student", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_cli_json_and_exit_codes(tmp_path):
    run = _cli(FILES / "planted.py", "--json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["passed"] == 14 and report["failed"] == 6
    assert _cli(FILES / "correct.py").returncode == 0
    missing = _cli(tmp_path / "nope.py")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    run = _cli(broken)
    assert run.returncode == 2 and "line 1: syntax error" in run.stderr


@pytest.mark.parametrize("bad", ["--time-limit=0", "--memory-mb=10"])
def test_cli_refuses_bad_limits(bad):
    run = _cli(FILES / "correct.py", bad)
    assert run.returncode == 2 and "--time-limit must be" in run.stderr


def test_the_hints_name_sign_sum_broadcast_and_factor():
    import numpy as np

    from verify.student_compare import differences

    x = np.arange(1.0, 7.0).reshape(2, 3)
    assert "sign flip" in differences(-x, x, "dW")[0]
    assert "missing sum over axis 1" in differences(np.ones((2, 3)), np.ones((2, 1)), "db")[0]
    assert "broadcast shape" in differences(np.ones(3), np.ones((1, 3)), "db")[0]
    assert "factor x4" in differences(4 * x, x, "dW")[0]
    assert differences(x * (1 + 1e-13), x, "dW") == []  # rounding is not a mistake
    assert "has no 'db1'" in differences({"dW1": x}, {"dW1": x, "db1": x})[0]
    assert "3 items, expected 2" in differences((x, x, x), (x, x))[0]
