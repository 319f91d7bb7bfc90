"""The course's functions under the course's names, signatures and return structures.

The deeplearning.ai assignments ("Building your Deep Neural Network: Step by Step",
"Regularization", "Optimization methods", "Gradient checking") have students write
these functions; here each is a thin wrapper over the generated, proved formulas of
:mod:`numeric._generated`, so that a student can compare with them function by function
and ``python -m verify student`` can grade against them.

Conventions are the course's: columns are examples; ``W[l]``: (n_l, n_{l-1});
``b[l]``: (n_l, 1); the caches are the course's tuples:

- ``linear_cache = (A_prev, W, b)``; ``activation_cache = Z``;
  ``cache = (linear_cache, activation_cache)`` per layer; ``caches``: a list of them;
- the regularization week's 3-layer caches ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3,
  b3)`` and, with dropout, ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``
  (here for any number of layers: ``(Z, A, W, b)`` or ``(Z, D, A, W, b)`` per layer).

Where the course and gradproof differ, the function's docstring says how and why. In
short:

- randomness: the course reseeds NumPy's global generator (``np.random.seed(1)``) inside
  its functions. Here a random function takes ``rng`` (an ``np.random.Generator``, or a
  ``np.random.RandomState``); its default is a *fresh local* ``RandomState`` with the
  course's seed, which draws exactly the course's numbers without touching global state.
- nothing is modified in place: update functions return new dicts (some course versions
  overwrite the ``parameters`` passed in).
- the costs are computed with gradproof's formulas from the logits, recovered from
  ``AL`` as ``log(AL) - log(1 - AL)``; the values agree with the course's to rounding.
"""

from __future__ import annotations

import numpy as np

from . import _generated as gen
from .initializers import init_params

__all__ = [
    "sigmoid", "relu", "sigmoid_backward", "relu_backward",
    "initialize_parameters", "initialize_parameters_deep",
    "linear_forward", "linear_activation_forward", "L_model_forward", "compute_cost",
    "linear_backward", "linear_activation_backward", "L_model_backward", "update_parameters",
    "compute_cost_with_regularization", "backward_propagation_with_regularization",
    "forward_propagation_with_dropout", "backward_propagation_with_dropout",
    "update_parameters_with_gd", "random_mini_batches", "initialize_velocity",
    "update_parameters_with_momentum", "initialize_adam", "update_parameters_with_adam",
    "gradient_check_n", "COURSE_FUNCTIONS",
]

# The course's seeds: initialize_parameters and forward_propagation_with_dropout call
# np.random.seed(1), initialize_parameters_deep np.random.seed(3) (2021 edition).
_SEED_TWO_LAYER, _SEED_DEEP, _SEED_DROPOUT = 1, 3, 1
_ACTIVATIONS = ("sigmoid", "relu")


# -- checks where arguments enter ------------------------------------------------------
def _matrix(name: str, value) -> np.ndarray:
    """``value`` as a 2-D real array (ints allowed: the course's labels are ints)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows, m examples as columns), got shape "
                         f"{arr.shape}" + (f"; use {name}.reshape(1, -1) for one row"
                                           if arr.ndim == 1 else ""))
    return arr


def _same_shape(names: str, a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape:
        first, second = names.split(",")
        raise ValueError(f"{first} has shape {a.shape} but {second.strip()} has shape {b.shape}: "
                         f"they must match")


def _activation(activation) -> str:
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be 'sigmoid' or 'relu', got {activation!r}")
    return activation


def _linear_cache(cache):
    try:
        A_prev, W, b = cache
    except (TypeError, ValueError):
        raise TypeError("linear cache must be the tuple (A_prev, W, b) from linear_forward") from None
    A_prev, W, b = _matrix("A_prev", A_prev), _matrix("W", W), _matrix("b", b)
    if W.shape[1] != A_prev.shape[0] or b.shape != (W.shape[0], 1):
        raise ValueError(f"linear cache shapes disagree: A_prev {A_prev.shape}, W {W.shape}, "
                         f"b {b.shape} (need W (n_l, n_prev), A_prev (n_prev, m), b (n_l, 1))")
    return A_prev, W, b


def _n_layers(parameters) -> int:
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be a dict {{'W1': ..., 'b1': ...}}, got "
                        f"{type(parameters).__name__}")
    L = sum(1 for k in parameters if k.startswith("W"))
    for l in range(1, L + 1):
        for key in (f"W{l}", f"b{l}"):
            if key not in parameters:
                raise ValueError(f"parameters has no {key!r}; got {sorted(parameters)}")
    return L


def _rng(rng, seed: int):
    if rng is None:
        return np.random.RandomState(seed)
    if not isinstance(rng, (np.random.Generator, np.random.RandomState)):
        raise TypeError(f"rng must be an np.random.Generator (or RandomState), got "
                        f"{type(rng).__name__}")
    return rng


# -- activations (the course's dnn_utils) --------------------------------------------
def sigmoid(Z):
    """``A = 1 / (1 + exp(-Z))`` and ``cache = Z``; Z, A: any shape.

    The generated form ``exp(-logaddexp(0, -Z))`` never overflows (the course's
    ``1/(1+np.exp(-Z))`` warns for Z below about -709, with the same result 0).
    """
    Z = np.asarray(Z)
    return gen.sigmoid(Z), Z


def relu(Z):
    """``A = max(0, Z)`` and ``cache = Z``; Z, A: any shape."""
    Z = np.asarray(Z)
    return gen.relu(Z), Z


def sigmoid_backward(dA, cache):
    """``dZ = dA * s (1 - s)`` with ``s = sigmoid(Z)``, ``Z = cache``; dA, Z: same shape."""
    dA, Z = np.asarray(dA), np.asarray(cache)
    _same_shape("dA, Z (the cache)", dA, Z)
    return gen.layer_dz(dA=dA, gprime_Z=gen.sigmoid_prime(Z))


def relu_backward(dA, cache):
    """``dZ = dA * 1[Z > 0]``, ``Z = cache``; 0 at Z = 0, as the course's ``dZ[Z <= 0] = 0``."""
    dA, Z = np.asarray(dA), np.asarray(cache)
    _same_shape("dA, Z (the cache)", dA, Z)
    return gen.layer_dz(dA=dA, gprime_Z=gen.relu_prime(Z))


_FORWARD = {"sigmoid": sigmoid, "relu": relu}
_BACKWARD = {"sigmoid": sigmoid_backward, "relu": relu_backward}


# -- initialization ------------------------------------------------------------------
def initialize_parameters(n_x, n_h, n_y, rng=None):
    """``{"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}``.

    W ~ 0.01 N(0, 1), b = 0 (gradproof's ``init="random"``). ``rng``: a Generator or
    RandomState; the default ``RandomState(1)`` draws the course's numbers (the course
    calls ``np.random.seed(1)`` here).
    """
    return init_params([n_x, n_h, n_y], "random", _rng(rng, _SEED_TWO_LAYER), np.float64)


def initialize_parameters_deep(layer_dims, rng=None):
    """``{"W1": (n_1, n_0), "b1": (n_1, 1), ..., "WL", "bL"}`` for ``layer_dims [n_0 .. n_L]``.

    W ~ 0.01 N(0, 1), b = 0, as the 2021 edition of the assignment (an earlier edition
    scaled by ``1/sqrt(n_{l-1})``, gradproof's ``init="xavier"``, with seed 1). The
    default ``rng``, ``RandomState(3)``, draws the course's numbers.
    """
    dims = list(layer_dims)
    if len(dims) < 2 or any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1
                            for n in dims):
        raise ValueError(f"layer_dims must list at least two sizes >= 1, got {layer_dims!r}")
    return init_params(dims, "random", _rng(rng, _SEED_DEEP), np.float64)


# -- forward -------------------------------------------------------------------------
def linear_forward(A, W, b):
    """``Z = W A + b`` and ``cache = (A, W, b)``.

    A : (n_{l-1}, m); W : (n_l, n_{l-1}); b : (n_l, 1); Z : (n_l, m).
    """
    A, W, b = _linear_cache((A, W, b))
    return gen.linear_forward(W=W, A_prev=A, b=b), (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """``A = g(W A_prev + b)`` and ``cache = ((A_prev, W, b), Z)``; activation 'sigmoid'/'relu'."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = _FORWARD[_activation(activation)](Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID: ``AL`` (n_L, m) and the list of L caches."""
    L = _n_layers(parameters)
    caches, A = [], X
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                             "relu" if l < L else "sigmoid")
        caches.append(cache)
    return A, caches


def _logits(AL):
    # The course passes AL, gradproof's cost takes the logits Z = sigma^{-1}(AL); at
    # AL = 0 or 1 this is -inf or inf and the cost is inf, as the course's log(0).
    with np.errstate(divide="ignore"):
        return np.log(AL) - np.log1p(-AL)


def compute_cost(AL, Y):
    """Cross-entropy ``-(1/m) sum(Y log AL + (1 - Y) log(1 - AL))`` as a float.

    AL, Y : (1, m), AL in (0, 1), Y in {0, 1}. Computed by gradproof's
    ``bce_cost_from_logits`` on ``Z = log(AL) - log(1 - AL)``: equal to the course's
    formula up to rounding (the last of 16 digits may differ).
    """
    AL, Y = _matrix("AL", AL), _matrix("Y", Y)
    _same_shape("AL, Y", AL, Y)
    if np.any((AL < 0) | (AL > 1)):
        raise ValueError("AL must be probabilities in [0, 1]")
    return float(gen.bce_cost_from_logits(Z=_logits(AL), Y=Y, m=Y.shape[1]))


# -- backward ------------------------------------------------------------------------
def linear_backward(dZ, cache):
    """``(dA_prev, dW, db)`` from ``dZ`` (n_l, m) and ``cache = (A_prev, W, b)``.

    dW = (1/m) dZ A_prev^T : (n_l, n_{l-1}); db = (1/m) sum(dZ, axis=1) : (n_l, 1);
    dA_prev = W^T dZ : (n_{l-1}, m).
    """
    A_prev, W, b = _linear_cache(cache)
    dZ = _matrix("dZ", dZ)
    if dZ.shape != (W.shape[0], A_prev.shape[1]):
        raise ValueError(f"dZ has shape {dZ.shape}, expected (n_l, m) = "
                         f"{(W.shape[0], A_prev.shape[1])} from the cache")
    m = A_prev.shape[1]
    return (gen.layer_da_prev(W=W, dZ=dZ), gen.layer_dw(dZ=dZ, A_prev=A_prev, m=m),
            gen.layer_db(dZ=dZ, m=m))


def linear_activation_backward(dA, cache, activation):
    """``(dA_prev, dW, db)`` through one LINEAR -> ACTIVATION layer; ``cache`` as
    :func:`linear_activation_forward` returns it. This is gradproof's backward pass from
    a given upstream gradient ``dA`` (see also ``Network.backward_from``)."""
    try:
        linear_cache, Z = cache
    except (TypeError, ValueError):
        raise TypeError("cache must be ((A_prev, W, b), Z) from linear_activation_forward") from None
    dZ = _BACKWARD[_activation(activation)](dA, Z)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """Gradients ``{"dA{l-1}", "dW{l}", "db{l}"}`` for l = L .. 1 (the 2021 edition's keys).

    Starts, as the course does, from ``dAL = -(Y/AL - (1-Y)/(1-AL))`` and the sigmoid's
    derivative at the cached ``Z[L]``. gradproof's ``Network.backward`` starts from the
    simplified ``dZ[L] = AL - Y`` (generated ``bce_sigmoid_dz``): the same when
    ``AL = sigmoid(Z[L])`` and finite where AL rounds to 0 or 1; but the course's own test
    feeds an ``AL`` that is not ``sigmoid(Z[L])``, and only the unsimplified route gives its
    printed numbers.
    """
    AL, Y = _matrix("AL", AL), _matrix("Y", Y)
    _same_shape("AL, Y", AL, Y)
    L = len(caches)
    grads = {}
    dA = gen.bce_derivative_a(AL, Y)  # d(loss)/dAL of the cross-entropy, per example
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


def _update(parameters, grads, learning_rate):
    L = _n_layers(parameters)
    new = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"{p}{l}"
            g = np.asarray(grads[f"d{key}"])
            _same_shape(f"d{key}, {key}", g, np.asarray(parameters[key]))
            new[key] = gen.gradient_descent_update(W=parameters[key], dW=g,
                                                   learning_rate=learning_rate)
    return new


def update_parameters(parameters, grads, learning_rate):
    """A new dict with ``W := W - learning_rate dW`` and ``b := b - learning_rate db``.

    The ``parameters`` passed in are not modified (the 2021 edition copies them too).
    """
    return _update(parameters, grads, learning_rate)


# -- regularization ------------------------------------------------------------------
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """Cross-entropy plus ``(lambd / (2m)) sum_l ||W[l]||^2`` over every W of ``parameters``."""
    L = _n_layers(parameters)
    Y = _matrix("Y", Y)
    m = Y.shape[1]
    cost = compute_cost(A3, Y)
    for l in range(1, L + 1):
        cost += float(gen.l2_cost(W=parameters[f"W{l}"], lambd=lambd, m=m))
    return cost


def _split_cache(cache, per_layer: int, name: str):
    cache = tuple(cache)
    # Hidden layers carry `per_layer` entries, the output layer always (Z, A, W, b).
    if per_layer == 4:
        if len(cache) % 4:
            raise ValueError(f"{name} cache must hold (Z, A, W, b) per layer, got {len(cache)} entries")
        return [cache[i:i + 4] for i in range(0, len(cache), 4)]
    if (len(cache) - 4) % 5 or len(cache) < 9:
        raise ValueError(f"{name} cache must hold (Z, D, A, W, b) per hidden layer and "
                         f"(Z, A, W, b) for the output layer, got {len(cache)} entries")
    hidden = [cache[i:i + 5] for i in range(0, len(cache) - 4, 5)]
    return hidden + [cache[-4:]]


def _backward_3layer(X, Y, layers, lambd, keep_prob):
    """The course's explicit backward pass of LINEAR->RELU->...->LINEAR->SIGMOID."""
    X, Y = _matrix("X", X), _matrix("Y", Y)
    m = X.shape[1]
    L = len(layers)
    grads = {}
    Z_L, A_L = layers[-1][0], layers[-1][1]
    _same_shape("A3 (the cache's output), Y", np.asarray(A_L), Y)
    dZ = gen.bce_sigmoid_dz(A=A_L, Y=Y)
    for l in range(L, 0, -1):
        W = layers[l - 1][-2]
        A_prev = X if l == 1 else layers[l - 2][-3]
        grads[f"dZ{l}"] = dZ
        dW = gen.layer_dw(dZ=dZ, A_prev=A_prev, m=m)
        if lambd:
            dW = dW + gen.l2_gradient(W=W, lambd=lambd, m=m)
        grads[f"dW{l}"], grads[f"db{l}"] = dW, gen.layer_db(dZ=dZ, m=m)
        if l > 1:
            dA = gen.layer_da_prev(W=W, dZ=dZ)
            below = layers[l - 2]
            if len(below) == 5:
                dA = gen.dropout_backward(dA=dA, D=below[1], keep_prob=keep_prob)
            grads[f"dA{l - 1}"] = dA
            dZ = gen.layer_dz(dA=dA, gprime_Z=gen.relu_prime(below[0]))
    return grads


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Gradients (dZ, dW, db for each layer, dA for the hidden ones) with
    ``dW += (lambd / m) W``; ``cache = (Z1, A1, W1, b1, ..., ZL, AL, WL, bL)``.

    The course multiplies by ``np.int64(A > 0)`` for ReLU's derivative, gradproof by
    ``relu_prime(Z)``: the same for A = relu(Z).
    """
    return _backward_3layer(X, Y, _split_cache(cache, 4, "regularization"), lambd, 1.0)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, rng=None):
    """LINEAR -> RELU + DROPOUT -> ... -> LINEAR -> SIGMOID: ``A_L`` and the course's cache
    ``(Z1, D1, A1, W1, b1, ..., ZL, AL, WL, bL)``.

    ``D[l] = (u < keep_prob)`` with ``u`` uniform on [0, 1) drawn from ``rng`` (shape of
    A[l], layer by layer); ``A[l] = A[l] * D[l] / keep_prob`` (inverted dropout). The
    default ``rng``, ``RandomState(1)``, draws the course's masks (the course calls
    ``np.random.seed(1)`` and ``np.random.rand``); pass a Generator for fresh masks.
    Masks are float 0/1 arrays (the course's are bool or int: the products agree).
    """
    if not (0.0 < keep_prob <= 1.0):
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
    rng = _rng(rng, _SEED_DROPOUT)
    L = _n_layers(parameters)
    cache, A = [], _matrix("X", X)
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z, _ = linear_forward(A, W, b)
        if l < L:
            A = gen.relu(Z)
            D = (rng.random(A.shape) < keep_prob).astype(A.dtype)
            A = gen.dropout_forward(A=A, D=D, keep_prob=keep_prob)
            cache += [Z, D, A, W, b]
        else:
            A = gen.sigmoid(Z)
            cache += [Z, A, W, b]
    return A, tuple(cache)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """Gradients of the dropout network: each hidden ``dA[l]`` gets its layer's mask again
    and ``1/keep_prob`` (generated ``dropout_backward``); ``cache`` from
    :func:`forward_propagation_with_dropout`."""
    return _backward_3layer(X, Y, _split_cache(cache, 5, "dropout"), 0.0, keep_prob)


# -- optimization --------------------------------------------------------------------
def update_parameters_with_gd(parameters, grads, learning_rate):
    """One gradient-descent step (the optimization week's name): see :func:`update_parameters`."""
    return _update(parameters, grads, learning_rate)


def random_mini_batches(X, Y, mini_batch_size=64, seed=0, rng=None):
    """A list of ``(mini_batch_X, mini_batch_Y)``: the columns shuffled, then cut in
    batches of ``mini_batch_size`` (the last one smaller when m is not a multiple).

    The permutation comes from ``rng`` when given, else from ``RandomState(seed)``, which
    gives the course's shuffles (the course calls ``np.random.seed(seed)`` and
    ``np.random.permutation(m)``). Y keeps its rows (the course reshapes it to (1, m)).
    """
    X, Y = _matrix("X", X), _matrix("Y", Y)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}")
    if isinstance(mini_batch_size, bool) or not isinstance(mini_batch_size, (int, np.integer)) \
            or mini_batch_size < 1:
        raise ValueError(f"mini_batch_size must be an integer >= 1, got {mini_batch_size!r}")
    m = X.shape[1]
    permutation = _rng(rng, seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]


def _zeros_like_grads(parameters):
    L = _n_layers(parameters)
    return {f"d{p}{l}": np.zeros_like(np.asarray(parameters[f"{p}{l}"], dtype=np.float64))
            for l in range(1, L + 1) for p in ("W", "b")}


def initialize_velocity(parameters):
    """``v = {"dW1": zeros of W1's shape, "db1": ..., ...}``."""
    return _zeros_like_grads(parameters)


def initialize_adam(parameters):
    """``(v, s)``: two dicts of zeros, keys ``dW1, db1, ...``."""
    return _zeros_like_grads(parameters), _zeros_like_grads(parameters)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """``v := beta v + (1 - beta) dW; W := W - learning_rate v``: returns new
    ``(parameters, v)`` (generated ``momentum_update``)."""
    L = _n_layers(parameters)
    new_p, new_v = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, g = f"{p}{l}", f"d{p}{l}"
            new_p[key], new_v[g] = gen.momentum_update(W=parameters[key], dW=grads[g], v=v[g],
                                                       learning_rate=learning_rate, beta=beta)
    return new_p, new_v


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                beta2=0.999, epsilon=1e-8, eps_root=0.0):
    """Adam with bias correction: returns new ``(parameters, v, s)``.

    ``v, s`` are the moments before correction; ``t`` counts steps from 1; ``epsilon`` is
    outside the square root, ``W -= lr * v_hat / (sqrt(s_hat) + epsilon)``, as in the
    course's notebook and ``optax.adam`` with ``eps_root = 0`` (generated ``adam_update``).
    ``eps_root`` (not the course's) adds an epsilon inside the root,
    ``sqrt(s_hat + eps_root)``, as optax names it (generated ``adam_eps_root_update``): one
    edition of the course's public test computed its expected values that way
    (``epsilon=0, eps_root=1e-2`` reproduces them). The 2021 edition also returns
    ``v_corrected, s_corrected``; these are ``v / (1 - beta1**t)`` and ``s / (1 - beta2**t)``.
    """
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 1:
        raise ValueError(f"t must be the step count, an integer >= 1, got {t!r}")
    L = _n_layers(parameters)
    new_p, new_v, new_s = {}, {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, g = f"{p}{l}", f"d{p}{l}"
            common = dict(W=parameters[key], dW=grads[g], v=v[g], s=s[g], t=int(t),
                          learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon)
            new_p[key], new_v[g], new_s[g] = (
                gen.adam_eps_root_update(**common, eps_root=eps_root) if eps_root
                else gen.adam_update(**common))
    return new_p, new_v, new_s


# -- gradient checking ---------------------------------------------------------------
def _cost_of(parameters, X, Y):
    AL, caches = L_model_forward(X, parameters)
    Z_L = caches[-1][1]
    return float(gen.bce_cost_from_logits(Z=Z_L, Y=Y, m=Y.shape[1]))


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """``difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||)``.

    ``gradapprox`` holds central differences ``(J(theta + eps) - J(theta - eps)) / (2 eps)``
    of the cost J of the [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID network
    (:func:`L_model_forward`), one parameter entry at a time, in the course's order
    ``W1, b1, W2, b2, ...`` (each flattened row by row); ``grad`` holds ``gradients``
    (``dW1, db1, ...``) in the same order. This is the relative error that
    ``verify.gradcheck`` reports; the course flags a difference above 2e-7.

    The cost is computed from the logits (``bce_cost_from_logits``), the course's from
    ``log(A3)``: both round differently, and with ``epsilon = 1e-7`` a rounding of J is
    amplified 1e7 times in ``gradapprox``, so the difference agrees with the course's
    printed 16 digits to about 10 of them.
    """
    X, Y = _matrix("X", X), _matrix("Y", Y)
    L = _n_layers(parameters)
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]
    params = {k: np.array(parameters[k], dtype=np.float64) for k in keys}
    grad, approx = [], []
    for k in keys:
        g = np.asarray(gradients[f"d{k}"], dtype=np.float64)
        _same_shape(f"d{k}, {k}", g, params[k])
        grad.append(g.ravel())
        theta = params[k].reshape(-1)  # a view: entries are changed in place and restored
        for i in range(theta.size):
            old = theta[i]
            theta[i] = old + epsilon
            J_plus = _cost_of(params, X, Y)
            theta[i] = old - epsilon
            J_minus = _cost_of(params, X, Y)
            theta[i] = old
            approx.append((J_plus - J_minus) / (2 * epsilon))
    grad, approx = np.concatenate(grad), np.array(approx)
    difference = float(np.linalg.norm(grad - approx)
                       / (np.linalg.norm(grad) + np.linalg.norm(approx)))
    if print_msg:
        verdict = ("There is a mistake in the backward propagation!" if difference > 2e-7
                   else "Your backward propagation works perfectly fine!")
        print(f"{verdict} difference = {difference}")
    return difference


# The names above that a student writes: the grader (python -m verify student) reads this.
COURSE_FUNCTIONS = tuple(n for n in __all__ if n != "COURSE_FUNCTIONS")
