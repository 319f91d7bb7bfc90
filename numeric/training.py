"""The training loop: shuffled mini-batches, an optimizer step each, a cost history."""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from . import propagation
from .validation import check_keep_prob, check_nonnegative

__all__ = ["fit", "TrainingDiverged", "iterate_minibatches"]


class TrainingDiverged(FloatingPointError):
    """The cost became NaN or inf; the network keeps the last finite parameters."""


def iterate_minibatches(m: int, batch_size: int, rng: np.random.Generator):
    """Index arrays of one shuffled epoch; the last batch may be smaller."""
    order = rng.permutation(m)
    for start in range(0, m, batch_size):
        yield order[start:start + batch_size]


class _Progress:
    """A one-line progress bar on stderr (only where stderr is a terminal)."""

    def __init__(self, epochs: int, enabled: bool):
        self.epochs, self.enabled, self.start = epochs, enabled, time.perf_counter()

    def update(self, epoch: int, cost: float):
        if not self.enabled:
            return
        width = 30
        done = int(width * epoch / self.epochs)
        elapsed = time.perf_counter() - self.start
        sys.stderr.write(f"\r  epoch {epoch:>{len(str(self.epochs))}}/{self.epochs} "
                         f"[{'#' * done}{'.' * (width - done)}] cost {cost:.5g}  {elapsed:.1f}s")
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _check_int(name: str, value, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def fit(net, X, Y, optimizer=None, epochs: int = 100, batch_size: int | None = None,
        lambd: float = 0.0, keep_prob: float = 1.0, seed: int | None = 0,
        progress: bool | None = None) -> list[float]:
    """Train ``net`` in place; returns the cost of each epoch (mean over its batches).

    Parameters
    ----------
    X : ndarray, shape (n_x, m); Y : ndarray, shape (n_L, m)
    optimizer : one of :mod:`numeric.optim` (default ``Adam()``)
    epochs : int >= 1
    batch_size : int >= 1, or None for the whole set; a batch_size >= m is full-batch
    lambd : L2 strength >= 0; keep_prob : dropout keep probability in (0, 1]
    seed : seeds the shuffling and the dropout masks (``np.random.default_rng(seed)``)
    progress : a progress bar on stderr; None = only when stderr is a terminal

    Raises
    ------
    TrainingDiverged
        when the cost becomes NaN or inf; ``net.params`` then holds the last
        parameters whose cost was finite.
    """
    from .optim import Adam

    X = net.check_X(X)
    m = X.shape[1]
    Y = net.check_Y(Y, m)
    epochs = _check_int("epochs", epochs)
    batch_size = m if batch_size is None else _check_int("batch_size", batch_size)
    lambd = check_nonnegative("lambd", lambd)
    keep_prob = check_keep_prob(keep_prob)
    optimizer = Adam() if optimizer is None else optimizer
    if not (hasattr(optimizer, "init") and hasattr(optimizer, "update")):
        raise TypeError(f"optimizer must have init and update (see numeric.optim), got {optimizer!r}")
    rng = np.random.default_rng(seed)
    show = sys.stderr.isatty() if progress is None else bool(progress)
    bar = _Progress(epochs, show)

    params = net.params
    state = optimizer.init(params)
    history: list[float] = []
    try:
        for epoch in range(1, epochs + 1):
            total = 0.0
            for batch, idx in enumerate(iterate_minibatches(m, batch_size, rng), start=1):
                Xb, Yb = X[:, idx], Y[:, idx]
                _, cache = propagation.forward(params, Xb, net.hidden, net.output, keep_prob, rng)
                # A diverging run overflows here; the check below turns that into one
                # clear error instead of a stream of RuntimeWarnings.
                with np.errstate(over="ignore", invalid="ignore"):
                    cost = propagation.cost(params, cache, Yb, net.output, lambd)
                if not math.isfinite(cost):
                    raise TrainingDiverged(
                        f"training diverged: the cost is {cost} at epoch {epoch}, batch {batch}; "
                        f"the network keeps the last parameters with a finite cost "
                        f"(try a smaller learning rate)")
                grads = propagation.backward(params, cache, Yb, net.hidden, net.output, lambd)
                params, state = optimizer.update(params, grads, state)
                net.params = params
                total += cost * idx.size
            history.append(total / m)
            bar.update(epoch, history[-1])
    finally:
        bar.close()
    return history
