"""What the grader feeds each course function, and the mistakes it recognises by name.

For every function of :mod:`numeric.course` that a student writes, a :class:`Spec` gives
the inputs (edge cases first: one example, one unit, saturated activations; then random
shapes), the names of the outputs, the helper functions the course provides to it (its
``dnn_utils`` or ``reg_utils``), and known mistakes: each a sentence and the output that
mistake would produce. The reference output is always ``numeric.course``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from numeric import _generated as gen
from numeric import course

__all__ = ["Spec", "SPECS", "NOT_GRADED", "helpers_for"]


@dataclass(frozen=True)
class Spec:
    name: str
    cases: Callable[[np.random.Generator], list]   # rng -> [args tuple, ...]
    outputs: tuple = ()          # names of the returned tuple's items ('' when one value)
    helpers: str = "dnn_utils"   # which course helper module the function may call
    mistakes: tuple = ()         # (sentence, f(args, expected_output) -> mistaken output)
    prefix: int | None = None    # compare only the first k items of a longer tuple

    def expected(self, args):
        """numeric.course's output for ``args``."""
        return getattr(course, self.name)(*args)


# -- sizes ---------------------------------------------------------------------------
# (n_prev, n, m): one unit, one example, both, then larger; random sizes follow.
_EDGE = [(1, 1, 1), (3, 1, 1), (1, 3, 1), (1, 1, 3), (2, 3, 4)]


def _sizes(rng, count=6):
    return _EDGE + [tuple(int(x) for x in rng.integers(1, 6, size=3)) for _ in range(count)]


def _Z(rng, n, m, saturated=False):
    if saturated:  # sigmoid is 0 or 1 to the last bit there
        return rng.choice([-40.0, 40.0], size=(n, m)) + rng.standard_normal((n, m))
    return 2.0 * rng.standard_normal((n, m))


def _params(rng, dims):
    return {k: v for l in range(1, len(dims))
            for k, v in ((f"W{l}", rng.standard_normal((dims[l], dims[l - 1]))),
                         (f"b{l}", rng.standard_normal((dims[l], 1))))}


def _grads_like(rng, params):
    return {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}


def _labels(rng, n, m):
    return (rng.random((n, m)) < 0.5).astype(np.int64)


# -- activations ---------------------------------------------------------------------
def _activation_cases(rng):
    cases = [(_Z(rng, n, m),) for _, n, m in _sizes(rng)]
    cases += [(_Z(rng, 2, 3, saturated=True),), (np.array([[0.0, -1.0, 1.0]]),)]
    return cases


def _activation_backward_cases(rng):
    cases = [(rng.standard_normal((n, m)), _Z(rng, n, m)) for _, n, m in _sizes(rng)]
    cases += [(rng.standard_normal((2, 3)), _Z(rng, 2, 3, saturated=True)),
              (np.ones((1, 3)), np.array([[0.0, -1.0, 1.0]]))]
    return cases


def _swap_derivative(derivative):
    return lambda args, out: gen.layer_dz(dA=args[0], gprime_Z=derivative(args[1]))


# -- one layer -----------------------------------------------------------------------
def _linear_cases(rng):
    return [(rng.standard_normal((p, m)), rng.standard_normal((n, p)), rng.standard_normal((n, 1)))
            for p, n, m in _sizes(rng)]


def _activation_forward_cases(rng):
    return [args + (act,) for args in _linear_cases(rng) for act in ("sigmoid", "relu")]


def _linear_backward_cases(rng):
    return [(rng.standard_normal((n, m)), (rng.standard_normal((p, m)),
                                           rng.standard_normal((n, p)), rng.standard_normal((n, 1))))
            for p, n, m in _sizes(rng)]


def _activation_backward_layer_cases(rng):
    cases = []
    for i, (p, n, m) in enumerate(_sizes(rng)):
        for act in ("sigmoid", "relu"):
            linear = (rng.standard_normal((p, m)), rng.standard_normal((n, p)),
                      rng.standard_normal((n, 1)))
            Z = _Z(rng, n, m, saturated=i % 3 == 2)
            cases.append((rng.standard_normal((n, m)), (linear, Z), act))
    return cases


def _wrong_layer_derivative(args, out):
    dA, (linear_cache, Z), act = args
    other = gen.relu_prime if act == "sigmoid" else gen.sigmoid_prime
    return course.linear_backward(gen.layer_dz(dA=dA, gprime_Z=other(Z)), linear_cache)


# -- whole model ---------------------------------------------------------------------
def _dims(rng, layers, n_out=1):
    return [int(n) for n in rng.integers(1, 5, size=layers)] + [n_out]


def _model_forward_cases(rng):
    cases = []
    for layers, m in [(1, 1), (2, 1), (2, 3), (3, 4), (3, 1), (4, 5)]:
        dims = _dims(rng, layers)
        cases.append((rng.standard_normal((dims[0], m)), _params(rng, dims)))
    return cases


def _cost_cases(rng):
    return [(rng.uniform(0.05, 0.95, size=(1, m)), _labels(rng, 1, m)) for m in (1, 3, 5, 8)]


def _model_backward_cases(rng):
    cases = []
    for layers, m in [(1, 1), (2, 1), (2, 3), (3, 4), (3, 2)]:
        dims = _dims(rng, layers)
        AL, caches = course.L_model_forward(rng.standard_normal((dims[0], m)), _params(rng, dims))
        cases.append((AL, _labels(rng, 1, m), caches))
    return cases


def _update_cases(rng):
    cases = []
    for layers in (1, 2, 3):
        params = _params(rng, _dims(rng, layers, n_out=int(rng.integers(1, 4))))
        cases.append((params, _grads_like(rng, params), float(rng.uniform(0.01, 1.0))))
    return cases


# -- regularization (3 layers, as the course's functions) ----------------------------
def _three_layer(rng, m):
    dims = _dims(rng, 3)
    return rng.standard_normal((dims[0], m)), _params(rng, dims)


def _forward_cache(X, params):
    """The course's (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)."""
    cache, A = [], X
    for l in (1, 2, 3):
        W, b = params[f"W{l}"], params[f"b{l}"]
        Z = gen.linear_forward(W=W, A_prev=A, b=b)
        A = gen.relu(Z) if l < 3 else gen.sigmoid(Z)
        cache += [Z, A, W, b]
    return tuple(cache)


def _reg_cost_cases(rng):
    cases = []
    for m in (1, 2, 4, 5):
        X, params = _three_layer(rng, m)
        cases.append((rng.uniform(0.05, 0.95, size=(1, m)), _labels(rng, 1, m), params,
                      float(rng.uniform(0.1, 2.0))))
    return cases


def _reg_backward_cases(rng):
    cases = []
    for m in (1, 2, 3, 5):
        X, params = _three_layer(rng, m)
        cases.append((X, _labels(rng, 1, m), _forward_cache(X, params), float(rng.uniform(0.1, 2.0))))
    return cases


def _dropout_forward_cases(rng):
    return [_three_layer(rng, m) + (kp,) for m, kp in [(1, 0.5), (2, 0.7), (4, 0.8), (5, 0.6)]]


def _dropout_backward_cases(rng):
    cases = []
    for m, kp in [(1, 0.5), (2, 0.7), (4, 0.8), (5, 0.6)]:
        X, params = _three_layer(rng, m)
        _, cache = course.forward_propagation_with_dropout(X, params, kp, rng=rng)
        cases.append((X, _labels(rng, 1, m), cache, kp))
    return cases


def _mask_not_reapplied(args, out):
    """dA[l] = W[l+1]^T dZ[l+1] / keep_prob without D[l] (the rest equals: ReLU's A > 0
    is 0 where the unit was dropped)."""
    X, Y, cache, kp = args
    wrong = dict(out)
    Ws = {1: cache[8], 2: cache[12]}
    for l in (1, 2):
        wrong[f"dA{l}"] = gen.layer_da_prev(W=Ws[l], dZ=out[f"dZ{l + 1}"]) / kp
    return wrong


def _not_divided_by_keep_prob(args, out):
    X, Y, cache, kp = args
    return course._backward_3layer(X, Y, course._split_cache(cache, 5, "dropout"), 0.0, 1.0)


# -- optimization --------------------------------------------------------------------
def _mini_batch_cases(rng):
    return [(rng.standard_normal((n, m)), _labels(rng, 1, m), size, int(seed))
            for (n, m, size), seed in zip([(2, 1, 1), (3, 5, 2), (2, 10, 4), (4, 7, 7), (1, 9, 64)],
                                          rng.integers(0, 100, size=5))]


def _params_cases(rng):
    return [(_params(rng, _dims(rng, layers, n_out=int(rng.integers(1, 4)))),) for layers in (1, 2, 3)]


def _momentum_cases(rng):
    cases = []
    for (params,) in _params_cases(rng):
        grads, v = _grads_like(rng, params), _grads_like(rng, params)
        cases.append((params, grads, v, float(rng.uniform(0.5, 0.99)), float(rng.uniform(0.01, 0.5))))
    return cases


def _adam_cases(rng):
    cases = []
    for (params,), t in zip(_params_cases(rng), (1, 2, 5)):
        grads, v = _grads_like(rng, params), _grads_like(rng, params)
        s = {k: np.abs(a) for k, a in _grads_like(rng, params).items()}
        cases.append((params, grads, v, s, t, 0.01, 0.9, 0.999, 1e-8))
    return cases


def _adam_without_bias_correction(args, out):
    params, grads, v, s, t, lr, beta1, beta2, eps = args
    _, new_v, new_s = out[:3]
    new = {k: params[k] - lr * new_v["d" + k] / (np.sqrt(new_s["d" + k]) + eps) for k in params}
    return (new, new_v, new_s)


_DERIVATIVE = "the wrong derivative: "
SPECS = {s.name: s for s in [
    Spec("sigmoid", _activation_cases, ("A", "cache")),
    Spec("relu", _activation_cases, ("A", "cache")),
    Spec("sigmoid_backward", _activation_backward_cases, mistakes=(
        (_DERIVATIVE + "sigmoid(Z) where sigmoid'(Z) = s (1 - s) belongs", _swap_derivative(gen.sigmoid)),
        (_DERIVATIVE + "relu'(Z) where sigmoid'(Z) belongs", _swap_derivative(gen.relu_prime)))),
    Spec("relu_backward", _activation_backward_cases, mistakes=(
        (_DERIVATIVE + "sigmoid'(Z) where relu'(Z) belongs", _swap_derivative(gen.sigmoid_prime)),)),
    Spec("initialize_parameters", lambda rng: [(3, 2, 1), (1, 1, 1), (4, 5, 2)]),
    Spec("initialize_parameters_deep", lambda rng: [([5, 4, 3],), ([1, 1],), ([3, 2, 4, 1],)]),
    Spec("linear_forward", _linear_cases, ("Z", "cache")),
    Spec("linear_activation_forward", _activation_forward_cases, ("A", "cache")),
    Spec("L_model_forward", _model_forward_cases, ("AL", "caches")),
    Spec("compute_cost", _cost_cases),
    Spec("linear_backward", _linear_backward_cases, ("dA_prev", "dW", "db")),
    Spec("linear_activation_backward", _activation_backward_layer_cases, ("dA_prev", "dW", "db"),
         mistakes=((_DERIVATIVE + "the other activation's derivative (sigmoid' for relu or "
                    "relu' for sigmoid)", _wrong_layer_derivative),)),
    Spec("L_model_backward", _model_backward_cases),
    Spec("update_parameters", _update_cases),
    Spec("compute_cost_with_regularization", _reg_cost_cases, helpers="reg_utils"),
    Spec("backward_propagation_with_regularization", _reg_backward_cases, helpers="reg_utils"),
    Spec("forward_propagation_with_dropout", _dropout_forward_cases, ("A3", "cache"),
         helpers="reg_utils"),
    Spec("backward_propagation_with_dropout", _dropout_backward_cases, helpers="reg_utils",
         mistakes=(("the dropout mask is not reapplied in backward: dA[l] must be multiplied "
                    "by the same D[l] as in forward (then divided by keep_prob)", _mask_not_reapplied),
                   ("dA[l] is not divided by keep_prob after the mask", _not_divided_by_keep_prob))),
    Spec("update_parameters_with_gd", _update_cases),
    Spec("random_mini_batches", _mini_batch_cases),
    Spec("initialize_velocity", _params_cases),
    Spec("update_parameters_with_momentum", _momentum_cases, ("parameters", "v")),
    Spec("initialize_adam", _params_cases, ("v", "s")),
    Spec("update_parameters_with_adam", _adam_cases, ("parameters", "v", "s"), prefix=3,
         mistakes=(("Adam without bias correction: use v / (1 - beta1**t) and "
                    "s / (1 - beta2**t) in the update", _adam_without_bias_correction),)),
]}

# Course names the grader does not run, and why.
NOT_GRADED = {"gradient_check_n": "it calls the course's gc_utils helpers "
                                   "(dictionary_to_vector, forward_propagation_n, ...)"}


def helpers_for(module: str) -> dict:
    """The functions the course provides to students (``dnn_utils`` or ``reg_utils``)."""
    if module == "reg_utils":  # there sigmoid and relu return the activation alone
        return {"sigmoid": gen.sigmoid, "relu": gen.relu, "compute_cost": course.compute_cost}
    return {"sigmoid": course.sigmoid, "relu": course.relu,
            "sigmoid_backward": course.sigmoid_backward, "relu_backward": course.relu_backward}
