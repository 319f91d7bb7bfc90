"""A diverging run stops with an error naming the epoch and the batch, and the network
keeps the last parameters whose cost was finite (issue 7, second point)."""

import warnings

import numpy as np
import pytest
from reliability_data import binary_data

from numeric import Network
from numeric.optim import GradientDescent
from numeric.training import TrainingDiverged


class Recording:
    """Gradient descent that remembers the parameters of each step it is asked to take:
    fit calls update only after the cost of those parameters was found finite."""

    def __init__(self, learning_rate):
        self.inner = GradientDescent(learning_rate)
        self.seen = []

    def init(self, params):
        return self.inner.init(params)

    def update(self, params, grads, state):
        self.seen.append({k: v.copy() for k, v in params.items()})
        return self.inner.update(params, grads, state)


def _assert_same(a, b):
    assert sorted(a) == sorted(b)
    for k in a:
        assert a[k].tobytes() == b[k].tobytes(), k


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_cost_that_overflows_stops_at_its_epoch_and_batch(dtype):
    X, Y = binary_data(m=40)
    net = Network([2, 8, 1], hidden="relu", output="linear", seed=0, dtype=dtype)
    opt = Recording(learning_rate=50.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one clear error, not a stream of RuntimeWarnings
        with pytest.raises(TrainingDiverged, match=r"the cost is (nan|inf) at epoch \d+, batch \d+") as info:
            net.fit(X * 1e3, Y, optimizer=opt, epochs=200, batch_size=10, progress=False)
    exc = info.value
    assert exc.epoch >= 1 and 1 <= exc.batch <= 4
    assert len(exc.history) == exc.epoch - 1
    assert f"epoch {exc.epoch}, batch {exc.batch}" in str(exc)
    # The parameters of the last step taken: their cost was finite.
    _assert_same(net.params, opt.seen[-1])
    assert all(np.all(np.isfinite(p)) for p in net.params.values())
    assert len(opt.seen) == 4 * (exc.epoch - 1) + exc.batch - 1


def test_a_step_that_makes_a_parameter_inf_is_not_kept():
    # A finite cost and finite gradients, but W - learning_rate * dW overflows.
    X, Y = binary_data(m=20)
    net = Network([2, 3, 1], hidden="tanh", output="linear", seed=0)
    before = {k: v.copy() for k, v in net.params.items()}
    with pytest.raises(TrainingDiverged, match=r"the step makes .*W.* NaN or inf at epoch 1, batch 1"):
        net.fit(X, Y + 1e3, optimizer=GradientDescent(1e308), epochs=3, progress=False)
    _assert_same(net.params, before)


def test_training_diverged_is_a_floating_point_error():
    # So that callers who catch FloatingPointError (np.errstate(all="raise") users) see it.
    assert issubclass(TrainingDiverged, FloatingPointError)
