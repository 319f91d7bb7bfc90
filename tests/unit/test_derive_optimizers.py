"""derive.derivations.optimizers: gradient descent, its 1-D example, Momentum, RMSprop, Adam.

Expectations are computed here independently of derive: the notes' loop in plain
Python, the stationary points with numpy.roots, each update rule written out in NumPy,
and Adam (and RMSprop) against optax in float64.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.derivations import optimizers

NAMES = (
    "gradient_descent_update",
    "gd_example_stationary_points",
    "gd_example_convergence",
    "momentum_ema",
    "rmsprop_ema",
    "adam_bias_correction",
    "adam_update",
)
SHAPE = (3, 4)  # a W^{[l]} of shape (n_l, n_{l-1})
N_STEPS = 5


@pytest.fixture(scope="module")
def built():
    return {d.name: d for d in optimizers.build()}


def _update_fn(d):
    update = d.extra["update"]
    return sp.lambdify(update["arguments"], update["outputs"], "numpy")


def _gradients(seed, n=N_STEPS, shape=SHAPE, scale=1.0):
    rng = np.random.default_rng(seed)
    return [scale * rng.standard_normal(shape) for _ in range(n)]


# --------------------------------------------------------------------------- records


def test_names_in_order(built):
    assert tuple(built) == NAMES


def test_update_symbols_are_named_as_in_code(built):
    expected = {
        "gradient_descent_update": ("W", "dW", "learning_rate"),
        "momentum_ema": ("W", "dW", "v", "learning_rate", "beta"),
        "rmsprop_ema": ("W", "dW", "s", "learning_rate", "beta", "epsilon"),
        "adam_update": ("W", "dW", "v", "s", "t", "learning_rate", "beta1", "beta2",
                        "epsilon"),
    }
    for name, names in expected.items():
        args = built[name].extra["update"]["arguments"]
        assert tuple(str(a) for a in args) == names
        for a in args:
            assert isinstance(a, sp.Symbol) and a.is_real
        assert len(built[name].extra["update"]["outputs"]) == len(
            built[name].extra["update"]["output_names"])
    t = built["adam_update"].extra["update"]["arguments"][4]
    assert t.is_integer and t.is_positive


def test_adam_defaults_from_the_notes(built):
    assert built["adam_update"].extra["defaults"] == {
        "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}


# --------------------------------------------------------------------------- 1-D example


def _notes_loop(x_new, gamma=0.01, precision=0.00001):
    # Note 002's loop, verbatim but for the iteration count.
    x_old = 0
    n = 0

    def df(x):
        y = 4 * x ** 3 - 9 * x ** 2
        return y

    while abs(x_new - x_old) > precision and n < 100_000:
        x_old = x_new
        x_new += -gamma * df(x_old)
        n += 1
    return x_new, n


def test_stationary_points_match_numpy_roots(built):
    d = built["gd_example_stationary_points"]
    roots = np.sort(np.roots([4.0, -9.0, 0.0, 0.0]).real)
    np.testing.assert_allclose(roots, [0.0, 0.0, 2.25], atol=1e-12)
    assert [float(p) for p in d.extra["stationary_points"]] == [0.0, 2.25]
    assert d.result.rhs == sp.Rational(9, 4)

    # f is an antiderivative of f'; f'' > 0 at 9/4; f' < 0 on both sides of 0.
    f = d.extra["f"]
    x = next(iter(f.free_symbols))
    coeffs = [float(c) for c in sp.Poly(f, x).all_coeffs()]
    np.testing.assert_array_equal(np.polyder(coeffs), [4.0, -9.0, 0.0, 0.0])
    assert np.polyval(np.polyder(coeffs, 2), 2.25) > 0
    assert np.polyval(np.polyder(coeffs, 2), 0.0) == 0
    assert all(np.polyval([4.0, -9.0, 0.0, 0.0], h) < 0 for h in (-0.1, -1e-3, 1e-3, 0.1))
    kinds = {float(k): v for k, v in d.extra["classification"].items()}
    assert kinds == {0.0: "inflection", 2.25: "minimum"}
    assert float(d.extra["minimum_value"]) == pytest.approx(2.25 ** 4 - 3 * 2.25 ** 3)


def test_notes_loop_converges_to_nine_quarters(built):
    d = built["gd_example_convergence"]
    x_final, n = _notes_loop(6)
    assert abs(x_final - 2.25) < 1e-4
    assert d.extra["iterations"] == n
    assert d.extra["x_final"] == x_final
    assert d.extra["error"] == pytest.approx(abs(x_final - 2.25), rel=1e-12)
    assert d.extra["error"] <= d.extra["error_bound"]
    assert d.result.rhs == sp.Rational(9, 4)
    # The stopping rule bounds the last step, not the error: the loop stops more than
    # the requested precision away from the minimum.
    assert abs(x_final - 2.25) > 1e-5


def test_notes_loop_depends_on_the_start_point():
    assert _notes_loop(0) == (0, 0)          # never moves: f'(0) = 0
    x_final, _ = _notes_loop(7)              # overshoots below 0 and stalls there
    assert -0.05 < x_final < 0
    x_final, _ = _notes_loop(3)              # from the right of 9/4 it works too
    assert abs(x_final - 2.25) < 1e-4


# --------------------------------------------------------------------------- updates


def test_gradient_descent_update_matches_numpy(built):
    step = _update_fn(built["gradient_descent_update"])
    W_sym = W_np = np.random.default_rng(0).standard_normal(SHAPE)
    for g in _gradients(1):
        (W_sym,) = step(W_sym, g, 0.1)
        W_np = W_np - 0.1 * g
    np.testing.assert_allclose(W_sym, W_np, rtol=1e-15, atol=0)


def test_momentum_matches_numpy_and_is_an_ema(built):
    step = _update_fn(built["momentum_ema"])
    lr, beta = 0.05, 0.9
    grads = _gradients(2)
    W0 = np.random.default_rng(3).standard_normal(SHAPE)
    W_sym, v_sym = W0, np.zeros(SHAPE)
    W_np, v_np = W0, np.zeros(SHAPE)
    for t, g in enumerate(grads, start=1):
        W_sym, v_sym = step(W_sym, g, v_sym, lr, beta)
        v_np = beta * v_np + (1 - beta) * g
        W_np = W_np - lr * v_np
        np.testing.assert_allclose(v_sym, v_np, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(W_sym, W_np, rtol=1e-14, atol=1e-15)
        ema = (1 - beta) * sum(beta ** (t - i) * grads[i - 1] for i in range(1, t + 1))
        np.testing.assert_allclose(v_sym, ema, rtol=1e-13, atol=1e-15)


def test_rmsprop_matches_numpy_and_optax(built):
    optax = pytest.importorskip("optax")
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    step = _update_fn(built["rmsprop_ema"])
    lr, beta, eps = 0.01, 0.9, 1e-8
    grads = _gradients(4)
    W0 = np.random.default_rng(5).standard_normal(SHAPE)
    W_sym, s_sym = W0, np.zeros(SHAPE)
    W_np, s_np = W0, np.zeros(SHAPE)
    opt = optax.rmsprop(lr, decay=beta, eps=eps, eps_in_sqrt=False)
    W_ox = jnp.asarray(W0)
    state = opt.init(W_ox)
    for t, g in enumerate(grads, start=1):
        W_sym, s_sym = step(W_sym, g, s_sym, lr, beta, eps)
        s_np = beta * s_np + (1 - beta) * g ** 2
        W_np = W_np - lr * g / (np.sqrt(s_np) + eps)
        updates, state = opt.update(jnp.asarray(g), state, W_ox)
        W_ox = optax.apply_updates(W_ox, updates)
        np.testing.assert_allclose(s_sym, s_np, rtol=1e-14, atol=0)
        np.testing.assert_allclose(W_sym, W_np, rtol=1e-14, atol=0)
        np.testing.assert_allclose(W_sym, np.asarray(W_ox), rtol=1e-12, atol=0)
        ema = (1 - beta) * sum(beta ** (t - i) * grads[i - 1] ** 2 for i in range(1, t + 1))
        np.testing.assert_allclose(s_sym, ema, rtol=1e-13, atol=0)


@pytest.mark.parametrize("lr, beta1, beta2, eps", [
    (1e-3, 0.9, 0.999, 1e-8),
    (0.1, 0.8, 0.99, 1e-3),
])
def test_adam_matches_numpy_and_optax(built, lr, beta1, beta2, eps):
    optax = pytest.importorskip("optax")
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    step = _update_fn(built["adam_update"])
    grads = _gradients(6, scale=1e-2)
    W0 = np.random.default_rng(7).standard_normal(SHAPE)
    W_sym, v_sym, s_sym = W0, np.zeros(SHAPE), np.zeros(SHAPE)
    W_np, v_np, s_np = W0, np.zeros(SHAPE), np.zeros(SHAPE)
    opt = optax.adam(lr, b1=beta1, b2=beta2, eps=eps)
    W_ox = jnp.asarray(W0, dtype=jnp.float64)
    state = opt.init(W_ox)
    for t, g in enumerate(grads, start=1):
        W_sym, v_sym, s_sym = step(W_sym, g, v_sym, s_sym, t, lr, beta1, beta2, eps)
        v_np = beta1 * v_np + (1 - beta1) * g
        s_np = beta2 * s_np + (1 - beta2) * g ** 2
        v_hat, s_hat = v_np / (1 - beta1 ** t), s_np / (1 - beta2 ** t)
        W_np = W_np - lr * v_hat / (np.sqrt(s_hat) + eps)
        updates, state = opt.update(jnp.asarray(g), state, W_ox)
        W_ox = optax.apply_updates(W_ox, updates)
        assert W_ox.dtype == jnp.float64
        np.testing.assert_allclose(v_sym, v_np, rtol=1e-14, atol=0)
        np.testing.assert_allclose(s_sym, s_np, rtol=1e-14, atol=0)
        np.testing.assert_allclose(W_sym, W_np, rtol=1e-14, atol=0)
        np.testing.assert_allclose(W_sym, np.asarray(W_ox), rtol=1e-12, atol=0)
        # optax's moments are the same numbers as ours.
        np.testing.assert_allclose(v_sym, np.asarray(state[0].mu), rtol=1e-12, atol=0)
        np.testing.assert_allclose(s_sym, np.asarray(state[0].nu), rtol=1e-12, atol=0)


def test_adam_first_step_has_size_learning_rate(built):
    step = _update_fn(built["adam_update"])
    g = np.array([[1e-6, -3.0, 250.0]])
    W1, _, _ = step(np.zeros_like(g), g, np.zeros_like(g), np.zeros_like(g), 1,
                    0.01, 0.9, 0.999, 1e-8)
    np.testing.assert_allclose(W1, -0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(np.abs(W1[0, 1:]), 0.01, rtol=1e-8)


def test_adam_efficient_form_needs_scaled_epsilon(built):
    # The derived result (alpha_t, epsilon-hat form) against the notes' form, in NumPy.
    d = built["adam_update"]
    free = sorted(d.result.rhs.free_symbols, key=str)
    f = sp.lambdify(free, d.result.rhs, "numpy")
    rng = np.random.default_rng(8)
    lr, b1, b2 = rng.uniform(0.5, 0.99, 3)
    eps, t, V, S, W_prev = 1e-3, 3, rng.uniform(0.5, 0.99), 2e-6, rng.uniform(0.5, 0.99)
    notes = W_prev - lr * (V / (1 - b1 ** t)) / (np.sqrt(S / (1 - b2 ** t)) + eps)
    # the step size and epsilon the result names, written here from the Adam paper
    alpha_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    values = {r"\alpha_t": alpha_t, r"\hat{\epsilon}": eps * np.sqrt(1 - b2 ** t),
              "V_{dW,t}": V, "S_{dW,t}": S, "W_{t-1}": W_prev}
    assert set(values) == {str(s) for s in free}
    got = f(*(values[str(s)] for s in free))
    assert got == pytest.approx(notes, rel=1e-13)
    # With epsilon-hat = epsilon (TensorFlow 1's reading) the update differs.
    assert W_prev - alpha_t * V / (np.sqrt(S) + eps) != pytest.approx(notes, rel=1e-6)


def test_bias_correction_of_a_constant_gradient(built):
    d = built["adam_bias_correction"]
    beta, t = sp.Symbol(r"\beta", positive=True), sp.Symbol("t", positive=True, integer=True)
    assert sp.simplify(d.extra["weights_sum"] - (1 - beta ** t)) == 0
    assert d.extra["weights_sum_proof"].holds and d.extra["weights_sum_proof"].symbolic
    # the boxed result is the general corrected average; a constant gradient is a
    # cross-check under it
    assert d.result.rhs.has(sp.Sum) and d.extra["constant_gradient_proof"].holds
    assert d.extra["constant_gradient"] == sp.Symbol("g", real=True)
    for beta in (0.9, 0.999):
        g, V = 0.37, 0.0
        for t in range(1, 30):
            V = beta * V + (1 - beta) * g
            weights = (1 - beta) * beta ** (t - np.arange(1, t + 1))
            assert weights.sum() == pytest.approx(1 - beta ** t, rel=1e-12)
            assert V == pytest.approx((1 - beta ** t) * g, rel=1e-12)
            assert V / (1 - beta ** t) == pytest.approx(g, rel=1e-12)
    # the general formula against the recurrence, for gradients that change every step
    rng = np.random.default_rng(3)
    for beta in (0.5, 0.9):
        grads, V = rng.normal(size=12), 0.0
        for t in range(1, 13):
            V = beta * V + (1 - beta) * grads[t - 1]
            written = sum((1 - beta) * beta ** (t - i) * grads[i - 1] for i in range(1, t + 1))
            assert written / (1 - beta ** t) == pytest.approx(V / (1 - beta ** t), rel=1e-12)
            assert _boxed_at(d.result.rhs, beta, t, grads) == pytest.approx(
                V / (1 - beta ** t), rel=1e-12)


def _boxed_at(expr, beta, t, grads):
    """The boxed general formula at beta, t and the gradients dW_1..dW_t (float)."""
    by_name = {str(s): s for s in expr.free_symbols}
    written = expr.xreplace({by_name["t"]: t, by_name[r"\beta"]: sp.Float(beta, 30)}).doit()
    values = {e: sp.Float(float(grads[int(e.indices[0]) - 1]), 30)
              for e in written.atoms(sp.Indexed)}
    return float(written.xreplace(values))
