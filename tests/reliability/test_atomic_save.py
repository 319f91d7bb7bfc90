"""``save`` is atomic and ``load`` refuses damaged or foreign files without pickle
(issue 7, third point).

The kill tests run the save in a child process and SIGKILL it while it writes: the old
file must still load, bit for bit.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

import numeric.io as nio
from numeric import Network

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _child(code: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def _same(a, b):
    return a.layer_dims == b.layer_dims and all(a.params[k].tobytes() == b.params[k].tobytes()
                                                for k in a.params)


def test_sigkill_in_the_middle_of_a_save_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "model.npz"
    old = Network([30, 40, 3], output="softmax", seed=0)
    old.save(path)
    old_bytes = path.read_bytes()
    child = _child(f"""
        import io, sys, time
        import numpy as np
        from numeric import Network
        real = np.savez
        def half_then_hang(f, **arrays):
            # Write half of the archive, tell the parent, and hang: the kill lands mid-write.
            buf = io.BytesIO()
            real(buf, **arrays)
            data = buf.getvalue()
            f.write(data[:len(data) // 2])
            f.flush()
            print("HALF", flush=True)
            time.sleep(60)
            f.write(data[len(data) // 2:])
        np.savez = half_then_hang
        Network([30, 40, 3], output="softmax", seed=1).save({str(path)!r})
    """)
    try:
        assert child.stdout.readline().strip() == "HALF", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        child.kill()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == old_bytes
    assert _same(Network.load(path), old)
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "model.npz")
    assert len(leftovers) == 1 and leftovers[0].startswith(".model.npz.") and leftovers[0].endswith(".tmp")
    assert 0 < (tmp_path / leftovers[0]).stat().st_size < len(old_bytes)


def test_repeated_saves_killed_at_random_moments_always_leave_a_loadable_file(tmp_path):
    path = tmp_path / "big.npz"
    dims = [600, 600, 600, 1]  # ~5.8 MB: a save takes long enough to be caught mid-write
    nets = [Network(dims, seed=s) for s in (0, 1)]
    rng = np.random.default_rng(0)
    for round_ in range(3):
        child = _child(f"""
            from numeric import Network
            nets = [Network({dims}, seed=s) for s in (0, 1)]
            nets[0].save({str(path)!r})
            print("READY", flush=True)
            i = 1
            while True:
                nets[i % 2].save({str(path)!r})
                i += 1
        """)
        try:
            assert child.stdout.readline().strip() == "READY", child.stderr.read()
            time.sleep(float(rng.uniform(0.05, 0.4)))
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        finally:
            child.kill()
        back = Network.load(path)
        assert _same(back, nets[0]) or _same(back, nets[1]), f"round {round_}"
        for p in tmp_path.glob(".big.npz.*.tmp"):
            p.unlink()


def test_an_exception_during_save_removes_the_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    old = Network([3, 4, 1], seed=0)
    old.save(path)

    def broken(f, **arrays):
        f.write(b"PK partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nio.np, "savez", broken)
    with pytest.raises(OSError, match="No space left"):
        Network([3, 4, 1], seed=1).save(path)
    monkeypatch.undo()
    assert _same(Network.load(path), old)
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_save_into_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="folder .* does not exist"):
        Network([2, 1]).save(tmp_path / "nope" / "m.npz")


# -- load refuses, with a clear ValueError -----------------------------------------------
@pytest.fixture
def saved(tmp_path):
    net = Network([3, 4, 2], output="softmax", seed=0)
    path = tmp_path / "model.npz"
    net.save(path)
    return net, path


def _rewrite(path, **changes):
    """The archive at ``path`` with entries replaced (None removes one)."""
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    for k, v in changes.items():
        if v is None:
            arrays.pop(k)
        else:
            arrays[k] = v
    np.savez(path, **arrays)


@pytest.mark.parametrize("keep", [0.0, 0.3, 0.6, 0.9, 0.99])
def test_a_truncated_file(saved, keep):
    _, path = saved
    raw = path.read_bytes()
    path.write_bytes(raw[:int(len(raw) * keep)])
    with pytest.raises(ValueError, match=r"not a readable gradproof network file \(not an .npz archive"):
        Network.load(path)


def test_bytes_changed_inside_a_parameter_fail_the_checksum(saved):
    net, path = saved
    raw = bytearray(path.read_bytes())
    data = net.params["W1"].tobytes()
    i = bytes(raw).index(data) + 5
    raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"entry 'param_W1' is damaged .*CRC"):
        Network.load(path)


@pytest.mark.parametrize("change,match", [
    ({"param_W1": np.zeros((4, 2))}, r"entry 'param_W1' has shape \(4, 2\), expected \(4, 3\)"),
    ({"param_W1": np.zeros((4, 3), np.float32)}, r"parameter W1 has dtype float32, expected float64"),
    ({"param_b2": np.full((2, 1), np.nan)}, r"parameter b2 contains NaN or inf"),
    ({"param_W2": None}, r"lacks parameter W2"),
    ({"param_W9": np.zeros(3)}, r"unexpected entries \['param_W9'\]"),
    ({"evil": np.zeros(3)}, r"unexpected entries \['evil'\]"),
    ({"hidden": np.array("gelu")}, r"unknown hidden activation 'gelu'"),
    ({"hidden": np.array(3)}, r"entry 'hidden' has dtype int64, expected kind 'U'"),
    ({"layer_dims": np.array([3, 0, 2])}, r"layer_dims \[3, 0, 2\] is not a valid architecture"),
    ({"layer_dims": np.array([3.0, 4.0, 2.0])}, r"entry 'layer_dims' has dtype float64"),
    # refused from the declared sizes, before any parameter is read
    ({"layer_dims": np.array([3, 10**6, 10**6, 2])}, r"layer_dims \[3, 1000000, 1000000, 2\] would need 7.3 TiB"),
    ({"version": np.array(2)}, r"format version 2; this gradproof reads 1"),
    ({"dtype": np.array("float16")}, r"dtype 'float16', expected float32 or float64"),
    ({"format": np.array("something-else")}, r"format 'something-else', expected 'gradproof-network'"),
])
def test_a_tampered_file(saved, change, match):
    _, path = saved
    _rewrite(path, **change)
    with pytest.raises(ValueError, match=match):
        Network.load(path)


def test_an_object_array_is_refused_and_never_unpickled(saved, tmp_path):
    _, path = saved
    sentinel = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(sentinel), "w"))

    _rewrite(path, param_W1=np.array([Payload()], dtype=object))
    with pytest.raises(ValueError, match=r"object array, which would need pickle; refused"):
        Network.load(path)
    assert not sentinel.exists()


def test_a_foreign_file(tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, x=np.zeros(3))
    with pytest.raises(ValueError, match=r"not a gradproof network file \(missing"):
        Network.load(other)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(ValueError, match="not an .npz archive"):
        Network.load(junk)
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="not an .npz archive"):
        Network.load(empty)
    z = tmp_path / "plain.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("readme.txt", "hello")
    with pytest.raises(ValueError, match=r"entries that are not arrays: \['readme.txt'\]"):
        Network.load(z)
    with pytest.raises(ValueError, match="is a folder"):
        Network.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="no such file"):
        Network.load(tmp_path / "missing.npz")
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        Network.load(3)
