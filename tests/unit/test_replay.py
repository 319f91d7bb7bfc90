"""fit's replayed step (numeric.replay) and the generated call lists it replays
(``NAME_into.numpy_calls``, derive.codegen_calls): the same calls, so the same bits."""


import numpy as np
import pytest

from numeric import Network
from numeric import _generated as gen
from numeric.inplace_step import InplaceStepper
from numeric.optim import Adam
from numeric.workspace import Workspace

from custom_components import StandInActivation
from formula_arguments import elementwise_arguments

PRODUCTS = {"linear_forward": ("W", "A_prev", "b"), "layer_dw": ("dZ", "A_prev"),
            "layer_db": ("dZ",), "layer_da_prev": ("W", "dZ")}


def _into_names():
    return sorted(n for n in gen.__all__ if n.endswith("_into"))


def _arguments(name, rng):
    """Arguments of ``name``_into (without out, work) and the shape of its result."""
    args = elementwise_arguments(getattr(gen, name), rng)
    base = name[:-5]
    if base == "linear_forward":
        args.update(W=rng.standard_normal((4, 3)), A_prev=rng.standard_normal((3, 6)),
                    b=rng.standard_normal((4, 1)))
        return args, (4, 6)
    if base == "layer_dw":
        args.update(dZ=rng.standard_normal((4, 6)), A_prev=rng.standard_normal((3, 6)))
        return args, (4, 3)
    if base == "layer_db":
        return args, (4, 1)
    if base == "layer_da_prev":
        args.update(W=rng.standard_normal((4, 3)), dZ=rng.standard_normal((4, 6)))
        return args, (3, 6)
    return args, (4, 6)


def test_every_generated_into_function_carries_its_calls():
    missing = [n for n in _into_names()
               if not callable(getattr(getattr(gen, n), "numpy_calls", None))]
    assert missing == []


@pytest.mark.parametrize("name", _into_names())
def test_replaying_the_calls_is_calling_the_function(name):
    rng = np.random.default_rng(7)
    args, shape = _arguments(name, rng)
    fn = getattr(gen, name)
    want = fn(**args, out=np.empty(shape), work=Workspace())
    out, work = np.empty(shape), Workspace()
    for f, a in fn.numpy_calls(**args, out=out, work=work):
        f(*a)
    # The same NumPy calls in the same order on the same inputs: the same bits.
    np.testing.assert_array_equal(out, want)


def _data(seed=0, n_x=3, m=40):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    return X, (X[:1] + 0.3 * X[1:2] > 0).astype(float)


def _general_steps(net, X, Y, steps, lambd, keep_prob, seed):
    """The step's general path every time: a new copy of X and Y each step, so no
    record is ever replayed (the first step's is made, for arrays never seen again)."""
    opt = Adam(0.05)
    st = InplaceStepper(net, opt, opt.init(net.params), lambd, keep_prob)
    rng = np.random.default_rng(seed)
    costs = [st.step(X.copy(), Y.copy(), rng) for _ in range(steps)]
    return costs, {k: v.copy() for k, v in st.params.items()}, st


@pytest.mark.parametrize("hidden,lambd,keep_prob,output,dtype", [
    ("sigmoid", 0.0, 1.0, "sigmoid", np.float64), ("relu", 0.1, 1.0, "sigmoid", np.float64),
    ("tanh", 0.0, 0.8, "sigmoid", np.float64), ("leaky_relu", 0.0, 1.0, "softmax", np.float32),
    ("elu", 0.05, 0.9, "linear", np.float32)])
def test_a_replayed_step_trains_the_same_network_bit_for_bit(hidden, lambd, keep_prob, output,
                                                             dtype):
    X, Y = _data()
    if output == "softmax":
        Y = np.vstack([Y, 1 - Y])      # one-hot columns, two classes
    make = lambda: Network([3, 5, 4, Y.shape[0]], hidden=hidden, output=output,  # noqa: E731
                           seed=2, dtype=dtype)
    X, Y = X.astype(dtype), Y.astype(dtype)
    want_costs, want_params, general = _general_steps(make(), X, Y, 12, lambd, keep_prob, 3)
    opt, net = Adam(0.05), make()
    st = InplaceStepper(net, opt, opt.init(net.params), lambd, keep_prob)
    rng = np.random.default_rng(3)
    costs = [st.step(X, Y, rng) for _ in range(12)]
    assert st._replay is not None and st._replay.holds_for(X, Y, rng)  # 10 steps replayed
    assert costs == want_costs
    for k in want_params:
        np.testing.assert_array_equal(st.params[k], want_params[k], err_msg=k)


def test_other_arrays_take_the_general_path_not_a_stale_record():
    X, Y = _data(0)
    X2, Y2 = _data(1)
    make = lambda: Network([3, 4, 1], hidden="sigmoid", output="sigmoid", seed=2)  # noqa: E731
    opt, net = Adam(0.05), make()
    st = InplaceStepper(net, opt, opt.init(net.params), 0.0, 1.0)
    rng = np.random.default_rng(0)
    costs = [st.step(X, Y, rng) for _ in range(4)] + [st.step(X2, Y2, rng)]
    ref_opt = Adam(0.05)
    ref = InplaceStepper(make(), ref_opt, ref_opt.init(make().params), 0.0, 1.0)
    ref_rng = np.random.default_rng(0)
    want = [ref.step(X.copy(), Y.copy(), ref_rng) for _ in range(4)]
    want.append(ref.step(X2.copy(), Y2.copy(), ref_rng))
    assert costs == want
    for k in ref.params:
        np.testing.assert_array_equal(st.params[k], ref.params[k], err_msg=k)


def test_a_users_activation_is_replayed_as_one_call():
    X, Y = _data()
    act = StandInActivation()
    net = Network([3, 4, 1], hidden=act, output="sigmoid", seed=0)
    want_net = Network([3, 4, 1], hidden="swish", output="sigmoid", seed=0)
    h = net.fit(X, Y, optimizer=Adam(0.05), epochs=6, progress=False)
    want = want_net.fit(X, Y, optimizer=Adam(0.05), epochs=6, progress=False)
    # swish's generated functions either way; the stand-in's run once a step, replayed
    # steps included (a replay calls the object, it does not copy what it did)
    assert h == want
    assert act.calls["g_into"] == 6
    for k in net.params:
        np.testing.assert_array_equal(net.params[k], want_net.params[k], err_msg=k)


def test_the_call_form_refuses_a_statement_it_cannot_bind():
    from derive.codegen_calls import as_calls

    statements, calls = as_calls(["t1 = work.get('x.t1', out.shape, out.dtype)",
                                  "numpy.add.reduce(t1, axis=1, keepdims=True, out=out)",
                                  "numpy.maximum(Z, 0, out=out)", "out[...] = b"])
    assert statements == ["t1 = work.get('x.t1', out.shape, out.dtype)"]
    assert calls == ["(numpy.add.reduce, (t1, 1, None, out, True))",
                     "(functools.partial(numpy.maximum, out=out), (Z, 0))",
                     "(numpy.copyto, (out, b))"]
    for line in ("x0 = numpy.exp(Z)", "numpy.sum(Z, axis=1, out=out)", "out[0] = 1",
                 "numpy.add.reduce(Z, where=M, out=out)", "if Z: pass"):
        with pytest.raises(ValueError):
            as_calls([line])
