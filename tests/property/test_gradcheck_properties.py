"""Properties of verify.gradcheck over hypothesis-drawn shapes and values.

Values are bounded (|x| <= 3) so that the smooth functions below stay of moderate scale,
the regime for which the tolerance table is derived (verify/_gradcheck/_tolerances.py).
"""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verify.gradcheck import gradcheck
from verify._gradcheck._hints import describe_factor
from verify._gradcheck._tolerances import relative_error

SETTINGS = settings(deadline=None, max_examples=40)


def judgeable(gradient, fx, method="central"):
    """Whether central differences can resolve ``gradient`` at the float64 tolerance.

    They carry a rounding error of about eps |f| / h = 3.7e-11 |f| (h = eps^(1/3)); when
    a first try fails, gradcheck extrapolates from h and h/2, so truncation is negligible.
    Relative to a gradient of size |g|, rounding exceeds the tolerance 3.7e-9 once
    |g| < 1e-2 |f|; a gradient that vanishes has relative error 1 against any nonzero
    estimate. There the right verdict is "inconclusive".

    Richardson's tolerance is eps^(4/5) ~ 3e-11, a hundred times tighter, while its
    truncation error h^4 |f^(5)| / 30 (h = eps^(1/5) = 7.4e-4) follows the fifth
    derivative, not the gradient: up to ~1e-13 for these functions at |x| <= 3 (tanh^3
    near 0: f^(5) = -120, while g = 3 x^2 vanishes). Relative to the tolerance it is
    resolvable only where |g| >= 1e-2 (tanh^3 at x = 0.03125: |g| = 2.9e-3, error
    3.7e-11 against 3.0e-11, the pinned example below).
    """
    size = np.max(np.abs(gradient), initial=0.0)
    smallest = 1e-2 if method == "richardson" else 1e-6
    return size >= 1e-2 * abs(fx) and size >= smallest

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
values = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
arrays = shapes.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=values))
methods = st.sampled_from(("central", "complex", "richardson"))

SMOOTH = {
    "sin_x": (lambda x: np.sum(np.sin(x) * x), lambda x: np.cos(x) * x + np.sin(x)),
    "exp": (lambda x: np.sum(np.exp(x)), np.exp),
    "logsumexp": (
        lambda x: np.log(np.sum(np.exp(x))),
        lambda x: np.exp(x) / np.sum(np.exp(x)),
    ),
    "tanh_cube": (
        lambda x: np.sum(np.tanh(x) ** 3),
        lambda x: 3 * np.tanh(x) ** 2 * (1 - np.tanh(x) ** 2),
    ),
}


@SETTINGS
@given(x=arrays, method=methods, case=st.sampled_from(sorted(SMOOTH)), directional=st.booleans())
@example(x=np.array([0.03125, 0.0]), method="richardson", case="tanh_cube", directional=True)
def test_correct_gradients_of_smooth_functions_pass(x, method, case, directional):
    f, grad_f = SMOOTH[case]
    result = gradcheck(f, grad_f, x, method=method, directional=directional)
    if result.verdict == "inconclusive":
        # e.g. tanh^3 at 0: the gradient vanishes, so any truncation error has relative
        # error 1 by the project's convention.
        assert not judgeable(grad_f(x), f(x), method), str(result)
        return
    assert result.verdict == "pass", str(result)
    assert result.max_rel_error <= result.tolerance


@SETTINGS
@given(
    W=hnp.arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 3)), elements=values),
    b=hnp.arrays(np.float64, st.tuples(st.integers(1, 3), st.just(1)), elements=values),
)
def test_dict_params_pass_and_report_every_name(W, b):
    def f(p):
        return np.sum(np.sin(p["W"]) * p["W"]) + np.sum(np.exp(p["b"]))

    def grad_f(p):
        return {"dW": np.cos(p["W"]) * p["W"] + np.sin(p["W"]), "db": np.exp(p["b"])}

    params = {"W": W, "b": b}
    result = gradcheck(f, grad_f, params)
    for name, verdict in result.verdicts.items():
        assert verdict == "pass" or not judgeable(grad_f(params)["d" + name], f(params)), str(result)
    assert set(result.rel_errors) == set(result.worst) == {"W", "b"}
    assert result.worst["W"][0] < W.shape and len(result.worst["W"][0]) == 2


@SETTINGS
@given(x=arrays, k=st.sampled_from((2, 3, 4, 5, 7)), inverse=st.booleans(), directional=st.booleans())
def test_a_constant_factor_fails_and_is_named(x, k, inverse, directional):
    # exp: a gradient with no zeros, so a factor always shows.
    factor = 1 / k if inverse else k
    result = gradcheck(lambda x: np.sum(np.exp(x)), lambda x: factor * np.exp(x), x, directional=directional)
    assert result.verdict == "fail"
    name = f"factor 1/{k}" if inverse else f"factor x{k}"
    assert any(name in hint for hint in result.hints), result.hints


@SETTINGS
@given(x=arrays)
def test_a_sign_flip_fails_and_is_named(x):
    result = gradcheck(lambda x: np.sum(np.exp(x)), lambda x: -np.exp(x), x)
    assert result.verdict == "fail"
    assert any("sign flip" in hint for hint in result.hints)


finite = hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e3, 1e3))


@SETTINGS
@given(a=finite, scale=st.floats(1e-3, 1e3))
def test_relative_error_is_symmetric_bounded_and_scale_invariant(a, scale):
    b = np.roll(a, 1) + 0.5
    r = relative_error(a, b)
    assert 0.0 <= r <= 1.0
    assert r == relative_error(b, a)
    assert np.isclose(relative_error(scale * a, scale * b), r, rtol=1e-12, atol=1e-15)
    assert relative_error(a, a) == 0.0


@SETTINGS
@given(k=st.integers(2, 1000), negative=st.booleans())
def test_describe_factor_names_integers_and_their_reciprocals(k, negative):
    sign = -1 if negative else 1
    assert f"factor x{k}" in describe_factor(sign * k, 1e-8)
    assert f"factor 1/{k}" in describe_factor(sign / k, 1e-8)
    assert ("sign flip" in describe_factor(sign * k, 1e-8)) is negative
