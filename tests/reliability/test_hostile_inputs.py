"""50+ malformed or hostile inputs (tests/reliability/hostile_cases.py) through load, save,
Network, fit, the train CLI, gradcheck and check_network, in a child process under a
2 GiB address-space cap and a time limit: each ends in its documented error (type and
words) or a correct answer; none in MemoryError, RecursionError, a hang or a crash.
"""

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CAP = 2 * 2**30  # bytes of address space for the child (and the CLIs it starts)

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS") or sys.platform == "darwin",
                                reason="needs RLIMIT_AS")


def _capped():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def test_hostile_inputs_end_in_documented_errors_or_correct_answers(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, str(HERE / "hostile_cases.py"), str(tmp_path)],
                         capture_output=True, text=True, timeout=900, env=env, cwd=ROOT,
                         preexec_fn=_capped)
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(results) >= 50
    wrong = []
    for r in results:
        if r["expected"] == "ok":
            good = r["outcome"] == "returned" and r["value"] is True
        else:
            kind, words = r["expected"]
            good = (r["outcome"] == "raised" and kind in r["types"] and words in r["message"]
                    and "\n" not in r["message"].strip())
        if not good:
            wrong.append(r)
    assert not wrong, "\n".join(json.dumps(r) for r in wrong)
