"""The user formulas of tests/custom_formulas.py, each end to end on the derive side:
the proof holds and every line is proved; the generated derivative equals jax.grad of
the *definition* (the entry's formula as the user wrote it, lambdified) to 1e-10 in
float64 and central differences of the generated function below 1e-7; the generated
functions are finite at |z| up to 1000 in float32 and float64 (and keep the dtype)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from custom_formulas import FORMULAS, build

from derive.codegen_entry import PROBE_LABELS
from derive.stepwise.stable import PROBE_POINTS
from verify import jax_reference  # noqa: F401  (turns on jax_enable_x64 first)
from verify._definitions import _lambdify
from verify.custom_check import generated_outputs
# JAX and the generated code evaluate different but equal formulas in float64: a few
# ulps of each intermediate, relative to the derivative's size (|g'| <~ 2 here).
JAX_TOLERANCE = 1e-10
# Central differences with h = 1e-5: truncation h^2 |g'''| / 6 ~ 1e-11 and rounding
# eps |g| / h ~ 1e-11 on these formulas; the bound is 1e-7.
FD_TOLERANCE = 1e-7
H = 1e-5


@pytest.fixture(scope="module", params=FORMULAS, ids=[row[1] for row in FORMULAS])
def formula(request):
    kind, name, text, _ = request.param
    return build(kind, name, text)


def _away_from_kinks(points, kinks):
    points = np.asarray(points, dtype=np.float64)
    keep = np.all([np.abs(points - c) > 1e-3 for c in kinks], axis=0) if kinks else True
    return points[keep] if kinks else points


def _grid():
    # a symmetric grid that does not contain the kinks of the suite (0, +-1) exactly
    return np.linspace(-6.0, 6.0, 97) + 0.0123


def test_every_line_and_every_derivation_is_proved(formula):
    assert formula.derivation.proof.holds
    proofs = formula.derivation.extra["step_proofs"]
    assert len(proofs) == len(formula.derivation.steps)
    assert all(p.holds for p in proofs), [p.method for p in proofs if not p.holds]
    # proved symbolically, not only spot-checked (symbolic None), line by line
    for d in formula.derivations:
        assert d.proof.holds
        assert all(p.symbolic is True for p in d.extra.get("step_proofs", (d.proof,))), d.name


def test_derivative_equals_jax_grad_of_the_definition(formula):
    import jax
    import jax.numpy as jnp
    from derive.symbols import a, unfold, y, z

    definition = unfold(formula.entry.definition)
    if formula.kind == "activation":
        f = _lambdify(definition, "jax")
        Z = _away_from_kinks(_grid(), formula.kinks)
        expected = np.asarray(jax.vmap(jax.grad(f))(jnp.asarray(Z)))
        got = formula.g_prime(Z)
    else:
        f = sp.lambdify((a, y), definition, modules="jax")
        # a loss's kinks are values of a - y: the grid is of a - y
        offsets = _away_from_kinks(_grid(), formula.kinks)
        Y = np.random.default_rng(1).normal(size=offsets.size)
        A = Y + offsets
        expected = np.asarray(jax.vmap(jax.grad(f, argnums=0))(jnp.asarray(A), jnp.asarray(Y)))
        got = formula.dz(A, Y)
    assert np.all(np.isfinite(expected))
    error = np.max(np.abs(got - expected) / np.maximum(1.0, np.abs(expected)))
    assert error < JAX_TOLERANCE, error


def test_derivative_equals_central_differences_of_the_generated_function(formula):
    if formula.kind == "activation":
        Z = _away_from_kinks(_grid(), formula.kinks)
        numeric = (formula.g(Z + H) - formula.g(Z - H)) / (2 * H)
        analytic = formula.g_prime(Z)
    else:
        offsets = _away_from_kinks(_grid(), formula.kinks)
        Y = np.random.default_rng(2).normal(size=offsets.size)
        A = Y + offsets
        # the cost of one example at a time (m = 1): dJ/da = dL/da = dZ
        cost = np.vectorize(lambda a_, y_: formula.cost(np.array([[a_]]), np.array([[y_]]), 1))
        numeric = (cost(A + H, Y) - cost(A - H, Y)) / (2 * H)
        analytic = formula.dz(A, Y)
    error = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
    assert error < FD_TOLERANCE, error


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_finite_and_dtype_kept_far_out(formula, dtype):
    from numeric.workspace import Workspace

    X = np.asarray(PROBE_POINTS, dtype=dtype).reshape(1, -1)
    # an overflow inside is a failure too, not only inf out (underflow to 0 is harmless)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        outs = generated_outputs(formula, X, Workspace())
        if formula.kind == "loss":   # and the cost of each example, one at a time
            for label in PROBE_LABELS:
                Y = np.full_like(X, label)
                outs += [np.asarray(formula.cost(X[:, k:k + 1], Y[:, k:k + 1], 1))
                         for k in range(X.shape[1])]
    for out in outs:
        assert np.all(np.isfinite(out)), out
        assert out.dtype == dtype


def test_inplace_variants_equal_the_pure_ones(formula):
    from numeric.workspace import Workspace

    X = np.concatenate([_grid(), np.asarray(PROBE_POINTS)]).reshape(2, -1)
    work = Workspace()
    # the same formula evaluated node by node: equal up to ulps (as tests/unit/test_catalog)
    if formula.kind == "activation":
        np.testing.assert_allclose(formula.g_into(X, np.empty_like(X), work), formula.g(X),
                                   rtol=1e-14, atol=1e-300)
        np.testing.assert_allclose(formula.g_prime_into(X, np.empty_like(X), work),
                                   formula.g_prime(X), rtol=1e-13, atol=1e-15)
        if formula.g_prime_from_a is not None:
            A = formula.g(X)
            np.testing.assert_allclose(formula.g_prime_from_a(A), formula.g_prime(X),
                                       rtol=1e-12, atol=1e-15)
    else:
        Y = np.random.default_rng(3).normal(size=X.shape)
        np.testing.assert_allclose(formula.dz_into(X, Y, np.empty_like(X), work),
                                   formula.dz(X, Y), rtol=1e-13, atol=1e-15)
