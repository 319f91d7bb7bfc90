"""``python -m numeric train --hidden NAME=FORMULA``: a user's activation, derived by derive
when the run starts; a refused formula or a missing derive is one line."""

import sys
from types import SimpleNamespace

import numpy as np
import pytest

from numeric import _generated as gen
from numeric.__main__ import main


@pytest.fixture
def made(monkeypatch):
    """derive.custom_activation replaced by a stand-in (the generated swish functions);
    the list of its calls."""
    import derive

    calls = []

    def custom_activation(name, formula):
        calls.append((name, formula))
        return SimpleNamespace(kind="activation", name=name, formula=formula, g=gen.swish,
                               g_prime=gen.swish_prime, g_into=gen.swish_into,
                               g_prime_into=gen.swish_prime_into)

    monkeypatch.setattr(derive, "custom_activation", custom_activation, raising=False)
    return calls


def _train(tmp_path, *flags):
    return main(["train", "--data", "moons", "--epochs", "3", "--no-plot", "--out",
                 str(tmp_path), *flags])


def test_a_formula_trains_and_the_model_file_holds_it(tmp_path, made, capsys):
    assert _train(tmp_path, "--hidden", "mish=z*tanh(softplus(z))") == 0
    assert made == [("mish", "z*tanh(softplus(z))")]
    out = capsys.readouterr().out
    assert "hidden=custom_activation('mish', 'z*tanh(softplus(z))')" in out
    with np.load(tmp_path / "moons_model.npz", allow_pickle=False) as f:
        assert (str(f["hidden"]), str(f["hidden_formula"])) == ("mish", "z*tanh(softplus(z))")


@pytest.mark.parametrize("value, says", [
    ("relu=z", "name 'relu' is taken"),              # derive's check_name
    ("Mish=z", "name 'Mish' not allowed"),
    ("mish==z", "with one '='"),
])
def test_a_refused_assignment_is_one_line_exit_2(tmp_path, made, capsys, value, says):
    assert _train(tmp_path, "--hidden", value) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1
    assert made == [] and not list(tmp_path.iterdir())


def test_an_unknown_name_without_a_formula_says_how_to_write_one(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        _train(tmp_path, "--hidden", "mish")
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "unknown activation 'mish'" in err and "NAME=FORMULA" in err


def test_without_derive_a_formula_is_one_line_exit_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "derive", None)
    monkeypatch.setitem(sys.modules, "derive.custom", None)
    assert _train(tmp_path, "--hidden", "mish=z*tanh(softplus(z))") == 1
    err = capsys.readouterr().err
    assert "needs derive" in err and len(err.strip().splitlines()) == 1


def test_help_text_names_name_equals_formula(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--help"])
    assert info.value.code == 0
    assert "NAME=FORMULA" in capsys.readouterr().out


# -- with derive's own custom_activation, in a fresh interpreter ------------------------

def _cli(*args, cwd):
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "numeric", "train", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_the_documented_command_trains_mish_on_moons(tmp_path):
    proc = _cli("--data", "moons", "--hidden", "mish=z*tanh(softplus(z))", "--epochs", "50",
                "--no-plot", "--out", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "hidden=custom_activation('mish', 'z*tanh(softplus(z))')" in proc.stdout
    from numeric import Network
    net = Network.load(tmp_path / "moons_model.npz")  # derived again from the file
    assert (net.hidden.name, net.hidden.formula) == ("mish", "z*tanh(softplus(z))")


@pytest.mark.parametrize("value", ["x=__import__('os').system('touch pwned')", "x=log(z)",
                                   "x=", "x=foo(z)"])
def test_a_formula_derive_refuses_is_one_line_exit_2(tmp_path, value):
    proc = _cli("--data", "moons", "--hidden", value, "--epochs", "1", "--out",
                str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("python -m numeric train: error:") and "accepted:" in lines[0], proc.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "pwned").exists()
