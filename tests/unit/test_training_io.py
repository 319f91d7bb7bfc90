"""fit: mini-batches, history, determinism, divergence; save/load: bit-exact, no pickle."""

import numpy as np
import pytest

from numeric import Network
from numeric.optim import Adam, GradientDescent
from numeric.training import TrainingDiverged, iterate_minibatches


def _data(m=50, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    Y = (X[0:1] + X[1:2] > 0).astype(float)
    return X, Y


def test_minibatches_cover_every_example_once_and_the_last_may_be_smaller():
    batches = list(iterate_minibatches(10, 4, np.random.default_rng(0)))
    assert [b.size for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))


def test_fit_lowers_the_cost_and_returns_one_cost_per_epoch():
    X, Y = _data()
    net = Network([2, 8, 1], hidden="tanh", seed=0)
    history = net.fit(X, Y, optimizer=Adam(0.05), epochs=40, batch_size=16, progress=False)
    assert len(history) == 40
    assert history[-1] < 0.5 * history[0]


def test_same_seed_same_parameters_bit_for_bit():
    X, Y = _data()
    nets = []
    for _ in range(2):
        net = Network([2, 6, 1], seed=3)
        net.fit(X, Y, optimizer=Adam(0.01), epochs=5, batch_size=7, keep_prob=0.8, seed=11,
                progress=False)
        nets.append(net)
    assert all(np.array_equal(nets[0].params[k], nets[1].params[k]) for k in nets[0].params)


def test_divergence_stops_with_epoch_and_batch_and_keeps_finite_parameters():
    X, Y = _data()
    X = X * 1e3
    net = Network([2, 8, 1], hidden="relu", output="linear", seed=0)
    with pytest.raises(TrainingDiverged, match=r"epoch \d+, batch \d+"):
        net.fit(X, Y, optimizer=GradientDescent(1e3), epochs=50, progress=False)
    assert all(np.all(np.isfinite(p)) for p in net.params.values())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_save_load_round_trip_is_bit_exact(tmp_path, dtype):
    net = Network([3, 5, 2], hidden="leaky_relu", output="softmax", init="xavier", seed=4, dtype=dtype)
    path = tmp_path / "model.npz"
    net.save(path)
    back = Network.load(path)
    assert (back.layer_dims, back.hidden, back.output, back.init, back.dtype) == \
           (net.layer_dims, net.hidden, net.output, net.init, net.dtype)
    for k in net.params:
        assert back.params[k].dtype == net.params[k].dtype
        assert back.params[k].tobytes() == net.params[k].tobytes()


def test_load_refuses_a_foreign_file(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.zeros(3))
    with pytest.raises(ValueError, match="not a gradproof network file"):
        Network.load(path)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(ValueError, match="not a readable gradproof network file"):
        Network.load(junk)
