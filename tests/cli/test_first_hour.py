"""A new user's first hour (issue 17): the README's commands after README command 1 alone,
plain ``--help`` texts, commands that work from any folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from fresh_install import ROOT, blocked_modules, fresh_env
from readme_runs import SHARED, run, shared_run

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


def test_the_simulated_fresh_install_lacks_the_extras():
    # The simulation is only worth something if it hides what README command 1 does not
    # install (scikit-learn for `numeric train --data digits`, the test tools) and keeps
    # what it does.
    blocked = set(blocked_modules())
    for module in ("sklearn", "pytest", "hypothesis"):
        present = subprocess.run([sys.executable, "-c", f"import {module}"]).returncode == 0
        assert module in blocked or not present, module
    assert not blocked & {"numpy", "sympy", "jax", "matplotlib", "optax"}


CLAIM_EXIT_CODES = {"holds": 0, "wrong": 1, "not proved": 3, "inconclusive": 4}


# What the README says a command writes, under the folder it runs in (the quick runs
# write to reports/quick/, never over the committed full reports).
WRITES = {"python -m derive report": "derivations.tex",
          "python -m verify --quick": "quick/verification.tex",
          "python -m benchmarks --quick": "quick/benchmarks.md"}
# ``python -m benchmarks`` without ``--quick`` is left out: the same code as the
# ``--quick`` line, run for three minutes instead of thirty seconds.
QUICKSTART = [c for c in readme_commands() if c != "python -m benchmarks"]


def test_the_quickstart_has_the_main_commands():
    commands = readme_commands()
    assert "python -m derive report" in commands and "python -m verify --quick" in commands
    assert set(WRITES) <= set(commands)


@pytest.mark.slow
@pytest.mark.parametrize("command", QUICKSTART)
def test_readme_cli_quickstart_runs_after_readme_command_1_alone(command, tmp_path,
                                                                tmp_path_factory):
    """Every ``python -m`` command of the README, run as written from a new folder with
    only the main dependencies importable: no traceback; a command that needs an extra
    stops at the door with one line that says what to install. One test per command, so
    that the commands (each a fresh interpreter) spread over the test workers. The
    expensive ones (readme_runs.SHARED) run once per session, shared with the tests that
    check their output.
    """
    if command in SHARED:
        proc = shared_run(tmp_path_factory, command)
        work = proc.work
    else:
        env = fresh_env(tmp_path)
        work = tmp_path / "work"
        work.mkdir()
        proc = run(command, work, env)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, f"{command}\n{out[-3000:]}"
    if command.startswith("python -m verify claim"):
        # A claim's exit code is its verdict (the README's table): "wrong" is 1.
        verdict = proc.stdout.split(":")[0].split("(")[0].strip()
        assert proc.returncode == CLAIM_EXIT_CODES[verdict], f"{command}\n{out[-3000:]}"
    elif proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "pip install" in lines[0], f"{command}\n{out[-3000:]}"
    if command in WRITES:
        # what the README says the command writes, it wrote here (not into the repository)
        assert (work / "reports" / WRITES[command]).is_file(), WRITES[command]


def test_benchmarks_runs_from_any_folder_after_install(tmp_path):
    proc = run("python -m benchmarks --help", tmp_path, fresh_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "usage: python -m benchmarks" in proc.stdout


HELP_COMMANDS = ["derive", "derive report", "derive codegen", "derive audit", "verify",
                 "verify claim", "verify student", "numeric", "numeric train", "benchmarks"]
# reStructuredText roles and literals, and "see some.module" pointers into the code.
MARKUP = re.compile(r"``|:(mod|func|class|meth|attr|data):|\(see [a-z_]+\.[a-z_.]+\)")


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_help_is_plain_text(command):
    proc = run(f"python -m {command} --help", ROOT, dict(os.environ), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not MARKUP.search(proc.stdout), proc.stdout


# -- python -m numeric train: what a new user sees and gets ---------------------------------
def test_train_says_where_the_files_go_and_writes_them_like_any_file(tmp_path):
    out = tmp_path / "new" / "folder"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-m", "numeric", "train", "--data", "flower",
                           "--epochs", "1", "--out", str(out)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, umask=0o022)
    assert proc.returncode == 0, proc.stderr
    assert f"output    {out.resolve()}{os.sep} (new folder)" in proc.stdout, proc.stdout
    assert "1 epoch," in proc.stdout and "1 epoch in" in proc.stdout and "1 epochs" not in proc.stdout
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()}
    # umask 022: every file the run writes is rw-r--r--, the model as the plot.
    assert modes == {"flower_model.npz": 0o644, "flower_cost.png": 0o644}, modes


def test_saved_network_honours_the_umask(tmp_path):
    from numeric import Network

    old = os.umask(0o027)
    try:
        Network([2, 3, 1], seed=0).save(tmp_path / "model.npz")
    finally:
        os.umask(old)
    assert (tmp_path / "model.npz").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("data_name, layers", [("breast_cancer", [16]), ("digits", [64])])
def test_train_cost_plot_title_is_not_cut(data_name, layers):
    from numeric import Network
    from numeric.__main__ import plot_title
    from numeric.plotting import cost_figure, title_fits

    n_x, n_y = {"breast_cancer": (30, 1), "digits": (64, 10)}[data_name]
    output = "sigmoid" if n_y == 1 else "softmax"
    net = Network([n_x, *layers, n_y], hidden="relu", output=output, seed=0)
    fig = cost_figure([0.7, 0.3, 0.1], plot_title(data_name, net, "rmsprop", 0.979))
    assert title_fits(fig)
    assert fig.axes[0].title.get_fontsize() == 12  # the default run's title needs no shrinking


def test_cost_plot_shrinks_a_title_too_long_for_the_figure():
    from numeric.plotting import cost_figure, title_fits

    fig = cost_figure([0.7, 0.3], "breast_cancer: layers [30, 64, 64, 64, 64, 1], relu, adam, "
                                  "test accuracy 97.9%")
    assert title_fits(fig) and fig.axes[0].title.get_fontsize() < 12


def test_benchmarks_bad_flag_is_one_line(tmp_path):
    proc = run("python -m benchmarks --bogus", tmp_path, fresh_env(tmp_path), timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "--bogus" in proc.stderr, proc.stderr
