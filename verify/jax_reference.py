"""The network written a second time, in ``jax.numpy``, and differentiated by ``jax.grad``.

Nothing here comes from ``numeric/_generated.py`` or from derive's derivations: the
forward pass and the costs are written from the definitions (the hidden activations from
their catalog entries' SymPy definitions, printed as ``jax.numpy``), so a wrong generated
or derived formula cannot agree with itself. Only the *forward* pass is written; the gradient is JAX's reverse mode.

Conventions are the notes': columns are examples, ``W{l}`` (n_l, n_{l-1}), ``b{l}``
(n_l, 1), the cost averaged over the ``m`` columns, L2 adds ``lambd/(2m) sum ||W||^2``,
inverted dropout multiplies hidden activations by a fixed 0/1 mask ``D{l}`` and divides
by ``keep_prob`` (never on the output layer). ReLU'(0) = 0 and leaky ReLU'(0) = slope,
as in :mod:`numeric.activations`: ``where(z > 0, ...)`` picks the same branch at 0.

Importing this module turns on ``jax_enable_x64`` (process-wide): the comparison is made
in float64, where JAX and NumPy agree to ~1e-15, not in JAX's default float32.

:func:`gradients` runs ``jax.jit(jax.value_and_grad(cost))``, compiled once per
architecture (hidden, output, with or without L2, the shapes, which layers have dropout
masks) and reused: ``lambd`` and ``keep_prob`` are traced values, so checking the same
network again, at other data, parameters or strengths, compiles nothing. Op by op (no
jit), every call would dispatch and, for each new shape, compile ~10 primitives.
"""

from __future__ import annotations

import functools

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (after x64 is on)
import numpy as np  # noqa: E402
from jax.scipy.special import logsumexp  # noqa: E402

from . import _definitions  # noqa: E402

__all__ = ["LEAKY_RELU_SLOPE", "activation", "forward", "cost", "gradients", "jit", "to_jax"]

# The slope leaky ReLU takes: the catalog's default (the value numeric uses too).
LEAKY_RELU_SLOPE = _definitions.hyper_defaults("leaky_relu")["alpha"]


def activation(name: str, Z):
    """Hidden activation ``g(Z)``, shape of ``Z``: the catalog entry's *definition*
    (``derive/catalog/hidden/NAME.py``) printed as ``jax.numpy``, so that ``jax.grad``
    differentiates the definition, never the derivation being checked."""
    if name == "sigmoid":
        return jax.nn.sigmoid(Z)  # lax.logistic: finite for any Z, and so is its gradient
    try:
        g = _definitions.jax_g(name)
    except ValueError:
        raise ValueError(f"unknown hidden activation {name!r}") from None
    return g(Z)


def _output_cost(output: str, ZL, Y, m: int, loss: str | None = None):
    """The data term of the cost from the logits ``ZL`` (n_L, m); ``loss``: a catalog loss
    other than the output's default (on a linear output, from its definition)."""
    if loss is not None and loss != _definitions.default_loss(output):
        if output != "linear" or _definitions.loss_output(loss) != output:
            raise ValueError(f"loss {loss!r} on output {output!r} is not modeled")
        return jnp.sum(_definitions.jax_loss(loss)(ZL, Y)) / m
    if output == "sigmoid":
        # -[y log a + (1-y) log(1-a)] with a = sigmoid(z) is log(1 + e^z) - y z.
        return jnp.sum(jnp.logaddexp(0.0, ZL) - Y * ZL) / m
    if output == "softmax":
        return -jnp.sum(Y * (ZL - logsumexp(ZL, axis=0, keepdims=True))) / m
    if output == "linear":
        return 0.5 * jnp.sum((ZL - Y) ** 2) / m
    raise ValueError(f"unknown output {output!r}")


def n_layers(params) -> int:
    return sum(1 for k in params if k.startswith("W"))


def forward(params, X, hidden: str, masks=None, keep_prob: float = 1.0):
    """Logits ``Z[L]`` of shape (n_L, m).

    Parameters
    ----------
    params : dict, ``W{l}`` (n_l, n_{l-1}), ``b{l}`` (n_l, 1), jax or numpy arrays
    X : array, shape (n_x, m)
    hidden : a catalog activation's name, or a user's (derive.custom_activation)
    masks : dict ``{l: D}`` with ``D`` of shape (n_l, m), 0/1, for hidden layers l < L; or None
    keep_prob : float in (0, 1]
    """
    L = n_layers(params)
    A = X
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        if l == L:
            return Z
        A = activation(hidden, Z)
        if masks and l in masks:
            A = A * masks[l] / keep_prob
    raise ValueError("params holds no layer")


def cost(params, X, Y, hidden: str, output: str, lambd: float = 0.0, masks=None,
         keep_prob: float = 1.0, loss: str | None = None):
    """The cost ``J``: data term from the logits plus ``lambd/(2m) sum_l ||W[l]||_F^2``."""
    m = X.shape[1]
    J = _output_cost(output, forward(params, X, hidden, masks, keep_prob), Y, m, loss)
    # A Python zero adds nothing; a traced lambd (inside jit, see gradients) always adds.
    if not (isinstance(lambd, (int, float)) and lambd == 0):
        J = J + lambd / (2 * m) * sum(jnp.sum(params[f"W{l}"] ** 2)
                                      for l in range(1, n_layers(params) + 1))
    return J


def to_jax(arrays):
    """A dict of NumPy arrays as float64 jax arrays."""
    # device_put, not jnp.asarray: the latter compiles a copy per new shape (~50 ms each).
    return {k: jax.device_put(np.asarray(v, dtype=np.float64)) for k, v in arrays.items()}


def gradients(params, X, Y, hidden: str, output: str, lambd: float = 0.0, masks=None,
              keep_prob: float = 1.0, loss: str | None = None):
    """``jax.grad`` of :func:`cost`, in float64, keyed like ``numeric``: ``dW1, db1, ...``.

    Parameters
    ----------
    params : dict of ndarray, ``W{l}`` (n_l, n_{l-1}), ``b{l}`` (n_l, 1)
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_L, m)
    masks : dict ``{l: D}``, D of shape (n_l, m); the masks the numeric forward drew

    Returns
    -------
    cost : float
    grads : dict of ndarray (float64), each the shape of its parameter
    """
    p = to_jax(params)
    X, Y = (jax.device_put(np.asarray(a, dtype=np.float64)) for a in (X, Y))
    masks = {l: jax.device_put(np.asarray(D, dtype=np.float64)) for l, D in (masks or {}).items()}
    # a user's activation or loss is keyed by its formula (the object need not be hashable)
    J, g = _compiled(_definitions.key(hidden), output, bool(lambd), _definitions.key(loss))(
        p, X, Y, float(lambd), masks, float(keep_prob))
    return float(J), {"d" + k: np.asarray(v) for k, v in g.items()}


@functools.cache
def _compiled(hidden: str, output: str, l2: bool, loss: str | None = None):
    """``jit(value_and_grad(cost))`` for one (hidden, output, L2 or not, loss); jit adds
    the shapes and the mask layers to the key, so each architecture compiles once."""

    def J(params, X, Y, lambd, masks, keep_prob):
        return cost(params, X, Y, hidden, output, lambd if l2 else 0, masks, keep_prob, loss)

    return jit(jax.value_and_grad(J))


def jit(fn):
    """``jax.jit(fn)``, compiled for compile time (:data:`_FAST_COMPILE`): the references
    run a few times each, on small arrays. Where this jax refuses an option (an older
    XLA does not know it; the compile fails) the function is compiled as plain
    ``jax.jit`` compiles it, and so is every later one."""
    plain = jax.jit(fn)
    try:
        fast = jax.jit(fn, compiler_options=_FAST_COMPILE)
    except TypeError:  # a jax without jit(compiler_options=...)
        return plain

    def call(*args):
        if _fast_compile_refused:
            return plain(*args)
        try:
            return fast(*args)
        except Exception:  # noqa: BLE001 - an error of fn itself is raised again below
            out = plain(*args)
            _fast_compile_refused.append(True)  # plain compiles what fast did not
            return out

    return call


# The references run once per check on small arrays: compile time is what counts, not
# the speed of the compiled code. Measured on a 4-5-3-1 reference (jax 0.10, CPU): a
# compile takes ~0.24 s by default, ~0.13 s without LLVM's optimizations (level 0) and
# ~0.055 s when XLA's CPU backend also emits its fusions by its older elemental emitter
# instead of the newer MLIR fusion emitters.
# Neither changes the float64 operations asked for: the gradients of every hidden x
# output pair agree with un-jitted JAX to ~1e-15 either way, far below the 1e-10 of the
# comparisons.
_FAST_COMPILE = {"xla_backend_optimization_level": 0, "xla_cpu_use_fusion_emitters": False}
_fast_compile_refused: list = []  # non-empty once this jax refused _FAST_COMPILE
