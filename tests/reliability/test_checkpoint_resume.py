"""Checkpoint and resume: an interrupted run goes on bit-identically (issue 7, fourth point)."""

import numpy as np
import pytest

from numeric.inplace_step import InplaceStepper
from reliability_data import binary_data, softmax_data

import numeric.checkpoint as ckpt
import numeric.io as nio
from numeric import Network
from numeric.optim import Adam, GradientDescent, Momentum, RMSprop

RUN = dict(epochs=10, batch_size=8, keep_prob=0.8, lambd=0.1, seed=5, progress=False)


def _bits(net):
    return {k: v.tobytes() for k, v in net.params.items()}


@pytest.mark.parametrize("opt", [GradientDescent(0.1), Momentum(0.1, 0.9), RMSprop(0.01), Adam(0.01)],
                         ids=lambda o: type(o).__name__)
def test_four_epochs_then_resume_to_ten_is_bit_identical_to_ten(tmp_path, opt):
    X, Y = binary_data()
    straight = Network([2, 6, 4, 1], seed=1)
    h_straight = straight.fit(X, Y, optimizer=opt, **RUN)

    path = tmp_path / "run.ckpt.npz"
    first = Network([2, 6, 4, 1], seed=1)
    first.fit(X, Y, optimizer=opt, checkpoint=path, **{**RUN, "epochs": 4})
    # A fresh process would start from a new network: nothing but the file carries over.
    resumed = Network([2, 6, 4, 1], seed=999)
    h_resumed = resumed.fit(X, Y, optimizer=None, resume=path, **{**RUN, "seed": 12345})

    assert h_resumed == h_straight
    assert _bits(resumed) == _bits(straight)


def test_the_checkpoint_holds_optimizer_state_generator_and_history(tmp_path):
    X, Y = softmax_data()
    net = Network([3, 5, 3], output="softmax", seed=0)
    path = tmp_path / "c.npz"
    history = net.fit(X, Y, optimizer=Adam(0.02, beta1=0.8), checkpoint=path, **{**RUN, "epochs": 3})
    ck = ckpt.load_checkpoint(path, Network)
    assert ck.epoch == 3 and ck.history == history
    assert ck.optimizer == Adam(0.02, beta1=0.8)
    assert ck.state.t == 3 * 4  # 30 examples in batches of 8
    assert set(ck.state.v) == set(ck.state.s) == set(net.params)
    assert ck.rng_state["bit_generator"] == "PCG64"
    assert _bits(ck.net) == _bits(net)
    assert ck.settings["batch_size"] == 8 and ck.settings["seed"] == 5


def test_checkpoint_every_n_epochs_and_after_the_last(tmp_path, monkeypatch):
    X, Y = binary_data()
    written = []
    real = ckpt.save_checkpoint

    def spy(path, net, optimizer, state, epoch, *rest):
        written.append(epoch)
        return real(path, net, optimizer, state, epoch, *rest)

    monkeypatch.setattr(ckpt, "save_checkpoint", spy)
    Network([2, 3, 1]).fit(X, Y, checkpoint=tmp_path / "c.npz", checkpoint_every=3, **RUN)
    assert written == [3, 6, 9, 10]


def test_checkpoints_are_written_atomically(tmp_path, monkeypatch):
    X, Y = binary_data()
    replaced = []
    real = nio.os.replace
    monkeypatch.setattr(nio.os, "replace", lambda a, b: (replaced.append((a, b)), real(a, b)))
    Network([2, 3, 1]).fit(X, Y, checkpoint=tmp_path / "c.npz", checkpoint_every=5, **RUN)
    assert [str(b) for _, b in replaced] == [str(tmp_path / "c.npz")] * 2
    assert all(str(a).endswith(".tmp") and "/.c.npz." in str(a) for a, _ in replaced)


def test_an_interrupt_mid_epoch_checkpoints_the_last_complete_epoch(tmp_path, monkeypatch):
    X, Y = binary_data()
    straight = Network([2, 6, 1], seed=1)
    h_straight = straight.fit(X, Y, optimizer=Adam(0.01), **RUN)

    calls = []
    real = InplaceStepper.backward  # fit's step (the fast path) calls it once a batch

    def interrupted(self, *a, **k):
        calls.append(1)
        if len(calls) == 6 * 5 + 2:  # 5 batches an epoch: in the middle of epoch 7
            raise KeyboardInterrupt
        return real(self, *a, **k)

    monkeypatch.setattr(InplaceStepper, "backward", interrupted)
    path = tmp_path / "c.npz"
    with pytest.raises(KeyboardInterrupt):
        Network([2, 6, 1], seed=1).fit(X, Y, optimizer=Adam(0.01), checkpoint=path,
                                       checkpoint_every=4, **RUN)
    monkeypatch.undo()
    assert ckpt.load_checkpoint(path, Network).epoch == 6
    resumed = Network([2, 6, 1], seed=0)
    assert resumed.fit(X, Y, resume=path, **RUN) == h_straight
    assert _bits(resumed) == _bits(straight)


@pytest.mark.parametrize("change,match", [
    ({"optimizer": Adam(0.02)}, r"was trained with Adam\(learning_rate=0.01"),
    ({"lambd": 0.2}, r"lambd differs from the checkpointed run"),
    ({"batch_size": 9}, r"batch_size differs"),
    ({"keep_prob": 1.0}, r"keep_prob differs"),
    ({"X": "other"}, r"the data \(X, Y\) differs"),
    ({"epochs": 3}, r"is at epoch 4, beyond epochs = 3"),
    ({"net": [2, 5, 1]}, r"holds a network .* \(\[2, 6, 1\], 'relu', 'sigmoid', 'float64'\), this one is \(\[2, 5, 1\]"),
])
def test_resume_refuses_what_could_not_give_the_interrupted_run(tmp_path, change, match):
    X, Y = binary_data()
    path = tmp_path / "c.npz"
    Network([2, 6, 1]).fit(X, Y, optimizer=Adam(0.01), checkpoint=path, **{**RUN, "epochs": 4})
    kwargs = {**RUN, "optimizer": Adam(0.01)}
    kwargs.update({k: v for k, v in change.items() if k not in ("X", "net")})
    net = Network(change.get("net", [2, 6, 1]))
    Xr = X + 1.0 if "X" in change else X
    with pytest.raises(ValueError, match=match):
        net.fit(Xr, Y, resume=path, **kwargs)


def test_resume_from_a_missing_or_damaged_checkpoint(tmp_path):
    X, Y = binary_data()
    with pytest.raises(FileNotFoundError, match="no such file"):
        Network([2, 3, 1]).fit(X, Y, resume=tmp_path / "none.npz", progress=False)
    path = tmp_path / "c.npz"
    Network([2, 3, 1]).fit(X, Y, checkpoint=path, **{**RUN, "epochs": 2})
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    np.savez(path, **{**arrays, "opt_v_W1": np.zeros((5, 5))})
    with pytest.raises(ValueError, match=r"entry 'opt_v_W1' has shape \(5, 5\), expected \(3, 2\)"):
        Network([2, 3, 1]).fit(X, Y, resume=path, **RUN)
    np.savez(path, **{**arrays, "rng_state": np.array('{"bit_generator": "MT19937"}')})
    with pytest.raises(ValueError, match="rng_state is not a PCG64 state"):
        Network([2, 3, 1]).fit(X, Y, resume=path, **RUN)
    # A network file is not a checkpoint, and a checkpoint is not a network file.
    net_file = tmp_path / "net.npz"
    Network([2, 3, 1]).save(net_file)
    with pytest.raises(ValueError, match="format 'gradproof-network', expected 'gradproof-checkpoint'"):
        Network([2, 3, 1]).fit(X, Y, resume=net_file, **RUN)


def test_a_custom_optimizer_cannot_be_checkpointed(tmp_path):
    class Custom:
        def init(self, params):
            return ()

        def update(self, params, grads, state):
            return params, state

    X, Y = binary_data()
    with pytest.raises(TypeError, match="checkpoints support the optimizers of numeric.optim"):
        Network([2, 3, 1]).fit(X, Y, optimizer=Custom(), checkpoint=tmp_path / "c.npz", **RUN)
