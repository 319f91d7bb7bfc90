"""Unit tests of verify.gradcheck: small functions whose gradients are known by hand.

Tolerances: the checks use gradcheck's own table (float64: 3.7e-9 central, 2.9e-11
Richardson, 2.2e-14 complex step; see verify/_gradcheck/_tolerances.py). The explicit
bounds below are the project's targets (DESIGN.md): central below 1e-7 and complex step
below 1e-12 on smooth float64 functions.
"""

import dataclasses
import time

import numpy as np
import pytest

from verify.gradcheck import ComplexStepError, GradcheckError, GradcheckResult, gradcheck
from verify._gradcheck._tolerances import TOLERANCES, relative_error

METHODS = ("central", "complex", "richardson")


# -- functions with hand-derived gradients -------------------------------------------

def sin_x(x):
    return np.sum(np.sin(x) * x)


def d_sin_x(x):
    return np.cos(x) * x + np.sin(x)


A = np.random.default_rng(7).standard_normal((5, 5))


def quadratic(x):
    """x^T A x for x of shape (5,); gradient (A + A^T) x."""
    return x @ A @ x


def d_quadratic(x):
    return (A + A.T) @ x


def logsumexp(x):
    return np.log(np.sum(np.exp(x)))


def d_logsumexp(x):
    return np.exp(x) / np.sum(np.exp(x))


def two_layer(m=6, seed=3):
    """A tanh-sigmoid network with BCE cost as (cost(params), grads(params), params)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)

    def forward(p):
        A1 = np.tanh(p["W1"] @ X + p["b1"])
        A2 = 1.0 / (1.0 + np.exp(-(p["W2"] @ A1 + p["b2"])))
        return A1, A2

    def cost(p):
        _, A2 = forward(p)
        return -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2), axis=(-2, -1))

    def grads(p):
        A1, A2 = forward(p)
        dZ2 = A2 - Y
        dZ1 = (p["W2"].T @ dZ2) * (1 - A1**2)
        return {
            "dW1": dZ1 @ X.T / m,
            "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m,
            "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
        }

    params = {
        "W1": rng.standard_normal((4, 3)),
        "b1": rng.standard_normal((4, 1)),
        "W2": rng.standard_normal((1, 4)),
        "b2": rng.standard_normal((1, 1)),
    }
    return cost, grads, params


SMOOTH = {
    "sin_x": (sin_x, d_sin_x, lambda rng: rng.standard_normal((3, 4))),
    "quadratic": (quadratic, d_quadratic, lambda rng: rng.standard_normal(5)),
    "logsumexp": (logsumexp, d_logsumexp, lambda rng: 3 * rng.standard_normal(7)),
}


# -- correct gradients pass --------------------------------------------------------------

@pytest.mark.parametrize("directional", [False, True], ids=["full", "directional"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", sorted(SMOOTH))
def test_correct_gradient_passes(case, method, directional):
    f, grad_f, make = SMOOTH[case]
    x = make(np.random.default_rng(0))
    result = gradcheck(f, grad_f, x, method=method, directional=directional)
    assert result.ok and result.verdict == "pass", str(result)
    assert result.max_rel_error <= result.tolerance
    assert set(result.rel_errors) == {"x"}


@pytest.mark.parametrize("method", METHODS)
def test_dict_of_params_with_dW_keys_passes(method):
    cost, grads, params = two_layer()
    result = gradcheck(cost, grads, params, method=method)
    assert result.ok, str(result)
    assert set(result.rel_errors) == {"W1", "b1", "W2", "b2"}
    index, analytic, numeric = result.worst["W1"]
    assert len(index) == 2 and 0 <= index[0] < 4 and 0 <= index[1] < 3


def test_targets_central_below_1e7_and_complex_below_1e12():
    cost, grads, params = two_layer()
    assert gradcheck(cost, grads, params, method="central").max_rel_error < 1e-7
    assert gradcheck(cost, grads, params, method="complex").max_rel_error < 1e-12
    x = np.random.default_rng(1).standard_normal((3, 4))
    assert gradcheck(sin_x, d_sin_x, x, method="complex").max_rel_error < 1e-12


@pytest.mark.parametrize("method", METHODS)
def test_float32_passes_under_its_own_tolerance(method):
    # float32 tolerances are 2.4e-3 (central), 2.9e-4 (Richardson), 1.2e-5 (complex):
    # loose enough for rounding in float32, still far below a x2 bug's 1/3.
    x = np.random.default_rng(2).standard_normal((3, 4)).astype(np.float32)
    result = gradcheck(sin_x, d_sin_x, x, method=method)
    assert result.verdict == "pass", str(result)
    assert result.tolerance == TOLERANCES[(np.dtype(np.float32), method)]


def test_richardson_is_more_accurate_than_central_and_reports_an_error_estimate():
    x = np.random.default_rng(3).standard_normal(6)
    central = gradcheck(sin_x, d_sin_x, x, method="central")
    richardson = gradcheck(sin_x, d_sin_x, x, method="richardson")
    assert richardson.max_rel_error < central.max_rel_error
    assert 0 < richardson.error_bounds["x"] < 1e-6


def test_vectorized_agrees_with_loop_and_calls_f_less():
    calls = {"n": 0}

    def f_batch_aware(x):
        calls["n"] += 1
        return np.sum(np.sin(x) * x, axis=(-2, -1))

    x = np.random.default_rng(4).standard_normal((3, 4))
    looped = gradcheck(sin_x, d_sin_x, x)
    batched = gradcheck(f_batch_aware, d_sin_x, x, vectorized=True)
    assert batched.ok and looped.ok
    assert calls["n"] <= 3  # f(x) once, then all 24 perturbations in one batch
    assert batched.n_evals == looped.n_evals
    np.testing.assert_allclose(batched.worst["x"][2], looped.worst["x"][2], rtol=1e-8)
    # f_batched: a separate batched function, f still used for f(x).
    separate = gradcheck(sin_x, d_sin_x, x, f_batched=lambda xs: np.sum(np.sin(xs) * xs, axis=(-2, -1)))
    assert separate.ok


def test_vectorized_dict_broadcasts_the_other_parameters():
    # two_layer's cost is batch-aware: matmul broadcasts over a leading axis and the mean
    # runs over the last two axes, so the same function serves both ways.
    cost, grads, params = two_layer()
    result = gradcheck(cost, grads, params, vectorized=True)
    assert result.ok, str(result)
    assert result.max_rel_error < 1e-7


# -- planted bugs fail with the right hint -------------------------------------------

M = 5
RNG = np.random.default_rng(5)
X_DATA, Y_DATA = RNG.standard_normal((3, M)), RNG.standard_normal((2, M))


def mse(W):
    """(1/2m) sum ||W X - Y||^2 with W (2, 3), X (3, m): dW = (1/m) (W X - Y) X^T."""
    return np.sum((W @ X_DATA - Y_DATA) ** 2) / (2 * M)


def d_mse(W):
    return (W @ X_DATA - Y_DATA) @ X_DATA.T / M


SQUARE = RNG.standard_normal((3, 3))


def bilinear(W):
    """sum(S * W) + 0.5 ||W||^2 with S not symmetric: dW = S + W."""
    return np.sum(SQUARE * W) + 0.5 * np.sum(W**2)


BUGS = {
    "x2": (mse, lambda W: 2 * d_mse(W), "factor x2"),
    "missing 1/m": (mse, lambda W: M * d_mse(W), f"1/m with m = {M}"),
    "extra 1/m": (mse, lambda W: d_mse(W) / M, f"factor 1/{M}"),
    "sign": (mse, lambda W: -d_mse(W), "sign flip"),
    "transpose": (bilinear, lambda W: (SQUARE + W).T, "transpose"),
}


@pytest.mark.parametrize("directional", [False, True], ids=["full", "directional"])
@pytest.mark.parametrize("bug", sorted(BUGS))
def test_planted_bug_fails_with_hint(bug, directional):
    f, wrong_grad, expected = BUGS[bug]
    W = np.random.default_rng(6).standard_normal((3, 3) if f is bilinear else (2, 3))
    result = gradcheck(f, wrong_grad, W, directional=directional)
    assert not result.ok and result.verdict == "fail"
    assert any(expected in hint for hint in result.hints), result.hints


def test_missing_sum_over_broadcast_axis_names_the_axis():
    X = np.random.default_rng(8).standard_normal((3, 5))

    def f(p):
        return np.sum(np.tanh(p["W"] @ X + p["b"]))

    def grad_without_sum(p):
        dZ = 1 - np.tanh(p["W"] @ X + p["b"]) ** 2
        return {"W": dZ @ X.T, "b": dZ}  # db should be np.sum(dZ, axis=1, keepdims=True)

    params = {"W": np.ones((3, 3)), "b": np.zeros((3, 1))}
    with pytest.raises(ValueError, match=r"\(3, 5\) for 'b'.*\(3, 1\).*missing sum over broadcast axis 1"):
        gradcheck(f, grad_without_sum, params)


def test_one_wrong_element_is_located():
    def wrong(W):
        g = d_mse(W)
        g[1, 2] += 0.5
        return g

    result = gradcheck(mse, wrong, np.random.default_rng(9).standard_normal((2, 3)))
    assert result.verdict == "fail"
    assert result.worst["x"][0] == (1, 2)
    assert any("1 of 6 elements disagree" in hint for hint in result.hints)


# -- complex step on functions that are not complex-safe -----------------------------

NOT_COMPLEX_SAFE = {
    "abs": lambda x: np.sum(np.abs(x) * x),
    "real part": lambda x: np.sum(x**2).real,
    "float()": lambda x: float(np.sum(x**2).real),
    "astype(float)": lambda x: np.sum(x.astype(np.float64) ** 2),
    "raises": lambda x: np.sum(np.heaviside(x, 0.5) * x),
}


@pytest.mark.parametrize("case", sorted(NOT_COMPLEX_SAFE))
def test_complex_step_rejects_functions_that_are_not_complex_safe(case):
    with pytest.raises(ComplexStepError, match="not complex-safe"):
        gradcheck(NOT_COMPLEX_SAFE[case], lambda x: 2 * x, np.array([1.0, 2.0, 3.0]), method="complex")


def test_complex_step_error_is_a_value_error():
    assert issubclass(ComplexStepError, ValueError)


# -- inconclusive ----------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_float16_is_inconclusive_not_pass_or_fail(method):
    x = np.random.default_rng(10).standard_normal(5).astype(np.float16)
    result = gradcheck(sin_x, d_sin_x, x, method=method)
    assert result.verdict == "inconclusive" and not result.ok
    assert any("float16" in reason for reason in result.reasons)


def test_underflowing_step_is_inconclusive():
    result = gradcheck(sin_x, d_sin_x, np.ones(3), step=1e-300)
    assert result.verdict == "inconclusive"
    assert any("underflow" in reason for reason in result.reasons)


def test_rounding_dominated_f_is_inconclusive_for_small_gaps_but_fails_a_sign_flip():
    # |f| = 1e6 with gradients of order 1: rounding alone moves each central quotient by
    # about eps * 1e6 / h ~ 4e-5 (bound used: 10x that), far above the tolerance 3.7e-9,
    # so neither a correct gradient nor one off by 1e-6 can be judged; a sign flip can.
    def f(x):
        return 1e6 + np.sum(x**2)

    x = np.random.default_rng(11).standard_normal(4)
    assert gradcheck(f, lambda x: 2 * x, x).verdict == "inconclusive"
    assert gradcheck(f, lambda x: 2 * x * (1 + 1e-6), x).verdict == "inconclusive"
    assert gradcheck(f, lambda x: -2 * x, x).verdict == "fail"


# -- kinks -----------------------------------------------------------------------------

C = np.array([1.0, 2.0, 3.0, 4.0])


def relu_cost(x):
    return np.sum(C * np.maximum(x, 0.0))


@pytest.mark.parametrize("directional", [False, True], ids=["full", "directional"])
def test_relu_at_zero_is_a_kink_not_a_failure(directional):
    x = np.array([0.0, 1.0, -2.0, 0.5])
    result = gradcheck(relu_cost, lambda x: C * (x > 0), x, directional=directional)
    assert result.verdict == "kink" and result.ok, str(result)
    assert result.kinks == {"x": ((0,),)}  # reported apart; worst never names a kink
    assert result.worst.get("x", (None,))[0] != (0,)
    assert any("between the one-sided differences" in reason for reason in result.reasons)


def test_value_outside_the_one_sided_differences_at_a_kink_fails():
    x = np.array([0.0, 1.0, -2.0, 0.5])
    result = gradcheck(relu_cost, lambda x: C * (x > 0) + 5.0 * (x == 0), x)
    assert result.verdict == "fail"
    assert any("outside the one-sided differences" in hint for hint in result.hints)


# -- directional mode ------------------------------------------------------------------

def test_directional_cost_does_not_grow_with_the_number_of_parameters():
    small = gradcheck(sin_x, d_sin_x, np.linspace(-1, 1, 10), directional=True)
    large = gradcheck(sin_x, d_sin_x, np.linspace(-1, 1, 10_000), directional=True)
    assert small.ok and large.ok
    assert small.n_evals == large.n_evals


def test_directional_finds_the_failing_element_among_1e5_parameters():
    rng = np.random.default_rng(12)
    params = {"W": rng.standard_normal((300, 300)), "b": rng.standard_normal(10_000)}

    def f(p):
        return np.sum(np.sin(p["W"]) * p["W"], axis=(-2, -1)) + np.sum(np.tanh(p["b"]), axis=-1)

    def grad_f(p):
        dW = np.cos(p["W"]) * p["W"] + np.sin(p["W"])
        dW[123, 45] *= 1.5
        return {"W": dW, "b": 1 - np.tanh(p["b"]) ** 2}

    start = time.perf_counter()
    result = gradcheck(f, grad_f, params, directional=True, vectorized=True)
    elapsed = time.perf_counter() - start
    assert result.verdict == "fail"
    assert result.verdicts == {"W": "fail", "b": "pass"}
    assert result.worst["W"][0] == (123, 45)
    # Bisection: ~2 * log2(9e4) blocks of 4 directions x 2 points, not 2 * 1e5 evaluations.
    assert result.n_evals < 1000
    assert elapsed < 30.0


def test_directional_is_deterministic_for_a_seed():
    x = np.random.default_rng(13).standard_normal(8)
    first = gradcheck(sin_x, d_sin_x, x, directional=True, seed=3)
    second = gradcheck(sin_x, d_sin_x, x, directional=True, seed=3)
    assert first.rel_errors == second.rel_errors


# -- raise_on_failure --------------------------------------------------------------------

def test_raise_on_failure_names_the_parameter():
    cost, grads, params = two_layer()

    def wrong(p):
        g = grads(p)
        g["db1"] = 2 * g["db1"]
        return g

    with pytest.raises(GradcheckError, match="'b1'") as caught:
        gradcheck(cost, wrong, params, raise_on_failure=True)
    assert caught.value.result.verdicts["b1"] == "fail"
    assert caught.value.result.verdicts["W1"] == "pass"
    assert isinstance(caught.value, AssertionError)
    gradcheck(cost, grads, params, raise_on_failure=True)  # passes: no error


# -- input validation --------------------------------------------------------------------

def test_integer_x_is_rejected():
    with pytest.raises(ValueError, match="'x' has dtype int64"):
        gradcheck(lambda x: np.sum(x), lambda x: np.ones(3), np.arange(3))


def test_list_x_is_rejected():
    with pytest.raises(TypeError, match="NumPy array"):
        gradcheck(lambda x: np.sum(x), lambda x: np.ones(3), [1.0, 2.0, 3.0])


def test_gradient_of_another_shape_names_the_parameter_and_both_shapes():
    params = {"W": np.ones((2, 3))}
    with pytest.raises(ValueError, match=r"shape \(3, 2\) for 'W', whose shape is \(2, 3\).*transpose"):
        gradcheck(lambda p: np.sum(p["W"] ** 2), lambda p: {"W": 2 * p["W"].T}, params)


def test_gradient_with_other_names_is_rejected():
    with pytest.raises(ValueError, match=r"missing \['W'\]"):
        gradcheck(lambda p: np.sum(p["W"] ** 2), lambda p: {"V": 2 * p["W"]}, {"W": np.ones(2)})


def test_unknown_method_lists_the_valid_ones():
    with pytest.raises(ValueError, match="central, complex, richardson"):
        gradcheck(sin_x, d_sin_x, np.ones(3), method="forward")


def test_non_scalar_f_is_rejected():
    with pytest.raises(ValueError, match=r"f must return a scalar .*shape \(3,\)"):
        gradcheck(lambda x: x**2, lambda x: 2 * x, np.ones(3))
    with pytest.raises(ValueError, match="np.squeeze"):
        gradcheck(lambda x: np.sum(x**2, keepdims=True), lambda x: 2 * x, np.ones(3))


def test_batched_f_returning_a_scalar_is_rejected():
    with pytest.raises(ValueError, match="one value per point"):
        gradcheck(lambda x: np.sum(x**2), lambda x: 2 * x, np.ones(3), vectorized=True)


# -- result object -------------------------------------------------------------------------

def test_result_is_frozen_and_prints_a_table():
    cost, grads, params = two_layer()
    result = gradcheck(cost, grads, params)
    assert isinstance(result, GradcheckResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ok = False
    text = str(result)
    assert text.startswith("gradcheck central (full): PASS")
    for name in params:
        assert f"\n  {name} " in text


def test_relative_error_convention():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.ones(3), -np.ones(3)) == 1.0
    assert relative_error(2 * np.ones(3), np.ones(3)) == pytest.approx(1 / 3)


# -- gradients near zero --------------------------------------------------------------------

def tanh_cube(x):
    return np.sum(np.tanh(x) ** 3)


def d_tanh_cube(x):
    return 3 * np.tanh(x) ** 2 * (1 - np.tanh(x) ** 2)


def test_small_gradient_passes_after_extrapolation():
    # g = 3e-6 while the central truncation h^2 f'''/6 is ~4e-11: relative 1e-5, above the
    # tolerance; extrapolating from h and h/2 removes the h^2 term.
    result = gradcheck(tanh_cube, d_tanh_cube, np.array([1e-3]))
    assert result.verdict == "pass", str(result)
    assert any("extrapolation" in reason for reason in result.reasons)


def test_vanishing_gradient_with_truncation_error_is_inconclusive_not_fail():
    # At 0 the gradient is exactly 0 and any nonzero estimate has relative error 1.
    result = gradcheck(tanh_cube, d_tanh_cube, np.zeros(2))
    assert result.verdict == "inconclusive", str(result)
    assert not result.hints


@pytest.mark.parametrize("method", METHODS)
def test_float32_vectorized(method):
    x = np.random.default_rng(14).standard_normal((2, 3)).astype(np.float32)
    result = gradcheck(lambda x: np.sum(np.sin(x) * x, axis=(-2, -1)), d_sin_x, x, method=method, vectorized=True)
    assert result.verdict == "pass", str(result)
