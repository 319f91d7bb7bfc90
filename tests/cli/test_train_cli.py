"""``python -m numeric train``: short runs, the files, one-line errors, and the targets."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from numeric import Network

ROOT = Path(__file__).resolve().parents[2]
RESULT = re.compile(r"train accuracy (\d+\.\d+)%\s+test accuracy (\d+\.\d+)%.*?(\d+) epochs? in (\d+\.\d+) s")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def train(*args, cwd=ROOT, pythonpath=()):
    """Run the CLI in a fresh interpreter; ``pythonpath`` folders shadow installed packages."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, pythonpath), str(ROOT)])
    return subprocess.run([sys.executable, "-m", "numeric", "train", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def result(proc):
    """(train %, test %, epochs, seconds) from the printed result line."""
    match = RESULT.search(proc.stdout)
    assert match, proc.stdout + proc.stderr
    return float(match[1]), float(match[2]), int(match[3]), float(match[4])


def assert_one_line_error(proc, code):
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "error:" in lines[0], proc.stderr


def blocked(tmp_path, package):
    """A folder whose ``package`` raises ImportError on import, as if not installed."""
    folder = tmp_path / f"without_{package}"
    (folder / package).mkdir(parents=True)
    (folder / package / "__init__.py").write_text(
        f"raise ImportError('No module named {package} (blocked by the test)')\n")
    return folder


# -- short runs -------------------------------------------------------------------------
def test_short_flower_run_prints_accuracies_and_writes_plot_and_model(tmp_path):
    proc = train("--data", "flower", "--epochs", 20, "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    train_acc, test_acc, epochs, seconds = result(proc)
    assert 0 <= train_acc <= 100 and 0 <= test_acc <= 100 and epochs == 20
    assert (tmp_path / "flower_cost.png").read_bytes()[:8] == PNG_MAGIC
    net = Network.load(tmp_path / "flower_model.npz")
    assert net.layer_dims == (2, 16, 1) and net.hidden == "tanh" and net.output == "sigmoid"


def test_moons_with_every_flag(tmp_path):
    proc = train("--data", "moons", "--layers", 16, 8, "--hidden", "leaky_relu", "--init", "xavier",
                 "--optimizer", "momentum", "--learning-rate", 0.3, "--epochs", 20,
                 "--batch-size", 32, "--lambd", 0.1, "--keep-prob", 0.9, "--seed", 3,
                 "--dtype", "float32", "--out", tmp_path / "new" / "folder")
    assert proc.returncode == 0, proc.stderr
    assert result(proc)[2] == 20
    assert "momentum (learning rate 0.3), batch 32" in proc.stdout
    net = Network.load(tmp_path / "new" / "folder" / "moons_model.npz")
    assert net.layer_dims == (2, 16, 8, 1) and net.hidden == "leaky_relu"
    assert net.params["W1"].dtype == np.float32


def test_no_hidden_layers_is_logistic_regression(tmp_path):
    proc = train("--data", "moons", "--layers", "--epochs", 50, "--out", tmp_path, "--no-plot")
    assert proc.returncode == 0, proc.stderr
    assert Network.load(tmp_path / "moons_model.npz").layer_dims == (2, 1)
    assert not (tmp_path / "moons_cost.png").exists()


def test_default_out_folder_is_reports_train(tmp_path):
    proc = train("--data", "moons", "--epochs", 5, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "reports" / "train" / "moons_model.npz").is_file()
    assert (tmp_path / "reports" / "train" / "moons_cost.png").is_file()


def test_same_seed_same_result(tmp_path):
    a = train("--data", "flower", "--epochs", 30, "--out", tmp_path / "a")
    b = train("--data", "flower", "--epochs", 30, "--out", tmp_path / "b")
    assert result(a)[:3] == result(b)[:3]
    pa = Network.load(tmp_path / "a" / "flower_model.npz").params
    pb = Network.load(tmp_path / "b" / "flower_model.npz").params
    for k in pa:
        np.testing.assert_array_equal(pa[k], pb[k])


def test_help_lists_the_defaults():
    proc = train("--help")
    assert proc.returncode == 0
    assert "defaults per data set" in proc.stdout and "breast_cancer" in proc.stdout


# -- errors: one line, no traceback -------------------------------------------------------
@pytest.mark.parametrize("flags, says", [
    (["--keep-prob", "1.5"], "keep-prob"),
    (["--keep-prob", "0"], "keep-prob"),
    (["--hidden", "mish"], "--hidden"),
    (["--init", "glorot"], "--init"),
    (["--optimizer", "sgd"], "--optimizer"),
    (["--epochs", "0"], "--epochs"),
    (["--layers", "16", "-1"], "--layers"),
    (["--learning-rate", "-0.1"], "learning rate"),
    (["--lambd", "nan"], "lambd"),
    (["--batch-size", "many"], "--batch-size"),
    (["--dtype", "float16"], "--dtype"),
    (["--seed", "-1"], "--seed"),
])
def test_bad_flag_values_exit_2_with_one_line(tmp_path, flags, says):
    proc = train("--data", "flower", "--epochs", 1, "--out", tmp_path, *flags)
    assert_one_line_error(proc, 2)
    assert says in proc.stderr
    assert not list(tmp_path.iterdir())


def test_unknown_data_set_lists_the_valid_ones():
    proc = train("--data", "iris")
    assert_one_line_error(proc, 2)
    assert "flower" in proc.stderr and "breast_cancer" in proc.stderr


def test_unwritable_out_folder_exits_1_before_training(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    # A path below a regular file cannot be created, even by root (unlike chmod).
    proc = train("--data", "flower", "--out", blocker / "sub")
    assert_one_line_error(proc, 1)
    assert "cannot write to --out" in proc.stderr and "result" not in proc.stdout


def test_divergence_exits_1_with_one_line(tmp_path):
    proc = train("--data", "moons", "--optimizer", "gd", "--learning-rate", 1e10, "--hidden", "relu",
                 "--layers", 64, 64, 64, "--epochs", 20, "--out", tmp_path)
    assert_one_line_error(proc, 1)
    assert "diverged" in proc.stderr and "RuntimeWarning" not in proc.stderr


@pytest.mark.parametrize("data", ["digits", "breast_cancer"])
def test_missing_sklearn_says_how_to_install_it(tmp_path, data):
    proc = train("--data", data, "--out", tmp_path / "out", pythonpath=[blocked(tmp_path, "sklearn")])
    assert_one_line_error(proc, 1)
    assert "pip install 'gradproof[data]'" in proc.stderr and "pip install scikit-learn" in proc.stderr


def test_missing_matplotlib_skips_the_plot_but_writes_the_model(tmp_path):
    proc = train("--data", "flower", "--epochs", 5, "--out", tmp_path / "out",
                 pythonpath=[blocked(tmp_path, "matplotlib")])
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "matplotlib is not installed" in proc.stderr
    assert (tmp_path / "out" / "flower_model.npz").is_file()
    assert not (tmp_path / "out" / "flower_cost.png").exists()


# -- the targets, with the default flags ----------------------------------------------------
@pytest.mark.parametrize("data, target", [("flower", 90.0), ("digits", 96.0), ("breast_cancer", 95.0)])
def test_default_flags_reach_the_target(tmp_path, data, target):
    if data != "flower":
        pytest.importorskip("sklearn")
    proc = train("--data", data, "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    _, test_acc, _, seconds = result(proc)
    assert test_acc >= target, proc.stdout
    assert seconds < 60
