"""Every function of numeric/_generated.py against its SymPy expression at 50 digits."""

import numpy as np
import pytest

from verify.symbolic_check import TOLERANCE, check_function


@pytest.fixture(scope="module")
def specs(registry):
    from derive.codegen import function_specs

    return {s.name: s for s in function_specs(registry)}


def test_every_generated_function_has_a_spec(specs):
    import numeric._generated as gen

    # The in-place variants (NAME_into, NAME_inplace) are checked against the pure
    # function they mirror in tests/unit/test_inplace.py.
    variants = {n for n in gen.__all__ if n.endswith(("_into", "_inplace"))}
    assert set(specs) == set(gen.__all__) - variants
    assert {n.rsplit("_", 1)[0] for n in variants} <= set(specs)


def test_every_generated_function_agrees(specs):
    failures = []
    for name, spec in specs.items():
        r = check_function(spec)
        assert r.dtype_ok, f"{name}: float32 in does not give float32 out"
        assert r.finite_ok, f"{name}: not finite / overflow at +-1000"
        if r.max_error > TOLERANCE:
            failures.append((name, r.max_error))
    assert not failures


def test_a_wrong_function_is_caught(specs, monkeypatch):
    import numeric._generated as gen

    monkeypatch.setattr(gen, "tanh_prime", lambda Z: 1 - np.tanh(Z))  # the square missing
    assert not check_function(specs["tanh_prime"]).ok


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_logits_stay_finite(dtype):
    import numeric._generated as gen

    Z = np.array([[-1000.0, 1000.0, 0.0], [1000.0, -1000.0, 3.0]], dtype=dtype)
    Y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for out in (gen.sigmoid(Z), gen.sigmoid_prime(Z), gen.softmax(Z), gen.log_softmax(Z),
                    gen.bce_cost_from_logits(Z=Z, Y=Y, m=3),
                    gen.softmax_cross_entropy_cost(Z=Z, Y=Y, m=3)):
            assert np.all(np.isfinite(out)) and np.asarray(out).dtype == dtype


def test_softmax_and_every_cost_are_checked_against_their_definitions(specs):
    # the reference of these is the definition evaluated as written, not the spec's own
    # (derived) expression: a wrong derivation cannot agree with itself
    from derive import catalog
    from verify.symbolic_check import _independent_outputs

    names = ["softmax", "log_softmax", *(e.cost for e in catalog.loss_entries().values())]
    for name in names:
        independent = _independent_outputs(specs[name])
        assert independent is not None, name


def test_a_wrong_cost_is_caught(specs, monkeypatch):
    import numeric._generated as gen

    # the 1/2 of the squared error lost: the definition of mse disagrees
    monkeypatch.setattr(gen, "mse_cost", lambda A, Y, m: float(np.sum((A - Y) ** 2) / m))
    assert not check_function(specs["mse_cost"]).ok


def test_a_definition_as_written_keeps_its_cancellation_both_ways(monkeypatch):
    # 1 - sigma(700) = e^-700 / (1 + e^-700): about 304 digits cancel. The reference
    # evaluates the formula's tree in mpmath at the digits its entries call for (780
    # here); a node it does not know goes through lambdify instead, with the same number.
    import math

    import sympy as sp

    from verify import symbolic_check as sc

    Z = sp.Symbol("Z")
    expr = 1 - 1 / (1 + sp.exp(-Z))
    values = {Z: np.full(sc.SHAPE, 700.0)}
    direct = sc.reference_value(expr, values, as_written=True)
    np.testing.assert_allclose(direct, math.exp(-700.0), rtol=1e-14)

    def untranslated(*args):
        raise sc._Untranslated("test")

    monkeypatch.setattr(sc, "_mp", untranslated)
    np.testing.assert_array_equal(sc.reference_value(expr, values, as_written=True), direct)


def test_a_nan_at_a_random_point_is_a_disagreement(specs, monkeypatch):
    # NaN where no entry is extreme: the check at +-30 and +-1000 stays finite, so only
    # the comparison with the reference can catch it (a NaN error once compared as 0).
    import numeric._generated as gen

    real = gen.tanh
    monkeypatch.setattr(gen, "tanh", lambda Z: real(Z) if np.max(np.abs(Z)) > 10
                        else np.full_like(Z, np.nan))
    r = check_function(specs["tanh"])
    assert r.finite_ok and not r.ok and r.max_error == float("inf")
