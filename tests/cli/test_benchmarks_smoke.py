"""``python -m benchmarks --quick``: it runs and writes its report; timings are never asserted.

The benchmarks are measurement only (issue 6): whatever the numbers, the test run's
pass/fail must not depend on them. What is checked is that every benchmark ran
without crashing and that the markdown and the plot are written with their sections.
"""

import subprocess
import sys

import pytest

SECTIONS = (
    "## Machine",
    "## Targets",
    "## 1. Training step, 784-256-128-10",
    "## 2. Training step, 2-4-1",
    "## 3. Gradient checking",
    "## 4. Command-line and import times",
    "## 5. Peak memory of fit",
    "## Profile of the numeric big step",
)


@pytest.mark.slow
def test_quick_run_writes_every_section(tmp_path):
    # Run from an empty folder without --out: a quick run goes to reports/quick/
    # (git-ignored), never over the committed full results in reports/.
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)
    out = tmp_path / "reports" / "quick"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["quick"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    md = (out / "benchmarks.md").read_text()
    for heading in SECTIONS:
        assert heading in md, f"{heading!r} missing from benchmarks.md"
    # A benchmark that raised is reported as "(failed)" with its traceback.
    assert "(failed)" not in md, md[md.find("(failed)") - 200:][:2000]
    for contender in ("numeric fit", "numeric", "GEMM bound", "GEMM bound (XLA)",
                      "JAX (jit + optax)", "PyTorch (CPU)", "scikit-learn MLPClassifier"):
        assert f"| {contender} |" in md  # timed, or listed as skipped
    assert "| target | measured | met? |" in md
    # Each missed target comes with its reason (the issue's "the measured gap and the
    # reason from a profile"); fit's own profile is there whatever the verdicts.
    if "| no |" in md:
        assert "## Missed targets: the gap and the reason" in md and "Reasons, from this run's profile" in md
    assert "cProfile of `fit`" in md
    assert (out / "benchmarks.png").stat().st_size > 0
