"""Malformed and hostile inputs for load, save, Network, fit, the train CLI, gradcheck and
check_network, with the outcome each must have: a documented error (its type and words)
or a correct answer.

Run by ``test_hostile_inputs.py`` in a child process under a 2 GiB address-space cap
(``resource.setrlimit``) and a time limit per case (``signal.alarm``); printed as one JSON
line per case. ``python tests/reliability/hostile_cases.py DIR`` runs them by hand.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

from numeric import Network
from numeric.checkpoint import load_checkpoint
from numeric.optim import Adam
from verify import check_network, gradcheck

ROOT = Path(__file__).resolve().parents[2]
PER_CASE_SECONDS = 60
CASES = []  # (name, function of the work folder, expected): expected "ok" or (type, words)


def case(expected, name=None):
    def register(fn):
        CASES.append((name or fn.__name__, fn, expected))
        return fn

    return register


def _data(m=12, n_x=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    return X, (X[:1] > 0).astype(float)


def _saved(d, name="m.npz"):
    path = Path(d) / name
    Network([3, 4, 2], output="softmax", seed=0).save(path)
    return path


def _entries(path):
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def _rewritten(d, **changes):
    path = _saved(d)
    arrays = _entries(path)
    arrays.update(changes)
    np.savez(path, **arrays)
    return path


def _checkpoint(d):
    X, Y = _data()
    path = Path(d) / "run.ckpt.npz"
    Network([2, 3, 1], seed=0).fit(X, Y, epochs=2, checkpoint=path, checkpoint_every=1)
    return path


def _checkpoint_with(d, **changes):
    path = _checkpoint(d)
    arrays = _entries(path)
    arrays.update(changes)
    np.savez(path, **arrays)
    return path


def _npy_declaring(shape, payload=b"\0" * 16):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buf.getvalue() + payload


# -- load ----------------------------------------------------------------------------------
case((FileNotFoundError, "no such file"), "load: missing file")(lambda d: Network.load(Path(d) / "none.npz"))
case((ValueError, "folder"), "load: a folder")(lambda d: Network.load(d))
case((ValueError, "not a regular file"), "load: /dev/zero")(lambda d: Network.load("/dev/zero"))
case((TypeError, "path must be"), "load: path is an int")(lambda d: Network.load(3))


@case((ValueError, "not a regular file"), "load: named pipe")
def _(d):
    fifo = Path(d) / "pipe.npz"
    os.mkfifo(fifo)
    return Network.load(fifo)


@case((ValueError, "not a readable"), "load: empty file")
def _(d):
    (Path(d) / "e.npz").write_bytes(b"")
    return Network.load(Path(d) / "e.npz")


@case((ValueError, "not a readable"), "load: random bytes")
def _(d):
    (Path(d) / "r.npz").write_bytes(np.random.default_rng(0).bytes(4096))
    return Network.load(Path(d) / "r.npz")


@case((ValueError, ""), "load: truncated")
def _(d):
    path = _saved(d)
    path.write_bytes(path.read_bytes()[:300])
    return Network.load(path)


@case((ValueError, "compressed"), "load: compressed entries")
def _(d):
    path = _saved(d)
    np.savez_compressed(path, **_entries(path))
    return Network.load(path)


@case((ValueError, "more than it holds"), "load: entry declaring 8 GB")
def _(d):
    path = _checkpoint(d)
    arrays = _entries(path)
    with zipfile.ZipFile(path, "w") as z:
        for k, v in arrays.items():
            b = io.BytesIO()
            np.lib.format.write_array(b, v, allow_pickle=False)
            z.writestr(k + ".npy", _npy_declaring((10**9,)) if k == "history" else b.getvalue())
    return load_checkpoint(path, Network)


case((ValueError, "at most 1000"), "load: layer_dims of 10^6 values")(
    lambda d: Network.load(_rewritten(d, layer_dims=np.ones(10**6, dtype=np.int64))))
case((ValueError, "would need"), "load: layer_dims declaring 7 TiB")(
    lambda d: Network.load(_rewritten(d, layer_dims=np.array([3, 10**6, 10**6, 2]))))
case((ValueError, "not a valid architecture"), "load: negative layer_dims")(
    lambda d: Network.load(_rewritten(d, layer_dims=np.array([3, -4, 2]))))
case((ValueError, "object array"), "load: object array (pickle)")(
    lambda d: Network.load(_rewritten(d, param_W1=np.array([None] * 3, dtype=object))))
case((ValueError, "NaN or inf"), "load: NaN parameter")(
    lambda d: Network.load(_rewritten(d, param_W1=np.full((4, 3), np.nan))))
case((ValueError, "dtype"), "load: integer parameter")(
    lambda d: Network.load(_rewritten(d, param_W1=np.ones((4, 3), dtype=np.int64))))
case((ValueError, "unexpected entries"), "load: extra entry")(
    lambda d: Network.load(_rewritten(d, junk=np.zeros(3))))
case((ValueError, "characters"), "load: a name of 10^5 characters")(
    lambda d: Network.load(_rewritten(d, hidden=np.array("x" * 100_000))))
case((ValueError, "checkpoint"), "load: a checkpoint as a network")(lambda d: Network.load(_checkpoint(d)))


@case((ValueError, "entries"), "load: 9000 entries")
def _(d):
    path = Path(d) / "many.npz"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(9000):
            z.writestr(f"e{i}.npy", b"")
    return Network.load(path)


# -- checkpoints -----------------------------------------------------------------------------
case((ValueError, "nests deeper"), "checkpoint: nested JSON")(
    lambda d: load_checkpoint(_checkpoint_with(d, settings=np.array("[" * 20000 + "]" * 20000)), Network))
case((ValueError, "not a JSON object"), "checkpoint: settings a list")(
    lambda d: load_checkpoint(_checkpoint_with(d, settings=np.array("[1, 2]")), Network))
case((ValueError, "not valid JSON"), "checkpoint: optimizer not JSON")(
    lambda d: load_checkpoint(_checkpoint_with(d, optimizer=np.array("{nope")), Network))
case((ValueError, "not usable"), "checkpoint: unknown optimizer")(
    lambda d: load_checkpoint(_checkpoint_with(d, optimizer=np.array('{"class": "Evil"}')), Network))
case((ValueError, "PCG64"), "checkpoint: bad rng state")(
    lambda d: load_checkpoint(_checkpoint_with(d, rng_state=np.array('{"state": 1}')), Network))
case((ValueError, "do not fit"), "checkpoint: epoch and history disagree")(
    lambda d: load_checkpoint(_checkpoint_with(d, epoch=np.array(10**12, dtype=np.int64)), Network))


# -- save ------------------------------------------------------------------------------------
case((FileNotFoundError, "does not exist"), "save: missing folder")(
    lambda d: Network([2, 1]).save(Path(d) / "no" / "m.npz"))


@case((ValueError, "NaN or inf"), "save: NaN parameter")
def _(d):
    net = Network([2, 3, 1])
    net.params["W1"][0, 0] = np.nan
    net.save(Path(d) / "m.npz")


@case((ValueError, "expected"), "save: parameter of the wrong shape")
def _(d):
    net = Network([2, 3, 1])
    net.params["W1"] = np.zeros((2, 3))
    net.save(Path(d) / "m.npz")


@case((ValueError, "at most 1000"), "save: layer_dims grown past what load reads")
def _(d):
    net = Network([1, 1])
    net.layer_dims = (1,) * 1001
    net.save(Path(d) / "m.npz")


@case("ok", "save then load: round trip")
def _(d):
    net = Network([3, 5, 2], output="softmax", seed=3)
    net.save(Path(d) / "m.npz")
    back = Network.load(Path(d) / "m.npz")
    return all(np.array_equal(net.params[k], back.params[k]) for k in net.params)


# -- Network ---------------------------------------------------------------------------------
for dims, words in (([2, 10**9, 1], "would need 29.8 GiB"), ([10**5, 10**5, 1], "would need 74.5 GiB"),
                    ([2, 10**30, 1], "would need"), ([1] * 1001, "at most 1000"),
                    ([], "at least"), ([2, 0, 1], ">= 1"), ([2, -1, 1], ">= 1"),
                    ([2, 2.5, 1], "integer"), ("abc", "integer"), ([2, True, 1], "integer")):
    case((ValueError, words), f"Network({str(dims)[:30]})")(lambda d, dims=dims: Network(dims))
case((TypeError, "sequence"), "Network(None)")(lambda d: Network(None))
case((ValueError, "unknown hidden"), "Network: hidden='nope'")(lambda d: Network([2, 1], hidden="nope"))
case((ValueError, "dtype"), "Network: float16")(lambda d: Network([2, 1], dtype="float16"))
case((ValueError, "seed"), "Network: seed -1")(lambda d: Network([2, 1], seed=-1))
case((ValueError, "max_bytes"), "Network: max_bytes 0")(lambda d: Network([2, 1], max_bytes=0))


# -- fit -------------------------------------------------------------------------------------
def _fit(**kwargs):
    X, Y = _data()
    args = {"X": X, "Y": Y, "epochs": 2, **kwargs}
    return Network([2, 3, 1], seed=0).fit(args.pop("X"), args.pop("Y"), **args)


case((ValueError, "NaN"), "fit: NaN in X")(lambda d: _fit(X=np.full((2, 12), np.nan)))
case((ValueError, "shape"), "fit: X of the wrong shape")(lambda d: _fit(X=np.ones((3, 12))))
case((ValueError, "Y"), "fit: Y of shape (m,)")(lambda d: _fit(Y=np.ones(12)))
case((TypeError, "X"), "fit: X of objects")(lambda d: _fit(X=np.array([[object()] * 12] * 2)))
case((ValueError, "epochs"), "fit: epochs 0")(lambda d: _fit(epochs=0))
case((ValueError, "batch_size"), "fit: batch_size 0")(lambda d: _fit(batch_size=0))
case((ValueError, "keep_prob"), "fit: keep_prob 0")(lambda d: _fit(keep_prob=0.0))
case((ValueError, "lambd"), "fit: lambd nan")(lambda d: _fit(lambd=float("nan")))
case((ValueError, "learning_rate"), "fit: learning rate nan")(lambda d: _fit(optimizer=Adam(learning_rate=float("nan"))))
case("ok", "fit: a correct run")(lambda d: len(_fit(epochs=5)) == 5 and all(np.isfinite(_fit(epochs=5))))


# -- the train CLI ---------------------------------------------------------------------------
def _train(d, *args, env=None):
    r = subprocess.run([sys.executable, "-m", "numeric", "train", "--data", "flower", "--out", str(d), *args],
                       capture_output=True, text=True, timeout=PER_CASE_SECONDS - 5, cwd=ROOT,
                       env={**os.environ, **(env or {})})
    if r.stderr.count("\n") > 1:
        raise AssertionError(f"more than one line on stderr: {r.stderr[:500]}")
    return r.returncode, r.stderr


for args, code, words in ((["--layers", "1000000000"], 2, "would need"), (["--layers", "0"], 2, ">= 1"),
                          (["--epochs", "-1"], 2, ">= 1"), (["--learning-rate", "nan"], 2, "learning"),
                          (["--keep-prob", "1.5"], 2, "keep-prob"), (["--data", "nope"], 2, "invalid choice"),
                          (["--layers", "x"], 2, "integer")):
    case("ok", f"train {' '.join(args)}")(
        lambda d, args=args, code=code, words=words: (lambda r: r[0] == code and words in r[1])(_train(d, *args)))
case("ok", "train: out of memory under the cap")(
    lambda d: (lambda r: r[0] == 1 and "out of memory" in r[1])(
        _train(d, "--layers", "60000", "60000", "--epochs", "1", env={"GRADPROOF_MAX_BYTES": str(10**12)})))


# -- gradcheck -------------------------------------------------------------------------------
def _sq(v):
    return np.sum(v ** 2)


case((ValueError, "non-finite"), "gradcheck: NaN x")(lambda d: gradcheck(_sq, lambda v: 2 * v, np.array([np.nan, 1.0])))
case((ValueError, "dtype"), "gradcheck: integer x")(lambda d: gradcheck(_sq, lambda v: 2 * v, np.arange(3)))
case((ValueError, "directional=True"), "gradcheck: 10^7 elements in full mode")(
    lambda d: gradcheck(_sq, lambda v: 2 * v, np.zeros(10**7)))
case((ValueError, "n_directions"), "gradcheck: 10^9 directions")(
    lambda d: gradcheck(_sq, lambda v: 2 * v, np.zeros(100), directional=True, n_directions=10**9))
case((ValueError, "scalar"), "gradcheck: f returns a vector")(lambda d: gradcheck(lambda v: v, lambda v: v, np.ones(3)))
case((ValueError, "shape"), "gradcheck: gradient of the wrong shape")(
    lambda d: gradcheck(_sq, lambda v: np.ones(4), np.ones(3)))
case((ValueError, "empty"), "gradcheck: empty dict")(lambda d: gradcheck(_sq, lambda v: v, {}))
case((ValueError, "method"), "gradcheck: unknown method")(lambda d: gradcheck(_sq, lambda v: 2 * v, np.ones(3), method="x"))
case((ValueError, "rtol"), "gradcheck: rtol -1")(lambda d: gradcheck(_sq, lambda v: 2 * v, np.ones(3), rtol=-1))


@case("ok", "gradcheck: f writing into x")
def _(d):
    x = np.array([0.5, -1.0])

    def f(v):
        v *= 3
        return np.sum(v ** 2)

    return gradcheck(f, lambda v: 18 * v, x).ok and np.array_equal(x, [0.5, -1.0])


case("ok", "gradcheck: 10^6 elements, directional")(
    lambda d: gradcheck(_sq, lambda v: 2 * v, np.linspace(-1, 1, 10**6), directional=True).ok)


# -- check_network ---------------------------------------------------------------------------
def _small():
    X, Y = _data(m=5)
    return Network([2, 3, 1], hidden="tanh", seed=0), X, Y


case((ValueError, "keep_prob"), "check_network: keep_prob 0")(lambda d: check_network(*_small(), keep_prob=0))
case((ValueError, "keep_prob"), "check_network: keep_prob 1.5")(lambda d: check_network(*_small(), keep_prob=1.5))
case((ValueError, "lambd"), "check_network: lambd nan")(lambda d: check_network(*_small(), lambd=float("nan")))
case((ValueError, "shape"), "check_network: X of the wrong shape")(
    lambda d: check_network(_small()[0], np.ones((5, 5)), np.ones((1, 5))))
case((TypeError, "backward"), "check_network: object without backward")(
    lambda d: check_network(type("N", (), {"params": {}, "forward": 0, "cost": 0})(), *(_small()[1:])))
case((TypeError, "cost"), "check_network: functions without cost")(
    lambda d: check_network(params=_small()[0].params, forward=lambda p, X: None, backward=lambda *a: None,
                            X=_small()[1], Y=_small()[2]))
case((ValueError, "W1, b1"), "check_network: params without b1")(
    lambda d: check_network(params={"W1": np.ones((1, 2))}, forward=print, cost=print, backward=print,
                            X=np.ones((2, 3)), Y=np.ones((1, 3))))


@case((ValueError, "directional=True"), "check_network: 9M parameters in full mode")
def _(d):
    net = Network([3000, 3000, 1], init="zeros")
    return check_network(net, np.ones((3000, 2)), np.array([[0.0, 1.0]]), methods=["central"])


@case("ok", "check_network: 9M parameters, directional (what the refusal suggests)")
def _(d):
    net = Network([3000, 3000, 1], hidden="tanh", init="xavier", seed=0)
    X = np.random.default_rng(0).standard_normal((3000, 4))
    return check_network(net, X, np.array([[0.0, 1.0, 1.0, 0.0]]), methods=["central"],
                         directional=True).ok


case("ok", "check_network: a correct network")(lambda d: check_network(*_small(), lambd=0.3, keep_prob=0.8).ok)


@case("ok", "check_network: a subclass with a wrong backward")
def _(d):
    class Wrong(Network):
        def backward(self, Y, cache, lambd=0.0):
            g = super().backward(Y, cache, lambd)
            return {**g, "dW1": 2 * g["dW1"]}

    net, X, Y = _small()
    c = check_network(Wrong([2, 3, 1], hidden="tanh", seed=0), X, Y, methods=["central"])
    return not c.ok and c.failing() == {"W1"}


def _timeout(signum, frame):
    raise TimeoutError(f"case ran past {PER_CASE_SECONDS} s")


def main(folder):
    signal.signal(signal.SIGALRM, _timeout)
    for i, (name, fn, expected) in enumerate(CASES):
        work = Path(folder) / f"case{i}"
        work.mkdir()
        start = time.perf_counter()
        signal.alarm(PER_CASE_SECONDS)
        try:
            value = fn(work)
            got = {"outcome": "returned", "value": bool(value) if expected == "ok" else repr(value)[:200]}
        except BaseException as exc:  # every outcome is reported, MemoryError included
            got = {"outcome": "raised", "types": [c.__name__ for c in type(exc).__mro__],
                   "message": str(exc)[:400]}
        finally:
            signal.alarm(0)
        expect = expected if expected == "ok" else [expected[0].__name__, expected[1]]
        print(json.dumps({"name": name, "expected": expect, "seconds": time.perf_counter() - start, **got}),
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
