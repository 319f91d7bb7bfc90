"""``Network``: a thin holder of an architecture and its parameters.

The work happens in pure functions (:mod:`.propagation`, :mod:`.training`,
:mod:`.io`, :mod:`.optim`); the class checks inputs where they enter and passes them on.
"""

from __future__ import annotations

import numpy as np

from . import _generated as gen
from . import custom, propagation
from .activations import ALIASES, HIDDEN, resolve
from .initializers import INITS, init_params
from .limits import check_network_size
from .outputs import OUTPUTS, default_loss, output_layer, output_spec, predict
from .validation import (as_float_matrix, check_keep_prob, check_labels, check_nonnegative,
                         check_rng, check_seed)

__all__ = ["Network"]

_DTYPES = {"float32": np.float32, "float64": np.float64}


class Network:
    """A fully connected network; columns are examples.

    Parameters
    ----------
    layer_dims : sequence of int, ``[n_x, n_1, ..., n_L]``, every size >= 1
    hidden : a hidden activation of the catalog: "sigmoid", "tanh", "relu", "leaky_relu",
        "swish" (or "silu"), "softplus", "elu", "gelu_tanh" (numeric.activations.HIDDEN);
        or a user's own, ``derive.custom_activation("mish", "z*tanh(softplus(z))")``
        (any object with its attributes, see :mod:`numeric.custom`)
    output : an output layer of the catalog (numeric.outputs.OUTPUTS): "sigmoid",
        "softmax", "linear"; with binary cross-entropy, cross-entropy (one-hot Y) and
        mean squared error respectively by default
    loss : None (the output's default) or a loss that pairs with the output
        (numeric.outputs.LOSSES), e.g. ``output="linear", loss="huber"``; or, for a
        linear output, a user's own, ``derive.custom_loss("log_cosh", "log(cosh(a - y))")``
    init : {"zeros", "random", "xavier", "he"}
    seed : int, seeds the initialization (``np.random.default_rng(seed)``); or an
        ``np.random.Generator`` to draw from
    dtype : np.float32 or np.float64 (or their names)
    max_bytes : int, optional
        Refuse (ValueError, before allocating) parameters larger than this; default
        ``$GRADPROOF_MAX_BYTES`` or 4 GiB (see :mod:`numeric.limits`).

    ``params``: ``{"W1": (n_1, n_x), "b1": (n_1, 1), ...}``.
    """

    def __init__(self, layer_dims, hidden: str = "relu", output: str = "sigmoid",
                 init: str = "he", seed: int | None = 0, dtype=np.float64,
                 max_bytes: int | None = None, loss: str | None = None):
        self._set_architecture(layer_dims, hidden, output, init, dtype, loss)
        check_network_size(self.layer_dims, self.dtype, max_bytes)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(check_seed(seed))
        self.params = init_params(self.layer_dims, init, rng, self.dtype)

    def _set_architecture(self, layer_dims, hidden, output, init, dtype, loss=None) -> None:
        """Check and store everything but the parameters (shared with :meth:`_from_params`)."""
        try:
            dims = tuple(layer_dims)
        except TypeError:
            raise TypeError(f"layer_dims must be a sequence of integers [n_x, n_1, ..., n_L], "
                            f"got {layer_dims!r}") from None
        if len(dims) < 2:
            raise ValueError(f"layer_dims needs at least an input and an output size, got {list(dims)}")
        for i, n in enumerate(dims):
            if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"layer_dims[{i}] = {n!r}: every size must be an integer >= 1 "
                                 f"(got {list(dims)})")
        if isinstance(hidden, str) or not custom.is_custom(hidden):
            _check_name("hidden activation", hidden, HIDDEN + tuple(ALIASES),
                        " or an object from derive.custom_activation")
        _check_name("output", output, OUTPUTS)
        _check_name("init", init, INITS)
        if loss is not None and not isinstance(loss, str) and not custom.is_custom(loss):
            raise TypeError(f"loss must be a name (str), an object from derive.custom_loss "
                            f"or None, got {loss!r:.80}")
        loss = output_layer(output, loss).loss  # the output's default, or a loss it pairs with
        if dims[-1] < output_spec(output)["min_units"]:
            raise ValueError(f"a {output} output needs at least {output_spec(output)['min_units']} "
                             f"classes, got layer_dims[-1] = {dims[-1]}")
        self.layer_dims = tuple(int(n) for n in dims)
        # an alias (silu) is stored by its catalog name; a user's activation as the object
        self.hidden = resolve(hidden)
        self.output = output
        self.loss = loss
        self.init = init
        self.dtype = _as_dtype(dtype)

    @classmethod
    def _from_params(cls, layer_dims, hidden, output, init, dtype, params,
                     loss=None) -> "Network":
        """A network with given parameters, none drawn (for :func:`numeric.io.load`).

        ``params`` must already match ``layer_dims`` and ``dtype`` (the caller checks);
        building them first would allocate whatever sizes a damaged file declares.
        """
        net = cls.__new__(cls)
        net._set_architecture(layer_dims, hidden, output, init, dtype, loss)
        net.params = dict(params)
        return net

    def __repr__(self) -> str:
        loss = ("" if self.loss == default_loss(self.output)
                else f", loss={custom.describe(self.loss)}")
        return (f"Network({list(self.layer_dims)}, hidden={custom.describe(self.hidden)}, "
                f"output={self.output!r}"
                f"{loss}, init={self.init!r}, dtype={np.dtype(self.dtype).name})")

    # -- inputs ---------------------------------------------------------------------
    def check_X(self, X) -> np.ndarray:
        """X as an array of the network's dtype, shape (n_x, m); errors name the shape.

        X must be floating (integer, bool, complex, str, object: TypeError); it is cast to
        the network's dtype, and must be finite before and after the cast.
        """
        return as_float_matrix("X", X, self.dtype, rows=self.layer_dims[0],
                               what=f" (layer_dims[0] = {self.layer_dims[0]})")

    def check_Y(self, Y, m: int) -> np.ndarray:
        """Y as an array of the network's dtype, shape (n_L, m), labels fitting the output.

        Integer or bool labels are accepted for sigmoid (0/1) and softmax (one-hot)
        outputs and converted exactly; a linear output needs floating targets.
        """
        Y = as_float_matrix("Y", Y, self.dtype, rows=self.layer_dims[-1], cols=m,
                            what=f" (layer_dims[-1] = {self.layer_dims[-1]} outputs)",
                            allow_int=self.output != "linear")
        check_labels(Y, self.output)
        return Y

    def check_cache(self, cache) -> int:
        """The number of examples m of a cache from :meth:`forward` of this network.

        ``cache`` must hold ``A0`` .. ``AL`` and ``Z1`` .. ``ZL`` of shapes (n_l, m): a cache
        of another network, or a hand-made dict, would otherwise fail inside NumPy with a
        message that names no argument.
        """
        if not isinstance(cache, dict):
            raise TypeError(f"cache must be the dict returned by forward, got {type(cache).__name__}")
        L = len(self.layer_dims) - 1
        m = None
        for l in range(L + 1):
            for key in ((f"A{l}",) if l == 0 else (f"Z{l}", f"A{l}")):
                value = cache.get(key)
                if not isinstance(value, np.ndarray) or value.ndim != 2:
                    raise ValueError(f"cache[{key!r}] is missing or not a 2-D array: pass the cache "
                                     f"returned by forward of this network (layer_dims "
                                     f"{list(self.layer_dims)})")
                m = value.shape[1] if m is None else m
                if value.shape != (self.layer_dims[l], m):
                    raise ValueError(f"cache[{key!r}] has shape {value.shape}, expected "
                                     f"{(self.layer_dims[l], m)} for layer_dims "
                                     f"{list(self.layer_dims)}: a cache from another network?")
        return m

    # -- the passes -----------------------------------------------------------------
    def forward(self, X, keep_prob: float = 1.0, rng: np.random.Generator | None = None):
        """``AL`` of shape (n_L, m) and the cache for :meth:`cost` and :meth:`backward`.

        ``rng`` (an ``np.random.Generator``) draws the dropout masks; it is required when
        ``keep_prob < 1``.
        """
        keep_prob = check_keep_prob(keep_prob)
        rng = check_rng(rng)
        return propagation.forward(self.params, self.check_X(X), self.hidden, self.output,
                                   keep_prob, rng)

    def cost(self, Y, cache, lambd: float = 0.0) -> float:
        """The cost of the cached forward pass, computed from the logits; plus L2 with lambd.

        Y : shape (n_L, m); cache : from :meth:`forward`; lambd : finite, >= 0.
        """
        Y = self.check_Y(Y, self.check_cache(cache))
        return propagation.cost(self.params, cache, Y, self.output,
                                check_nonnegative("lambd", lambd), loss=self.loss)

    def backward(self, Y, cache, lambd: float = 0.0,
                 return_dA: bool = False) -> dict[str, np.ndarray]:
        """Gradients ``{"dW1": ..., "db1": ...}``, each the shape of its parameter.

        Y : shape (n_L, m); cache : from :meth:`forward`; lambd : finite, >= 0.
        ``return_dA``: also ``dA0 .. dA(L-1)``, shape (n_l, m): ``W[l+1]^T dZ[l+1]``, the
        derivative of the summed per-example losses (the course's dA; m times dJ/dA).
        """
        Y = self.check_Y(Y, self.check_cache(cache))
        return propagation.backward(self.params, cache, Y, self.hidden, self.output,
                                    check_nonnegative("lambd", lambd), bool(return_dA),
                                    loss=self.loss)

    def backward_from(self, cache, dAL=None, dZL=None, lambd: float = 0.0,
                      return_dA: bool = False) -> dict[str, np.ndarray]:
        """The backward pass from a given upstream gradient instead of the labels.

        Give exactly one of ``dAL`` (the derivative of the per-example losses with
        respect to A[L], the course's ``dAL``; a sigmoid or linear output) or ``dZL``
        (with respect to the logits Z[L]; any output), shape (n_L, m) of the cache. The
        layers then apply the formulas of :meth:`backward` (1/m in dW and db). With
        ``dZL = A[L] - Y`` this is :meth:`backward`.
        """
        m = self.check_cache(cache)
        if (dAL is None) == (dZL is None):
            raise ValueError("give exactly one of dAL (gradient at A[L]) or dZL (at Z[L])")
        name = "dAL" if dZL is None else "dZL"
        upstream = as_float_matrix(name, dAL if dZL is None else dZL, self.dtype,
                                   rows=self.layer_dims[-1], cols=m,
                                   what=f" (layer_dims[-1] = {self.layer_dims[-1]} outputs)")
        activation = output_spec(self.output)["activation"]
        if dZL is None and activation is not None:
            L = len(self.layer_dims) - 1
            # an elementwise output activation has a generated g' (the sigmoid's); a
            # vector-valued one (softmax) has a Jacobian instead
            prime = getattr(gen, f"{activation}_prime", None)
            if prime is None:
                raise ValueError(f"dAL through a {self.output} output needs its Jacobian: pass "
                                 f"dZL (for cross-entropy, dZL = A[L] - Y) instead")
            upstream = gen.layer_dz(dA=upstream, gprime_Z=prime(cache[f"Z{L}"]))
        return propagation.backward_from_dz(self.params, cache, upstream, self.hidden,
                                            check_nonnegative("lambd", lambd), bool(return_dA))

    @classmethod
    def from_params(cls, params, hidden: str = "relu", output: str = "sigmoid",
                    dtype=None, init: str = "he", loss: str | None = None) -> "Network":
        """A network with given weights (a student's, the course's test weights).

        ``params``: ``{"W1": (n_1, n_0), "b1": (n_1, 1), ..., "WL", "bL"}``, floating
        arrays; ``layer_dims`` is read from the W shapes and every shape is checked, with
        the parameter named in the error. The arrays are copied, cast to ``dtype``
        (default: theirs, float32 or float64). ``init`` is recorded for :meth:`save` only.
        """
        from .io import check_params

        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict {{'W1': ..., 'b1': ...}}, got "
                            f"{type(params).__name__}")
        L = sum(1 for k in params if isinstance(k, str) and k.startswith("W"))
        if L == 0:
            raise ValueError(f"params has no W1; got keys {sorted(map(str, params))}")
        arrays = {}
        for k, v in params.items():
            arr = np.asarray(v)
            if arr.dtype.kind != "f" or arr.ndim != 2:
                raise ValueError(f"params[{k!r}] must be a 2-D floating array, got "
                                 f"{'dtype ' + str(arr.dtype) if arr.dtype.kind != 'f' else ''}"
                                 f"{' shape ' + str(arr.shape) if arr.ndim != 2 else ''}".rstrip())
            arrays[k] = arr
        dims = []
        for l in range(1, L + 1):
            W = arrays.get(f"W{l}")
            if W is None:
                raise ValueError(f"params has W1 .. W{L} but no W{l}")
            if l > 1 and W.shape[1] != dims[-1]:
                raise ValueError(f"W{l} has shape {W.shape}: its {W.shape[1]} columns must equal "
                                 f"the {dims[-1]} rows of W{l - 1} (n_{l - 1})")
            dims += [W.shape[1], W.shape[0]] if l == 1 else [W.shape[0]]
        dtype = _as_dtype(dtype if dtype is not None else
                          np.result_type(*arrays.values()))
        net = cls.__new__(cls)
        net._set_architecture(dims, hidden, output, init, dtype, loss)
        net.params = {k: np.array(v, dtype=net.dtype) for k, v in arrays.items()}
        check_params(net.params, net.layer_dims, np.dtype(net.dtype), "from_params")
        return net

    def predict(self, X) -> np.ndarray:
        """Class predictions, shape (1, m): 0/1 for sigmoid, the arg-max class for softmax;
        the outputs themselves, shape (n_L, m), for a linear output."""
        AL, _ = self.forward(X)
        return predict(self.output, AL)   # the output's rule in derive's catalog

    # -- training and files ---------------------------------------------------------
    def fit(self, X, Y, optimizer=None, epochs: int = 100, batch_size: int | None = None,
            lambd: float = 0.0, keep_prob: float = 1.0, seed: int | None = 0,
            progress: bool | None = None, checkpoint=None, checkpoint_every: int | None = None,
            resume=None):
        """Train in place with mini-batches; returns the per-epoch cost history (list).

        See :func:`numeric.training.fit` for every argument (``checkpoint``,
        ``checkpoint_every`` and ``resume`` save and continue interrupted runs).
        """
        from .training import fit

        return fit(self, X, Y, optimizer=optimizer, epochs=epochs, batch_size=batch_size,
                   lambd=lambd, keep_prob=keep_prob, seed=seed, progress=progress,
                   checkpoint=checkpoint, checkpoint_every=checkpoint_every, resume=resume)

    def save(self, path) -> None:
        """Write architecture and parameters to one ``.npz`` file (atomically)."""
        from .io import save

        save(self, path)

    @classmethod
    def load(cls, path) -> "Network":
        """Read a network written by :meth:`save` (no pickle)."""
        from .io import load

        return load(path, cls)


def _check_name(what: str, name, valid, or_object: str = "") -> None:
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a name (str){or_object}, got {name!r:.80}; "
                        f"valid: {', '.join(valid)}")
    if name not in valid:
        raise ValueError(f"unknown {what} {name!r}; valid: {', '.join(valid)}")


def _as_dtype(dtype):
    if isinstance(dtype, str):
        if dtype not in _DTYPES:
            raise ValueError(f"unknown dtype {dtype!r}; valid: float32, float64")
        return _DTYPES[dtype]
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be np.float32 or np.float64 (or their names), got {dtype!r}") from None
    if dtype is None or dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return dt.type
