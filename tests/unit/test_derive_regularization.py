"""Items 8, 9: L2 regularization and inverted dropout against independent NumPy checks."""

from __future__ import annotations


import numpy as np
import pytest
import sympy as sp

from derive import registry
from finite_differences import central_difference
from derive.derivations import layer, regularization
from derive.record import write_out
from derive.symbols import m

TOL = dict(rtol=1e-6, atol=1e-9)


def evaluate(expr, values, mm):
    explicit = expr.xreplace({k: sp.ImmutableMatrix(v) if isinstance(v, np.ndarray) else v
                              for k, v in values.items()})
    explicit = explicit.xreplace({m: sp.Integer(mm)})
    return np.array(sp.Matrix(explicit.as_explicit()), dtype=float)


@pytest.mark.parametrize("shapes", [[(2, 2), (1, 2)], [(3, 4), (2, 3), (1, 2)], [(1, 1)]])
def test_l2_cost_is_frobenius_penalty(shapes):
    """Evaluate derive's general J_reg for L layers at random weights; compare with
    np.sum(np.square(W)) summed over the layers."""
    rng = np.random.default_rng(0)
    Ws = [rng.normal(size=shape) for shape in shapes]
    J, lam, mm = 0.7, 0.3, 5
    expected = J + lam / (2 * mm) * sum(np.sum(np.square(W)) for W in Ws)
    expr = registry["l2_cost"].result.rhs
    by_name = {s.name: s for s in expr.free_symbols}
    expr = write_out(expr.xreplace({by_name["L"]: len(Ws), by_name["J"]: J,
                                    by_name["lambda"]: lam, by_name["m"]: mm}))
    # n^[l]: the sizes of the layers (n^[0] = n_x), then the sums over j and k written out
    sizes = [shapes[0][1]] + [shape[0] for shape in shapes]
    expr = write_out(expr.xreplace({e: sizes[int(e.indices[0])] for e in expr.atoms(sp.Indexed)
                                    if str(e.base) == "n"}))
    values = {e: Ws[int(e.indices[0]) - 1][int(e.indices[1]) - 1, int(e.indices[2]) - 1]
              for e in expr.atoms(sp.Indexed)}
    assert len(values) == sum(W.size for W in Ws)
    assert float(expr.xreplace(values)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("shape", [(2, 3), (4, 1), (1, 1)])
def test_l2_gradient_matches_finite_differences(shape):
    rng = np.random.default_rng(1)
    W = rng.normal(size=shape)
    C = rng.normal(size=shape)
    lam, mm = 0.8, 7
    J = lambda w: float(np.sum(C * np.sin(w)) + np.sum(w) ** 2)  # noqa: E731
    J_reg = lambda w: J(w) + lam / (2 * mm) * np.sum(w ** 2)  # noqa: E731
    dW = central_difference(J, W)
    dW_reg = central_difference(J_reg, W)
    np.testing.assert_allclose(dW_reg, dW + lam / mm * W, **TOL)

    form = registry["l2_gradient"].extra["matrix_form"]
    got = evaluate(form, {regularization.dW_code: dW, layer.W: W,
                          regularization.lambd_code: sp.Float(lam)}, mm)
    np.testing.assert_allclose(got, dW_reg, **TOL)


def test_dropout_expectation_monte_carlo():
    rng = np.random.default_rng(2)
    a, p, n = 1.7, 0.6, 2_000_000
    D = rng.uniform(size=n) < p
    samples = D * a / p
    assert samples.mean() == pytest.approx(a, rel=5e-3)
    variance = registry["dropout_expectation"].extra["variance"]
    symbols = {s.name: s for s in variance.free_symbols}
    closed = float(variance.subs({symbols["a"]: a, symbols["p_keep"]: p}))
    assert closed == pytest.approx(a ** 2 * (1 - p) / p, rel=1e-12)
    assert samples.var() == pytest.approx(closed, rel=1e-2)


def test_dropout_expectation_result_is_a_for_any_keep_prob():
    d = registry["dropout_expectation"]
    # The result (the last step) and the expectation over the two outcomes (first step).
    for expr in (d.result.rhs, d.steps[0].rhs):
        symbols = {s.name: s for s in expr.free_symbols}
        for p in (0.1, 0.5, 1.0):
            values = {symbols["a"]: 2.5}
            if "p_keep" in symbols:
                values[symbols["p_keep"]] = p
            assert float(expr.subs(values)) == pytest.approx(2.5, rel=1e-12)
    assert "p_keep" in {s.name for s in d.steps[0].rhs.free_symbols}


@pytest.mark.parametrize("shape", [(3, 4), (1, 1)])
def test_dropout_backward_matches_finite_differences(shape):
    rng = np.random.default_rng(3)
    A = rng.normal(size=shape)
    p = 0.7
    D = (rng.uniform(size=shape) < p).astype(float)
    C = rng.normal(size=shape)
    loss = lambda A_dropped: float(np.sum(C * np.tanh(A_dropped)) + np.sum(A_dropped) ** 2)  # noqa: E731
    A_dropped = D * A / p
    dA_dropped = central_difference(loss, A_dropped)
    dA = central_difference(lambda x: loss(D * x / p), A)
    np.testing.assert_allclose(dA, D * dA_dropped / p, **TOL)
    assert np.all(dA[D == 0] == 0)

    form = registry["dropout_backward"].extra["matrix_form"]
    got = evaluate(form, {regularization.D_code: D, regularization.dA_dropped_code: dA_dropped,
                          regularization.keep_prob_code: sp.Float(p)}, shape[1])
    np.testing.assert_allclose(got, dA, **TOL)


def test_dropout_remark_corrects_the_notes():
    assert any("gradient $dA$" in r for r in registry["dropout_backward"].remarks)
