"""gradcheck never changes the caller's x, refuses checks it cannot finish, keeps its
steps clear of nearby kinks, reports kinks apart from disagreements, and raises with the
hints the result carries.

Each test failed on the previous code (run against commit 44664ea): x doubled and the
verdict "kink"; the 10^6-element full check started 2 * 10^6 evaluations (stopped by
`timeout 60`); n_directions = 10^6 started allocating 10^6 directions; sum |x| at 1e-7
was a "kink" whose worst element was the kink; the batched f saw one point per call.
"""

import numpy as np
import pytest

from verify.gradcheck import GradcheckError, gradcheck


def test_f_writing_into_its_input_changes_neither_x_nor_the_verdict():
    x = np.array([0.3, -1.2, 2.0])
    before = x.copy()

    def f(v):
        v *= 2  # a careless f
        return np.sum(v ** 2)

    r = gradcheck(f, lambda v: 8 * v, x)
    np.testing.assert_array_equal(x, before)
    assert r.verdict == "pass", str(r)
    params = {"W": np.ones((2, 2)), "b": np.zeros(2)}

    def g(p):
        p["W"] += 1
        p["b"] -= 1
        return np.sum(p["W"] ** 2) + np.sum(p["b"])

    r = gradcheck(g, lambda p: {"W": 2 * (p["W"] + 1), "b": np.ones(2)}, params)
    np.testing.assert_array_equal(params["W"], np.ones((2, 2)))
    assert r.ok, str(r)


def test_full_mode_estimates_its_cost_and_suggests_directional():
    x = np.zeros(10**6)
    calls = []

    def f(v):
        calls.append(1)
        return np.sum(v ** 2)

    with pytest.raises(ValueError, match="directional=True"):
        gradcheck(f, lambda v: 2 * v, x)
    assert not calls  # refused before the first evaluation
    assert gradcheck(f, lambda v: 2 * v, x, directional=True).ok


def test_n_directions_is_bounded_by_memory():
    x = np.zeros(10**5)
    with pytest.raises(ValueError, match="n_directions <="):
        gradcheck(lambda v: np.sum(v ** 2), lambda v: 2 * v, x, directional=True,
                  n_directions=10**6)


def test_vectorized_batches_hold_several_points_for_large_inputs():
    x = np.zeros(5 * 10**6)  # above 2**22 elements: the old rule batched one point per call
    batches = []

    def f(v):  # linear from 0: differences exact up to the rounding of one sum
        if v.ndim == 2:
            batches.append(v.shape[0])
        return 0.5 * np.sum(v, axis=-1)

    assert gradcheck(f, lambda v: np.full(v.shape, 0.5), x, directional=True, vectorized=True).ok
    assert batches and min(batches) >= 2, batches


def test_a_kink_near_but_not_at_x_is_not_crossed():
    x = np.array([1e-7, 0.5, -0.3, -2e-9])
    r = gradcheck(lambda v: np.sum(np.abs(v)), np.sign, x)
    assert r.verdict == "pass" and not r.kinks, str(r)


def test_kinks_are_reported_apart_and_worst_names_a_disagreement():
    C = np.array([1.0, 2.0, 3.0, 4.0])
    x = np.array([0.0, 1.0, -2.0, 0.5])
    wrong = lambda v: C * (v > 0) + np.array([0, 0, 0, 0.5])  # element 3 is off
    for directional in (False, True):
        r = gradcheck(lambda v: np.sum(C * np.maximum(v, 0)), wrong, x, directional=directional)
        assert r.verdict == "fail", str(r)
        assert r.worst["x"][0] == (3,), str(r)
        assert r.kinks == {"x": ((0,),)}, str(r)


@pytest.mark.parametrize("directional", [False, True])
def test_raise_on_failure_carries_the_same_hints(directional):
    x = np.linspace(-1, 1, 12)
    r = gradcheck(lambda v: np.sum(v ** 2), lambda v: 4 * v, x, directional=directional)
    assert r.hints
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda v: np.sum(v ** 2), lambda v: 4 * v, x, directional=directional,
                  raise_on_failure=True)
    for hint in r.hints:
        assert hint in str(info.value)
    assert info.value.result.hints == r.hints
