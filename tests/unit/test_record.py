"""The proof engine: a right identity proves, a wrong one does not, in both checks."""

import sympy as sp

from derive.record import derivation, prove, spot_check
from derive.symbols import sigma, unfold, z


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
    d = derivation(name="t", title="t", source="t", summary="t", definition=[], steps=[],
                   result=(sp.Symbol("g"), sp.Matrix([sp.diff(w * x**2, x), sp.diff(w * x**2, w)])),
                   textbook=(sp.Symbol("g"), sp.Matrix([2 * w * x, x**2])))
    assert d.proof.holds
    bad = derivation(name="t", title="t", source="t", summary="t", definition=[], steps=[],
                     result=(sp.Symbol("g"), sp.Matrix([sp.diff(w * x**2, x), sp.diff(w * x**2, w)])),
                     textbook=(sp.Symbol("g"), sp.Matrix([2 * w * x, 2 * x])))
    assert not bad.proof.holds

