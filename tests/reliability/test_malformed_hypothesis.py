"""Random malformed input to every public entry point: only the documented exceptions
come out (ValueError, TypeError; FileNotFoundError for a missing file), and their
message names the argument that was wrong.

Each example breaks exactly one argument and keeps the others valid, so the message can
be held to naming that argument. ``test_zz_summary`` prints how many examples ran and
which exceptions came out (run with ``-s`` to see it).
"""

from __future__ import annotations

import collections
import re

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numeric import Network
from numeric.optim import Adam, GradientDescent, Momentum, RMSprop

SEEN: collections.Counter = collections.Counter()   # (entry point, outcome) -> count
EXAMPLES: collections.Counter = collections.Counter()  # entry point -> examples run
MAX = 120
SETTINGS = settings(max_examples=MAX, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

N_X, M = 3, 5
NETS = {  # output -> (layer_dims, a valid Y of shape (n_L, M))
    "sigmoid": ([N_X, 4, 1], np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])),
    "softmax": ([N_X, 4, 3], np.eye(3)[:, [0, 1, 2, 1, 0]]),
    "linear": ([N_X, 4, 2], np.linspace(-1, 1, 2 * M).reshape(2, M)),
}
X_OK = np.linspace(-1, 1, N_X * M).reshape(N_X, M)


def _expect(entry: str, arg: str, call, also=()):
    """Run ``call``; a documented exception naming ``arg`` is the only acceptable outcome."""
    EXAMPLES[entry] += 1
    allowed = (ValueError, TypeError, *also)
    try:
        call()
    except allowed as exc:
        SEEN[(entry, type(exc).__name__)] += 1
        if not isinstance(exc, FileNotFoundError):
            assert re.search(rf"(?<![A-Za-z_]){re.escape(arg)}", str(exc)), \
                f"{entry}: the error for a bad {arg} does not name it: {exc}"
        return
    except Exception as exc:  # pragma: no cover - this is the failure being looked for
        raise AssertionError(f"{entry}: bad {arg} raised {type(exc).__name__}: {exc}") from exc
    SEEN[(entry, "no error")] += 1
    raise AssertionError(f"{entry}: a bad {arg} was accepted")


# -- strategies of malformed values -------------------------------------------------------
small = st.integers(0, 6)
junk = st.one_of(st.none(), st.text(max_size=5), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
                 st.builds(object))


@st.composite
def bad_matrix(draw, name: str, rows: int, cols: int | None, labels: str | None = None):
    """A value for X (labels None) or Y that the network must refuse."""
    # Linear targets are any finite numbers: no "labels that do not fit" for them.
    kind = draw(st.sampled_from(["ndim", "rows", "cols", "nonfinite", "dtype", "empty", "ragged",
                                 "junk"] + (["labels"] if labels in ("sigmoid", "softmax") else [])
                                if labels else
                                ["ndim", "rows", "nonfinite", "dtype", "empty", "ragged", "junk"]))
    m = cols or M
    base = np.linspace(0, 1, rows * m).reshape(rows, m) if labels is None else None
    if labels is not None:
        base = NETS[labels][1].copy()
    if kind == "ndim":
        shape = draw(st.sampled_from([(), (m,), (rows * m,), (rows, m, 1), (1, rows, m)]))
        return np.zeros(shape)
    if kind == "rows":
        r = draw(st.integers(0, 6).filter(lambda r: r != rows))
        return np.zeros((r, m))
    if kind == "cols":
        c = draw(st.integers(1, 8).filter(lambda c: c != m))
        return np.zeros((rows, c))
    if kind == "nonfinite":
        bad = base.astype(np.float64)
        i, j = draw(st.integers(0, rows - 1)), draw(st.integers(0, m - 1))
        bad[i, j] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
        return bad
    if kind == "dtype":
        dt = draw(st.sampled_from(["complex", "object", "str", "bytes"] +
                                  (["int", "bool"] if labels in (None, "linear") else [])))
        if dt == "object":
            return np.array(base, dtype=object)
        return base.astype({"complex": np.complex128, "str": str, "bytes": bytes,
                            "int": np.int64, "bool": bool}[dt])
    if kind == "empty":
        return np.zeros((rows, 0))
    if kind == "ragged":
        return [[0.0] * m] * (rows - 1) + [[0.0] * (m + 1)]
    if kind == "junk":
        return draw(junk)
    # labels that do not fit the output
    bad = base.copy()
    i, j = draw(st.integers(0, rows - 1)), draw(st.integers(0, m - 1))
    if labels == "sigmoid":
        bad[i, j] = draw(st.floats(-5, 5, allow_nan=False).filter(lambda v: v not in (0.0, 1.0)))
    else:  # softmax: break the one-hot column j (a second 1, a fraction, or no 1 at all)
        bad[:, j] = draw(st.sampled_from([[1.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 0.0],
                                          [2.0, -1.0, 0.0]]))
    return bad


bad_keep_prob = st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0, exclude_min=True),
                          st.just(float("nan")), st.text(max_size=3), st.none(), st.booleans())
bad_lambd = st.one_of(st.floats(max_value=0.0, exclude_max=True), st.sampled_from([np.nan, np.inf]),
                      st.text(max_size=3), st.none())
bad_count = st.one_of(st.integers(max_value=0), st.floats(allow_nan=True), st.text(max_size=3),
                      st.booleans())
bad_seed = st.one_of(st.integers(max_value=-1), st.floats(), st.text(max_size=3), st.booleans())
bad_name = st.one_of(st.text(max_size=8), junk, st.integers())
bad_dims = st.one_of(
    st.lists(st.integers(-3, 4), min_size=2, max_size=4).filter(lambda d: min(d) < 1),
    st.lists(st.integers(1, 4), max_size=1),
    st.lists(st.one_of(st.floats(), st.text(max_size=2), st.none(), st.booleans()), min_size=2, max_size=3),
    st.integers(), st.none())
outputs = st.sampled_from(list(NETS))


def _net(output):
    return Network(NETS[output][0], output=output, seed=0)


# -- the entry points -----------------------------------------------------------------------
@SETTINGS
@given(data=st.data())
def test_network_constructor(data):
    arg = data.draw(st.sampled_from(["layer_dims", "hidden", "output", "init", "dtype", "seed"]))
    kwargs = {"layer_dims": [3, 4, 1]}
    kwargs[arg] = data.draw({"layer_dims": bad_dims, "seed": bad_seed,
                             "dtype": st.one_of(st.sampled_from(["float16", "int32", np.int64, np.complex64]),
                                                st.text(max_size=3), st.builds(object))}
                            .get(arg, bad_name.filter(lambda s: s not in
                                                      ("sigmoid", "tanh", "relu", "leaky_relu", "softmax",
                                                       "linear", "zeros", "random", "xavier", "he"))))
    _expect("Network()", arg, lambda: Network(**kwargs))


@SETTINGS
@given(output=outputs, data=st.data())
def test_forward_and_predict(output, data):
    net = _net(output)
    arg = data.draw(st.sampled_from(["X", "keep_prob", "rng"]))
    if arg == "X":
        X = data.draw(bad_matrix("X", N_X, None))
        _expect("forward", "X", lambda: net.forward(X))
        _expect("predict", "X", lambda: net.predict(X))
    elif arg == "keep_prob":
        p = data.draw(bad_keep_prob)
        _expect("forward", "keep_prob", lambda: net.forward(X_OK, keep_prob=p, rng=np.random.default_rng(0)))
    else:
        rng = data.draw(st.one_of(st.integers(), junk))
        _expect("forward", "rng", lambda: net.forward(X_OK, keep_prob=0.5, rng=rng))


@SETTINGS
@given(output=outputs, data=st.data())
def test_cost_and_backward(output, data):
    net = _net(output)
    _, cache = net.forward(X_OK)
    arg = data.draw(st.sampled_from(["Y", "lambd", "cache"]))
    Y, lambd = NETS[output][1], 0.0
    if arg == "Y":
        Y = data.draw(bad_matrix("Y", NETS[output][0][-1], M, labels=output))
    elif arg == "lambd":
        lambd = data.draw(bad_lambd)
    else:
        cache = data.draw(st.one_of(junk, st.just({}), st.just({"A0": X_OK}),
                                    st.just(Network([N_X, 7, NETS[output][0][-1]]).forward(X_OK)[1])))
    _expect("cost", arg, lambda: net.cost(Y, cache, lambd=lambd))
    _expect("backward", arg, lambda: net.backward(Y, cache, lambd=lambd))


@SETTINGS
@given(output=outputs, data=st.data())
def test_fit(output, data):
    net = _net(output)
    arg = data.draw(st.sampled_from(["X", "Y", "epochs", "batch_size", "lambd", "keep_prob", "seed",
                                     "optimizer", "checkpoint_every"]))
    kwargs = {"X": X_OK, "Y": NETS[output][1], "epochs": 1, "progress": False}
    if arg == "X":
        kwargs["X"] = data.draw(bad_matrix("X", N_X, None))
    elif arg == "Y":
        kwargs["Y"] = data.draw(bad_matrix("Y", NETS[output][0][-1], M, labels=output))
    elif arg in ("epochs", "batch_size", "checkpoint_every"):
        kwargs[arg] = data.draw(bad_count)
    elif arg == "lambd":
        kwargs[arg] = data.draw(bad_lambd)
    elif arg == "keep_prob":
        kwargs[arg] = data.draw(bad_keep_prob)
    elif arg == "seed":
        kwargs[arg] = data.draw(bad_seed)
    else:
        kwargs[arg] = data.draw(st.one_of(st.text(max_size=4), st.integers(), st.builds(object)))
    _expect("fit", arg, lambda: net.fit(**kwargs))


OPTIMIZERS = {GradientDescent: ["learning_rate"], Momentum: ["learning_rate", "beta"],
              RMSprop: ["learning_rate", "beta", "epsilon"], Adam: ["learning_rate", "beta1", "beta2", "epsilon"]}


@SETTINGS
@given(cls=st.sampled_from(list(OPTIMIZERS)), data=st.data())
def test_optimizer_constructors(cls, data):
    arg = data.draw(st.sampled_from(OPTIMIZERS[cls]))
    not_a_number = st.one_of(st.text(max_size=3), st.none(), st.booleans(), st.builds(list))
    if arg.startswith("beta"):
        value = data.draw(st.one_of(st.floats(max_value=0.0, exclude_max=True), st.floats(min_value=1.0),
                                    st.just(float("nan")), not_a_number))
    else:
        value = data.draw(st.one_of(st.floats(max_value=0.0), st.sampled_from([np.nan, np.inf]),
                                    not_a_number))
    _expect(f"{cls.__name__}()", arg, lambda: cls(**{arg: value}))


@SETTINGS
@given(cls=st.sampled_from(list(OPTIMIZERS)), data=st.data())
def test_optimizer_update(cls, data):
    net = _net("sigmoid")
    opt = cls()
    state = opt.init(net.params)
    _, cache = net.forward(X_OK)
    grads = net.backward(NETS["sigmoid"][1], cache)
    name = data.draw(st.sampled_from(sorted(grads)))
    if data.draw(st.booleans()):
        del grads[name]
    else:
        shape = data.draw(st.tuples(small, small).filter(lambda s: s != grads[name].shape))
        grads[name] = np.zeros(shape)
    _expect(f"{cls.__name__}.update", name, lambda: opt.update(net.params, grads, state))


@SETTINGS
@given(data=st.data())
def test_load(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    good = folder / "good.npz"
    net = _net("softmax")
    net.save(good)
    raw = good.read_bytes()
    how = data.draw(st.sampled_from(["missing", "bytes", "truncate", "flip", "junk-path"]))
    path = folder / "bad.npz"
    if how == "missing":
        _expect("Network.load", "path", lambda: Network.load(folder / "nope.npz"), also=(FileNotFoundError,))
        return
    if how == "junk-path":
        p = data.draw(st.one_of(st.integers(), st.none(), st.builds(object)))
        _expect("Network.load", "path", lambda: Network.load(p))
        return
    if how == "bytes":
        path.write_bytes(data.draw(st.binary(max_size=200)))
    elif how == "truncate":
        path.write_bytes(raw[:data.draw(st.integers(0, len(raw) - 1))])
    else:
        i = data.draw(st.integers(0, len(raw) - 1))
        flipped = bytearray(raw)
        flipped[i] ^= data.draw(st.integers(1, 255))
        path.write_bytes(bytes(flipped))
    EXAMPLES["Network.load"] += 1
    try:
        back = Network.load(path)
    except ValueError as exc:
        SEEN[("Network.load", "ValueError")] += 1
        assert str(path) in str(exc)
        return
    # A flipped byte the zip format does not look at (a timestamp, an attribute): the
    # only acceptable success is the very network that was saved.
    SEEN[("Network.load", "loaded, identical")] += 1
    assert back.layer_dims == net.layer_dims and back.output == net.output
    assert all(back.params[k].tobytes() == net.params[k].tobytes() for k in net.params)


def test_optimizer_type_errors_name_the_argument():
    _expect("Adam()", "learning_rate", lambda: Adam(learning_rate="fast"))
    _expect("Momentum()", "beta", lambda: Momentum(beta=None))
    net = _net("sigmoid")
    _expect("Adam.update", "grads", lambda: Adam().update(net.params, None, Adam().init(net.params)))


def test_zz_summary():
    """Runs last in this file: the counts for the notes."""
    total = sum(EXAMPLES.values())
    print(f"\nmalformed examples tried: {total}")
    for entry in sorted(EXAMPLES):
        outcomes = {o: n for (e, o), n in SEEN.items() if e == entry}
        print(f"  {entry:<22} {EXAMPLES[entry]:>5}  {outcomes}")
    if total:  # zero when run alone (-k)
        assert not any(o == "no error" for (_, o) in SEEN)
