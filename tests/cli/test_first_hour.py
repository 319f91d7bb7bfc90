"""A new user's first hour (issue 17): the README's commands after README command 1 alone,
plain ``--help`` texts, commands that work from any folder."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from fresh_install import ROOT, blocked_modules, fresh_env

README = (ROOT / "README.md").read_text()


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def readme_commands() -> list[str]:
    """The ``python -m`` commands of README command 1 and of the Quickstart's bash blocks."""
    blocks = re.findall(r"```bash\n(.*?)```", _section("The two commands"), re.S)[:1]
    blocks += re.findall(r"```bash\n(.*?)```", _section("Quickstart"), re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            for part in line.split("#", 1)[0].split("&&"):
                part = part.strip()
                if part.startswith("python -m ") and not part.startswith("python -m pip "):
                    commands.append(part)
    return commands


def run(command: str, cwd, env, timeout=900):
    argv = shlex.split(command)
    assert argv[0] == "python"
    return subprocess.run([sys.executable, *argv[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_the_simulated_fresh_install_lacks_the_extras():
    # The simulation is only worth something if it hides what README command 1 does not
    # install (scikit-learn for `numeric train --data digits`, the test tools) and keeps
    # what it does.
    blocked = set(blocked_modules())
    for module in ("sklearn", "pytest", "hypothesis"):
        present = subprocess.run([sys.executable, "-c", f"import {module}"]).returncode == 0
        assert module in blocked or not present, module
    assert not blocked & {"numpy", "sympy", "jax", "matplotlib", "optax"}


@pytest.mark.slow
def test_readme_cli_quickstart_runs_after_readme_command_1_alone(tmp_path):
    """Every ``python -m`` command of the README, run as written from a new folder with
    only the main dependencies importable: no traceback; a command that needs an extra
    stops at the door with one line that says what to install.

    ``python -m benchmarks`` without ``--quick`` is left out: the same code as the
    ``--quick`` line, run for three minutes instead of thirty seconds.
    """
    commands = readme_commands()
    assert "python -m derive report" in commands and "python -m verify --quick" in commands
    env = fresh_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    for command in commands:
        if command == "python -m benchmarks":
            continue
        proc = run(command, work, env)
        out = proc.stdout + proc.stderr
        assert "Traceback" not in out, f"{command}\n{out[-3000:]}"
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and "pip install" in lines[0], f"{command}\n{out[-3000:]}"
    # What the README says the commands write, they wrote here (not into the repository).
    for name in ("derivations.tex", "verification.tex", "benchmarks.md"):
        assert (work / "reports" / name).is_file(), name


def test_benchmarks_runs_from_any_folder_after_install(tmp_path):
    proc = run("python -m benchmarks --help", tmp_path, fresh_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "usage: python -m benchmarks" in proc.stdout


HELP_COMMANDS = ["derive", "derive report", "derive codegen", "derive audit", "verify",
                 "verify claim", "numeric", "numeric train", "benchmarks"]
# reStructuredText roles and literals, and "see some.module" pointers into the code.
MARKUP = re.compile(r"``|:(mod|func|class|meth|attr|data):|\(see [a-z_]+\.[a-z_.]+\)")


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_help_is_plain_text(command):
    proc = run(f"python -m {command} --help", ROOT, dict(os.environ), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not MARKUP.search(proc.stdout), proc.stdout
