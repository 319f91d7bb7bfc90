"""Networks with derive's own custom_activation / custom_loss objects (rows of
tests/custom_formulas.py): the save/load round trip, and a saved formula that is hostile
meeting derive's whitelist parser only."""

import numpy as np
import pytest

from custom_formulas import build
from numeric import Network


def _tampered(tmp_path, **entries):
    """A saved custom network whose entries are replaced (a hand-edited file)."""
    path = tmp_path / "custom.npz"
    Network([2, 3, 1], hidden=build("activation", "mish", "z*tanh(softplus(z))")).save(path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays.update({k: np.array(v) for k, v in entries.items()})
    np.savez(path, **arrays)
    return path


def test_a_real_custom_network_round_trips_through_a_file(tmp_path):
    mish = build("activation", "mish", "z*tanh(softplus(z))")
    log_cosh = build("loss", "log_cosh", "log(cosh(a - y))")
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((3, 30)), rng.standard_normal((1, 30))
    net = Network([3, 8, 1], hidden=mish, output="linear", loss=log_cosh, seed=0)
    net.fit(X, Y, epochs=20, progress=False)
    path = tmp_path / "mish.npz"
    net.save(path)
    with np.load(path, allow_pickle=False) as f:
        assert str(f["hidden_formula"]) == "z*tanh(softplus(z))"
        assert str(f["loss_formula"]) == "log(cosh(a - y))"
        assert not any(f[k].dtype == object for k in f.files)  # text and numbers only
    back = Network.load(path)
    assert (back.hidden.name, back.hidden.formula) == ("mish", mish.formula)
    assert np.array_equal(back.predict(X), net.predict(X))
    _, cache = back.forward(X)
    _, cache_net = net.forward(X)
    assert back.cost(Y, cache) == net.cost(Y, cache_net)


@pytest.mark.parametrize("stored", [
    "__import__('os').system('touch pwned')",   # a call of an attribute
    "z.__class__",                              # a dunder
    "z^99999999",                               # a huge exponent
    "exec('1')",                                # an unknown function
    "log(z)",                                   # undefined for z <= 0
])
def test_a_hostile_stored_formula_meets_derives_parser_only(tmp_path, monkeypatch, stored):
    # the file is user content: its formula goes to derive's whitelist parser, which
    # refuses it with one line (FormulaError's, ending with what is accepted); nothing
    # is evaluated (no file appears)
    monkeypatch.chdir(tmp_path)
    path = _tampered(tmp_path, hidden_formula=stored)
    with pytest.raises(ValueError) as info:
        Network.load(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message, message
    assert "accepted: numbers" in message, message
    assert not (tmp_path / "pwned").exists()
