"""Softmax derivations: derive's results against a softmax written here in NumPy.

The expected Jacobian diag(p) - p p^T and gradient p - y are computed in this file
from a NumPy softmax, and both are checked against central differences in float64.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import registry
from derive.derivations.softmax import write_out_outputs

from finite_differences import evaluate_indexed

NAMES = ["softmax_jacobian", "softmax_cross_entropy_dz"]
H = 1e-6
FD_TOL = {"rtol": 1e-7, "atol": 1e-9}  # central differences: rounding error ~eps/H
rng = np.random.default_rng(7)


def softmax_numpy(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def cross_entropy_numpy(z, y):
    return -np.sum(y * np.log(softmax_numpy(z)))


def numeric_jacobian(f, x, h=H):
    """Central-difference Jacobian: column j is the derivative in x_j."""
    columns = [(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)]
    return np.stack(columns, axis=-1)


def evaluate(matrix, values):
    """A derive matrix at ``values`` (symbol name -> float), as a float64 array.

    Substitution then ``evalf`` evaluates derive's display functions (p_k, y_K) through
    their definitions, so this works on both sides of a derivation.
    """
    by_name = {str(s): s for s in matrix.free_symbols}
    subs = {by_name[n]: v for n, v in values.items() if n in by_name}
    return np.array(matrix.subs(subs).evalf(30).tolist(), dtype=float)


def logit_values(z):
    return {f"z_{k}": float(v) for k, v in enumerate(z, start=1)}


@pytest.mark.parametrize("name", NAMES)
def test_proved_for_the_other_numbers_of_classes_too(name):
    d = registry[name]
    for proof in d.extra["proofs_for_other_K"].values():
        assert proof.holds and proof.symbolic


def test_softmax_jacobian_is_general():
    d = registry["softmax_jacobian"]
    assert not isinstance(d.result.rhs, sp.MatrixBase)
    assert d.result.rhs.has(sp.KroneckerDelta)
    assert set(d.extra["proofs_for_other_K"]) == {2, 3}
    assert "K \\times K" in d.summary


def _entrywise(expr, K, i_j_names, arrays):
    """The K x K (or K) array of a general entry formula, indices 1-based."""
    if len(i_j_names) == 2:
        return np.array([[evaluate_indexed(expr, {"K": K, "i": a, "j": b}, arrays)
                          for b in range(1, K + 1)] for a in range(1, K + 1)])
    return np.array([evaluate_indexed(expr, {"K": K, "i": a}, arrays) for a in range(1, K + 1)])


@pytest.mark.parametrize("seed,K", [(0, 2), (1, 3), (2, 5)])
def test_softmax_jacobian_is_diag_p_minus_outer_p(seed, K):
    d = registry["softmax_jacobian"]
    z = np.random.default_rng(seed).uniform(-3, 3, K)
    p = softmax_numpy(z)
    expected = np.diag(p) - np.outer(p, p)
    # p_i taken from the NumPy softmax of this file, and p_i written out by derive:
    # both must give diag(p) - p p^T and the finite-difference Jacobian.
    for expr in (d.result.rhs, write_out_outputs(d.result.rhs)):
        got = _entrywise(expr, K, "ij", {"p": p, "z": z})
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(got, numeric_jacobian(softmax_numpy, z), **FD_TOL)


def test_softmax_jacobian_remark_corrects_the_notes():
    remarks = " ".join(registry["softmax_jacobian"].remarks)
    assert r"\delta_{ij}" in remarks and "(I -" in remarks


@pytest.mark.parametrize("seed,K", [(0, 2), (1, 3), (2, 6)])
def test_cross_entropy_gradient_is_p_minus_y(seed, K):
    d = registry["softmax_cross_entropy_dz"]
    draw = np.random.default_rng(100 + seed)
    z = draw.uniform(-3, 3, K)
    y = draw.dirichlet(np.ones(K))  # labels that sum to one
    expected = softmax_numpy(z) - y
    numeric = numeric_jacobian(lambda t: cross_entropy_numpy(t, y), z)
    for expr in (d.result.rhs, write_out_outputs(d.result.rhs)):
        got = _entrywise(expr, K, "i", {"p": softmax_numpy(z), "z": z, "y": y})
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(got, numeric, **FD_TOL)


def test_cross_entropy_one_hot():
    d = registry["softmax_cross_entropy_dz"]
    z = np.array([0.5, -1.0, 2.0])
    for hot in range(3):
        y = np.eye(3)[hot]
        got = _entrywise(write_out_outputs(d.result.rhs), 3, "i", {"z": z, "y": y})
        np.testing.assert_allclose(got, softmax_numpy(z) - y, atol=1e-15)


def test_cross_entropy_gradient_without_sum_to_one():
    d = registry["softmax_cross_entropy_dz"]
    general, general_textbook = d.extra["gradient_without_sum_to_one"]
    assert d.extra["gradient_without_sum_to_one_proof"].holds
    draw = np.random.default_rng(5)
    z, y = draw.uniform(-3, 3, 3), draw.uniform(0, 2, 3)  # deliberately not summing to 1
    expected = softmax_numpy(z) * y.sum() - y
    arrays = {"z": z, "y": y, "p": softmax_numpy(z)}
    np.testing.assert_allclose(_entrywise(general, 3, "i", arrays), expected, rtol=1e-12)
    np.testing.assert_allclose(_entrywise(general_textbook, 3, "i", arrays), expected,
                               rtol=1e-12)
    numeric = numeric_jacobian(lambda t: cross_entropy_numpy(t, y), z)
    np.testing.assert_allclose(_entrywise(general, 3, "i", arrays), numeric, **FD_TOL)
    # ... which is not p - y: the assumption matters.
    assert not np.allclose(expected, softmax_numpy(z) - y)


def test_cross_entropy_states_its_assumption():
    d = registry["softmax_cross_entropy_dz"]
    assert any(r"\sum_{k=1}^{K} y_k = 1" in text for text in d.assumptions)
    assert not any(r"\sum_k y_k = 1" in s.caption for s in d.steps[:-1])
    assert any(r"p_i \sum_k y_k - y_i" in text for text in d.remarks)


@pytest.mark.parametrize("name", NAMES)
def test_results_print_as_latex(name):
    d = registry[name]
    for expr in (d.result.rhs, d.textbook.rhs, *(e.rhs for e in d.definition)):
        text = sp.latex(expr)
        assert "SoftmaxOutput" not in text and "LastLabel" not in text
