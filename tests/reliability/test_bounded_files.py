"""Files and sizes are bounded before anything is allocated or read (issue 14).

Each test failed on the previous code (run against commit 44664ea): the compressed and
oversized entries loaded or were read in full, the 10^6-value layer_dims was read and
printed whole, the FIFO blocked (stopped by the thread's timeout), the nested settings
raised RecursionError, Network([1] * 1001) saved a file load refused, the huge networks
tried to allocate, and the CLI printed a traceback for MemoryError.
"""

import io
import json
import os
import resource
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

import numeric.__main__ as cli
from numeric import Network
from numeric.checkpoint import load_checkpoint
from numeric.limits import DEFAULT_MAX_BYTES, ENV_VAR, MAX_LAYERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def saved(tmp_path):
    net = Network([3, 4, 2], output="softmax", seed=0)
    path = tmp_path / "model.npz"
    net.save(path)
    return net, path


def _entries(path):
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def test_compressed_entries_are_refused(saved):
    _, path = saved
    np.savez_compressed(path, **_entries(path))
    with pytest.raises(ValueError, match="compressed entries"):
        Network.load(path)


def _npy(array_header_shape, dtype="<f8", payload=b""):
    """An .npy entry whose header declares ``array_header_shape`` over ``payload`` bytes."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": dtype, "fortran_order": False, "shape": array_header_shape})
    return buf.getvalue() + payload


def test_an_entry_declaring_more_than_it_holds_is_refused_before_reading(tmp_path):
    path = _checkpoint(tmp_path)
    arrays = _entries(path)
    with zipfile.ZipFile(path, "w") as z:  # stored, like np.savez
        for k, v in arrays.items():
            if k == "history":  # 8 GB declared over 16 bytes: no shape to compare with
                z.writestr("history.npy", _npy((10**9,), payload=b"\0" * 16))
            else:
                b = io.BytesIO()
                np.lib.format.write_array(b, v, allow_pickle=False)
                z.writestr(k + ".npy", b.getvalue())
    with pytest.raises(ValueError, match="more than it holds"):
        load_checkpoint(path, Network)


def test_a_huge_layer_dims_is_refused_from_its_header_in_one_short_line(saved):
    _, path = saved
    arrays = _entries(path)
    arrays["layer_dims"] = np.ones(10**6, dtype=np.int64)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=f"at most {MAX_LAYERS}") as info:
        Network.load(path)
    assert len(str(info.value)) < 300 and "\n" not in str(info.value)


def test_special_files_are_refused_without_reading_or_blocking(tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    for path in ("/dev/zero", fifo):
        outcome = []

        def run(path=path):
            try:
                Network.load(path)
            except ValueError as exc:
                outcome.append(str(exc))

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(20)
        assert not worker.is_alive(), f"load({path}) blocked"
        assert outcome and "not a regular file" in outcome[0]


def _checkpoint(tmp_path):
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 8)), (rng.random((1, 8)) < 0.5).astype(float)
    path = tmp_path / "run.ckpt.npz"
    Network([2, 3, 1], seed=0).fit(X, Y, epochs=2, checkpoint=path, checkpoint_every=1)
    return path


def test_a_deeply_nested_settings_json_is_a_value_error(tmp_path):
    path = _checkpoint(tmp_path)
    arrays = _entries(path)
    arrays["settings"] = np.array("[" * 20_000 + "]" * 20_000)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="nests deeper"):
        load_checkpoint(path, Network)
    arrays["settings"] = np.array(json.dumps({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}))
    np.savez(path, **arrays)
    assert load_checkpoint(path, Network).settings == {"a": "[" * 36}  # brackets in strings don't count


def test_save_never_writes_what_load_refuses(tmp_path):
    with pytest.raises(ValueError, match=f"at most {MAX_LAYERS}"):
        Network([1] * (MAX_LAYERS + 1))
    net = Network([1] * MAX_LAYERS)
    net.save(tmp_path / "deep.npz")
    assert Network.load(tmp_path / "deep.npz").layer_dims == net.layer_dims
    net.layer_dims = (1,) * (MAX_LAYERS + 1)  # changed after construction: save refuses
    with pytest.raises(ValueError, match=f"at most {MAX_LAYERS}"):
        net.save(tmp_path / "deeper.npz")


@pytest.mark.parametrize("dims, needed", [([2, 10**9, 1], "29.8 GiB"), ([10**5, 10**5, 1], "74.5 GiB")])
def test_huge_networks_fail_before_allocating_naming_bytes_and_limit(dims, needed):
    with pytest.raises(ValueError) as info:
        Network(dims)
    text = str(info.value)
    assert needed in text and "limit of 4.0 GiB" in text and "\n" not in text


def test_the_limit_is_configurable(monkeypatch):
    with pytest.raises(ValueError, match="limit of 100 bytes"):
        Network([2, 100, 1], max_bytes=100)
    monkeypatch.setenv(ENV_VAR, "1000")
    with pytest.raises(ValueError, match="limit of 1000 bytes"):
        Network([2, 100, 1])
    assert Network([2, 100, 1], max_bytes=DEFAULT_MAX_BYTES).layer_dims == (2, 100, 1)


def _train(*args, env=None, memory=None):
    def cap():
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "numeric", "train", "--data", "flower", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, **(env or {})}, preexec_fn=cap)


def test_train_cli_refuses_huge_layers_in_one_line(tmp_path):
    r = _train("--layers", "1000000000", "--out", str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "would need 29.8 GiB" in r.stderr, r.stderr


def test_train_cli_reports_memory_error_in_one_line(tmp_path):
    r = _train("--layers", "60000", "60000", "--epochs", "1", "--out", str(tmp_path),
               env={ENV_VAR: str(10**12)}, memory=2 * 2**30)
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("\n") == 1 and "out of memory" in r.stderr, r.stderr


def test_train_cli_reports_overflow_error_in_one_line(monkeypatch, capsys, tmp_path):
    def overflow(args):
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr(cli, "_train", overflow)
    assert cli.main(["train", "--data", "flower", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "too large" in err
