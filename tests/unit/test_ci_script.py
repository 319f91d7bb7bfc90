"""CI runs exactly the README's test command, and the README's set-up commands exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(python -m pip install[^\n]*)\n```", readme)
    assert len(commands) == 2, commands  # one for the report, one for the tests
    report_cmd, test_cmd = commands
    assert "derive report" in report_cmd and "pytest" in test_cmd
    assert test_cmd in (ROOT / ".ci" / "run").read_text()
