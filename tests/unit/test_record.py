"""The proof engine: a right identity proves, a wrong one does not, in both checks."""

import pytest
import sympy as sp

from derive.record import derivation, prove, spot_check
from derive.symbols import canonical_sums, in_range, sigma, unfold, z


def test_unfold_replaces_display_functions_by_definitions():
    expr = unfold(sigma(z))
    assert sp.simplify(expr - 1 / (1 + sp.exp(-z))) == 0


def test_true_identity_is_proved_symbolically_and_numerically():
    p = prove(sp.diff(1 / (1 + sp.exp(-z)), z), sigma(z) * (1 - sigma(z)))
    assert p.symbolic is True
    assert p.spot_check_max_error < 1e-25
    assert p.holds


def test_wrong_identity_fails_both_checks():
    # sigma' = sigma (1 + sigma) is wrong: a sign.
    p = prove(sp.diff(1 / (1 + sp.exp(-z)), z), sigma(z) * (1 + sigma(z)))
    assert p.symbolic is False
    assert p.spot_check_max_error > 1e-3
    assert not p.holds


def test_spot_check_alone_catches_what_a_weak_method_misses():
    # expand cannot show tanh = (e^z - e^-z)/(e^z + e^-z) ... but the spot check agrees.
    err = spot_check(sp.tanh(z), (sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z)), {})
    assert err < 1e-25
    err_wrong = spot_check(sp.tanh(z), (sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + 2 * sp.exp(-z)), {})
    assert err_wrong > 1e-3


def test_matrix_results_are_compared_entry_by_entry():
    x, w = sp.symbols("x w", real=True)
    g = sp.Symbol("g")
    derived = sp.Matrix([sp.diff(w * x**2, x), sp.diff(w * x**2, w)])
    d = derivation(name="t", title="t", source="t", summary="t", definition=[],
                   steps=[(g, derived, "differentiate")], result=g,
                   textbook=(g, sp.Matrix([2 * w * x, x**2])))
    assert d.proof.holds
    bad = derivation(name="t", title="t", source="t", summary="t", definition=[],
                     steps=[(g, derived, "differentiate")], result=g,
                     textbook=(g, sp.Matrix([2 * w * x, 2 * x])))
    assert not bad.proof.holds


def _sigmoid_record(last, **kwargs):
    ds = sp.Derivative(sigma(z), z)
    return derivation(name="t", title="t", source="t", summary="t", definition=[],
                      steps=[(ds, last, "rule")], textbook=(ds, sigma(z) * (1 - sigma(z))),
                      **kwargs)


def test_result_given_by_its_left_side_is_the_last_step():
    d = _sigmoid_record(sigma(z) * (1 - sigma(z)), result=sp.Derivative(sigma(z), z))
    assert d.result.rhs == d.steps[-1].rhs
    assert d.proof.holds


def test_a_result_other_than_the_last_step_is_refused():
    ds = sp.Derivative(sigma(z), z)
    with pytest.raises(ValueError, match="not its last step"):
        _sigmoid_record(sigma(z) * (1 - sigma(z)), result=(ds, sp.diff(1 / (1 + sp.exp(-z)), z)))


def test_the_result_is_also_proved_against_the_direct_derivative():
    ds = sp.Derivative(sigma(z), z)
    right = _sigmoid_record(sigma(z) * (1 - sigma(z)), result=ds,
                            derived=sp.diff(1 / (1 + sp.exp(-z)), z))
    assert right.proof.holds and "derived" in right.proof.method
    # A derived side that disagrees (the derivative of a different function) fails the
    # proof even though result and textbook agree with each other.
    wrong = _sigmoid_record(sigma(z) * (1 - sigma(z)), result=ds,
                            derived=sp.diff(1 / (1 + sp.exp(-2 * z)), z))
    assert not wrong.proof.holds


K = sp.Symbol("K", positive=True, integer=True)
i, j, k = sp.symbols("i j k", positive=True, integer=True)
zb = sp.IndexedBase("z", real=True)
RANGES = {K: (2, 5), i: (1, K), j: (1, K), zb: (-3, 3)}


def _p(index):
    return sp.exp(zb[index]) / sp.Sum(sp.exp(zb[k]), (k, 1, K))


def test_spot_check_in_index_notation_draws_sizes_indices_and_entries():
    derived = sp.diff(_p(i), zb[j])
    right = _p(i) * (sp.KroneckerDelta(i, j) - _p(j))
    wrong = _p(i) * (sp.KroneckerDelta(i, j) + _p(j))
    assert spot_check(right, derived, RANGES) < 1e-25
    assert spot_check(wrong, derived, RANGES) > 1e-3


def test_in_range_and_canonical_sums_let_a_general_identity_simplify():
    derived = sp.diff(_p(i), zb[j])
    right = _p(i) * (sp.KroneckerDelta(i, j) - _p(j))
    difference = sp.simplify((right - derived).doit())
    assert difference != 0  # SymPy alone: a Piecewise on K >= j
    assert sp.simplify(canonical_sums(in_range(difference))) == 0
    renamed = sp.Sum(sp.exp(zb[j]), (j, 1, K)) - sp.Sum(sp.exp(zb[k]), (k, 1, K))
    assert sp.simplify(canonical_sums(renamed)) == 0


def test_in_range_simplify_keeps_the_indices_in_range_and_refuses_a_wrong_identity():
    from derive.symbols import in_range_simplify

    j, j2, n, i, m_ = sp.symbols("j j' n i m", integer=True, positive=True)
    x = sp.IndexedBase("x")
    # sum over j' of delta(j, j') x[j', i], summed over i: written out, the delta keeps
    # j' = j (for 1 <= j <= n, the range assumed), and the outer sum is renamed
    picked = sp.Sum(sp.KroneckerDelta(j, j2) * x[j2, i], (j2, 1, n), (i, 1, m_))
    assert in_range_simplify(picked - sp.Sum(x[j, k], (k, 1, m_))) == 0
    assert in_range_simplify(picked - 2 * sp.Sum(x[j, k], (k, 1, m_))) != 0


def test_a_nan_in_the_spot_check_is_a_disagreement():
    # max(0.0, nan) is 0.0: a side that evaluates to NaN once passed with error 0.
    assert spot_check(z + sp.nan, z, {}) == float("inf")
    x = sp.IndexedBase("x")
    n = sp.Symbol("n", integer=True, positive=True)
    total = sp.Sum(x[k], (k, 1, n))
    assert spot_check(total + sp.nan, total, {}) == float("inf")
    assert spot_check(2 * z, z + z, {}) == 0.0
