"""``Network``: a thin holder of an architecture and its parameters.

The work happens in pure functions (:mod:`.propagation`, :mod:`.training`,
:mod:`.io`, :mod:`.optim`); the class checks inputs where they enter and passes them on.
"""

from __future__ import annotations

import numpy as np

from . import propagation
from .activations import HIDDEN
from .initializers import INITS, init_params
from .outputs import OUTPUTS
from .validation import as_float_matrix, check_keep_prob, check_labels, check_nonnegative

__all__ = ["Network"]

_DTYPES = {"float32": np.float32, "float64": np.float64}


class Network:
    """A fully connected network; columns are examples.

    Parameters
    ----------
    layer_dims : sequence of int, ``[n_x, n_1, ..., n_L]``, every size >= 1
    hidden : {"sigmoid", "tanh", "relu", "leaky_relu"}
    output : {"sigmoid", "softmax", "linear"}; with binary cross-entropy,
        cross-entropy (one-hot Y) and mean squared error respectively
    init : {"zeros", "random", "xavier", "he"}
    seed : int, seeds the initialization (``np.random.default_rng(seed)``)
    dtype : np.float32 or np.float64 (or their names)

    ``params``: ``{"W1": (n_1, n_x), "b1": (n_1, 1), ...}``.
    """

    def __init__(self, layer_dims, hidden: str = "relu", output: str = "sigmoid",
                 init: str = "he", seed: int | None = 0, dtype=np.float64):
        dims = tuple(layer_dims)
        if len(dims) < 2:
            raise ValueError(f"layer_dims needs at least an input and an output size, got {list(dims)}")
        for i, n in enumerate(dims):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"layer_dims[{i}] = {n!r}: every size must be an integer >= 1 "
                                 f"(got {list(dims)})")
        if hidden not in HIDDEN:
            raise ValueError(f"unknown hidden activation {hidden!r}; valid: {', '.join(HIDDEN)}")
        if output not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; valid: {', '.join(OUTPUTS)}")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; valid: {', '.join(INITS)}")
        if output == "softmax" and dims[-1] < 2:
            raise ValueError(f"a softmax output needs at least 2 classes, got layer_dims[-1] = {dims[-1]}")
        self.layer_dims = tuple(int(n) for n in dims)
        self.hidden = hidden
        self.output = output
        self.init = init
        self.dtype = _as_dtype(dtype)
        self.params = init_params(self.layer_dims, init, np.random.default_rng(seed), self.dtype)

    def __repr__(self) -> str:
        return (f"Network({list(self.layer_dims)}, hidden={self.hidden!r}, output={self.output!r}, "
                f"init={self.init!r}, dtype={np.dtype(self.dtype).name})")

    # -- inputs ---------------------------------------------------------------------
    def check_X(self, X) -> np.ndarray:
        """X as an array of the network's dtype, shape (n_x, m); errors name the shape."""
        return as_float_matrix("X", X, self.dtype, rows=self.layer_dims[0],
                               what=f" (layer_dims[0] = {self.layer_dims[0]})")

    def check_Y(self, Y, m: int) -> np.ndarray:
        """Y as an array of the network's dtype, shape (n_L, m), labels fitting the output."""
        Y = as_float_matrix("Y", Y, self.dtype, rows=self.layer_dims[-1], cols=m,
                            what=f" (layer_dims[-1] = {self.layer_dims[-1]} outputs)")
        check_labels(Y, self.output)
        return Y

    # -- the passes -----------------------------------------------------------------
    def forward(self, X, keep_prob: float = 1.0, rng: np.random.Generator | None = None):
        """``AL`` of shape (n_L, m) and the cache for :meth:`cost` and :meth:`backward`."""
        keep_prob = check_keep_prob(keep_prob)
        return propagation.forward(self.params, self.check_X(X), self.hidden, self.output,
                                   keep_prob, rng)

    def cost(self, Y, cache, lambd: float = 0.0) -> float:
        """The cost of the cached forward pass, computed from the logits; plus L2 with lambd."""
        Y = self.check_Y(Y, cache["A0"].shape[1])
        return propagation.cost(self.params, cache, Y, self.output,
                                check_nonnegative("lambd", lambd))

    def backward(self, Y, cache, lambd: float = 0.0) -> dict[str, np.ndarray]:
        """Gradients ``{"dW1": ..., "db1": ...}``, each the shape of its parameter."""
        Y = self.check_Y(Y, cache["A0"].shape[1])
        return propagation.backward(self.params, cache, Y, self.hidden, self.output,
                                    check_nonnegative("lambd", lambd))

    def predict(self, X) -> np.ndarray:
        """Class predictions, shape (1, m): 0/1 for sigmoid, the arg-max class for softmax;
        the outputs themselves, shape (n_L, m), for a linear output."""
        AL, _ = self.forward(X)
        if self.output == "sigmoid":
            return (AL > 0.5).astype(np.int64)
        if self.output == "softmax":
            return np.argmax(AL, axis=0).reshape(1, -1)
        return AL

    # -- training and files ---------------------------------------------------------
    def fit(self, X, Y, optimizer=None, epochs: int = 100, batch_size: int | None = None,
            lambd: float = 0.0, keep_prob: float = 1.0, seed: int | None = 0,
            progress: bool | None = None):
        """Train in place with mini-batches; returns the per-epoch cost history (list).

        See :func:`numeric.training.fit` for every argument.
        """
        from .training import fit

        return fit(self, X, Y, optimizer=optimizer, epochs=epochs, batch_size=batch_size,
                   lambd=lambd, keep_prob=keep_prob, seed=seed, progress=progress)

    def save(self, path) -> None:
        """Write architecture and parameters to one ``.npz`` file (atomically)."""
        from .io import save

        save(self, path)

    @classmethod
    def load(cls, path) -> "Network":
        """Read a network written by :meth:`save` (no pickle)."""
        from .io import load

        return load(path)


def _as_dtype(dtype):
    if isinstance(dtype, str):
        if dtype not in _DTYPES:
            raise ValueError(f"unknown dtype {dtype!r}; valid: float32, float64")
        return _DTYPES[dtype]
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return dt.type
