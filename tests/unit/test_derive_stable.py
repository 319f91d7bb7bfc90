"""Stable forms: derive's results against naive formulas written here, and at +-1000.

The references are written in this file: the naive formulas in SymPy, and exact
values with mpmath at 50 digits. The stable forms are lambdified as they are (the
``logaddexp`` node becomes ``numpy.logaddexp``) and must stay finite at z = +-1000.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive import registry
from derive.symbols import logaddexp, unfold, y, z
from verify.steps_check import displayed_step_gaps

NAMES = ["sigmoid_stable", "bce_from_logits", "log_softmax_stable"]
EXTREME = np.array([-1000.0, -50.0, -1.5, 0.0, 2.0, 50.0, 1000.0])

# Overflow, division by zero and invalid operations must not happen. Underflow is
# allowed: NumPy's logaddexp(0, 1000) evaluates exp(-1000), which underflows to 0 (the
# correctly rounded answer) and raises the underflow flag even on the stable path.
NO_OVERFLOW = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


def mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def test_sigmoid_stable_is_exactly_the_branch_free_form():
    d = registry["sigmoid_stable"]
    assert d.result.rhs == sp.exp(-logaddexp(0, -z))
    naive = 1 / (1 + sp.exp(-z))
    assert sp.simplify(unfold(d.result.rhs) - naive) == 0


def test_sigmoid_stable_at_extremes():
    f = sp.lambdify([z], registry["sigmoid_stable"].result.rhs, "numpy")
    with mpmath.workdps(50), np.errstate(**NO_OVERFLOW):
        values = f(EXTREME)
        expected = [float(mp_sigmoid(mpmath.mpf(x))) for x in EXTREME]
    assert np.all(np.isfinite(values))
    np.testing.assert_allclose(values, expected, rtol=1e-14, atol=0)


def test_naive_sigmoid_overflows_where_the_stable_one_does_not():
    with np.errstate(**NO_OVERFLOW), pytest.raises(FloatingPointError):
        1 / (1 + np.exp(-EXTREME))


def test_bce_from_logits_is_exactly_the_branch_free_form():
    d = registry["bce_from_logits"]
    assert d.result.rhs == logaddexp(0, z) - z * y
    s = 1 / (1 + sp.exp(-z))
    naive = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    # Exact rational points, so that evalf carries 30 digits through the cancellation.
    points = [("-7.5", "0.2"), ("-0.3", "1"), ("0", "0.5"), ("4.2", "0"), ("9", "0.7")]
    for zv, yv in points:
        exact = {z: sp.Rational(zv), y: sp.Rational(yv)}
        difference = (unfold(d.result.rhs) - naive).subs(exact).evalf(30)
        assert abs(difference) < 1e-20


@pytest.mark.parametrize("label", [0.0, 0.3, 1.0])
def test_bce_from_logits_at_extremes(label):
    f = sp.lambdify([z, y], registry["bce_from_logits"].result.rhs, "numpy")
    with np.errstate(**NO_OVERFLOW):
        values = f(EXTREME, label)
    assert np.all(np.isfinite(values))
    # 1 - sigma(1000) = e^{-1000}/(1 + e^{-1000}) ~ 1e-435: 600 digits keep it exact.
    with mpmath.workdps(600):
        expected = np.array([
            float(-(label * mpmath.log(mp_sigmoid(mpmath.mpf(x)))
                    + (1 - label) * mpmath.log(1 - mp_sigmoid(mpmath.mpf(x)))))
            for x in EXTREME])
    # logaddexp(0, z) - z y subtracts numbers of size |z|: its error is ~eps |z| in
    # absolute terms (a loss of 1e-22 at z = 50, y = 1 comes out as 0).
    tolerance = 4 * np.finfo(float).eps * np.maximum(1.0, np.abs(EXTREME))
    assert np.all(np.abs(values - expected) <= tolerance)


def test_naive_bce_fails_where_the_stable_one_does_not():
    a = 1 / (1 + np.exp(-1000.0))  # rounds to exactly 1.0
    with np.errstate(**NO_OVERFLOW), pytest.raises(FloatingPointError):
        -(0.0 * np.log(a) + (1 - 0.0) * np.log(1 - a))


def test_bce_max_form_is_proved():
    extra = registry["bce_from_logits"].extra
    assert extra["max_form_proof"].holds and extra["max_form_proof"].symbolic
    assert any(r"\max(z, 0)" in r for r in registry["bce_from_logits"].remarks)


def _log_softmax_function(d, K=3):
    """NumPy function (z_1, ..., z_K, c) -> log p, from the derivation's general result
    written out for K logits."""
    expr = d.result.rhs
    by_name = {str(s): s for s in expr.free_symbols}
    zs = sp.symbols(f"z_1:{K + 1}", real=True)
    entries = []
    for i in range(1, K + 1):
        written = expr.xreplace({by_name["K"]: K, by_name["i"]: i}).doit()
        entries.append(written.xreplace({e: zs[int(e.indices[0]) - 1]
                                         for e in written.atoms(sp.Indexed)}))
    return sp.lambdify([*zs, by_name["c"]], sp.Matrix(entries), "numpy")


@pytest.mark.parametrize("logits", [
    [1000.0, 0.0, -1000.0],
    [-1000.0, -1000.5, -999.0],
    [0.3, -1.2, 2.5],
    [800.0, 800.0, 800.0],
])
def test_log_softmax_stable_with_c_max(logits):
    d = registry["log_softmax_stable"]
    f = _log_softmax_function(d)
    zs = np.array(logits)
    with np.errstate(**NO_OVERFLOW):
        values = np.array(f(*zs, np.max(zs)), dtype=float).ravel()
    assert np.all(np.isfinite(values))
    with mpmath.workdps(50):
        total = mpmath.fsum(mpmath.exp(mpmath.mpf(q)) for q in logits)
        expected = [float(mpmath.mpf(q) - mpmath.log(total)) for q in logits]
    np.testing.assert_allclose(values, expected, rtol=1e-14, atol=1e-12)


def test_log_softmax_shift_invariance_at_moderate_logits():
    d = registry["log_softmax_stable"]
    f = _log_softmax_function(d)
    zs = np.array([0.4, -2.0, 1.1])
    naive = np.log(np.exp(zs) / np.sum(np.exp(zs)))
    for c in (-3.0, 0.0, 0.7, 5.0):
        np.testing.assert_allclose(np.array(f(*zs, c), dtype=float).ravel(), naive,
                                   rtol=1e-13)


def test_log_softmax_remarks_say_why_c_max():
    d = registry["log_softmax_stable"]
    assert d.extra["proof_with_c_max"].holds
    assert any("overflow" in r for r in d.remarks)


@pytest.mark.parametrize("name", NAMES)
def test_summary_says_which_side_is_which(name):
    summary = registry[name].summary
    assert "Textbook side: the naive form" in summary
    assert summary.count("$") % 2 == 0


@pytest.mark.parametrize("name", NAMES)
def test_displayed_steps_are_equalities(name):
    # Every "= rhs" line equals the line above it, at 30 digits (verify.steps_check).
    assert displayed_step_gaps(registry[name]) == []