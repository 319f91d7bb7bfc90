"""The fast path: the in-place generated functions and the in-place training step give
what the pure ones give."""

import numpy as np
import pytest

from numeric import Network, _generated as gen
from numeric.inplace_step import InplaceStepper
from numeric.optim import Adam, GradientDescent, Momentum, RMSprop
from numeric import propagation
from numeric.activations import HIDDEN
from numeric.workspace import Workspace

from formula_arguments import elementwise_arguments

ELEMENTWISE = ["sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
               "softmax", "log_softmax"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_into_variants_equal_the_pure_functions_bit_for_bit(name, dtype):
    # The same operations in the same order: no rounding difference at all.
    Z = (np.random.default_rng(0).standard_normal((4, 9)) * 5).astype(dtype)
    Z[0, :3] = [0.0, 1000.0, -1000.0]
    out = np.empty_like(Z)
    with np.errstate(under="ignore"):
        got = getattr(gen, name + "_into")(Z, out, Workspace())
        want = getattr(gen, name)(Z)
    assert got is out and got.dtype == dtype
    assert got.tobytes() == want.tobytes()


def test_layer_into_variants_equal_the_pure_functions():
    rng = np.random.default_rng(1)
    W, A, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 6)), rng.standard_normal((3, 1))
    dZ, g = rng.standard_normal((3, 6)), rng.standard_normal((3, 6))
    D = (rng.random((3, 6)) < 0.5).astype(float)
    w = Workspace()
    pairs = [
        (gen.linear_forward_into(W, A, b, np.empty((3, 6)), w), gen.linear_forward(W=W, A_prev=A, b=b)),
        (gen.layer_dw_into(dZ, A, 6, np.empty((3, 4)), w), gen.layer_dw(dZ=dZ, A_prev=A, m=6)),
        (gen.layer_db_into(dZ, 6, np.empty((3, 1)), w), gen.layer_db(dZ=dZ, m=6)),
        (gen.layer_da_prev_into(W, dZ, np.empty((4, 6)), w), gen.layer_da_prev(W=W, dZ=dZ)),
        (gen.layer_dz_into(dZ, g, np.empty((3, 6)), w), gen.layer_dz(dA=dZ, gprime_Z=g)),
        (gen.dropout_backward_into(dZ, D, 0.7, np.empty((3, 6)), w), gen.dropout_backward(dA=dZ, D=D, keep_prob=0.7)),
        (gen.l2_gradient_into(W, 0.3, 6, np.empty((3, 4)), w), gen.l2_gradient(W=W, lambd=0.3, m=6)),
    ]
    for got, want in pairs:
        # BLAS may order a product's sums differently with out=: a few ulps at most.
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("make", [lambda: GradientDescent(0.1), lambda: Momentum(0.1, 0.8),
                                  lambda: RMSprop(0.01, 0.9, 1e-8), lambda: Adam(0.01)])
def test_inplace_optimizer_rules_equal_the_pure_update(make):
    rng = np.random.default_rng(2)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1))}
    opt = make()
    state = opt.init(params)
    net = Network([2, 3], output="linear", seed=0)
    net.params = {k: v.copy() for k, v in params.items()}
    stepper = InplaceStepper(net, opt, opt.init(params), lambd=0.0, keep_prob=1.0)
    for _ in range(5):
        grads = {"dW1": rng.standard_normal((3, 2)), "db1": rng.standard_normal((3, 1))}
        params, state = opt.update(params, grads, state)
        for k, g in grads.items():
            stepper.G.views[k][...] = g
        stepper.update()
        for k in params:
            # The in-place rule evaluates the same formula in another order (scalars
            # folded first): agreement to a few ulps in float64.
            np.testing.assert_allclose(stepper.params[k], params[k], rtol=1e-13, atol=1e-15)
    assert stepper.state.t == state.t


# Every catalog activation, the outputs taken in turn.
_OUTPUTS = (("softmax", 3), ("sigmoid", 1), ("linear", 2))


@pytest.mark.parametrize("hidden,output,n_y", [(h, *_OUTPUTS[i % len(_OUTPUTS)])
                                               for i, h in enumerate(HIDDEN)])
@pytest.mark.parametrize("lambd,keep_prob", [(0.0, 1.0), (0.2, 0.7)])
def test_inplace_step_gives_the_gradients_of_network_backward(hidden, output, n_y, lambd, keep_prob):
    rng = np.random.default_rng(3)
    net = Network([4, 6, 5, n_y], hidden=hidden, output=output, seed=2)
    X = rng.standard_normal((4, 9))
    Y = (np.eye(n_y)[:, rng.integers(0, n_y, 9)] if output == "softmax"
         else rng.integers(0, 2, (1, 9)).astype(float) if output == "sigmoid"
         else rng.standard_normal((n_y, 9)))
    _, cache = propagation.forward(net.params, X, hidden, output, keep_prob, np.random.default_rng(9))
    want_cost = propagation.cost(net.params, cache, Y, output, lambd)
    want = propagation.backward(net.params, cache, Y, hidden, output, lambd)
    opt = Adam()
    stepper = InplaceStepper(net, opt, opt.init(net.params), lambd, keep_prob)
    Zs, As = stepper.forward(X, np.random.default_rng(9))  # the same masks from the same seed
    assert stepper.cost(Zs, As, Y) == pytest.approx(want_cost, rel=1e-14)
    stepper.backward(Zs, As, Y)
    for k, g in want.items():
        np.testing.assert_allclose(stepper.G.views[k], g, rtol=1e-12, atol=1e-15)


def test_fit_fast_path_and_pure_path_train_the_same_network():
    class PureAdam(Adam):
        """A subclass takes the pure path (fit cannot know what it changed)."""

    rng = np.random.default_rng(4)
    X = rng.standard_normal((3, 60))
    Y = (X[:1] > 0).astype(float)
    fast, pure = Network([3, 8, 1], seed=1), Network([3, 8, 1], seed=1)
    h_fast = fast.fit(X, Y, optimizer=Adam(0.01), epochs=15, batch_size=16, keep_prob=0.8, progress=False)
    h_pure = pure.fit(X, Y, optimizer=PureAdam(0.01), epochs=15, batch_size=16, keep_prob=0.8, progress=False)
    # Same formulas, same masks, Adam's scalars folded in another order: the runs agree
    # to rounding that 60 steps do not amplify beyond ~1e-12.
    np.testing.assert_allclose(h_fast, h_pure, rtol=1e-10)
    for k in fast.params:
        np.testing.assert_allclose(fast.params[k], pure.params[k], rtol=1e-9, atol=1e-12)


def _elementwise_into_names():
    return sorted(n[:-5] for n in gen.__all__ if n.endswith("_into")
                  and n[:-5] not in ("linear_forward", "layer_dz", "layer_dw", "layer_db", "layer_da_prev"))


@pytest.mark.parametrize("name", _elementwise_into_names())
def test_every_elementwise_into_variant_equals_its_pure_function(name):
    rng = np.random.default_rng(5)
    pure = getattr(gen, name)
    args = elementwise_arguments(pure, rng)
    want = pure(**args)
    got = getattr(gen, name + "_into")(**args, out=np.empty((4, 6)), work=Workspace())
    # Same formula, out= and scalars folded first: equal to a few ulps.
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)


def test_public_passes_and_the_fast_path_run_one_layer_loop(monkeypatch):
    """Network.forward/backward and fit's fast path both run numeric.engine's loops."""
    from numeric import engine

    calls = []
    for name in ("forward_layers", "backward_layers"):
        real = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda *a, _real=real, _n=name, **k:
                            calls.append((_n, type(a[0]).__name__)) or _real(*a, **k))
    rng = np.random.default_rng(0)
    net = Network([3, 4, 1], hidden="tanh", seed=0)
    X, Y = rng.standard_normal((3, 8)), (rng.random((1, 8)) < 0.5).astype(float)
    _, cache = net.forward(X)
    net.backward(Y, cache)
    net.fit(X, Y, optimizer=Adam(), epochs=1, progress=False)
    assert calls == [("forward_layers", "Fresh"), ("backward_layers", "Fresh"),
                     ("forward_layers", "Buffers"), ("backward_layers", "Buffers")]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_finite_check_holds_where_the_sum_of_squares_overflows(dtype):
    # params_finite reads the update's sums of squares; parameters near the largest
    # float overflow that sum though they are finite: the entries decide then.
    net = Network([2, 3, 1], output="linear", seed=0, dtype=dtype)
    net.params["W1"][0, 0] = np.finfo(dtype).max / 2
    opt = GradientDescent(1e-30)
    stepper = InplaceStepper(net, opt, opt.init(net.params), lambd=0.0, keep_prob=1.0)
    with np.errstate(over="ignore", invalid="ignore"):  # as fit calls it
        stepper.update()
        assert not np.isfinite(sum(stepper._sums))
        assert stepper.params_finite()
        stepper.G.views["db1"][1, 0] = np.nan
        stepper.update()
        assert not stepper.params_finite()
