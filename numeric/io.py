"""Saving and loading networks: one ``.npz`` file, no pickle, written atomically.

A file holds the architecture as 0-d string arrays (``format``, ``hidden``, ``output``,
``init``, ``dtype``), ``version`` (0-d integer), ``layer_dims`` (1-D integer) and one
array per parameter, ``param_W1`` (n_1, n_0), ``param_b1`` (n_1, 1), ... Loading never
unpickles (``allow_pickle=False``), reads nothing before the list of entries and the
declared shapes are known to be right (and within :mod:`numeric.limits`), opens only
regular files, refuses compressed entries, and refuses anything else with a ValueError
that names the file and what was wrong. :mod:`numeric.checkpoint` reuses these pieces.
"""

from __future__ import annotations

import os
import secrets
import stat
import zipfile
from pathlib import Path

import numpy as np

from . import custom
from .outputs import default_loss
from .limits import MAX_LAYERS, check_network_size

__all__ = ["save", "load", "atomic_savez", "open_npz", "network_arrays", "network_from_npz",
           "FORMAT", "VERSION"]

FORMAT = "gradproof-network"
VERSION = 1
_META = ("format", "version", "layer_dims", "hidden", "output", "init", "dtype")
_STRINGS = ("format", "hidden", "output", "init", "dtype")
# Written only where the network's loss is not its output's default (files from before
# losses were a choice, and default networks, have none: the output's default); the
# formulas only for a user's own activation or loss (``hidden``/``loss`` hold its name).
_OPTIONAL = ("loss", "hidden_formula", "loss_formula")


def _as_path(path, action: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {path!r} "
                        f"(type {type(path).__name__}); cannot {action}")
    return Path(path)


def _create_temporary(folder: Path, name: str) -> tuple[int, str]:
    """Create ``folder/.<name>.<random>.tmp`` exclusively; returns (fd, path).

    Opened with mode 0o666 and the process's umask, as ``open(path, "w")`` would:
    ``tempfile.mkstemp`` creates 0o600 files, and ``os.replace`` keeps that mode, so a
    saved model would be the one file of a run that the group cannot read.
    """
    for _ in range(100):
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o666), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file for {name} in {folder}")


def atomic_savez(path, arrays: dict[str, np.ndarray]) -> Path:
    """Write ``arrays`` to the ``.npz`` file ``path`` so that no reader sees half a file.

    The data go to a temporary file ``.<name>.<random>.tmp`` in the same folder (the same
    file system, so the rename is atomic), are flushed to disk, then replace ``path`` with
    ``os.replace``. A process killed mid-write leaves the old ``path`` intact and, at
    worst, the temporary file behind.
    """
    path = _as_path(path, "save")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot save to {path}: folder {folder} does not exist")
    fd, tmp = _create_temporary(folder, path.name)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def network_arrays(net) -> dict[str, np.ndarray]:
    """The entries that describe ``net``: architecture and ``param_<name>`` arrays.

    Raises ValueError when a parameter does not fit the architecture or is not finite,
    so that :func:`save` never writes a file that :func:`load` would refuse.
    """
    check_network_size(net.layer_dims, net.dtype, where="the network to save")
    check_params(net.params, net.layer_dims, np.dtype(net.dtype), "the network to save")
    arrays = {
        "format": np.array(FORMAT), "version": np.array(VERSION, dtype=np.int64),
        "layer_dims": np.array(net.layer_dims, dtype=np.int64),
        "hidden": np.array(custom.name_of(net.hidden)), "output": np.array(net.output),
        "init": np.array(net.init), "dtype": np.array(np.dtype(net.dtype).name),
    }
    loss = getattr(net, "loss", None)
    if loss is not None and loss != default_loss(net.output):
        arrays["loss"] = np.array(custom.name_of(loss))
    # a user's component: its formula, derived again on loading (no code is stored)
    for key, component in (("hidden", net.hidden), ("loss", loss)):
        if custom.is_custom(component):
            arrays[f"{key}_formula"] = np.array(component.formula)
    arrays.update({f"param_{k}": np.ascontiguousarray(v) for k, v in net.params.items()})
    return arrays


def save(net, path) -> None:
    """Write ``net`` to ``path`` (``.npz``, the name is kept as given) atomically.

    See :func:`atomic_savez`: an interrupted save leaves any old file intact.
    """
    atomic_savez(path, network_arrays(net))


def param_shapes(layer_dims) -> dict[str, tuple[int, int]]:
    """``{"W1": (n_1, n_0), "b1": (n_1, 1), ...}`` for ``layer_dims``."""
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l}"] = (int(layer_dims[l]), int(layer_dims[l - 1]))
        shapes[f"b{l}"] = (int(layer_dims[l]), 1)
    return shapes


def check_params(params, layer_dims, dtype: np.dtype, where: str) -> None:
    """Every parameter present, of its shape and dtype, finite; ValueError naming it."""
    expected = param_shapes(layer_dims)
    if not isinstance(params, dict) or sorted(params) != sorted(expected):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"{where}: parameters {got}, expected {sorted(expected)} "
                         f"for layer_dims {list(layer_dims)}")
    for name, shape in expected.items():
        value = params[name]
        if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype != dtype:
            desc = (f"shape {value.shape} and dtype {value.dtype}" if isinstance(value, np.ndarray)
                    else f"type {type(value).__name__}")
            raise ValueError(f"{where}: parameter {name} has {desc}, expected {shape} and "
                             f"{dtype} for layer_dims {list(layer_dims)}")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{where}: parameter {name} contains NaN or inf")


# Entries of a network with MAX_LAYERS sizes, its optimizer state and the checkpoint's own.
MAX_ENTRIES = 8 * MAX_LAYERS + 32
# A 0-d text entry (a name, the checkpoint's JSON) holds at most this many characters.
MAX_TEXT = 65536


class open_npz:
    """``with open_npz(path, "network") as f:`` reads entries of an ``.npz`` without pickle.

    ``f.files`` lists the entries; ``f.read(key, ndim=None, kinds=None, shape=None,
    max_elements=None)`` checks the declared shape and dtype in the ``.npy`` header
    before reading the data, and any failure to parse becomes a ValueError that names
    the file. Bounded whatever the file says:

    - only a regular file is opened (a device such as ``/dev/zero`` would read forever,
      a named pipe block forever), without blocking, and checked again once open;
    - compressed entries are refused (``save`` writes none, and a small file could
      inflate to gigabytes); so is a file with more than ``MAX_ENTRIES`` entries;
    - an entry's header may not declare more bytes than the entry holds in the file, so
      nothing is allocated that the file does not pay for byte by byte.
    """

    def __init__(self, path, what: str):
        self.path = _as_path(path, "load")
        self.what = what
        try:
            mode = os.stat(self.path).st_mode  # stat never opens: a pipe cannot block it
        except FileNotFoundError:
            raise FileNotFoundError(f"no such file: {self.path}") from None
        except OSError as exc:
            raise ValueError(f"{self.path}: cannot read ({exc.strerror or exc})") from None
        if stat.S_ISDIR(mode):
            raise ValueError(f"{self.path} is a folder, not a gradproof {what} file")
        self._refuse_irregular(mode)

    def _refuse_irregular(self, mode):
        if not stat.S_ISREG(mode):
            raise ValueError(f"{self.path} is not a regular file (a device, a pipe or a socket); "
                             f"a gradproof {self.what} file is a plain .npz file")

    def fail(self, text: str):
        raise ValueError(f"{self.path}: {text}")

    def __enter__(self):
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            raise ValueError(f"{self.path}: cannot read ({exc.strerror or exc})") from None
        handle = os.fdopen(fd, "rb")
        try:
            info = os.fstat(fd)  # the file opened, not the name (it may have been replaced)
            self._refuse_irregular(info.st_mode)
            self.size = info.st_size
            try:
                self._zip = zipfile.ZipFile(handle)
            except Exception as exc:  # the zip parser raises many types on damaged input
                raise ValueError(f"{self.path} is not a readable gradproof {self.what} file "
                                 f"(not an .npz archive: {exc})") from None
            self._check_entries()
        except BaseException:
            handle.close()
            raise
        self._handle = handle
        return self

    def _check_entries(self):
        infos = self._zip.infolist()
        problem = None
        if len(infos) > MAX_ENTRIES:
            problem = f"{len(infos)} entries, more than a network's ({MAX_ENTRIES})"
        else:
            bad = [i.filename for i in infos if not i.filename.endswith(".npy")]
            packed = [i.filename for i in infos if i.compress_type != zipfile.ZIP_STORED]
            if bad:
                problem = f"entries that are not arrays: {bad[:5]}"
            elif packed:
                problem = (f"compressed entries {packed[:5]} (gradproof writes none; a small "
                           "compressed file can declare gigabytes)")
            elif any(i.file_size > self.size for i in infos):
                problem = "entries that declare more bytes than the file holds"
        if problem:
            self._zip.close()
            raise ValueError(f"{self.path} is not a gradproof {self.what} file ({problem})")
        self._infos = {i.filename[:-4]: i for i in infos}
        self.files = list(self._infos)

    def __exit__(self, *exc):
        self._zip.close()
        self._handle.close()
        return False

    def read(self, key: str, ndim: int | None = None, kinds: str | None = None,
             shape: tuple | None = None, max_elements: int | None = None) -> np.ndarray:
        fmt = np.lib.format
        try:
            with self._zip.open(key + ".npy") as f:
                version = fmt.read_magic(f)
                header = (fmt.read_array_header_1_0 if version == (1, 0)
                          else fmt.read_array_header_2_0)(f)
                declared, _, dtype = header
                if dtype.hasobject:
                    self.fail(f"entry {key!r} is an object array, which would need pickle; refused")
                if ndim is not None and len(declared) != ndim:
                    self.fail(f"entry {key!r} has shape {declared}, expected {ndim} dimension(s)")
                if kinds is not None and dtype.kind not in kinds:
                    self.fail(f"entry {key!r} has dtype {dtype}, expected kind {kinds!r}")
                if shape is not None and tuple(declared) != tuple(shape):
                    self.fail(f"entry {key!r} has shape {declared}, expected {tuple(shape)}")
                count = 1
                for n in declared:
                    count *= int(n)  # Python ints: a forged shape cannot overflow
                if max_elements is not None and count > max_elements:
                    self.fail(f"entry {key!r} declares {count} values, at most {max_elements} "
                              "are expected")
                if count * dtype.itemsize > self._infos[key].file_size - f.tell():
                    self.fail(f"entry {key!r} declares shape {declared} of {dtype} "
                              f"({count * dtype.itemsize} bytes), more than it holds")
            with self._zip.open(key + ".npy") as f:
                # The zip's CRC check catches bytes changed inside the data.
                return fmt.read_array(f, allow_pickle=False)
        except ValueError as exc:
            if str(exc).startswith(str(self.path)):
                raise
            raise ValueError(f"{self.path}: entry {key!r} is damaged ({exc})") from None
        except (Exception, MemoryError) as exc:
            # Damaged input makes zipfile/zlib/struct raise a zoo of types (BadZipFile,
            # zlib.error, NotImplementedError for a flipped compression method, ...).
            raise ValueError(f"{self.path}: entry {key!r} is damaged "
                             f"({type(exc).__name__}: {exc})") from None

    def text(self, key: str) -> str:
        value = self.read(key, ndim=0, kinds="U")
        if value.dtype.itemsize > 4 * MAX_TEXT:
            self.fail(f"entry {key!r} is a text of {value.dtype.itemsize // 4} characters, "
                      f"more than {MAX_TEXT}")
        return str(value)

    def integer(self, key: str) -> int:
        return int(self.read(key, ndim=0, kinds="iu"))


def network_from_npz(f: open_npz, network_class, fmt: str = FORMAT, version: int = VERSION):
    """The network described by the entries of ``f`` (see :func:`network_arrays`), made
    with ``network_class._from_params`` (``Network``, passed in so that this module does
    not import the one that imports it).

    Returns the Network; the caller checks that no unexpected entries remain (those of
    the network are ``_META`` and ``param_*``).
    """
    Network = network_class

    missing = [k for k in _META if k not in f.files]
    if missing:
        raise ValueError(f"{f.path} is not a gradproof {f.what} file (missing {missing}; "
                         f"it holds {sorted(f.files)[:8]})")
    tag = f.text("format")
    if tag != fmt:
        hint = (" (a training checkpoint: resume it with fit(..., resume=path), or read it "
                "with numeric.checkpoint.load_checkpoint)" if tag == "gradproof-checkpoint" else "")
        raise ValueError(f"{f.path} is not a gradproof {f.what} file: format {tag!r}, "
                         f"expected {fmt!r}{hint}")
    v = f.integer("version")
    if v != version:
        raise ValueError(f"{f.path} has format version {v}; this gradproof reads {version}")
    dims = f.read("layer_dims", ndim=1, kinds="iu", max_elements=MAX_LAYERS)
    if not 2 <= dims.size or np.any(dims < 1):
        raise ValueError(f"{f.path}: layer_dims {dims.tolist()} is not a valid architecture")
    dims = [int(n) for n in dims]
    names = {k: f.text(k) for k in ("hidden", "output", "init", "dtype")}
    if names["dtype"] not in ("float32", "float64"):
        raise ValueError(f"{f.path}: dtype {names['dtype']!r:.80}, expected float32 or float64")
    check_network_size(dims, names["dtype"], where=str(f.path))
    params = {}
    for name, shape in param_shapes(dims).items():
        key = f"param_{name}"
        if key not in f.files:
            raise ValueError(f"{f.path} lacks parameter {name} (layer_dims {dims})")
        value = f.read(key, shape=shape)
        if value.dtype != np.dtype(names["dtype"]):
            raise ValueError(f"{f.path}: parameter {name} has dtype {value.dtype}, expected "
                             f"{names['dtype']}")
        params[name] = value
    check_params(params, dims, np.dtype(names["dtype"]), str(f.path))
    loss = f.text("loss") if "loss" in f.files else None
    hidden = names["hidden"]
    if "hidden_formula" in f.files:
        hidden = custom.rebuild("activation", hidden, f.text("hidden_formula"), str(f.path))
    if "loss_formula" in f.files:
        if loss is None:
            raise ValueError(f"{f.path}: entry 'loss_formula' without 'loss' (its name)")
        loss = custom.rebuild("loss", loss, f.text("loss_formula"), str(f.path))
    try:
        return Network._from_params(dims, hidden, names["output"], names["init"],
                                    names["dtype"], params, loss=loss)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{f.path}: {exc}") from None


def load(path, network_class):
    """Read a network written by :func:`save`, as a ``network_class`` (``Network.load``
    passes its class).

    Raises
    ------
    FileNotFoundError
        when ``path`` does not exist.
    ValueError
        for a file that is not ours (foreign ``.npz``, not a zip, a checkpoint), truncated
        or tampered (an entry of the wrong shape or dtype, NaN or inf in a parameter, an
        unknown entry, an object array that would need pickle, bytes changed).
    """
    with open_npz(path, "network") as f:
        net = network_from_npz(f, network_class)
        extra = sorted(k for k in f.files if k not in _META + _OPTIONAL
                       and not (k.startswith("param_") and k[len("param_"):] in net.params))
        if extra:
            raise ValueError(f"{f.path} holds unexpected entries {extra}")
    return net
