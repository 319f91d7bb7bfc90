"""The training loop: shuffled mini-batches, an optimizer step each, a cost history."""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from .custom import key_of
from .inplace_step import InplaceStepper
from .optim import CLASSES, Adam
from .pure_step import PureStepper
from .validation import check_keep_prob, check_nonnegative, check_positive_int, check_seed

__all__ = ["fit", "TrainingDiverged", "iterate_minibatches"]


class TrainingDiverged(FloatingPointError):
    """The cost or a parameter became NaN or inf; the network keeps the last finite parameters.

    Attributes: ``epoch`` and ``batch`` (from 1) where it happened, ``history`` the costs
    of the epochs completed before.
    """

    def __init__(self, message: str, epoch: int | None = None, batch: int | None = None,
                 history: list | None = None):
        super().__init__(message)
        self.epoch, self.batch, self.history = epoch, batch, history or []


def iterate_minibatches(m: int, batch_size: int, rng: np.random.Generator):
    """Index arrays of one shuffled epoch; the last batch may be smaller."""
    order = rng.permutation(m)
    for start in range(0, m, batch_size):
        yield order[start:start + batch_size]


class _Batches:
    """The mini-batches of ``(X, Y)``, gathered into reused buffers.

    Gathering the columns ``X[:, idx]`` of an (n_x, m) C-ordered array reads one element
    from each of n_x rows per example: every read a cache miss once the data outgrows the
    cache (1.2 ms of a 4 ms step at 784 x 60,000). Here the examples are rows of ``XT``
    (m, n_x), the transposed data, and a batch is ``n_x`` contiguous values per example:
    a row copy. ``XT`` is ``X.T`` itself (no copy) where X is Fortran-ordered, as
    ``data.T`` of an (m, n_x) array is; else one copy of the data, made once per fit
    (the memory target: the data plus one copy). A batch is handed out as ``buffer.T``,
    an (n_x, k) view; the products read it through BLAS's transposed flag.

    A full batch (``batch_size >= m``) is X and Y themselves: a shuffle would only reorder
    the columns of one mean, so none is drawn and nothing is gathered or copied.
    """

    def __init__(self, X, Y, batch_size: int):
        self.m = X.shape[1]
        self.batch_size = batch_size
        self.X, self.Y = X, Y
        if batch_size < self.m:
            self.XT, self.YT = _transposed(X), _transposed(Y)
            self.bufX = np.empty((batch_size, X.shape[0]), dtype=X.dtype)
            self.bufY = np.empty((batch_size, Y.shape[0]), dtype=Y.dtype)

    def epoch(self, rng: np.random.Generator):
        """``(Xb, Yb)`` of shapes (n_x, k) and (n_L, k) for each batch of one epoch; each
        is valid until the next batch."""
        if self.batch_size >= self.m:
            yield self.X, self.Y
            return
        for idx in iterate_minibatches(self.m, self.batch_size, rng):
            k = idx.size
            # mode="clip": the indices are valid; the default ("raise") buffers ``out``,
            # an allocation per call.
            bx, by = self.bufX[:k], self.bufY[:k]
            np.take(self.XT, idx, axis=0, out=bx, mode="clip")
            np.take(self.YT, idx, axis=0, out=by, mode="clip")
            yield bx.T, by.T


def _transposed(A: np.ndarray) -> np.ndarray:
    """``A.T`` as a C-ordered array: ``A.T`` itself where that is already C-ordered,
    else a copy made in tiles of 64 rows x 256 columns of A (16 x 1024 where a row of A
    is a multiple of 4 KiB).

    ``np.ascontiguousarray(A.T)`` reads A down its columns: where a row of A is a
    power-of-two number of bytes (m = 2048, 65536 examples) every read of a column maps
    to the same cache set, and the copy runs 2-5x slower than at m = 60,000 (0.4 s for
    784 x 65,536 float32); tiles cut that by 2-3x and cost nothing at other sizes
    (measured, 784 x 50,000 to 65,536, float32 and float64). Where the rows are a
    multiple of 4 KiB apart, even 64 rows of a tile collide in the cache: tiles of 16
    rows copy 784 x 2,048 to 65,536 in 0.4-0.7x the time of 64-row tiles, and are
    1.2-1.8x slower elsewhere (784 x 3,000 and 60,000), so they are used only there.
    """
    if A.T.flags.c_contiguous:
        return A.T
    n, m = A.shape
    rows, cols = (16, 1024) if (m * A.itemsize) % 4096 == 0 else (64, 256)
    out = np.empty((m, n), dtype=A.dtype)
    for j in range(0, m, cols):
        for i in range(0, n, rows):
            out[j:j + cols, i:i + rows] = A[i:i + rows, j:j + cols].T
    return out


class _Progress:
    """A one-line progress bar on stderr (only where stderr is a terminal).

    Written here rather than taken from tqdm or rich: ``numeric`` imports only NumPy at
    run time, and one line needs little of what those libraries do. What they do right
    is kept: the line is redrawn at most every ``MIN_INTERVAL`` seconds (a fast run of
    3000 epochs would otherwise redraw it 3000 times), the last epoch is
    always drawn, and the line ends with the time left.
    """

    MIN_INTERVAL = 0.1  # seconds between redraws, as tqdm's default mininterval

    def __init__(self, epochs: int, enabled: bool, stream=None, clock=time.perf_counter):
        self.epochs, self.enabled = epochs, enabled
        self.stream = sys.stderr if stream is None else stream
        self.clock = clock
        self.start = clock()
        self.drawn = -math.inf  # when the line was last drawn

    def update(self, epoch: int, cost: float, first: int = 1):
        """Epoch ``epoch`` (of ``first``..``epochs``) is done with cost ``cost``."""
        if not self.enabled:
            return
        now = self.clock()
        if epoch < self.epochs and now - self.drawn < self.MIN_INTERVAL:
            return
        self.drawn = now
        width = 30
        done = int(width * epoch / self.epochs)
        elapsed = now - self.start
        run = epoch - first + 1  # epochs run in this call (a resumed run starts later)
        left = elapsed / run * (self.epochs - epoch) if run > 0 else 0.0
        self.stream.write(f"\r  epoch {epoch:>{len(str(self.epochs))}}/{self.epochs} "
                          f"[{'#' * done}{'.' * (width - done)}] cost {cost:.5g}  {elapsed:.1f}s"
                          + (f", {left:.1f}s left " if epoch < self.epochs else "          "))
        self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def fit(net, X, Y, optimizer=None, epochs: int = 100, batch_size: int | None = None,
        lambd: float = 0.0, keep_prob: float = 1.0, seed: int | None = 0,
        progress: bool | None = None, checkpoint=None, checkpoint_every: int | None = None,
        resume=None) -> list[float]:
    """Train ``net`` in place; returns the cost of each epoch (mean over its batches).

    Parameters
    ----------
    X : ndarray, shape (n_x, m), floating (see :mod:`numeric.validation` for the dtypes)
    Y : ndarray, shape (n_L, m); 0/1 labels (sigmoid), one-hot columns (softmax)
    optimizer : one of :mod:`numeric.optim` (default ``Adam()``)
    epochs : int >= 1, the total number of epochs (with ``resume``: including those
        already done)
    batch_size : int >= 1, or None for the whole set; a batch_size >= m is full-batch
    lambd : L2 strength >= 0; keep_prob : dropout keep probability in (0, 1]
    seed : None or int >= 0; seeds the one generator (``np.random.default_rng(seed)``)
        that draws the shuffling and the dropout masks. The same seed gives the same
        result, bit for bit.
    progress : a progress bar on stderr; None = only when stderr is a terminal
    checkpoint : path or None; write a checkpoint (:mod:`numeric.checkpoint`) there
        atomically every ``checkpoint_every`` epochs, after the last epoch, and, on
        KeyboardInterrupt, at the last completed epoch
    checkpoint_every : int >= 1 (default 1); only with ``checkpoint``
    resume : path or None; go on from the checkpoint there: parameters, optimizer state,
        generator state and history are restored, ``seed`` is not used, and training runs
        from the checkpoint's epoch + 1 to ``epochs``. The architecture, ``batch_size``,
        ``lambd``, ``keep_prob`` and the data must be those of the checkpointed run, and
        ``optimizer`` either None (the checkpoint's is used) or equal to it; anything
        else is a ValueError, since it could not give the run that was interrupted.

    Returns
    -------
    list of float, one cost per epoch (with ``resume``, from epoch 1).

    Raises
    ------
    TrainingDiverged
        when the cost or a parameter becomes NaN or inf; the message names the epoch
        and the batch, and ``net.params`` then holds the last parameters whose cost was
        finite (those before the step that broke them).
    ValueError, TypeError
        for bad arguments, each naming the argument.
    """
    from .checkpoint import check_checkpointable, data_digest, load_checkpoint, save_checkpoint

    X = net.check_X(X)
    m = X.shape[1]
    Y = net.check_Y(Y, m)
    epochs = check_positive_int("epochs", epochs)
    batch_size = m if batch_size is None else check_positive_int("batch_size", batch_size)
    lambd = check_nonnegative("lambd", lambd)
    keep_prob = check_keep_prob(keep_prob)
    seed = check_seed(seed)
    if optimizer is not None and not (hasattr(optimizer, "init") and hasattr(optimizer, "update")):
        raise TypeError(f"optimizer must have init and update (see numeric.optim), got {optimizer!r}")
    if checkpoint_every is not None:
        checkpoint_every = check_positive_int("checkpoint_every", checkpoint_every)
        if checkpoint is None:
            raise ValueError("checkpoint_every is given but checkpoint (the path) is None")
    checkpoint_every = checkpoint_every or 1
    settings = {"batch_size": batch_size, "lambd": lambd, "keep_prob": keep_prob, "m": m,
                "data_sha256": data_digest(X, Y) if (checkpoint or resume) else None,
                "seed": seed}

    start = 1
    history: list[float] = []
    if resume is not None:
        ck = load_checkpoint(resume, type(net))
        _check_resume(net, ck, optimizer, settings, epochs, resume)
        optimizer = ck.optimizer
        net.params = ck.net.params
        state = ck.state
        rng = np.random.default_rng()
        rng.bit_generator.state = ck.rng_state
        history = list(ck.history)
        start = ck.epoch + 1
        settings["seed"] = ck.settings.get("seed")
    else:
        optimizer = Adam() if optimizer is None else optimizer
        state = optimizer.init(net.params)
        rng = np.random.default_rng(seed)
    if checkpoint is not None:
        check_checkpointable(optimizer)

    # The fast path: one step writes into preallocated buffers (numeric.inplace_step);
    # net.params and the optimizer state become views into its flat arrays.
    fast = type(optimizer) in CLASSES.values()   # the catalog's optimizers, not subclasses
    stepper = (InplaceStepper if fast else PureStepper)(net, optimizer, state, lambd, keep_prob)
    # From here on net.params is the stepper's: both steppers keep it current, backups
    # restored included.
    net.params = stepper.params
    show = sys.stderr.isatty() if progress is None else bool(progress)
    bar = _Progress(epochs, show)
    # The run at the last epoch boundary: what a checkpoint written on KeyboardInterrupt
    # holds (mid-epoch, the generator has moved on and the epoch could not be replayed).
    # Copies, since the step overwrites the arrays; only needed with a checkpoint.
    boundary = _snapshot(stepper, rng, start - 1) if checkpoint is not None else None
    saved_epoch = start - 1
    batches = _Batches(X, Y, batch_size)
    try:
        # A diverging run overflows in forward, cost and backward alike; the two checks
        # after each step turn that into one clear error instead of a stream of
        # RuntimeWarnings. (Entered once, not per step: a small network's step is ~100 us.)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(start, epochs + 1):
                total = 0.0
                for batch, (batch_X, batch_Y) in enumerate(batches.epoch(rng), start=1):
                    cost = stepper.step(batch_X, batch_Y, rng)
                    if not math.isfinite(cost):
                        # These parameters (finite numbers, a non-finite cost) are not worth
                        # keeping: go back to those of the last step, whose cost was finite.
                        stepper.restore_backup()
                        raise _diverged(f"the cost is {cost}", epoch, batch, history)
                    if not stepper.params_finite():
                        bad = [k for k, v in stepper.params.items() if not np.all(np.isfinite(v))]
                        stepper.restore_backup()
                        raise _diverged(f"the step makes {', '.join(bad)} NaN or inf", epoch,
                                        batch, history)
                    total += cost * batch_X.shape[1]
                history.append(total / m)
                if checkpoint is not None:
                    boundary = _snapshot(stepper, rng, epoch)
                bar.update(epoch, history[-1], first=start)
                if checkpoint is not None and (epoch % checkpoint_every == 0 or epoch == epochs):
                    save_checkpoint(checkpoint, net, optimizer, stepper.state, epoch, history, rng,
                                    settings)
                    saved_epoch = epoch
    except KeyboardInterrupt:
        if checkpoint is not None and boundary[0] > saved_epoch:
            epoch_done, b_params, b_state, b_rng = boundary
            snap = np.random.default_rng()
            snap.bit_generator.state = b_rng
            current = net.params
            net.params = b_params
            try:
                save_checkpoint(checkpoint, net, optimizer, b_state, epoch_done,
                                history[:epoch_done], snap, settings)
            finally:
                net.params = current
        raise
    finally:
        bar.close()
    return history


def _snapshot(stepper, rng, epoch: int):
    """(epoch, params, optimizer state, generator state), copied out of the stepper."""
    params = {k: v.copy() for k, v in stepper.params.items()}
    state = stepper.state
    state = state._replace(**{f: {k: v.copy() for k, v in getattr(state, f).items()}
                              for f in stepper.fields})
    return epoch, params, state, rng.bit_generator.state


def _diverged(what: str, epoch: int, batch: int, history) -> "TrainingDiverged":
    return TrainingDiverged(
        f"training diverged: {what} at epoch {epoch}, batch {batch}; the network keeps "
        f"the last parameters with a finite cost (try a smaller learning rate)",
        epoch=epoch, batch=batch, history=list(history))


def _check_resume(net, ck, optimizer, settings: dict, epochs: int, path) -> None:
    """ValueError unless going on from ``ck`` can give the run that was interrupted."""
    # a user's activation compares by its (kind, name, formula): a loaded one is a new object
    here = (list(net.layer_dims), key_of(net.hidden), net.output, np.dtype(net.dtype).name)
    there = (list(ck.net.layer_dims), key_of(ck.net.hidden), ck.net.output,
             np.dtype(ck.net.dtype).name)
    if here != there:
        raise ValueError(f"resume: {path} holds a network (layer_dims, hidden, output, dtype) = "
                         f"{there}, this one is {here}")
    if optimizer is not None and optimizer != ck.optimizer:
        raise ValueError(f"resume: {path} was trained with {ck.optimizer!r}, got optimizer="
                         f"{optimizer!r} (pass optimizer=None to use the checkpoint's)")
    for key in ("m", "data_sha256", "batch_size", "lambd", "keep_prob"):
        if ck.settings.get(key) != settings[key]:
            what = "the data (X, Y)" if key in ("m", "data_sha256") else key
            raise ValueError(f"resume: {what} differs from the checkpointed run "
                             f"({key} = {ck.settings.get(key)!r} there, {settings[key]!r} here); "
                             f"start a new run (resume=None) to train with other settings")
    if ck.epoch > epochs:
        raise ValueError(f"resume: {path} is at epoch {ck.epoch}, beyond epochs = {epochs} "
                         f"(epochs counts from the start of the run)")
